/* x86-64 backend: IR blocks to host code.
 *
 * Register use inside generated code:
 *   r15        the rv_cpu pointer plus CPU_BIAS
 *   r14        cpu->instret (stored at the common exit and before helper
 *              calls, reloaded after them: the per-block count and budget
 *              check stay in registers)
 *   rax        scratch
 *   rcx rdx    scratch (rdx also the high half of wide multiplies), or two
 *              more guest registers in blocks whose code leaves them alone
 *   10 others  hold the guest registers a block uses most (chosen per block,
 *              callee-saved host registers for the busiest). A register is
 *              loaded at block entry when the block reads it before writing
 *              it, and stored back at every exit once written (dirty);
 *              around helper calls the caller-saved ones are spilled to
 *              cpu->x and reloaded.
 *   xmm0-2     scratch for host floating point
 *   xmm3-12    the F registers a block uses most, in blocks with host
 *              double-precision arithmetic (allocate_f): loaded at entry,
 *              stored back at exits once written, and around helper calls
 *              (which may change every xmm register) stored and reloaded.
 *   [rsp+0..31] IR temporaries, [rsp+32] saved fflags.
 *
 * Each block: an entry check (instret against cpu->jit_check_at, FP state
 * when the block uses FP), instret += n, the body, then the out-of-line
 * parts: memory slow paths, exits (chainable jumps for targets in the same
 * guest page, the jump cache for the others) and trap stubs that make pc
 * and instret precise before returning to the dispatcher. What every way
 * out ends with (store the pc, the exit code, the chaining site) is shared
 * code at the buffer's start (jc->exit_pc, jc->exit_chain). */
#if defined(__x86_64__)

#include <cpuid.h>
#include <stddef.h>
#include <string.h>

#include "../../cpu/fpu.h"
#include "../jit.h"
#include "../jit_helpers.h"
#include "../jit_plan.h"
#include "x86_emit.h"

#define CPU R15
/* r15 points CPU_BIAS bytes into rv_cpu, so that the fields generated code
 * reads most (the memory limits, jit_check_at, x0-x26) are within a signed
 * 8-bit displacement: 3 bytes less per access than disp32 (the guest
 * register stores of every exit and slow path, the loads at block entry). */
#define CPU_BIAS 128
#define ICOUNT R14
#define FRAME 72
#define SLOT_T(n) (8 * (n))
#define SLOT_FFLAGS 32
#define SLOT_MXCSR 40      /* scratch for stmxcsr / ldmxcsr */
#define SLOT_HOST_MXCSR 48 /* the host's MXCSR, restored on exit */
#define SLOT_SWAP 56       /* one cpu->x value while slots are permuted */
#define MXCSR_DEFAULT 0x1F80 /* all exceptions masked, round to nearest, flags clear */
#define MSTATUS_FS ((uint64_t)3 << 13)
#define MSTATUS_DIRTY (MSTATUS_FS | ((uint64_t)1 << 63))

_Static_assert(sizeof(rv_tlb_entry) == 32, "the TLB index computation assumes 32-byte entries");

/* Host registers given to guest registers, callee-saved ones first; then
 * RDX and RCX where the block's code does not need them as scratch. */
static const uint8_t alloc_order[] = {RBX, RBP, R12, R13, RSI, RDI, R8, R9, R10, R11};
#define NALLOC ((int)sizeof(alloc_order))
#define NALLOC_MAX (NALLOC + 2)
/* In user mode, blocks with guest memory accesses may keep cpu->mem_base
 * here instead (callee-saved: helper calls leave it alone). */
#define MEMBASE R12

static x86_mem cpu_field(size_t off) { return x86_at(CPU, (int32_t)off - CPU_BIAS); }
/* dst = the rv_cpu pointer (for helper calls). */
static void cpu_ptr_to(x86_buf *b, int dst) { x86_lea(b, dst, x86_at(CPU, -CPU_BIAS)); }
#define CPU_FIELD(f) cpu_field(offsetof(rv_cpu, f))

/* ---- out-of-line parts, emitted after the block body ---- */
enum { STUB_LOAD_SLOW, STUB_STORE_SLOW, STUB_EXIT, STUB_CHECK, STUB_INTERP, STUB_FP_SLOW, STUB_TRAP,
       STUB_INTERP_AT, STUB_BACK_EDGE };

/* How a user-mode access (with MEMBASE) checks its guest address:
 * ACCESS_* (jit_plan.h), planned by jit_plan_span_checks. */

typedef struct stub {
    uint8_t kind;
    uint32_t dirty;    /* guest registers to write back on the way out */
    uint16_t index;    /* guest instruction index (trap bookkeeping) */
    uint8_t *site;     /* RW address of the rel32 that jumps to the stub (NULL: only a host fault leads there) */
    uint8_t *resume;   /* RW address the slow path returns to */
    const ir_ins *ins; /* slow paths: the memory operation */
    uint64_t target;   /* exits: guest pc */
} stub;

#define MAX_STUBS (IR_MAX_OPS + 16)
#define SLOT_MAPS 256

/* The shared part of ways out that leave the same state behind (see
 * emit_exit_at): what they store and how, and where that code is. */
typedef struct exit_tail {
    uint32_t dirty, fdirty;
    uint8_t slots, code;
    uint8_t *at; /* RW */
} exit_tail;
#define MAX_EXIT_TAILS 16

typedef struct cg {
    jit_ctx *jc;
    x86_buf b;
    const ir_block *blk;
    int index;   /* current guest instruction index */
    uint8_t alloc[32]; /* guest register -> host register (0: lives in cpu->x) */
    uint8_t slot[32];  /* guest register -> the cpu->x slot its value is in (see slot renaming) */
    uint32_t dirty;    /* allocated guest registers written so far */
    uint8_t falloc[32]; /* F register -> xmm register (0: lives in cpu->f) */
    uint32_t fdirty;    /* allocated F registers written so far */
    uint32_t loop_fdirty; /* self-looping blocks: allocated F registers the block writes */
    uint8_t *loop_head;  /* RW address of the loop head (self-looping blocks), else NULL */
    uint32_t loop_dirty; /* self-looping blocks: allocated registers the block writes */
    uint32_t sext32;     /* guest registers known to hold a sign-extended 32-bit value */
    uint32_t lazy;       /* of those, the ones whose host register's upper half is not yet
                          * the sign extension (W results: done when something needs it) */
    bool made_lazy;      /* the current operation left its result lazy */
    int rax_v;           /* a guest register (in cpu->x) whose whole value rax holds, -1: none */
    int rax_stored;      /* the one the current operation stored from rax, -1: none */
    bool fs_dirty;       /* the main path so far has made mstatus.FS Dirty */
    bool in_stubs;       /* emitting the out-of-line parts */
    bool host_fp;      /* the block uses host FP: exits fold MXCSR's inexact flag into fflags */
    bool fastmem;      /* guest loads and stores go straight to the flat user-mode region */
    bool membase;      /* ... addressed through MEMBASE (else rax gets mem_base added) */
    uint32_t op;       /* index of the operation being emitted */
    uint32_t leave_op; /* the operation a way out being emitted belongs to */
    uint16_t sunk[IR_MAX_OPS]; /* the block's sunk operations, in order */
    uint32_t nsunk;
    uint8_t access_check[IR_MAX_OPS]; /* per LOAD/STORE operation: ACCESS_* */
    stub stubs[MAX_STUBS];
    uint8_t *fault_at[MAX_STUBS]; /* slow paths of direct accesses: RW address of the access */
    uint32_t lazy_at[MAX_STUBS];  /* g->lazy when the stub was made: sign-extended on the way in */
    uint16_t op_at[MAX_STUBS];    /* the operation it was made for */
    uint32_t fdirty_at[MAX_STUBS]; /* g->fdirty when the stub was made */
    uint8_t slots_at[MAX_STUBS];   /* g->slot then: an entry of slot_maps (0: every value in its own) */
    uint8_t slot_maps[SLOT_MAPS][32];
    int nslot_maps;
    exit_tail tails[MAX_EXIT_TAILS];
    int ntails;
    int nstubs;
    bool overflow;
} cg;

/* The executable (RX) address of a place written through the RW view. */
static uintptr_t rx_of(const cg *g, const uint8_t *rw) { return (uintptr_t)rw - (uintptr_t)g->b.diff; }

static bool slots_home(const cg *g)
{
    for (int v = 0; v < 32; v++)
        if (g->slot[v] != v)
            return false;
    return true;
}

/* g->slot as an entry of the block's table of slot maps (made at most
 * SLOT_MAPS - 1 times: slot_copy stops renaming well before). */
static int slot_map_index(cg *g)
{
    if (slots_home(g))
        return 0;
    if (g->nslot_maps > 1 && !memcmp(g->slot_maps[g->nslot_maps - 1], g->slot, 32))
        return g->nslot_maps - 1;
    if (g->nslot_maps == SLOT_MAPS) {
        g->overflow = true;
        return 0;
    }
    memcpy(g->slot_maps[g->nslot_maps], g->slot, 32);
    return g->nslot_maps++;
}

static void add_stub(cg *g, stub s)
{
    if (g->nstubs < MAX_STUBS) {
        g->fault_at[g->nstubs] = NULL;
        g->lazy_at[g->nstubs] = g->lazy;
        g->op_at[g->nstubs] = (uint16_t)g->op;
        g->fdirty_at[g->nstubs] = g->fdirty;
        g->slots_at[g->nstubs] = (uint8_t)slot_map_index(g);
        g->stubs[g->nstubs++] = s;
    } else {
        g->overflow = true;
    }
}

/* The slow path of a load or store whose host access instruction is at
 * `access` (RW), which a host fault may also lead to when it is direct. */
static void add_access_stub(cg *g, stub s, uint8_t *access)
{
    add_stub(g, s);
    if (g->fastmem && !g->overflow)
        g->fault_at[g->nstubs - 1] = access;
}

/* ---- operands ---- */
static int mapped(const cg *g, uint8_t v) { return IR_IS_X(v) && v != 0 ? g->alloc[v] : 0; }

static x86_mem xslot(int v) { return cpu_field(offsetof(rv_cpu, x) + 8u * (unsigned)v); }

/* Where operand v's value is in memory: an X register's in the cpu->x slot
 * it is in now (see slot renaming), F registers' in cpu->f, temporaries'
 * on the stack. */
static x86_mem vmem(const cg *g, uint8_t v)
{
    if (IR_IS_X(v))
        return xslot(g->slot[v]);
    if (IR_IS_F(v))
        return cpu_field(offsetof(rv_cpu, f) + 8u * (v - 32));
    return x86_at(RSP, SLOT_T(v - 64));
}

/* The xmm register holding F register v (an IR_F operand), 0: none. */
static int fmapped(const cg *g, uint8_t v) { return IR_IS_F(v) ? g->falloc[v - 32] : 0; }

/* An SSE instruction (mandatory prefix, 0F opcode) on two registers or a
 * register and memory; the moves of F values built on them. */
static void sse_rr(cg *g, uint8_t prefix, int w, uint32_t op, int reg, int rm)
{
    x86_byte(&g->b, prefix);
    x86_op_rr(&g->b, w, op, reg, rm, false);
}
static void sse_rm(cg *g, uint8_t prefix, uint32_t op, int reg, x86_mem m)
{
    x86_byte(&g->b, prefix);
    x86_op_rm(&g->b, 0, op, reg, m, false);
}
static void movq_xmm_gpr(cg *g, int x, int r) { sse_rr(g, 0x66, 1, 0x0F6E, x, r); }
static void movq_gpr_xmm(cg *g, int r, int x) { sse_rr(g, 0x66, 1, 0x0F7E, x, r); }
static void movq_xmm_mem(cg *g, int x, x86_mem m) { sse_rm(g, 0xF3, 0x0F7E, x, m); }
static void movq_mem_xmm(cg *g, x86_mem m, int x) { sse_rm(g, 0x66, 0x0FD6, x, m); }
static void movaps_xmm(cg *g, int dst, int src)
{
    if (dst != src)
        x86_op_rr(&g->b, 0, 0x0F28, dst, src, false);
}

static bool is_caller_saved(int r) { return r == RCX || r == RDX || r == RSI || r == RDI || (r >= R8 && r <= R11); }

/* dst = value of v. `spilled`: caller-saved mapped registers are read from
 * cpu->x (they were just spilled and their host registers are in use). */
static void load_v_mode(cg *g, int dst, uint8_t v, bool spilled)
{
    int h = mapped(g, v);
    if (IR_IS_X(v) && v == 0)
        x86_mov_ri(&g->b, dst, 0);
    else if (h && !(spilled && is_caller_saved(h)))
        x86_mov_rr(&g->b, dst, h);
    else if (fmapped(g, v)) /* (spilled: still intact until the call) */
        movq_gpr_xmm(g, dst, fmapped(g, v));
    else if (v == g->rax_v && dst != RAX)
        x86_mov_rr(&g->b, dst, RAX);
    else
        x86_load64(&g->b, dst, vmem(g, v));
}
static void load_v(cg *g, int dst, uint8_t v) { load_v_mode(g, dst, v, false); }

/* mstatus.FS = Dirty (and SD, which csr.c keeps set exactly when FS is).
 * Only a test when it already is: an OR into mstatus at every FP write
 * would chain a loop's iterations through memory. On the main path, once
 * per block: later writes find it done. Takes rcx. */
static void mark_fp_dirty(cg *g)
{
    x86_buf *b = &g->b;
    if (g->fs_dirty)
        return;
    x86_op_rm(b, 0, 0x8B, RCX, CPU_FIELD(mstatus), false);
    x86_not(b, 0, RCX);
    x86_test_ri32(b, RCX, (uint32_t)MSTATUS_FS);
    uint8_t *done = x86_jcc32(b, CC_E);
    x86_mov_ri(b, RCX, MSTATUS_DIRTY);
    x86_alu_mr(b, 1, ALU_OR, CPU_FIELD(mstatus), RCX);
    x86_patch_rel32(b, done, x86_here(b));
    g->fs_dirty = !g->in_stubs;
}

/* v = src (x0 discards; an F destination marks the FP state dirty). */
static void store_v(cg *g, uint8_t v, int src)
{
    int h = mapped(g, v);
    if (IR_IS_X(v) && v == 0)
        return;
    if (h) {
        x86_mov_rr(&g->b, h, src);
        g->dirty |= 1u << v;
    } else if (fmapped(g, v)) {
        movq_xmm_gpr(g, fmapped(g, v), src);
        g->fdirty |= 1u << (v - 32);
    } else {
        x86_store64(&g->b, vmem(g, v), src);
        if (IR_IS_X(v) && src == RAX)
            g->rax_stored = v;
    }
    if (IR_IS_F(v))
        mark_fp_dirty(g);
}

/* dst OP= v (v a register operand). */
static void alu_v(cg *g, int w, int alu, int dst, uint8_t v)
{
    int h = mapped(g, v);
    if (IR_IS_X(v) && v == 0)
        x86_alu_ri(&g->b, w, alu, dst, 0);
    else if (h)
        x86_alu_rr(&g->b, w, alu, dst, h);
    else if (v == g->rax_v && dst != RAX)
        x86_alu_rr(&g->b, w, alu, dst, RAX);
    else
        x86_alu_rm(&g->b, w, alu, dst, vmem(g, v));
}

/* dst OP= the instruction's second source (register or immediate). */
static void alu_b(cg *g, int w, int alu, int dst, const ir_ins *i)
{
    if (i->flags & IR_BIMM) {
        if (i->imm >= INT32_MIN && i->imm <= INT32_MAX) {
            x86_alu_ri(&g->b, w, alu, dst, (int32_t)i->imm);
        } else {
            x86_mov_ri(&g->b, RCX, (uint64_t)i->imm);
            x86_alu_rr(&g->b, w, alu, dst, RCX);
        }
    } else {
        alu_v(g, w, alu, dst, i->b);
    }
}

/* Second source into a register (RCX unless it is already in one). */
static int b_in_reg(cg *g, const ir_ins *i, int scratch)
{
    if (i->flags & IR_BIMM) {
        x86_mov_ri(&g->b, scratch, (uint64_t)i->imm);
        return scratch;
    }
    int h = mapped(g, i->b);
    if (h)
        return h;
    load_v(g, scratch, i->b);
    return scratch;
}

/* Working register for d = f(a, b): d's own host register when writing it
 * early cannot clobber b, else rax. */
static int work_reg(const cg *g, const ir_ins *i)
{
    int h = mapped(g, i->d);
    if (!h)
        return RAX;
    if (!(i->flags & IR_BIMM) && i->b == i->d && i->a != i->d)
        return RAX;
    return h;
}

static void finish(cg *g, const ir_ins *i, int work, bool sext32)
{
    if (sext32 && work && work == mapped(g, i->d)) { /* sign-extended when needed (see lazy) */
        g->made_lazy = true;
        g->dirty |= 1u << i->d;
        return;
    }
    if (sext32)
        x86_movsx(&g->b, work, work, 4);
    if (work != mapped(g, i->d) || !mapped(g, i->d))
        store_v(g, i->d, work);
    else
        g->dirty |= 1u << i->d;
}

/* ---- calls ---- */
/* Store allocated guest registers in `mask` (all, or only those in
 * caller-saved host registers) back to cpu->x. */
static void writeback(cg *g, uint32_t mask, bool caller_saved_only)
{
    for (int v = 1; v < 32; v++)
        if (g->alloc[v] && (mask >> v & 1) && (!caller_saved_only || is_caller_saved(g->alloc[v])))
            x86_store64(&g->b, vmem(g, (uint8_t)v), g->alloc[v]);
}

/* F registers in `mask` back from their xmm registers to cpu->f. */
static void writeback_f(cg *g, uint32_t mask)
{
    for (int f = 0; f < 32; f++)
        if (g->falloc[f] && (mask >> f & 1))
            movq_mem_xmm(g, vmem(g, (uint8_t)(32 + f)), g->falloc[f]);
}

/* F registers in `mask` into their xmm registers from cpu->f. */
static void load_f(cg *g, uint32_t mask)
{
    for (int f = 0; f < 32; f++)
        if (g->falloc[f] && (mask >> f & 1))
            movq_xmm_mem(g, g->falloc[f], vmem(g, (uint8_t)(32 + f)));
}

/* Around a helper call: caller-saved host registers (every xmm register
 * among them) are lost, and the helper may read or change instret. */
static void spill(cg *g, uint32_t dirty)
{
    writeback(g, dirty, true);
    writeback_f(g, g->fdirty);
    x86_store64(&g->b, CPU_FIELD(instret), ICOUNT);
}

static void reload(cg *g)
{
    x86_load64(&g->b, ICOUNT, CPU_FIELD(instret));
    for (int v = 1; v < 32; v++)
        if (g->alloc[v] && is_caller_saved(g->alloc[v]))
            x86_load64(&g->b, g->alloc[v], vmem(g, (uint8_t)v));
    load_f(g, ~0u);
}

static void emit_call2(cg *g, const ir_ins *i)
{
    spill(g, g->dirty);
    load_v_mode(g, RDI, i->a, true);
    load_v_mode(g, RSI, i->b, true);
    x86_call(&g->b, i->fn);
    reload(g);
    store_v(g, i->d, RAX);
}

static void emit_fpcall_slow(cg *g, const ir_ins *i, uint32_t dirty);
static bool emit_host_fp(cg *g, const ir_ins *i);

static void emit_fpcall(cg *g, const ir_ins *i)
{
    if (!emit_host_fp(g, i))
        emit_fpcall_slow(g, i, g->dirty);
}

/* The soft-float helper, called directly. */
static void emit_fpcall_slow(cg *g, const ir_ins *i, uint32_t dirty)
{
    static const uint8_t args[] = {RSI, RDX, RCX, R8};
    const uint8_t srcs[3] = {i->a, i->b, i->c};
    bool dest_x = IR_IS_X(i->d);
    int n = 0;
    spill(g, dirty);
    if (dest_x) {
        x86_op_rm(&g->b, 0, 0x8B, RAX, CPU_FIELD(fflags), false);
        x86_op_rm(&g->b, 0, 0x89, RAX, x86_at(RSP, SLOT_FFLAGS), false);
    }
    cpu_ptr_to(&g->b, RDI);
    for (; n < i->nargs; n++)
        load_v_mode(g, args[n], srcs[n], true);
    if (i->size != 0xFF)
        x86_mov_ri(&g->b, args[n], i->size);
    x86_call(&g->b, i->fn);
    reload(g);
    store_v(g, i->d, RAX);
    if (dest_x) { /* an integer result marks FP dirty only when fflags changed */
        x86_op_rm(&g->b, 0, 0x8B, RCX, CPU_FIELD(fflags), false);
        x86_op_rm(&g->b, 0, 0x3B, RCX, x86_at(RSP, SLOT_FFLAGS), false);
        uint8_t *skip = x86_jcc32(&g->b, CC_E);
        bool known = g->fs_dirty;
        mark_fp_dirty(g);
        g->fs_dirty = known; /* a mark on one path only */
        x86_patch_rel32(&g->b, skip, x86_here(&g->b));
    }
}

/* ---- host floating point ----
 * add/sub/mul/div/sqrt and the fused multiply-adds run on SSE/FMA3 when the
 * rounding mode is round-to-nearest-even. The host result is the IEEE
 * result RISC-V asks for, except around NaNs and the exceptional cases, so
 * the fast path keeps it only when it is a normal number above the smallest
 * normal (then inexact is the only flag it can raise); otherwise the
 * soft-float helper recomputes the operation (exact result and flags). MXCSR's sticky inexact flag is folded into
 * fflags (NX) whenever the block is left. */
typedef struct host_fp_op {
    uint8_t opcode; /* SSE opcode (0F xx), or FMA3 opcode (0F38 xx) */
    bool fma, dbl;
} host_fp_op;

/* By IR_FP_KIND (ir.h), single precision; doubles differ only in `dbl`. */
static const host_fp_op host_fp_ops[IR_FP_KINDS] = {
    [IR_FP_ADD] = {0x58, false, false}, [IR_FP_SUB] = {0x5C, false, false},
    [IR_FP_MUL] = {0x59, false, false}, [IR_FP_DIV] = {0x5E, false, false},
    [IR_FP_SQRT] = {0x51, false, false},
    /* vfmadd213 / vfmsub213 / vfnmsub213 / vfnmadd213: dst = +-(a*b) +- c */
    [IR_FP_MADD] = {0xA9, true, false}, [IR_FP_MSUB] = {0xAB, true, false},
    [IR_FP_NMSUB] = {0xAD, true, false}, [IR_FP_NMADD] = {0xAF, true, false},
};
static const host_fp_op host_fp_ops_d[IR_FP_KINDS] = {
    [IR_FP_ADD] = {0x58, false, true}, [IR_FP_SUB] = {0x5C, false, true},
    [IR_FP_MUL] = {0x59, false, true}, [IR_FP_DIV] = {0x5E, false, true},
    [IR_FP_SQRT] = {0x51, false, true},
    [IR_FP_MADD] = {0xA9, true, true}, [IR_FP_MSUB] = {0xAB, true, true},
    [IR_FP_NMSUB] = {0xAD, true, true}, [IR_FP_NMADD] = {0xAF, true, true},
};

static const host_fp_op *host_fp_lookup(const cg *g, const ir_ins *i)
{
    if (i->op != IR_FPCALL || !IR_IS_F(i->d) || (i->size != RV_RM_RNE && i->size != RV_RM_DYN))
        return NULL;
    unsigned kind = IR_FP_KIND(i->fpop);
    if (kind == IR_FP_OTHER || kind >= IR_FP_KINDS)
        return NULL;
    const host_fp_op *o = i->fpop & IR_FP_D ? &host_fp_ops_d[kind] : &host_fp_ops[kind];
    return o->fma && !g->jc->caps.fma ? NULL : o;
}

/* xmm `x` <-> F register (64 bits: movq; singles: movd). */
static void xmm_load(cg *g, int x, uint8_t v, bool dbl)
{
    sse_rm(g, dbl ? 0xF3 : 0x66, dbl ? 0x0F7E : 0x0F6E, x, vmem(g, v));
}

/* The xmm register holding F register v: its own, or `scratch` loaded. */
static int xmm_src(cg *g, uint8_t v, int scratch, bool dbl)
{
    if (fmapped(g, v))
        return fmapped(g, v);
    xmm_load(g, scratch, v, dbl);
    return scratch;
}

/* xmm `x` = F register v. */
static void xmm_put(cg *g, int x, uint8_t v, bool dbl) { movaps_xmm(g, x, xmm_src(g, v, x, dbl)); }

/* A VEX-encoded operation `reg = vvvv op rm`, rm the xmm register rm_x or
 * (rm_x 0) the memory operand m. */
static void vex_op(cg *g, int w, int map, int pp, uint8_t op, int reg, int vvvv, int rm_x, x86_mem m)
{
    if (rm_x) {
        x86_vex(&g->b, w, map, pp, op, reg, vvvv, 0, rm_x);
        x86_modrm_reg(&g->b, reg, rm_x);
    } else {
        x86_vex(&g->b, w, map, pp, op, reg, vvvv, m.index1 ? m.index1 - 1 : 0, m.base);
        x86_modrm_mem(&g->b, reg, m);
    }
}

static void mxcsr_op(cg *g, int ext, int32_t disp) { x86_op_rm(&g->b, 0, 0x0FAE, ext, x86_at(RSP, disp), false); }

/* MXCSR's flags cleared (rounding as always in generated code). */
static void mxcsr_reset(cg *g)
{
    x86_op_rm(&g->b, 0, 0xC7, 0, x86_at(RSP, SLOT_MXCSR), false);
    x86_u32(&g->b, MXCSR_DEFAULT);
    mxcsr_op(g, 2, SLOT_MXCSR); /* ldmxcsr */
}

/* Fold MXCSR's inexact flag into fflags. The flag stays set in MXCSR
 * (folding again changes nothing) until a write clears fflags.NX, which
 * clears it too: ldmxcsr is slow on some hosts, and code that reads and
 * restores fflags around every comparison would pay it each time. */
static void host_fp_sync(cg *g)
{
    x86_buf *b = &g->b;
    mxcsr_op(g, 3, SLOT_MXCSR); /* stmxcsr */
    x86_op_rm(b, 0, 0xF6, 0, x86_at(RSP, SLOT_MXCSR), false); /* test byte, 0x20 (PE) */
    x86_byte(b, 0x20);
    uint8_t *skip = x86_jcc32(b, CC_E);
    x86_op_rm(b, 0, 0x83, ALU_OR, CPU_FIELD(fflags), false);
    x86_byte(b, 1); /* NX */
    x86_patch_rel32(b, skip, x86_here(b));
}

/* Returns false when the operation has no host fast path. */
static bool emit_host_fp(cg *g, const ir_ins *i)
{
    const host_fp_op *o = host_fp_lookup(g, i);
    if (!o)
        return false;
    x86_buf *b = &g->b;
    const uint8_t srcs[3] = {i->a, i->b, i->c};
    uint8_t *slow[8];
    int ns = 0;
    g->host_fp = true;
    if (i->size == RV_RM_DYN) {
        x86_op_rm(b, 0, 0x83, ALU_CMP, CPU_FIELD(frm), false);
        x86_byte(b, RV_RM_RNE);
        slow[ns++] = x86_jcc32(b, CC_NE);
    }
    for (int k = 0; k < i->nargs; k++) {
        if (!o->dbl) { /* an improperly NaN-boxed single reads as the canonical NaN */
            x86_mem hi = vmem(g, srcs[k]);
            hi.disp += 4;
            x86_op_rm(b, 0, 0x83, ALU_CMP, hi, false);
            x86_byte(b, 0xFF);
            slow[ns++] = x86_jcc32(b, CC_NE);
        }
    }
    /* Sources: the last is read where it is (its xmm register, or memory);
     * with AVX (every host with FMA3 has it) so is the first of a binary
     * operation and the second of a fused one; SSE and FMA3's destructive
     * forms need the first in xmm0. */
    int n = i->nargs, last_x = fmapped(g, srcs[n - 1]);
    x86_mem last = vmem(g, srcs[n - 1]);
    if (o->fma) { /* xmm0 = +-(src2 * xmm0) +- last */
        xmm_put(g, 0, srcs[0], o->dbl);
        vex_op(g, o->dbl, 2, 1, o->opcode, 0, xmm_src(g, srcs[1], 1, o->dbl), last_x, last);
    } else if (g->jc->caps.fma) { /* xmm0 = src1 op last (sqrt: of last) */
        int x1 = n == 2 ? xmm_src(g, srcs[0], 1, o->dbl) : 0;
        vex_op(g, 0, 1, o->dbl ? 3 : 2, o->opcode, 0, x1, last_x, last);
    } else { /* xmm0 op= last (sqrt: xmm0 = sqrt last) */
        if (n == 2)
            xmm_put(g, 0, srcs[0], o->dbl);
        if (last_x)
            sse_rr(g, o->dbl ? 0xF2 : 0xF3, 0, 0x0F00u | o->opcode, 0, last_x);
        else
            sse_rm(g, o->dbl ? 0xF2 : 0xF3, 0x0F00u | o->opcode, 0, last);
    }
    /* Keep the host result only when it is finite, normal and above the
     * smallest normal: then no flag but inexact can be due, and tininess
     * (after rounding) cannot arise. Doubles: an exponent from 2 to 0x7FE
     * (pextrw takes the top 16 bits; results just above the smallest
     * normal also take the slow path); singles, in integer terms with the
     * sign bit shifted out: min2 < bits*2 < inf2 (one unsigned compare). */
    if (o->dbl) {
        sse_rr(g, 0x66, 0, 0x0FC5, RAX, 0); /* pextrw eax, xmm0, 3 */
        x86_byte(b, 3);
        x86_alu_ri(b, 0, ALU_AND, RAX, 0x7FF0);
        x86_alu_ri(b, 0, ALU_SUB, RAX, 2 << 4);
        x86_alu_ri(b, 0, ALU_CMP, RAX, (0x7FF - 2) << 4);
    } else {
        sse_rr(g, 0x66, 0, 0x0F7E, 0, RAX); /* movd eax, xmm0 */
        x86_alu_rr(b, 0, ALU_ADD, RAX, RAX);
        x86_alu_ri(b, 0, ALU_SUB, RAX, (int32_t)((0x00800000u + 1) << 1));
        x86_alu_ri(b, 0, ALU_CMP, RAX, (int32_t)((0x7F800000u << 1) - ((0x00800000u + 1) << 1)));
    }
    slow[ns++] = x86_jcc32(b, CC_AE);
    if (fmapped(g, i->d)) {
        movaps_xmm(g, fmapped(g, i->d), 0);
        g->fdirty |= 1u << (i->d - 32);
    } else if (o->dbl) {
        movq_mem_xmm(g, vmem(g, i->d), 0);
    } else {
        sse_rm(g, 0x66, 0x0F7E, 0, vmem(g, i->d)); /* movd m32, xmm0 */
        x86_mem hi = vmem(g, i->d);
        hi.disp += 4;
        x86_op_rm(b, 0, 0xC7, 0, hi, false);
        x86_u32(b, 0xFFFFFFFFu);
    }
    mark_fp_dirty(g);
    uint8_t *resume = b->p;
    for (int k = 0; k < ns; k++)
        add_stub(g, (stub){STUB_FP_SLOW, g->dirty, (uint16_t)g->index, slow[k], resume, i, 0});
    return true;
}

/* ---- memory ---- */
static void addr_to_rax(cg *g, uint8_t base, int64_t imm)
{
    int h = mapped(g, base);
    if (base == 0) {
        x86_mov_ri(&g->b, RAX, (uint64_t)imm);
    } else if (h) {
        x86_lea(&g->b, RAX, x86_at(h, (int32_t)imm));
    } else {
        x86_load64(&g->b, RAX, vmem(g, base));
        if (imm)
            x86_alu_ri(&g->b, 1, ALU_ADD, RAX, (int32_t)imm);
    }
}

/* Soft-TLB probe: rax = guest va on entry, host address on the fast path.
 * Returns the RW address of the miss jump's rel32. */
static uint8_t *tlb_probe(cg *g, int size, size_t tag_off)
{
    x86_buf *b = &g->b;
    const int32_t tlb = (int32_t)offsetof(rv_cpu, tlb) - CPU_BIAS;
    x86_mov_rr(b, RCX, RAX);
    x86_shift_ri(b, 1, SH_SHR, RCX, RV_PAGE_SHIFT - 5);
    x86_alu_ri(b, 0, ALU_AND, RCX, (int32_t)((RV_TLB_SIZE - 1) << 5));
    x86_mov_rr(b, RDX, RAX);
    x86_alu_ri(b, 1, ALU_AND, RDX, (int32_t)(-(int32_t)RV_PAGE_SIZE | (size - 1)));
    x86_alu_rm(b, 1, ALU_CMP, RDX, x86_at_index(CPU, RCX, tlb + (int32_t)tag_off));
    uint8_t *miss = x86_jcc32(b, CC_NE);
    x86_alu_rm(b, 1, ALU_ADD, RAX, x86_at_index(CPU, RCX, tlb + (int32_t)offsetof(rv_tlb_entry, addend)));
    return miss;
}

/* Flat user-mode region: rax = guest va on entry, host address on the fast
 * path. A va the host MMU does not vouch for (at or above the limit) takes
 * the slow path; so does a host fault at the access (see emit_stub).
 * Returns the RW address of the slow-path jump's rel32. */
static uint8_t *flat_probe(cg *g)
{
    x86_alu_rm(&g->b, 1, ALU_CMP, RAX, CPU_FIELD(mem_fast_limit));
    uint8_t *miss = x86_jcc32(&g->b, CC_AE);
    x86_alu_rm(&g->b, 1, ALU_ADD, RAX, CPU_FIELD(mem_base));
    return miss;
}

/* Guest va in rax to host address (or the slow path): the direct way in
 * user mode, the soft TLB otherwise. */
static uint8_t *mem_probe(cg *g, const ir_ins *i, size_t tag_off)
{
    return g->fastmem ? flat_probe(g) : tlb_probe(g, i->size, tag_off);
}

/* The host operand for guest memory at a + imm, with *miss set to the
 * slow-path jump. With MEMBASE the guest va is checked against the limit
 * where it is (a's register, when imm is 0) and the access is
 * MEMBASE + va; the slow path then recomputes the va itself. */
static x86_mem guest_mem(cg *g, const ir_ins *i, size_t tag_off, uint8_t **miss)
{
    int check = g->access_check[g->op];
    if (check != ACCESS_CHECKED) { /* off a base register checked once (see plan_span_checks) */
        int base = mapped(g, i->a);
        int32_t disp = (int32_t)i->imm;
        if (!base) {
            load_v(g, RAX, i->a);
            base = RAX;
        }
        *miss = NULL;
        if (check == ACCESS_SPAN_CHECK) {
            x86_lea(&g->b, RAX, x86_at(base, -2048));
            x86_alu_rm(&g->b, 1, ALU_CMP, RAX, CPU_FIELD(mem_span_limit));
            add_stub(g, (stub){STUB_INTERP_AT, g->dirty, (uint16_t)g->index, x86_jcc32(&g->b, CC_AE), NULL, i, 0});
            if (base == RAX)
                disp += 2048;
        }
        return x86_at_index(MEMBASE, base, disp);
    }
    if (g->membase) {
        int va = mapped(g, i->a);
        if (!va || i->imm != 0) {
            addr_to_rax(g, i->a, i->imm);
            va = RAX;
        }
        x86_alu_rm(&g->b, 1, ALU_CMP, va, CPU_FIELD(mem_fast_limit));
        *miss = x86_jcc32(&g->b, CC_AE);
        return x86_at_index(MEMBASE, va, 0);
    }
    addr_to_rax(g, i->a, i->imm);
    *miss = mem_probe(g, i, tag_off);
    return x86_at(RAX, 0);
}

/* Loaded raw value in rax (already extended for integer loads) to d. */
static void load_result(cg *g, const ir_ins *i)
{
    if (IR_IS_F(i->d)) {
        if (i->flags & IR_FP32) {
            x86_mov_ri(&g->b, RCX, 0xFFFFFFFF00000000ull);
            x86_alu_rr(&g->b, 1, ALU_OR, RAX, RCX);
        }
        store_v(g, i->d, RAX);
    } else {
        store_v(g, i->d, RAX);
    }
}

static void emit_load(cg *g, const ir_ins *i)
{
    uint8_t *miss;
    x86_mem m = guest_mem(g, i, offsetof(rv_tlb_entry, tag_r), &miss);
    int h = IR_IS_X(i->d) ? mapped(g, i->d) : 0;
    int dst = h ? h : RAX;
    int x = i->size == 8 ? fmapped(g, i->d) : 0;
    uint8_t *access = g->b.p;
    uint32_t dirty_before = g->dirty, fdirty_before = g->fdirty;
    if (x) { /* fld straight into its xmm register */
        movq_xmm_mem(g, x, m);
        g->fdirty |= 1u << (i->d - 32);
        mark_fp_dirty(g);
    } else {
        x86_load_ext(&g->b, dst, m, i->size, (i->flags & IR_SIGN) != 0);
        if (h)
            g->dirty |= 1u << i->d;
        else
            load_result(g, i);
    }
    /* The slow path starts from the state before the load. */
    uint32_t fdirty = g->fdirty;
    g->fdirty = fdirty_before;
    add_access_stub(g, (stub){STUB_LOAD_SLOW, dirty_before, (uint16_t)g->index, miss, g->b.p, i, 0}, access);
    g->fdirty = fdirty;
}

static void emit_store(cg *g, const ir_ins *i)
{
    uint8_t *miss;
    x86_mem m = guest_mem(g, i, offsetof(rv_tlb_entry, tag_w), &miss);
    int src = mapped(g, i->b), x = i->size == 8 ? fmapped(g, i->b) : 0;
    if (!src && !x) {
        load_v(g, RDX, i->b);
        src = RDX;
    }
    uint8_t *access = g->b.p;
    if (x) /* fsd straight from its xmm register */
        movq_mem_xmm(g, m, x);
    else
        x86_store_sized(&g->b, m, src, i->size);
    add_access_stub(g, (stub){STUB_STORE_SLOW, g->dirty, (uint16_t)g->index, miss, g->b.p, i, 0}, access);
}

/* LR/SC/AMO: always the helper (reservations and host atomics live there). */
static void emit_atomic(cg *g, const ir_ins *i)
{
    uint32_t dirty_before = g->dirty;
    spill(g, g->dirty);
    cpu_ptr_to(&g->b, RDI);
    load_v_mode(g, RSI, i->a, true);
    load_v_mode(g, RDX, i->b, true);
    x86_mov_ri(&g->b, RCX, (uint64_t)i->imm);
    x86_call(&g->b, (const void *)jit_atomic);
    reload(g);
    x86_test_rr(&g->b, 1, RDX, RDX);
    add_stub(g, (stub){STUB_TRAP, dirty_before, (uint16_t)g->index, x86_jcc32(&g->b, CC_NE), NULL, i, 0});
    store_v(g, i->d, RAX);
}

/* ---- sign-extended values ---- */

static bool makes_sext32(const cg *g, const ir_ins *i) { return ir_makes_sext32(i, g->sext32); }

/* ---- lazy sign extension ----
 * A W operation's result in a host register is left with its upper half
 * unextended while only 32-bit consumers read it (W operations, narrow
 * stores, logic operations on sign-extended values, copies); anything else
 * (64-bit use, a call, an exit, a stub) sign-extends it first. */
static void sign_extend_regs(cg *g, uint32_t mask)
{
    for (int v = 1; v < 32; v++)
        if (mask >> v & 1)
            x86_movsx(&g->b, g->alloc[v], g->alloc[v], 4);
}

static void materialize(cg *g, uint32_t mask)
{
    sign_extend_regs(g, mask & g->lazy);
    g->lazy &= ~mask;
}

static uint32_t reg_bit(uint8_t v) { return IR_IS_X(v) && v ? 1u << v : 0; }
/* The guest registers i reads as its two sources. */
static uint32_t src_bits(const ir_ins *i) { return reg_bit(i->a) | ((i->flags & IR_BIMM) ? 0 : reg_bit(i->b)); }

/* The operands of i that may be read while lazy. */
static uint32_t lazy_ok(const cg *g, const ir_ins *i)
{
    if (ir_reads_low32(i))
        return src_bits(i);
    switch (i->op) {
    case IR_STORE: /* the value; the address is read whole */
        return i->size <= 4 ? src_bits(i) & ~reg_bit(i->a) : 0;
    case IR_AND: case IR_OR: case IR_XOR: case IR_ANDN: case IR_ORN: case IR_XNOR:
        return makes_sext32(g, i) ? src_bits(i) : 0;
    case IR_MOV:
        return mapped(g, i->d) ? src_bits(i) : 0;
    }
    return 0;
}

/* Whether a jump to `target` from the current instruction is the back edge
 * of a self-looping block. */
static bool is_back_edge(const cg *g, uint64_t target)
{
    return g->loop_head && target == g->blk->pc && g->index + 1u == g->blk->ninsns;
}

/* The lazy registers to sign-extend before operation i: all of them before
 * a call, an exit or the loop's back edge (the loop head expects whole
 * values; side exits extend in their stubs), else the operands it reads
 * whole. */
static uint32_t needs_whole(const cg *g, const ir_ins *i)
{
    if ((i->op == IR_BRANCH || i->op == IR_GOTO) && is_back_edge(g, (uint64_t)i->imm))
        return g->lazy;
    switch (i->op) {
    case IR_CALL2: case IR_FPCALL: case IR_ATOMIC: case IR_FFLAGS: case IR_JUMP: case IR_TAIL:
    case IR_CLZ: case IR_CLZW: case IR_CTZ: case IR_CTZW: case IR_CPOP: case IR_CPOPW:
        return g->lazy;
    case IR_INSN: case IR_GOTO: /* no register operands */
        return 0;
    }
    return (src_bits(i) | reg_bit(i->c)) & ~lazy_ok(g, i) & g->lazy;
}

/* Whether a logic operation reads a lazy operand (its result's low half
 * is right, the upper half is then made the sign extension of it). */
static bool lazy_operand(const cg *g, const ir_ins *i)
{
    switch (i->op) {
    case IR_AND: case IR_OR: case IR_XOR: case IR_ANDN: case IR_ORN: case IR_XNOR:
        return (g->lazy & src_bits(i)) != 0;
    }
    return false;
}

/* ---- a value left in rax ----
 * A W result that lives in cpu->x is computed in rax, sign-extended and
 * stored; the operation reading it next (SHA-256's Ch and Sigma parts)
 * would load it back through the store. While the operations between
 * leave rax alone, it is read from rax instead (off the dependency chain
 * through memory). Those operations: register operations into a host
 * register that need no scratch. */
static bool keeps_rax(const cg *g, const ir_ins *i)
{
    if (i->op == IR_INSN)
        return true;
    bool commutes = i->op == IR_ADD || i->op == IR_AND || i->op == IR_OR || i->op == IR_XOR || i->op == IR_ADDW;
    if (!IR_IS_X(i->d) || !mapped(g, i->d) || (work_reg(g, i) == RAX && !commutes)) /* (d = a op d: d op= a) */
        return false;
    if ((i->flags & IR_BIMM) && (i->imm < INT32_MIN || i->imm > INT32_MAX))
        return false;
    switch (i->op) {
    case IR_MOV: case IR_ADD: case IR_SUB: case IR_AND: case IR_OR: case IR_XOR:
        return true;
    case IR_ADDW: case IR_SUBW: /* (sext.w of a value in rax: its load_ext stays on memory) */
        return !((i->flags & IR_BIMM) && i->imm == 0 && i->a == g->rax_v);
    case IR_SHL: case IR_SHR: case IR_SAR: case IR_ROL: case IR_ROR:
    case IR_SHLW: case IR_SHRW: case IR_SARW: case IR_ROLW: case IR_RORW:
        return (i->flags & IR_BIMM) != 0;
    case IR_ANDN: /* BMI1's, the second source in a host register */
        return g->jc->caps.bmi2 && i->a != 0 && !(i->flags & IR_BIMM) && mapped(g, i->b);
    }
    return false;
}

/* ---- slot renaming ----
 * Guest registers that live in cpu->x may hold their values in one
 * another's slots: a copy between two of them (mv, sext.w of a
 * sign-extended value) emits nothing, the destination's value being in the
 * source's slot; a write to a slot two registers share puts the written
 * register's value in a free slot (its own if it can) rather than copying
 * the other's out. So values sliding down a window of registers (SHA-256's
 * message schedule, its d and h) cost no moves. Every way out first puts
 * the values back in their own slots (move_slots), and so does the loop's
 * back edge before the loop head. */
static bool in_memory(const cg *g, uint8_t v) { return IR_IS_X(v) && v != 0 && !g->alloc[v]; }

static bool slot_taken(const cg *g, int s)
{
    for (int v = 1; v < 32; v++)
        if (g->slot[v] == s)
            return true;
    return false;
}

static bool slot_shared(const cg *g, uint8_t d)
{
    for (int v = 1; v < 32; v++)
        if (v != d && g->slot[v] == g->slot[d])
            return true;
    return false;
}

/* A slot no value is in for register d: its own if it can (there is one
 * whenever d shares its slot: fewer values than registers in cpu->x). */
static int free_slot(const cg *g, uint8_t d)
{
    if (!slot_taken(g, d))
        return d;
    for (int w = 1; w < 32; w++)
        if (in_memory(g, (uint8_t)w) && !slot_taken(g, w))
            return w;
    return d; /* cannot happen */
}

static bool reads_reg(const ir_ins *i, uint8_t v)
{
    return i->a == v || (!(i->flags & IR_BIMM) && i->b == v) || i->c == v;
}

/* A copy between registers in cpu->x that only renames: done. (Not once
 * the block has made many slot maps for its stubs: see slot_map_index.) */
static bool slot_copy(cg *g, const ir_ins *i)
{
    uint8_t d = i->d, s;
    if (!g->loop_head || !in_memory(g, d) || g->nslot_maps > SLOT_MAPS - 40)
        return false;
    if (i->op == IR_MOV && !(i->flags & IR_BIMM))
        s = i->b;
    else if (i->op == IR_ADDW && (i->flags & IR_BIMM) && i->imm == 0 && IR_IS_X(i->a) &&
             (g->sext32 >> i->a & 1))
        s = i->a;
    else
        return false;
    if (!in_memory(g, s) || s == d)
        return false;
    g->slot[d] = g->slot[s];
    g->rax_v = -1; /* (not followed through renaming: rax may hold d's old value) */
    return true;
}

/* Before operation i writes register d in cpu->x whose slot it shares: a
 * register operation moves d to a free slot (reading d's value through a
 * register still there if it reads d: returns true, i changed); anything
 * else (whose ways out may come before the write) moves the others. */
static bool slot_place(cg *g, ir_ins *i)
{
    uint8_t d = i->d;
    if (i->op == IR_INSN || !in_memory(g, d) || !slot_shared(g, d))
        return false;
    uint8_t u = 1;
    while (u == d || g->slot[u] != g->slot[d])
        u++;
    if (i->op >= IR_MOV && i->op <= IR_REV8 && i->op != IR_CALL2) {
        bool changed = reads_reg(i, d);
        if (i->a == d)
            i->a = u;
        if (!(i->flags & IR_BIMM) && i->b == d)
            i->b = u;
        if (i->c == d)
            i->c = u;
        g->slot[d] = d; /* (not taken by d while it looks) */
        g->slot[d] = (uint8_t)free_slot(g, d);
        return changed;
    }
    int to = free_slot(g, u), from = g->slot[d];
    x86_load64(&g->b, RAX, xslot(from));
    x86_store64(&g->b, xslot(to), RAX);
    for (int v = 1; v < 32; v++)
        if (v != d && g->slot[v] == from)
            g->slot[v] = (uint8_t)to;
    return false;
}

/* Every value back in its own slot: a parallel move through `tmp`, cycles
 * broken through the frame's swap slot. */
static void move_slots(cg *g, int tmp)
{
    enum { SWAP = 32 };
    int src[32];
    bool pending = false;
    for (int v = 0; v < 32; v++) {
        src[v] = g->slot[v] != v ? g->slot[v] : -1;
        pending |= src[v] >= 0;
    }
    while (pending) {
        bool progress = false;
        pending = false;
        for (int v = 1; v < 32; v++) {
            bool read_later = false;
            for (int w = 1; w < 32 && src[v] >= 0; w++)
                read_later |= w != v && src[w] == v;
            if (src[v] < 0 || read_later) {
                pending |= src[v] >= 0;
                continue;
            }
            x86_load64(&g->b, tmp, src[v] == SWAP ? x86_at(RSP, SLOT_SWAP) : xslot(src[v]));
            x86_store64(&g->b, xslot(v), tmp);
            src[v] = -1;
            progress = true;
        }
        if (pending && !progress) { /* only cycles left: one value to the swap slot */
            int v = 1;
            while (src[v] < 0)
                v++;
            x86_load64(&g->b, tmp, xslot(v));
            x86_store64(&g->b, x86_at(RSP, SLOT_SWAP), tmp);
            for (int w = 1; w < 32; w++)
                if (src[w] == v)
                    src[w] = SWAP;
        }
    }
    for (int v = 0; v < 32; v++)
        g->slot[v] = (uint8_t)v;
}

/* ---- exits ---- */

static bool emit_op(cg *g, const ir_ins *i);

/* The sunk definitions (see ir_block.sunk_until) a way out from operation
 * g->leave_op must make visible, computed from cpu->x after the write-back
 * (their sources still hold the values they had). */
static void emit_sunk(cg *g)
{
    const ir_block *blk = g->blk;
    uint8_t alloc[32];
    uint32_t saved[3] = {g->dirty, g->sext32, g->lazy};
    bool any = false;
    for (uint32_t n = 0; n < g->nsunk && g->sunk[n] < g->leave_op; n++) {
        uint32_t j = g->sunk[n];
        if (g->leave_op > blk->sunk_until[j])
            continue;
        ir_ins op = blk->ops[j];
        if (blk->sunk_alt_from[j] && g->leave_op > blk->sunk_alt_from[j]) { /* a source moved */
            if (op.a == blk->sunk_alt[j][0])
                op.a = blk->sunk_alt[j][1];
            if (!(op.flags & IR_BIMM) && op.b == blk->sunk_alt[j][0])
                op.b = blk->sunk_alt[j][1];
        }
        if (!any) { /* every guest register in cpu->x, nothing known of them */
            memcpy(alloc, g->alloc, sizeof(alloc));
            memset(g->alloc, 0, sizeof(g->alloc));
            g->sext32 = g->lazy = 0;
            any = true;
        }
        emit_op(g, &op);
    }
    if (any) {
        memcpy(g->alloc, alloc, sizeof(alloc));
        g->dirty = saved[0];
        g->sext32 = saved[1];
        g->lazy = saved[2];
    }
}

/* What every way out of the block after its entry checks does first: fold
 * host FP's inexact flag into fflags, store the written guest registers,
 * compute the sunk definitions (rax is left alone when there are none, as
 * on the way out of the block's last operation). */
static void leave_block(cg *g, uint32_t dirty)
{
    uint8_t slot[32];
    memcpy(slot, g->slot, sizeof(slot));
    if (g->host_fp)
        host_fp_sync(g);
    writeback(g, dirty, false);
    writeback_f(g, g->fdirty);
    move_slots(g, RCX); /* (the guest registers are stored: rcx is free, rax may hold a jump target) */
    emit_sunk(g);
    memcpy(g->slot, slot, sizeof(slot));
}

static bool same_page(const cg *g, uint64_t target)
{
    return (target & RV_PAGE_MASK) == (g->blk->pc & RV_PAGE_MASK);
}

/* A jump (its rel32 at `site`) leaving the block for guest pc `target`. */
static void exit_to(cg *g, uint8_t *site, uint64_t target)
{
    add_stub(g, (stub){STUB_EXIT, g->dirty, (uint16_t)g->index, site, NULL, NULL, target});
}

/* A direct jump (its rel32 at `site`) to guest pc `target`: the block's
 * back edge (its last instruction jumping to its own start, in a
 * self-looping block) goes straight to the loop head; anything else leaves. */
static void jump_out(cg *g, uint8_t *site, uint64_t target)
{
    if (is_back_edge(g, target) && slots_home(g))
        x86_patch_rel32(&g->b, site, rx_of(g, g->loop_head));
    else if (is_back_edge(g, target))
        add_stub(g, (stub){STUB_BACK_EDGE, g->dirty, (uint16_t)g->index, site, NULL, NULL, target});
    else
        exit_to(g, site, target);
}

static int branch_cc(int cond)
{
    switch (cond) {
    case IR_EQ: return CC_E;
    case IR_NE: return CC_NE;
    case IR_LT: return CC_L;
    case IR_GE: return CC_GE;
    case IR_LTU: return CC_B;
    default: return CC_AE;
    }
}

/* The condition for `0 cond v`, tested on v against 0 (blez, bgtz, ...). */
static int branch_cc_zero_first(int cond)
{
    switch (cond) {
    case IR_EQ: return CC_E;
    case IR_NE: return CC_NE;
    case IR_LT: return CC_G;
    case IR_GE: return CC_LE;
    case IR_LTU: return CC_NE;
    default: return CC_E;
    }
}

static void emit_branch(cg *g, const ir_ins *i)
{
    if (IR_IS_X(i->a) && i->a == 0 && IR_IS_X(i->b) && i->b != 0) { /* compare v with 0 directly */
        int v = mapped(g, i->b);
        if (v)
            x86_test_rr(&g->b, 1, v, v);
        else
            x86_alu_mi(&g->b, 1, ALU_CMP, vmem(g, i->b), 0);
        jump_out(g, x86_jcc32(&g->b, branch_cc_zero_first(i->size)), (uint64_t)i->imm);
        return;
    }
    int a = mapped(g, i->a);
    if (!a) {
        load_v(g, RAX, i->a);
        a = RAX;
    }
    alu_v(g, 1, ALU_CMP, a, i->b);
    jump_out(g, x86_jcc32(&g->b, branch_cc(i->size)), (uint64_t)i->imm);
}

/* Leave with exit code `code` at guest pc `pc`: the pc in rax, then the
 * shared tail that stores it (jit_backend_init): 10-15 bytes a way out. */
static void exit_at_pc(cg *g, uint64_t pc, int code)
{
    x86_mov_ri(&g->b, RAX, pc);
    x86_jmp_to(&g->b, g->jc->exit_pc[code]);
}

/* A chainable exit to `target`: a jump the dispatcher points at the
 * target's code (its rel32 returned), until then leading on to a call of
 * the shared tail, which takes the jump's address from the return address
 * and the guest pc from the 8 bytes after the call (never returned to). */
#define CHAIN_SITE_BACK 9 /* return address - rel32 of the jump */
static uint8_t *chain_exit(cg *g, uint64_t target)
{
    x86_buf *b = &g->b;
    uint8_t *site = x86_jmp32(b);
    x86_patch_rel32(b, site, x86_here(b));
    x86_call(b, (const void *)g->jc->exit_chain); /* (a rel32 call: the tail is in this buffer) */
    if (b->p - site != CHAIN_SITE_BACK) /* cannot happen: fixed encodings */
        g->overflow = true;
    x86_u64(b, target);
    return site;
}

/* An indirect jump's inline cache: the target it was filled with (first
 * come: a jump seen going elsewhere later uses the jump cache), valid in
 * the TLB-flush epoch it was filled in; a hit is one direct jump. Its
 * layout, which jit_backend_set_ic patches:
 *   +0   movabs rcx, pc        (pc 1: empty, never a guest pc)
 *   +10  cmp rax, rcx ; jne other
 *   +19  cmp qword [cpu+jit_ic_epoch], epoch32 ; jne fill
 *   +33  jmp target            (fill until filled)
 *   +38  fill: call jc->exit_ic (back to the dispatcher, which fills it;
 *        the shared tail finds the cache from the return address)
 *   +43  other: empty ? fill : the jump cache (constant targets: fill) */
#define IC_PC 2
#define IC_EPOCH 23
#define IC_JMP 34
#define IC_FILL_END 43

/* Leave for the guest pc in rax (the block already left: registers stored).
 * `computed`: a jump register's value; else a constant, which the inline
 * cache holds once filled, so that it needs no way to the jump cache. */
static void emit_indirect_jump(cg *g, bool computed)
{
    x86_buf *b = &g->b;
    uint8_t *ic = b->p;
    x86_byte(b, 0x48);
    x86_byte(b, 0xB9); /* movabs rcx, imm64 */
    x86_u64(b, 1);
    x86_alu_rr(b, 1, ALU_CMP, RAX, RCX);
    uint8_t *other = x86_jcc32(b, CC_NE);
    x86_op_rm(b, 1, 0x81, ALU_CMP, CPU_FIELD(jit_ic_epoch), false);
    x86_u32(b, 0);
    uint8_t *stale = x86_jcc32(b, CC_NE);
    uint8_t *hit = x86_jmp32(b);
    if (stale - 6 - ic != IC_EPOCH || hit - ic != IC_JMP) /* cannot happen: fixed encodings */
        g->overflow = true;
    uintptr_t fill = x86_here(b);
    x86_patch_rel32(b, stale, fill);
    x86_patch_rel32(b, hit, fill);
    x86_call(b, (const void *)g->jc->exit_ic); /* (a rel32 call: the tail is in this buffer) */
    if (b->p - ic != IC_FILL_END) /* cannot happen: fixed encodings */
        g->overflow = true;
    if (computed) {
        x86_patch_rel32(b, other, x86_here(b));
        x86_alu_ri(b, 1, ALU_CMP, RCX, 1);
        x86_jcc_to(b, CC_NE, g->jc->jc_lookup);
        x86_jmp_to(b, fill);
    } else {
        x86_patch_rel32(b, other, fill);
    }
}

void jit_backend_set_ic(jit_ctx *jc, uintptr_t ic, uint64_t pc, uint64_t epoch, uintptr_t target)
{
    x86_buf b = {jc->rw, jc->rw + jc->size, jc->diff, false};
    uint8_t *rw = (uint8_t *)(ic + (uintptr_t)jc->diff);
    uint32_t e = (uint32_t)epoch;
    x86_patch_rel32(&b, rw + IC_JMP, target);
    memcpy(rw + IC_EPOCH, &e, 4);
    memcpy(rw + IC_PC, &pc, 8); /* last: until here the cache misses */
    jit_cache_sync(jc, rw, IC_JMP + 4);
}

/* Keep g->sext32 up to date after operation i. */
static void track_sext32(cg *g, const ir_ins *i)
{
    if (!IR_IS_X(i->d) || i->d == 0 || i->op == IR_INSN)
        return;
    if (makes_sext32(g, i))
        g->sext32 |= 1u << i->d;
    else
        g->sext32 &= ~(1u << i->d);
}

/* d = a op b in place in cpu->x when d = a lives there and b is an
 * immediate or in a host register: one read-modify-write instruction. */
static bool emit_alu_in_memory(cg *g, const ir_ins *i, int alu)
{
    if (!IR_IS_X(i->d) || i->d == 0 || i->a != i->d || mapped(g, i->d))
        return false;
    if (i->flags & IR_BIMM) {
        if (i->imm < INT32_MIN || i->imm > INT32_MAX)
            return false;
        if (i->imm != 0 || alu == ALU_AND)
            x86_alu_mi(&g->b, 1, alu, vmem(g, i->d), (int32_t)i->imm);
        return true;
    }
    if (!mapped(g, i->b))
        return false;
    x86_alu_mr(&g->b, 1, alu, vmem(g, i->d), mapped(g, i->b));
    return true;
}

/* d = a + b (or a - imm) with a and b in host registers, or b an
 * immediate: one lea into d's register (or rax), no copy of a first; ADDW
 * then sign-extends. */
static bool emit_add_lea(cg *g, const ir_ins *i)
{
    bool w32 = i->op == IR_ADDW || i->op == IR_SUBW;
    bool sub = i->op == IR_SUB || i->op == IR_SUBW;
    bool bimm = (i->flags & IR_BIMM) != 0;
    int a = mapped(g, i->a);
    if (!a || !IR_IS_X(i->d) || i->d == i->a || (sub && !bimm))
        return false;
    x86_mem m;
    if (bimm) {
        int64_t v = sub ? -i->imm : i->imm;
        if (v < INT32_MIN || v > INT32_MAX || (v == 0 && !w32))
            return false;
        m = x86_at(a, (int32_t)v);
    } else if (mapped(g, i->b)) {
        m = x86_at_index(a, mapped(g, i->b), 0);
    } else {
        return false;
    }
    int work = mapped(g, i->d) ? mapped(g, i->d) : RAX;
    x86_lea(&g->b, work, m);
    finish(g, i, work, w32);
    return true;
}

/* ---- one IR operation ---- */
static bool emit_op(cg *g, const ir_ins *i)
{
    x86_buf *b = &g->b;
    int w32 = 0, work, r;
    switch (i->op) {
    case IR_INSN:
        g->index = (int)ir_index(i);
        return true;
    case IR_MOV:
        if (i->flags & IR_BIMM) {
            work = mapped(g, i->d) ? mapped(g, i->d) : RAX;
            if (!mapped(g, i->d) && IR_IS_X(i->d) && i->d != 0 && i->imm >= INT32_MIN && i->imm <= INT32_MAX) {
                x86_store64_imm(b, vmem(g, i->d), (int32_t)i->imm);
                return true;
            }
            x86_mov_ri(b, work, (uint64_t)i->imm);
        } else if (IR_IS_X(i->d) && i->d != 0 && !mapped(g, i->d) && mapped(g, i->b)) {
            x86_store64(b, vmem(g, i->d), mapped(g, i->b)); /* straight from its host register */
            return true;
        } else {
            work = mapped(g, i->d) ? mapped(g, i->d) : RAX;
            load_v(g, work, i->b);
        }
        finish(g, i, work, IR_IS_X(i->b) && (g->lazy >> i->b & 1));
        return true;
    case IR_ADDW: case IR_SUBW:
        if ((i->flags & IR_BIMM) && i->imm == 0 && IR_IS_X(i->a) && i->a != 0) {
            /* sext.w: a move, or nothing, when the value is sign-extended already */
            if (i->d == i->a && (g->sext32 >> i->a & 1)) {
                g->made_lazy = (g->lazy >> i->a & 1) != 0;
                return true;
            }
            if (((g->sext32 & ~g->lazy) >> i->a & 1) && !mapped(g, i->d) && mapped(g, i->a)) {
                x86_store64(b, vmem(g, i->d), mapped(g, i->a)); /* a copy, straight from its host register */
                return true;
            }
            work = mapped(g, i->d) ? mapped(g, i->d) : RAX;
            if ((g->sext32 & ~g->lazy) >> i->a & 1)
                load_v(g, work, i->a);
            else if (mapped(g, i->a))
                x86_movsx(b, work, mapped(g, i->a), 4);
            else
                x86_load_ext(b, work, vmem(g, i->a), 4, true); /* (rax: see keeps_rax) */
            finish(g, i, work, false);
            return true;
        }
        if (emit_add_lea(g, i))
            return true;
        w32 = 1;
        /* fall through */
    case IR_ADD: case IR_SUB: case IR_AND: case IR_OR: case IR_XOR: {
        static const uint8_t alu[] = {[IR_ADD] = ALU_ADD, [IR_SUB] = ALU_SUB, [IR_AND] = ALU_AND,
                                      [IR_OR] = ALU_OR, [IR_XOR] = ALU_XOR, [IR_ADDW] = ALU_ADD,
                                      [IR_SUBW] = ALU_SUB};
        ir_ins sw;
        if (lazy_operand(g, i)) /* both sign-extended 32-bit values (see lazy_ok): so is the result */
            w32 = 1;
        if (!(i->flags & IR_BIMM) && i->b == i->d && i->a != i->d && i->op != IR_SUB && i->op != IR_SUBW) {
            sw = *i; /* d = a op d, commutative: d op= a */
            sw.a = i->b;
            sw.b = i->a;
            i = &sw;
        }
        if (!w32 && (emit_alu_in_memory(g, i, alu[i->op]) ||
                     ((i->op == IR_ADD || i->op == IR_SUB) && emit_add_lea(g, i))))
            return true;
        work = work_reg(g, i);
        if (work != mapped(g, i->a) || work == RAX)
            load_v(g, work, i->a);
        if (!((i->flags & IR_BIMM) && i->imm == 0 && i->op != IR_AND))
            alu_b(g, !w32, alu[i->op], work, i); /* x + 0, x | 0, x ^ 0: a move */
        finish(g, i, work, w32);
        return true;
    }
    case IR_SHLW: case IR_SHRW: case IR_SARW: case IR_ROLW: case IR_RORW:
        w32 = 1;
        /* fall through */
    case IR_SHL: case IR_SHR: case IR_SAR: case IR_ROL: case IR_ROR: {
        static const uint8_t sh[] = {[IR_SHL] = SH_SHL, [IR_SHR] = SH_SHR, [IR_SAR] = SH_SAR,
                                     [IR_ROL] = SH_ROL, [IR_ROR] = SH_ROR, [IR_SHLW] = SH_SHL,
                                     [IR_SHRW] = SH_SHR, [IR_SARW] = SH_SAR, [IR_ROLW] = SH_ROL,
                                     [IR_RORW] = SH_ROR};
        int width = w32 ? 32 : 64, h = mapped(g, i->a);
        bool rot = sh[i->op] == SH_ROL || sh[i->op] == SH_ROR;
        /* (rotates by an immediate are all right rotates: rori, roriw, ir_opt's idiom) */
        if (g->jc->caps.bmi2 && i->a != 0 && ((i->flags & IR_BIMM) ? sh[i->op] == SH_ROR : !rot)) {
            /* BMI2's three-operand forms: no copy of the source first (and
             * for shifts by a register, the count need not be in cl). */
            work = mapped(g, i->d) ? mapped(g, i->d) : RAX;
            if (i->flags & IR_BIMM) {
                uint8_t n = (uint8_t)(i->imm & (width - 1));
                if (!h && i->a == g->rax_v && work != RAX)
                    h = RAX;
                if (h)
                    x86_rorx_rr(b, !w32, work, h, n);
                else
                    x86_rorx_rm(b, !w32, work, vmem(g, i->a), n);
            } else {
                int count = b_in_reg(g, i, RCX);
                if (h)
                    x86_shiftx_rr(b, !w32, sh[i->op], work, h, count);
                else
                    x86_shiftx_rm(b, !w32, sh[i->op], work, vmem(g, i->a), count);
            }
        } else if (i->flags & IR_BIMM) {
            work = work_reg(g, i);
            load_v(g, work, i->a);
            x86_shift_ri(b, !w32, sh[i->op], work, (uint8_t)(i->imm & (width - 1)));
            if (i->op == IR_SHRW && (i->imm & 31))
                w32 = 0; /* bit 31 is clear: the 32-bit shift's zero extension is the sign extension */
        } else {
            load_v(g, RCX, i->b);
            work = mapped(g, i->d) && i->b != i->d ? mapped(g, i->d) : RAX;
            load_v(g, work, i->a);
            x86_shift_cl(b, !w32, sh[i->op], work);
        }
        finish(g, i, work, w32);
        return true;
    }
    case IR_SLT: case IR_SLTU:
        r = mapped(g, i->a);
        if (!r) {
            load_v(g, RAX, i->a);
            r = RAX;
        }
        alu_b(g, 1, ALU_CMP, r, i);
        x86_setcc(b, i->op == IR_SLT ? CC_L : CC_B, RAX);
        work = IR_IS_X(i->d) && mapped(g, i->d) ? mapped(g, i->d) : RAX;
        x86_movzx(b, work, RAX, 1); /* straight into d's host register */
        if (work == RAX)
            store_v(g, i->d, RAX);
        else
            g->dirty |= 1u << i->d;
        return true;
    case IR_MULW:
        w32 = 1;
        /* fall through */
    case IR_MUL:
        r = b_in_reg(g, i, RCX);
        work = mapped(g, i->d) && r != mapped(g, i->d) ? mapped(g, i->d) : RAX;
        load_v(g, work, i->a);
        x86_imul_rr(b, !w32, work, r);
        finish(g, i, work, w32);
        return true;
    case IR_MULH: case IR_MULHU:
        r = b_in_reg(g, i, RCX);
        if (r != RCX)
            x86_mov_rr(b, RCX, r);
        load_v(g, RAX, i->a);
        x86_mul_wide(b, RCX, i->op == IR_MULH);
        store_v(g, i->d, RDX);
        return true;
    case IR_ANDN: case IR_ORN:
        if (i->op == IR_ANDN && g->jc->caps.bmi2 && i->a != 0) { /* one andn, no copy, no rcx */
            r = b_in_reg(g, i, RAX);
            work = mapped(g, i->d) ? mapped(g, i->d) : RAX;
            if (mapped(g, i->a))
                x86_andn_rr(b, work, r, mapped(g, i->a));
            else if (i->a == g->rax_v && work != RAX && r != RAX)
                x86_andn_rr(b, work, r, RAX);
            else
                x86_andn_rm(b, work, r, vmem(g, i->a));
            finish(g, i, work, lazy_operand(g, i));
            return true;
        }
        r = b_in_reg(g, i, RCX);
        x86_mov_rr(b, RAX, r);
        x86_not(b, 1, RAX);
        alu_v(g, 1, i->op == IR_ANDN ? ALU_AND : ALU_OR, RAX, i->a);
        finish(g, i, RAX, lazy_operand(g, i));
        return true;
    case IR_XNOR:
        load_v(g, RAX, i->a);
        alu_b(g, 1, ALU_XOR, RAX, i);
        x86_not(b, 1, RAX);
        finish(g, i, RAX, lazy_operand(g, i));
        return true;
    case IR_MIN: case IR_MAX: case IR_MINU: case IR_MAXU: {
        static const uint8_t cc[] = {[IR_MIN] = CC_G, [IR_MAX] = CC_L, [IR_MINU] = CC_A, [IR_MAXU] = CC_B};
        r = b_in_reg(g, i, RCX);
        load_v(g, RAX, i->a);
        x86_alu_rr(b, 1, ALU_CMP, RAX, r);
        x86_cmov(b, 1, cc[i->op], RAX, r);
        store_v(g, i->d, RAX);
        return true;
    }
    case IR_CZEQZ: case IR_CZNEZ:
        r = b_in_reg(g, i, RDX);
        load_v(g, RAX, i->a);
        x86_mov_ri(b, RCX, 0);
        x86_test_rr(b, 1, r, r);
        x86_cmov(b, 1, i->op == IR_CZEQZ ? CC_E : CC_NE, RAX, RCX);
        store_v(g, i->d, RAX);
        return true;
    case IR_SEXTB: case IR_SEXTH: case IR_SEXTW: case IR_ZEXTH: case IR_ZEXTW:
    case IR_REV8: case IR_CLZ: case IR_CLZW: case IR_CTZ: case IR_CTZW: case IR_CPOP: case IR_CPOPW:
        if (!g->jc->caps.bitcount && i->op >= IR_CLZ && i->op <= IR_CPOPW) {
            static const void *const fns[] = {
                [IR_CLZ] = (const void *)jit_clz, [IR_CLZW] = (const void *)jit_clzw,
                [IR_CTZ] = (const void *)jit_ctz, [IR_CTZW] = (const void *)jit_ctzw,
                [IR_CPOP] = (const void *)jit_cpop, [IR_CPOPW] = (const void *)jit_cpopw};
            ir_ins c = *i;
            c.op = IR_CALL2;
            c.b = 0;
            c.fn = fns[i->op];
            emit_call2(g, &c);
            return true;
        }
        load_v(g, RAX, i->a);
        switch (i->op) {
        case IR_SEXTB: x86_movsx(b, RAX, RAX, 1); break;
        case IR_SEXTH: x86_movsx(b, RAX, RAX, 2); break;
        case IR_SEXTW: x86_movsx(b, RAX, RAX, 4); break;
        case IR_ZEXTH: x86_movzx(b, RAX, RAX, 2); break;
        case IR_ZEXTW: x86_movzx(b, RAX, RAX, 4); break;
        case IR_REV8: x86_bswap(b, RAX); break;
        case IR_CLZ: x86_bitcount(b, 1, 0xBD, RAX, RAX); break;
        case IR_CLZW: x86_bitcount(b, 0, 0xBD, RAX, RAX); break;
        case IR_CTZ: x86_bitcount(b, 1, 0xBC, RAX, RAX); break;
        case IR_CTZW: x86_bitcount(b, 0, 0xBC, RAX, RAX); break;
        case IR_CPOP: x86_bitcount(b, 1, 0xB8, RAX, RAX); break;
        default: x86_bitcount(b, 0, 0xB8, RAX, RAX); break;
        }
        store_v(g, i->d, RAX);
        return true;
    case IR_CALL2: emit_call2(g, i); return true;
    case IR_FPCALL: emit_fpcall(g, i); return true;
    case IR_LOAD: emit_load(g, i); return true;
    case IR_STORE: emit_store(g, i); return true;
    case IR_BRANCH: emit_branch(g, i); return true;
    case IR_ATOMIC: emit_atomic(g, i); return true;
    case IR_FFLAGS:
        if (g->host_fp)
            host_fp_sync(g); /* inexact results so far are part of the value */
        x86_op_rm(b, 0, 0x8B, RAX, CPU_FIELD(fflags), false);
        x86_alu_ri(b, 0, ALU_AND, RAX, 0x1f);
        if (i->nargs) {
            if (i->flags & IR_BIMM)
                x86_mov_ri(b, RCX, (uint64_t)i->imm);
            else
                load_v(g, RCX, i->b);
            if (i->size == 2)
                x86_not(b, 0, RCX);
            if (i->size != 0)
                x86_alu_rr(b, 0, i->size == 1 ? ALU_OR : ALU_AND, RCX, RAX);
            x86_alu_ri(b, 0, ALU_AND, RCX, 0x1f);
            x86_op_rm(b, 0, 0x89, RCX, CPU_FIELD(fflags), false);
            x86_test_ri32(b, RCX, 1); /* NX cleared: so is MXCSR's (see host_fp_sync) */
            uint8_t *keep = x86_jcc32(b, CC_NE);
            mxcsr_reset(g);
            x86_patch_rel32(b, keep, x86_here(b));
            mark_fp_dirty(g);
        }
        store_v(g, i->d, RAX);
        return true;
    case IR_GOTO:
        jump_out(g, x86_jmp32(b), (uint64_t)i->imm);
        return true;
    case IR_JUMP:
        load_v(g, RAX, i->a);
        if (i->imm)
            x86_alu_ri(b, 1, ALU_ADD, RAX, (int32_t)i->imm);
        x86_alu_ri(b, 1, ALU_AND, RAX, -2);
        g->leave_op = g->op; /* the block's last: nothing sunk is pending, rax survives */
        leave_block(g, g->dirty);
        emit_indirect_jump(g, true);
        return true;
    case IR_TAIL:
        g->leave_op = g->op;
        leave_block(g, g->dirty);
        x86_alu_ri(b, 1, ALU_SUB, ICOUNT, (int32_t)(g->blk->ninsns - ir_index(i)));
        exit_at_pc(g, (uint64_t)i->imm, JIT_EXIT_INTERP);
        return true;
    }
    return false;
}

/* ---- out-of-line parts ---- */

/* Whether a way out from operation g->leave_op computes sunk definitions
 * (emit_sunk's test). */
static bool sunk_pending(const cg *g)
{
    for (uint32_t n = 0; n < g->nsunk && g->sunk[n] < g->leave_op; n++)
        if (g->leave_op <= g->blk->sunk_until[g->sunk[n]])
            return true;
    return false;
}

/* Leave with the state as before guest instruction `index`: for a trap
 * there, or for the interpreter to run on from it. pc and instret are set
 * first, then the guest registers are stored, which leaves rax alone
 * unless host FP or sunk definitions are involved: otherwise ways out that
 * store the same registers the same way (a block's memory slow paths,
 * mostly) share that code, each jumping into the first one's. */
static void emit_exit_at(cg *g, const stub *s, int code)
{
    int k = (int)(s - g->stubs);
    exit_tail key = {s->dirty, g->fdirty_at[k], g->slots_at[k], (uint8_t)code, NULL};
    uint64_t pc = jit_insn_pc(g->blk, s->index);
    int32_t not_run = (int32_t)(g->blk->ninsns - s->index);
    if (g->host_fp || sunk_pending(g)) { /* their code may use rax */
        leave_block(g, s->dirty);
        x86_alu_ri(&g->b, 1, ALU_SUB, ICOUNT, not_run);
        exit_at_pc(g, pc, code);
        return;
    }
    x86_alu_ri(&g->b, 1, ALU_SUB, ICOUNT, not_run);
    x86_mov_ri(&g->b, RAX, pc);
    for (int t = 0; t < g->ntails; t++) {
        const exit_tail *e = &g->tails[t];
        if (e->dirty == key.dirty && e->fdirty == key.fdirty && e->slots == key.slots && e->code == key.code) {
            x86_jmp_to(&g->b, rx_of(g, e->at));
            return;
        }
    }
    if (g->ntails < MAX_EXIT_TAILS) {
        key.at = g->b.p;
        g->tails[g->ntails++] = key;
    }
    leave_block(g, s->dirty);
    x86_jmp_to(&g->b, g->jc->exit_pc[code]);
}

static void emit_trap_exit(cg *g, const stub *s) { emit_exit_at(g, s, JIT_EXIT_TRAP); }

/* A host fault at a direct access resumes here, then goes on to the slow
 * path (which raises the guest's fault, or does the access if the guest
 * may after all). Without MEMBASE, rax is the host address it faulted on:
 * back to the guest va. */
static void emit_fault_entry(cg *g, const uint8_t *access)
{
    jit_ctx *jc = g->jc; /* room checked in jit_backend_emit */
    jc->sites[jc->nsites++] = (jit_fault_site){(uint32_t)(rx_of(g, access) - (uintptr_t)jc->rx),
                                               (uint32_t)(x86_here(&g->b) - (uintptr_t)jc->rx)};
    if (!g->membase)
        x86_alu_rm(&g->b, 1, ALU_SUB, RAX, CPU_FIELD(mem_base));
}

static void emit_stub(cg *g, const stub *s)
{
    x86_buf *b = &g->b;
    uint8_t *trap;
    if (g->fault_at[s - g->stubs])
        emit_fault_entry(g, g->fault_at[s - g->stubs]);
    if (s->site)
        x86_patch_rel32(b, s->site, x86_here(b));
    memcpy(g->slot, g->slot_maps[g->slots_at[s - g->stubs]], sizeof(g->slot));
    g->fdirty = g->fdirty_at[s - g->stubs];
    g->leave_op = g->op_at[s - g->stubs];
    sign_extend_regs(g, g->lazy_at[s - g->stubs]); /* whatever follows may need whole values */
    if (g->fastmem && (s->kind == STUB_LOAD_SLOW || s->kind == STUB_STORE_SLOW)) {
        /* Direct accesses: the slow path runs only for a guest fault or an
         * address outside the flat region, so it is kept compact (a third
         * of the code before: a call with every register spilled and
         * reloaded, and a trap exit): the interpreter does the access. */
        emit_exit_at(g, s, JIT_EXIT_INTERP);
        return;
    }
    if (g->membase && (s->kind == STUB_LOAD_SLOW || s->kind == STUB_STORE_SLOW))
        addr_to_rax(g, s->ins->a, s->ins->imm); /* the access has not happened: a is as it was */
    switch (s->kind) {
    case STUB_LOAD_SLOW: {
        const ir_ins *i = s->ins;
        spill(g, s->dirty);
        cpu_ptr_to(b, RDI);
        x86_mov_rr(b, RSI, RAX);
        x86_mov_ri(b, RDX, i->size);
        x86_call(b, (const void *)jit_load_slow);
        x86_test_rr(b, 1, RDX, RDX); /* before reload, which may refill rdx (its moves keep the flags) */
        reload(g);
        trap = x86_jcc32(b, CC_NE);
        if ((i->flags & IR_SIGN) && i->size < 8)
            x86_movsx(b, RAX, RAX, i->size);
        if (IR_IS_X(i->d) && mapped(g, i->d))
            x86_mov_rr(b, mapped(g, i->d), RAX);
        else
            load_result(g, i);
        x86_jmp_to(b, (uintptr_t)s->resume - (uintptr_t)b->diff);
        x86_patch_rel32(b, trap, x86_here(b));
        emit_trap_exit(g, s);
        break;
    }
    case STUB_STORE_SLOW: {
        const ir_ins *i = s->ins;
        spill(g, s->dirty);
        x86_mov_rr(b, RSI, RAX);
        load_v_mode(g, RDX, i->b, true);
        cpu_ptr_to(b, RDI);
        x86_mov_ri(b, RCX, i->size);
        x86_call(b, (const void *)jit_store_slow);
        reload(g);
        x86_test_rr(b, 1, RAX, RAX);
        trap = x86_jcc32(b, CC_NE);
        x86_jmp_to(b, (uintptr_t)s->resume - (uintptr_t)b->diff);
        x86_patch_rel32(b, trap, x86_here(b));
        emit_trap_exit(g, s);
        break;
    }
    case STUB_FP_SLOW:
        /* Fold earlier inexact results, clear what the failed attempt set. */
        host_fp_sync(g);
        mxcsr_reset(g);
        emit_fpcall_slow(g, s->ins, s->dirty);
        x86_jmp_to(b, (uintptr_t)s->resume - (uintptr_t)b->diff);
        break;
    case STUB_EXIT:
        leave_block(g, s->dirty);
        if (s->index + 1u < g->blk->ninsns) /* a side exit: the rest did not run */
            x86_alu_ri(b, 1, ALU_SUB, ICOUNT, (int32_t)(g->blk->ninsns - s->index - 1));
        if (same_page(g, s->target)) {
            chain_exit(g, s->target);
        } else { /* another page: not chained (it may be remapped), but cached */
            x86_mov_ri(b, RAX, s->target);
            emit_indirect_jump(g, false);
        }
        break;
    case STUB_TRAP:
        emit_trap_exit(g, s);
        break;
    case STUB_INTERP_AT: /* a base register outside the span its accesses may reach */
        emit_exit_at(g, s, JIT_EXIT_INTERP);
        break;
    case STUB_CHECK: /* in a self-looping block, after iterations that may have run host FP */
        leave_block(g, s->dirty);
        exit_at_pc(g, g->blk->pc, JIT_EXIT_CHECK);
        break;
    case STUB_INTERP:
        exit_at_pc(g, g->blk->pc, JIT_EXIT_INTERP);
        break;
    case STUB_BACK_EDGE: /* (rax is free: the branch has been decided) */
        move_slots(g, RAX);
        x86_jmp_to(b, rx_of(g, g->loop_head));
        break;
    }
}

#define USES_RCX 1u
#define USES_RDX 2u

/* Which of rcx and rdx the body code of operation i may use as scratch
 * (stubs and exits store or spill the guest registers before they do).
 * Anything not known to leave them alone uses both. A store whose value
 * has no host register needs rdx too: allocate() checks that once the
 * registers are chosen. */
static unsigned scratch_uses(const cg *g, const ir_ins *i)
{
    const unsigned both = USES_RCX | USES_RDX;
    bool bimm = (i->flags & IR_BIMM) != 0;
    bool wide_imm = bimm && (i->imm < INT32_MIN || i->imm > INT32_MAX);
    switch (i->op) {
    case IR_INSN: case IR_GOTO: case IR_JUMP: case IR_TAIL: case IR_BRANCH:
        return 0;
    }
    if (IR_IS_F(i->d)) /* marking the FP state dirty takes rcx */
        return both;
    switch (i->op) {
    case IR_CALL2:
    case IR_SEXTB: case IR_SEXTH: case IR_SEXTW: case IR_ZEXTH: case IR_ZEXTW: case IR_REV8:
    case IR_CLZ: case IR_CLZW: case IR_CTZ: case IR_CTZW: case IR_CPOP: case IR_CPOPW:
        return 0;
    case IR_MOV:
        return IR_IS_X(i->d) && (bimm || IR_IS_X(i->b)) ? 0 : both;
    case IR_ADD: case IR_SUB: case IR_AND: case IR_OR: case IR_XOR: case IR_ADDW: case IR_SUBW:
    case IR_SLT: case IR_SLTU: case IR_XNOR:
        return wide_imm ? USES_RCX : 0;
    case IR_SHL: case IR_SHR: case IR_SAR: case IR_ROL: case IR_ROR:
    case IR_SHLW: case IR_SHRW: case IR_SARW: case IR_ROLW: case IR_RORW:
        return bimm ? 0 : USES_RCX;
    case IR_ANDN:
        return g->jc->caps.bmi2 && i->a != 0 ? 0 : both;
    case IR_LOAD:
        return g->fastmem && IR_IS_X(i->d) ? 0 : both;
    case IR_STORE:
        return g->fastmem && IR_IS_X(i->b) ? 0 : both;
    }
    return both;
}

/* Give the busiest guest registers (order, nranked of them) the hosts;
 * returns the set that got one. In user mode MEMBASE saves an instruction
 * or two per access: it takes a host register no guest register needs, or
 * in blocks with two or more accesses any (the guest register it displaces
 * is mostly read as a memory operand, which costs no extra instruction). */
static uint32_t assign(cg *g, const uint8_t *hosts, int nhosts, const int *order, int nranked,
                       unsigned naccess)
{
    int n = nranked < nhosts ? nranked : nhosts;
    memset(g->alloc, 0, sizeof(g->alloc));
    g->membase = g->fastmem && (naccess >= 2 || (naccess > 0 && n < nhosts));
    if (g->membase && n == nhosts)
        n--;
    uint32_t used = 0;
    for (int k = 0, h = 0; k < n; k++, h++) {
        if (g->membase && hosts[h] == MEMBASE)
            h++;
        g->alloc[order[k]] = hosts[h];
        used |= 1u << order[k];
    }
    return used;
}

/* Up to `limit` of the 32 entries of `count` used at least min_uses
 * times, busiest first (ties: the lowest index); returns how many. */
static int rank_busiest(const unsigned *count, unsigned min_uses, int limit, int *order)
{
    uint32_t ranked = 0;
    int n = 0;
    for (; n < limit; n++) {
        int best = -1;
        for (int v = 0; v < 32; v++)
            if (!(ranked >> v & 1) && count[v] >= min_uses && (best < 0 || count[v] > count[best]))
                best = v;
        if (best < 0)
            break;
        ranked |= 1u << best;
        order[n] = best;
    }
    return n;
}

/* Pick host registers for the guest registers this block uses most (at
 * least min_uses times); returns the mask of those whose entry value is read. */
static uint32_t allocate(cg *g, unsigned min_uses)
{
    unsigned count[32] = {0}, naccess = 0, scratch = 0;
    uint32_t seen = 0, live_in = 0;
    for (uint32_t k = 0; k < g->blk->n; k++) {
        const ir_ins *i = &g->blk->ops[k];
        if (g->blk->sunk_until[k])
            continue;
        scratch |= scratch_uses(g, i);
        if (i->op == IR_INSN || i->op == IR_GOTO || i->op == IR_TAIL)
            continue;
        if (i->op == IR_LOAD || i->op == IR_STORE)
            naccess++;
        uint8_t reads[3] = {i->a, (i->flags & IR_BIMM) ? 0 : i->b, i->c};
        for (int r = 0; r < 3; r++) {
            uint8_t v = reads[r];
            if (IR_IS_X(v) && v) {
                count[v]++;
                if (!(seen >> v & 1))
                    live_in |= 1u << v;
                seen |= 1u << v;
            }
        }
        if (IR_IS_X(i->d) && i->d) {
            count[i->d]++;
            seen |= 1u << i->d;
        }
    }
    uint8_t hosts[NALLOC_MAX];
    int nhosts = NALLOC;
    memcpy(hosts, alloc_order, sizeof(alloc_order));
    if (!(scratch & USES_RDX))
        hosts[nhosts++] = RDX;
    if (!(scratch & USES_RCX))
        hosts[nhosts++] = RCX;
    int order[NALLOC_MAX], nranked = rank_busiest(count, min_uses, nhosts, order);
    uint32_t used = assign(g, hosts, nhosts, order, nranked, naccess);
    bool store_via_rdx = false;
    for (uint32_t k = 0; k < g->blk->n; k++)
        if (g->blk->ops[k].op == IR_STORE && !mapped(g, g->blk->ops[k].b))
            store_via_rdx = true;
    if (store_via_rdx && !(scratch & USES_RDX)) { /* rdx stays scratch after all */
        memmove(&hosts[NALLOC], &hosts[NALLOC + 1], (size_t)(nhosts - NALLOC - 1));
        used = assign(g, hosts, nhosts - 1, order, nranked, naccess);
    }
    return live_in & used;
}

/* F registers in xmm registers: in blocks that run double-precision
 * arithmetic on the host (and none in single precision, whose NaN-boxing
 * checks read cpu->f), the F registers used most (at least twice, in loops
 * once) get xmm3 up; returns the mask of those read before written. */
#define FALLOC_FIRST 3
#define FALLOC_N 10
static uint32_t allocate_f(cg *g, bool self_loop)
{
    unsigned count[32] = {0};
    uint32_t seen = 0, live_in = 0;
    bool any = false;
    memset(g->falloc, 0, sizeof(g->falloc));
    for (uint32_t k = 0; k < g->blk->n; k++) {
        const ir_ins *i = &g->blk->ops[k];
        const host_fp_op *o = host_fp_lookup(g, i);
        if (o && !o->dbl)
            return 0;
        any |= o != NULL;
        if (i->op == IR_INSN || i->op == IR_GOTO || i->op == IR_TAIL)
            continue;
        const uint8_t reads[3] = {i->a, (i->flags & IR_BIMM) ? 0 : i->b, i->c};
        for (int r = 0; r < 3; r++)
            if (IR_IS_F(reads[r])) {
                unsigned f = reads[r] - 32u;
                count[f]++;
                if (!(seen >> f & 1))
                    live_in |= 1u << f;
                seen |= 1u << f;
            }
        if (IR_IS_F(i->d)) {
            count[i->d - 32]++;
            seen |= 1u << (i->d - 32);
        }
    }
    if (!any)
        return 0;
    int order[FALLOC_N], n = rank_busiest(count, self_loop ? 1 : 2, FALLOC_N, order);
    uint32_t taken = 0;
    for (int k = 0; k < n; k++) {
        taken |= 1u << order[k];
        g->falloc[order[k]] = (uint8_t)(FALLOC_FIRST + k);
    }
    return live_in & taken;
}

/* User mode: where two or more accesses use one value of a base register,
 * the first checks the span every 12-bit offset from it may reach (one
 * check instead of one per access; see jit_plan_span_checks). */
static void plan_span_checks(cg *g)
{
    if (!g->membase || !g->jc->span_checks)
        memset(g->access_check, ACCESS_CHECKED, g->blk->n);
    else
        jit_plan_span_checks(g->blk, g->access_check);
}

/* A block whose first instruction straddles the page end runs only while
 * the fetch TLB maps the next page where the instruction's upper half was
 * read from; otherwise the interpreter runs it (and refills the TLB). With
 * this check such blocks can be chained and jump-cached like the others. */
static void check_straddle(cg *g)
{
    const uint64_t va = g->blk->pc + 2;
    const int32_t e = (int32_t)(offsetof(rv_cpu, tlb) + RV_TLB_IDX(va) * sizeof(rv_tlb_entry)) - CPU_BIAS;
    x86_mov_ri(&g->b, RAX, va & RV_PAGE_MASK);
    x86_alu_rm(&g->b, 1, ALU_CMP, RAX, x86_at(CPU, e + (int32_t)offsetof(rv_tlb_entry, tag_x)));
    add_stub(g, (stub){STUB_INTERP, 0, 0, x86_jcc32(&g->b, CC_NE), NULL, NULL, 0});
    x86_mov_ri(&g->b, RAX, (uint64_t)(g->blk->straddle_host - (uintptr_t)va));
    x86_alu_rm(&g->b, 1, ALU_CMP, RAX, x86_at(CPU, e + (int32_t)offsetof(rv_tlb_entry, addend)));
    add_stub(g, (stub){STUB_INTERP, 0, 0, x86_jcc32(&g->b, CC_NE), NULL, NULL, 0});
}

size_t jit_backend_work_size(void) { return sizeof(cg); }

uintptr_t jit_backend_emit(jit_ctx *jc, const ir_block *blk)
{
    cg *g = jc->backend_work;
    g->jc = jc;
    g->blk = blk;
    g->nstubs = 0;
    g->index = 0;
    g->op = g->leave_op = 0;
    g->fs_dirty = g->in_stubs = false;
    g->nsunk = 0;
    for (uint32_t k = 0; k < blk->n; k++)
        if (blk->sunk_until[k])
            g->sunk[g->nsunk++] = (uint16_t)k;
    g->dirty = 0;
    g->lazy = 0;
    g->rax_v = g->rax_stored = -1;
    memset(g->alloc, 0, sizeof(g->alloc));
    for (int v = 0; v < 32; v++)
        g->slot[v] = g->slot_maps[0][v] = (uint8_t)v;
    g->nslot_maps = 1;
    g->ntails = 0;
    g->overflow = false;
    /* Direct accesses only with a fault site free for each (at most one
     * access per IR op). */
    g->fastmem = jc->fastmem && jc->sites_cap - jc->nsites >= blk->n;
    size_t nsites = jc->nsites;
    g->b.p = jc->rw + jc->used;
    g->b.end = jc->rw + jc->size;
    g->b.diff = jc->diff;
    g->b.overflow = false;
    uint8_t *start = g->b.p;
    x86_buf *b = &g->b;

    /* A block that branches back to its own start (an inner loop) jumps
     * straight to its head, keeping guest registers in host registers across
     * iterations (so even a register used once is worth one). So that every
     * exit can write back the same set whatever the iteration, the
     * allocated registers it writes count as dirty from the head on, and
     * are loaded at entry. */
    bool self_loop = false, last = false;
    for (uint32_t k = 0; k < blk->n; k++) {
        const ir_ins *i = &blk->ops[k];
        if (i->op == IR_INSN)
            last = ir_index(i) + 1u == blk->ninsns;
        if ((i->op == IR_BRANCH || i->op == IR_GOTO) && (uint64_t)i->imm == blk->pc && last)
            self_loop = true;
    }
    uint32_t live_in = allocate(g, self_loop ? 1 : 2);
    g->fdirty = 0;
    uint32_t live_in_f = allocate_f(g, self_loop);
    plan_span_checks(g);
    g->host_fp = false;
    for (uint32_t k = 0; k < blk->n; k++)
        if (host_fp_lookup(g, &blk->ops[k]))
            g->host_fp = true;
    g->loop_head = NULL;
    g->loop_dirty = g->loop_fdirty = 0;
    for (uint32_t k = 0; self_loop && k < blk->n; k++) {
        const ir_ins *i = &blk->ops[k];
        if (IR_IS_X(i->d) && i->d && g->alloc[i->d])
            g->loop_dirty |= 1u << i->d;
        if (fmapped(g, i->d))
            g->loop_fdirty |= 1u << (i->d - 32);
    }

    /* Entry: the straddling instruction's next page and the FP state
     * checks, then (loops: after the loads) the budget/interrupt check and
     * instret. */
    if (blk->straddle_host)
        check_straddle(g);
    if (blk->uses_fp) {
        x86_test_mi32(b, CPU_FIELD(mstatus), (uint32_t)MSTATUS_FS);
        add_stub(g, (stub){STUB_INTERP, 0, 0, x86_jcc32(b, CC_E), NULL, NULL, 0});
    }
    if (blk->uses_dyn_rm) {
        x86_op_rm(b, 0, 0x83, ALU_CMP, CPU_FIELD(frm), false);
        x86_byte(b, RV_RM_RMM);
        add_stub(g, (stub){STUB_INTERP, 0, 0, x86_jcc32(b, CC_A), NULL, NULL, 0});
    }
    if (g->membase)
        x86_load64(b, MEMBASE, CPU_FIELD(mem_base));
    if (self_loop) {
        for (int v = 1; v < 32; v++)
            if ((live_in | g->loop_dirty) >> v & 1)
                x86_load64(b, g->alloc[v], vmem(g, (uint8_t)v));
        load_f(g, live_in_f | g->loop_fdirty);
        while (b->p - start < JIT_REDIRECT_BYTES) /* the entry stays redirectable (jit_backend_redirect) */
            x86_byte(b, 0x90);
        g->loop_head = b->p;
    }
    g->fdirty = g->loop_fdirty;
    x86_alu_rm(b, 1, ALU_CMP, ICOUNT, CPU_FIELD(jit_check_at));
    add_stub(g, (stub){STUB_CHECK, g->loop_dirty, 0, x86_jcc32(b, CC_AE), NULL, NULL, 0});
    x86_alu_ri(b, 1, ALU_ADD, ICOUNT, (int32_t)blk->ninsns);
    g->dirty = g->loop_dirty;
    if (!self_loop) {
        for (int v = 1; v < 32; v++)
            if (live_in >> v & 1)
                x86_load64(b, g->alloc[v], vmem(g, (uint8_t)v));
        load_f(g, live_in_f);
    }

    g->sext32 = 0;
    for (uint32_t k = 0; k < blk->n; k++) {
        const ir_ins *i = &blk->ops[k];
        ir_ins op = *i; /* (slot_place may change its sources: no stub keeps those) */
        g->op = k;
        if (blk->sunk_until[k]) /* computed on the ways out only (emit_sunk) */
            continue;
        materialize(g, needs_whole(g, i));
        g->made_lazy = false;
        if (!slot_copy(g, i)) {
            if (slot_place(g, &op))
                i = &op;
            if (!keeps_rax(g, i))
                g->rax_v = -1;
            g->rax_stored = -1;
            if (!emit_op(g, i))
                return 0;
            if (g->rax_stored >= 0 && g->rax_stored == i->d &&
                ((i->op >= IR_MOV && i->op <= IR_REV8 && i->op != IR_CALL2) || i->op == IR_LOAD))
                g->rax_v = i->d;
        }
        track_sext32(g, i);
        if (IR_IS_X(i->d) && i->d && i->op != IR_INSN)
            g->lazy = g->made_lazy ? g->lazy | 1u << i->d : g->lazy & ~(1u << i->d);
    }

    /* Out-of-line parts. */
    g->rax_v = -1;
    g->fs_dirty = false;
    g->in_stubs = true;
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
    x86_buf b = {jc->rw, jc->rw + jc->size, jc->diff, false};
    uint8_t *rw = (uint8_t *)(site + (uintptr_t)jc->diff);
    x86_patch_rel32(&b, rw, target);
    jit_cache_sync(jc, rw, 4);
}

/* A block's first JIT_REDIRECT_BYTES bytes are never jumped back to (a
 * self-looping block's head comes after them), so a jump written over them
 * sends every way in (chained jumps, the jump cache, inline caches) to the
 * block's new translation. */
void jit_backend_redirect(jit_ctx *jc, uintptr_t from, uintptr_t to)
{
    x86_buf b = {(uint8_t *)(from + (uintptr_t)jc->diff), jc->rw + jc->size, jc->diff, false};
    x86_jmp_to(&b, to);
    jit_cache_sync(jc, (uint8_t *)(from + (uintptr_t)jc->diff), JIT_REDIRECT_BYTES);
}

static bool host_has_bitcount(void)
{
    unsigned a, bx, c, d;
    bool popcnt = false, lzcnt = false, bmi1 = false;
    if (__get_cpuid(1, &a, &bx, &c, &d))
        popcnt = (c >> 23) & 1;
    if (__get_cpuid(0x80000001, &a, &bx, &c, &d))
        lzcnt = (c >> 5) & 1;
    if (__get_cpuid_count(7, 0, &a, &bx, &c, &d))
        bmi1 = (bx >> 3) & 1;
    return popcnt && lzcnt && bmi1;
}

/* BMI2, and BMI1 with it (every host with the one has the other). */
static bool host_has_bmi2(void)
{
    unsigned a, bx, c, d;
    return __get_cpuid_count(7, 0, &a, &bx, &c, &d) && ((bx >> 8) & 1) && ((bx >> 3) & 1);
}

static bool host_has_fma(void)
{
    unsigned a, bx, c, d;
    /* FMA3 and AVX, and the OS saving the AVX state (OSXSAVE + XCR0). */
    if (!__get_cpuid(1, &a, &bx, &c, &d) || !((c >> 12) & 1) || !((c >> 28) & 1) || !((c >> 27) & 1))
        return false;
    unsigned lo, hi;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (lo & 6) == 6;
}

/* Trampolines at the start of the buffer: enter, the common exit and the
 * jump-cache lookup for indirect jumps. */
bool jit_backend_init(jit_ctx *jc)
{
    static const uint8_t saved[] = {RBX, RBP, R12, R13, R14, R15};
    x86_buf bb = {jc->rw, jc->rw + jc->size, jc->diff, false};
    x86_buf *b = &bb;
    jc->caps.bitcount = host_has_bitcount();
    jc->caps.fma = host_has_fma();
    jc->caps.bmi2 = host_has_bmi2();

    /* int enter(rv_cpu *cpu, uintptr_t code) */
    jc->enter = x86_here(b);
    for (size_t k = 0; k < sizeof(saved); k++)
        x86_push(b, saved[k]);
    x86_alu_ri(b, 1, ALU_SUB, RSP, FRAME);
    x86_lea(b, CPU, x86_at(RDI, CPU_BIAS));
    x86_load64(b, ICOUNT, CPU_FIELD(instret));
    x86_op_rm(b, 0, 0x0FAE, 3, x86_at(RSP, SLOT_HOST_MXCSR), false); /* stmxcsr */
    x86_op_rm(b, 0, 0xC7, 0, x86_at(RSP, SLOT_MXCSR), false);
    x86_u32(b, MXCSR_DEFAULT);
    x86_op_rm(b, 0, 0x0FAE, 2, x86_at(RSP, SLOT_MXCSR), false); /* ldmxcsr */
    x86_op_rr(b, 0, 0xFF, 4, RSI, false); /* jmp rsi */

    /* Common exit: exit code in eax. */
    jc->exit = x86_here(b);
    x86_store64(b, CPU_FIELD(instret), ICOUNT);
    x86_op_rm(b, 0, 0x0FAE, 2, x86_at(RSP, SLOT_HOST_MXCSR), false); /* ldmxcsr */
    x86_alu_ri(b, 1, ALU_ADD, RSP, FRAME);
    for (size_t k = sizeof(saved); k-- > 0;)
        x86_pop(b, saved[k]);
    x86_ret(b);

    /* The shared tails of the ways out: pc in rax, one per exit code. */
    for (int code = JIT_EXIT_LOOKUP; code <= JIT_EXIT_INTERP; code++) {
        jc->exit_pc[code] = x86_here(b);
        x86_store64(b, CPU_FIELD(pc), RAX);
        x86_mov_ri(b, RAX, (uint64_t)code);
        x86_jmp_to(b, jc->exit);
    }
    /* ... and of a chainable exit not yet chained (chain_exit). */
    jc->exit_chain = x86_here(b);
    x86_pop(b, RCX);
    x86_load64(b, RAX, x86_at(RCX, 0));
    x86_store64(b, CPU_FIELD(pc), RAX);
    x86_alu_ri(b, 1, ALU_SUB, RCX, CHAIN_SITE_BACK);
    x86_store64(b, CPU_FIELD(jit_exit_site), RCX);
    x86_mov_ri(b, RAX, JIT_EXIT_LOOKUP);
    x86_jmp_to(b, jc->exit);

    /* ... and of an inline cache to fill (emit_indirect_jump): pc in rax. */
    jc->exit_ic = x86_here(b);
    x86_pop(b, RCX);
    x86_alu_ri(b, 1, ALU_SUB, RCX, IC_FILL_END);
    x86_store64(b, CPU_FIELD(jit_exit_ic), RCX);
    x86_store64(b, CPU_FIELD(pc), RAX);
    x86_mov_ri(b, RAX, JIT_EXIT_LOOKUP);
    x86_jmp_to(b, jc->exit);

    /* Jump cache lookup: rax = guest pc. */
    jc->jc_lookup = x86_here(b);
    x86_mov_rr(b, RCX, RAX); /* rcx = jit_jc_index(pc) * 16 */
    x86_shift_ri(b, 1, SH_SHR, RCX, 1 + JIT_JC_BITS);
    x86_mov_rr(b, RDX, RAX);
    x86_shift_ri(b, 1, SH_SHR, RDX, 1);
    x86_alu_rr(b, 0, ALU_XOR, RCX, RDX);
    x86_alu_ri(b, 0, ALU_AND, RCX, (int32_t)((1u << JIT_JC_BITS) - 1));
    x86_shift_ri(b, 0, SH_SHL, RCX, 4);
    x86_mov_ri(b, RDX, (uintptr_t)jc->jc);
    x86_alu_rm(b, 1, ALU_CMP, RAX, x86_at_index(RDX, RCX, 0));
    uint8_t *miss = x86_jcc32(b, CC_NE);
    x86_jmp_mem(b, x86_at_index(RDX, RCX, 8));
    x86_patch_rel32(b, miss, x86_here(b));
    x86_store64(b, CPU_FIELD(pc), RAX);
    x86_store64_imm(b, CPU_FIELD(jit_exit_site), 0);
    x86_mov_ri(b, RAX, JIT_EXIT_LOOKUP);
    x86_jmp_to(b, jc->exit);

    if (b->overflow)
        return false;
    size_t len = (size_t)(b->p - jc->rw);
    jit_cache_sync(jc, jc->rw, len);
    jc->used = jc->code_start = (len + 63) & ~(size_t)63;
    return true;
}

#endif /* __x86_64__ */
