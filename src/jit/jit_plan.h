/* Host-neutral planning that the JIT backends share: decisions about a
 * block's IR that do not depend on the host's instructions. */
#ifndef SPLITVM_JIT_PLAN_H
#define SPLITVM_JIT_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "ir.h"

/* How a user-mode access (in the flat region) checks its guest address: on
 * its own; or, for several accesses off one value of a base register, the
 * first checks the base's whole 12-bit offset span once (failing: the
 * interpreter runs from there) and the others go unchecked. */
enum { ACCESS_CHECKED, ACCESS_SPAN_CHECK, ACCESS_IN_SPAN };

/* access_check[k] for every operation k of blk: ACCESS_* for its LOAD or
 * STORE (ACCESS_CHECKED for everything else). A register that is a checked
 * base value plus a constant (addi, as loops step their pointers; not a
 * sunk one) counts as that base while its accesses stay within the span. */
void jit_plan_span_checks(const ir_block *blk, uint8_t *access_check);

/* ---- register allocation's host-neutral part ----
 * A backend keeps the guest registers a block uses most in host registers:
 * it counts the uses (jit_count_uses, or its own count where its code reads
 * registers differently), ranks them (jit_rank_busiest) and gives its
 * hosts in that order. A register used once is worth a host register only
 * in a block that loops to itself (its load and store are paid once for
 * all iterations). */
#define JIT_MIN_USES(loops) ((loops) ? 1u : 2u)

/* Whether the block's last instruction branches or jumps back to its start
 * (an inner loop a backend may run without leaving the block). */
bool jit_plan_self_loop(const ir_block *blk);

/* Each guest register's uses in blk's operations, as a source or the
 * destination (the INSN, GOTO and TAIL markers and sunk operations, which
 * run on the ways out only, left out): X registers (x0 not counted) in
 * x_count, F registers in f_count (f0 at 0). *x_live_in and *f_live_in get
 * the registers read before the block writes them. */
void jit_count_uses(const ir_block *blk, unsigned x_count[32], uint32_t *x_live_in, unsigned f_count[32],
                    uint32_t *f_live_in);

/* Up to `limit` of the 32 entries of `count` used at least min_uses times,
 * busiest first (ties: the lowest index), into order; returns how many. */
int jit_rank_busiest(const unsigned count[32], unsigned min_uses, int limit, int *order);

/* ---- sunk definitions on the ways out ----
 * A backend that computes sunk operations (ir_block.sunk_until) on the
 * ways out only lists them once per block (jit_plan_sunk_list: their
 * indices, in order; returns how many) and, for a way out after operation
 * leave_op, asks of each one before leave_op whether that way out must
 * compute it (jit_plan_sunk_at: false once its register has been written
 * again) and gets it in *op with the source it reads there (sunk_alt: a
 * source moved to another register after sunk_alt_from). */
uint32_t jit_plan_sunk_list(const ir_block *blk, uint16_t *sunk);
bool jit_plan_sunk_at(const ir_block *blk, uint32_t j, uint32_t leave_op, ir_ins *op);

/* The guest pc of the block's instruction `index` (its IR_INSN marker). */
uint64_t jit_insn_pc(const ir_block *blk, uint32_t index);

#endif
