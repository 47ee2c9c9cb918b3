/* The JIT's intermediate form: what the front end (guest RISC-V, lowered by
 * frontend.c) hands to a host backend (x86_64/, later aarch64/).
 *
 * A block is a list of simple operations on 64-bit values. Operands are
 * guest integer registers (IR_X(n), n = 0..31; reading x0 gives 0, writing
 * IR_X(0) discards), guest FP registers (IR_F(n), only in FP operations),
 * block temporaries (IR_T(n)) or, for the second source, an immediate.
 * Every guest instruction starts with an IR_INSN marker so that the backend
 * knows the pc and the block index to report when a later operation traps. */
#ifndef SPLITVM_JIT_IR_H
#define SPLITVM_JIT_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "../cpu/cpu.h"

#define IR_X(n) ((uint8_t)(n))
#define IR_F(n) ((uint8_t)(32 + (n)))
#define IR_T(n) ((uint8_t)(64 + (n)))
#define IR_TEMPS 4
#define IR_IS_X(v) ((v) < 32)
#define IR_IS_F(v) ((v) >= 32 && (v) < 64)
#define IR_IS_T(v) ((v) >= 64)

/* Operations. "W" forms compute on the low 32 bits and sign-extend. */
#define IR_OP_LIST(X)                                                                          \
    X(INSN)      /* imm = guest pc; a, b = index in block (ir_index: instret bookkeeping) */   \
    X(MOV)       /* d = b */                                                                   \
    X(ADD) X(SUB) X(AND) X(OR) X(XOR) X(SHL) X(SHR) X(SAR)                                     \
    X(ADDW) X(SUBW) X(SHLW) X(SHRW) X(SARW)                                                    \
    X(SLT) X(SLTU) X(MUL) X(MULW) X(MULH) X(MULHU)                                             \
    X(ANDN) X(ORN) X(XNOR) X(MIN) X(MAX) X(MINU) X(MAXU) X(ROL) X(ROR) X(ROLW) X(RORW)         \
    X(CZEQZ)     /* d = b == 0 ? 0 : a */                                                      \
    X(CZNEZ)     /* d = b != 0 ? 0 : a */                                                      \
    X(SEXTB) X(SEXTH) X(SEXTW) X(ZEXTH) X(ZEXTW) /* d = ext(a) */                              \
    X(CLZ) X(CLZW) X(CTZ) X(CTZW) X(CPOP) X(CPOPW) X(REV8)                                     \
    X(CALL2)     /* d = fn(a, b): pure helper, no traps, no cpu access */                       \
    X(LOAD)      /* d = mem[a + imm], size/sign; d may be IR_F (NaN-box 4-byte) */              \
    X(STORE)     /* mem[a + imm] = b (low size bytes); b may be IR_F */                        \
    X(FPCALL)    /* d = fn(cpu, a, b, c, rm): FP helper; may write fflags; FP dirty if d is F */ \
    X(ATOMIC)    /* d = atomic op imm (an RV_OP_ LR/SC/AMO) at address a, source b; may trap */ \
    X(FFLAGS)    /* d = fflags; nargs: also write it from b (size: 0 =, 1 |=, 2 &= ~); */     \
                 /* size IR_FFLAGS_FRM: d = frm, nothing written */                            \
    X(CSR)       /* d = CSR instruction imm (jit_helpers.h: JIT_CSR_*) with source a; may trap */ \
    X(SYS)       /* d = pc after sret/mret/sfence.vma (imm: jit_system) of a, b; may trap */  \
    X(BRANCH)    /* if (a cond b) goto target (imm); else next operation */                    \
    X(GOTO)      /* direct exit to imm */                                                      \
    X(JUMP)      /* indirect exit to (a + imm) with bit 0 cleared */                           \
    X(TAIL)      /* exit: the interpreter runs the instruction at imm (index: ir_index) */

typedef enum ir_op {
#define IR_ENUM(name) IR_##name,
    IR_OP_LIST(IR_ENUM)
#undef IR_ENUM
    IR_OP_COUNT
} ir_op;

#define IR_FFLAGS_FRM 3

/* Branch conditions. */
enum { IR_EQ, IR_NE, IR_LT, IR_GE, IR_LTU, IR_GEU };

/* Flags. */
#define IR_BIMM 0x01  /* the second source is `imm` */
#define IR_SIGN 0x02  /* LOAD: sign-extend */
#define IR_FP32 0x04  /* LOAD into an F register: NaN-box a 4-byte value */

/* FPCALL: the operation its helper computes, for backends that run some in
 * host FP (IR_FP_OTHER: only the helper); IR_FP_D marks double precision. */
enum { IR_FP_OTHER, IR_FP_ADD, IR_FP_SUB, IR_FP_MUL, IR_FP_DIV, IR_FP_SQRT,
       IR_FP_MADD, IR_FP_MSUB, IR_FP_NMSUB, IR_FP_NMADD, IR_FP_KINDS };
#define IR_FP_D 0x80
#define IR_FP_KIND(fpop) ((fpop) & 0x7f)

typedef struct ir_ins {
    uint8_t op;
    uint8_t d, a, b, c;
    uint8_t size;   /* LOAD/STORE bytes; BRANCH condition; FPCALL rm */
    uint8_t flags;
    uint8_t nargs;  /* FPCALL: number of value arguments (1..3) */
    uint8_t fpop;   /* FPCALL: IR_FP_* | IR_FP_D */
    int64_t imm;
    const void *fn; /* CALL2 / FPCALL helper */
} ir_ins;

/* Eight times the interpreter's blocks: room for eight copies of a loop
 * body as long as SHA-256's round (57 instructions), so what only the last
 * copy pays (the entry check, values the loop head needs whole, results
 * left for the exits) is paid once per eight iterations. */
#define IR_BLOCK_MAX_INSNS 512
#define IR_MAX_OPS (IR_BLOCK_MAX_INSNS * 6 + 8)

/* The guest instruction index of an IR_INSN or IR_TAIL (a: low byte, b: high). */
static inline uint32_t ir_index(const ir_ins *i) { return i->a | (uint32_t)i->b << 8; }

typedef struct ir_block {
    uint64_t pc;      /* guest pc of the first instruction */
    uint32_t ninsns;  /* guest instructions in the block (instret on entry) */
    bool uses_fp;     /* needs mstatus.FS != 0 at entry */
    bool uses_dyn_rm; /* needs a valid frm at entry */
    /* Set by the engine before lowering: the block has proved hot (the
     * periodic check's samples, jit_engine.c), so its loop body may be
     * unrolled and its path traced; otherwise the block is kept compact. */
    bool hot;
    bool unrolled;    /* set by the front end: the block holds several loop-body copies */
    /* Hot blocks: how often the profile saw the block at guest pc (host code
     * at `code`) entered (jit_engine.c), so the front end follows the side of
     * a branch that runs; NULL: fall-throughs only. */
    unsigned (*entry_samples)(void *ctx, uintptr_t code, uint64_t pc);
    void *profile_ctx;
    bool traced;      /* set by the front end: it followed a jump or a taken branch */
    /* The first instruction straddles the page end: the host address its
     * upper half was read from (at pc + 2), which the block checks against
     * the fetch TLB on entry; else 0. */
    uintptr_t straddle_host;
    uint32_t n;       /* operations */
    ir_ins ops[IR_MAX_OPS];
    /* Sunk definitions (ir_opt.c): for a pure operation whose result only an
     * exit could see before operation sunk_until[k] writes it again, that
     * index; the backend then computes it only on the ways out of the block
     * from operations k+1..sunk_until[k]. 0: an ordinary operation. On the
     * ways out after operation sunk_alt_from[k] (0: none), its source
     * register sunk_alt[k][0] no longer holds the value: sunk_alt[k][1] does. */
    uint16_t sunk_until[IR_MAX_OPS];
    uint16_t sunk_alt_from[IR_MAX_OPS];
    uint8_t sunk_alt[IR_MAX_OPS][2];
} ir_block;

/* Front end: lower the guest block at `code` (host pointer to the code at
 * `pc`, `avail` bytes readable to the page end). Returns false when the
 * block cannot be translated (the interpreter runs it instead). */
bool jit_frontend_lower(ir_block *blk, const uint8_t *code, size_t avail, uint64_t pc);

/* Rotate idioms to rotates, dead register definitions dropped, definitions
 * only exits can see sunk into the exits (ir_opt.c); the front end applies
 * it to every block it lowers. */
void ir_optimize(ir_block *blk);

/* Whether operation i leaves a sign-extended 32-bit value in its
 * destination (W operations, narrow loads, small results, logic on such
 * values), given the guest registers known to hold one (mask). */
bool ir_makes_sext32(const ir_ins *i, uint32_t sext);

/* Whether operation i reads only the low 32 bits of its sources (the W
 * operations). */
bool ir_reads_low32(const ir_ins *i);

#endif
