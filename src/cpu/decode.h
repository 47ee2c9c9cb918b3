/* RISC-V instruction decoder shared by every engine (interpreter, JIT).
 * One 32-bit or 16-bit instruction becomes an rv_insn; compressed
 * instructions are expanded to the 32-bit operation they stand for.
 * Supported: RV64I M A F D C Zicsr Zifencei Zba Zbb Zbs Zbc Zicond Zbkb Zbkx
 * Zicbom Zicboz Zfh Svinval and the privileged instructions (Zicbop's
 * prefetches are ORI with rd = x0, hints). Everything else decodes to RV_OP_ILLEGAL. */
#ifndef SPLITVM_DECODE_H
#define SPLITVM_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Operation flags. */
#define RV_OPF_XRD 0x01 /* writes integer rd (rd = x0 is mapped to the sink, 32) */
#define RV_OPF_END 0x02 /* ends a predecoded block (control transfer, system, trap) */
#define RV_OPF_FP 0x04  /* floating point: illegal when mstatus.FS == 0 */
#define RV_OPF_RM 0x08  /* has an rm field (dynamic rm is checked at run time) */
#define RV_OPF_FRD 0x10 /* writes FP rd */

#define RV_XRD RV_OPF_XRD
#define RV_END RV_OPF_END
#define RV_FPX (RV_OPF_FP | RV_OPF_XRD)            /* FP op writing an x register */
#define RV_FPF (RV_OPF_FP | RV_OPF_FRD)            /* FP op writing an f register */
#define RV_FPR (RV_OPF_FP | RV_OPF_FRD | RV_OPF_RM) /* ... with rounding */
#define RV_FXR (RV_OPF_FP | RV_OPF_XRD | RV_OPF_RM) /* to integer, with rounding */

/* X(name, mnemonic, flags) */
#define RV_OP_LIST(X)                                                                          \
    X(ILLEGAL, "illegal", RV_END)                                                              \
    /* RV64I */                                                                                \
    X(LUI, "lui", RV_XRD) X(AUIPC, "auipc", RV_XRD) X(JAL, "jal", RV_XRD | RV_END)             \
    X(JALR, "jalr", RV_XRD | RV_END)                                                           \
    X(BEQ, "beq", RV_END) X(BNE, "bne", RV_END) X(BLT, "blt", RV_END) X(BGE, "bge", RV_END)    \
    X(BLTU, "bltu", RV_END) X(BGEU, "bgeu", RV_END)                                            \
    X(LB, "lb", RV_XRD) X(LH, "lh", RV_XRD) X(LW, "lw", RV_XRD) X(LD, "ld", RV_XRD)            \
    X(LBU, "lbu", RV_XRD) X(LHU, "lhu", RV_XRD) X(LWU, "lwu", RV_XRD)                          \
    X(SB, "sb", 0) X(SH, "sh", 0) X(SW, "sw", 0) X(SD, "sd", 0)                                \
    X(ADDI, "addi", RV_XRD) X(SLTI, "slti", RV_XRD) X(SLTIU, "sltiu", RV_XRD)                  \
    X(XORI, "xori", RV_XRD) X(ORI, "ori", RV_XRD) X(ANDI, "andi", RV_XRD)                      \
    X(SLLI, "slli", RV_XRD) X(SRLI, "srli", RV_XRD) X(SRAI, "srai", RV_XRD)                    \
    X(ADD, "add", RV_XRD) X(SUB, "sub", RV_XRD) X(SLL, "sll", RV_XRD) X(SLT, "slt", RV_XRD)    \
    X(SLTU, "sltu", RV_XRD) X(XOR, "xor", RV_XRD) X(SRL, "srl", RV_XRD) X(SRA, "sra", RV_XRD)  \
    X(OR, "or", RV_XRD) X(AND, "and", RV_XRD)                                                  \
    X(ADDIW, "addiw", RV_XRD) X(SLLIW, "slliw", RV_XRD) X(SRLIW, "srliw", RV_XRD)              \
    X(SRAIW, "sraiw", RV_XRD) X(ADDW, "addw", RV_XRD) X(SUBW, "subw", RV_XRD)                  \
    X(SLLW, "sllw", RV_XRD) X(SRLW, "srlw", RV_XRD) X(SRAW, "sraw", RV_XRD)                    \
    X(FENCE, "fence", 0) X(FENCE_I, "fence.i", RV_END)                                         \
    X(ECALL, "ecall", RV_END) X(EBREAK, "ebreak", RV_END) X(MRET, "mret", RV_END)              \
    X(SRET, "sret", RV_END) X(WFI, "wfi", RV_END) X(SFENCE_VMA, "sfence.vma", RV_END)          \
    /* Zicsr: csr number in .csr; the I forms keep the 5-bit uimm in .rs1 */                   \
    X(CSRRW, "csrrw", RV_XRD | RV_END) X(CSRRS, "csrrs", RV_XRD | RV_END)                      \
    X(CSRRC, "csrrc", RV_XRD | RV_END) X(CSRRWI, "csrrwi", RV_XRD | RV_END)                    \
    X(CSRRSI, "csrrsi", RV_XRD | RV_END) X(CSRRCI, "csrrci", RV_XRD | RV_END)                  \
    /* M */                                                                                    \
    X(MUL, "mul", RV_XRD) X(MULH, "mulh", RV_XRD) X(MULHSU, "mulhsu", RV_XRD)                  \
    X(MULHU, "mulhu", RV_XRD) X(DIV, "div", RV_XRD) X(DIVU, "divu", RV_XRD)                    \
    X(REM, "rem", RV_XRD) X(REMU, "remu", RV_XRD) X(MULW, "mulw", RV_XRD)                      \
    X(DIVW, "divw", RV_XRD) X(DIVUW, "divuw", RV_XRD) X(REMW, "remw", RV_XRD)                  \
    X(REMUW, "remuw", RV_XRD)                                                                  \
    /* A */                                                                                    \
    X(LR_W, "lr.w", RV_XRD) X(SC_W, "sc.w", RV_XRD) X(AMOSWAP_W, "amoswap.w", RV_XRD)          \
    X(AMOADD_W, "amoadd.w", RV_XRD) X(AMOXOR_W, "amoxor.w", RV_XRD)                            \
    X(AMOAND_W, "amoand.w", RV_XRD) X(AMOOR_W, "amoor.w", RV_XRD)                              \
    X(AMOMIN_W, "amomin.w", RV_XRD) X(AMOMAX_W, "amomax.w", RV_XRD)                            \
    X(AMOMINU_W, "amominu.w", RV_XRD) X(AMOMAXU_W, "amomaxu.w", RV_XRD)                        \
    X(LR_D, "lr.d", RV_XRD) X(SC_D, "sc.d", RV_XRD) X(AMOSWAP_D, "amoswap.d", RV_XRD)          \
    X(AMOADD_D, "amoadd.d", RV_XRD) X(AMOXOR_D, "amoxor.d", RV_XRD)                            \
    X(AMOAND_D, "amoand.d", RV_XRD) X(AMOOR_D, "amoor.d", RV_XRD)                              \
    X(AMOMIN_D, "amomin.d", RV_XRD) X(AMOMAX_D, "amomax.d", RV_XRD)                            \
    X(AMOMINU_D, "amominu.d", RV_XRD) X(AMOMAXU_D, "amomaxu.d", RV_XRD)                        \
    /* F */                                                                                    \
    X(FLW, "flw", RV_FPF) X(FSW, "fsw", RV_OPF_FP)                                             \
    X(FMADD_S, "fmadd.s", RV_FPR) X(FMSUB_S, "fmsub.s", RV_FPR)                                \
    X(FNMSUB_S, "fnmsub.s", RV_FPR) X(FNMADD_S, "fnmadd.s", RV_FPR)                            \
    X(FADD_S, "fadd.s", RV_FPR) X(FSUB_S, "fsub.s", RV_FPR) X(FMUL_S, "fmul.s", RV_FPR)        \
    X(FDIV_S, "fdiv.s", RV_FPR) X(FSQRT_S, "fsqrt.s", RV_FPR)                                  \
    X(FSGNJ_S, "fsgnj.s", RV_FPF) X(FSGNJN_S, "fsgnjn.s", RV_FPF)                              \
    X(FSGNJX_S, "fsgnjx.s", RV_FPF) X(FMIN_S, "fmin.s", RV_FPF) X(FMAX_S, "fmax.s", RV_FPF)    \
    X(FCVT_W_S, "fcvt.w.s", RV_FXR) X(FCVT_WU_S, "fcvt.wu.s", RV_FXR)                          \
    X(FCVT_L_S, "fcvt.l.s", RV_FXR) X(FCVT_LU_S, "fcvt.lu.s", RV_FXR)                          \
    X(FMV_X_W, "fmv.x.w", RV_FPX) X(FEQ_S, "feq.s", RV_FPX) X(FLT_S, "flt.s", RV_FPX)          \
    X(FLE_S, "fle.s", RV_FPX) X(FCLASS_S, "fclass.s", RV_FPX)                                  \
    X(FCVT_S_W, "fcvt.s.w", RV_FPR) X(FCVT_S_WU, "fcvt.s.wu", RV_FPR)                          \
    X(FCVT_S_L, "fcvt.s.l", RV_FPR) X(FCVT_S_LU, "fcvt.s.lu", RV_FPR)                          \
    X(FMV_W_X, "fmv.w.x", RV_FPF)                                                              \
    /* D */                                                                                    \
    X(FLD, "fld", RV_FPF) X(FSD, "fsd", RV_OPF_FP)                                             \
    X(FMADD_D, "fmadd.d", RV_FPR) X(FMSUB_D, "fmsub.d", RV_FPR)                                \
    X(FNMSUB_D, "fnmsub.d", RV_FPR) X(FNMADD_D, "fnmadd.d", RV_FPR)                            \
    X(FADD_D, "fadd.d", RV_FPR) X(FSUB_D, "fsub.d", RV_FPR) X(FMUL_D, "fmul.d", RV_FPR)        \
    X(FDIV_D, "fdiv.d", RV_FPR) X(FSQRT_D, "fsqrt.d", RV_FPR)                                  \
    X(FSGNJ_D, "fsgnj.d", RV_FPF) X(FSGNJN_D, "fsgnjn.d", RV_FPF)                              \
    X(FSGNJX_D, "fsgnjx.d", RV_FPF) X(FMIN_D, "fmin.d", RV_FPF) X(FMAX_D, "fmax.d", RV_FPF)    \
    X(FCVT_S_D, "fcvt.s.d", RV_FPR) X(FCVT_D_S, "fcvt.d.s", RV_FPR)                            \
    X(FCVT_W_D, "fcvt.w.d", RV_FXR) X(FCVT_WU_D, "fcvt.wu.d", RV_FXR)                          \
    X(FCVT_L_D, "fcvt.l.d", RV_FXR) X(FCVT_LU_D, "fcvt.lu.d", RV_FXR)                          \
    X(FMV_X_D, "fmv.x.d", RV_FPX) X(FEQ_D, "feq.d", RV_FPX) X(FLT_D, "flt.d", RV_FPX)          \
    X(FLE_D, "fle.d", RV_FPX) X(FCLASS_D, "fclass.d", RV_FPX)                                  \
    X(FCVT_D_W, "fcvt.d.w", RV_FPR) X(FCVT_D_WU, "fcvt.d.wu", RV_FPR)                          \
    X(FCVT_D_L, "fcvt.d.l", RV_FPR) X(FCVT_D_LU, "fcvt.d.lu", RV_FPR)                          \
    X(FMV_D_X, "fmv.d.x", RV_FPF)                                                              \
    /* Zba */                                                                                  \
    X(ADD_UW, "add.uw", RV_XRD) X(SH1ADD, "sh1add", RV_XRD) X(SH2ADD, "sh2add", RV_XRD)        \
    X(SH3ADD, "sh3add", RV_XRD) X(SH1ADD_UW, "sh1add.uw", RV_XRD)                              \
    X(SH2ADD_UW, "sh2add.uw", RV_XRD) X(SH3ADD_UW, "sh3add.uw", RV_XRD)                        \
    X(SLLI_UW, "slli.uw", RV_XRD)                                                              \
    /* Zbb */                                                                                  \
    X(ANDN, "andn", RV_XRD) X(ORN, "orn", RV_XRD) X(XNOR, "xnor", RV_XRD)                      \
    X(CLZ, "clz", RV_XRD) X(CLZW, "clzw", RV_XRD) X(CTZ, "ctz", RV_XRD)                        \
    X(CTZW, "ctzw", RV_XRD) X(CPOP, "cpop", RV_XRD) X(CPOPW, "cpopw", RV_XRD)                  \
    X(MAX, "max", RV_XRD) X(MAXU, "maxu", RV_XRD) X(MIN, "min", RV_XRD) X(MINU, "minu", RV_XRD) \
    X(SEXT_B, "sext.b", RV_XRD) X(SEXT_H, "sext.h", RV_XRD) X(ZEXT_H, "zext.h", RV_XRD)        \
    X(ROL, "rol", RV_XRD) X(ROLW, "rolw", RV_XRD) X(ROR, "ror", RV_XRD)                        \
    X(RORI, "rori", RV_XRD) X(RORIW, "roriw", RV_XRD) X(RORW, "rorw", RV_XRD)                  \
    X(ORC_B, "orc.b", RV_XRD) X(REV8, "rev8", RV_XRD)                                          \
    /* Zbs */                                                                                  \
    X(BCLR, "bclr", RV_XRD) X(BCLRI, "bclri", RV_XRD) X(BEXT, "bext", RV_XRD)                  \
    X(BEXTI, "bexti", RV_XRD) X(BINV, "binv", RV_XRD) X(BINVI, "binvi", RV_XRD)                \
    X(BSET, "bset", RV_XRD) X(BSETI, "bseti", RV_XRD)                                          \
    /* Zbc */                                                                                  \
    X(CLMUL, "clmul", RV_XRD) X(CLMULH, "clmulh", RV_XRD) X(CLMULR, "clmulr", RV_XRD)          \
    /* Zicond */                                                                               \
    X(CZERO_EQZ, "czero.eqz", RV_XRD) X(CZERO_NEZ, "czero.nez", RV_XRD)                      \
    /* Zbkb / Zbkx */                                                                          \
    X(PACK, "pack", RV_XRD) X(PACKH, "packh", RV_XRD) X(PACKW, "packw", RV_XRD)                \
    X(BREV8, "brev8", RV_XRD) X(XPERM4, "xperm4", RV_XRD) X(XPERM8, "xperm8", RV_XRD)          \
    /* Zicbom / Zicboz: base address in rs1 */                                                 \
    X(CBO_INVAL, "cbo.inval", 0) X(CBO_CLEAN, "cbo.clean", 0) X(CBO_FLUSH, "cbo.flush", 0)     \
    X(CBO_ZERO, "cbo.zero", 0)                                                                 \
    /* Svinval */                                                                              \
    X(SINVAL_VMA, "sinval.vma", RV_END) X(SFENCE_W_INVAL, "sfence.w.inval", RV_END)            \
    X(SFENCE_INVAL_IR, "sfence.inval.ir", RV_END)                                              \
    /* Zfhmin: half precision values are NaN-boxed in the f registers */                      \
    X(FLH, "flh", RV_FPF) X(FSH, "fsh", RV_OPF_FP)                                             \
    X(FMV_X_H, "fmv.x.h", RV_FPX) X(FMV_H_X, "fmv.h.x", RV_FPF)                                \
    X(FCVT_S_H, "fcvt.s.h", RV_FPR) X(FCVT_H_S, "fcvt.h.s", RV_FPR)                            \
    X(FCVT_D_H, "fcvt.d.h", RV_FPR) X(FCVT_H_D, "fcvt.h.d", RV_FPR)                            \
    /* Zfh: half precision arithmetic */                                                       \
    X(FMADD_H, "fmadd.h", RV_FPR) X(FMSUB_H, "fmsub.h", RV_FPR)                                \
    X(FNMSUB_H, "fnmsub.h", RV_FPR) X(FNMADD_H, "fnmadd.h", RV_FPR)                            \
    X(FADD_H, "fadd.h", RV_FPR) X(FSUB_H, "fsub.h", RV_FPR) X(FMUL_H, "fmul.h", RV_FPR)        \
    X(FDIV_H, "fdiv.h", RV_FPR) X(FSQRT_H, "fsqrt.h", RV_FPR)                                  \
    X(FSGNJ_H, "fsgnj.h", RV_FPF) X(FSGNJN_H, "fsgnjn.h", RV_FPF)                              \
    X(FSGNJX_H, "fsgnjx.h", RV_FPF) X(FMIN_H, "fmin.h", RV_FPF) X(FMAX_H, "fmax.h", RV_FPF)    \
    X(FCVT_W_H, "fcvt.w.h", RV_FXR) X(FCVT_WU_H, "fcvt.wu.h", RV_FXR)                          \
    X(FCVT_L_H, "fcvt.l.h", RV_FXR) X(FCVT_LU_H, "fcvt.lu.h", RV_FXR)                          \
    X(FEQ_H, "feq.h", RV_FPX) X(FLT_H, "flt.h", RV_FPX) X(FLE_H, "fle.h", RV_FPX)              \
    X(FCLASS_H, "fclass.h", RV_FPX)                                                            \
    X(FCVT_H_W, "fcvt.h.w", RV_FPR) X(FCVT_H_WU, "fcvt.h.wu", RV_FPR)                          \
    X(FCVT_H_L, "fcvt.h.l", RV_FPR) X(FCVT_H_LU, "fcvt.h.lu", RV_FPR)

typedef enum rv_op {
#define RV_OP_ENUM(name, mn, fl) RV_OP_##name,
    RV_OP_LIST(RV_OP_ENUM)
#undef RV_OP_ENUM
    RV_OP_COUNT
} rv_op;

/* One decoded instruction. Register fields are 0..31, except that an
 * integer destination x0 becomes 32 (the sink slot of rv_cpu.x). */
typedef struct rv_insn {
    uint16_t op;   /* rv_op */
    uint8_t rd, rs1, rs2, rs3;
    uint8_t rm;    /* FP rounding mode field (ops with RV_OPF_RM) */
    uint8_t len;   /* 2 or 4 */
    uint16_t csr;  /* CSR number (Zicsr) */
    int64_t imm;   /* sign-extended immediate; shift amount for shifts */
    uint32_t bits; /* the raw encoding (16-bit ones zero-extended) */
} rv_insn;

/* Length in bytes of the instruction whose low 16 bits are `lo`
 * (2 for compressed, 4 otherwise; longer encodings are illegal here). */
static inline int rv_insn_len(uint32_t lo) { return (lo & 3) == 3 ? 4 : 2; }

/* Decode one instruction: `bits` holds 16 or 32 significant bits (the
 * length is taken from the low two bits). Returns the length (2 or 4);
 * out->op is RV_OP_ILLEGAL for reserved / unsupported encodings. */
int rv_decode(uint32_t bits, rv_insn *out);

/* Walks the instructions of one block as every engine forms blocks (so the
 * interpreter and the JIT stop at the same boundaries): at most `max`
 * instructions, ending after an operation with RV_OPF_END, and before an
 * instruction that does not fit in the `avail` bytes left in the page.
 * Set code/avail/max and zero the rest, then call rv_block_next until it
 * returns false; `off` is then the block's length and `n` its count. */
typedef struct rv_block_scan {
    const uint8_t *code;
    size_t avail;
    uint32_t max;
    uint32_t off, n;
    bool ended; /* the last instruction ends the block */
} rv_block_scan;

/* Next instruction into *d (its offset from the block start in *off). */
bool rv_block_next(rv_block_scan *s, rv_insn *d, uint32_t *off);

/* Mnemonic and flags of an operation (for debugging and the JIT). */
const char *rv_op_name(unsigned op);
unsigned rv_op_flags(unsigned op);

#endif
