/* IR clean-ups between the front end and a backend, on the guest integer
 * registers of one block:
 *
 *  - Rotate idioms. Without Zbb, compilers write a rotate as two shifts of
 *    one value and an OR (srliw p,x,n; slliw q,x,32-n; or d,p,q); the OR
 *    becomes a rotate of x (RORW/ROR), which no longer needs p and q.
 *  - Extension idioms. Without Zba/Zbb, compilers zero- or sign-extend
 *    with two shifts (slli d,x,32; srli d,d,32 for a 32-bit unsigned
 *    index; 48 for zext.h; srai for sext.b/h/w); the second becomes the
 *    extension of x (ZEXTW, ZEXTH, ...: one host move or none of shifts).
 *    When the first shifted x in place (d == x), it is dropped instead,
 *    provided nothing between the two could see or read its result.
 *  - Inverted operands. `not p, x` (xori p, x, -1) then `and d, p, y`
 *    becomes d = y & ~x (ANDN; or ORN, XNOR), which no longer needs p.
 *  - Dead definitions. A pure operation writing x0 is dropped, and so is
 *    one whose result register is written again before anything reads it,
 *    provided nothing between the two writes can trap or leave the block:
 *    there every guest register is visible (trap state, exits, the
 *    interpreter taking over), so all count as read. After the rewrite
 *    above the shifts often die.
 *  - Sunk definitions. Where the only things between such a result and its
 *    next write that could see it are exits (a load or store that may trap,
 *    a side exit, ...), the operation is kept but marked: the backend
 *    computes it only on those ways out. Its sources must still hold their
 *    values there, or copies of them must (values are numbered so that mv
 *    and sext.w copies are known), and nothing on the main path may read
 *    the result.
 *
 * Both keep the guest state exact at every point where it can be seen. */
#include "ir.h"

/* No memory, no traps, no exits, no state beyond the destination. */
static bool is_pure(const ir_ins *i) { return i->op >= IR_MOV && i->op <= IR_CALL2; }

static bool is_xreg(uint8_t v) { return IR_IS_X(v) && v != 0; }

static uint32_t xbit(uint8_t v) { return is_xreg(v) ? 1u << v : 0; }

static uint32_t xreads(const ir_ins *i)
{
    return xbit(i->a) | ((i->flags & IR_BIMM) ? 0 : xbit(i->b)) | xbit(i->c);
}

/* A shift of a guest register by an immediate: its width (32 for the W
 * forms, else 64), or 0 for anything else. */
static int shift_width(const ir_ins *i, uint8_t op64, uint8_t op32)
{
    if (!(i->flags & IR_BIMM) || !is_xreg(i->a))
        return 0;
    return i->op == op64 ? 64 : i->op == op32 ? 32 : 0;
}

/* Whether OR i (at k) combines a right and a left shift of one register by
 * amounts that add up to the width; then it becomes that rotate. def[r]:
 * index of the latest operation writing guest register r before k (-1:
 * none in this block). */
static void fuse_rotate(ir_ins *ops, ir_ins *i, const int *def)
{
    if (i->op != IR_OR || (i->flags & IR_BIMM) || !is_xreg(i->a) || !is_xreg(i->b) || i->a == i->b)
        return;
    int dp = def[i->a], dq = def[i->b];
    if (dp < 0 || dq < 0)
        return;
    const ir_ins *r = &ops[dp], *l = &ops[dq];
    if (!shift_width(r, IR_SHR, IR_SHRW)) { /* or q | p */
        const ir_ins *t = r;
        r = l;
        l = t;
    }
    int w = shift_width(r, IR_SHR, IR_SHRW);
    if (!w || shift_width(l, IR_SHL, IR_SHLW) != w || r->a != l->a)
        return;
    uint8_t x = r->a;
    int64_t n = r->imm & (w - 1), m = l->imm & (w - 1);
    /* x unchanged since the first shift (so both read the same value). */
    int first = dp < dq ? dp : dq;
    if (n == 0 || n + m != w || def[x] >= first)
        return;
    i->op = w == 32 ? IR_RORW : IR_ROR;
    i->a = x;
    i->b = 0;
    i->flags |= IR_BIMM;
    i->imm = n;
}

/* Whether AND/OR/XOR i (at k) has an operand that is x inverted (by an
 * XOR with -1 of an x unchanged since); then it inverts x itself (ANDN,
 * ORN, XNOR: d = a op ~b). def[r] as for fuse_rotate. */
static void fuse_not(ir_ins *ops, ir_ins *i, const int *def)
{
    static const uint8_t inverted[] = {[IR_AND] = IR_ANDN, [IR_OR] = IR_ORN, [IR_XOR] = IR_XNOR};
    if ((i->op != IR_AND && i->op != IR_OR && i->op != IR_XOR) || (i->flags & IR_BIMM) || i->a == i->b)
        return;
    for (int side = 0; side < 2; side++) {
        uint8_t p = side ? i->a : i->b, other = side ? i->b : i->a;
        if (!is_xreg(p) || def[p] < 0)
            continue;
        const ir_ins *n = &ops[def[p]];
        if (n->op != IR_XOR || !(n->flags & IR_BIMM) || n->imm != -1 || !is_xreg(n->a) || def[n->a] >= def[p])
            continue;
        i->op = inverted[i->op];
        i->a = other;
        i->b = n->a;
        return;
    }
}

/* How far apart the two shifts of an in-place extension idiom may be
 * (operations, markers included): compilers emit them back to back. */
#define EXTEND_WINDOW 8

/* Whether SHR/SAR i (at k) undoes a left shift by the same amount (32, 48
 * or 56) of a register x: then it becomes that extension of x. def[r] as
 * for fuse_rotate. When the left shift wrote x itself, x's old value is
 * gone by k; then the left shift is dropped (given the destination x0,
 * which drop_dead_defs removes) and i reads x instead, which needs i to
 * write x too and nothing between them to read x or be able to show it
 * (a trap, an exit). */
static void fuse_extend(ir_ins *ops, ir_ins *i, uint32_t k, const int *def)
{
    bool sign = shift_width(i, IR_SAR, IR_SAR) != 0;
    if ((!sign && !shift_width(i, IR_SHR, IR_SHR)) || (i->imm != 32 && i->imm != 48 && i->imm != 56))
        return;
    int dl = def[i->a];
    if (dl < 0)
        return;
    ir_ins *l = &ops[dl];
    if (!shift_width(l, IR_SHL, IR_SHL) || l->imm != i->imm)
        return;
    uint8_t x = l->a;
    if (x == l->d) { /* shifted in place: slli x, x, n */
        if (i->d != x || k - (uint32_t)dl > EXTEND_WINDOW)
            return;
        for (uint32_t m = (uint32_t)dl + 1; m < k; m++)
            if (ops[m].op != IR_INSN && (!is_pure(&ops[m]) || (xreads(&ops[m]) & xbit(x))))
                return;
        l->d = IR_X(0);
    } else if (def[x] >= dl) {
        return; /* x changed since */
    }
    static const uint8_t zext[] = {[32 / 8] = IR_ZEXTW, [48 / 8] = IR_ZEXTH, [56 / 8] = IR_AND};
    static const uint8_t sext[] = {[32 / 8] = IR_SEXTW, [48 / 8] = IR_SEXTH, [56 / 8] = IR_SEXTB};
    i->op = (sign ? sext : zext)[i->imm / 8];
    i->a = x;
    i->b = 0;
    if (i->op == IR_AND) { /* (andi d, x, 255) */
        i->imm = 0xff;
    } else {
        i->flags &= (uint8_t)~IR_BIMM;
        i->imm = 0;
    }
}

static void fuse_idioms(ir_block *blk)
{
    int def[32];
    for (int r = 0; r < 32; r++)
        def[r] = -1;
    for (uint32_t k = 0; k < blk->n; k++) {
        ir_ins *i = &blk->ops[k];
        if (i->op == IR_INSN)
            continue;
        fuse_rotate(blk->ops, i, def);
        fuse_not(blk->ops, i, def);
        fuse_extend(blk->ops, i, k, def);
        if (is_xreg(i->d))
            def[i->d] = (int)k;
    }
}

static void drop_dead_defs(ir_block *blk)
{
    uint32_t live = ~0u; /* the block's end: everything visible */
    bool dead[IR_MAX_OPS];
    for (uint32_t k = blk->n; k-- > 0;) {
        const ir_ins *i = &blk->ops[k];
        dead[k] = false;
        if (i->op == IR_INSN)
            continue;
        if (!is_pure(i)) {
            live = ~0u;
            continue;
        }
        if (i->d == IR_X(0) || (is_xreg(i->d) && !(live >> i->d & 1))) { /* x0: no effect at all */
            dead[k] = true;
            continue;
        }
        live &= ~xbit(i->d);
        live |= xbit(i->a) | ((i->flags & IR_BIMM) ? 0 : xbit(i->b));
    }
    uint32_t n = 0;
    for (uint32_t k = 0; k < blk->n; k++)
        if (!dead[k])
            blk->ops[n++] = blk->ops[k];
    blk->n = n;
}

/* Simple enough for a backend to compute on a way out: guest registers or
 * an immediate in, no helper. */
static bool sinkable(const ir_ins *i)
{
    return is_pure(i) && i->op != IR_CALL2 && is_xreg(i->d) && IR_IS_X(i->a) && IR_IS_X(i->c) &&
           ((i->flags & IR_BIMM) || IR_IS_X(i->b));
}

bool ir_makes_sext32(const ir_ins *i, uint32_t sext)
{
    sext |= 1; /* x0 */
    bool a = IR_IS_X(i->a) && (sext >> i->a & 1);
    bool b = (i->flags & IR_BIMM) ? i->imm >= INT32_MIN && i->imm <= INT32_MAX
                                  : IR_IS_X(i->b) && (sext >> i->b & 1);
    switch (i->op) {
    case IR_ADDW: case IR_SUBW: case IR_SHLW: case IR_SHRW: case IR_SARW: case IR_MULW:
    case IR_ROLW: case IR_RORW: case IR_SEXTB: case IR_SEXTH: case IR_SEXTW: case IR_ZEXTH:
    case IR_SLT: case IR_SLTU: case IR_CLZW: case IR_CTZW: case IR_CPOPW: case IR_FFLAGS:
        return true;
    case IR_AND: case IR_OR: case IR_XOR: case IR_ANDN: case IR_ORN: case IR_XNOR:
        return a && b;
    case IR_LOAD:
        return i->size < 4 || (i->size == 4 && (i->flags & IR_SIGN));
    case IR_MOV:
        return b;
    }
    return false;
}

/* Guest register values by number, to tell a register written again with
 * the value it had (sext.w of a sign-extended value) from a real change, and
 * to find where else a value still is (mv, sext.w copies). */
typedef struct values {
    uint16_t id[32];   /* value number of each register's current value */
    uint16_t id32[32]; /* ... of its low 32 bits (what W operations read) */
    int16_t def[32]; /* the operation that last wrote it (-1: the block's entry) */
    uint32_t sext;   /* registers known to hold a sign-extended 32-bit value */
    uint16_t next;
} values;

static void values_init(values *v)
{
    for (int r = 0; r < 32; r++) {
        v->id[r] = v->id32[r] = (uint16_t)r;
        v->def[r] = -1;
    }
    v->sext = 1;
    v->next = 32;
}

/* Operation i, at k, has run. */
static void values_step(values *v, const ir_ins *i, uint32_t k)
{
    if (!is_xreg(i->d))
        return;
    uint16_t id, id32;
    bool copy_b = i->op == IR_MOV && !(i->flags & IR_BIMM) && IR_IS_X(i->b);
    bool sext_a = (i->op == IR_SEXTW || (i->op == IR_ADDW && (i->flags & IR_BIMM) && i->imm == 0)) &&
                  IR_IS_X(i->a);
    if (copy_b) {
        id = v->id[i->b];
        id32 = v->id32[i->b];
    } else if (sext_a) { /* the same low half; the same value if it was sign-extended */
        id32 = v->id32[i->a];
        id = (v->sext >> i->a & 1) ? v->id[i->a] : v->next++;
    } else {
        id = id32 = v->next++;
    }
    bool sext = ir_makes_sext32(i, v->sext);
    v->sext = sext ? v->sext | xbit(i->d) : v->sext & ~xbit(i->d);
    v->id[i->d] = id;
    v->id32[i->d] = id32;
    v->def[i->d] = (int16_t)k;
}

/* How far ahead a definition's next write is looked for (translation time
 * stays linear in the block's length). */
#define SINK_WINDOW 256

bool ir_reads_low32(const ir_ins *i)
{
    switch (i->op) {
    case IR_ADDW: case IR_SUBW: case IR_SHLW: case IR_SHRW: case IR_SARW: case IR_MULW:
    case IR_ROLW: case IR_RORW:
        return true;
    }
    return false;
}

/* Whether the pure operation at j can be sunk, and until where. `at`: the
 * values before it. Its result must not be read on the main path before
 * its next write (a pure operation, or a load, whose ways out come before
 * its write); at every way out in between, each source value must still be
 * in its register (one that is also the result keeps it: the main path
 * does not write it), or, once, after the register changed, in another
 * register holding the same value (a copy), which the backend then reads
 * instead; that copy's writer is pinned: it must not be sunk itself. */
static void plan_sink(ir_block *blk, uint32_t j, const values *at, bool *pinned)
{
    const ir_ins *def = &blk->ops[j];
    values v = *at;
    const uint16_t *id = ir_reads_low32(def) ? v.id32 : v.id; /* the value numbers that matter */
    uint32_t result = xbit(def->d);
    uint8_t home[2] = {def->a, (def->flags & IR_BIMM) ? 0 : def->b};
    uint16_t want[2] = {id[home[0]], id[home[1]]};
    int alt = -1, alt_def = -1;
    uint32_t alt_from = 0;
    uint8_t alt_reg = 0, alt_orig = 0;
    bool lost = false;
    values_step(&v, def, j);
    for (uint32_t k = j + 1; k < blk->n && k <= j + SINK_WINDOW; k++) {
        const ir_ins *i = &blk->ops[k];
        if (i->op == IR_INSN)
            continue;
        bool exits = !is_pure(i);
        if ((xreads(i) & result) || (exits && lost))
            return;
        if (xbit(i->d) & result) { /* written again */
            if (!is_pure(i) && i->op != IR_LOAD)
                return;
            blk->sunk_until[j] = (uint16_t)k;
            if (alt >= 0) {
                blk->sunk_alt_from[j] = (uint16_t)alt_from;
                blk->sunk_alt[j][0] = alt_orig;
                blk->sunk_alt[j][1] = alt_reg;
                if (alt_def > (int)j)
                    pinned[alt_def] = true;
            }
            return;
        }
        if (exits && i->op != IR_LOAD && (xbit(i->d) & (xbit(home[0]) | xbit(home[1]))))
            return; /* its ways out may come after its write */
        values_step(&v, i, k);
        for (int s = 0; s < 2; s++) {
            if (id[home[s]] == want[s] || home[s] == def->d)
                continue;
            uint8_t found = 0;
            for (uint8_t r = 1; r < 32 && !found && alt < 0; r++)
                if (id[r] == want[s] && !(xbit(r) & result) &&
                    (v.def[r] < 0 || v.def[r] > (int)j || !blk->sunk_until[v.def[r]]))
                    found = r;
            if (!found) {
                lost = true;
                home[s] = 0;
                want[s] = 0;
                continue;
            }
            alt = s;
            alt_orig = s ? def->b : def->a;
            alt_reg = found;
            alt_def = v.def[found];
            alt_from = k;
            home[s] = found;
        }
    }
}

static void sink_defs(ir_block *blk)
{
    /* First, cheaply: the results written again before anything reads them
     * (only those are looked at closely). */
    bool overwritten[IR_MAX_OPS];
    uint32_t next_is_write = 0; /* per register: its next access (from here on) is a write */
    for (uint32_t k = blk->n; k-- > 0;) {
        const ir_ins *i = &blk->ops[k];
        overwritten[k] = false;
        if (i->op == IR_INSN)
            continue;
        if (is_xreg(i->d)) {
            overwritten[k] = next_is_write >> i->d & 1;
            next_is_write |= xbit(i->d);
        }
        next_is_write &= ~xreads(i);
    }
    values v;
    bool pinned[IR_MAX_OPS] = {false};
    values_init(&v);
    for (uint32_t j = 0; j < blk->n; j++) {
        const ir_ins *i = &blk->ops[j];
        blk->sunk_until[j] = 0;
        blk->sunk_alt_from[j] = 0;
        if (i->op == IR_INSN)
            continue;
        if (overwritten[j] && sinkable(i) && !pinned[j])
            plan_sink(blk, j, &v, pinned);
        values_step(&v, i, j);
    }
}

void ir_optimize(ir_block *blk)
{
    fuse_idioms(blk);
    drop_dead_defs(blk);
    sink_defs(blk);
}
