/* System-mode address translation (Bare, Sv39, Sv48) over a board's bus. */
#ifndef SPLITVM_MMU_H
#define SPLITVM_MMU_H

#include "../cpu/cpu.h"
#include "bus.h"

/* Translate va for one access kind (RV_ACC_R/W/X) as the board's
 * env.translate. Returns 0 or the page-fault / access-fault cause. */
int mmu_translate(rv_cpu *cpu, bus *b, uint64_t va, int access, rv_xlate *out);

#endif
