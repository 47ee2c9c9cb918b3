/* AArch64 backend: IR blocks to host code.
 *
 * Guest registers live in cpu->x / cpu->f. The integer registers a block
 * reads most are also kept in host registers (chosen per block), written
 * through: every write goes to the host register and to cpu->x, so exits
 * and slow paths never write anything back, and after a helper call the
 * caller-saved ones are simply reloaded. F registers stay in memory.
 *
 * Register use inside generated code:
 *   x19        the rv_cpu pointer
 *   x20        cpu->instret (stored at the common exit; helpers never read it)
 *   x21        cpu->mem_base (user mode with direct guest accesses)
 *   x22-x25    the IR temporaries T0-T3 (callee-saved: helper calls keep them)
 *   x26-x28, x4-x8, x12-x15  guest registers (alloc_order)
 *   x0-x3, x9-x11, x16  scratch (x16 for offsets and helper addresses)
 *   [sp+96]    saved fflags around an FP helper with an integer result
 *   [sp+104]   the host's FPCR (generated code runs with FPCR = 0)
 *   d0-d2      scratch for host floating point
 *
 * Each block: entry checks (the straddling instruction's next page, the FP
 * state, instret against cpu->jit_check_at), instret += n, the body, then
 * the out-of-line parts: memory slow paths, exits (chainable B for targets
 * in the same guest page, an inline cache then the jump cache for the
 * others) and trap exits that make pc and instret precise. Guest memory is
 * reached through the soft TLB, or in user mode directly at mem_base + va
 * with a host fault at the access resuming at its slow path.
 *
 * Double-precision arithmetic runs in host FP when exact (emit_host_fp);
 * the rest of floating point and LR/SC/AMO go through the shared C helpers
 * (soft float, jit_atomic), which give exact RISC-V results and flags. */
#if defined(__aarch64__)

#include <stddef.h>
#include <string.h>

#include "../../cpu/fpu.h"
#include "../jit.h"
#include "../jit_helpers.h"
#include "../jit_plan.h"
#include "a64_emit.h"

#define CPU 19
#define ICOUNT 20
#define MEMBASE 21
#define TEMP0 22
#define FRAME 112
#define SLOT_FFLAGS 96
#define SLOT_HOST_FPCR 104
#define MSTATUS_FS ((uint64_t)3 << 13)
#define MSTATUS_DIRTY (MSTATUS_FS | ((uint64_t)1 << 63))
/* B reaches +-128 MiB: blocks branch to the trampolines at the buffer start. */
#define BRANCH_RANGE ((size_t)128 << 20)

_Static_assert(sizeof(rv_tlb_entry) == 32, "the TLB index computation assumes 32-byte entries");

enum { STUB_LOAD_SLOW, STUB_STORE_SLOW, STUB_EXIT, STUB_CHECK, STUB_INTERP, STUB_TRAP, STUB_INTERP_AT };

typedef struct stub {
    uint8_t kind;
    uint16_t index;    /* guest instruction index (trap bookkeeping) */
    uint8_t *site;     /* RW address of the branch to the stub (NULL: only a host fault leads there) */
    uint8_t *resume;   /* RW address a slow path returns to */
    uint8_t *access;   /* direct accesses: RW address of the access instruction */
    const ir_ins *ins; /* slow paths: the memory operation */
    uint64_t target;   /* exits: guest pc */
} stub;

#define MAX_STUBS (IR_MAX_OPS + 16)

/* Host registers for guest registers, callee-saved ones first. */
static const uint8_t alloc_order[] = {26, 27, 28, 4, 5, 6, 7, 8, 12, 13, 14, 15};
#define NALLOC ((int)sizeof(alloc_order))
static bool is_caller_saved(int h) { return h < 19; }

typedef struct cg {
    jit_ctx *jc;
    a64_buf b;
    const ir_block *blk;
    int index;        /* current guest instruction index */
    bool fastmem;     /* guest accesses go straight to mem_base + va */
    uint8_t *loop_head; /* RW address after the entry loads (back edges go there) */
    uint8_t alloc[32];  /* guest register -> host register (0: only in cpu->x) */
    uint32_t op;        /* index of the operation being emitted */
    uint8_t access_check[IR_MAX_OPS]; /* per LOAD/STORE: ACCESS_* (jit_plan.h) */
    stub stubs[MAX_STUBS];
    int nstubs;
    bool overflow;
} cg;

static void add_stub(cg *g, stub s)
{
    if (g->nstubs >= MAX_STUBS) {
        g->overflow = true;
        return;
    }
    g->stubs[g->nstubs++] = s;
}

static uintptr_t rx_of(const cg *g, const uint8_t *rw) { return (uintptr_t)rw - (uintptr_t)g->b.diff; }

/* ---- cpu fields ---- */

/* Load or store register t at cpu + off (x16 holds the offset when it does
 * not fit the scaled immediate). */
static void cpu_ls(a64_buf *b, uint32_t op, int t, size_t off)
{
    if (a64_ls_fits(op, off)) {
        a64_ls(b, op, t, CPU, off);
    } else {
        a64_mov_ri(b, 16, off);
        a64_ls_rr(b, op, t, CPU, 16);
    }
}
#define CPU_LD(b, t, f) cpu_ls(b, A_LDRX, t, offsetof(rv_cpu, f))
#define CPU_ST(b, t, f) cpu_ls(b, A_STRX, t, offsetof(rv_cpu, f))

static size_t xoff(uint8_t v) { return offsetof(rv_cpu, x) + 8u * v; }
static size_t foff(uint8_t v) { return offsetof(rv_cpu, f) + 8u * (unsigned)(v - 32); }

/* r = value of v. */
static void load_v(cg *g, int r, uint8_t v)
{
    if (IR_IS_X(v) && v == 0)
        a64_mov_ri(&g->b, r, 0);
    else if (IR_IS_X(v) && g->alloc[v])
        a64_mov_rr(&g->b, r, g->alloc[v]);
    else if (IR_IS_X(v))
        cpu_ls(&g->b, A_LDRX, r, xoff(v));
    else if (IR_IS_F(v))
        cpu_ls(&g->b, A_LDRX, r, foff(v));
    else
        a64_mov_rr(&g->b, r, TEMP0 + (v - 64));
}

/* r = the instruction's second source (register or immediate). */
static void load_b(cg *g, int r, const ir_ins *i)
{
    if (i->flags & IR_BIMM)
        a64_mov_ri(&g->b, r, (uint64_t)i->imm);
    else
        load_v(g, r, i->b);
}

/* The register holding v: its host register, else loaded into `scratch`. */
static int src(cg *g, uint8_t v, int scratch)
{
    if (IR_IS_X(v) && v != 0 && g->alloc[v])
        return g->alloc[v];
    if (IR_IS_T(v))
        return TEMP0 + (v - 64);
    load_v(g, scratch, v);
    return scratch;
}

static int bsrc(cg *g, const ir_ins *i, int scratch)
{
    if (i->flags & IR_BIMM) {
        a64_mov_ri(&g->b, scratch, (uint64_t)i->imm);
        return scratch;
    }
    return src(g, i->b, scratch);
}

/* Where an operation computes its result for d (then store_v). */
static int dst(const cg *g, uint8_t d)
{
    if (IR_IS_X(d) && d != 0 && g->alloc[d])
        return g->alloc[d];
    if (IR_IS_T(d))
        return TEMP0 + (d - 64);
    return 2;
}

/* After a helper call: the caller-saved host registers again hold their
 * guest registers (written through: cpu->x has every value). */
static void reload(cg *g)
{
    for (int v = 1; v < 32; v++)
        if (g->alloc[v] && is_caller_saved(g->alloc[v]))
            cpu_ls(&g->b, A_LDRX, g->alloc[v], xoff((uint8_t)v));
}

/* mstatus.FS = Dirty (and SD). Takes x9, x10. */
static void mark_fp_dirty(cg *g)
{
    a64_buf *b = &g->b;
    CPU_LD(b, 9, mstatus);
    a64_mov_ri(b, 10, MSTATUS_DIRTY);
    a64_rrr(b, A_ORR, 1, 9, 9, 10);
    CPU_ST(b, 9, mstatus);
}

/* v = r (x0 discards; an F destination marks the FP state dirty). */
static void store_v(cg *g, uint8_t v, int r)
{
    if (IR_IS_X(v) && v == 0)
        return;
    if (IR_IS_X(v)) {
        if (g->alloc[v] && g->alloc[v] != r)
            a64_mov_rr(&g->b, g->alloc[v], r);
        cpu_ls(&g->b, A_STRX, r, xoff(v));
    } else if (IR_IS_F(v)) {
        cpu_ls(&g->b, A_STRX, r, foff(v));
        mark_fp_dirty(g);
    } else if (TEMP0 + (v - 64) != r) {
        a64_mov_rr(&g->b, TEMP0 + (v - 64), r);
    }
}

static void call(cg *g, const void *fn)
{
    a64_mov_ri(&g->b, 16, (uintptr_t)fn);
    a64_blr(&g->b, 16);
}

/* d = n + imm (any 64-bit imm; x16 as scratch). */
static void add_imm(cg *g, int d, int n, int64_t imm)
{
    if (imm >= 0 && imm < 4096) {
        if (imm || d != n)
            a64_add_ri(&g->b, d, n, (uint32_t)imm);
    } else if (imm < 0 && imm > -4096) {
        a64_sub_ri(&g->b, d, n, (uint32_t)-imm);
    } else {
        a64_mov_ri(&g->b, 16, (uint64_t)imm);
        a64_rrr(&g->b, A_ADD, 1, d, n, 16);
    }
}

static void set_pc_imm(cg *g, uint64_t pc)
{
    a64_mov_ri(&g->b, 9, pc);
    CPU_ST(&g->b, 9, pc);
}

static void exit_code(cg *g, int code)
{
    a64_mov_ri(&g->b, 0, (uint64_t)code);
    a64_b_to(&g->b, g->jc->exit);
}

/* ---- memory ---- */

/* x0 = guest va of the access (a + imm). */
static void addr_to_x0(cg *g, const ir_ins *i)
{
    if (IR_IS_X(i->a) && i->a == 0)
        a64_mov_ri(&g->b, 0, (uint64_t)i->imm);
    else if (i->imm)
        add_imm(g, 0, src(g, i->a, 0), i->imm);
    else
        a64_mov_rr(&g->b, 0, src(g, i->a, 0));
}

/* Soft-TLB probe of the va in x0: on a hit x1 = host address; returns the
 * RW address of the miss branch (x0 still holds the va there). */
static uint8_t *tlb_probe(cg *g, int size, size_t tag_off)
{
    a64_buf *b = &g->b;
    a64_ubfm(b, 9, 0, RV_PAGE_SHIFT, RV_PAGE_SHIFT + RV_TLB_BITS - 1); /* index */
    a64_rrr_lsl(b, A_ADD, 9, CPU, 9, 5);
    a64_mov_ri(b, 16, offsetof(rv_cpu, tlb));
    a64_rrr(b, A_ADD, 1, 9, 9, 16);
    a64_ls(b, A_LDRX, 10, 9, tag_off);
    a64_mov_ri(b, 11, (uint64_t)(-(int64_t)RV_PAGE_SIZE) | (uint64_t)(size - 1));
    a64_rrr(b, A_AND, 1, 11, 0, 11);
    a64_cmp_rr(b, 11, 10);
    uint8_t *miss = a64_bcond(b, A_NE);
    a64_ls(b, A_LDRX, 10, 9, offsetof(rv_tlb_entry, addend));
    a64_rrr(b, A_ADD, 1, 1, 0, 10);
    return miss;
}

/* Flat user-mode region: a va at or above mem_fast_limit takes the slow
 * path; below it the access is [MEMBASE + x0]. Accesses off a base register
 * checked once for its whole offset span (jit_plan_span_checks) skip the
 * check: the first checks the span (failing, the interpreter runs from
 * there), the others none (NULL: no slow-path branch, only a host fault
 * leads there). */
static uint8_t *flat_probe(cg *g, const ir_ins *i)
{
    int check = g->access_check[g->op];
    if (check == ACCESS_SPAN_CHECK) {
        a64_sub_ri(&g->b, 9, src(g, i->a, 9), 2048);
        CPU_LD(&g->b, 10, mem_span_limit);
        a64_cmp_rr(&g->b, 9, 10);
        add_stub(g, (stub){STUB_INTERP_AT, (uint16_t)g->index, a64_bcond(&g->b, A_HS), NULL, NULL, i, 0});
    }
    if (check != ACCESS_CHECKED)
        return NULL;
    CPU_LD(&g->b, 9, mem_fast_limit);
    a64_cmp_rr(&g->b, 0, 9);
    return a64_bcond(&g->b, A_HS);
}

static void load_result(cg *g, const ir_ins *i, int r)
{
    if (IR_IS_F(i->d) && (i->flags & IR_FP32)) {
        a64_mov_ri(&g->b, 16, 0xFFFFFFFF00000000ull);
        a64_rrr(&g->b, A_ORR, 1, r, r, 16);
    }
    store_v(g, i->d, r);
}

static void emit_load(cg *g, const ir_ins *i)
{
    a64_buf *b = &g->b;
    uint32_t op = a64_load_op(i->size, (i->flags & IR_SIGN) != 0);
    addr_to_x0(g, i);
    uint8_t *miss, *access;
    int r = IR_IS_X(i->d) && i->d == 0 ? 2 : dst(g, i->d);
    if (g->fastmem) {
        miss = flat_probe(g, i);
        access = b->p;
        a64_ls_rr(b, op, r, MEMBASE, 0);
    } else {
        miss = tlb_probe(g, i->size, offsetof(rv_tlb_entry, tag_r));
        access = NULL;
        a64_ls(b, op, r, 1, 0);
    }
    load_result(g, i, r);
    add_stub(g, (stub){STUB_LOAD_SLOW, (uint16_t)g->index, miss, b->p, access, i, 0});
}

static void emit_store(cg *g, const ir_ins *i)
{
    a64_buf *b = &g->b;
    uint32_t op = a64_store_op(i->size);
    addr_to_x0(g, i);
    uint8_t *miss, *access;
    if (g->fastmem) {
        miss = flat_probe(g, i);
        int v = src(g, i->b, 2);
        access = b->p;
        a64_ls_rr(b, op, v, MEMBASE, 0);
    } else {
        miss = tlb_probe(g, i->size, offsetof(rv_tlb_entry, tag_w));
        int v = src(g, i->b, 2);
        access = NULL;
        a64_ls(b, op, v, 1, 0);
    }
    add_stub(g, (stub){STUB_STORE_SLOW, (uint16_t)g->index, miss, b->p, access, i, 0});
}

/* LR/SC/AMO: the shared helper (reservations and host atomics live there). */
static void emit_atomic(cg *g, const ir_ins *i)
{
    load_v(g, 1, i->a);
    load_v(g, 2, i->b);
    a64_mov_rr(&g->b, 0, CPU);
    a64_mov_ri(&g->b, 3, (uint64_t)i->imm);
    call(g, (const void *)jit_atomic);
    reload(g);
    add_stub(g, (stub){STUB_TRAP, (uint16_t)g->index, a64_cbz(&g->b, true, 1), NULL, NULL, i, 0});
    store_v(g, i->d, 0);
}

/* A CSR or system instruction through jit_csr / jit_system (as an atomic). */
static void emit_csr(cg *g, const ir_ins *i)
{
    load_v(g, 2, i->a);
    if (i->op == IR_SYS)
        load_v(g, 3, i->b);
    else /* the count before this instruction, for counter reads */
        a64_sub_ri(&g->b, 3, ICOUNT, g->blk->ninsns - (uint32_t)g->index);
    a64_mov_rr(&g->b, 0, CPU);
    a64_mov_ri(&g->b, 1, (uint64_t)i->imm);
    call(g, i->op == IR_SYS ? (const void *)jit_system : (const void *)jit_csr);
    reload(g);
    add_stub(g, (stub){STUB_TRAP, (uint16_t)g->index, a64_cbz(&g->b, true, 1), NULL, NULL, i, 0});
    store_v(g, i->d, 0);
}

/* ---- helpers ---- */

static void emit_call2(cg *g, const ir_ins *i)
{
    load_v(g, 0, i->a);
    load_b(g, 1, i);
    call(g, i->fn);
    reload(g);
    store_v(g, i->d, 0);
}

/* The soft-float helper: d = fn(cpu, a, b, c, rm). An integer result marks
 * the FP state dirty only when fflags changed. */
static void emit_fpcall_helper(cg *g, const ir_ins *i)
{
    a64_buf *b = &g->b;
    const uint8_t srcs[3] = {i->a, i->b, i->c};
    bool dest_x = IR_IS_X(i->d);
    int n = 0;
    if (dest_x) {
        cpu_ls(b, A_LDRW, 9, offsetof(rv_cpu, fflags));
        a64_ls(b, A_STRW, 9, SP, SLOT_FFLAGS);
    }
    for (; n < i->nargs; n++)
        load_v(g, 1 + n, srcs[n]);
    if (i->size != 0xFF)
        a64_mov_ri(b, 1 + n, i->size);
    a64_mov_rr(b, 0, CPU);
    call(g, i->fn);
    reload(g);
    store_v(g, i->d, 0);
    if (dest_x) {
        cpu_ls(b, A_LDRW, 9, offsetof(rv_cpu, fflags));
        a64_ls(b, A_LDRW, 10, SP, SLOT_FFLAGS);
        a64_cmp_rr(b, 9, 10);
        uint8_t *same = a64_bcond(b, A_EQ);
        mark_fp_dirty(g);
        a64_patch(b, same, b->p);
    }
}

/* ---- host floating point ----
 * Double-precision add/sub/mul/div/sqrt and the fused multiply-adds run on
 * the host's FP unit when the rounding mode is round-to-nearest-even (FPCR
 * is 0 inside generated code: RNE, no flush-to-zero, no default NaN). The
 * host result is the IEEE result RISC-V asks for except around NaNs and
 * the exceptional cases, so it is kept only when it is a normal number
 * (then inexact is the only flag it can have raised: FPSR.IXC, folded into
 * fflags.NX); otherwise the soft-float helper recomputes the operation with
 * its exact result and flags. Single precision stays with the helper (its
 * inputs' NaN-boxing would need checking first). */
static uint32_t host_fp_op(const ir_ins *i)
{
    if (!(i->fpop & IR_FP_D) || (i->size != RV_RM_RNE && i->size != RV_RM_DYN))
        return 0;
    switch (IR_FP_KIND(i->fpop)) {
    case IR_FP_ADD: return 0x1E602800u;   /* fadd d */
    case IR_FP_SUB: return 0x1E603800u;   /* fsub d */
    case IR_FP_MUL: return 0x1E600800u;   /* fmul d */
    case IR_FP_DIV: return 0x1E601800u;   /* fdiv d */
    case IR_FP_SQRT: return 0x1E61C000u;  /* fsqrt d */
    case IR_FP_MADD: return 0x1F400000u;  /* fmadd: a*b + c */
    case IR_FP_MSUB: return 0x1F608000u;  /* fnmsub: a*b - c */
    case IR_FP_NMSUB: return 0x1F408000u; /* fmsub: c - a*b */
    case IR_FP_NMADD: return 0x1F600000u; /* fnmadd: -a*b - c */
    }
    return 0;
}

static bool emit_host_fp(cg *g, const ir_ins *i)
{
    a64_buf *b = &g->b;
    uint32_t op = host_fp_op(i);
    const uint8_t srcs[3] = {i->a, i->b, i->c};
    if (!op || !IR_IS_F(i->d) || i->nargs != (IR_FP_KIND(i->fpop) == IR_FP_SQRT ? 1 : IR_FP_KIND(i->fpop) >= IR_FP_MADD ? 3 : 2))
        return false;
    for (int n = 0; n < i->nargs; n++)
        if (!IR_IS_F(srcs[n]))
            return false;
    uint8_t *slow[2] = {NULL, NULL};
    if (i->size == RV_RM_DYN) {
        cpu_ls(b, A_LDRW, 9, offsetof(rv_cpu, frm));
        slow[0] = a64_cbz(b, true, 9);
    }
    for (int n = 0; n < i->nargs; n++) /* ldr d<n>, [cpu, f] */
        a64_word(b, 0xFD400000u | (uint32_t)(foff(srcs[n]) / 8) << 10 | (uint32_t)CPU << 5 | (uint32_t)n);
    a64_word(b, 0xD51B4420u | XZR); /* msr fpsr, xzr */
    if (IR_FP_KIND(i->fpop) == IR_FP_SQRT)
        a64_word(b, op | 0u << 5 | 0u);
    else if (IR_FP_KIND(i->fpop) >= IR_FP_MADD)
        a64_word(b, op | 1u << 16 | 2u << 10 | 0u << 5 | 0u); /* d0 = a(d0) * b(d1) +- c(d2) */
    else
        a64_word(b, op | 1u << 16 | 0u << 5 | 0u);
    a64_word(b, 0x9E660000u | 0u << 5 | 2u); /* fmov x2, d0 */
    a64_ubfm(b, 3, 2, 52, 62);               /* exponent */
    a64_sub_ri(b, 3, 3, 1);
    a64_cmp_ri(b, 3, 0x7FE - 1);
    slow[1] = a64_bcond(b, A_HI);           /* zero, subnormal, infinity or NaN */
    a64_word(b, 0xD53B4420u | 9u);          /* mrs x9, fpsr */
    a64_ubfm(b, 9, 9, 4, 4);                /* IXC -> NX */
    cpu_ls(b, A_LDRW, 10, offsetof(rv_cpu, fflags));
    a64_rrr(b, A_ORR, 0, 10, 10, 9);
    cpu_ls(b, A_STRW, 10, offsetof(rv_cpu, fflags));
    store_v(g, i->d, 2);
    uint8_t *done = a64_b(b);
    a64_patch(b, slow[0], b->p);
    a64_patch(b, slow[1], b->p);
    emit_fpcall_helper(g, i);
    a64_patch(b, done, b->p);
    return true;
}

static void emit_fpcall(cg *g, const ir_ins *i)
{
    if (!emit_host_fp(g, i))
        emit_fpcall_helper(g, i);
}

static void emit_fflags(cg *g, const ir_ins *i)
{
    a64_buf *b = &g->b;
    if (i->size == IR_FFLAGS_FRM) {
        cpu_ls(b, A_LDRW, 0, offsetof(rv_cpu, frm));
        store_v(g, i->d, 0);
        return;
    }
    cpu_ls(b, A_LDRW, 0, offsetof(rv_cpu, fflags));
    a64_mov_ri(b, 3, 0x1f);
    a64_rrr(b, A_AND, 1, 0, 0, 3);
    if (i->nargs) {
        load_b(g, 1, i);
        if (i->size == 1)
            a64_rrr(b, A_ORR, 1, 1, 1, 0);
        else if (i->size == 2)
            a64_rrr(b, A_BIC, 1, 1, 0, 1); /* old & ~b */
        a64_rrr(b, A_AND, 1, 1, 1, 3);
        cpu_ls(b, A_STRW, 1, offsetof(rv_cpu, fflags));
        mark_fp_dirty(g);
    }
    store_v(g, i->d, 0);
}

/* ---- integer operations: x0 = a, x1 = b, result in x2 ---- */

/* d = population count of n (of its low word when w). */
static void popcount(cg *g, int d, int n, bool w)
{
    a64_buf *b = &g->b;
    if (w) {
        a64_rrr(b, A_ORR, 0, 0, XZR, n); /* zero-extend the low word */
        n = 0;
    }
    a64_word(b, 0x9E670000u | (uint32_t)n << 5);  /* fmov d0, xn */
    a64_word(b, 0x0E205800u);                     /* cnt v0.8b, v0.8b */
    a64_word(b, 0x0E31B800u);                     /* addv b0, v0.8b */
    a64_word(b, 0x1E260000u | (uint32_t)d);       /* fmov wd, s0 */
}

static bool is_unary(int op)
{
    switch (op) {
    case IR_SEXTB: case IR_SEXTH: case IR_SEXTW: case IR_ZEXTH: case IR_ZEXTW: case IR_REV8:
    case IR_CLZ: case IR_CLZW: case IR_CTZ: case IR_CTZW: case IR_CPOP: case IR_CPOPW:
        return true;
    }
    return false;
}

/* The immediate forms worth having: add/sub of 12 bits, constant shifts. */
static bool emit_alu_imm(cg *g, const ir_ins *i, int d)
{
    a64_buf *b = &g->b;
    int64_t imm = i->imm;
    switch (i->op) {
    case IR_MOV:
        a64_mov_ri(b, d, (uint64_t)imm);
        return true;
    case IR_ADD: case IR_SUB:
        if (i->op == IR_SUB)
            imm = -imm;
        if (imm <= -4096 || imm >= 4096 || (IR_IS_X(i->a) && i->a == 0))
            return false;
        add_imm(g, d, src(g, i->a, 0), imm);
        return true;
    case IR_SHL: a64_lsl_ri(b, d, src(g, i->a, 0), (int)(imm & 63)); return true;
    case IR_SHR: a64_lsr_ri(b, d, src(g, i->a, 0), (int)(imm & 63)); return true;
    case IR_SAR: a64_sbfm(b, d, src(g, i->a, 0), (int)(imm & 63), 63); return true;
    }
    return false;
}

static bool emit_alu(cg *g, const ir_ins *i)
{
    a64_buf *b = &g->b;
    int d = dst(g, i->d), a = 0, r = 1;
    if (IR_IS_X(i->d) && i->d == 0)
        return true; /* no effect: every integer operation is pure */
    if ((i->flags & IR_BIMM) && emit_alu_imm(g, i, d)) {
        store_v(g, i->d, d);
        return true;
    }
    if (i->op != IR_MOV)
        a = src(g, i->a, 0);
    if (!is_unary(i->op))
        r = bsrc(g, i, 1);
    switch (i->op) {
    case IR_MOV: a64_mov_rr(b, d, r); break;
    case IR_ADD: a64_rrr(b, A_ADD, 1, d, a, r); break;
    case IR_SUB: a64_rrr(b, A_SUB, 1, d, a, r); break;
    case IR_AND: a64_rrr(b, A_AND, 1, d, a, r); break;
    case IR_OR: a64_rrr(b, A_ORR, 1, d, a, r); break;
    case IR_XOR: a64_rrr(b, A_EOR, 1, d, a, r); break;
    case IR_ANDN: a64_rrr(b, A_BIC, 1, d, a, r); break;
    case IR_ORN: a64_rrr(b, A_ORN, 1, d, a, r); break;
    case IR_XNOR: a64_rrr(b, A_EON, 1, d, a, r); break;
    case IR_SHL: a64_rrr(b, A_LSLV, 1, d, a, r); break;
    case IR_SHR: a64_rrr(b, A_LSRV, 1, d, a, r); break;
    case IR_SAR: a64_rrr(b, A_ASRV, 1, d, a, r); break;
    case IR_ROR: a64_rrr(b, A_RORV, 1, d, a, r); break;
    case IR_ROL:
        a64_rrr(b, A_SUB, 1, 1, XZR, r);
        a64_rrr(b, A_RORV, 1, d, a, 1);
        break;
    case IR_ADDW: a64_rrr(b, A_ADD, 0, d, a, r); a64_sxtw(b, d, d); break;
    case IR_SUBW: a64_rrr(b, A_SUB, 0, d, a, r); a64_sxtw(b, d, d); break;
    case IR_SHLW: a64_rrr(b, A_LSLV, 0, d, a, r); a64_sxtw(b, d, d); break;
    case IR_SHRW: a64_rrr(b, A_LSRV, 0, d, a, r); a64_sxtw(b, d, d); break;
    case IR_SARW: a64_rrr(b, A_ASRV, 0, d, a, r); a64_sxtw(b, d, d); break;
    case IR_RORW: a64_rrr(b, A_RORV, 0, d, a, r); a64_sxtw(b, d, d); break;
    case IR_ROLW:
        a64_rrr(b, A_SUB, 0, 1, XZR, r);
        a64_rrr(b, A_RORV, 0, d, a, 1);
        a64_sxtw(b, d, d);
        break;
    case IR_MUL: a64_rrr(b, A_MUL, 1, d, a, r); break;
    case IR_MULW: a64_rrr(b, A_MUL, 0, d, a, r); a64_sxtw(b, d, d); break;
    case IR_MULH: a64_rrr(b, A_SMULH, 1, d, a, r); break;
    case IR_MULHU: a64_rrr(b, A_UMULH, 1, d, a, r); break;
    case IR_SLT: a64_cmp_rr(b, a, r); a64_cset(b, d, A_LT); break;
    case IR_SLTU: a64_cmp_rr(b, a, r); a64_cset(b, d, A_LO); break;
    case IR_MIN: a64_cmp_rr(b, a, r); a64_csel(b, d, a, r, A_LT); break;
    case IR_MAX: a64_cmp_rr(b, a, r); a64_csel(b, d, a, r, A_GT); break;
    case IR_MINU: a64_cmp_rr(b, a, r); a64_csel(b, d, a, r, A_LO); break;
    case IR_MAXU: a64_cmp_rr(b, a, r); a64_csel(b, d, a, r, A_HI); break;
    case IR_CZEQZ: a64_cmp_ri(b, r, 0); a64_csel(b, d, XZR, a, A_EQ); break;
    case IR_CZNEZ: a64_cmp_ri(b, r, 0); a64_csel(b, d, XZR, a, A_NE); break;
    case IR_SEXTB: a64_sbfm(b, d, a, 0, 7); break;
    case IR_SEXTH: a64_sbfm(b, d, a, 0, 15); break;
    case IR_SEXTW: a64_sbfm(b, d, a, 0, 31); break;
    case IR_ZEXTH: a64_ubfm(b, d, a, 0, 15); break;
    case IR_ZEXTW: a64_ubfm(b, d, a, 0, 31); break;
    case IR_REV8: a64_rr(b, A_REV, 1, d, a); break;
    case IR_CLZ: a64_rr(b, A_CLZ, 1, d, a); break;
    case IR_CLZW: a64_rr(b, A_CLZ, 0, d, a); break;
    case IR_CTZ: a64_rr(b, A_RBIT, 1, d, a); a64_rr(b, A_CLZ, 1, d, d); break;
    case IR_CTZW: a64_rr(b, A_RBIT, 0, d, a); a64_rr(b, A_CLZ, 0, d, d); break;
    case IR_CPOP: popcount(g, d, a, false); break;
    case IR_CPOPW: popcount(g, d, a, true); break;
    default: return false;
    }
    store_v(g, i->d, d);
    return true;
}

/* ---- exits ---- */

/* A branch (at `site`) leaving the block for guest pc `target`. */
static void exit_to(cg *g, uint8_t *site, uint64_t target)
{
    add_stub(g, (stub){STUB_EXIT, (uint16_t)g->index, site, NULL, NULL, NULL, target});
}

static int branch_cond(int cond)
{
    switch (cond) {
    case IR_EQ: return A_EQ;
    case IR_NE: return A_NE;
    case IR_LT: return A_LT;
    case IR_GE: return A_GE;
    case IR_LTU: return A_LO;
    default: return A_HS;
    }
}

static void emit_branch(cg *g, const ir_ins *i)
{
    int a = src(g, i->a, 0);
    a64_cmp_rr(&g->b, a, src(g, i->b, 1));
    exit_to(g, a64_bcond(&g->b, branch_cond(i->size)), (uint64_t)i->imm);
}

/* An indirect jump's inline cache: the first target it was filled with,
 * valid in the TLB-flush epoch it was filled in; anything else goes to the
 * jump cache. Its layout, which jit_backend_set_ic fills (data words the
 * code loads, so filling needs no instruction-cache maintenance):
 *   +0   b code                (then padding to 8 bytes)
 *   ic   .quad pc              (1: empty, never a guest pc)
 *   +8   .quad epoch
 *   +16  .quad target          (RX entry)
 *   code ldr x9, pc ; cmp x0, x9 ; b.ne other
 *        ldr x10, epoch ; ldr x11, [cpu+jit_ic_epoch] ; cmp ; b.ne fill
 *        ldr x9, target ; br x9
 *   other: cmp x9, #1 ; b.eq fill ; b jc_lookup
 *   fill: x9 = ic ; b exit_ic (jit_find_code fills it, else the
 *        dispatcher does). */
static void emit_indirect_jump(cg *g)
{
    a64_buf *b = &g->b;
    uint8_t *skip = a64_b(b);
    if (((uintptr_t)b->p & 7) != 0)
        a64_word(b, 0xD503201Fu); /* nop */
    uint8_t *ic = b->p;
    for (int k = 0; k < 6; k++)
        a64_word(b, k == 0 ? 1u : 0u);
    a64_patch(b, skip, b->p);
    a64_ldr_lit(b, 9, ic);
    a64_cmp_rr(b, 0, 9);
    uint8_t *other = a64_bcond(b, A_NE);
    a64_ldr_lit(b, 10, ic + 8);
    CPU_LD(b, 11, jit_ic_epoch);
    a64_cmp_rr(b, 10, 11);
    uint8_t *stale = a64_bcond(b, A_NE);
    a64_ldr_lit(b, 9, ic + 16);
    a64_br(b, 9);
    a64_patch(b, other, b->p);
    a64_cmp_ri(b, 9, 1);
    uint8_t *empty = a64_bcond(b, A_EQ);
    a64_b_to(b, g->jc->jc_lookup);
    a64_patch(b, stale, b->p);
    a64_patch(b, empty, b->p);
    a64_mov_ri(b, 9, rx_of(g, ic));
    a64_b_to(b, g->jc->exit_ic);
}

void jit_backend_set_ic(jit_ctx *jc, uintptr_t ic, uint64_t pc, uint64_t epoch, uintptr_t target)
{
    uint64_t *rw = (uint64_t *)(ic + (uintptr_t)jc->diff);
    rw[2] = target;
    rw[1] = (uint32_t)epoch;
    __atomic_store_n(&rw[0], pc, __ATOMIC_RELEASE); /* last: until here the cache misses */
}

static bool emit_op(cg *g, const ir_ins *i)
{
    a64_buf *b = &g->b;
    switch (i->op) {
    case IR_INSN:
        g->index = (int)ir_index(i);
        return true;
    case IR_CALL2: emit_call2(g, i); return true;
    case IR_FPCALL: emit_fpcall(g, i); return true;
    case IR_LOAD: emit_load(g, i); return true;
    case IR_STORE: emit_store(g, i); return true;
    case IR_ATOMIC: emit_atomic(g, i); return true;
    case IR_CSR: case IR_SYS: emit_csr(g, i); return true;
    case IR_FFLAGS: emit_fflags(g, i); return true;
    case IR_BRANCH: emit_branch(g, i); return true;
    case IR_GOTO:
        exit_to(g, a64_b(b), (uint64_t)i->imm);
        return true;
    case IR_JUMP:
        load_v(g, 0, i->a);
        add_imm(g, 0, 0, i->imm);
        a64_ubfm(b, 1, 0, 1, 63); /* clear bit 0: (x0 >> 1) << 1 */
        a64_lsl_ri(b, 0, 1, 1);
        emit_indirect_jump(g);
        return true;
    case IR_TAIL:
        a64_sub_ri(b, ICOUNT, ICOUNT, g->blk->ninsns - ir_index(i));
        set_pc_imm(g, (uint64_t)i->imm);
        exit_code(g, JIT_EXIT_INTERP);
        return true;
    default:
        return emit_alu(g, i);
    }
}

/* ---- out-of-line parts ---- */

/* Leave with the state as before guest instruction `index`: for a trap
 * there (the helper set cpu->jit_exc / jit_tval), or for the interpreter
 * to run on from it. */
static void emit_exit_at(cg *g, const stub *s, int code)
{
    set_pc_imm(g, jit_insn_pc(g->blk, s->index));
    a64_sub_ri(&g->b, ICOUNT, ICOUNT, g->blk->ninsns - s->index);
    exit_code(g, code);
}

static void emit_trap_exit(cg *g, const stub *s) { emit_exit_at(g, s, JIT_EXIT_TRAP); }

static bool same_page(const cg *g, uint64_t target)
{
    return (target & RV_PAGE_MASK) == (g->blk->pc & RV_PAGE_MASK);
}

static void emit_stub(cg *g, const stub *s)
{
    a64_buf *b = &g->b;
    if (s->access) { /* a host fault at the direct access resumes here (x0: the va) */
        jit_ctx *jc = g->jc; /* room checked in jit_backend_emit */
        jc->sites[jc->nsites++] = (jit_fault_site){(uint32_t)(rx_of(g, s->access) - (uintptr_t)jc->rx),
                                                   (uint32_t)(a64_here(b) - (uintptr_t)jc->rx)};
    }
    a64_patch(b, s->site, b->p);
    switch (s->kind) {
    case STUB_LOAD_SLOW: {
        const ir_ins *i = s->ins;
        a64_mov_rr(b, 1, 0);
        a64_mov_rr(b, 0, CPU);
        a64_mov_ri(b, 2, i->size);
        call(g, (const void *)jit_load_slow);
        uint8_t *trap = a64_cbz(b, true, 1);
        if ((i->flags & IR_SIGN) && i->size < 8)
            a64_sbfm(b, 0, 0, 0, 8 * i->size - 1);
        load_result(g, i, 0);
        reload(g);
        a64_patch(b, a64_b(b), s->resume);
        a64_patch(b, trap, b->p);
        emit_trap_exit(g, s);
        break;
    }
    case STUB_STORE_SLOW: {
        const ir_ins *i = s->ins;
        a64_mov_rr(b, 1, 0);
        load_v(g, 2, i->b);
        a64_mov_rr(b, 0, CPU);
        a64_mov_ri(b, 3, i->size);
        call(g, (const void *)jit_store_slow);
        uint8_t *trap = a64_cbz(b, true, 0);
        reload(g);
        a64_patch(b, a64_b(b), s->resume);
        a64_patch(b, trap, b->p);
        emit_trap_exit(g, s);
        break;
    }
    case STUB_EXIT:
        if (s->index + 1u < g->blk->ninsns) /* a side exit: the rest did not run */
            a64_sub_ri(b, ICOUNT, ICOUNT, g->blk->ninsns - s->index - 1);
        if (s->target == g->blk->pc) { /* back to the block's own start, after its loads */
            a64_patch(b, a64_b(b), g->loop_head);
        } else if (same_page(g, s->target)) {
            /* Chainable: the dispatcher points this B at the target's code;
             * until then it leads on to the exit below. */
            uint8_t *site = a64_b(b);
            a64_patch(b, site, b->p);
            a64_mov_ri(b, 9, rx_of(g, site));
            CPU_ST(b, 9, jit_exit_site);
            set_pc_imm(g, s->target);
            exit_code(g, JIT_EXIT_LOOKUP);
        } else { /* another page: not chained (it may be remapped), but cached */
            a64_mov_ri(b, 0, s->target);
            emit_indirect_jump(g);
        }
        break;
    case STUB_TRAP:
        emit_trap_exit(g, s);
        break;
    case STUB_INTERP_AT: /* a base register outside the span its accesses may reach */
        emit_exit_at(g, s, JIT_EXIT_INTERP);
        break;
    case STUB_CHECK:
        set_pc_imm(g, g->blk->pc);
        exit_code(g, JIT_EXIT_CHECK);
        break;
    case STUB_INTERP:
        set_pc_imm(g, g->blk->pc);
        exit_code(g, JIT_EXIT_INTERP);
        break;
    }
}

/* The block's first instruction straddles the page end: enter it only
 * while the fetch TLB still maps the next page to the code it was
 * translated from. */
static void check_straddle(cg *g)
{
    a64_buf *b = &g->b;
    const uint64_t va = g->blk->pc + 2;
    const size_t e = offsetof(rv_cpu, tlb) + RV_TLB_IDX(va) * sizeof(rv_tlb_entry);
    a64_mov_ri(b, 9, va & RV_PAGE_MASK);
    cpu_ls(b, A_LDRX, 10, e + offsetof(rv_tlb_entry, tag_x));
    a64_cmp_rr(b, 9, 10);
    add_stub(g, (stub){STUB_INTERP, 0, a64_bcond(b, A_NE), NULL, NULL, NULL, 0});
    a64_mov_ri(b, 9, (uint64_t)(g->blk->straddle_host - (uintptr_t)va));
    cpu_ls(b, A_LDRX, 10, e + offsetof(rv_tlb_entry, addend));
    a64_cmp_rr(b, 9, 10);
    add_stub(g, (stub){STUB_INTERP, 0, a64_bcond(b, A_NE), NULL, NULL, NULL, 0});
}

size_t jit_backend_work_size(void) { return sizeof(cg); }

/* Host registers for the guest registers the block reads most (twice or
 * more, or at all in a block that loops to itself: jit_rank_busiest), loaded
 * at entry. (Its own count: every register written is also stored, so
 * writes do not count; sunk operations run in place.) */
static void allocate(cg *g)
{
    const ir_block *blk = g->blk;
    unsigned uses[32] = {0};
    bool loops = false;
    memset(g->alloc, 0, sizeof(g->alloc));
    for (uint32_t k = 0; k < blk->n; k++) {
        const ir_ins *i = &blk->ops[k];
        if ((i->op == IR_BRANCH || i->op == IR_GOTO) && (uint64_t)i->imm == blk->pc)
            loops = true;
        if (i->op == IR_INSN || i->op == IR_GOTO || i->op == IR_TAIL)
            continue;
        if (IR_IS_X(i->a))
            uses[i->a]++;
        if (!(i->flags & IR_BIMM) && IR_IS_X(i->b))
            uses[i->b]++;
        if (i->op == IR_FPCALL && IR_IS_X(i->c))
            uses[i->c]++;
    }
    uses[0] = 0; /* x0 is never allocated */
    int order[NALLOC], n = jit_rank_busiest(uses, JIT_MIN_USES(loops), NALLOC, order);
    for (int k = 0; k < n; k++)
        g->alloc[order[k]] = alloc_order[k];
}

uintptr_t jit_backend_emit(jit_ctx *jc, const ir_block *blk)
{
    cg *g = jc->backend_work;
    g->jc = jc;
    g->blk = blk;
    g->nstubs = 0;
    g->index = 0;
    g->overflow = false;
    /* Direct accesses only with a fault site free for each (at most one
     * access per IR op). */
    g->fastmem = jc->fastmem && jc->sites_cap - jc->nsites >= blk->n;
    size_t nsites = jc->nsites;
    a64_buf *b = &g->b;
    b->p = jc->rw + jc->used;
    b->end = jc->rw + jc->size;
    b->diff = jc->diff;
    b->overflow = false;
    uint8_t *start = b->p;

    if (blk->straddle_host)
        check_straddle(g);
    if (blk->uses_fp) {
        CPU_LD(b, 9, mstatus);
        a64_mov_ri(b, 10, MSTATUS_FS);
        a64_rrr(b, 0xEA000000u /* ANDS */, 1, XZR, 9, 10);
        add_stub(g, (stub){STUB_INTERP, 0, a64_bcond(b, A_EQ), NULL, NULL, NULL, 0});
    }
    if (blk->uses_dyn_rm) {
        cpu_ls(b, A_LDRW, 9, offsetof(rv_cpu, frm));
        a64_cmp_ri(b, 9, RV_RM_RMM);
        add_stub(g, (stub){STUB_INTERP, 0, a64_bcond(b, A_HI), NULL, NULL, NULL, 0});
    }
    allocate(g);
    if (g->fastmem && jc->span_checks)
        jit_plan_span_checks(blk, g->access_check);
    else
        memset(g->access_check, ACCESS_CHECKED, blk->n);
    if (g->fastmem)
        CPU_LD(b, MEMBASE, mem_base);
    for (int v = 1; v < 32; v++)
        if (g->alloc[v])
            cpu_ls(b, A_LDRX, g->alloc[v], xoff((uint8_t)v));
    g->loop_head = b->p;
    CPU_LD(b, 9, jit_check_at);
    a64_cmp_rr(b, ICOUNT, 9);
    add_stub(g, (stub){STUB_CHECK, 0, a64_bcond(b, A_HS), NULL, NULL, NULL, 0});
    a64_add_ri(b, ICOUNT, ICOUNT, blk->ninsns);

    /* Sunk definitions (ir_block.sunk_until) are computed where they stand:
     * every guest register lives in cpu->x, so the value is there for any
     * exit that looks. */
    for (uint32_t k = 0; k < blk->n; k++) {
        g->op = k;
        if (!emit_op(g, &blk->ops[k]))
            return 0;
    }

    for (int k = 0; k < g->nstubs; k++)
        emit_stub(g, &g->stubs[k]);
    if (b->overflow || g->overflow) {
        jc->nsites = nsites;
        return 0;
    }
    return jit_codebuf_commit(jc, start, (size_t)(b->p - start));
}

void jit_backend_chain(jit_ctx *jc, uintptr_t site, uintptr_t target)
{
    int64_t off = (int64_t)(target - site);
    if (!a64_b_reaches(off))
        return; /* stays an exit to the dispatcher */
    uint32_t *rw = (uint32_t *)(site + (uintptr_t)jc->diff);
    /* One aligned word: a thread running it sees the old B or the new one. */
    __atomic_store_n(rw, 0x14000000u | ((uint32_t)(off / 4) & 0x3FFFFFF), __ATOMIC_RELAXED);
    jit_cache_sync(jc, (const uint8_t *)rw, 4);
}

/* The hot tier's re-translation (profile_sample in jit_engine.c): a B over
 * the old block's first instruction sends every later way in (chained
 * jumps, the caches) to the new code. A back edge to the old block's loop
 * head, where that is its first instruction, then enters the new code
 * instead, which is the same: registers are written through, so cpu->x is
 * current there. Out of B's reach the old code stays in use (correct,
 * slower), as an unchained exit does. */
void jit_backend_redirect(jit_ctx *jc, uintptr_t from, uintptr_t to) { jit_backend_chain(jc, from, to); }

/* In a trampoline on the way out for the guest pc in x0 (cpu->pc set, the
 * block left: every guest register in cpu->x), with x9 the inline cache to
 * fill or 0: run the pc's code if it is translated (jit_find_code), else
 * fall through to the way out. An inline cache's request is withdrawn when
 * it is filled here. */
static void emit_find_code(a64_buf *b, bool ic)
{
    a64_mov_rr(b, 1, 0);
    a64_mov_rr(b, 2, 9);
    a64_mov_rr(b, 0, CPU);
    a64_mov_ri(b, 16, (uintptr_t)jit_find_code);
    a64_blr(b, 16);
    uint8_t *leave = a64_cbz(b, false, 0);
    if (ic)
        CPU_ST(b, XZR, jit_exit_ic);
    a64_br(b, 0);
    a64_patch(b, leave, b->p);
}

/* Trampolines at the start of the buffer: enter, the common exit and the
 * jump-cache lookup for indirect jumps. */
bool jit_backend_init(jit_ctx *jc)
{
    if (jc->size > BRANCH_RANGE)
        jc->size = BRANCH_RANGE; /* every block must reach the trampolines with one B */
    a64_buf bb = {jc->rw, jc->rw + jc->size, jc->diff, false};
    a64_buf *b = &bb;
    jc->caps = (jit_caps){0};

    /* int enter(rv_cpu *cpu, uintptr_t code) */
    jc->enter = a64_here(b);
    a64_stp_pre(b, 29, 30, SP, -FRAME);
    a64_add_ri(b, 29, SP, 0);
    a64_stp(b, 19, 20, SP, 16);
    a64_stp(b, 21, 22, SP, 32);
    a64_stp(b, 23, 24, SP, 48);
    a64_stp(b, 25, 26, SP, 64);
    a64_stp(b, 27, 28, SP, 80);
    a64_mov_rr(b, CPU, 0);
    CPU_LD(b, ICOUNT, instret);
    a64_word(b, 0xD53B4400u | 9u);  /* mrs x9, fpcr: the host's, restored on exit */
    a64_ls(b, A_STRX, 9, SP, SLOT_HOST_FPCR);
    a64_word(b, 0xD51B4400u | XZR); /* msr fpcr, xzr: RNE, IEEE subnormals and NaNs */
    a64_br(b, 1);

    /* Common exit: exit code in w0. */
    jc->exit = a64_here(b);
    CPU_ST(b, ICOUNT, instret);
    a64_ls(b, A_LDRX, 9, SP, SLOT_HOST_FPCR);
    a64_word(b, 0xD51B4400u | 9u); /* msr fpcr, x9 */
    a64_ldp(b, 19, 20, SP, 16);
    a64_ldp(b, 21, 22, SP, 32);
    a64_ldp(b, 23, 24, SP, 48);
    a64_ldp(b, 25, 26, SP, 64);
    a64_ldp(b, 27, 28, SP, 80);
    a64_ldp_post(b, 29, 30, SP, FRAME);
    a64_ret(b);

    /* Jump cache lookup: x0 = guest pc; the pair of jit_jc_index(pc). */
    jc->jc_lookup = a64_here(b);
    a64_lsr_ri(b, 9, 0, JIT_JC_BITS);
    a64_lsr_ri(b, 10, 0, 1);
    a64_rrr(b, A_EOR, 1, 9, 9, 10);
    a64_ubfm(b, 9, 9, 64 - 5, JIT_JC_BITS - 2); /* (set & (JIT_JC_SETS - 1)) << 5 */
    a64_mov_ri(b, 10, (uintptr_t)jc->jc);
    a64_rrr(b, A_ADD, 1, 10, 10, 9);
    uint8_t *miss = NULL;
    for (int way = 0; way < 2; way++) {
        if (miss)
            a64_patch(b, miss, b->p);
        a64_ldp(b, 11, 12, 10, 16 * way);
        a64_cmp_rr(b, 0, 11);
        miss = a64_bcond(b, A_NE);
        a64_br(b, 12);
    }
    a64_patch(b, miss, b->p);
    CPU_ST(b, 0, pc);
    a64_mov_ri(b, 9, 0);
    emit_find_code(b, false);
    CPU_ST(b, XZR, jit_exit_site);
    a64_mov_ri(b, 0, JIT_EXIT_LOOKUP);
    a64_b_to(b, jc->exit);

    /* An inline cache to fill: x0 = guest pc, x9 = the cache. */
    jc->exit_ic = a64_here(b);
    CPU_ST(b, 0, pc);
    CPU_ST(b, 9, jit_exit_ic);
    emit_find_code(b, true);
    a64_mov_ri(b, 0, JIT_EXIT_LOOKUP);
    a64_b_to(b, jc->exit);

    if (b->overflow)
        return false;
    size_t len = (size_t)(b->p - jc->rw);
    jit_cache_sync(jc, jc->rw, len);
    jc->used = jc->code_start = (len + 63) & ~(size_t)63;
    return true;
}

#endif /* __aarch64__ */
