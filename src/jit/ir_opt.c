/* IR clean-ups between the front end and a backend, on the guest integer
 * registers of one block:
 *
 *  - Rotate idioms. Without Zbb, compilers write a rotate as two shifts of
 *    one value and an OR (srliw p,x,n; slliw q,x,32-n; or d,p,q); the OR
 *    becomes a rotate of x (RORW/ROR), which no longer needs p and q.
 *  - Dead definitions. A pure operation whose result register is written
 *    again before anything reads it is dropped, provided nothing between
 *    the two writes can trap or leave the block: there every guest
 *    register is visible (trap state, exits, the interpreter taking over),
 *    so all count as read. After the rewrite above the shifts often die.
 *  - Sunk definitions. Where the only things between such a result and its
 *    next write that could see it are exits (a load or store that may trap,
 *    a side exit, ...), the operation is kept but marked: the backend
 *    computes it only on those ways out. Its sources must still hold their
 *    values there, and nothing on the main path may read the result.
 *
 * Both keep the guest state exact at every point where it can be seen. */
#include "ir.h"

/* No memory, no traps, no exits, no state beyond the destination. */
static bool is_pure(const ir_ins *i) { return i->op >= IR_MOV && i->op <= IR_CALL2; }

static bool is_xreg(uint8_t v) { return IR_IS_X(v) && v != 0; }

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

static void fuse_rotates(ir_block *blk)
{
    int def[32];
    for (int r = 0; r < 32; r++)
        def[r] = -1;
    for (uint32_t k = 0; k < blk->n; k++) {
        ir_ins *i = &blk->ops[k];
        if (i->op == IR_INSN)
            continue;
        fuse_rotate(blk->ops, i, def);
        if (is_xreg(i->d))
            def[i->d] = (int)k;
    }
}

static uint32_t xbit(uint8_t v) { return is_xreg(v) ? 1u << v : 0; }

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
        if (is_xreg(i->d) && !(live >> i->d & 1)) {
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

static uint32_t xreads(const ir_ins *i)
{
    return xbit(i->a) | ((i->flags & IR_BIMM) ? 0 : xbit(i->b)) | xbit(i->c);
}

/* Simple enough for a backend to compute on a way out: guest registers or
 * an immediate in, no helper. */
static bool sinkable(const ir_ins *i)
{
    return is_pure(i) && i->op != IR_CALL2 && is_xreg(i->d) && IR_IS_X(i->a) && IR_IS_X(i->c) &&
           ((i->flags & IR_BIMM) || IR_IS_X(i->b));
}

/* How far ahead a definition's next write is looked for (translation time
 * stays linear in the block's length). */
#define SINK_WINDOW 64

static void sink_defs(ir_block *blk)
{
    for (uint32_t j = 0; j < blk->n; j++) {
        const ir_ins *def = &blk->ops[j];
        blk->sunk_until[j] = 0;
        if (!sinkable(def))
            continue;
        uint32_t srcs = xreads(def), result = xbit(def->d);
        bool src_changed = false;
        for (uint32_t k = j + 1; k < blk->n && k <= j + SINK_WINDOW; k++) {
            const ir_ins *i = &blk->ops[k];
            if (i->op == IR_INSN)
                continue;
            bool exits = !is_pure(i);
            /* Read on the main path; or a way out where a source has changed
             * (a load's ways out come before it writes its destination). */
            if ((xreads(i) & result) || (exits && src_changed))
                break;
            if (xbit(i->d) & result) { /* written again: by something whose ways out come first */
                if (is_pure(i) || i->op == IR_LOAD)
                    blk->sunk_until[j] = (uint16_t)k;
                break;
            }
            if (xbit(i->d) & srcs) {
                if (exits && i->op != IR_LOAD)
                    break;
                src_changed = true;
            }
        }
    }
}

void ir_optimize(ir_block *blk)
{
    fuse_rotates(blk);
    drop_dead_defs(blk);
    sink_defs(blk);
}
