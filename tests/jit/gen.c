/* Random RV64GC program generator (see gen.h).
 *
 * Every emitted instruction is decoded again with rv_decode and checked
 * against the operation the generator meant, so an encoder slip shows up as
 * a harness error instead of silently testing something else. */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint8_t gen_op_seen[RV_OP_COUNT];
int gen_ext_ops;

/* ------------------------------------------------------------------ PRNG */

void gen_seed(gen_rng *r, uint64_t seed, uint64_t stream)
{
    /* Mix the seed first: splitmix64 states that differ by a multiple of
     * its increment would give shifted copies of one sequence. */
    r->s = seed ^ (stream * 0xd1b54a32d192ed03ull);
    r->s = gen_next(r) ^ stream;
    r->s = gen_next(r);
}

/* splitmix64: tiny, and good enough for test generation. */
uint64_t gen_next(gen_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint32_t gen_below(gen_rng *r, uint32_t n)
{
    return (uint32_t)(((gen_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* --------------------------------------------------------------- encoders */

enum {
    OPC_LOAD = 0x03, OPC_LOAD_FP = 0x07, OPC_MISC_MEM = 0x0f, OPC_OP_IMM = 0x13, OPC_AUIPC = 0x17,
    OPC_OP_IMM32 = 0x1b, OPC_STORE = 0x23, OPC_STORE_FP = 0x27, OPC_AMO = 0x2f, OPC_OP = 0x33,
    OPC_LUI = 0x37, OPC_OP32 = 0x3b, OPC_FMADD = 0x43, OPC_OP_FP = 0x53, OPC_BRANCH = 0x63,
    OPC_JALR = 0x67, OPC_JAL = 0x6f, OPC_SYSTEM = 0x73,
};

static uint32_t enc_r(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t opc)
{
    return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t enc_i(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t opc)
{
    return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

static uint32_t enc_s(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t opc)
{
    uint32_t u = (uint32_t)imm & 0xfff;
    return (u >> 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1f) << 7 | opc;
}

static uint32_t imm_b(int32_t off)
{
    uint32_t u = (uint32_t)off;
    return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | ((u >> 1) & 0xf) << 8 | ((u >> 11) & 1) << 7;
}

static uint32_t imm_j(int32_t off)
{
    uint32_t u = (uint32_t)off;
    return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 | ((u >> 11) & 1) << 20 | ((u >> 12) & 0xff) << 12;
}

static uint32_t bit(uint32_t v, int i) { return (v >> i) & 1; }

/* c.j offset bits [11|4|9:8|10|6|7|3:1|5] at 12..2. */
static uint32_t imm_cj(int32_t off)
{
    uint32_t u = (uint32_t)off;
    return bit(u, 11) << 12 | bit(u, 4) << 11 | ((u >> 8) & 3) << 9 | bit(u, 10) << 8 | bit(u, 6) << 7 |
           bit(u, 7) << 6 | ((u >> 1) & 7) << 3 | bit(u, 5) << 2;
}

/* c.beqz/c.bnez offset bits [8|4:3] at 12..10, [7:6|2:1|5] at 6..2. */
static uint32_t imm_cb(int32_t off)
{
    uint32_t u = (uint32_t)off;
    return bit(u, 8) << 12 | ((u >> 3) & 3) << 10 | ((u >> 6) & 3) << 5 | ((u >> 1) & 3) << 3 | bit(u, 5) << 2;
}

/* 6-bit immediate split as [5] at 12, [4:0] at 6..2 (c.addi, c.li, c.andi, shifts). */
static uint32_t imm_c6(int32_t v)
{
    uint32_t u = (uint32_t)v & 0x3f;
    return (u >> 5) << 12 | (u & 0x1f) << 2;
}

/* ------------------------------------------------------------- generation */

enum { FIX_NONE, FIX_BRANCH, FIX_JAL, FIX_CJ, FIX_CB, FIX_PCREL_ADDI, FIX_BACK };

typedef struct gen_ctx {
    gen_rng r;
    gen_prog *p;
    uint32_t group;
    uint32_t avoid; /* registers the current group must not write */
    uint32_t profile;
    /* Idioms added after fixed seeds became regression tests come from
     * their own stream, in the programs it picks (idiom_pct > 0), so the
     * other programs stay as they were. */
    gen_rng idioms;
    uint32_t idiom_pct;
} gen_ctx;

static uint32_t rnd(gen_ctx *g, uint32_t n) { return gen_below(&g->r, n); }
static int chance(gen_ctx *g, uint32_t pct) { return rnd(g, 100) < pct; }

/* Reserved: x2 (sp), x3, x4, x8 point into data; generated code never writes them. */
#define RESERVED_MASK ((1u << 2) | (1u << 3) | (1u << 4) | (1u << 8))

static uint32_t src_reg(gen_ctx *g)
{
    return chance(g, 8) ? 0 : rnd(g, 32);
}

static uint32_t dst_reg(gen_ctx *g)
{
    if (chance(g, 5))
        return 0;
    for (;;) {
        uint32_t r = 1 + rnd(g, 31);
        if (!((RESERVED_MASK | g->avoid) >> r & 1))
            return r;
    }
}

/* x8..x15 as a 3-bit field, excluding reserved x8. */
static uint32_t dst_creg(gen_ctx *g)
{
    for (;;) {
        uint32_t r = 1 + rnd(g, 7);
        if (!((g->avoid >> (r + 8)) & 1))
            return r;
    }
}

static void check_decode(uint32_t bits, int expect_op, int32_t expect_imm, int check_imm)
{
    rv_insn d;
    rv_decode(bits, &d);
    if (expect_op >= 0 && (d.op != expect_op || (check_imm && d.imm != expect_imm))) {
        fprintf(stderr, "jit_diff: generator bug: %08x decodes to %s imm %lld, wanted %s imm %d\n", bits,
                rv_op_name(d.op), (long long)d.imm, rv_op_name((unsigned)expect_op), expect_imm);
        abort();
    }
    if (d.op < RV_OP_COUNT)
        gen_op_seen[d.op] = 1;
}

/* Append one instruction; expect_op < 0 skips the decode check (illegal encodings). */
static uint32_t emit(gen_ctx *g, uint32_t bits, int expect_op)
{
    gen_prog *p = g->p;
    if (p->n >= GEN_MAX_INSNS - 1)
        return p->n - 1;
    gen_insn *in = &p->insn[p->n];
    memset(in, 0, sizeof(*in));
    in->bits = bits;
    in->len = (uint8_t)rv_insn_len(bits & 0xffff);
    in->group = (uint16_t)g->group;
    if (in->len == 2 && (bits >> 16))
        abort();
    if (expect_op != RV_OP_BEQ) /* branches are checked after fixup */
        check_decode(bits, expect_op, 0, 0);
    return p->n++;
}

static uint32_t emit_fix(gen_ctx *g, uint32_t bits, int fix, int32_t target, int32_t anchor)
{
    uint32_t i = emit(g, bits, RV_OP_BEQ);
    g->p->insn[i].fix = (uint8_t)fix;
    g->p->insn[i].target = target;
    g->p->insn[i].anchor = anchor;
    return i;
}

/* ---- interesting values ---- */

static int32_t imm12(gen_ctx *g)
{
    static const int32_t pool[] = {0, 1, -1, 2, -2, 2047, -2048, 31, 32, 63, 64, 0x7ff, 0x555, -0x556};
    if (chance(g, 40))
        return pool[rnd(g, sizeof(pool) / sizeof(pool[0]))];
    if (chance(g, 50))
        return (int32_t)rnd(g, 33) - 16;
    return (int32_t)rnd(g, 4096) - 2048;
}

static uint32_t shamt(gen_ctx *g, uint32_t width)
{
    static const uint32_t pool[] = {0, 1, 31, 32, 33, 63};
    uint32_t s = chance(g, 50) ? pool[rnd(g, 6)] : rnd(g, width);
    return s & (width - 1);
}

/* ---- integer ALU ---- */

typedef struct rr_def {
    uint8_t f7, f3, opc;
    uint16_t op;
} rr_def;

static const rr_def rr_ops[] = {
    {0x00, 0, OPC_OP, RV_OP_ADD}, {0x20, 0, OPC_OP, RV_OP_SUB}, {0x00, 1, OPC_OP, RV_OP_SLL},
    {0x00, 2, OPC_OP, RV_OP_SLT}, {0x00, 3, OPC_OP, RV_OP_SLTU}, {0x00, 4, OPC_OP, RV_OP_XOR},
    {0x00, 5, OPC_OP, RV_OP_SRL}, {0x20, 5, OPC_OP, RV_OP_SRA}, {0x00, 6, OPC_OP, RV_OP_OR},
    {0x00, 7, OPC_OP, RV_OP_AND},
    {0x00, 0, OPC_OP32, RV_OP_ADDW}, {0x20, 0, OPC_OP32, RV_OP_SUBW}, {0x00, 1, OPC_OP32, RV_OP_SLLW},
    {0x00, 5, OPC_OP32, RV_OP_SRLW}, {0x20, 5, OPC_OP32, RV_OP_SRAW},
    {0x01, 0, OPC_OP, RV_OP_MUL}, {0x01, 1, OPC_OP, RV_OP_MULH}, {0x01, 2, OPC_OP, RV_OP_MULHSU},
    {0x01, 3, OPC_OP, RV_OP_MULHU}, {0x01, 4, OPC_OP, RV_OP_DIV}, {0x01, 5, OPC_OP, RV_OP_DIVU},
    {0x01, 6, OPC_OP, RV_OP_REM}, {0x01, 7, OPC_OP, RV_OP_REMU},
    {0x01, 0, OPC_OP32, RV_OP_MULW}, {0x01, 4, OPC_OP32, RV_OP_DIVW}, {0x01, 5, OPC_OP32, RV_OP_DIVUW},
    {0x01, 6, OPC_OP32, RV_OP_REMW}, {0x01, 7, OPC_OP32, RV_OP_REMUW},
    /* Zba */
    {0x04, 0, OPC_OP32, RV_OP_ADD_UW}, {0x10, 2, OPC_OP, RV_OP_SH1ADD}, {0x10, 4, OPC_OP, RV_OP_SH2ADD},
    {0x10, 6, OPC_OP, RV_OP_SH3ADD}, {0x10, 2, OPC_OP32, RV_OP_SH1ADD_UW},
    {0x10, 4, OPC_OP32, RV_OP_SH2ADD_UW}, {0x10, 6, OPC_OP32, RV_OP_SH3ADD_UW},
    /* Zbb */
    {0x20, 7, OPC_OP, RV_OP_ANDN}, {0x20, 6, OPC_OP, RV_OP_ORN}, {0x20, 4, OPC_OP, RV_OP_XNOR},
    {0x05, 6, OPC_OP, RV_OP_MAX}, {0x05, 7, OPC_OP, RV_OP_MAXU}, {0x05, 4, OPC_OP, RV_OP_MIN},
    {0x05, 5, OPC_OP, RV_OP_MINU}, {0x30, 1, OPC_OP, RV_OP_ROL}, {0x30, 5, OPC_OP, RV_OP_ROR},
    {0x30, 1, OPC_OP32, RV_OP_ROLW}, {0x30, 5, OPC_OP32, RV_OP_RORW},
    /* Zbs */
    {0x24, 1, OPC_OP, RV_OP_BCLR}, {0x24, 5, OPC_OP, RV_OP_BEXT}, {0x34, 1, OPC_OP, RV_OP_BINV},
    {0x14, 1, OPC_OP, RV_OP_BSET},
    /* Zbc */
    {0x05, 1, OPC_OP, RV_OP_CLMUL}, {0x05, 3, OPC_OP, RV_OP_CLMULH}, {0x05, 2, OPC_OP, RV_OP_CLMULR},
    /* Zicond */
    {0x07, 5, OPC_OP, RV_OP_CZERO_EQZ}, {0x07, 7, OPC_OP, RV_OP_CZERO_NEZ},
};

/* Unary ops with a fixed rs2 field: (f7, rs2, f3, opcode). */
static const struct {
    uint8_t f7, rs2, f3, opc;
    uint16_t op;
} unary_ops[] = {
    {0x30, 0, 1, OPC_OP_IMM, RV_OP_CLZ}, {0x30, 1, 1, OPC_OP_IMM, RV_OP_CTZ},
    {0x30, 2, 1, OPC_OP_IMM, RV_OP_CPOP}, {0x30, 4, 1, OPC_OP_IMM, RV_OP_SEXT_B},
    {0x30, 5, 1, OPC_OP_IMM, RV_OP_SEXT_H}, {0x30, 0, 1, OPC_OP_IMM32, RV_OP_CLZW},
    {0x30, 1, 1, OPC_OP_IMM32, RV_OP_CTZW}, {0x30, 2, 1, OPC_OP_IMM32, RV_OP_CPOPW},
    {0x04, 0, 4, OPC_OP32, RV_OP_ZEXT_H}, {0x14, 7, 5, OPC_OP_IMM, RV_OP_ORC_B},
    {0x35, 0x18, 5, OPC_OP_IMM, RV_OP_REV8},
};

/* Immediate ALU: (f3, opcode). */
static const struct {
    uint8_t f3, opc;
    uint16_t op;
} ri_ops[] = {
    {0, OPC_OP_IMM, RV_OP_ADDI}, {2, OPC_OP_IMM, RV_OP_SLTI}, {3, OPC_OP_IMM, RV_OP_SLTIU},
    {4, OPC_OP_IMM, RV_OP_XORI}, {6, OPC_OP_IMM, RV_OP_ORI}, {7, OPC_OP_IMM, RV_OP_ANDI},
    {0, OPC_OP_IMM32, RV_OP_ADDIW},
};

/* Shift-immediates: 6-bit shamt with funct6 (OP-IMM, or slli.uw), 5-bit with funct7 (OP-IMM-32). */
static const struct {
    uint8_t f, f3, opc, wide;
    uint16_t op;
} sh_ops[] = {
    {0x00, 1, OPC_OP_IMM, 1, RV_OP_SLLI}, {0x00, 5, OPC_OP_IMM, 1, RV_OP_SRLI},
    {0x10, 5, OPC_OP_IMM, 1, RV_OP_SRAI}, {0x18, 5, OPC_OP_IMM, 1, RV_OP_RORI},
    {0x12, 1, OPC_OP_IMM, 1, RV_OP_BCLRI}, {0x12, 5, OPC_OP_IMM, 1, RV_OP_BEXTI},
    {0x1a, 1, OPC_OP_IMM, 1, RV_OP_BINVI}, {0x0a, 1, OPC_OP_IMM, 1, RV_OP_BSETI},
    {0x02, 1, OPC_OP_IMM32, 1, RV_OP_SLLI_UW},
    {0x00, 1, OPC_OP_IMM32, 0, RV_OP_SLLIW}, {0x00, 5, OPC_OP_IMM32, 0, RV_OP_SRLIW},
    {0x20, 5, OPC_OP_IMM32, 0, RV_OP_SRAIW}, {0x30, 5, OPC_OP_IMM32, 0, RV_OP_RORIW},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Zbkb / Zbkx (--ext only, so that the other seeds keep their programs). */
static const rr_def ext_rr_ops[] = {
    {0x04, 4, OPC_OP, RV_OP_PACK}, {0x04, 7, OPC_OP, RV_OP_PACKH}, {0x04, 4, OPC_OP32, RV_OP_PACKW},
    {0x14, 2, OPC_OP, RV_OP_XPERM4}, {0x14, 4, OPC_OP, RV_OP_XPERM8},
};

static void gen_ext_alu(gen_ctx *g)
{
    uint32_t k = rnd(g, COUNT(ext_rr_ops) + 1);
    if (k == COUNT(ext_rr_ops)) { /* brev8 */
        emit(g, enc_i(0x687, src_reg(g), 5, dst_reg(g), OPC_OP_IMM), RV_OP_BREV8);
        return;
    }
    const rr_def *d = &ext_rr_ops[k];
    uint32_t rs2 = src_reg(g);
    if (d->op == RV_OP_PACKW && rs2 == 0)
        rs2 = 1 + rnd(g, 31); /* packw rd, rs1, x0 is zext.h */
    emit(g, enc_r(d->f7, rs2, src_reg(g), d->f3, dst_reg(g), d->opc), d->op);
}

static void gen_alu_rr(gen_ctx *g)
{
    if (gen_ext_ops && chance(g, 30)) {
        gen_ext_alu(g);
        return;
    }
    const rr_def *d = &rr_ops[rnd(g, COUNT(rr_ops))];
    uint32_t rd = dst_reg(g);
    emit(g, enc_r(d->f7, src_reg(g), src_reg(g), d->f3, rd, d->opc), d->op);
    if (chance(g, 15)) /* sext.w of the result, sign-extended already or not */
        emit(g, enc_i(0, rd, 0, chance(g, 50) ? rd : dst_reg(g), OPC_OP_IMM32), RV_OP_ADDIW);
}

static void gen_load(gen_ctx *g);

/* Something between the parts of an idiom: a load (which may trap) or an
 * ALU operation (which may rewrite one of its registers). */
static void gen_between(gen_ctx *g)
{
    if (chance(g, 50))
        gen_load(g);
    else
        gen_alu_rr(g);
}

static uint32_t enc_shift_imm(uint16_t op, uint32_t sh, uint32_t rs1, uint32_t rd)
{
    for (unsigned i = 0; i < COUNT(sh_ops); i++)
        if (sh_ops[i].op == op) {
            uint32_t hi = sh_ops[i].wide ? (uint32_t)sh_ops[i].f << 26 : (uint32_t)sh_ops[i].f << 25;
            return hi | sh << 20 | rs1 << 15 | (uint32_t)sh_ops[i].f3 << 12 | rd << 7 | sh_ops[i].opc;
        }
    return 0;
}

/* A rotate as compilers write it without Zbb: two shifts of one register
 * and an OR (which the JIT turns into a rotate). Now and then the amounts
 * do not add up, something runs between (a load that may trap, an ALU
 * operation that may rewrite the source or a shift result), and the shift
 * results are overwritten after (so the JIT may drop the shifts). */
static void gen_rotate(gen_ctx *g)
{
    int w32 = chance(g, 60);
    uint32_t width = w32 ? 32 : 64;
    uint32_t x = src_reg(g), p = dst_reg(g), q = dst_reg(g);
    uint32_t n = 1 + rnd(g, width - 1), m = chance(g, 85) ? width - n : shamt(g, width);
    uint16_t srl = w32 ? RV_OP_SRLIW : RV_OP_SRLI, sll = w32 ? RV_OP_SLLIW : RV_OP_SLLI;
    int left_first = chance(g, 50);
    emit(g, left_first ? enc_shift_imm(sll, m, x, q) : enc_shift_imm(srl, n, x, p), left_first ? sll : srl);
    if (chance(g, 25))
        gen_between(g);
    emit(g, left_first ? enc_shift_imm(srl, n, x, p) : enc_shift_imm(sll, m, x, q), left_first ? srl : sll);
    if (chance(g, 25))
        gen_between(g);
    uint32_t d = chance(g, 30) ? p : dst_reg(g);
    emit(g, chance(g, 50) ? enc_r(0, q, p, 6, d, OPC_OP) : enc_r(0, p, q, 6, d, OPC_OP), RV_OP_OR);
    if (chance(g, 50))
        emit(g, enc_i(imm12(g), src_reg(g), 0, p, OPC_OP_IMM), RV_OP_ADDI);
    if (chance(g, 50))
        emit(g, enc_i(imm12(g), src_reg(g), 4, q, OPC_OP_IMM), RV_OP_XORI);
}

/* A result nothing reads before it is overwritten, with loads that may
 * trap in between (the JIT computes such a result only on the ways out):
 * its source is copied (mv, or sext.w, which keeps only the low half;
 * before or after it) and then changed, so a way out after the change
 * must find the value in the copy; the copy itself may be overwritten
 * unread, or changed before a later load. */
static void gen_sunk(gen_ctx *g)
{
    static const uint16_t defs[] = {RV_OP_SRLIW, RV_OP_SRLI, RV_OP_SLLIW, RV_OP_SRAI};
    uint16_t op = defs[rnd(g, COUNT(defs))];
    uint32_t x = dst_reg(g), d = dst_reg(g), c = dst_reg(g);
    int copy_first = chance(g, 30);
    if (copy_first)
        emit(g, enc_i(0, x, 0, c, OPC_OP_IMM), RV_OP_ADDI); /* mv c, x */
    emit(g, enc_shift_imm(op, shamt(g, op == RV_OP_SRLI || op == RV_OP_SRAI ? 64 : 32), x, d), op);
    if (copy_first && chance(g, 70)) /* a second copy, which the first may then be found in */
        emit(g, enc_i(0, x, 0, dst_reg(g), OPC_OP_IMM), RV_OP_ADDI);
    if (!copy_first && chance(g, 80)) {
        if (chance(g, 50))
            emit(g, enc_i(0, x, 0, c, OPC_OP_IMM), RV_OP_ADDI); /* mv c, x */
        else
            emit(g, enc_i(0, x, 0, c, OPC_OP_IMM32), RV_OP_ADDIW); /* sext.w c, x */
    }
    if (chance(g, 50))
        gen_load(g);
    if (chance(g, 70))
        emit(g, enc_i(imm12(g), src_reg(g), 0, x, OPC_OP_IMM), RV_OP_ADDI); /* x changes */
    gen_load(g);
    if (chance(g, 30))
        emit(g, enc_i(imm12(g), src_reg(g), 4, c, OPC_OP_IMM), RV_OP_XORI); /* so does the copy */
    if (chance(g, 50))
        gen_load(g);
    emit(g, enc_i(imm12(g), src_reg(g), 0, d, OPC_OP_IMM), RV_OP_ADDI); /* d overwritten */
    if (chance(g, 50))
        emit(g, enc_i(imm12(g), src_reg(g), 6, c, OPC_OP_IMM), RV_OP_ORI); /* the copy too, unread */
}

static void gen_alu_imm(gen_ctx *g);

/* A 32-bit result read again a few operations later (the JIT may read it
 * from the host register it was computed in while the operations between
 * leave that register alone): operations between, most of them ones whose
 * host code uses that register as scratch, then a logic, add or shift
 * reading the result. */
static void gen_reread(gen_ctx *g)
{
    static const uint16_t reads[] = {RV_OP_XOR, RV_OP_ADD, RV_OP_AND, RV_OP_ADDW};
    static const uint8_t f3[] = {4, 0, 7, 0};
    static const uint16_t between[] = {RV_OP_SLT, RV_OP_SLTU, RV_OP_XNOR, RV_OP_ORN, RV_OP_ANDN, RV_OP_MIN,
                                       RV_OP_MAXU, RV_OP_MUL, RV_OP_MULH, RV_OP_ROL, RV_OP_XOR, RV_OP_ADD};
    uint32_t m = dst_reg(g), k = rnd(g, COUNT(reads));
    if (chance(g, 50))
        emit(g, enc_r(0, src_reg(g), src_reg(g), 0, m, OPC_OP32), RV_OP_ADDW);
    else
        emit(g, enc_shift_imm(RV_OP_SRLIW, shamt(g, 32), src_reg(g), m), RV_OP_SRLIW);
    for (uint32_t n = rnd(g, 3); n; n--) {
        uint16_t op = between[rnd(g, COUNT(between))];
        const rr_def *d = NULL;
        for (unsigned j = 0; j < COUNT(rr_ops) && !d; j++)
            if (rr_ops[j].op == op)
                d = &rr_ops[j];
        if (d && chance(g, 70))
            emit(g, enc_r(d->f7, src_reg(g), src_reg(g), d->f3, dst_reg(g), d->opc), op);
        else if (chance(g, 50))
            gen_alu_rr(g);
        else
            gen_alu_imm(g);
    }
    uint32_t d = dst_reg(g), other = chance(g, 30) ? d : src_reg(g);
    if (chance(g, 20))
        emit(g, enc_shift_imm(RV_OP_SRLIW, shamt(g, 32), m, d), RV_OP_SRLIW);
    else if (reads[k] == RV_OP_ADDW)
        emit(g, enc_r(0, chance(g, 50) ? m : other, chance(g, 50) ? other : m, 0, d, OPC_OP32), RV_OP_ADDW);
    else
        emit(g, enc_r(0, chance(g, 50) ? m : other, chance(g, 50) ? other : m, f3[k], d, OPC_OP), reads[k]);
}

/* x inverted (not p, x), then combined with another register by and, or
 * or xor (which the JIT turns into andn, orn or xnor of x), half the time
 * both 32-bit results first: now and then
 * something runs between (a load that may trap, an ALU operation), x
 * changes before the combination (no longer the same x), and p is
 * overwritten after (so the JIT may drop the not). */
static void gen_not_logic(gen_ctx *g)
{
    static const uint16_t ops[] = {RV_OP_AND, RV_OP_OR, RV_OP_XOR};
    static const uint8_t f3[] = {7, 6, 4};
    uint32_t x = dst_reg(g), p = dst_reg(g), y = src_reg(g);
    if (chance(g, 50)) { /* x and y 32-bit results (which the JIT may leave unextended) */
        emit(g, enc_i(imm12(g), src_reg(g), 0, x, OPC_OP_IMM32), RV_OP_ADDIW);
        y = dst_reg(g);
        emit(g, enc_r(0, src_reg(g), src_reg(g), 0, y, OPC_OP32), RV_OP_ADDW);
    }
    emit(g, enc_i(-1, x, 4, p, OPC_OP_IMM), RV_OP_XORI);
    if (chance(g, 30))
        gen_between(g);
    if (chance(g, 15))
        emit(g, enc_i(imm12(g), src_reg(g), 0, x, OPC_OP_IMM), RV_OP_ADDI); /* x changes */
    uint32_t k = rnd(g, COUNT(ops)), d = chance(g, 40) ? p : dst_reg(g);
    int p_first = chance(g, 50);
    emit(g, enc_r(0, p_first ? y : p, p_first ? p : y, f3[k], d, OPC_OP), ops[k]);
    if (chance(g, 40))
        emit(g, enc_i(imm12(g), src_reg(g), 0, p, OPC_OP_IMM), RV_OP_ADDI); /* p overwritten */
}

/* A pointer stepped through memory as loops walk arrays: a copy of a data
 * pointer (plus an offset), moved by addi between loads and stores off it,
 * the steps now and then adding up past the 12-bit span of its first value
 * (the JIT checks one span for a base value and the steps that stay in it). */
static void gen_pointer_walk(gen_ctx *g)
{
    static const uint16_t loads[] = {RV_OP_LW, RV_OP_LD, RV_OP_LBU}, stores[] = {RV_OP_SW, RV_OP_SD, RV_OP_SB};
    static const uint8_t f3_load[] = {2, 3, 4}, f3_store[] = {2, 3, 0};
    uint32_t p = dst_reg(g), n = 2 + rnd(g, 6);
    emit(g, enc_i(chance(g, 50) ? 0 : imm12(g), chance(g, 50) ? 3 : 4, 0, p, OPC_OP_IMM), RV_OP_ADDI);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t w = rnd(g, 3);
        int32_t off = ((int32_t)rnd(g, 4096) - 2048) & ~(int32_t)(w == 2 ? 0 : 3 + 4 * w);
        if (chance(g, 50))
            emit(g, enc_i(off, p, f3_load[w], dst_reg(g), OPC_LOAD), loads[w]);
        else
            emit(g, enc_s(off, src_reg(g), p, f3_store[w], OPC_STORE), stores[w]);
        if (chance(g, 70))
            emit(g, enc_i((int32_t)rnd(g, 2048) - (chance(g, 30) ? 1024 : 0), p, 0, p, OPC_OP_IMM), RV_OP_ADDI);
    }
}

/* A zero or sign extension as compilers write it without Zba/Zbb: slli by
 * 32, 48 or 56, then srli or srai by the same amount (which the JIT turns
 * into one extension), often in place (slli x, x, n; srli x, x, n), else
 * into other registers or x0. Now and then the right shift is a little
 * shorter (slli 32; srli 30: an unsigned index scaled by 4, which the JIT
 * leaves as two shifts) or any amount, something runs between (a load that may trap, an ALU operation that may
 * rewrite x or the shifted value), and the second shift starts a group of
 * its own, which an earlier branch may jump to (it then shifts whatever
 * the register holds there). */
static void gen_extend(gen_ctx *g)
{
    static const uint32_t amounts[] = {32, 48, 56};
    uint32_t n = amounts[rnd(g, COUNT(amounts))];
    uint32_t m = chance(g, 60) ? n : chance(g, 65) ? n - 1 - rnd(g, 4) : shamt(g, 64);
    uint32_t x = chance(g, 80) ? dst_reg(g) : src_reg(g), p = chance(g, 60) ? x : dst_reg(g);
    uint16_t right = chance(g, 60) ? RV_OP_SRLI : RV_OP_SRAI;
    emit(g, enc_shift_imm(RV_OP_SLLI, n, x, p), RV_OP_SLLI);
    if (chance(g, 20))
        gen_between(g);
    if (chance(g, 25))
        g->group++; /* (gen_program counts the group this one ends) */
    emit(g, enc_shift_imm(right, m, p, chance(g, 75) ? p : dst_reg(g)), right);
    if (chance(g, 30))
        emit(g, enc_i(imm12(g), src_reg(g), 0, p, OPC_OP_IMM), RV_OP_ADDI); /* the shifted value overwritten */
}

static void gen_alu_imm(gen_ctx *g)
{
    uint32_t k = rnd(g, 13);
    if (k == 12) {
        gen_sunk(g);
    } else if (k >= 10) {
        gen_rotate(g);
    } else if (k < 4) {
        unsigned i = rnd(g, COUNT(ri_ops));
        emit(g, enc_i(imm12(g), src_reg(g), ri_ops[i].f3, dst_reg(g), ri_ops[i].opc), ri_ops[i].op);
    } else if (k < 8) {
        unsigned i = rnd(g, COUNT(sh_ops));
        uint32_t sh = shamt(g, sh_ops[i].wide ? 64 : 32);
        uint32_t hi = sh_ops[i].wide ? (uint32_t)sh_ops[i].f << 26 : (uint32_t)sh_ops[i].f << 25;
        emit(g, hi | sh << 20 | src_reg(g) << 15 | (uint32_t)sh_ops[i].f3 << 12 | dst_reg(g) << 7 | sh_ops[i].opc,
             sh_ops[i].op);
    } else {
        unsigned i = rnd(g, COUNT(unary_ops));
        emit(g, enc_r(unary_ops[i].f7, unary_ops[i].rs2, src_reg(g), unary_ops[i].f3, dst_reg(g), unary_ops[i].opc),
             unary_ops[i].op);
    }
}

static void gen_upper(gen_ctx *g)
{
    uint32_t imm20 = chance(g, 50) ? (uint32_t)gen_next(&g->r) & 0xfffff : (chance(g, 50) ? 0x80000 : 0x7ffff);
    if (chance(g, 50))
        emit(g, imm20 << 12 | dst_reg(g) << 7 | OPC_LUI, RV_OP_LUI);
    else
        emit(g, imm20 << 12 | dst_reg(g) << 7 | OPC_AUIPC, RV_OP_AUIPC);
}

/* ---- memory ---- */

/* A base register and offset: mostly the reserved data pointers. */
static void mem_operand(gen_ctx *g, uint32_t align, uint32_t *base, int32_t *off)
{
    uint32_t k = rnd(g, 20);
    *base = k < 9 ? 3 : k < 16 ? 4 : k < 18 ? 2 : k < 19 ? 8 : src_reg(g); /* the last: a wild address */
    if (chance(g, 70))
        *off = (int32_t)((rnd(g, 4096) - 2048) & ~(align - 1));
    else
        *off = (int32_t)rnd(g, 4096) - 2048;
}

static void gen_load(gen_ctx *g)
{
    static const uint16_t ops[] = {RV_OP_LB, RV_OP_LH, RV_OP_LW, RV_OP_LD, RV_OP_LBU, RV_OP_LHU, RV_OP_LWU};
    uint32_t f3 = rnd(g, 7), base;
    int32_t off;
    mem_operand(g, 1u << (f3 & 3), &base, &off);
    emit(g, enc_i(off, base, f3, dst_reg(g), OPC_LOAD), ops[f3]);
}

static void gen_store(gen_ctx *g)
{
    static const uint16_t ops[] = {RV_OP_SB, RV_OP_SH, RV_OP_SW, RV_OP_SD};
    uint32_t f3 = rnd(g, 4), base;
    int32_t off;
    mem_operand(g, 1u << f3, &base, &off);
    emit(g, enc_s(off, src_reg(g), base, f3, OPC_STORE), ops[f3]);
}

static void gen_fp_mem(gen_ctx *g)
{
    uint32_t d = rnd(g, 2), base;
    int32_t off;
    mem_operand(g, d ? 8 : 4, &base, &off);
    if (chance(g, 50))
        emit(g, enc_i(off, base, 2 + d, rnd(g, 32), OPC_LOAD_FP), d ? RV_OP_FLD : RV_OP_FLW);
    else
        emit(g, enc_s(off, rnd(g, 32), base, 2 + d, OPC_STORE_FP), d ? RV_OP_FSD : RV_OP_FSW);
}

/* ---- compressed ---- */

static void gen_rvc_alu(gen_ctx *g)
{
    uint32_t rd = dst_reg(g), k = rnd(g, 13);
    if (rd == 0)
        rd = 1;
    switch (k) {
    case 0: { /* c.addi (nonzero imm) */
        int32_t v = (int32_t)rnd(g, 63) - 32;
        if (v == 0)
            v = 1;
        emit(g, 0x0001 | rd << 7 | imm_c6(v), RV_OP_ADDI);
        break;
    }
    case 1:
        emit(g, 0x2001 | rd << 7 | imm_c6((int32_t)rnd(g, 64) - 32), RV_OP_ADDIW);
        break;
    case 2:
        emit(g, 0x4001 | rd << 7 | imm_c6((int32_t)rnd(g, 64) - 32), RV_OP_ADDI); /* c.li */
        break;
    case 3: { /* c.lui: nonzero 6-bit signed imm, rd != 2 */
        int32_t v = (int32_t)rnd(g, 63) - 32;
        if (v == 0)
            v = -1;
        emit(g, 0x6001 | rd << 7 | imm_c6(v), RV_OP_LUI);
        break;
    }
    case 4:
        emit(g, 0x8002 | rd << 7 | (1 + rnd(g, 31)) << 2, RV_OP_ADDI); /* c.mv (decoded as addi rd, rs2, 0) */
        break;
    case 5:
        emit(g, 0x9002 | rd << 7 | (1 + rnd(g, 31)) << 2, RV_OP_ADD); /* c.add */
        break;
    case 6: {
        uint32_t sh = 1 + rnd(g, 63);
        emit(g, 0x0002 | rd << 7 | imm_c6((int32_t)sh), RV_OP_SLLI);
        break;
    }
    default: { /* quadrant 1, funct3 100: on x8..x15 */
        static const uint16_t ab[] = {RV_OP_SUB, RV_OP_XOR, RV_OP_OR, RV_OP_AND};
        static const uint16_t abw[] = {RV_OP_SUBW, RV_OP_ADDW};
        uint32_t r = dst_creg(g);
        uint32_t j = rnd(g, 5);
        if (j == 0)
            emit(g, 0x8001 | r << 7 | imm_c6((int32_t)(1 + rnd(g, 63))), RV_OP_SRLI);
        else if (j == 1)
            emit(g, 0x8401 | r << 7 | imm_c6((int32_t)(1 + rnd(g, 63))), RV_OP_SRAI);
        else if (j == 2)
            emit(g, 0x8801 | r << 7 | imm_c6((int32_t)rnd(g, 64) - 32), RV_OP_ANDI);
        else if (j == 3) {
            uint32_t f2 = rnd(g, 4);
            emit(g, 0x8c01 | r << 7 | f2 << 5 | rnd(g, 8) << 2, ab[f2]);
        } else {
            uint32_t f2 = rnd(g, 2);
            emit(g, 0x9c01 | r << 7 | f2 << 5 | rnd(g, 8) << 2, abw[f2]);
        }
        break;
    }
    }
}

static void gen_rvc_mem(gen_ctx *g)
{
    uint32_t k = rnd(g, 12);
    uint32_t rs1 = 0; /* x8 as a compressed register */
    switch (k) {
    case 0: case 1: { /* c.lw / c.sw */
        uint32_t u = rnd(g, 32) * 4;
        uint32_t f = ((u >> 3) & 7) << 10 | bit(u, 2) << 6 | bit(u, 6) << 5;
        if (k == 0)
            emit(g, 0x4000 | f | rs1 << 7 | dst_creg(g) << 2, RV_OP_LW);
        else
            emit(g, 0xc000 | f | rs1 << 7 | rnd(g, 8) << 2, RV_OP_SW);
        break;
    }
    case 2: case 3: case 4: case 5: { /* c.ld / c.sd / c.fld / c.fsd */
        static const uint16_t f3s[] = {0x6000, 0xe000, 0x2000, 0xa000};
        static const uint16_t ops[] = {RV_OP_LD, RV_OP_SD, RV_OP_FLD, RV_OP_FSD};
        uint32_t u = rnd(g, 32) * 8;
        uint32_t f = ((u >> 3) & 7) << 10 | ((u >> 6) & 3) << 5;
        uint32_t r2 = k == 2 ? dst_creg(g) : rnd(g, 8);
        emit(g, f3s[k - 2] | f | rs1 << 7 | r2 << 2, ops[k - 2]);
        break;
    }
    case 6: case 7: { /* c.lwsp / c.swsp */
        uint32_t u = rnd(g, 64) * 4;
        if (k == 6) {
            uint32_t rd = dst_reg(g);
            emit(g, 0x4002 | bit(u, 5) << 12 | (rd ? rd : 1) << 7 | ((u >> 2) & 7) << 4 | ((u >> 6) & 3) << 2,
                 RV_OP_LW);
        } else {
            emit(g, 0xc002 | ((u >> 2) & 15) << 9 | ((u >> 6) & 3) << 7 | rnd(g, 32) << 2, RV_OP_SW);
        }
        break;
    }
    default: { /* c.ldsp / c.sdsp / c.fldsp / c.fsdsp */
        uint32_t u = rnd(g, 64) * 8;
        uint32_t which = k - 8;
        if (which == 0 || which == 2) {
            uint32_t rd = which == 0 ? dst_reg(g) : rnd(g, 32);
            if (which == 0 && rd == 0)
                rd = 1;
            emit(g, (which == 0 ? 0x6002 : 0x2002) | bit(u, 5) << 12 | rd << 7 | ((u >> 3) & 3) << 5 |
                        ((u >> 6) & 7) << 2,
                 which == 0 ? RV_OP_LD : RV_OP_FLD);
        } else {
            emit(g, (which == 1 ? 0xe002 : 0xa002) | ((u >> 3) & 7) << 10 | ((u >> 6) & 7) << 7 | rnd(g, 32) << 2,
                 which == 1 ? RV_OP_SD : RV_OP_FSD);
        }
        break;
    }
    }
}

/* ---- control flow (targets are later groups; resolved in fixup) ---- */

static int32_t fwd(gen_ctx *g)
{
    return 1 + (int32_t)(chance(g, 60) ? rnd(g, 3) : rnd(g, 10));
}

static void gen_branch(gen_ctx *g)
{
    uint32_t k = rnd(g, 10);
    if (k < 6) {
        static const uint32_t f3s[] = {0, 1, 4, 5, 6, 7};
        emit_fix(g, enc_r(0, src_reg(g), src_reg(g), f3s[rnd(g, 6)], 0, OPC_BRANCH), FIX_BRANCH, fwd(g), 0);
    } else if (k < 8) {
        uint32_t c = chance(g, 50) ? 0xc001 : 0xe001; /* c.beqz / c.bnez */
        emit_fix(g, c | rnd(g, 8) << 7, FIX_CB, fwd(g), 0);
    } else if (k < 9) {
        emit_fix(g, 0xa001, FIX_CJ, fwd(g), 0); /* c.j */
    } else {
        emit_fix(g, dst_reg(g) << 7 | OPC_JAL, FIX_JAL, fwd(g), 0);
    }
}

/* auipc t, 0; addi t, t, delta; jalr rd, k(t) (or c.jr / c.jalr t). */
static void gen_indirect(gen_ctx *g)
{
    uint32_t t = dst_reg(g);
    if (t == 0)
        t = 5;
    uint32_t a = emit(g, t << 7 | OPC_AUIPC, RV_OP_AUIPC);
    /* jalr's offset k: 1 makes the sum odd (jalr clears bit 0), -8 is undone by addi. */
    int32_t k = chance(g, 70) ? 0 : chance(g, 50) ? 1 : -8;
    uint32_t kind = rnd(g, 4);
    if (kind >= 2)
        k = 0;
    int32_t bias = k == 1 ? 0 : -k; /* addi's immediate before the fixup adds the distance */
    emit_fix(g, enc_i(bias, t, 0, t, OPC_OP_IMM), FIX_PCREL_ADDI, fwd(g), (int32_t)a);
    if (kind < 2)
        emit(g, enc_i(k, t, 0, dst_reg(g), OPC_JALR), RV_OP_JALR);
    else if (kind == 2)
        emit(g, 0x8002 | t << 7, RV_OP_JALR); /* c.jr */
    else
        emit(g, 0x9002 | t << 7, RV_OP_JALR); /* c.jalr */
}

/* ---- floating point ---- */

static uint32_t rm_field(gen_ctx *g)
{
    uint32_t k = rnd(g, 100);
    return k < 70 ? rnd(g, 5) : k < 96 ? 7 : 5 + rnd(g, 2);
}

static int rm_ok_static(uint32_t rm) { return rm <= 4 || rm == 7; }

static void gen_fp_arith(gen_ctx *g)
{
    uint32_t d = rnd(g, 2), rd = rnd(g, 32), r1 = rnd(g, 32), r2 = rnd(g, 32);
    uint32_t k = rnd(g, 9), rm = rm_field(g);
#define SD(s) (d ? RV_OP_##s##_D : RV_OP_##s##_S)
    switch (k) {
    case 0: case 1: case 2: case 3: {
        static const uint16_t s[] = {RV_OP_FADD_S, RV_OP_FSUB_S, RV_OP_FMUL_S, RV_OP_FDIV_S};
        static const uint16_t dd[] = {RV_OP_FADD_D, RV_OP_FSUB_D, RV_OP_FMUL_D, RV_OP_FDIV_D};
        emit(g, enc_r(k << 2 | d, r2, r1, rm, rd, OPC_OP_FP), rm_ok_static(rm) ? (d ? dd[k] : s[k]) : RV_OP_ILLEGAL);
        break;
    }
    case 4:
        emit(g, enc_r(0x0b << 2 | d, 0, r1, rm, rd, OPC_OP_FP), rm_ok_static(rm) ? SD(FSQRT) : RV_OP_ILLEGAL);
        break;
    case 5: {
        uint32_t f3 = rnd(g, 3);
        static const uint16_t s[] = {RV_OP_FSGNJ_S, RV_OP_FSGNJN_S, RV_OP_FSGNJX_S};
        static const uint16_t dd[] = {RV_OP_FSGNJ_D, RV_OP_FSGNJN_D, RV_OP_FSGNJX_D};
        emit(g, enc_r(0x04 << 2 | d, r2, r1, f3, rd, OPC_OP_FP), d ? dd[f3] : s[f3]);
        break;
    }
    case 6: {
        uint32_t f3 = rnd(g, 2);
        emit(g, enc_r(0x05 << 2 | d, r2, r1, f3, rd, OPC_OP_FP), f3 ? SD(FMAX) : SD(FMIN));
        break;
    }
    default: { /* fused multiply-add family */
        static const uint16_t s[] = {RV_OP_FMADD_S, RV_OP_FMSUB_S, RV_OP_FNMSUB_S, RV_OP_FNMADD_S};
        static const uint16_t dd[] = {RV_OP_FMADD_D, RV_OP_FMSUB_D, RV_OP_FNMSUB_D, RV_OP_FNMADD_D};
        uint32_t j = rnd(g, 4);
        emit(g, rnd(g, 32) << 27 | d << 25 | r2 << 20 | r1 << 15 | rm << 12 | rd << 7 | (OPC_FMADD + 4 * j),
             rm_ok_static(rm) ? (d ? dd[j] : s[j]) : RV_OP_ILLEGAL);
        break;
    }
    }
#undef SD
}

/* rm 5/6 is reserved: the decoder turns those into illegal instructions. */
/* Zfh: moves, conversions and arithmetic (--ext only). */
/* Zfh arithmetic: OP-FP with fmt = 2: funct5, funct3 (when not an rm),
 * rs2 fixed at 0, integer destination, rounding mode. */
static const struct {
    uint8_t f5, f3, fixed_rs2, x_dest, uses_rm;
    uint16_t op;
} ext_half_ops[] = {
    {0x00, 0, 0, 0, 1, RV_OP_FADD_H}, {0x01, 0, 0, 0, 1, RV_OP_FSUB_H},
    {0x02, 0, 0, 0, 1, RV_OP_FMUL_H}, {0x03, 0, 0, 0, 1, RV_OP_FDIV_H},
    {0x0b, 0, 1, 0, 1, RV_OP_FSQRT_H},
    {0x04, 0, 0, 0, 0, RV_OP_FSGNJ_H}, {0x04, 1, 0, 0, 0, RV_OP_FSGNJN_H},
    {0x04, 2, 0, 0, 0, RV_OP_FSGNJX_H}, {0x05, 0, 0, 0, 0, RV_OP_FMIN_H},
    {0x05, 1, 0, 0, 0, RV_OP_FMAX_H},
    {0x14, 2, 0, 1, 0, RV_OP_FEQ_H}, {0x14, 1, 0, 1, 0, RV_OP_FLT_H},
    {0x14, 0, 0, 1, 0, RV_OP_FLE_H}, {0x1c, 1, 1, 1, 0, RV_OP_FCLASS_H},
};

static void gen_ext_half(gen_ctx *g)
{
    uint32_t k = rnd(g, COUNT(ext_half_ops) + 3), rm = rm_field(g);
    if (k < COUNT(ext_half_ops)) {
        const uint32_t f5 = ext_half_ops[k].f5;
        uint32_t f3 = ext_half_ops[k].uses_rm ? rm : ext_half_ops[k].f3;
        uint32_t rs2 = ext_half_ops[k].fixed_rs2 ? 0 : rnd(g, 32);
        uint32_t rd = ext_half_ops[k].x_dest ? dst_reg(g) : rnd(g, 32);
        int ok = !ext_half_ops[k].uses_rm || rm_ok_static(rm);
        emit(g, enc_r(f5 << 2 | 2, rs2, rnd(g, 32), f3, rd, OPC_OP_FP), ok ? ext_half_ops[k].op : RV_OP_ILLEGAL);
        return;
    }
    k -= COUNT(ext_half_ops);
    if (k == 0) { /* fused multiply-adds: fmt 2 in bits 26:25 */
        static const uint16_t fma[4] = {RV_OP_FMADD_H, RV_OP_FMSUB_H, RV_OP_FNMSUB_H, RV_OP_FNMADD_H};
        uint32_t j = rnd(g, 4);
        uint32_t bits = enc_r(rnd(g, 32) << 2 | 2, rnd(g, 32), rnd(g, 32), rm, rnd(g, 32), OPC_FMADD + 4 * j);
        emit(g, bits, rm_ok_static(rm) ? fma[j] : RV_OP_ILLEGAL);
    } else if (k == 1) { /* fcvt.{w,wu,l,lu}.h */
        static const uint16_t ops[4] = {RV_OP_FCVT_W_H, RV_OP_FCVT_WU_H, RV_OP_FCVT_L_H, RV_OP_FCVT_LU_H};
        uint32_t j = rnd(g, 4);
        emit(g, enc_r(0x18 << 2 | 2, j, rnd(g, 32), rm, dst_reg(g), OPC_OP_FP), rm_ok_static(rm) ? ops[j] : RV_OP_ILLEGAL);
    } else { /* fcvt.h.{w,wu,l,lu} */
        static const uint16_t ops[4] = {RV_OP_FCVT_H_W, RV_OP_FCVT_H_WU, RV_OP_FCVT_H_L, RV_OP_FCVT_H_LU};
        uint32_t j = rnd(g, 4);
        emit(g, enc_r(0x1a << 2 | 2, j, src_reg(g), rm, rnd(g, 32), OPC_OP_FP), rm_ok_static(rm) ? ops[j] : RV_OP_ILLEGAL);
    }
}

static void gen_ext_fp(gen_ctx *g)
{
    if (chance(g, 50)) {
        gen_ext_half(g);
        return;
    }
    uint32_t k = rnd(g, 6), rm = rm_field(g);
    switch (k) {
    case 0: case 1: /* fcvt.s.h / fcvt.d.h (fmt S / D, rs2 = 2) */
        emit(g, enc_r(0x08 << 2 | k, 2, rnd(g, 32), rm, rnd(g, 32), OPC_OP_FP),
             rm_ok_static(rm) ? (k ? RV_OP_FCVT_D_H : RV_OP_FCVT_S_H) : RV_OP_ILLEGAL);
        break;
    case 2: case 3: /* fcvt.h.s / fcvt.h.d (fmt H, rs2 = 0 / 1) */
        emit(g, enc_r(0x08 << 2 | 2, k - 2, rnd(g, 32), rm, rnd(g, 32), OPC_OP_FP),
             rm_ok_static(rm) ? (k == 3 ? RV_OP_FCVT_H_D : RV_OP_FCVT_H_S) : RV_OP_ILLEGAL);
        break;
    case 4: /* fmv.x.h */
        emit(g, enc_r(0x1c << 2 | 2, 0, rnd(g, 32), 0, dst_reg(g), OPC_OP_FP), RV_OP_FMV_X_H);
        break;
    default: /* fmv.h.x */
        emit(g, enc_r(0x1e << 2 | 2, 0, src_reg(g), 0, rnd(g, 32), OPC_OP_FP), RV_OP_FMV_H_X);
        break;
    }
}

static void gen_fp_other(gen_ctx *g)
{
    if (gen_ext_ops && chance(g, 40)) {
        gen_ext_fp(g);
        return;
    }
    uint32_t d = rnd(g, 2), k = rnd(g, 7), rm = rm_field(g);
#define SD(s) (d ? RV_OP_##s##_D : RV_OP_##s##_S)
    switch (k) {
    case 0: { /* compares -> x */
        uint32_t f3 = rnd(g, 3);
        int op = f3 == 0 ? SD(FLE) : f3 == 1 ? SD(FLT) : SD(FEQ);
        emit(g, enc_r(0x14 << 2 | d, rnd(g, 32), rnd(g, 32), f3, dst_reg(g), OPC_OP_FP), op);
        break;
    }
    case 1: { /* fcvt.{w,wu,l,lu}.{s,d} */
        static const uint16_t s[] = {RV_OP_FCVT_W_S, RV_OP_FCVT_WU_S, RV_OP_FCVT_L_S, RV_OP_FCVT_LU_S};
        static const uint16_t dd[] = {RV_OP_FCVT_W_D, RV_OP_FCVT_WU_D, RV_OP_FCVT_L_D, RV_OP_FCVT_LU_D};
        uint32_t j = rnd(g, 4);
        emit(g, enc_r(0x18 << 2 | d, j, rnd(g, 32), rm, dst_reg(g), OPC_OP_FP),
             rm_ok_static(rm) ? (d ? dd[j] : s[j]) : RV_OP_ILLEGAL);
        break;
    }
    case 2: { /* fcvt.{s,d}.{w,wu,l,lu} */
        static const uint16_t s[] = {RV_OP_FCVT_S_W, RV_OP_FCVT_S_WU, RV_OP_FCVT_S_L, RV_OP_FCVT_S_LU};
        static const uint16_t dd[] = {RV_OP_FCVT_D_W, RV_OP_FCVT_D_WU, RV_OP_FCVT_D_L, RV_OP_FCVT_D_LU};
        uint32_t j = rnd(g, 4);
        emit(g, enc_r(0x1a << 2 | d, j, src_reg(g), rm, rnd(g, 32), OPC_OP_FP),
             rm_ok_static(rm) ? (d ? dd[j] : s[j]) : RV_OP_ILLEGAL);
        break;
    }
    case 3: /* fcvt.s.d / fcvt.d.s */
        emit(g, enc_r(0x08 << 2 | d, d ? 0 : 1, rnd(g, 32), rm, rnd(g, 32), OPC_OP_FP),
             rm_ok_static(rm) ? (d ? RV_OP_FCVT_D_S : RV_OP_FCVT_S_D) : RV_OP_ILLEGAL);
        break;
    case 4: /* fmv.x.{w,d} / fclass */
    case 5: {
        uint32_t f3 = k == 4 ? 0 : 1;
        emit(g, enc_r(0x1c << 2 | d, 0, rnd(g, 32), f3, dst_reg(g), OPC_OP_FP), f3 ? SD(FCLASS) : (d ? RV_OP_FMV_X_D : RV_OP_FMV_X_W));
        break;
    }
    default: /* fmv.{w,d}.x */
        emit(g, enc_r(0x1e << 2 | d, 0, src_reg(g), 0, rnd(g, 32), OPC_OP_FP), d ? RV_OP_FMV_D_X : RV_OP_FMV_W_X);
        break;
    }
#undef SD
}

/* ---- atomics ---- */

static const uint8_t amo_f5[] = {0x01, 0x00, 0x04, 0x0c, 0x08, 0x10, 0x14, 0x18, 0x1c};
static const uint16_t amo_w_ops[] = {RV_OP_AMOSWAP_W, RV_OP_AMOADD_W, RV_OP_AMOXOR_W, RV_OP_AMOAND_W,
                                     RV_OP_AMOOR_W, RV_OP_AMOMIN_W, RV_OP_AMOMAX_W, RV_OP_AMOMINU_W,
                                     RV_OP_AMOMAXU_W};

static uint32_t enc_amo(uint32_t f5, uint32_t d, uint32_t rs2, uint32_t rs1, uint32_t rd, uint32_t aqrl)
{
    return f5 << 27 | aqrl << 25 | rs2 << 20 | rs1 << 15 | (2 + d) << 12 | rd << 7 | OPC_AMO;
}

static int amo_op(int w_op, uint32_t d)
{
    return d ? w_op - RV_OP_LR_W + RV_OP_LR_D : w_op;
}

/* addi t, x3, off (aligned, now and then misaligned); returns t. */
static uint32_t amo_addr(gen_ctx *g, uint32_t d)
{
    uint32_t t = dst_reg(g);
    if (t == 0)
        t = 6;
    int32_t off = ((int32_t)rnd(g, 2048) - 1024) & ~7;
    if (chance(g, 8))
        off += (int32_t)(1 + rnd(g, d ? 7 : 3));
    emit(g, enc_i(off, 3, 0, t, OPC_OP_IMM), RV_OP_ADDI);
    return t;
}

static void gen_amo(gen_ctx *g)
{
    uint32_t d = rnd(g, 2), j = rnd(g, COUNT(amo_f5));
    uint32_t t = amo_addr(g, d);
    emit(g, enc_amo(amo_f5[j], d, src_reg(g), t, dst_reg(g), rnd(g, 4)), amo_op(amo_w_ops[j], d));
}

static void gen_lrsc(gen_ctx *g)
{
    uint32_t d = rnd(g, 2);
    uint32_t t = amo_addr(g, d);
    g->avoid = 1u << t;
    uint32_t k = rnd(g, 10);
    if (k < 8) /* lr (k 7: no sc follows) */
        emit(g, enc_amo(0x02, d, 0, t, dst_reg(g), rnd(g, 4)), amo_op(RV_OP_LR_W, d));
    for (uint32_t n = rnd(g, 3); n; n--) {
        uint32_t j = rnd(g, 4);
        if (j == 0)
            emit(g, enc_s(0, src_reg(g), t, 2 + d, OPC_STORE), d ? RV_OP_SD : RV_OP_SW);
        else if (j == 1)
            emit(g, enc_amo(0x00, d, src_reg(g), t, dst_reg(g), 0), amo_op(RV_OP_AMOADD_W, d));
        else
            gen_alu_rr(g);
    }
    if (k != 7) {
        uint32_t sd = chance(g, 85) ? d : !d; /* a size mismatch now and then */
        uint32_t base = t;
        if (k == 9) { /* sc to another address */
            g->avoid = 0;
            base = amo_addr(g, sd);
        }
        emit(g, enc_amo(0x03, sd, src_reg(g), base, dst_reg(g), rnd(g, 4)), amo_op(RV_OP_SC_W, sd));
    }
    g->avoid = 0;
}

/* ---- CSRs, fences, system ---- */

static void gen_csr(gen_ctx *g)
{
    static const uint16_t fp_csrs[] = {0x001, 0x002, 0x003};
    static const uint16_t ops[] = {0, RV_OP_CSRRW, RV_OP_CSRRS, RV_OP_CSRRC, 0, RV_OP_CSRRWI, RV_OP_CSRRSI, RV_OP_CSRRCI};
    uint32_t k = rnd(g, 20);
    uint32_t csr, f3 = 1 + rnd(g, 3) + (chance(g, 50) ? 4 : 0), src = src_reg(g);
    if (k < 13) {
        csr = fp_csrs[rnd(g, 3)];
    } else if (k < 18) {
        csr = 0xc00 + rnd(g, 3); /* cycle, time, instret: read only */
        if (!chance(g, 10)) {
            f3 = chance(g, 50) ? 2 : 6;
            src = 0;
        }
    } else {
        static const uint16_t bad[] = {0x300, 0x100, 0x341, 0xb00, 0x7c0, 0x180};
        csr = bad[rnd(g, COUNT(bad))];
    }
    emit(g, csr << 20 | src << 15 | f3 << 12 | dst_reg(g) << 7 | OPC_SYSTEM, ops[f3]);
}

static void gen_misc(gen_ctx *g)
{
    uint32_t k = rnd(g, 12);
    if (k < 3)
        emit(g, (rnd(g, 16) << 24) | (rnd(g, 16) << 20) | OPC_MISC_MEM, RV_OP_FENCE);
    else if (k < 5)
        emit(g, 0x0000100f, RV_OP_FENCE_I);
    else if (k < 6)
        emit(g, 0x00100073, RV_OP_EBREAK);
    else if (k < 7)
        emit(g, 0x9002, RV_OP_EBREAK); /* c.ebreak */
    else {
        /* Illegal or privileged-in-U encodings. */
        static const uint32_t bad[] = {
            0x00000000, /* two 16-bit illegal parcels */
            0xffffffff, /* longer-than-32-bit encoding */
            0x7e000033, /* OP with a reserved funct7 */
            0x30200073, /* mret */
            0x10200073, /* sret */
            0x12000073, /* sfence.vma */
            0x0000607f, /* reserved major opcode */
            0x6081,     /* c.lui x1, 0 (reserved) */
            0x2001,     /* c.addiw x0 (reserved) */
        };
        emit(g, bad[rnd(g, COUNT(bad))], -1);
    }
}

/* Self-modifying code on the patch page (the code region itself is not
 * writable, so stray stores there fault instead of leaving stale code whose
 * use would be implementation-defined). Slot k holds [insn][jalr x0, 0(l)]:
 *   lui t, PATCH; jalr l, 8k(t)           run the old instruction
 *   lui v; addiw v; sw v, 8k(t); fence.i   write a new one
 *   jalr l, 8k(t)                          the new one must run
 * The slot instructions never write t or l. */
static uint32_t slot_insn(gen_ctx *g)
{
    const rr_def *d = &rr_ops[rnd(g, COUNT(rr_ops))];
    gen_op_seen[d->op] = 1;
    return enc_r(d->f7, src_reg(g), src_reg(g), d->f3, dst_reg(g), d->opc);
}

static void gen_patch(gen_ctx *g)
{
    gen_prog *p = g->p;
    if (p->npatch >= GEN_PATCH_SLOTS) {
        gen_alu_rr(g);
        return;
    }
    uint32_t k = p->npatch++;
    uint32_t t = dst_reg(g), l, v;
    if (t == 0)
        t = 6;
    g->avoid = 1u << t;
    l = dst_reg(g);
    if (l == 0)
        l = t == 7 ? 5 : 7;
    g->avoid |= 1u << l;
    v = dst_reg(g);
    if (v == 0)
        v = 1;
    while (v == t || v == l || (RESERVED_MASK >> v & 1))
        v = 9 + rnd(g, 23);
    p->patch[k][0] = slot_insn(g);
    p->patch[k][1] = enc_i(0, l, 0, 0, OPC_JALR);
    uint32_t word = slot_insn(g);
    int32_t lo = ((int32_t)(word << 20)) >> 20;
    uint32_t hi = (word - (uint32_t)lo) >> 12;
    emit(g, (GEN_PATCH_BASE >> 12) << 12 | t << 7 | OPC_LUI, RV_OP_LUI);
    if (chance(g, 80))
        emit(g, enc_i((int32_t)(8 * k), t, 0, l, OPC_JALR), RV_OP_JALR);
    emit(g, hi << 12 | v << 7 | OPC_LUI, RV_OP_LUI);
    emit(g, enc_i(lo, v, 0, v, OPC_OP_IMM32), RV_OP_ADDIW);
    emit(g, enc_s((int32_t)(8 * k), v, t, 2, OPC_STORE), RV_OP_SW);
    emit(g, 0x0000100f, RV_OP_FENCE_I); /* without it, either instruction may run */
    emit(g, enc_i((int32_t)(8 * k), t, 0, l, OPC_JALR), RV_OP_JALR);
    g->avoid = 0;
}

/* ------------------------------------------------------------- program */

/* Straight-line work that does not end a block (loop bodies, long blocks). */
static void gen_straight(gen_ctx *g)
{
    uint32_t k = rnd(g, 100);
    if (k < 30) gen_alu_rr(g);
    else if (k < 50) gen_alu_imm(g);
    else if (k < 55) gen_upper(g);
    else if (k < 65) gen_load(g);
    else if (k < 72) gen_store(g);
    else if (k < 82) gen_rvc_alu(g);
    else if (k < 87) gen_rvc_mem(g);
    else if (k < 95) gen_fp_arith(g);
    else gen_fp_mem(g);
}

/* A window of values sliding down registers, as unrolled loops keep one
 * (SHA-256's state and message schedule): copies (mv, or sext.w) from each
 * register to the one before it, a load that may trap between now and
 * then, a new 32-bit value into the last, the window read after. */
static void gen_window(gen_ctx *g)
{
    uint32_t r[6], n = 3 + rnd(g, 4);
    for (uint32_t k = 0; k < n; k++)
        r[k] = dst_reg(g);
    if (chance(g, 50)) { /* more registers, busier, than the JIT has host registers for */
        uint32_t busy[13], nb = 0, used = RESERVED_MASK | g->avoid;
        for (uint32_t k = 0; k < n; k++)
            used |= 1u << r[k];
        for (uint32_t x = 1 + rnd(g, 31), tries = 0; nb < 13 && tries < 31; x = x % 31 + 1, tries++)
            if (!(used >> x & 1))
                busy[nb++] = x;
        for (uint32_t round = 0; round < 3; round++)
            for (uint32_t k = 0; k < nb; k++)
                emit(g, enc_r(0, busy[(k + 1) % nb], busy[k], 0, busy[k], OPC_OP), RV_OP_ADD);
    }
    for (uint32_t k = 0; k + 1 < n; k++) {
        int w = chance(g, 50);
        emit(g, enc_i(0, r[k + 1], 0, r[k], w ? OPC_OP_IMM32 : OPC_OP_IMM), w ? RV_OP_ADDIW : RV_OP_ADDI);
        if (chance(g, 15))
            gen_load(g);
    }
    if (chance(g, 30)) { /* a register just copied changes (reading itself) */
        uint32_t j = 1 + rnd(g, n - 1);
        emit(g, enc_i(imm12(g), r[j], 0, r[j], OPC_OP_IMM), RV_OP_ADDI);
    }
    if (chance(g, 25)) /* the new value loaded (an operation that may trap writes it) */
        emit(g, enc_i((int32_t)rnd(g, 64) * 4, 4, 2, r[n - 1], OPC_LOAD), RV_OP_LW);
    else
        emit(g, enc_r(0, src_reg(g), src_reg(g), 0, r[n - 1], OPC_OP32), RV_OP_ADDW);
    if (chance(g, 30)) { /* and copied over at once, then read */
        emit(g, enc_i(0, r[rnd(g, n)], 0, r[n - 1], OPC_OP_IMM), RV_OP_ADDI);
        emit(g, enc_r(0, r[n - 1], src_reg(g), 4, dst_reg(g), OPC_OP), RV_OP_XOR);
    }
    if (chance(g, 60))
        emit(g, enc_r(0, r[rnd(g, n)], r[rnd(g, n)], 0, chance(g, 50) ? r[rnd(g, n)] : dst_reg(g), OPC_OP),
             RV_OP_ADD);
}

/* li xc, n; body; addi xc, xc, -1; bnez xc, body: a bounded backward loop.
 * One group, so no branch from outside lands inside it; the body never
 * writes xc. */
static void gen_loop(gen_ctx *g)
{
    uint32_t xc = 5 + rnd(g, 27);
    while ((RESERVED_MASK >> xc) & 1)
        xc = 5 + rnd(g, 27);
    emit(g, enc_i((int32_t)(1 + rnd(g, 16)), 0, 0, xc, OPC_OP_IMM), RV_OP_ADDI);
    g->avoid = 1u << xc;
    uint32_t body = g->p->n;
    for (uint32_t n = 1 + rnd(g, 12); n; n--) {
        if (g->idiom_pct && gen_below(&g->idioms, 100) < 25)
            gen_window(g);
        else
            gen_straight(g);
    }
    emit(g, enc_i(-1, xc, 0, xc, OPC_OP_IMM), RV_OP_ADDI);
    emit_fix(g, enc_r(0, 0, xc, 1, 0, OPC_BRANCH), FIX_BACK, 0, (int32_t)body);
    g->avoid = 0;
}

static void gen_group(gen_ctx *g)
{
    if (g->idiom_pct && gen_below(&g->idioms, 100) < g->idiom_pct) {
        uint32_t k = gen_below(&g->idioms, 4);
        if (k == 0)
            gen_pointer_walk(g);
        else if (k == 1)
            gen_reread(g);
        else if (k == 2)
            gen_not_logic(g);
        else
            gen_extend(g);
        return;
    }
    uint32_t k = rnd(g, 1000);
    /* Profile 1 makes long straight blocks (register allocation, flushes). */
    if (g->profile == 1 && rnd(g, 100) < 92)
        k = 1000;
    if (k >= 1000) gen_straight(g);
    else if (k < 200) gen_alu_rr(g);
    else if (k < 320) gen_alu_imm(g);
    else if (k < 345) gen_upper(g);
    else if (k < 405) gen_load(g);
    else if (k < 455) gen_store(g);
    else if (k < 535) gen_rvc_alu(g);
    else if (k < 575) gen_rvc_mem(g);
    else if (k < 645) gen_branch(g);
    else if (k < 665) gen_indirect(g);
    else if (k < 760) gen_fp_arith(g);
    else if (k < 820) gen_fp_other(g);
    else if (k < 855) gen_fp_mem(g);
    else if (k < 885) gen_amo(g);
    else if (k < 905) gen_lrsc(g);
    else if (k < 945) gen_csr(g);
    else if (k < 975) gen_misc(g);
    else if (k < 985) gen_loop(g);
    else gen_patch(g);
}

static void fixup(gen_prog *p, uint32_t *gstart)
{
    uint32_t last = p->ngroups - 1;
    for (uint32_t i = 0; i < p->n; i++) {
        gen_insn *in = &p->insn[i];
        if (in->fix == FIX_NONE)
            continue;
        uint32_t tg = in->group + (uint32_t)in->target;
        if (tg > last)
            tg = last;
        int32_t off;
        rv_insn d;
        switch (in->fix) {
        case FIX_BRANCH:
            off = (int32_t)(gstart[tg] - in->off);
            in->bits |= imm_b(off);
            rv_decode(in->bits, &d);
            check_decode(in->bits, d.op, off, 1);
            break;
        case FIX_JAL:
            off = (int32_t)(gstart[tg] - in->off);
            in->bits |= imm_j(off);
            check_decode(in->bits, RV_OP_JAL, off, 1);
            break;
        case FIX_CJ:
            off = (int32_t)(gstart[tg] - in->off);
            if (off > 2046)
                off = (int32_t)(gstart[in->group + 1] - in->off);
            in->bits |= imm_cj(off);
            check_decode(in->bits, RV_OP_JAL, off, 1);
            break;
        case FIX_CB:
            off = (int32_t)(gstart[tg] - in->off);
            if (off > 254)
                off = (int32_t)(gstart[in->group + 1] - in->off);
            in->bits |= imm_cb(off);
            rv_decode(in->bits, &d);
            check_decode(in->bits, d.op == RV_OP_BEQ ? RV_OP_BEQ : RV_OP_BNE, off, 1);
            break;
        case FIX_BACK: /* loop branch back to an instruction of its own group */
            off = (int32_t)p->insn[in->anchor].off - (int32_t)in->off;
            in->bits |= imm_b(off);
            check_decode(in->bits, RV_OP_BNE, off, 1);
            break;
        case FIX_PCREL_ADDI: {
            off = (int32_t)(gstart[tg] - p->insn[in->anchor].off);
            int32_t imm = (((int32_t)in->bits) >> 20) + off;
            in->bits = (in->bits & 0xfffffu) | ((uint32_t)imm & 0xfff) << 20;
            check_decode(in->bits, RV_OP_ADDI, imm, 1);
            break;
        }
        }
        in->fix = FIX_NONE;
    }
}

void gen_program(gen_prog *p, uint64_t seed, int len)
{
    static uint32_t gstart[GEN_MAX_INSNS + 1];
    gen_ctx g = {.p = p};
    gen_seed(&g.r, seed, 1);
    gen_seed(&g.idioms, seed, 9); /* a stream that leaves the regression seeds (21013, 1175, 883) alone */
    g.idiom_pct = gen_below(&g.idioms, 100) < 30 ? 8 : 0;
    memset(p, 0, offsetof(gen_prog, insn));
    if (len > GEN_MAX_LEN)
        len = GEN_MAX_LEN;
    /* Half the programs start near a page end: blocks cut at the page
     * boundary and instructions straddling it. */
    p->entry_off = chance(&g, 50) ? 0 : 0x1000 - 2 * (1 + rnd(&g, 0x100));
    g.profile = chance(&g, 25);
    p->budget = chance(&g, 50) ? 1 : chance(&g, 50) ? 2 + rnd(&g, 15) : 1000;
    while (p->n < (uint32_t)len) {
        gen_group(&g);
        g.group++;
    }
    emit(&g, 0x00000073, RV_OP_ECALL);
    g.group++;
    p->ngroups = g.group;
    uint32_t off = 0;
    for (uint32_t i = 0; i < p->n; i++) {
        if (i == 0 || p->insn[i].group != p->insn[i - 1].group)
            gstart[p->insn[i].group] = off;
        p->insn[i].off = off;
        off += p->insn[i].len;
    }
    gstart[p->ngroups] = off;
    p->size = off;
    fixup(p, gstart);
}

void gen_write_code(const gen_prog *p, uint8_t *code)
{
    static const uint8_t ecall[4] = {0x73, 0, 0, 0};
    for (uint32_t i = 0; i < GEN_CODE_SIZE; i += 4)
        memcpy(code + i, ecall, 4);
    for (uint32_t i = 0; i < p->n; i++) {
        const gen_insn *in = &p->insn[i];
        memcpy(code + p->entry_off + in->off, &in->bits, in->len); /* little-endian host */
    }
}

void gen_write_patch_page(const gen_prog *p, uint8_t *page)
{
    /* Unused slots: illegal parcels (never reached). */
    memset(page, 0, GEN_PATCH_SIZE);
    memcpy(page, p->patch, sizeof(p->patch[0]) * p->npatch);
}

void gen_nop_group(gen_prog *p, uint32_t g)
{
    for (uint32_t i = 0; i < p->n; i++)
        if (p->insn[i].group == g)
            p->insn[i].bits = p->insn[i].len == 4 ? GEN_NOP32 : GEN_NOP16;
}

int gen_group_is_nop(const gen_prog *p, uint32_t g)
{
    for (uint32_t i = 0; i < p->n; i++)
        if (p->insn[i].group == g && p->insn[i].bits != (p->insn[i].len == 4 ? GEN_NOP32 : GEN_NOP16))
            return 0;
    return 1;
}

/* ------------------------------------------------------- initial state */

static uint64_t int_value(gen_rng *r)
{
    static const uint64_t pool[] = {
        0, 1, 2, 3, ~0ull, ~1ull, 0x8000000000000000ull, 0x7fffffffffffffffull, 0xffffffff80000000ull,
        0x80000000ull, 0x7fffffffull, 0xffffffffull, 31, 32, 63, 64, 0x8000000000000001ull,
        0x00000000ffff8000ull, 0xffffffff7fffffffull, 0x0000000100000000ull, 0x5555555555555555ull,
        0xaaaaaaaaaaaaaaaaull, 0x0123456789abcdefull, 0x80ull, 0xff00ff00ff00ff00ull,
    };
    uint32_t k = gen_below(r, 10);
    if (k < 4)
        return pool[gen_below(r, sizeof(pool) / sizeof(pool[0]))];
    if (k < 6)
        return (uint64_t)(int64_t)((int32_t)gen_below(r, 65) - 32);
    if (k < 7)
        return (uint64_t)(int64_t)(int32_t)(uint32_t)gen_next(r); /* sign-extended 32-bit */
    if (k < 8)
        return (uint32_t)gen_next(r);
    return gen_next(r);
}

static uint64_t fp_value(gen_rng *r)
{
    static const uint64_t dpool[] = {
        0x0000000000000000ull, 0x8000000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
        0x7ff8000000000000ull, 0xfff8000000000000ull, 0x7ff0000000000001ull, 0x7ff4000000000000ull,
        0x0000000000000001ull, 0x800fffffffffffffull, 0x0010000000000000ull, 0x7fefffffffffffffull,
        0x3ff0000000000000ull, 0xbff0000000000000ull, 0x3fe0000000000000ull, 0x3ff8000000000000ull,
        0x4004000000000000ull, 0xc004000000000000ull, 0x43e0000000000000ull, 0xc3e0000000000000ull,
        0x43f0000000000000ull, 0x41e0000000000000ull, 0xc1e0000000200000ull, 0x41efffffffe00000ull,
        0x3ca0000000000000ull, 0x4340000000000001ull, 0x3fefffffffffffffull, 0x36a0000000000000ull,
    };
    static const uint32_t spool[] = {
        0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000,
        0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000,
        0x40200000, 0xc0200000, 0x4f000000, 0xcf000000, 0x4f800000, 0x5f000000, 0x5f800000, 0xdf000000,
        0x33800000, 0x4b000001, 0x3f7fffff,
    };
    uint32_t k = gen_below(r, 20);
    if (k < 7)
        return dpool[gen_below(r, sizeof(dpool) / sizeof(dpool[0]))];
    if (k < 14)
        return 0xffffffff00000000ull | spool[gen_below(r, sizeof(spool) / sizeof(spool[0]))];
    if (k < 15) /* improperly boxed single */
        return (gen_next(r) & 0x7fffffff00000000ull) | spool[gen_below(r, sizeof(spool) / sizeof(spool[0]))];
    if (k < 17) { /* an ordinary double near small integers (ties, rounding) */
        double v = (double)((int32_t)gen_below(r, 2001) - 1000) / (double)(1u << gen_below(r, 4));
        uint64_t u;
        memcpy(&u, &v, 8);
        return u;
    }
    if (k < 19)
        return 0xffffffff00000000ull | (uint32_t)gen_next(r);
    return gen_next(r);
}

void gen_initial_state(rv_cpu *cpu, uint8_t *data, uint64_t seed)
{
    gen_rng r;
    gen_seed(&r, seed, 2);
    for (int i = 1; i < 32; i++)
        cpu->x[i] = int_value(&r);
    for (int i = 0; i < 32; i++)
        cpu->f[i] = fp_value(&r);
    /* Data pointers: x3 near a page boundary inside the region, x4 near
     * either end (so offsets run off the region), x2 / x8 for compressed
     * forms. x4 is misaligned now and then. */
    cpu->x[2] = GEN_DATA_BASE + 0x100;
    cpu->x[3] = GEN_DATA_BASE + 0xc00 + 0x1000 * gen_below(&r, 14);
    cpu->x[4] = gen_below(&r, 2) ? GEN_DATA_BASE + 0x400 : GEN_DATA_BASE + GEN_DATA_SIZE - 0x400;
    if (gen_below(&r, 4) == 0)
        cpu->x[4] += 1 + gen_below(&r, 7);
    cpu->x[8] = GEN_DATA_BASE + 0x3000 + 8 * gen_below(&r, 64);

    uint32_t k = gen_below(&r, 100);
    cpu->frm = k < 85 ? gen_below(&r, 5) : 5 + gen_below(&r, 3);
    cpu->fflags = gen_below(&r, 2) ? 0 : gen_below(&r, 32);
    k = gen_below(&r, 100);
    uint64_t fs = k < 4 ? 0 : k < 30 ? 1 : k < 50 ? 2 : 3; /* off / initial / clean / dirty */
    cpu->mstatus = (cpu->mstatus & ~((uint64_t)3 << 13 | (uint64_t)1 << 63)) | fs << 13;
    if (fs == 3)
        cpu->mstatus |= (uint64_t)1 << 63;
    cpu->mcounteren = cpu->scounteren = gen_below(&r, 10) ? 7 : gen_below(&r, 8);

    for (uint32_t i = 0; i < GEN_DATA_SIZE; i += 8) {
        uint64_t v = gen_below(&r, 5) < 2 ? int_value(&r) : gen_below(&r, 3) < 2 ? fp_value(&r) : gen_next(&r);
        memcpy(data + i, &v, 8);
    }
}
