/* Host-neutral planning that the JIT backends share: decisions about a
 * block's IR that do not depend on the host's instructions. */
#ifndef SPLITVM_JIT_PLAN_H
#define SPLITVM_JIT_PLAN_H

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

/* The guest pc of the block's instruction `index` (its IR_INSN marker). */
uint64_t jit_insn_pc(const ir_block *blk, uint32_t index);

#endif
