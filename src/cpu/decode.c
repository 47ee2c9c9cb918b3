/* RISC-V decoder: 32-bit encodings and RV64C expansion. */
#include "decode.h"

#include <string.h>

static const char *const op_names[RV_OP_COUNT] = {
#define RV_OP_NAME(name, mn, fl) [RV_OP_##name] = mn,
    RV_OP_LIST(RV_OP_NAME)
#undef RV_OP_NAME
};

static const uint8_t op_flags[RV_OP_COUNT] = {
#define RV_OP_FLAGS(name, mn, fl) [RV_OP_##name] = (fl),
    RV_OP_LIST(RV_OP_FLAGS)
#undef RV_OP_FLAGS
};

const char *rv_op_name(unsigned op) { return op < RV_OP_COUNT ? op_names[op] : "?"; }
unsigned rv_op_flags(unsigned op) { return op < RV_OP_COUNT ? op_flags[op] : 0; }

/* Bit-field helpers. */
#define BITS(v, hi, lo) (((v) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))
#define BIT(v, n) (((v) >> (n)) & 1u)

static inline int64_t sext(uint64_t v, int width)
{
    return (int64_t)(v << (64 - width)) >> (64 - width);
}

/* ---------------------------------------------------------------- 32-bit */

static rv_op dec_op_imm(uint32_t b, uint32_t f3, int64_t *imm)
{
    uint32_t i12 = BITS(b, 31, 20), f6 = BITS(b, 31, 26);
    switch (f3) {
    case 0: return RV_OP_ADDI;
    case 2: return RV_OP_SLTI;
    case 3: return RV_OP_SLTIU;
    case 4: return RV_OP_XORI;
    case 6: return RV_OP_ORI;
    case 7: return RV_OP_ANDI;
    case 1:
        *imm = BITS(b, 25, 20);
        switch (f6) {
        case 0x00: return RV_OP_SLLI;
        case 0x0a: return RV_OP_BSETI;
        case 0x12: return RV_OP_BCLRI;
        case 0x1a: return RV_OP_BINVI;
        }
        switch (i12) {
        case 0x600: return RV_OP_CLZ;
        case 0x601: return RV_OP_CTZ;
        case 0x602: return RV_OP_CPOP;
        case 0x604: return RV_OP_SEXT_B;
        case 0x605: return RV_OP_SEXT_H;
        }
        return RV_OP_ILLEGAL;
    case 5:
        *imm = BITS(b, 25, 20);
        switch (f6) {
        case 0x00: return RV_OP_SRLI;
        case 0x10: return RV_OP_SRAI;
        case 0x18: return RV_OP_RORI;
        case 0x12: return RV_OP_BEXTI;
        }
        if (i12 == 0x287)
            return RV_OP_ORC_B;
        if (i12 == 0x6b8)
            return RV_OP_REV8;
        if (i12 == 0x687)
            return RV_OP_BREV8;
        return RV_OP_ILLEGAL;
    }
    return RV_OP_ILLEGAL;
}

static rv_op dec_op_imm32(uint32_t b, uint32_t f3, int64_t *imm)
{
    uint32_t f7 = BITS(b, 31, 25), i12 = BITS(b, 31, 20);
    switch (f3) {
    case 0: return RV_OP_ADDIW;
    case 1:
        if (BITS(b, 31, 26) == 0x02) {
            *imm = BITS(b, 25, 20);
            return RV_OP_SLLI_UW;
        }
        *imm = BITS(b, 24, 20);
        if (f7 == 0x00)
            return RV_OP_SLLIW;
        switch (i12) {
        case 0x600: return RV_OP_CLZW;
        case 0x601: return RV_OP_CTZW;
        case 0x602: return RV_OP_CPOPW;
        }
        return RV_OP_ILLEGAL;
    case 5:
        *imm = BITS(b, 24, 20);
        switch (f7) {
        case 0x00: return RV_OP_SRLIW;
        case 0x20: return RV_OP_SRAIW;
        case 0x30: return RV_OP_RORIW;
        }
        return RV_OP_ILLEGAL;
    }
    return RV_OP_ILLEGAL;
}

static rv_op dec_op(uint32_t f7, uint32_t f3)
{
    static const rv_op base[8] = {RV_OP_ADD, RV_OP_SLL, RV_OP_SLT, RV_OP_SLTU,
                                  RV_OP_XOR, RV_OP_SRL, RV_OP_OR, RV_OP_AND};
    static const rv_op muldiv[8] = {RV_OP_MUL, RV_OP_MULH, RV_OP_MULHSU, RV_OP_MULHU,
                                    RV_OP_DIV, RV_OP_DIVU, RV_OP_REM, RV_OP_REMU};
    static const rv_op f7_05[8] = {RV_OP_ILLEGAL, RV_OP_CLMUL, RV_OP_CLMULR, RV_OP_CLMULH,
                                   RV_OP_MIN, RV_OP_MINU, RV_OP_MAX, RV_OP_MAXU};
    switch (f7) {
    case 0x00: return base[f3];
    case 0x01: return muldiv[f3];
    case 0x05: return f7_05[f3];
    case 0x20:
        switch (f3) {
        case 0: return RV_OP_SUB;
        case 4: return RV_OP_XNOR;
        case 5: return RV_OP_SRA;
        case 6: return RV_OP_ORN;
        case 7: return RV_OP_ANDN;
        }
        return RV_OP_ILLEGAL;
    case 0x10:
        return f3 == 2 ? RV_OP_SH1ADD : f3 == 4 ? RV_OP_SH2ADD : f3 == 6 ? RV_OP_SH3ADD : RV_OP_ILLEGAL;
    case 0x30: return f3 == 1 ? RV_OP_ROL : f3 == 5 ? RV_OP_ROR : RV_OP_ILLEGAL;
    case 0x24: return f3 == 1 ? RV_OP_BCLR : f3 == 5 ? RV_OP_BEXT : RV_OP_ILLEGAL;
    case 0x34: return f3 == 1 ? RV_OP_BINV : RV_OP_ILLEGAL;
    case 0x14: return f3 == 1 ? RV_OP_BSET : f3 == 2 ? RV_OP_XPERM4 : f3 == 4 ? RV_OP_XPERM8 : RV_OP_ILLEGAL;
    case 0x04: return f3 == 4 ? RV_OP_PACK : f3 == 7 ? RV_OP_PACKH : RV_OP_ILLEGAL;
    case 0x07: return f3 == 5 ? RV_OP_CZERO_EQZ : f3 == 7 ? RV_OP_CZERO_NEZ : RV_OP_ILLEGAL;
    }
    return RV_OP_ILLEGAL;
}

static rv_op dec_op32(uint32_t f7, uint32_t f3, uint32_t rs2)
{
    switch (f7) {
    case 0x00: return f3 == 0 ? RV_OP_ADDW : f3 == 1 ? RV_OP_SLLW : f3 == 5 ? RV_OP_SRLW : RV_OP_ILLEGAL;
    case 0x20: return f3 == 0 ? RV_OP_SUBW : f3 == 5 ? RV_OP_SRAW : RV_OP_ILLEGAL;
    case 0x01:
        switch (f3) {
        case 0: return RV_OP_MULW;
        case 4: return RV_OP_DIVW;
        case 5: return RV_OP_DIVUW;
        case 6: return RV_OP_REMW;
        case 7: return RV_OP_REMUW;
        }
        return RV_OP_ILLEGAL;
    case 0x04:
        if (f3 == 0)
            return RV_OP_ADD_UW;
        if (f3 == 4) /* zext.h is packw with rs2 = x0 */
            return rs2 == 0 ? RV_OP_ZEXT_H : RV_OP_PACKW;
        return RV_OP_ILLEGAL;
    case 0x10:
        return f3 == 2 ? RV_OP_SH1ADD_UW : f3 == 4 ? RV_OP_SH2ADD_UW : f3 == 6 ? RV_OP_SH3ADD_UW : RV_OP_ILLEGAL;
    case 0x30: return f3 == 1 ? RV_OP_ROLW : f3 == 5 ? RV_OP_RORW : RV_OP_ILLEGAL;
    }
    return RV_OP_ILLEGAL;
}

static rv_op dec_amo(uint32_t b, uint32_t f3)
{
    static const rv_op w[32] = {
        [0x00] = RV_OP_AMOADD_W, [0x01] = RV_OP_AMOSWAP_W, [0x02] = RV_OP_LR_W,
        [0x03] = RV_OP_SC_W,     [0x04] = RV_OP_AMOXOR_W,  [0x0c] = RV_OP_AMOAND_W,
        [0x08] = RV_OP_AMOOR_W,  [0x10] = RV_OP_AMOMIN_W,  [0x14] = RV_OP_AMOMAX_W,
        [0x18] = RV_OP_AMOMINU_W, [0x1c] = RV_OP_AMOMAXU_W,
    };
    uint32_t f5 = BITS(b, 31, 27);
    if (f3 != 2 && f3 != 3)
        return RV_OP_ILLEGAL;
    if (f5 == 0x02 && BITS(b, 24, 20) != 0)
        return RV_OP_ILLEGAL; /* lr with rs2 != 0 is reserved */
    rv_op op = w[f5];
    if (op == RV_OP_ILLEGAL || f3 == 2)
        return op;
    return (rv_op)(op - RV_OP_LR_W + RV_OP_LR_D); /* the .d forms are laid out alike */
}

/* OP-FP with fmt = 2 (half precision, Zfh). */
static rv_op dec_op_fp_half(uint32_t f5, uint32_t f3, uint32_t rs2, int *uses_rm)
{
    static const rv_op to_int[4] = {RV_OP_FCVT_W_H, RV_OP_FCVT_WU_H, RV_OP_FCVT_L_H, RV_OP_FCVT_LU_H};
    static const rv_op from_int[4] = {RV_OP_FCVT_H_W, RV_OP_FCVT_H_WU, RV_OP_FCVT_H_L, RV_OP_FCVT_H_LU};
    switch (f5) {
    case 0x00: *uses_rm = 1; return RV_OP_FADD_H;
    case 0x01: *uses_rm = 1; return RV_OP_FSUB_H;
    case 0x02: *uses_rm = 1; return RV_OP_FMUL_H;
    case 0x03: *uses_rm = 1; return RV_OP_FDIV_H;
    case 0x0b: *uses_rm = 1; return rs2 == 0 ? RV_OP_FSQRT_H : RV_OP_ILLEGAL;
    case 0x04:
        return f3 == 0 ? RV_OP_FSGNJ_H : f3 == 1 ? RV_OP_FSGNJN_H : f3 == 2 ? RV_OP_FSGNJX_H : RV_OP_ILLEGAL;
    case 0x05: return f3 == 0 ? RV_OP_FMIN_H : f3 == 1 ? RV_OP_FMAX_H : RV_OP_ILLEGAL;
    case 0x08: /* fcvt.h.s (rs2 = 0) / fcvt.h.d (rs2 = 1) */
        *uses_rm = 1;
        return rs2 == 0 ? RV_OP_FCVT_H_S : rs2 == 1 ? RV_OP_FCVT_H_D : RV_OP_ILLEGAL;
    case 0x14: return f3 == 0 ? RV_OP_FLE_H : f3 == 1 ? RV_OP_FLT_H : f3 == 2 ? RV_OP_FEQ_H : RV_OP_ILLEGAL;
    case 0x18: *uses_rm = 1; return rs2 < 4 ? to_int[rs2] : RV_OP_ILLEGAL;
    case 0x1a: *uses_rm = 1; return rs2 < 4 ? from_int[rs2] : RV_OP_ILLEGAL;
    case 0x1c:
        if (rs2 != 0)
            return RV_OP_ILLEGAL;
        return f3 == 0 ? RV_OP_FMV_X_H : f3 == 1 ? RV_OP_FCLASS_H : RV_OP_ILLEGAL;
    case 0x1e: return rs2 == 0 && f3 == 0 ? RV_OP_FMV_H_X : RV_OP_ILLEGAL;
    }
    return RV_OP_ILLEGAL;
}

/* OP-FP (opcode 0x53). `dbl` selects the D form (fmt = 1). */
static rv_op dec_op_fp(uint32_t b, int *uses_rm)
{
    uint32_t f7 = BITS(b, 31, 25), f3 = BITS(b, 14, 12), rs2 = BITS(b, 24, 20);
    uint32_t fmt = f7 & 3, f5 = f7 >> 2;
    int d = fmt == 1;
    *uses_rm = 0;
    if (fmt == 2)
        return dec_op_fp_half(f5, f3, rs2, uses_rm);
    if (fmt > 1)
        return RV_OP_ILLEGAL;
#define SD(s, dd) (d ? RV_OP_##dd : RV_OP_##s)
    switch (f5) {
    case 0x00: *uses_rm = 1; return SD(FADD_S, FADD_D);
    case 0x01: *uses_rm = 1; return SD(FSUB_S, FSUB_D);
    case 0x02: *uses_rm = 1; return SD(FMUL_S, FMUL_D);
    case 0x03: *uses_rm = 1; return SD(FDIV_S, FDIV_D);
    case 0x0b:
        *uses_rm = 1;
        return rs2 == 0 ? SD(FSQRT_S, FSQRT_D) : RV_OP_ILLEGAL;
    case 0x04:
        switch (f3) {
        case 0: return SD(FSGNJ_S, FSGNJ_D);
        case 1: return SD(FSGNJN_S, FSGNJN_D);
        case 2: return SD(FSGNJX_S, FSGNJX_D);
        }
        return RV_OP_ILLEGAL;
    case 0x05:
        return f3 == 0 ? SD(FMIN_S, FMIN_D) : f3 == 1 ? SD(FMAX_S, FMAX_D) : RV_OP_ILLEGAL;
    case 0x08: /* fcvt.s.d (fmt S, rs2 = 1) / fcvt.d.s (fmt D, rs2 = 0) */
        *uses_rm = 1;
        if (rs2 == 2)
            return SD(FCVT_S_H, FCVT_D_H);
        if (!d && rs2 == 1)
            return RV_OP_FCVT_S_D;
        if (d && rs2 == 0)
            return RV_OP_FCVT_D_S;
        return RV_OP_ILLEGAL;
    case 0x14:
        switch (f3) {
        case 0: return SD(FLE_S, FLE_D);
        case 1: return SD(FLT_S, FLT_D);
        case 2: return SD(FEQ_S, FEQ_D);
        }
        return RV_OP_ILLEGAL;
    case 0x18:
        *uses_rm = 1;
        switch (rs2) {
        case 0: return SD(FCVT_W_S, FCVT_W_D);
        case 1: return SD(FCVT_WU_S, FCVT_WU_D);
        case 2: return SD(FCVT_L_S, FCVT_L_D);
        case 3: return SD(FCVT_LU_S, FCVT_LU_D);
        }
        return RV_OP_ILLEGAL;
    case 0x1a:
        *uses_rm = 1;
        switch (rs2) {
        case 0: return SD(FCVT_S_W, FCVT_D_W);
        case 1: return SD(FCVT_S_WU, FCVT_D_WU);
        case 2: return SD(FCVT_S_L, FCVT_D_L);
        case 3: return SD(FCVT_S_LU, FCVT_D_LU);
        }
        return RV_OP_ILLEGAL;
    case 0x1c:
        if (rs2 != 0)
            return RV_OP_ILLEGAL;
        return f3 == 0 ? SD(FMV_X_W, FMV_X_D) : f3 == 1 ? SD(FCLASS_S, FCLASS_D) : RV_OP_ILLEGAL;
    case 0x1e:
        return rs2 == 0 && f3 == 0 ? SD(FMV_W_X, FMV_D_X) : RV_OP_ILLEGAL;
    }
#undef SD
    return RV_OP_ILLEGAL;
}

/* Zicbom / Zicboz (MISC-MEM, funct3 2, rd = 0): the operation is in imm[11:0]. */
static rv_op dec_cbo(uint32_t i12)
{
    switch (i12) {
    case 0: return RV_OP_CBO_INVAL;
    case 1: return RV_OP_CBO_CLEAN;
    case 2: return RV_OP_CBO_FLUSH;
    case 4: return RV_OP_CBO_ZERO;
    }
    return RV_OP_ILLEGAL;
}

static rv_op dec_system(uint32_t b, uint32_t f3, rv_insn *o)
{
    if (f3 == 0) {
        switch (b) {
        case 0x00000073: return RV_OP_ECALL;
        case 0x00100073: return RV_OP_EBREAK;
        case 0x30200073: return RV_OP_MRET;
        case 0x10200073: return RV_OP_SRET;
        case 0x10500073: return RV_OP_WFI;
        }
        if (BITS(b, 31, 25) == 0x09 && BITS(b, 11, 7) == 0)
            return RV_OP_SFENCE_VMA;
        if (BITS(b, 31, 25) == 0x0b && BITS(b, 11, 7) == 0)
            return RV_OP_SINVAL_VMA;
        if (b == 0x18000073)
            return RV_OP_SFENCE_W_INVAL;
        if (b == 0x18100073)
            return RV_OP_SFENCE_INVAL_IR;
        return RV_OP_ILLEGAL;
    }
    o->csr = (uint16_t)BITS(b, 31, 20);
    switch (f3) {
    case 1: return RV_OP_CSRRW;
    case 2: return RV_OP_CSRRS;
    case 3: return RV_OP_CSRRC;
    case 5: return RV_OP_CSRRWI;
    case 6: return RV_OP_CSRRSI;
    case 7: return RV_OP_CSRRCI;
    }
    return RV_OP_ILLEGAL;
}

static void decode32(uint32_t b, rv_insn *o)
{
    uint32_t opc = BITS(b, 6, 0), f3 = BITS(b, 14, 12);
    int64_t i_imm = sext(b >> 20, 12);
    int64_t s_imm = sext((BITS(b, 31, 25) << 5) | BITS(b, 11, 7), 12);
    int uses_rm = 0;
    rv_op op = RV_OP_ILLEGAL;

    o->rd = (uint8_t)BITS(b, 11, 7);
    o->rs1 = (uint8_t)BITS(b, 19, 15);
    o->rs2 = (uint8_t)BITS(b, 24, 20);
    o->rs3 = (uint8_t)BITS(b, 31, 27);
    o->rm = (uint8_t)f3;

    switch (opc) {
    case 0x37: op = RV_OP_LUI; o->imm = (int32_t)(b & 0xfffff000u); break;
    case 0x17: op = RV_OP_AUIPC; o->imm = (int32_t)(b & 0xfffff000u); break;
    case 0x6f:
        op = RV_OP_JAL;
        o->imm = sext((BIT(b, 31) << 20) | (BITS(b, 19, 12) << 12) | (BIT(b, 20) << 11) |
                          (BITS(b, 30, 21) << 1),
                      21);
        break;
    case 0x67:
        if (f3 == 0) {
            op = RV_OP_JALR;
            o->imm = i_imm;
        }
        break;
    case 0x63: {
        static const rv_op br[8] = {RV_OP_BEQ, RV_OP_BNE, RV_OP_ILLEGAL, RV_OP_ILLEGAL,
                                    RV_OP_BLT, RV_OP_BGE, RV_OP_BLTU, RV_OP_BGEU};
        op = br[f3];
        o->imm = sext((BIT(b, 31) << 12) | (BIT(b, 7) << 11) | (BITS(b, 30, 25) << 5) |
                          (BITS(b, 11, 8) << 1),
                      13);
        break;
    }
    case 0x03: {
        static const rv_op ld[8] = {RV_OP_LB,  RV_OP_LH,  RV_OP_LW,  RV_OP_LD,
                                    RV_OP_LBU, RV_OP_LHU, RV_OP_LWU, RV_OP_ILLEGAL};
        op = ld[f3];
        o->imm = i_imm;
        break;
    }
    case 0x23: {
        static const rv_op st[8] = {RV_OP_SB, RV_OP_SH, RV_OP_SW, RV_OP_SD};
        op = f3 < 4 ? st[f3] : RV_OP_ILLEGAL;
        o->imm = s_imm;
        break;
    }
    case 0x13:
        o->imm = i_imm;
        op = dec_op_imm(b, f3, &o->imm);
        break;
    case 0x1b:
        o->imm = i_imm;
        op = dec_op_imm32(b, f3, &o->imm);
        break;
    case 0x33: op = dec_op(BITS(b, 31, 25), f3); break;
    case 0x3b: op = dec_op32(BITS(b, 31, 25), f3, o->rs2); break;
    case 0x0f:
        if (f3 == 0)
            op = RV_OP_FENCE;
        else if (f3 == 1)
            op = RV_OP_FENCE_I;
        else if (f3 == 2 && BITS(b, 11, 7) == 0)
            op = dec_cbo(BITS(b, 31, 20));
        break;
    case 0x73: op = dec_system(b, f3, o); break;
    case 0x2f: op = dec_amo(b, f3); break;
    case 0x07:
        op = f3 == 1 ? RV_OP_FLH : f3 == 2 ? RV_OP_FLW : f3 == 3 ? RV_OP_FLD : RV_OP_ILLEGAL;
        o->imm = i_imm;
        break;
    case 0x27:
        op = f3 == 1 ? RV_OP_FSH : f3 == 2 ? RV_OP_FSW : f3 == 3 ? RV_OP_FSD : RV_OP_ILLEGAL;
        o->imm = s_imm;
        break;
    case 0x43: case 0x47: case 0x4b: case 0x4f: {
        static const rv_op fs[4] = {RV_OP_FMADD_S, RV_OP_FMSUB_S, RV_OP_FNMSUB_S, RV_OP_FNMADD_S};
        static const rv_op fd[4] = {RV_OP_FMADD_D, RV_OP_FMSUB_D, RV_OP_FNMSUB_D, RV_OP_FNMADD_D};
        static const rv_op fh[4] = {RV_OP_FMADD_H, RV_OP_FMSUB_H, RV_OP_FNMSUB_H, RV_OP_FNMADD_H};
        uint32_t fmt = BITS(b, 26, 25), k = (opc - 0x43) >> 2;
        op = fmt == 0 ? fs[k] : fmt == 1 ? fd[k] : fmt == 2 ? fh[k] : RV_OP_ILLEGAL;
        uses_rm = 1;
        break;
    }
    case 0x53: op = dec_op_fp(b, &uses_rm); break;
    }
    if (uses_rm && (f3 == 5 || f3 == 6))
        op = RV_OP_ILLEGAL; /* reserved rounding modes */
    o->op = (uint16_t)op;
}

/* ---------------------------------------------------------------- 16-bit */

/* Registers x8..x15 of the 3-bit compressed fields. */
#define CR(v, hi) ((uint8_t)(8 + BITS(v, hi, hi - 2)))

static void set_op(rv_insn *o, rv_op op, unsigned rd, unsigned rs1, unsigned rs2, int64_t imm)
{
    o->op = (uint16_t)op;
    o->rd = (uint8_t)rd;
    o->rs1 = (uint8_t)rs1;
    o->rs2 = (uint8_t)rs2;
    o->imm = imm;
}

static void decode16_q0(uint32_t c, rv_insn *o)
{
    uint32_t f3 = BITS(c, 15, 13);
    /* Offsets: lw/sw scale 4, ld/sd/fld/fsd scale 8. */
    uint32_t off_w = (BITS(c, 12, 10) << 3) | (BIT(c, 6) << 2) | (BIT(c, 5) << 6);
    uint32_t off_d = (BITS(c, 12, 10) << 3) | (BITS(c, 6, 5) << 6);
    uint8_t rdp = CR(c, 4), rs1p = CR(c, 9);
    switch (f3) {
    case 0: {
        uint32_t imm = (BITS(c, 12, 11) << 4) | (BITS(c, 10, 7) << 6) | (BIT(c, 6) << 2) |
                       (BIT(c, 5) << 3);
        if (imm != 0)
            set_op(o, RV_OP_ADDI, rdp, 2, 0, imm); /* c.addi4spn */
        break;
    }
    case 1: set_op(o, RV_OP_FLD, rdp, rs1p, 0, off_d); break;
    case 2: set_op(o, RV_OP_LW, rdp, rs1p, 0, off_w); break;
    case 3: set_op(o, RV_OP_LD, rdp, rs1p, 0, off_d); break;
    case 5: set_op(o, RV_OP_FSD, 0, rs1p, rdp, off_d); break;
    case 6: set_op(o, RV_OP_SW, 0, rs1p, rdp, off_w); break;
    case 7: set_op(o, RV_OP_SD, 0, rs1p, rdp, off_d); break;
    }
}

static void decode16_q1(uint32_t c, rv_insn *o)
{
    uint32_t f3 = BITS(c, 15, 13);
    unsigned rd = BITS(c, 11, 7);
    int64_t imm6 = sext((BIT(c, 12) << 5) | BITS(c, 6, 2), 6);
    uint8_t rdp = CR(c, 9), rs2p = CR(c, 4);
    switch (f3) {
    case 0: set_op(o, RV_OP_ADDI, rd, rd, 0, imm6); break; /* c.addi / c.nop */
    case 1:
        if (rd != 0)
            set_op(o, RV_OP_ADDIW, rd, rd, 0, imm6);
        break;
    case 2: set_op(o, RV_OP_ADDI, rd, 0, 0, imm6); break; /* c.li */
    case 3:
        if (rd == 2) {
            int64_t imm = sext((BIT(c, 12) << 9) | (BIT(c, 6) << 4) | (BIT(c, 5) << 6) |
                                   (BITS(c, 4, 3) << 7) | (BIT(c, 2) << 5),
                               10);
            if (imm != 0)
                set_op(o, RV_OP_ADDI, 2, 2, 0, imm); /* c.addi16sp */
        } else if (imm6 != 0) {
            set_op(o, RV_OP_LUI, rd, 0, 0, imm6 * 4096); /* c.lui */
        }
        break;
    case 4: {
        uint32_t f2 = BITS(c, 11, 10);
        uint32_t shamt = (BIT(c, 12) << 5) | BITS(c, 6, 2);
        if (f2 == 0) {
            set_op(o, RV_OP_SRLI, rdp, rdp, 0, shamt);
        } else if (f2 == 1) {
            set_op(o, RV_OP_SRAI, rdp, rdp, 0, shamt);
        } else if (f2 == 2) {
            set_op(o, RV_OP_ANDI, rdp, rdp, 0, imm6);
        } else {
            static const rv_op ops[8] = {RV_OP_SUB,  RV_OP_XOR,  RV_OP_OR,      RV_OP_AND,
                                         RV_OP_SUBW, RV_OP_ADDW, RV_OP_ILLEGAL, RV_OP_ILLEGAL};
            rv_op op = ops[(BIT(c, 12) << 2) | BITS(c, 6, 5)];
            if (op != RV_OP_ILLEGAL)
                set_op(o, op, rdp, rdp, rs2p, 0);
        }
        break;
    }
    case 5: {
        int64_t imm = sext((BIT(c, 12) << 11) | (BIT(c, 11) << 4) | (BITS(c, 10, 9) << 8) |
                               (BIT(c, 8) << 10) | (BIT(c, 7) << 6) | (BIT(c, 6) << 7) |
                               (BITS(c, 5, 3) << 1) | (BIT(c, 2) << 5),
                           12);
        set_op(o, RV_OP_JAL, 0, 0, 0, imm); /* c.j */
        break;
    }
    case 6:
    case 7: {
        int64_t imm = sext((BIT(c, 12) << 8) | (BITS(c, 11, 10) << 3) | (BITS(c, 6, 5) << 6) |
                               (BITS(c, 4, 3) << 1) | (BIT(c, 2) << 5),
                           9);
        set_op(o, f3 == 6 ? RV_OP_BEQ : RV_OP_BNE, 0, rdp, 0, imm);
        break;
    }
    }
}

static void decode16_q2(uint32_t c, rv_insn *o)
{
    uint32_t f3 = BITS(c, 15, 13);
    unsigned rd = BITS(c, 11, 7), rs2 = BITS(c, 6, 2);
    uint32_t off_lw = (BIT(c, 12) << 5) | (BITS(c, 6, 4) << 2) | (BITS(c, 3, 2) << 6);
    uint32_t off_ld = (BIT(c, 12) << 5) | (BITS(c, 6, 5) << 3) | (BITS(c, 4, 2) << 6);
    uint32_t off_sw = (BITS(c, 12, 9) << 2) | (BITS(c, 8, 7) << 6);
    uint32_t off_sd = (BITS(c, 12, 10) << 3) | (BITS(c, 9, 7) << 6);
    switch (f3) {
    case 0: set_op(o, RV_OP_SLLI, rd, rd, 0, (BIT(c, 12) << 5) | rs2); break;
    case 1: set_op(o, RV_OP_FLD, rd, 2, 0, off_ld); break;
    case 2:
        if (rd != 0)
            set_op(o, RV_OP_LW, rd, 2, 0, off_lw);
        break;
    case 3:
        if (rd != 0)
            set_op(o, RV_OP_LD, rd, 2, 0, off_ld);
        break;
    case 4:
        if (!BIT(c, 12)) {
            if (rs2 == 0) {
                if (rd != 0)
                    set_op(o, RV_OP_JALR, 0, rd, 0, 0); /* c.jr */
            } else {
                set_op(o, RV_OP_ADDI, rd, rs2, 0, 0); /* c.mv */
            }
        } else if (rs2 == 0) {
            if (rd == 0)
                set_op(o, RV_OP_EBREAK, 0, 0, 0, 0);
            else
                set_op(o, RV_OP_JALR, 1, rd, 0, 0); /* c.jalr */
        } else {
            set_op(o, RV_OP_ADD, rd, rd, rs2, 0);
        }
        break;
    case 5: set_op(o, RV_OP_FSD, 0, 2, rs2, off_sd); break;
    case 6: set_op(o, RV_OP_SW, 0, 2, rs2, off_sw); break;
    case 7: set_op(o, RV_OP_SD, 0, 2, rs2, off_sd); break;
    }
}

/* ---------------------------------------------------------------- entry */

int rv_decode(uint32_t bits, rv_insn *out)
{
    memset(out, 0, sizeof(*out));
    if ((bits & 3) == 3) {
        out->len = 4;
        out->bits = bits;
        decode32(bits, out);
    } else {
        uint32_t c = bits & 0xffff;
        out->len = 2;
        out->bits = c;
        out->op = RV_OP_ILLEGAL;
        switch (c & 3) {
        case 0: decode16_q0(c, out); break;
        case 1: decode16_q1(c, out); break;
        case 2: decode16_q2(c, out); break;
        }
    }
    if (out->op == RV_OP_ILLEGAL) {
        out->rd = out->rs1 = out->rs2 = out->rs3 = 0;
        out->imm = 0;
    } else if ((op_flags[out->op] & RV_OPF_XRD) && out->rd == 0) {
        out->rd = 32; /* writes to x0 go to the sink slot */
    }
    return out->len;
}

bool rv_block_next(rv_block_scan *s, rv_insn *d, uint32_t *off)
{
    uint16_t lo, hi = 0;
    if (s->ended || s->n >= s->max || s->off + 2 > s->avail)
        return false;
    memcpy(&lo, s->code + s->off, 2);
    if (rv_insn_len(lo) == 4) {
        if (s->off + 4 > s->avail)
            return false;
        memcpy(&hi, s->code + s->off + 2, 2);
    }
    rv_decode(lo | (uint32_t)hi << 16, d);
    *off = s->off;
    s->off += d->len;
    s->n++;
    s->ended = (rv_op_flags(d->op) & RV_OPF_END) != 0;
    return true;
}
