/* x86-64 backend: IR blocks to host code (see cg.h for the code's
 * register use and the files). This file: a block's entry, its body and
 * out-of-line parts in order, and the backend's set-up. */
#if defined(__x86_64__)

#include <cpuid.h>

#include "cg.h"

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
    cg_add_stub(g, (stub){STUB_INTERP, 0, 0, x86_jcc32(&g->b, CC_NE), NULL, NULL, 0});
    x86_mov_ri(&g->b, RAX, (uint64_t)(g->blk->straddle_host - (uintptr_t)va));
    x86_alu_rm(&g->b, 1, ALU_CMP, RAX, x86_at(CPU, e + (int32_t)offsetof(rv_tlb_entry, addend)));
    cg_add_stub(g, (stub){STUB_INTERP, 0, 0, x86_jcc32(&g->b, CC_NE), NULL, NULL, 0});
}

/* A body that ends in a jump to its last stub, an exit (the block's
 * fall-through, mostly), runs on into it instead: that jump is taken back
 * and the stub comes first. Returns its index, -1: none. */
static int fall_through_exit(cg *g)
{
    x86_buf *b = &g->b;
    if (!g->nstubs || b->overflow)
        return -1;
    stub *s = &g->stubs[g->nstubs - 1];
    int32_t rel = -1;
    if (s->kind == STUB_EXIT && s->site == b->p - 4 && b->p[-5] == 0xE9)
        memcpy(&rel, s->site, 4);
    if (rel != 0) /* (0: no other jump leads there, see cg_add_stub_sites) */
        return -1;
    b->p -= 5;
    s->site = NULL;
    return g->nstubs - 1;
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
    g->fs_dirty = g->in_stubs = g->block_left = g->sinking = false;
    g->nsunk = jit_plan_sunk_list(blk, g->sunk);
    g->dirty = 0;
    g->lazy = 0;
    g->rax_v = g->rax_stored = -1;
    memset(g->alloc, 0, sizeof(g->alloc));
    for (int v = 0; v < 32; v++)
        g->slot[v] = g->slot_maps[0][v] = (uint8_t)v;
    g->nslot_maps = 1;
    g->ntails = 0;
    g->ladder.n = 0;
    g->share_reload = false;
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
    bool self_loop = jit_plan_self_loop(blk);
    unsigned count[32], fcount[32];
    uint32_t live_in, live_in_f;
    jit_count_uses(blk, count, &live_in, fcount, &live_in_f);
    live_in = cg_allocate(g, JIT_MIN_USES(self_loop), count, live_in);
    g->fdirty = 0;
    live_in_f = cg_allocate_f(g, JIT_MIN_USES(self_loop), fcount, live_in_f);
    cg_plan_span_checks(g);
    g->host_fp = false;
    for (uint32_t k = 0; k < blk->n; k++)
        if (cg_host_fp_lookup(g, &blk->ops[k]))
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
        cg_add_stub(g, (stub){STUB_INTERP, 0, 0, x86_jcc32(b, CC_E), NULL, NULL, 0});
    }
    if (blk->uses_dyn_rm) {
        x86_op_rm(b, 0, 0x83, ALU_CMP, CPU_FIELD(frm), false);
        x86_byte(b, RV_RM_RMM);
        cg_add_stub(g, (stub){STUB_INTERP, 0, 0, x86_jcc32(b, CC_A), NULL, NULL, 0});
    }
    if (g->membase)
        x86_load64(b, MEMBASE, CPU_FIELD(mem_base));
    if (self_loop) {
        for (int v = 1; v < 32; v++)
            if ((live_in | g->loop_dirty) >> v & 1)
                x86_load64(b, g->alloc[v], vmem(g, (uint8_t)v));
        cg_load_f(g, live_in_f | g->loop_fdirty);
        while (b->p - start < JIT_REDIRECT_BYTES) /* the entry stays redirectable (jit_backend_redirect) */
            x86_byte(b, 0x90);
        g->loop_head = b->p;
    }
    g->fdirty = g->loop_fdirty;
    x86_alu_rm(b, 1, ALU_CMP, ICOUNT, CPU_FIELD(jit_check_at));
    cg_add_stub(g, (stub){STUB_CHECK, g->loop_dirty, 0, x86_jcc32(b, CC_AE), NULL, NULL, 0});
    x86_alu_ri(b, 1, ALU_ADD, ICOUNT, (int32_t)blk->ninsns);
    g->dirty = g->loop_dirty;
    if (!self_loop) {
        for (int v = 1; v < 32; v++)
            if (live_in >> v & 1)
                x86_load64(b, g->alloc[v], vmem(g, (uint8_t)v));
        cg_load_f(g, live_in_f);
    }

    g->sext32 = 0;
    for (uint32_t k = 0; k < blk->n; k++) {
        const ir_ins *i = &blk->ops[k];
        ir_ins op = *i; /* (slot_place may change its sources: no stub keeps those) */
        g->op = k;
        if (blk->sunk_until[k]) /* computed on the ways out only (emit_sunk, exits.c) */
            continue;
        cg_materialize(g, cg_needs_whole(g, i));
        g->made_lazy = false;
        if (!cg_slot_copy(g, i)) {
            if (cg_slot_place(g, &op))
                i = &op;
            if (!cg_keeps_rax(g, i))
                g->rax_v = -1;
            g->rax_stored = -1;
            if (!cg_emit_op(g, i))
                return 0;
            if (g->rax_stored >= 0 && g->rax_stored == i->d &&
                ((i->op >= IR_MOV && i->op <= IR_REV8 && i->op != IR_CALL2) || i->op == IR_LOAD))
                g->rax_v = i->d;
        }
        cg_track_sext32(g, i);
        if (IR_IS_X(i->d) && i->d && i->op != IR_INSN)
            g->lazy = g->made_lazy ? g->lazy | 1u << i->d : g->lazy & ~(1u << i->d);
    }

    /* Out-of-line parts. */
    g->rax_v = -1;
    g->fs_dirty = false;
    g->in_stubs = true;
    cg_plan_shared_reload(g);
    int first = fall_through_exit(g);
    if (first >= 0)
        cg_emit_stub(g, &g->stubs[first]);
    cg_emit_exit_ladder(g);
    for (int k = 0; k < g->nstubs; k++)
        if (k != first)
            cg_emit_stub(g, &g->stubs[k]);
    if (b->overflow || g->overflow) {
        jc->nsites = nsites;
        return 0;
    }
    return jit_codebuf_commit(jc, start, (size_t)(b->p - start));
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

/* Host features, then the trampolines at the start of the buffer. */
bool jit_backend_init(jit_ctx *jc)
{
    jc->caps.bitcount = host_has_bitcount();
    jc->caps.fma = host_has_fma();
    jc->caps.bmi2 = host_has_bmi2();
    size_t len = cg_emit_trampolines(jc);
    if (!len)
        return false;
    jit_cache_sync(jc, jc->rw, len);
    jc->used = jc->code_start = (len + 63) & ~(size_t)63;
    return true;
}

#endif /* __x86_64__ */
