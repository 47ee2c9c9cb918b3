/* x86-64 backend: where a guest value is between operations: lazily
 * sign-extended W results, the value left in rax, and renamed cpu->x
 * slots. */
#if defined(__x86_64__)

#include "cg.h"

/* ---- lazy sign extension ----
 * A W operation's result in a host register is left with its upper half
 * unextended while only 32-bit consumers read it (W operations, narrow
 * stores, logic operations on sign-extended values, copies); anything else
 * (64-bit use, a call, an exit, a stub) sign-extends it first. */
void cg_sign_extend_regs(cg *g, uint32_t mask)
{
    for (int v = 1; v < 32; v++)
        if (mask >> v & 1)
            x86_movsx(&g->b, g->alloc[v], g->alloc[v], 4);
}

void cg_materialize(cg *g, uint32_t mask)
{
    cg_sign_extend_regs(g, mask & g->lazy);
    g->lazy &= ~mask;
}

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
    case IR_SEXTB: case IR_SEXTH: case IR_SEXTW: case IR_ZEXTH: case IR_ZEXTW: /* the low half at most */
        return src_bits(i);
    }
    return 0;
}

/* The lazy registers to sign-extend before operation i: all of them before
 * a call, an exit or the loop's back edge (the loop head expects whole
 * values; side exits extend in their stubs), else the operands it reads
 * whole. */
uint32_t cg_needs_whole(const cg *g, const ir_ins *i)
{
    if ((i->op == IR_BRANCH || i->op == IR_GOTO) && cg_is_back_edge(g, (uint64_t)i->imm))
        return g->lazy;
    switch (i->op) {
    case IR_CALL2: case IR_FPCALL: case IR_ATOMIC: case IR_CSR: case IR_SYS: case IR_FFLAGS: case IR_JUMP: case IR_TAIL:
    case IR_CLZ: case IR_CLZW: case IR_CTZ: case IR_CTZW: case IR_CPOP: case IR_CPOPW:
        return g->lazy;
    case IR_INSN: case IR_GOTO: /* no register operands */
        return 0;
    }
    return (src_bits(i) | reg_bit(i->c)) & ~lazy_ok(g, i) & g->lazy;
}

/* Whether a logic operation reads a lazy operand (its result's low half
 * is right, the upper half is then made the sign extension of it). */
bool cg_lazy_operand(const cg *g, const ir_ins *i)
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
bool cg_keeps_rax(const cg *g, const ir_ins *i)
{
    if (i->op == IR_INSN)
        return true;
    bool commutes = i->op == IR_ADD || i->op == IR_AND || i->op == IR_OR || i->op == IR_XOR || i->op == IR_ADDW;
    if (!IR_IS_X(i->d) || !mapped(g, i->d) || (cg_work_reg(g, i) == RAX && !commutes)) /* (d = a op d: d op= a) */
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
    case IR_SEXTB: case IR_SEXTH: case IR_SEXTW: case IR_ZEXTH: case IR_ZEXTW: /* (d's host register) */
        return true;
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
 * the block has made many slot maps for its stubs: see slot_map_index, exits.c.) */
bool cg_slot_copy(cg *g, const ir_ins *i)
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
bool cg_slot_place(cg *g, ir_ins *i)
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
void cg_move_slots(cg *g, int tmp)
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

/* Keep g->sext32 up to date after operation i. */
void cg_track_sext32(cg *g, const ir_ins *i)
{
    if (!IR_IS_X(i->d) || i->d == 0 || i->op == IR_INSN)
        return;
    if (makes_sext32(g, i))
        g->sext32 |= 1u << i->d;
    else
        g->sext32 &= ~(1u << i->d);
}

#endif /* __x86_64__ */
