/* x86-64 backend: guest memory accesses (soft-TLB probes, the flat
 * user-mode region, MEMBASE and span checks) and atomics. */
#if defined(__x86_64__)

#include "cg.h"

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
 * the slow path; so does a host fault at the access (see cg_emit_stub).
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
    if (check != ACCESS_CHECKED) { /* off a base register checked once (see cg_plan_span_checks) */
        int base = mapped(g, i->a);
        int32_t disp = (int32_t)i->imm;
        if (!base) {
            cg_load_v(g, RAX, i->a);
            base = RAX;
        }
        *miss = NULL;
        if (check == ACCESS_SPAN_CHECK) {
            /* Outside the span: the access's slow path, which (MEMBASE
             * implies direct accesses) leaves for the interpreter to run
             * this instruction on, as the span check must. */
            x86_lea(&g->b, RAX, x86_at(base, -2048));
            x86_alu_rm(&g->b, 1, ALU_CMP, RAX, CPU_FIELD(mem_span_limit));
            *miss = x86_jcc32(&g->b, CC_AE);
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
        cg_store_v(g, i->d, RAX);
    } else {
        cg_store_v(g, i->d, RAX);
    }
}

void cg_emit_load(cg *g, const ir_ins *i)
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
        cg_mark_fp_dirty(g);
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
    cg_add_access_stub(g, (stub){STUB_LOAD_SLOW, dirty_before, (uint16_t)g->index, miss, g->b.p, i, 0}, access);
    g->fdirty = fdirty;
}

void cg_emit_store(cg *g, const ir_ins *i)
{
    uint8_t *miss;
    x86_mem m = guest_mem(g, i, offsetof(rv_tlb_entry, tag_w), &miss);
    int src = mapped(g, i->b), x = i->size == 8 ? fmapped(g, i->b) : 0;
    if (!src && !x) {
        cg_load_v(g, RDX, i->b);
        src = RDX;
    }
    uint8_t *access = g->b.p;
    if (x) /* fsd straight from its xmm register */
        movq_mem_xmm(g, m, x);
    else
        x86_store_sized(&g->b, m, src, i->size);
    cg_add_access_stub(g, (stub){STUB_STORE_SLOW, g->dirty, (uint16_t)g->index, miss, g->b.p, i, 0}, access);
}

/* LR/SC/AMO: always the helper (reservations and host atomics live there). */
void cg_emit_atomic(cg *g, const ir_ins *i)
{
    uint32_t dirty_before = g->dirty;
    cg_spill(g, g->dirty);
    cpu_ptr_to(&g->b, RDI);
    cg_load_v_mode(g, RSI, i->a, true);
    cg_load_v_mode(g, RDX, i->b, true);
    x86_mov_ri(&g->b, RCX, (uint64_t)i->imm);
    x86_call(&g->b, (const void *)jit_atomic);
    cg_reload(g);
    x86_test_rr(&g->b, 1, RDX, RDX);
    cg_add_stub(g, (stub){STUB_TRAP, dirty_before, (uint16_t)g->index, x86_jcc32(&g->b, CC_NE), NULL, i, 0});
    cg_store_v(g, i->d, RAX);
}

/* The out-of-line slow path of a load or store (a stub: cg_emit_stub has
 * made the state the one before the access). */
void cg_emit_access_slow(cg *g, const stub *s)
{
    x86_buf *b = &g->b;
    const ir_ins *i = s->ins;
    uint8_t *trap;
    if (g->fastmem) {
        /* Direct accesses: the slow path runs only for a guest fault or an
         * address outside the flat region, so it is kept compact (a third
         * of the code before: a call with every register spilled and
         * reloaded, and a trap exit): the interpreter does the access. */
        cg_emit_exit_at(g, s, JIT_EXIT_INTERP);
        return;
    }
    if (g->membase)
        addr_to_rax(g, i->a, i->imm); /* the access has not happened: a is as it was */
    if (s->kind == STUB_LOAD_SLOW) {
        cg_spill(g, s->dirty);
        cpu_ptr_to(b, RDI);
        x86_mov_rr(b, RSI, RAX);
        x86_mov_ri(b, RDX, i->size);
        x86_call(b, (const void *)jit_load_slow);
        x86_test_rr(b, 1, RDX, RDX); /* before reload, which may refill rdx (its moves keep the flags) */
        cg_reload(g);
        trap = x86_jcc32(b, CC_NE);
        if ((i->flags & IR_SIGN) && i->size < 8)
            x86_movsx(b, RAX, RAX, i->size);
        if (IR_IS_X(i->d) && mapped(g, i->d))
            x86_mov_rr(b, mapped(g, i->d), RAX);
        else
            load_result(g, i);
        x86_jmp_near(b, (uintptr_t)s->resume - (uintptr_t)b->diff);
        x86_patch_rel32(b, trap, x86_here(b));
        cg_emit_exit_at(g, s, JIT_EXIT_TRAP);
    } else {
        cg_spill(g, s->dirty);
        x86_mov_rr(b, RSI, RAX);
        cg_load_v_mode(g, RDX, i->b, true);
        cpu_ptr_to(b, RDI);
        x86_mov_ri(b, RCX, i->size);
        x86_call(b, (const void *)jit_store_slow);
        cg_reload(g);
        x86_test_rr(b, 1, RAX, RAX);
        trap = x86_jcc32(b, CC_NE);
        x86_jmp_near(b, (uintptr_t)s->resume - (uintptr_t)b->diff);
        x86_patch_rel32(b, trap, x86_here(b));
        cg_emit_exit_at(g, s, JIT_EXIT_TRAP);
    }
}

/* User mode: where two or more accesses use one value of a base register,
 * the first checks the span every 12-bit offset from it may reach (one
 * check instead of one per access; see jit_plan_span_checks). */
void cg_plan_span_checks(cg *g)
{
    if (!g->membase || !g->jc->span_checks)
        memset(g->access_check, ACCESS_CHECKED, g->blk->n);
    else
        jit_plan_span_checks(g->blk, g->access_check);
}

#endif /* __x86_64__ */
