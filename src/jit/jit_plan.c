/* Host-neutral planning shared by the JIT backends (see jit_plan.h). */
#include "jit_plan.h"

#include <string.h>

void jit_plan_span_checks(const ir_block *blk, uint8_t *access_check)
{
    memset(access_check, ACCESS_CHECKED, blk->n);
    int first[32];     /* the first access off each register's base value, -1: none yet */
    int64_t delta[32]; /* the register's value minus that base value */
    for (int r = 0; r < 32; r++) {
        first[r] = -1;
        delta[r] = 0;
    }
    for (uint32_t k = 0; k < blk->n; k++) {
        const ir_ins *i = &blk->ops[k];
        if ((i->op == IR_LOAD || i->op == IR_STORE) && IR_IS_X(i->a) && i->a != 0) {
            int64_t off = delta[i->a] + i->imm;
            if (first[i->a] >= 0 && off >= -2048 && off <= 2047) {
                access_check[first[i->a]] = ACCESS_SPAN_CHECK;
                access_check[k] = ACCESS_IN_SPAN;
            } else {
                first[i->a] = (int)k;
                delta[i->a] = 0;
            }
        }
        if (!IR_IS_X(i->d) || i->op == IR_INSN)
            continue;
        if (i->op == IR_ADD && (i->flags & IR_BIMM) && IR_IS_X(i->a) && i->a != 0 && first[i->a] >= 0 &&
            !blk->sunk_until[k] && i->imm >= -2048 && i->imm <= 2047) {
            first[i->d] = first[i->a];
            delta[i->d] = delta[i->a] + i->imm;
        } else {
            first[i->d] = -1;
        }
    }
}

bool jit_plan_self_loop(const ir_block *blk)
{
    bool self_loop = false, last = false;
    for (uint32_t k = 0; k < blk->n; k++) {
        const ir_ins *i = &blk->ops[k];
        if (i->op == IR_INSN)
            last = ir_index(i) + 1u == blk->ninsns;
        if ((i->op == IR_BRANCH || i->op == IR_GOTO) && (uint64_t)i->imm == blk->pc && last)
            self_loop = true;
    }
    return self_loop;
}

void jit_count_uses(const ir_block *blk, unsigned x_count[32], uint32_t *x_live_in, unsigned f_count[32],
                    uint32_t *f_live_in)
{
    uint32_t x_seen = 0, f_seen = 0;
    memset(x_count, 0, 32 * sizeof(*x_count));
    memset(f_count, 0, 32 * sizeof(*f_count));
    *x_live_in = *f_live_in = 0;
    for (uint32_t k = 0; k < blk->n; k++) {
        const ir_ins *i = &blk->ops[k];
        if (blk->sunk_until[k] || i->op == IR_INSN || i->op == IR_GOTO || i->op == IR_TAIL)
            continue;
        const uint8_t reads[3] = {i->a, (i->flags & IR_BIMM) ? 0 : i->b, i->c};
        for (int r = 0; r < 3; r++) {
            uint8_t v = reads[r];
            if (IR_IS_X(v) && v) {
                x_count[v]++;
                if (!(x_seen >> v & 1))
                    *x_live_in |= 1u << v;
                x_seen |= 1u << v;
            } else if (IR_IS_F(v)) {
                unsigned f = v - 32u;
                f_count[f]++;
                if (!(f_seen >> f & 1))
                    *f_live_in |= 1u << f;
                f_seen |= 1u << f;
            }
        }
        if (IR_IS_X(i->d) && i->d) {
            x_count[i->d]++;
            x_seen |= 1u << i->d;
        } else if (IR_IS_F(i->d)) {
            f_count[i->d - 32]++;
            f_seen |= 1u << (i->d - 32);
        }
    }
}

int jit_rank_busiest(const unsigned count[32], unsigned min_uses, int limit, int *order)
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

uint32_t jit_plan_sunk_list(const ir_block *blk, uint16_t *sunk)
{
    uint32_t n = 0;
    for (uint32_t k = 0; k < blk->n; k++)
        if (blk->sunk_until[k])
            sunk[n++] = (uint16_t)k;
    return n;
}

bool jit_plan_sunk_at(const ir_block *blk, uint32_t j, uint32_t leave_op, ir_ins *op)
{
    if (leave_op > blk->sunk_until[j])
        return false;
    *op = blk->ops[j];
    if (blk->sunk_alt_from[j] && leave_op > blk->sunk_alt_from[j]) { /* a source moved */
        if (op->a == blk->sunk_alt[j][0])
            op->a = blk->sunk_alt[j][1];
        if (!(op->flags & IR_BIMM) && op->b == blk->sunk_alt[j][0])
            op->b = blk->sunk_alt[j][1];
    }
    return true;
}

uint64_t jit_insn_pc(const ir_block *blk, uint32_t index)
{
    uint64_t pc = blk->pc;
    for (uint32_t o = 0; o < blk->n; o++)
        if (blk->ops[o].op == IR_INSN && ir_index(&blk->ops[o]) == index)
            pc = (uint64_t)blk->ops[o].imm;
    return pc;
}
