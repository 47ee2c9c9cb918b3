/* The interpreter: predecoded blocks (block_cache.h) run with computed-goto
 * threaded dispatch.
 *
 * - pc, the current block and the instruction pointer live in locals;
 *   cpu->instret is added per block on entry and corrected when an
 *   instruction traps, so exceptions are precise.
 * - Block exits chain through per-exit successor caches: a direct exit that
 *   stays in the page links to its successor with no check at all; exits
 *   that may leave the page keep a pc-keyed target valid for the
 *   translation epoch (jalr shares a jump cache of them); a miss looks the
 *   host address up (the soft TLB, then the hash).
 * - Stop requests, the budget and interrupts are looked at every
 *   INTERP_CHECK_INTERVAL instructions and after every trap, CSR or system
 *   instruction.
 * - The previous instruction's integer result stays in a host register
 *   (`last`); handlers reading it come in variants that skip the reload from
 *   x[] (a store-forwarding round trip on every dependent instruction). */
#include <fenv.h>
#include <float.h>
#include <stdbool.h>
#include <string.h>

#include "../cpu/alu.h"
#include "../cpu/atomic.h"
#include "../cpu/cpu.h"
#include "../cpu/decode.h"
#include "../cpu/fpu.h"
#include "block_cache.h"

#define MSTATUS_FS ((uint64_t)3 << 13)
#define MSTATUS_SD ((uint64_t)1 << 63)

/* Handlers beyond the decoder's operations: specialised forms and the
 * synthetic block terminator. */
enum {
    RV_OP_LI = RV_OP_COUNT, /* addi rd, x0, imm */
    RV_OP_MV,               /* addi rd, rs1, 0 */
    RV_OP_BEQZ,
    RV_OP_BNEZ,
    RV_OP_SEXT_W,      /* addiw rd, rs1, 0 */
    RV_OP_FALLTHROUGH, /* end of a block that did not end in a control transfer */
    XOP_COUNT
};

/* Operations with "last" variants, as X-macro lists: (name, expression). */
#define RR_LIST(X) \
    X(ADD, a + b) \
    X(SUB, a - b) \
    X(SLL, a << (b & 63)) \
    X(SLT, (int64_t)a < (int64_t)b) \
    X(SLTU, a < b) \
    X(XOR, a ^ b) \
    X(SRL, a >> (b & 63)) \
    X(SRA, (uint64_t)((int64_t)a >> (b & 63))) \
    X(OR, a | b) \
    X(AND, a & b) \
    X(ADDW, sx32(a + b)) \
    X(SUBW, sx32(a - b)) \
    X(SLLW, sx32((uint32_t)a << (b & 31))) \
    X(SRLW, sx32((uint32_t)a >> (b & 31))) \
    X(SRAW, (uint64_t)(int64_t)((int32_t)a >> (b & 31))) \
    X(MUL, a * b) \
    X(MULH, (uint64_t)(((__int128)(int64_t)a * (__int128)(int64_t)b) >> 64)) \
    X(MULHSU, (uint64_t)(((__int128)(int64_t)a * (__int128)b) >> 64)) \
    X(MULHU, (uint64_t)(((unsigned __int128)a * b) >> 64)) \
    X(DIV, (uint64_t)div64((int64_t)a, (int64_t)b)) \
    X(DIVU, b ? a / b : UINT64_MAX) \
    X(REM, (uint64_t)rem64((int64_t)a, (int64_t)b)) \
    X(REMU, b ? a % b : a) \
    X(MULW, sx32(a * b)) \
    X(DIVW, divw(a, b)) \
    X(DIVUW, (uint32_t)b ? sx32((uint32_t)a / (uint32_t)b) : UINT64_MAX) \
    X(REMW, remw(a, b)) \
    X(REMUW, (uint32_t)b ? sx32((uint32_t)a % (uint32_t)b) : sx32(a)) \
    X(ADD_UW, (uint64_t)(uint32_t)a + b) \
    X(SH1ADD, (a << 1) + b) \
    X(SH2ADD, (a << 2) + b) \
    X(SH3ADD, (a << 3) + b) \
    X(SH1ADD_UW, ((uint64_t)(uint32_t)a << 1) + b) \
    X(SH2ADD_UW, ((uint64_t)(uint32_t)a << 2) + b) \
    X(SH3ADD_UW, ((uint64_t)(uint32_t)a << 3) + b) \
    X(ANDN, a & ~b) \
    X(ORN, a | ~b) \
    X(XNOR, ~(a ^ b)) \
    X(MAX, (int64_t)a > (int64_t)b ? a : b) \
    X(MAXU, a > b ? a : b) \
    X(MIN, (int64_t)a < (int64_t)b ? a : b) \
    X(MINU, a < b ? a : b) \
    X(ROL, rol64(a, (unsigned)b)) \
    X(ROLW, rol32(a, (unsigned)b)) \
    X(ROR, ror64(a, (unsigned)b)) \
    X(RORW, ror32(a, (unsigned)b)) \
    X(BCLR, a & ~((uint64_t)1 << (b & 63))) \
    X(BEXT, (a >> (b & 63)) & 1) \
    X(BINV, a ^ ((uint64_t)1 << (b & 63))) \
    X(BSET, a | ((uint64_t)1 << (b & 63))) \
    X(CLMUL, clmul_lo(a, b)) \
    X(CLMULH, clmul_hi(a, b)) \
    X(CLMULR, clmul_rev(a, b)) \
    X(CZERO_EQZ, b == 0 ? 0 : a) \
    X(CZERO_NEZ, b != 0 ? 0 : a) \
    X(PACK, pack64(a, b)) \
    X(PACKH, packh64(a, b)) \
    X(PACKW, packw64(a, b)) \
    X(XPERM4, xperm64(a, b, 2)) \
    X(XPERM8, xperm64(a, b, 3))
#define RI_LIST(X) \
    X(ADDI, a + (uint64_t)i) \
    X(SLTI, (int64_t)a < i) \
    X(SLTIU, a < (uint64_t)i) \
    X(XORI, a ^ (uint64_t)i) \
    X(ORI, a | (uint64_t)i) \
    X(ANDI, a & (uint64_t)i) \
    X(SLLI, a << i) \
    X(SRLI, a >> i) \
    X(SRAI, (uint64_t)((int64_t)a >> i)) \
    X(ADDIW, sx32(a + (uint64_t)i)) \
    X(SLLIW, sx32((uint32_t)a << i)) \
    X(SRLIW, sx32((uint32_t)a >> i)) \
    X(SRAIW, (uint64_t)(int64_t)((int32_t)a >> i)) \
    X(SLLI_UW, (uint64_t)(uint32_t)a << i) \
    X(CLZ, a ? (uint64_t)__builtin_clzll(a) : 64) \
    X(CLZW, (uint32_t)a ? (uint64_t)__builtin_clz((uint32_t)a) : 32) \
    X(CTZ, a ? (uint64_t)__builtin_ctzll(a) : 64) \
    X(CTZW, (uint32_t)a ? (uint64_t)__builtin_ctz((uint32_t)a) : 32) \
    X(CPOP, (uint64_t)__builtin_popcountll(a)) \
    X(CPOPW, (uint64_t)__builtin_popcount((uint32_t)a)) \
    X(SEXT_B, (uint64_t)(int64_t)(int8_t)a) \
    X(SEXT_H, (uint64_t)(int64_t)(int16_t)a) \
    X(ZEXT_H, (uint64_t)(uint16_t)a) \
    X(RORI, ror64(a, (unsigned)i)) \
    X(RORIW, ror32(a, (unsigned)i)) \
    X(ORC_B, orc_b(a)) \
    X(REV8, __builtin_bswap64(a)) \
    X(BREV8, brev8(a)) \
    X(BCLRI, a & ~((uint64_t)1 << i)) \
    X(BEXTI, (a >> i) & 1) \
    X(BINVI, a ^ ((uint64_t)1 << i)) \
    X(BSETI, a | ((uint64_t)1 << i))
#define LOAD_LIST(X) \
    X(LB, uint8_t, (uint64_t)(int64_t)(int8_t)v) \
    X(LH, uint16_t, (uint64_t)(int64_t)(int16_t)v) \
    X(LW, uint32_t, sx32(v)) \
    X(LD, uint64_t, v) \
    X(LBU, uint8_t, v) \
    X(LHU, uint16_t, v) \
    X(LWU, uint32_t, v)
#define BRANCH_LIST(X) \
    X(BEQ, a == b) \
    X(BNE, a != b) \
    X(BEQZ, a == 0) \
    X(BNEZ, a != 0) \
    X(BLT, (int64_t)a < (int64_t)b) \
    X(BGE, (int64_t)a >= (int64_t)b) \
    X(BLTU, a < b) \
    X(BGEU, a >= b)

#define STORE_LIST(X) X(SB) X(SH) X(SW) X(SD)

/* Handlers that leave their integer result in `last` as well as in x[rd]. */
static const bool produces_last[XOP_COUNT] = {
#define PRODUCES(name, ...) [RV_OP_##name] = true,
    RR_LIST(PRODUCES) RI_LIST(PRODUCES) LOAD_LIST(PRODUCES)
#undef PRODUCES
    [RV_OP_LI] = true, [RV_OP_MV] = true, [RV_OP_LUI] = true, [RV_OP_AUIPC] = true,
    [RV_OP_SEXT_W] = true,
};

/* Superinstructions: an ALU op A (plain form, cannot trap) followed by
 * instruction B runs A's body and then jumps straight (a direct jump, not a
 * dispatch) to B's handler. B keeps its own slot, so its fields, trap
 * bookkeeping and `last` variant stay as they were. A's body is
 * FUSE_BODY_<A> in run_loop; a load A traps with ip still on itself. */
#define FUSE_A_LIST(X) \
    X(ADD) X(ADDI) X(ADDW) X(ADDIW) X(SEXT_W) X(MV) X(LI) X(XOR) X(OR) X(AND) \
    X(SLLI) X(SRLIW) X(SLLIW) X(LW) X(LD) X(LBU) X(SUB) X(SRLI) X(ANDI)
/* B targets: (A, tag, handler label). */
#define FUSE_B_LIST(X, A) \
    X(A, BEQ, L_BEQ) X(A, BEQ1, L1_BEQ) X(A, BEQ2, L2_BEQ) \
    X(A, BNE, L_BNE) X(A, BNE1, L1_BNE) X(A, BNE2, L2_BNE) \
    X(A, BEQZ, L_BEQZ) X(A, BEQZ1, L1_BEQZ) \
    X(A, BNEZ, L_BNEZ) X(A, BNEZ1, L1_BNEZ) \
    X(A, BLT, L_BLT) X(A, BLT1, L1_BLT) X(A, BLT2, L2_BLT) \
    X(A, BGE, L_BGE) X(A, BGE1, L1_BGE) X(A, BGE2, L2_BGE) \
    X(A, BLTU, L_BLTU) X(A, BLTU1, L1_BLTU) X(A, BLTU2, L2_BLTU) \
    X(A, BGEU, L_BGEU) X(A, BGEU1, L1_BGEU) X(A, BGEU2, L2_BGEU) \
    X(A, LB1, L1_LB) X(A, LH1, L1_LH) X(A, LW1, L1_LW) X(A, LD1, L1_LD) \
    X(A, LBU1, L1_LBU) X(A, LHU1, L1_LHU) X(A, LWU1, L1_LWU) \
    X(A, LW, L_LW) X(A, LD, L_LD) X(A, LBU, L_LBU) \
    X(A, SB, L_SB) X(A, SH, L_SH) X(A, SW, L_SW) X(A, SD, L_SD) \
    X(A, SB1, L1_SB) X(A, SH1, L1_SH) X(A, SW1, L1_SW) X(A, SD1, L1_SD) \
    X(A, SB2, L2_SB) X(A, SH2, L2_SH) X(A, SW2, L2_SW) X(A, SD2, L2_SD) \
    X(A, SEXT_W, L_SEXT_W) X(A, SEXT_W1, L1_SEXT_W) X(A, MV, L_MV) X(A, MV1, L1_MV) \
    X(A, ADD, L_ADD) X(A, ADD1, L1_ADD) X(A, ADD2, L2_ADD) \
    X(A, ADDW, L_ADDW) X(A, ADDW1, L1_ADDW) X(A, ADDW2, L2_ADDW) \
    X(A, XOR, L_XOR) X(A, XOR1, L1_XOR) X(A, XOR2, L2_XOR) \
    X(A, OR, L_OR) X(A, OR1, L1_OR) X(A, OR2, L2_OR) \
    X(A, AND, L_AND) X(A, AND1, L1_AND) X(A, AND2, L2_AND) \
    X(A, ADDI, L_ADDI) X(A, ADDI1, L1_ADDI) \
    X(A, ADDIW, L_ADDIW) X(A, ADDIW1, L1_ADDIW) \
    X(A, SLLI, L_SLLI) X(A, SLLI1, L1_SLLI) \
    X(A, SRLIW, L_SRLIW) X(A, SRLIW1, L1_SRLIW) \
    X(A, SLLIW, L_SLLIW) X(A, SLLIW1, L1_SLLIW) \
    X(A, XORI, L_XORI) X(A, XORI1, L1_XORI) X(A, ANDI, L_ANDI) X(A, ANDI1, L1_ANDI) \
    X(A, SRLI, L_SRLI) X(A, SRLI1, L1_SRLI) X(A, SUB, L_SUB) X(A, SUB1, L1_SUB) X(A, SUB2, L2_SUB) \
    X(A, LUI, L_LUI) X(A, LI, L_LI) X(A, JAL, L_JAL) X(A, JALR, L_JALR) X(A, FALLTHROUGH, L_FALLTHROUGH)
#define FUSE_COUNT_A(...) +1
#define FUSE_COUNT_B(...) +1
enum { FUSE_NA = 0 FUSE_A_LIST(FUSE_COUNT_A), FUSE_NB = 0 FUSE_B_LIST(FUSE_COUNT_B, _) };
static const uint16_t fuse_a_ops[FUSE_NA] = {
#define FUSE_A_OP(name) RV_OP_##name,
    FUSE_A_LIST(FUSE_A_OP)
#undef FUSE_A_OP
};

/* Handler addresses: plain, and variants that take rs1 (l1) or rs2 (l2)
 * from `last` (the previous instruction's result, still in a host register)
 * instead of reloading it from x[] (which would wait on store forwarding). */
typedef struct handler_tables {
    const void *const *l0, *const *l1, *const *l2;
    const void *const *fuse_b;            /* [FUSE_NB] B handler addresses */
    const void *const (*fused)[FUSE_NB];  /* [FUSE_NA][FUSE_NB] fused handlers */
} handler_tables;

/* ---------------------------------------------------------------- helpers */

typedef struct load_result {
    uint64_t val;
    int cause;
} load_result;

static __attribute__((noinline)) load_result load_slow(rv_cpu *cpu, uint64_t va, int size)
{
    load_result r = {0, 0};
    r.cause = rv_load_slow(cpu, va, size, &r.val);
    return r;
}



/* A field of va's soft-TLB entry, read at cpu + (the entry's byte offset:
 * one shift and one mask) + a constant displacement. Written this way the
 * compiler neither makes two shifts, two masks and a copy of
 * cpu->tlb[RV_TLB_IDX(va)] nor keeps cpu->tlb (or the entry's address) in
 * a register of its own. */
_Static_assert(sizeof(rv_tlb_entry) == 32, "tlb_off scales by 32");
static inline uintptr_t tlb_off(uint64_t va)
{
    return (uintptr_t)(va >> (RV_PAGE_SHIFT - 5)) & (((uintptr_t)RV_TLB_SIZE - 1) << 5);
}
#define TLB_FIELD(off, type, field) \
    (*(const type *)(const void *)((const char *)cpu + ((off) + offsetof(rv_cpu, tlb) + offsetof(rv_tlb_entry, field))))

/* Index of ip in its block, for the rare paths that need it (traps, CSR and
 * system instructions). The empty asm hides that b->insns is the value a
 * block entry loads into ip: otherwise the compiler keeps a copy of it in a
 * stack slot, one more store on every block entry. */
static inline uint32_t insn_index(const interp_block *b, const interp_insn *ip)
{
    __asm__("" : "+r"(b));
    return (uint32_t)(ip - b->insns);
}

/* ---------------------------------------------------------- host doubles */

/* Double arithmetic on the host FPU where that gives the RISC-V result and
 * flags without looking at host flags: rounding to nearest even, fflags.NX
 * already set, and a host result that is a normal number above the smallest
 * normal (no NaN, infinity, overflow or tininess, so inexact is the only flag
 * the operation could raise, and it is already accrued). Everything else goes
 * to soft-float, which is exact. */
static inline double f64_of(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static inline uint64_t bits_of_f64(double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return bits;
}

/* min normal < |bits| < infinity, with the sign shifted out (one compare). */
static inline bool f64_plain(uint64_t bits)
{
    const uint64_t lo = (0x0010000000000000ull + 1) << 1, inf = 0x7FF0000000000000ull << 1;
    return (bits << 1) - lo < inf - lo;
}

/* A fused multiply-add in one rounding, where the host has one in hardware
 * (libm's fma may be a software one, and its static x86 build cannot be
 * linked into every program). */
#if defined(__FP_FAST_FMA)
#define HOST_HAS_FMA() true
static inline double host_fma(double a, double b, double c)
{
    return __builtin_fma(a, b, c);
}
#elif defined(__x86_64__) && defined(__GNUC__)
#define HOST_HAS_FMA() (__builtin_cpu_supports("fma") != 0)
static __attribute__((target("fma"))) double host_fma(double a, double b, double c)
{
    return __builtin_fma(a, b, c);
}
#else
#define HOST_HAS_FMA() false
static inline double host_fma(double a, double b, double c)
{
    return a * b + c; /* never called: HOST_HAS_FMA() is false */
}
#endif

/* The host must evaluate doubles exactly as IEEE binary64 in round-to-nearest
 * and keep subnormals (an embedding app may have set flush-to-zero or
 * denormals-are-zero). Probed once per run. */
static bool host_f64_usable(void)
{
#if FLT_EVAL_METHOD == 0
    volatile double tiny = 0x1p-1070, half_min = DBL_MIN;
    if (fegetround() != FE_TONEAREST)
        return false;
    return tiny * 0x1p60 == 0x1p-1010 && half_min * 0.5 == 0x1p-1023;
#else
    return false;
#endif
}

/* ---------------------------------------------------------------- builder */

/* Turn one decoded instruction at block offset `off` into its predecoded
 * form (handler address, fields, pc-relative values made block-relative). */
static interp_insn make_insn(const rv_insn *d, uint32_t off, const handler_tables *t, unsigned *prev_rd,
                             uint16_t *xop)
{
    interp_insn ii = {0};
    unsigned op = d->op;
    ii.rd = d->rd;
    ii.rs1 = d->rs1;
    ii.rs2 = d->rs2;
    ii.rs3 = d->rs3;
    ii.imm = (int32_t)d->imm;
    switch (op) {
    case RV_OP_ADDI:
        if (d->rs1 == 0)
            op = RV_OP_LI;
        else if (d->imm == 0)
            op = RV_OP_MV;
        break;
    case RV_OP_ADDIW:
        if (d->imm == 0)
            op = RV_OP_SEXT_W;
        break;
    case RV_OP_BEQ:
    case RV_OP_BNE:
        if (d->rs1 == 0) { /* symmetric: test the other register */
            ii.rs1 = d->rs2;
            ii.rs2 = 0;
        }
        if (ii.rs2 == 0)
            op = op == RV_OP_BEQ ? RV_OP_BEQZ : RV_OP_BNEZ;
        ii.imm = (int32_t)(d->imm + off);
        break;
    case RV_OP_BLT: case RV_OP_BGE: case RV_OP_BLTU: case RV_OP_BGEU: case RV_OP_JAL:
        ii.imm = (int32_t)(d->imm + off);
        break;
    case RV_OP_AUIPC:
        ii.imm = (int32_t)((uint32_t)d->imm | off); /* off < 4096, imm's low bits are zero */
        break;
    case RV_OP_CSRRW: case RV_OP_CSRRS: case RV_OP_CSRRC:
    case RV_OP_CSRRWI: case RV_OP_CSRRSI: case RV_OP_CSRRCI:
        ii.imm = d->csr;
        break;
    default:
        if ((rv_op_flags(op) & RV_OPF_FP) && op != RV_OP_FLW && op != RV_OP_FLD &&
            op != RV_OP_FSW && op != RV_OP_FSD && op != RV_OP_FLH && op != RV_OP_FSH)
            ii.imm = d->rm;
        break;
    }
    ii.h = t->l0[op];
    if (*prev_rd != 0) {
        if (ii.rs1 == *prev_rd && t->l1[op])
            ii.h = t->l1[op];
        else if (ii.rs2 == *prev_rd && t->l2[op])
            ii.h = t->l2[op];
    }
    *prev_rd = produces_last[op] && ii.rd < 32 ? ii.rd : 0;
    *xop = (uint16_t)op;
    return ii;
}

static bool is_direct_jump(unsigned op)
{
    switch (op) {
    case RV_OP_BEQ: case RV_OP_BNE: case RV_OP_BLT: case RV_OP_BGE:
    case RV_OP_BLTU: case RV_OP_BGEU: case RV_OP_JAL:
        return true;
    }
    return false;
}

/* Turn each plain-form fusable A followed by a known B handler into the
 * fused handler (pairs do not overlap: B keeps its own handler). */
static void fuse_pairs(interp_insn *insns, const uint16_t *xops, uint32_t total, const handler_tables *t)
{
    const void *pair[INTERP_BLOCK_MAX + 1]; /* fused handler for (i, i+1), or NULL */
    uint8_t best[INTERP_BLOCK_MAX + 2];     /* most pairs fusable from slot i on */

    for (uint32_t i = 0; i + 1 < total; i++) {
        unsigned a;
        pair[i] = NULL;
        /* A's fused body reads its sources from x[] (always current), so
         * its `last` variants fuse as well. */
        for (a = 0; a < FUSE_NA && fuse_a_ops[a] != xops[i]; a++)
            ;
        if (a == FUSE_NA)
            continue;
        for (unsigned b = 0; b < FUSE_NB; b++) {
            if (t->fuse_b[b] == insns[i + 1].h) {
                pair[i] = t->fused[a][b];
                break;
            }
        }
    }
    /* Pairs may not overlap (B runs unfused): pick the most of them. */
    best[total] = best[total - 1] = 0;
    for (uint32_t i = total - 1; i-- > 0;) {
        best[i] = best[i + 1];
        if (pair[i] && best[i + 2] + 1 > best[i])
            best[i] = (uint8_t)(best[i + 2] + 1);
    }
    for (uint32_t i = 0; i + 1 < total;) {
        if (pair[i] && best[i] == best[i + 2] + 1) {
            insns[i].h = pair[i];
            i += 2;
        } else {
            i++;
        }
    }
}

/* Predecode the instructions at `code` (avail bytes up to the page end).
 * Writes the block at `dst` (NULL: allocate it in the arena, flushing the
 * cache when full). Returns NULL when the first instruction straddles the
 * end of `avail` (the caller fetches it in two parts). */
/* A block from code (avail bytes to the end of its page), ending before
 * byte limit (<= avail). */
static interp_block *build_block(interp_engine *eng, const uint8_t *code, size_t avail, size_t limit,
                                 uintptr_t key, interp_block *dst, const handler_tables *t)
{
    interp_insn insns[INTERP_BLOCK_MAX + 1];
    uint16_t xops[INTERP_BLOCK_MAX + 1];
    uint16_t offs[INTERP_BLOCK_MAX];
    uint32_t bits[INTERP_BLOCK_MAX];
    uint32_t n, off, total;
    unsigned prev_rd = 0, last_op = RV_OP_ILLEGAL;
    rv_block_scan scan = {code, limit, INTERP_BLOCK_MAX, 0, 0, false};
    rv_insn d;
    uint32_t at;

    while (rv_block_next(&scan, &d, &at)) {
        n = scan.n - 1;
        insns[n] = make_insn(&d, at, t, &prev_rd, &xops[n]);
        last_op = d.op;
        offs[n] = (uint16_t)at;
        bits[n] = d.bits;
    }
    n = scan.n;
    off = scan.off;
    bool ended = scan.ended;
    if (n == 0 || n > INTERP_BLOCK_MAX) /* the scan never exceeds max; said for the compiler */
        return NULL;
    total = n;
    if (!ended) {
        interp_insn term = {0};
        term.h = t->l0[RV_OP_FALLTHROUGH];
        xops[total] = RV_OP_FALLTHROUGH;
        insns[total++] = term;
    }
    fuse_pairs(insns, xops, total, t);

    size_t size = sizeof(interp_block) + total * sizeof(interp_insn) + n * sizeof(uint32_t) +
                  n * sizeof(uint16_t);
    interp_block *b = dst;
    if (!b) {
        b = interp_arena_alloc(eng, size);
        if (!b) {
            interp_engine_reset(eng); /* the caller holds no block pointer here */
            b = interp_arena_alloc(eng, size);
        }
    }
    b->key = key;
    b->hnext = NULL;
    b->succ[0] = b->succ[1] = (interp_target){1, 0, NULL};
    b->link[0] = b->link[1] = NULL;
    b->n = n;
    b->end_off = (uint16_t)off;
    b->stat = 0;
    if (dst == NULL) {
        /* Exits that stay in this page reach a host address at a fixed
         * distance from the key: their cached successor is always right. */
        int64_t page_off = (int64_t)(RV_PAGE_SIZE - avail);
        if (page_off + off < (int64_t)RV_PAGE_SIZE)
            b->stat |= 2;
        if (ended && is_direct_jump(last_op)) {
            int64_t target = page_off + insns[n - 1].imm;
            if (target >= 0 && target < (int64_t)RV_PAGE_SIZE)
                b->stat |= 1;
        }
    }
    memcpy(b->insns, insns, total * sizeof(interp_insn));
    b->bits = (uint32_t *)(void *)&b->insns[total];
    memcpy(b->bits, bits, n * sizeof(uint32_t));
    b->offs = (uint16_t *)(void *)&b->bits[n];
    memcpy(b->offs, offs, n * sizeof(uint16_t));
    if (!dst)
        interp_block_insert(eng, b);
    return b;
}

/* ---------------------------------------------------------------- run loop */

static rv_stop run_loop(rv_cpu *cpu, interp_engine *eng, uint64_t max_insns, bool host_f64)
{
    static const void *const labels[XOP_COUNT] = {
#define RV_OP_LABEL(name, mn, fl) [RV_OP_##name] = &&L_##name,
        RV_OP_LIST(RV_OP_LABEL)
#undef RV_OP_LABEL
        [RV_OP_LI] = &&L_LI, [RV_OP_MV] = &&L_MV, [RV_OP_BEQZ] = &&L_BEQZ, [RV_OP_BNEZ] = &&L_BNEZ,
        [RV_OP_SEXT_W] = &&L_SEXT_W, [RV_OP_FALLTHROUGH] = &&L_FALLTHROUGH,
    };
#define LABEL1(name, ...) [RV_OP_##name] = &&L1_##name,
#define LABEL2(name, ...) [RV_OP_##name] = &&L2_##name,
    static const void *const labels1[XOP_COUNT] = {
        RR_LIST(LABEL1) RI_LIST(LABEL1) LOAD_LIST(LABEL1) BRANCH_LIST(LABEL1) STORE_LIST(LABEL1)
        [RV_OP_MV] = &&L1_MV,
        [RV_OP_SEXT_W] = &&L1_SEXT_W,
    };
    static const void *const labels2[XOP_COUNT] = {RR_LIST(LABEL2) BRANCH_LIST(LABEL2) STORE_LIST(LABEL2)};
#undef LABEL1
#undef LABEL2
#define FUSE_B_ADDR(A, tag, label) &&label,
    static const void *const fuse_b[FUSE_NB] = {FUSE_B_LIST(FUSE_B_ADDR, _)};
#undef FUSE_B_ADDR
#define FUSED_ADDR(A, tag, label) &&LF_##A##_##tag,
#define FUSED_ROW(A) {FUSE_B_LIST(FUSED_ADDR, A)},
    static const void *const fused[FUSE_NA][FUSE_NB] = {FUSE_A_LIST(FUSED_ROW)};
#undef FUSED_ROW
#undef FUSED_ADDR
    static const handler_tables tables = {labels, labels1, labels2, fuse_b, fused};

    /* x[] and f[] are reached through cpu (a fixed displacement), which
     * leaves a callee-saved host register to the handlers. */
    const bool host_fma_ok = host_f64 && HOST_HAS_FMA();
    const uint64_t budget_end =
        max_insns && max_insns < UINT64_MAX - cpu->instret ? cpu->instret + max_insns : UINT64_MAX;
    uint64_t pc = cpu->pc;   /* entry pc of the running block, then the next pc */
    interp_block *blk = NULL; /* the running block */
    interp_block *nb;
    interp_block **slot;     /* successor cache slot for the exit being taken */
    interp_target *tgt = NULL; /* target cache of an exit that may leave the page */
    const interp_insn *ip = NULL;
    uint64_t exc = 0, tval = 0;
    uint64_t last = 0; /* result of the previous instruction (see handler_tables) */
    uintptr_t host;
    uint64_t check_at = 0; /* instret at which the next full check is due */
    bool single = false;   /* the full check asked for one instruction at a time */
    /* cpu->instret counts a block's instructions at its entry (it lives in
     * memory either way: a local copy was spilled and stored back per block). */
    const uint64_t traps0 = cpu->traps; /* trap entries count against the budget too */
    const uint64_t instret0 = cpu->instret; /* (L_JITTED: is this the first block?) */

    eng->stop_handler = &&L_JITTED;
    if (cpu->wfi) {
        if (!(cpu->mip & cpu->mie))
            return RV_STOP_WAIT;
        cpu->wfi = false;
    }
    slot = &eng->dummy_succ;
    goto full_check;

    /* ---- block boundaries ---- */
next_block_reset: /* translation or privilege may have changed */
    slot = &eng->dummy_succ;
    if (unlikely(eng->reset_pending))
        interp_engine_reset(eng); /* safe point: no block pointer is live */
full_check: /* stop requests, budget, interrupts */
    if (unlikely(cpu->stop != RV_STOP_NONE)) {
        rv_stop r = cpu->stop;
        cpu->stop = RV_STOP_NONE;
        cpu->pc = pc;
        return r;
    }
    if (unlikely(cpu->instret + (cpu->traps - traps0) >= budget_end)) {
        cpu->pc = pc;
        return RV_STOP_BUDGET;
    }
    if (unlikely(atomic_load_explicit(&cpu->exit_request, memory_order_relaxed))) {
        cpu->pc = pc;
        return RV_STOP_INTERRUPT;
    }
    if (unlikely(cpu->mip & cpu->mie)) {
        cpu->pc = pc;
        if (rv_take_interrupt(cpu)) {
            pc = cpu->pc;
            slot = &eng->dummy_succ;
        }
    }
    check_at = cpu->instret + INTERP_CHECK_INTERVAL;
    if (check_at > budget_end)
        check_at = budget_end;
    single = false;
    if (unlikely(cpu->trig_exec || cpu->debug)) {
        /* Sdtrig: an armed execute trigger is checked before every
         * instruction, which then runs alone (the full check again next).
         * A debugger's breakpoints are checked at every block entry (the
         * full check after every block; blocks end before breakpoints);
         * for a step, instructions run alone. */
        check_at = cpu->instret;
        if (cpu->debug) {
            bool skip = cpu->debug_skip;
            cpu->debug_skip = false;
            if (!skip && rv_debug_has(cpu->debug, pc)) {
                cpu->pc = pc;
                return RV_STOP_BREAK;
            }
            single = cpu->debug_step || cpu->debug->nwatch;
        }
        if (cpu->trig_exec) {
            single = true;
            if (rv_trigger_exec(cpu, pc)) {
                cpu->pc = pc;
                rv_trap(cpu, RV_EXC_BREAKPOINT, pc);
                pc = cpu->pc;
                goto next_block_reset;
            }
        }
        if (single)
            goto lookup_slow;
    }
    if (slot != &eng->dummy_succ)
        goto lookup;
    tgt = &eng->jc[INTERP_JC_IDX(pc)];
    goto lookup_target;

/* host = the host address of pc: the soft TLB, else the slow path (which
 * fetches, or traps). Only misses of the successor caches come here. */
#define HOST_OF_PC()                                                   \
    do {                                                               \
        const rv_tlb_entry *e = &cpu->tlb[RV_TLB_IDX(pc)];             \
        if (unlikely(e->tag_x != (pc & RV_PAGE_MASK)))                 \
            goto lookup_slow;                                          \
        host = e->addend + (uintptr_t)pc;                              \
    } while (0)

next_target: /* tgt: the exit's target cache */
    if (unlikely(cpu->instret >= check_at)) {
        slot = &eng->dummy_succ;
        goto full_check;
    }
lookup_target:
    if (likely(tgt->pc == pc && tgt->epoch == cpu->jit_ic_epoch)) {
        nb = tgt->blk;
        goto enter;
    }
    slot = &eng->dummy_succ; /* for lookup_slow */
    HOST_OF_PC();
    nb = interp_block_find(eng, host);
    if (unlikely(!nb))
        goto lookup_slow; /* builds it: the next visit fills the entry */
    tgt->pc = pc;
    tgt->epoch = cpu->jit_ic_epoch;
    tgt->blk = nb;
    goto enter;

next_block:
    if (unlikely(cpu->instret >= check_at))
        goto full_check;
lookup:
    HOST_OF_PC();
    nb = *slot;
    if (likely(nb && nb->key == host))
        goto enter;
    nb = interp_block_find(eng, host);
    if (likely(nb != NULL)) {
        *slot = nb;
        goto enter;
    }

lookup_slow: {
    const uint8_t *code;
    size_t avail;
    int c;
    cpu->pc = pc;
    c = rv_fetch_ptr(cpu, pc, &code, &avail);
    if (unlikely(c)) {
        rv_trap(cpu, (uint64_t)c, pc);
        pc = cpu->pc;
        goto next_block_reset;
    }
    host = (uintptr_t)code;
    if (unlikely(single)) {
        /* One instruction in the scratch block (the straddling path below
         * when it crosses the page end). */
        uint16_t lo;
        size_t len;
        memcpy(&lo, code, 2);
        len = (size_t)rv_insn_len(lo);
        nb = len <= avail ? build_block(eng, code, len, len, 0, eng->scratch, &tables) : NULL;
        if (nb)
            goto enter;
        goto straddle;
    }
    nb = interp_block_find(eng, host);
    if (!nb) {
        uint64_t gen = eng->gen;
        rv_note_code(cpu, code);
        size_t limit = avail;
        if (unlikely(cpu->debug) && cpu->debug->n) {
            uint16_t lo;
            memcpy(&lo, code, 2);
            limit = rv_debug_block_limit(cpu->debug, pc, avail, (size_t)rv_insn_len(lo));
        }
        nb = build_block(eng, code, avail, limit, host, NULL, &tables);
        if (!nb) {
        straddle:;
            /* The instruction straddles the page end: fetch its upper half
             * from the next page and run it alone in the scratch block. */
            const uint8_t *code2;
            size_t avail2;
            uint8_t buf[4];
            memcpy(buf, code, 2);
            c = rv_fetch_ptr(cpu, pc + 2, &code2, &avail2);
            if (unlikely(c)) {
                cpu->pc = pc;
                rv_trap(cpu, (uint64_t)c, pc + 2);
                pc = cpu->pc;
                goto next_block_reset;
            }
            memcpy(buf + 2, code2, 2);
            rv_note_code(cpu, code);
            rv_note_code(cpu, code2);
            nb = build_block(eng, buf, 4, 4, 0, eng->scratch, &tables);
            goto enter;
        }
        if (eng->gen != gen)
            slot = &eng->dummy_succ; /* the cache was flushed: the old slot is gone */
    }
    *slot = nb;
}

enter:
    blk = nb;
    cpu->instret += blk->n;
    ip = blk->insns;
    goto *ip->h;

    /* The first handler of a block the JIT has translated: a cold stretch
     * the JIT handed over ends here unless this is its first block (which
     * the JIT may have handed over on purpose). */
L_JITTED:
    if (cpu->jit && !cpu->debug && cpu->instret - blk->n != instret0) {
        cpu->instret -= blk->n;
        cpu->pc = pc;
        return RV_STOP_BUDGET;
    }
    goto *blk->h0;

    /* ---- exceptions ---- */
raise: {
    uint32_t idx = insn_index(blk, ip);
    cpu->instret -= blk->n - idx;
    cpu->pc = pc + blk->offs[idx];
    rv_trap(cpu, exc, tval);
    pc = cpu->pc;
    goto next_block_reset;
}
illegal:
    exc = RV_EXC_ILLEGAL;
    tval = blk->bits[insn_index(blk, ip)];
    goto raise;

#define CUR_PC (pc + blk->offs[insn_index(blk, ip)])
#define NEXT()              \
    do {                    \
        ip++;               \
        goto *ip->h;        \
    } while (0)
#define XD cpu->x[ip->rd]
#define X1 cpu->x[ip->rs1]
#define X2 cpu->x[ip->rs2]
#define IMM ((int64_t)ip->imm)
#define FAULT(cause, addr)  \
    do {                    \
        exc = (cause);      \
        tval = (addr);      \
        goto raise;         \
    } while (0)

/* rd = expr(a = rs1, b = rs2) */
#define DEF_RR(name, expr)                                                     \
    L_##name: { uint64_t a = X1, b = X2; last = XD = (expr); NEXT(); }         \
    L1_##name: { uint64_t a = last, b = X2; last = XD = (expr); NEXT(); }      \
    L2_##name: { uint64_t a = X1, b = last; last = XD = (expr); NEXT(); }
/* rd = expr(a = rs1, i = imm) */
#define DEF_RI(name, expr)                                                     \
    L_##name: { uint64_t a = X1; int64_t i = IMM; (void)i; last = XD = (expr); NEXT(); } \
    L1_##name: { uint64_t a = last; int64_t i = IMM; (void)i; last = XD = (expr); NEXT(); }
/* Same test as cpu.h's rv_load_*, written out so that the loaded value stays
 * in a register (the slow path returns value and cause in registers). */
#define LOAD_CORE(base, type, conv)                                                  \
        uint64_t va = (base) + IMM, v;                                               \
        uintptr_t eo = tlb_off(va);                                                  \
        if (likely(TLB_FIELD(eo, uint64_t, tag_r) == (va & (RV_PAGE_MASK | (sizeof(type) - 1))))) { \
            type t;                                                                  \
            memcpy(&t, (const void *)(TLB_FIELD(eo, uintptr_t, addend) + (uintptr_t)va), sizeof(type)); \
            v = t;                                                                   \
        } else {                                                                     \
            load_result r = load_slow(cpu, va, sizeof(type));                        \
            if (unlikely(r.cause))                                                   \
                FAULT((uint64_t)r.cause, va);                                        \
            v = r.val;                                                               \
        }                                                                            \
        last = XD = (conv);
#define LOAD_BODY(base, type, conv) { LOAD_CORE(base, type, conv) NEXT(); }
#define DEF_LOAD(name, type, conv) L_##name: LOAD_BODY(X1, type, conv) L1_##name: LOAD_BODY(last, type, conv)
/* cpu.h's rv_store_* with the entry found as in LOAD_CORE. */
#define STORE_BODY(base, val, type)                                                  \
    {                                                                                \
        uint64_t va = (base) + IMM, sv = (val);                                      \
        uintptr_t eo = tlb_off(va);                                                  \
        if (likely(TLB_FIELD(eo, uint64_t, tag_w) == (va & (RV_PAGE_MASK | (sizeof(type) - 1))))) { \
            type t = (type)sv;                                                       \
            memcpy((void *)(TLB_FIELD(eo, uintptr_t, addend) + (uintptr_t)va), &t, sizeof(type)); \
        } else {                                                                     \
            int c = rv_store_slow(cpu, va, (int)sizeof(type), sv);                   \
            if (unlikely(c))                                                         \
                FAULT((uint64_t)c, va);                                              \
        }                                                                            \
        NEXT();                                                                      \
    }
#define OP_STORE(name, type)                         \
    L_##name: STORE_BODY(X1, X2, type)               \
    L1_##name: STORE_BODY(last, X2, type)            \
    L2_##name: STORE_BODY(X1, last, type)
/* Leave the block through direct exit i (pc already set): chain straight to
 * a known same-page successor, else look the target up. */
#define EXIT_DIRECT(i)                                                         \
    do {                                                                       \
        nb = blk->link[i];                                                     \
        if (likely(nb != NULL) && likely(cpu->instret < check_at))             \
            goto enter;                                                        \
        if ((blk->stat >> (i)) & 1) {                                          \
            slot = &blk->link[i];                                              \
            goto next_block;                                                   \
        }                                                                      \
        tgt = &blk->succ[i];                                                   \
        goto next_target;                                                      \
    } while (0)
#define BRANCH_BODY(ea, eb, cond)                    \
    {                                                \
        uint64_t a = (ea), b = (eb);                 \
        (void)b;                                     \
        if (cond) {                                  \
            pc += IMM;                               \
            EXIT_DIRECT(0);                          \
        }                                            \
        pc += blk->end_off;                          \
        EXIT_DIRECT(1);                              \
    }
#define DEF_BRANCH(name, cond)                                                 \
    L_##name: BRANCH_BODY(X1, X2, cond)                                        \
    L1_##name: BRANCH_BODY(last, X2, cond)                                     \
    L2_##name: BRANCH_BODY(X1, last, cond)

    /* ---- RV64I ---- */
L_LI:
    last = XD = (uint64_t)IMM;
    NEXT();
L_MV:
    last = XD = X1;
    NEXT();
L1_MV:
    XD = last;
    NEXT();
L_SEXT_W:
    last = XD = sx32(X1);
    NEXT();
L1_SEXT_W:
    last = XD = sx32(last);
    NEXT();

    /* superinstructions (see FUSE_A_LIST) */
#define DEF_FUSED(A, tag, label) \
    LF_##A##_##tag: { FUSE_BODY_##A; ip++; goto label; }
#define DEF_FUSED_ROW(A) FUSE_B_LIST(DEF_FUSED, A)
#define FUSE_BODY_ADD last = XD = X1 + X2
#define FUSE_BODY_ADDI last = XD = X1 + (uint64_t)IMM
#define FUSE_BODY_ADDW last = XD = sx32(X1 + X2)
#define FUSE_BODY_ADDIW last = XD = sx32(X1 + (uint64_t)IMM)
#define FUSE_BODY_SEXT_W last = XD = sx32(X1)
#define FUSE_BODY_MV last = XD = X1
#define FUSE_BODY_LI last = XD = (uint64_t)IMM
#define FUSE_BODY_XOR last = XD = X1 ^ X2
#define FUSE_BODY_OR last = XD = X1 | X2
#define FUSE_BODY_AND last = XD = X1 & X2
#define FUSE_BODY_SLLI last = XD = X1 << IMM
#define FUSE_BODY_SRLIW last = XD = sx32((uint32_t)X1 >> IMM)
#define FUSE_BODY_SLLIW last = XD = sx32((uint32_t)X1 << IMM)
#define FUSE_BODY_SUB last = XD = X1 - X2
#define FUSE_BODY_SRLI last = XD = X1 >> IMM
#define FUSE_BODY_ANDI last = XD = X1 & (uint64_t)IMM
#define FUSE_BODY_LW LOAD_CORE(X1, uint32_t, sx32(v))
#define FUSE_BODY_LD LOAD_CORE(X1, uint64_t, v)
#define FUSE_BODY_LBU LOAD_CORE(X1, uint8_t, v)
    FUSE_A_LIST(DEF_FUSED_ROW)
#undef DEF_FUSED_ROW
#undef DEF_FUSED
L_LUI:
    last = XD = (uint64_t)IMM;
    NEXT();
L_AUIPC:
    last = XD = pc + (uint64_t)IMM;
    NEXT();

    RR_LIST(DEF_RR)
    RI_LIST(DEF_RI)
    LOAD_LIST(DEF_LOAD)
    BRANCH_LIST(DEF_BRANCH)
L_JAL:
    XD = pc + blk->end_off;
    pc += IMM;
    EXIT_DIRECT(0);
L_JALR: {
    uint64_t t = (X1 + IMM) & ~(uint64_t)1;
    XD = pc + blk->end_off;
    pc = t;
    tgt = &eng->jc[INTERP_JC_IDX(pc)];
    goto next_target;
}
L_FALLTHROUGH:
    pc += blk->end_off;
    EXIT_DIRECT(1);


    OP_STORE(SB, uint8_t)
    OP_STORE(SH, uint16_t)
    OP_STORE(SW, uint32_t)
    OP_STORE(SD, uint64_t)


L_FENCE:
    NEXT();

    /* ---- M ---- */

    /* ---- Zba / Zbb / Zbs / Zbc / Zicond ---- */

    /* ---- A ---- */
    /* One call into the code the JIT's helper shares (atomics are rare). */
#define OP_ATOMIC(name)                                                  \
    L_##name: {                                                          \
        uint64_t v;                                                      \
        int c = rv_atomic(cpu, RV_OP_##name, X1, X2, &v);                \
        if (unlikely(c))                                                 \
            FAULT((uint64_t)c, X1);                                      \
        XD = v;                                                          \
        NEXT();                                                          \
    }
    OP_ATOMIC(LR_W) OP_ATOMIC(LR_D) OP_ATOMIC(SC_W) OP_ATOMIC(SC_D)
    OP_ATOMIC(AMOSWAP_W) OP_ATOMIC(AMOADD_W) OP_ATOMIC(AMOXOR_W) OP_ATOMIC(AMOAND_W)
    OP_ATOMIC(AMOOR_W) OP_ATOMIC(AMOMIN_W) OP_ATOMIC(AMOMAX_W) OP_ATOMIC(AMOMINU_W)
    OP_ATOMIC(AMOMAXU_W)
    OP_ATOMIC(AMOSWAP_D) OP_ATOMIC(AMOADD_D) OP_ATOMIC(AMOXOR_D) OP_ATOMIC(AMOAND_D)
    OP_ATOMIC(AMOOR_D) OP_ATOMIC(AMOMIN_D) OP_ATOMIC(AMOMAX_D) OP_ATOMIC(AMOMINU_D)
    OP_ATOMIC(AMOMAXU_D)

    /* ---- F / D ---- */
#define FP_ON()                                          \
    do {                                                 \
        if (unlikely(!(cpu->mstatus & MSTATUS_FS)))      \
            goto illegal;                                \
    } while (0)
#define RM_ON()                                                              \
    do {                                                                     \
        if (unlikely(!rv_fp_rm_ok(cpu, ip->imm)))                            \
            goto illegal;                                                    \
    } while (0)
#define FP_DIRTY() (cpu->mstatus |= MSTATUS_FS | MSTATUS_SD)
#define F1 cpu->f[ip->rs1]
#define F2 cpu->f[ip->rs2]
#define F3 cpu->f[ip->rs3]
#define FD cpu->f[ip->rd]
#define RM ((int)ip->imm)
/* FP result register written: always dirty. */
#define OP_FW(name, needs_rm, expr)                      \
    L_##name: {                                          \
        FP_ON();                                         \
        if (needs_rm)                                    \
            RM_ON();                                     \
        FD = (expr);                                     \
        FP_DIRTY();                                      \
        NEXT();                                          \
    }
/* Integer result: dirty only when fflags changed. */
#define OP_FX(name, needs_rm, expr)                      \
    L_##name: {                                          \
        uint32_t ff = cpu->fflags;                       \
        FP_ON();                                         \
        if (needs_rm)                                    \
            RM_ON();                                     \
        XD = (expr);                                     \
        if (cpu->fflags != ff)                           \
            FP_DIRTY();                                  \
        NEXT();                                          \
    }
#define OP_FLOAD(name, fn, conv)                         \
    L_##name: {                                          \
        uint64_t va, v;                                  \
        int c;                                           \
        FP_ON();                                         \
        va = X1 + IMM;                                   \
        c = fn(cpu, va, &v);                             \
        if (unlikely(c))                                 \
            FAULT((uint64_t)c, va);                      \
        FD = (conv);                                     \
        FP_DIRTY();                                      \
        NEXT();                                          \
    }
#define OP_FSTORE(name, fn)                              \
    L_##name: {                                          \
        uint64_t va;                                     \
        int c;                                           \
        FP_ON();                                         \
        va = X1 + IMM;                                   \
        c = fn(cpu, va, F2);                             \
        if (unlikely(c))                                 \
            FAULT((uint64_t)c, va);                      \
        NEXT();                                          \
    }

    OP_FLOAD(FLW, rv_load_u32, RV_BOX_S(v))
    OP_FLOAD(FLD, rv_load_u64, v)
    OP_FSTORE(FSW, rv_store_u32)
    OP_FSTORE(FSD, rv_store_u64)

    OP_FW(FMADD_S, 1, rv_fmadd_s(cpu, F1, F2, F3, RM))
    OP_FW(FMSUB_S, 1, rv_fmsub_s(cpu, F1, F2, F3, RM))
    OP_FW(FNMSUB_S, 1, rv_fnmsub_s(cpu, F1, F2, F3, RM))
    OP_FW(FNMADD_S, 1, rv_fnmadd_s(cpu, F1, F2, F3, RM))
    OP_FW(FADD_S, 1, rv_fadd_s(cpu, F1, F2, RM))
    OP_FW(FSUB_S, 1, rv_fsub_s(cpu, F1, F2, RM))
    OP_FW(FMUL_S, 1, rv_fmul_s(cpu, F1, F2, RM))
    OP_FW(FDIV_S, 1, rv_fdiv_s(cpu, F1, F2, RM))
    OP_FW(FSQRT_S, 1, rv_fsqrt_s(cpu, F1, RM))
    OP_FW(FSGNJ_S, 0, rv_fsgnj_s(F1, F2))
    OP_FW(FSGNJN_S, 0, rv_fsgnjn_s(F1, F2))
    OP_FW(FSGNJX_S, 0, rv_fsgnjx_s(F1, F2))
    OP_FW(FMIN_S, 0, rv_fmin_s(cpu, F1, F2))
    OP_FW(FMAX_S, 0, rv_fmax_s(cpu, F1, F2))
    OP_FX(FCVT_W_S, 1, rv_fcvt_w_s(cpu, F1, RM))
    OP_FX(FCVT_WU_S, 1, rv_fcvt_wu_s(cpu, F1, RM))
    OP_FX(FCVT_L_S, 1, rv_fcvt_l_s(cpu, F1, RM))
    OP_FX(FCVT_LU_S, 1, rv_fcvt_lu_s(cpu, F1, RM))
    OP_FX(FMV_X_W, 0, rv_fmv_x_w(F1))
    OP_FX(FEQ_S, 0, rv_feq_s(cpu, F1, F2))
    OP_FX(FLT_S, 0, rv_flt_s(cpu, F1, F2))
    OP_FX(FLE_S, 0, rv_fle_s(cpu, F1, F2))
    OP_FX(FCLASS_S, 0, rv_fclass_s(F1))
    OP_FW(FCVT_S_W, 1, rv_fcvt_s_w(cpu, X1, RM))
    OP_FW(FCVT_S_WU, 1, rv_fcvt_s_wu(cpu, X1, RM))
    OP_FW(FCVT_S_L, 1, rv_fcvt_s_l(cpu, X1, RM))
    OP_FW(FCVT_S_LU, 1, rv_fcvt_s_lu(cpu, X1, RM))
    OP_FW(FMV_W_X, 0, rv_fmv_w_x(X1))

/* Double arithmetic: the host result where f64_plain allows it
 * (a = F1, b = F2, c = F3 as doubles), else soft-float. */
#define OP_FD_HOST(name, enabled, host_expr, soft_expr)                         \
    L_##name: {                                                                 \
        uint64_t r;                                                             \
        FP_ON();                                                                \
        RM_ON();                                                                \
        if (likely((enabled) && (cpu->fflags & RV_FF_NX) &&                      \
                   (RM == RV_RM_RNE || (RM == RV_RM_DYN && cpu->frm == RV_RM_RNE)))) { \
            double a = f64_of(F1), b = f64_of(F2), c = f64_of(F3);              \
            (void)c;                                                            \
            r = bits_of_f64(host_expr);                                         \
            if (likely(f64_plain(r))) {                                         \
                FD = r;                                                         \
                FP_DIRTY();                                                     \
                NEXT();                                                         \
            }                                                                   \
        }                                                                       \
        FD = (soft_expr);                                                       \
        FP_DIRTY();                                                             \
        NEXT();                                                                 \
    }
    OP_FD_HOST(FMADD_D, host_fma_ok, host_fma(a, b, c), rv_fmadd_d(cpu, F1, F2, F3, RM))
    OP_FD_HOST(FMSUB_D, host_fma_ok, host_fma(a, b, -c), rv_fmsub_d(cpu, F1, F2, F3, RM))
    OP_FD_HOST(FNMSUB_D, host_fma_ok, host_fma(-a, b, c), rv_fnmsub_d(cpu, F1, F2, F3, RM))
    OP_FD_HOST(FNMADD_D, host_fma_ok, host_fma(-a, b, -c), rv_fnmadd_d(cpu, F1, F2, F3, RM))
    OP_FD_HOST(FADD_D, host_f64, a + b, rv_fadd_d(cpu, F1, F2, RM))
    OP_FD_HOST(FSUB_D, host_f64, a - b, rv_fsub_d(cpu, F1, F2, RM))
    OP_FD_HOST(FMUL_D, host_f64, a * b, rv_fmul_d(cpu, F1, F2, RM))
    OP_FD_HOST(FDIV_D, host_f64, a / b, rv_fdiv_d(cpu, F1, F2, RM))
    OP_FW(FSQRT_D, 1, rv_fsqrt_d(cpu, F1, RM))
    OP_FW(FSGNJ_D, 0, rv_fsgnj_d(F1, F2))
    OP_FW(FSGNJN_D, 0, rv_fsgnjn_d(F1, F2))
    OP_FW(FSGNJX_D, 0, rv_fsgnjx_d(F1, F2))
    OP_FW(FMIN_D, 0, rv_fmin_d(cpu, F1, F2))
    OP_FW(FMAX_D, 0, rv_fmax_d(cpu, F1, F2))
    OP_FW(FCVT_S_D, 1, rv_fcvt_s_d(cpu, F1, RM))
    OP_FW(FCVT_D_S, 1, rv_fcvt_d_s(cpu, F1, RM))
    OP_FX(FCVT_W_D, 1, rv_fcvt_w_d(cpu, F1, RM))
    OP_FX(FCVT_WU_D, 1, rv_fcvt_wu_d(cpu, F1, RM))
    OP_FX(FCVT_L_D, 1, rv_fcvt_l_d(cpu, F1, RM))
    OP_FX(FCVT_LU_D, 1, rv_fcvt_lu_d(cpu, F1, RM))
    OP_FX(FMV_X_D, 0, F1)
    OP_FX(FEQ_D, 0, rv_feq_d(cpu, F1, F2))
    OP_FX(FLT_D, 0, rv_flt_d(cpu, F1, F2))
    OP_FX(FLE_D, 0, rv_fle_d(cpu, F1, F2))
    OP_FX(FCLASS_D, 0, rv_fclass_d(F1))
    OP_FW(FCVT_D_W, 1, rv_fcvt_d_w(cpu, X1, RM))
    OP_FW(FCVT_D_WU, 1, rv_fcvt_d_wu(cpu, X1, RM))
    OP_FW(FCVT_D_L, 1, rv_fcvt_d_l(cpu, X1, RM))
    OP_FW(FCVT_D_LU, 1, rv_fcvt_d_lu(cpu, X1, RM))
    OP_FW(FMV_D_X, 0, X1)

    /* Zfhmin */
    OP_FLOAD(FLH, rv_load_u16, RV_BOX_H(v))
    OP_FSTORE(FSH, rv_store_u16)
    OP_FX(FMV_X_H, 0, rv_fmv_x_h(F1))
    OP_FW(FMV_H_X, 0, rv_fmv_h_x(X1))
    OP_FW(FCVT_S_H, 1, rv_fcvt_s_h(cpu, F1, RM))
    OP_FW(FCVT_H_S, 1, rv_fcvt_h_s(cpu, F1, RM))
    OP_FW(FCVT_D_H, 1, rv_fcvt_d_h(cpu, F1, RM))
    OP_FW(FCVT_H_D, 1, rv_fcvt_h_d(cpu, F1, RM))

    /* Zfh */
    OP_FW(FMADD_H, 1, rv_fmadd_h(cpu, F1, F2, F3, RM))
    OP_FW(FMSUB_H, 1, rv_fmsub_h(cpu, F1, F2, F3, RM))
    OP_FW(FNMSUB_H, 1, rv_fnmsub_h(cpu, F1, F2, F3, RM))
    OP_FW(FNMADD_H, 1, rv_fnmadd_h(cpu, F1, F2, F3, RM))
    OP_FW(FADD_H, 1, rv_fadd_h(cpu, F1, F2, RM))
    OP_FW(FSUB_H, 1, rv_fsub_h(cpu, F1, F2, RM))
    OP_FW(FMUL_H, 1, rv_fmul_h(cpu, F1, F2, RM))
    OP_FW(FDIV_H, 1, rv_fdiv_h(cpu, F1, F2, RM))
    OP_FW(FSQRT_H, 1, rv_fsqrt_h(cpu, F1, RM))
    OP_FW(FSGNJ_H, 0, rv_fsgnj_h(F1, F2))
    OP_FW(FSGNJN_H, 0, rv_fsgnjn_h(F1, F2))
    OP_FW(FSGNJX_H, 0, rv_fsgnjx_h(F1, F2))
    OP_FW(FMIN_H, 0, rv_fmin_h(cpu, F1, F2))
    OP_FW(FMAX_H, 0, rv_fmax_h(cpu, F1, F2))
    OP_FX(FCVT_W_H, 1, rv_fcvt_w_h(cpu, F1, RM))
    OP_FX(FCVT_WU_H, 1, rv_fcvt_wu_h(cpu, F1, RM))
    OP_FX(FCVT_L_H, 1, rv_fcvt_l_h(cpu, F1, RM))
    OP_FX(FCVT_LU_H, 1, rv_fcvt_lu_h(cpu, F1, RM))
    OP_FX(FEQ_H, 0, rv_feq_h(cpu, F1, F2))
    OP_FX(FLT_H, 0, rv_flt_h(cpu, F1, F2))
    OP_FX(FLE_H, 0, rv_fle_h(cpu, F1, F2))
    OP_FX(FCLASS_H, 0, rv_fclass_h(F1))
    OP_FW(FCVT_H_W, 1, rv_fcvt_h_w(cpu, X1, RM))
    OP_FW(FCVT_H_WU, 1, rv_fcvt_h_wu(cpu, X1, RM))
    OP_FW(FCVT_H_L, 1, rv_fcvt_h_l(cpu, X1, RM))
    OP_FW(FCVT_H_LU, 1, rv_fcvt_h_lu(cpu, X1, RM))

    /* ---- Zicbom / Zicboz: the checks and cbo.zero's stores (cmo.c) ---- */
#define OP_CBO(name, kind)                               \
    L_##name: {                                          \
        int c = rv_cbo(cpu, kind, X1);                   \
        if (unlikely(c == RV_EXC_ILLEGAL))               \
            goto illegal;                                \
        if (unlikely(c))                                 \
            FAULT((uint64_t)c, X1);                      \
        NEXT();                                          \
    }
    OP_CBO(CBO_INVAL, RV_CBO_INVAL)
    OP_CBO(CBO_CLEAN, RV_CBO_CLEAN)
    OP_CBO(CBO_FLUSH, RV_CBO_FLUSH)
    OP_CBO(CBO_ZERO, RV_CBO_ZERO)

    /* ---- system: all of these end their block ---- */
L_ILLEGAL:
    goto illegal;
L_ECALL:
    exc = cpu->priv == RV_PRIV_U ? RV_EXC_ECALL_U
        : cpu->priv == RV_PRIV_S ? RV_EXC_ECALL_S
                                 : RV_EXC_ECALL_M;
    tval = 0;
    goto raise;
L_EBREAK:
    exc = RV_EXC_BREAKPOINT;
    tval = CUR_PC;
    goto raise;
L_FENCE_I:
    pc += blk->end_off;
    rv_fence_i(cpu); /* `blk` may be gone from here on */
    goto next_block_reset;
L_MRET:
    cpu->pc = CUR_PC;
    if (rv_mret(cpu))
        goto illegal;
    pc = cpu->pc;
    goto next_block_reset;
L_SRET:
    cpu->pc = CUR_PC;
    if (rv_sret(cpu))
        goto illegal;
    pc = cpu->pc;
    goto next_block_reset;
L_WFI:
    cpu->pc = CUR_PC;
    if (rv_wfi(cpu))
        goto illegal;
    pc += blk->end_off;
    if (cpu->wfi) {
        if (!(cpu->mip & cpu->mie)) {
            cpu->pc = pc;
            return RV_STOP_WAIT;
        }
        cpu->wfi = false;
    }
    goto next_block_reset;
L_SFENCE_VMA:
L_SINVAL_VMA:
    cpu->pc = CUR_PC;
    if (rv_sfence_vma(cpu, X1, X2))
        goto illegal;
    pc += blk->end_off;
    goto next_block_reset;
L_SFENCE_W_INVAL:
L_SFENCE_INVAL_IR:
    if (rv_sfence_inval_order(cpu))
        goto illegal;
    pc += blk->end_off;
    goto next_block_reset;

    /* CSR instructions: cpu->pc and instret describe the CSR instruction
     * itself (not yet retired) while the CSR functions run. */
#define CSR_OP(name, src_expr, do_read, do_write, new_expr)                        \
    L_##name: {                                                                    \
        unsigned csr = (unsigned)ip->imm;                                          \
        uint64_t src = (src_expr), old = 0, ic = cpu->instret;                     \
        cpu->pc = CUR_PC;                                                          \
        cpu->instret = ic - 1;                                                     \
        if (((do_read) && rv_csr_read(cpu, csr, &old)) ||                          \
            ((do_write) && rv_csr_write(cpu, csr, (new_expr)))) {                  \
            cpu->instret = ic; /* raise counts back from the block's end */        \
            goto illegal;                                                          \
        }                                                                          \
        cpu->instret = ic;                                                         \
        XD = old;                                                                  \
        pc += blk->end_off;                                                        \
        goto next_block_reset;                                                     \
    }
    CSR_OP(CSRRW, X1, ip->rd != 32, 1, src)
    CSR_OP(CSRRS, X1, 1, ip->rs1 != 0, old | src)
    CSR_OP(CSRRC, X1, 1, ip->rs1 != 0, old & ~src)
    CSR_OP(CSRRWI, ip->rs1, ip->rd != 32, 1, src)
    CSR_OP(CSRRSI, ip->rs1, 1, ip->rs1 != 0, old | src)
    CSR_OP(CSRRCI, ip->rs1, 1, ip->rs1 != 0, old & ~src)
}

rv_stop rv_interp_run(rv_cpu *cpu, uint64_t max_insns)
{
    interp_engine *eng = interp_engine_get(cpu);
    if (unlikely(!eng))
        return RV_STOP_ERROR;
    eng->running = true;
    rv_stop r = run_loop(cpu, eng, max_insns, host_f64_usable());
    eng->running = false;
    if (eng->reset_pending)
        interp_engine_reset(eng);
    return r;
}
