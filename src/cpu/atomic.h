/* The A extension (LR/SC and the AMOs) on guest memory, shared by the
 * engines: the interpreter and the JIT's helper call the same code. */
#ifndef SPLITVM_CPU_ATOMIC_H
#define SPLITVM_CPU_ATOMIC_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"
#include "decode.h"

static inline bool rv_is_atomic(int op) { return op >= RV_OP_LR_W && op <= RV_OP_AMOMAXU_D; }

/* Run atomic operation `op` (an RV_OP_LR_W..RV_OP_AMOMAXU_D) at guest
 * address va with source value src. Returns 0 and the value for rd in *rd,
 * or the trap cause (tval is va); rd is unchanged on a trap. */
int rv_atomic(rv_cpu *cpu, int op, uint64_t va, uint64_t src, uint64_t *rd);

#endif
