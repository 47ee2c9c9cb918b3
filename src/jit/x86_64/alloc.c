/* x86-64 backend: register allocation. Which guest X and F registers a
 * block keeps in host registers, and their moves to and from the CPU state
 * around calls. */
#if defined(__x86_64__)

#include "cg.h"

/* Host registers given to guest registers, callee-saved ones first; then
 * RDX and RCX where the block's code does not need them as scratch. */
static const uint8_t alloc_order[] = {RBX, RBP, R12, R13, RSI, RDI, R8, R9, R10, R11};
#define NALLOC ((int)sizeof(alloc_order))
#define NALLOC_MAX (NALLOC + 2)

/* ---- around calls and exits ---- */
/* Store allocated guest registers in `mask` (all, or only those in
 * caller-saved host registers) back to cpu->x. */
void cg_writeback(cg *g, uint32_t mask, bool caller_saved_only)
{
    for (int v = 1; v < 32; v++)
        if (g->alloc[v] && (mask >> v & 1) && (!caller_saved_only || is_caller_saved(g->alloc[v])))
            x86_store64(&g->b, vmem(g, (uint8_t)v), g->alloc[v]);
}

/* F registers in `mask` back from their xmm registers to cpu->f. */
void cg_writeback_f(cg *g, uint32_t mask)
{
    for (int f = 0; f < 32; f++)
        if (g->falloc[f] && (mask >> f & 1))
            movq_mem_xmm(g, vmem(g, (uint8_t)(32 + f)), g->falloc[f]);
}

/* F registers in `mask` into their xmm registers from cpu->f. */
void cg_load_f(cg *g, uint32_t mask)
{
    for (int f = 0; f < 32; f++)
        if (g->falloc[f] && (mask >> f & 1))
            movq_xmm_mem(g, g->falloc[f], vmem(g, (uint8_t)(32 + f)));
}

/* F registers in `mask` stored to (or loaded from) cpu->f around a helper
 * call; three or more through r11 pointed into cpu->f, so that each takes
 * an 8-bit displacement (6 bytes against 9). r11 is free there: its guest
 * register, if any, is caller-saved, so stored before and reloaded after. */
#define F_BASE (offsetof(rv_cpu, f) + 128)
static void call_f_moves(cg *g, uint32_t mask, bool load)
{
    int n = 0;
    for (int f = 0; f < 32; f++)
        n += g->falloc[f] && (mask >> f & 1);
    if (n < 3) {
        if (load)
            cg_load_f(g, mask);
        else
            cg_writeback_f(g, mask);
        return;
    }
    x86_lea(&g->b, R11, cpu_field(F_BASE));
    for (int f = 0; f < 32; f++) {
        if (!g->falloc[f] || !(mask >> f & 1))
            continue;
        x86_mem m = x86_at(R11, 8 * f - 128);
        if (load)
            movq_xmm_mem(g, g->falloc[f], m);
        else
            movq_mem_xmm(g, m, g->falloc[f]);
    }
}

/* Around a helper call: caller-saved host registers (every xmm register
 * among them) are lost, and the helper may read or change instret. */
void cg_spill(cg *g, uint32_t dirty)
{
    cg_writeback(g, dirty, true);
    call_f_moves(g, g->fdirty, false);
    x86_store64(&g->b, CPU_FIELD(instret), ICOUNT);
}

static void emit_reload(cg *g)
{
    x86_load64(&g->b, ICOUNT, CPU_FIELD(instret));
    call_f_moves(g, ~0u, true);
    for (int v = 1; v < 32; v++)
        if (g->alloc[v] && is_caller_saved(g->alloc[v]))
            x86_load64(&g->b, g->alloc[v], vmem(g, (uint8_t)v));
}

/* Whether the block's out-of-line helper calls share one reload (see
 * cg_reload): two or more with every value in its own slot. */
void cg_plan_shared_reload(cg *g)
{
    int users = 0;
    for (int k = 0; k < g->nstubs; k++) {
        int kind = g->stubs[k].kind;
        users += g->slots_at[k] == 0 &&
                 (kind == STUB_FP_SLOW || (!g->fastmem && (kind == STUB_LOAD_SLOW || kind == STUB_STORE_SLOW)));
    }
    g->share_reload = users >= 2;
    g->reload_at = NULL;
}

/* After a helper call. In the out-of-line parts of a block that plans it,
 * a call of one copy (made where it is first needed, jumped over there):
 * it is the same for every call with the values in their own slots (and
 * the block's allocation: not while sunk definitions are computed), and
 * long (about 100 bytes with ten F registers allocated). (Leaves the
 * flags alone: the load slow path tests its result before.) */
void cg_reload(cg *g)
{
    x86_buf *b = &g->b;
    if (!g->in_stubs || !g->share_reload || g->sinking || memcmp(g->slot, g->slot_maps[0], sizeof(g->slot))) {
        emit_reload(g);
        return;
    }
    if (g->reload_at) {
        x86_call(b, (const void *)rx_of(g, g->reload_at)); /* (rel32: in this buffer) */
        return;
    }
    x86_byte(b, 0xE8); /* call the copy right after the jump over it */
    x86_u32(b, 5);
    uint8_t *over = x86_jmp32(b);
    g->reload_at = b->p;
    emit_reload(g);
    x86_ret(b);
    x86_patch_rel32(b, over, x86_here(b));
}

#define USES_RCX 1u
#define USES_RDX 2u

/* Which of rcx and rdx the body code of operation i may use as scratch
 * (stubs and exits store or spill the guest registers before they do).
 * Anything not known to leave them alone uses both. A store whose value
 * has no host register needs rdx too: cg_allocate checks that once the
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

/* Pick host registers for the guest registers this block uses most (at
 * least min_uses times; count and live_in: jit_count_uses); returns the
 * mask of those whose entry value is read. */
uint32_t cg_allocate(cg *g, unsigned min_uses, const unsigned count[32], uint32_t live_in)
{
    unsigned naccess = 0, scratch = 0;
    for (uint32_t k = 0; k < g->blk->n; k++) {
        const ir_ins *i = &g->blk->ops[k];
        if (g->blk->sunk_until[k])
            continue;
        scratch |= scratch_uses(g, i);
        if (i->op == IR_LOAD || i->op == IR_STORE)
            naccess++;
    }
    uint8_t hosts[NALLOC_MAX];
    int nhosts = NALLOC;
    memcpy(hosts, alloc_order, sizeof(alloc_order));
    if (!(scratch & USES_RDX))
        hosts[nhosts++] = RDX;
    if (!(scratch & USES_RCX))
        hosts[nhosts++] = RCX;
    int order[NALLOC_MAX], nranked = jit_rank_busiest(count, min_uses, nhosts, order);
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
 * checks read cpu->f), the F registers used most (at least min_uses times;
 * count and live_in: jit_count_uses) get xmm3 up; returns the mask of those
 * read before written. */
#define FALLOC_FIRST 3
#define FALLOC_N 10
uint32_t cg_allocate_f(cg *g, unsigned min_uses, const unsigned count[32], uint32_t live_in)
{
    bool any = false;
    memset(g->falloc, 0, sizeof(g->falloc));
    for (uint32_t k = 0; k < g->blk->n; k++) {
        const host_fp_op *o = cg_host_fp_lookup(g, &g->blk->ops[k]);
        if (o && !o->dbl)
            return 0;
        any |= o != NULL;
    }
    if (!any)
        return 0;
    int order[FALLOC_N], n = jit_rank_busiest(count, min_uses, FALLOC_N, order);
    uint32_t taken = 0;
    for (int k = 0; k < n; k++) {
        taken |= 1u << order[k];
        g->falloc[order[k]] = (uint8_t)(FALLOC_FIRST + k);
    }
    return live_in & taken;
}

#endif /* __x86_64__ */
