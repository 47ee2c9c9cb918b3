/* Core-local interruptor (SiFive CLINT layout): msip, mtimecmp, mtime.
 * Time is deterministic: mtime advances once every CLINT_INSNS_PER_TICK
 * retired instructions, plus whatever software or wfi skipping added. */
#ifndef SPLITVM_CLINT_H
#define SPLITVM_CLINT_H

#include <stdint.h>

#include "../cpu/cpu.h"

#define CLINT_BASE 0x02000000u
#define CLINT_SIZE 0x10000u
#define CLINT_INSNS_PER_TICK 10
#define CLINT_FREQ_HZ 10000000u /* the timebase reported to guests */

typedef struct clint {
    rv_cpu *cpu;
    uint64_t mtimecmp;
    uint64_t time_offset; /* mtime = instret / CLINT_INSNS_PER_TICK + time_offset */
    uint64_t last_mtime;  /* engines may count a block's instructions early: never go back */
    uint32_t msip;
} clint;

void clint_init(clint *c, rv_cpu *cpu);
uint64_t clint_mtime(clint *c);
/* Recompute mip.MTIP / MSIP (and Sstc's STIP) from the current time. */
void clint_update(clint *c);
/* The hart waits in wfi: if only a timer can wake it, jump time forward to
 * the earliest enabled compare value. */
void clint_skip_to_timer(clint *c);
/* Retired instructions until the next enabled timer fires (UINT64_MAX if none). */
uint64_t clint_insns_until_timer(clint *c);
int clint_read(void *dev, uint64_t off, int size, uint64_t *val);
int clint_write(void *dev, uint64_t off, int size, uint64_t val);

#endif
