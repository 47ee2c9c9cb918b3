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

uint64_t jit_insn_pc(const ir_block *blk, uint32_t index)
{
    uint64_t pc = blk->pc;
    for (uint32_t o = 0; o < blk->n; o++)
        if (blk->ops[o].op == IR_INSN && ir_index(&blk->ops[o]) == index)
            pc = (uint64_t)blk->ops[o].imm;
    return pc;
}
