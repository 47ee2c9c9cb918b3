/* x86-64 backend: the ways out of a block. The out-of-line parts' bookkeeping
 * (stubs), exits and their chaining, inline caches for indirect jumps, the
 * slow paths and trap exits emitted after the body. */
#if defined(__x86_64__)

#include "cg.h"

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

void cg_add_stub(cg *g, stub s)
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

/* One stub that several jumps (their rel32s at sites[0..n-1], RW) lead
 * to: until the stub is emitted, each rel32 after the first holds the
 * distance back to the one before, and the stub's site is the last. */
void cg_add_stub_sites(cg *g, stub s, uint8_t *const *sites, int n)
{
    for (int k = 1; k < n && !g->b.overflow; k++) {
        int32_t back = (int32_t)(sites[k] - sites[k - 1]);
        memcpy(sites[k], &back, 4);
    }
    s.site = sites[n - 1];
    cg_add_stub(g, s);
}

/* Point every jump that leads to a stub (see cg_add_stub_sites) at `to`. */
static void patch_sites(x86_buf *b, uint8_t *site, uintptr_t to)
{
    while (site && site + 4 <= b->end) {
        int32_t back;
        memcpy(&back, site, 4);
        x86_patch_rel32(b, site, to);
        site = back ? site - back : NULL;
    }
}

/* The slow path of a load or store whose host access instruction is at
 * `access` (RW), which a host fault may also lead to when it is direct. */
void cg_add_access_stub(cg *g, stub s, uint8_t *access)
{
    cg_add_stub(g, s);
    if (g->fastmem && !g->overflow)
        g->fault_at[g->nstubs - 1] = access;
}

/* Whether a jump to `target` from the current instruction is the back edge
 * of a self-looping block. */
bool cg_is_back_edge(const cg *g, uint64_t target)
{
    return g->loop_head && target == g->blk->pc && g->index + 1u == g->blk->ninsns;
}

/* The sunk definitions (see ir_block.sunk_until) a way out from operation
 * g->leave_op must make visible (jit_plan_sunk_at), computed from cpu->x
 * after the write-back (their sources still hold the values they had). */
static void emit_sunk(cg *g)
{
    const ir_block *blk = g->blk;
    uint8_t alloc[32];
    uint32_t saved[3] = {g->dirty, g->sext32, g->lazy};
    bool any = false;
    for (uint32_t n = 0; n < g->nsunk && g->sunk[n] < g->leave_op; n++) {
        ir_ins op;
        if (!jit_plan_sunk_at(blk, g->sunk[n], g->leave_op, &op))
            continue;
        if (!any) { /* every guest register in cpu->x, nothing known of them */
            memcpy(alloc, g->alloc, sizeof(alloc));
            memset(g->alloc, 0, sizeof(g->alloc));
            g->sext32 = g->lazy = 0;
            g->sinking = any = true;
        }
        cg_emit_op(g, &op);
    }
    if (any) {
        memcpy(g->alloc, alloc, sizeof(alloc));
        g->sinking = false;
        g->dirty = saved[0];
        g->sext32 = saved[1];
        g->lazy = saved[2];
    }
}

/* What every way out of the block after its entry checks does first: fold
 * host FP's inexact flag into fflags, store the written guest registers,
 * compute the sunk definitions (rax is left alone when there are none, as
 * on the way out of the block's last operation). */
void cg_leave_block(cg *g, uint32_t dirty)
{
    uint8_t slot[32];
    memcpy(slot, g->slot, sizeof(slot));
    if (g->host_fp)
        cg_host_fp_sync(g);
    cg_writeback(g, dirty, false);
    cg_writeback_f(g, g->fdirty);
    cg_move_slots(g, RCX); /* (the guest registers are stored: rcx is free, rax may hold a jump target) */
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
    cg_add_stub(g, (stub){STUB_EXIT, g->dirty, (uint16_t)g->index, site, NULL, NULL, target});
}

/* A direct jump (its rel32 at `site`) to guest pc `target`: the block's
 * back edge (its last instruction jumping to its own start, in a
 * self-looping block) goes straight to the loop head; anything else leaves. */
void cg_jump_out(cg *g, uint8_t *site, uint64_t target)
{
    if (cg_is_back_edge(g, target) && slots_home(g))
        x86_patch_rel32(&g->b, site, rx_of(g, g->loop_head));
    else if (cg_is_back_edge(g, target))
        cg_add_stub(g, (stub){STUB_BACK_EDGE, g->dirty, (uint16_t)g->index, site, NULL, NULL, target});
    else
        exit_to(g, site, target);
}

static bool sunk_pending(const cg *g);
static uint8_t *chain_exit(cg *g, uint64_t target);

/* Whether branch i (operation g->op) and the GOTO after it end the block
 * in its last guest instruction, both to targets in this page, with ways
 * out that need nothing but the stores (no host FP to fold, no sunk
 * definitions, every value in its own slot, no loop head to go back to). */
static bool final_pair(cg *g, const ir_ins *i)
{
    const ir_block *blk = g->blk;
    if (g->op + 2 != blk->n || blk->ops[g->op + 1].op != IR_GOTO || g->index + 1u != blk->ninsns ||
        g->host_fp || !slots_home(g) || g->loop_head)
        return false;
    uint64_t next = (uint64_t)blk->ops[g->op + 1].imm;
    if (!same_page(g, (uint64_t)i->imm) || !same_page(g, next))
        return false;
    bool pending = false;
    for (g->leave_op = g->op; g->leave_op <= g->op + 1; g->leave_op++)
        pending |= sunk_pending(g);
    g->leave_op = g->op;
    return !pending;
}

/* The flags set by the block's last branch: store the written registers
 * once (moves leave the flags alone), then the two chainable exits, the
 * fall-through first (the GOTO after the branch emits nothing). Smaller
 * than a copy of the stores in each exit, and the fall-through path takes
 * no jump to get out. */
static void emit_final_pair(cg *g, int cc, uint64_t taken, uint64_t next)
{
    cg_materialize(g, g->lazy);
    cg_writeback(g, g->dirty, false);
    cg_writeback_f(g, g->fdirty);
    uint8_t *to_taken = x86_jcc32(&g->b, cc);
    chain_exit(g, next);
    x86_patch_rel32(&g->b, to_taken, x86_here(&g->b));
    chain_exit(g, taken);
    g->block_left = true;
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

void cg_emit_branch(cg *g, const ir_ins *i)
{
    if (IR_IS_X(i->a) && i->a == 0 && IR_IS_X(i->b) && i->b != 0) { /* compare v with 0 directly */
        int v = mapped(g, i->b);
        if (v)
            x86_test_rr(&g->b, 1, v, v);
        else
            x86_alu_mi(&g->b, 1, ALU_CMP, vmem(g, i->b), 0);
        if (final_pair(g, i))
            emit_final_pair(g, branch_cc_zero_first(i->size), (uint64_t)i->imm, (uint64_t)g->blk->ops[g->op + 1].imm);
        else
            cg_jump_out(g, x86_jcc32(&g->b, branch_cc_zero_first(i->size)), (uint64_t)i->imm);
        return;
    }
    int a = mapped(g, i->a);
    if (!a) {
        cg_load_v(g, RAX, i->a);
        a = RAX;
    }
    cg_alu_v(g, 1, ALU_CMP, a, i->b);
    if (final_pair(g, i))
        emit_final_pair(g, branch_cc(i->size), (uint64_t)i->imm, (uint64_t)g->blk->ops[g->op + 1].imm);
    else
        cg_jump_out(g, x86_jcc32(&g->b, branch_cc(i->size)), (uint64_t)i->imm);
}

/* Leave with exit code `code` at guest pc `pc`: the pc in rax, then the
 * shared tail that stores it (jit_backend_init): 10-15 bytes a way out. */
void cg_exit_at_pc(cg *g, uint64_t pc, int code)
{
    x86_mov_ri(&g->b, RAX, pc);
    x86_jmp_to(&g->b, g->jc->exit_pc[code]);
}

/* A chainable exit to `target`: a jump the dispatcher points at the
 * target's code (its rel32 returned), until then leading on to a call of
 * the shared tail, which takes the jump's address from the return address
 * and the guest pc from the 4 bytes (pc below 2^32: exit_chain32) or 8
 * bytes after the call (never returned to). */
#define CHAIN_SITE_BACK 9 /* return address - rel32 of the jump */
static uint8_t *chain_exit(cg *g, uint64_t target)
{
    x86_buf *b = &g->b;
    bool pc32 = target <= UINT32_MAX;
    uint8_t *site = x86_jmp32(b);
    x86_patch_rel32(b, site, x86_here(b));
    /* (a rel32 call: the tail is in this buffer) */
    x86_call(b, (const void *)(pc32 ? g->jc->exit_chain32 : g->jc->exit_chain));
    if (b->p - site != CHAIN_SITE_BACK) /* cannot happen: fixed encodings */
        g->overflow = true;
    if (pc32)
        x86_u32(b, (uint32_t)target);
    else
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
void cg_emit_indirect_jump(cg *g, bool computed)
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

/* The inline cache of a constant target below 2^32 in another guest page
 * (a direct jump or call there: not chained, since that page may be
 * remapped): it only has to hold for the epoch it was filled in. Layout:
 *   +0   cmp qword [cpu+jit_ic_epoch], epoch32 ; jne fill
 *   +10  jmp target            (fill until filled)
 *   +15  fill: mov eax, pc ; call jc->exit_ic_const
 * (25 bytes, against 48 for the general cache and the pc's load). Its
 * first byte (REX.WB) tells it from the general one's (REX.W). */
#define ICC_EPOCH 4
#define ICC_JMP 11
#define ICC_END 25
static void emit_const_ic(cg *g, uint64_t target)
{
    x86_buf *b = &g->b;
    uint8_t *ic = b->p;
    x86_op_rm(b, 1, 0x81, ALU_CMP, CPU_FIELD(jit_ic_epoch), false);
    x86_u32(b, 0);
    uint8_t *stale = x86_jcc8(b, CC_NE);
    uint8_t *hit = x86_jmp32(b);
    x86_patch_rel8(b, stale);
    x86_patch_rel32(b, hit, x86_here(b));
    x86_byte(b, 0xB8); /* mov eax, imm32 (also for 0: the length is fixed) */
    x86_u32(b, (uint32_t)target);
    x86_call(b, (const void *)g->jc->exit_ic_const); /* (a rel32 call: the tail is in this buffer) */
    if (ic[0] != 0x49 || hit - ic != ICC_JMP || b->p - ic != ICC_END) /* cannot happen: fixed encodings */
        g->overflow = true;
}

void jit_backend_set_ic(jit_ctx *jc, uintptr_t ic, uint64_t pc, uint64_t epoch, uintptr_t target)
{
    x86_buf b = {jc->rw, jc->rw + jc->size, jc->diff, false};
    uint8_t *rw = (uint8_t *)(ic + (uintptr_t)jc->diff);
    uint32_t e = (uint32_t)epoch;
    if (rw[0] != 0x48) { /* a constant target's (emit_const_ic): the epoch last */
        x86_patch_rel32(&b, rw + ICC_JMP, target);
        memcpy(rw + ICC_EPOCH, &e, 4);
        jit_cache_sync(jc, rw, ICC_JMP + 4);
        return;
    }
    x86_patch_rel32(&b, rw + IC_JMP, target);
    memcpy(rw + IC_EPOCH, &e, 4);
    memcpy(rw + IC_PC, &pc, 8); /* last: until here the cache misses */
    jit_cache_sync(jc, rw, IC_JMP + 4);
}

/* ---- out-of-line parts ---- */

/* Whether a way out from operation g->leave_op computes sunk definitions
 * (emit_sunk's test). */
static bool sunk_pending(const cg *g)
{
    ir_ins op;
    for (uint32_t n = 0; n < g->nsunk && g->sunk[n] < g->leave_op; n++)
        if (jit_plan_sunk_at(g->blk, g->sunk[n], g->leave_op, &op))
            return true;
    return false;
}

/* The exit code stub k leaves with through cg_emit_exit_at's shared
 * stores (ladder or tail), -1: none (it stores its own, or is no such exit). */
static int shared_exit_code(cg *g, int k)
{
    const stub *s = &g->stubs[k];
    int code = g->fastmem && (s->kind == STUB_LOAD_SLOW || s->kind == STUB_STORE_SLOW)
                   ? JIT_EXIT_INTERP
                   : s->kind == STUB_TRAP ? JIT_EXIT_TRAP : -1;
    if (code < 0)
        return -1;
    g->leave_op = g->op_at[k];
    return sunk_pending(g) ? -1 : code;
}

static int popcount64(uint64_t v) { return __builtin_popcountll(v); }

/* The stores of the block's exits to the interpreter that keep every
 * value in its own slot (its memory slow paths and span checks, mostly),
 * emitted once as a ladder: their register sets only grow along the block,
 * so ordered by size each contains the one before, and each exit jumps to
 * where the stores of its set begin (the registers written latest first),
 * which leads on to the shared tail (after folding host FP's inexact
 * flag, which takes no register). Exits with a set the ladder lacks keep
 * their own stores (cg_emit_exit_at). */
void cg_emit_exit_ladder(cg *g)
{
    exit_ladder *l = &g->ladder;
    uint32_t dirty[MAX_STUBS], fdirty[MAX_STUBS];
    int n = 0, users = 0;
    l->n = 0;
    for (int k = 0; k < g->nstubs; k++) {
        if (g->slots_at[k] != 0 || shared_exit_code(g, k) != JIT_EXIT_INTERP)
            continue;
        users++;
        int j = 0;
        while (j < n && !(dirty[j] == g->stubs[k].dirty && fdirty[j] == g->fdirty_at[k]))
            j++;
        if (j == n) {
            dirty[n] = g->stubs[k].dirty;
            fdirty[n++] = g->fdirty_at[k];
        }
    }
    if (users < 2)
        return;
    /* By size, smallest first; a set that does not contain the one kept
     * before it is left out. */
    for (int a = 1; a < n; a++)
        for (int b = a; b > 0; b--) {
            uint64_t x = (uint64_t)dirty[b - 1] << 32 | fdirty[b - 1], y = (uint64_t)dirty[b] << 32 | fdirty[b];
            if (popcount64(x) <= popcount64(y))
                break;
            dirty[b - 1] = (uint32_t)(y >> 32), fdirty[b - 1] = (uint32_t)y;
            dirty[b] = (uint32_t)(x >> 32), fdirty[b] = (uint32_t)x;
        }
    for (int j = 0; j < n && l->n < MAX_LADDER; j++) {
        uint32_t pd = l->n ? l->dirty[l->n - 1] : 0, pf = l->n ? l->fdirty[l->n - 1] : 0;
        if ((dirty[j] & pd) == pd && (fdirty[j] & pf) == pf) {
            l->dirty[l->n] = dirty[j];
            l->fdirty[l->n++] = fdirty[j];
        }
    }
    memcpy(g->slot, g->slot_maps[0], sizeof(g->slot)); /* every value in its own slot */
    for (int j = l->n; j-- > 0;) {
        l->at[j] = g->b.p;
        cg_writeback(g, l->dirty[j] & ~(j ? l->dirty[j - 1] : 0), false);
        cg_writeback_f(g, l->fdirty[j] & ~(j ? l->fdirty[j - 1] : 0));
    }
    if (g->host_fp)
        cg_host_fp_sync(g);
    const uint64_t page = g->blk->pc & RV_PAGE_MASK; /* (every instruction of a block is in it) */
    l->packed = page + RV_PAGE_SIZE <= UINT32_MAX;
    if (l->packed) { /* (the registers are stored: rcx is free) */
        x86_mov_ri(&g->b, RCX, page);
        x86_jmp_to(&g->b, g->jc->exit_interp_packed);
    } else {
        x86_jmp_to(&g->b, g->jc->exit_pc[JIT_EXIT_INTERP]);
    }
}

/* Leave with the state as before guest instruction `index`: for a trap
 * there, or for the interpreter to run on from it. pc and instret are set
 * first, then the guest registers are stored, which leaves rax alone
 * unless sunk definitions are computed: otherwise ways out that
 * store the same registers the same way (a block's memory slow paths,
 * mostly) share that code: the block's ladder (cg_emit_exit_ladder), or
 * the first one's stores, which the others jump into. */
void cg_emit_exit_at(cg *g, const stub *s, int code)
{
    int k = (int)(s - g->stubs);
    exit_tail key = {s->dirty, g->fdirty_at[k], g->slots_at[k], (uint8_t)code, NULL};
    uint64_t pc = jit_insn_pc(g->blk, s->index);
    int32_t not_run = (int32_t)(g->blk->ninsns - s->index);
    if (sunk_pending(g)) { /* its code may use rax (folding host FP's flags does not) */
        cg_leave_block(g, s->dirty);
        x86_alu_ri(&g->b, 1, ALU_SUB, ICOUNT, not_run);
        cg_exit_at_pc(g, pc, code);
        return;
    }
    for (int j = 0; code == JIT_EXIT_INTERP && key.slots == 0 && j < g->ladder.n; j++)
        if (g->ladder.dirty[j] == key.dirty && g->ladder.fdirty[j] == key.fdirty) {
            if (g->ladder.packed) {
                x86_byte(&g->b, 0xB8); /* mov eax, imm32 */
                x86_u32(&g->b, (uint32_t)(pc & ~RV_PAGE_MASK) | (uint32_t)not_run << EXIT_PACKED);
            } else {
                x86_alu_ri(&g->b, 1, ALU_SUB, ICOUNT, not_run);
                x86_mov_ri(&g->b, RAX, pc);
            }
            x86_jmp_near(&g->b, rx_of(g, g->ladder.at[j]));
            return;
        }
    x86_alu_ri(&g->b, 1, ALU_SUB, ICOUNT, not_run);
    x86_mov_ri(&g->b, RAX, pc);
    for (int t = 0; t < g->ntails; t++) {
        const exit_tail *e = &g->tails[t];
        if (e->dirty == key.dirty && e->fdirty == key.fdirty && e->slots == key.slots && e->code == key.code) {
            x86_jmp_near(&g->b, rx_of(g, e->at));
            return;
        }
    }
    if (g->ntails < MAX_EXIT_TAILS) {
        key.at = g->b.p;
        g->tails[g->ntails++] = key;
    }
    cg_leave_block(g, s->dirty);
    x86_jmp_to(&g->b, g->jc->exit_pc[code]);
}

static void emit_trap_exit(cg *g, const stub *s) { cg_emit_exit_at(g, s, JIT_EXIT_TRAP); }

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

void cg_emit_stub(cg *g, const stub *s)
{
    x86_buf *b = &g->b;
    if (g->fault_at[s - g->stubs])
        emit_fault_entry(g, g->fault_at[s - g->stubs]);
    patch_sites(b, s->site, x86_here(b));
    memcpy(g->slot, g->slot_maps[g->slots_at[s - g->stubs]], sizeof(g->slot));
    g->fdirty = g->fdirty_at[s - g->stubs];
    g->leave_op = g->op_at[s - g->stubs];
    cg_sign_extend_regs(g, g->lazy_at[s - g->stubs]); /* whatever follows may need whole values */
    if (s->kind == STUB_LOAD_SLOW || s->kind == STUB_STORE_SLOW) {
        cg_emit_access_slow(g, s);
        return;
    }
    switch (s->kind) {
    case STUB_FP_SLOW:
        /* Fold earlier inexact results, clear what the failed attempt set. */
        cg_host_fp_sync(g);
        cg_mxcsr_reset(g);
        cg_emit_fpcall_slow(g, s->ins, s->dirty);
        x86_jmp_near(b, (uintptr_t)s->resume - (uintptr_t)b->diff);
        break;
    case STUB_EXIT:
        cg_leave_block(g, s->dirty);
        if (s->index + 1u < g->blk->ninsns) /* a side exit: the rest did not run */
            x86_alu_ri(b, 1, ALU_SUB, ICOUNT, (int32_t)(g->blk->ninsns - s->index - 1));
        if (same_page(g, s->target)) {
            chain_exit(g, s->target);
        } else if (s->target <= UINT32_MAX) { /* another page: not chained (it may be remapped), but cached */
            emit_const_ic(g, s->target);
        } else {
            x86_mov_ri(b, RAX, s->target);
            cg_emit_indirect_jump(g, false);
        }
        break;
    case STUB_TRAP:
        emit_trap_exit(g, s);
        break;
    case STUB_CHECK: /* in a self-looping block, after iterations that may have run host FP */
        cg_leave_block(g, s->dirty);
        cg_exit_at_pc(g, g->blk->pc, JIT_EXIT_CHECK);
        break;
    case STUB_INTERP:
        cg_exit_at_pc(g, g->blk->pc, JIT_EXIT_INTERP);
        break;
    case STUB_BACK_EDGE: /* (rax is free: the branch has been decided) */
        cg_move_slots(g, RAX);
        x86_jmp_near(b, rx_of(g, g->loop_head));
        break;
    }
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

/* In a trampoline on the way out for the guest pc in rax (cpu->pc set,
 * the block left: no guest value in a host register), with rdx the inline
 * cache to fill or 0: run the pc's code if it is translated (jit_find_code),
 * else fall through to the way out. An inline cache's request is withdrawn
 * when it is filled here. */
static void emit_find_code(x86_buf *b, bool ic)
{
    cpu_ptr_to(b, RDI);
    x86_mov_rr(b, RSI, RAX);
    x86_mov_ri(b, RAX, (uintptr_t)jit_find_code);
    x86_op_rr(b, 0, 0xFF, 2, RAX, false); /* call rax */
    x86_test_rr(b, 1, RAX, RAX);
    uint8_t *leave = x86_jcc8(b, CC_E);
    if (ic)
        x86_store64_imm(b, CPU_FIELD(jit_exit_ic), 0);
    x86_op_rr(b, 0, 0xFF, 4, RAX, false); /* jmp rax */
    x86_patch_rel8(b, leave);
}

/* Trampolines at the start of the buffer: enter, the common exit and the
 * jump-cache lookup for indirect jumps; returns their length (0: no room). */
size_t cg_emit_trampolines(jit_ctx *jc)
{
    static const uint8_t saved[] = {RBX, RBP, R12, R13, R14, R15};
    x86_buf bb = {jc->rw, jc->rw + jc->size, jc->diff, false};
    x86_buf *b = &bb;

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
    /* ... and of a block's ladder (cg_emit_exit_ladder): eax packed. */
    _Static_assert(IR_BLOCK_MAX_INSNS < 1u << (32 - EXIT_PACKED) && RV_PAGE_SIZE <= 1u << EXIT_PACKED,
                   "a packed pc holds any block's");
    jc->exit_interp_packed = x86_here(b);
    x86_mov_rr32(b, RDX, RAX);
    x86_shift_ri(b, 0, SH_SHR, RDX, EXIT_PACKED);
    x86_alu_rr(b, 1, ALU_SUB, ICOUNT, RDX);
    x86_alu_ri(b, 0, ALU_AND, RAX, (1 << EXIT_PACKED) - 1);
    x86_alu_rr(b, 1, ALU_ADD, RAX, RCX);
    x86_jmp_to(b, jc->exit_pc[JIT_EXIT_INTERP]);

    /* ... and of a chainable exit not yet chained (chain_exit), its pc in
     * 8 or (zero-extended) 4 bytes. */
    for (int pc32 = 0; pc32 < 2; pc32++) {
        *(pc32 ? &jc->exit_chain32 : &jc->exit_chain) = x86_here(b);
        x86_pop(b, RCX);
        if (pc32)
            x86_op_rm(b, 0, 0x8B, RAX, x86_at(RCX, 0), false); /* mov eax, [rcx] */
        else
            x86_load64(b, RAX, x86_at(RCX, 0));
        x86_store64(b, CPU_FIELD(pc), RAX);
        x86_alu_ri(b, 1, ALU_SUB, RCX, CHAIN_SITE_BACK);
        x86_store64(b, CPU_FIELD(jit_exit_site), RCX);
        x86_mov_ri(b, RAX, JIT_EXIT_LOOKUP);
        x86_jmp_to(b, jc->exit);
    }

    /* ... and of an inline cache to fill (emit_indirect_jump, emit_const_ic):
     * pc in rax. jit_find_code fills it when the target is translated. */
    for (int cnst = 0; cnst < 2; cnst++) {
        *(cnst ? &jc->exit_ic_const : &jc->exit_ic) = x86_here(b);
        x86_pop(b, RCX);
        x86_alu_ri(b, 1, ALU_SUB, RCX, cnst ? ICC_END : IC_FILL_END);
        x86_store64(b, CPU_FIELD(jit_exit_ic), RCX);
        x86_store64(b, CPU_FIELD(pc), RAX);
        x86_mov_rr(b, RDX, RCX);
        emit_find_code(b, true);
        x86_mov_ri(b, RAX, JIT_EXIT_LOOKUP);
        x86_jmp_to(b, jc->exit);
    }

    /* Jump cache lookup: rax = guest pc; the pair of jit_jc_index(pc). */
    jc->jc_lookup = x86_here(b);
    x86_mov_rr(b, RCX, RAX); /* rcx = jit_jc_index(pc) * 16 */
    x86_shift_ri(b, 1, SH_SHR, RCX, JIT_JC_BITS);
    x86_mov_rr(b, RDX, RAX);
    x86_shift_ri(b, 1, SH_SHR, RDX, 1);
    x86_alu_rr(b, 0, ALU_XOR, RCX, RDX);
    x86_alu_ri(b, 0, ALU_AND, RCX, (int32_t)(JIT_JC_SETS - 1));
    x86_shift_ri(b, 0, SH_SHL, RCX, 5);
    x86_mov_ri(b, RDX, (uintptr_t)jc->jc);
    uint8_t *miss = NULL;
    for (int way = 0; way < 2; way++) {
        if (miss)
            x86_patch_rel32(b, miss, x86_here(b));
        x86_alu_rm(b, 1, ALU_CMP, RAX, x86_at_index(RDX, RCX, 16 * way));
        miss = x86_jcc32(b, CC_NE);
        x86_jmp_mem(b, x86_at_index(RDX, RCX, 16 * way + 8));
    }
    x86_patch_rel32(b, miss, x86_here(b));
    x86_store64(b, CPU_FIELD(pc), RAX);
    x86_alu_rr(b, 0, ALU_XOR, RDX, RDX);
    emit_find_code(b, false);
    x86_store64_imm(b, CPU_FIELD(jit_exit_site), 0);
    x86_mov_ri(b, RAX, JIT_EXIT_LOOKUP);
    x86_jmp_to(b, jc->exit);

    return b->overflow ? 0 : (size_t)(b->p - jc->rw);
}

#endif /* __x86_64__ */
