/* Core-local interruptor (SiFive CLINT / ACLINT MSWI + MTIMER layout):
 * one msip and one mtimecmp per hart, one shared mtime. mtime comes from
 * a clock callback (ticks at CLINT_FREQ_HZ): counted instructions for
 * deterministic runs, or the host's monotonic clock. */
#ifndef SPLITVM_CLINT_H
#define SPLITVM_CLINT_H

#include <stdint.h>

#include "../cpu/cpu.h"

#define CLINT_BASE 0x02000000u
#define CLINT_SIZE 0x10000u
#define CLINT_MAX_HARTS 8
#define CLINT_INSNS_PER_TICK 10    /* deterministic time: one tick per 10 instructions */
#define CLINT_FREQ_HZ 10000000u    /* the timebase reported to guests (QEMU's) */

/* The time source, in ticks; need not be monotonic (mtime never goes back). */
typedef uint64_t (*clint_clock_fn)(void *opaque);

typedef struct clint {
    rv_cpu *harts[CLINT_MAX_HARTS];
    unsigned nharts;
    uint64_t mtimecmp[CLINT_MAX_HARTS];
    uint32_t msip[CLINT_MAX_HARTS];
    uint64_t time_offset; /* mtime = clock + time_offset (guest writes move it) */
    uint64_t last_mtime;  /* never go back */
    clint_clock_fn clock;
    void *clock_opaque;
} clint;

void clint_init(clint *c, rv_cpu *const *harts, unsigned nharts, clint_clock_fn clock, void *clock_opaque);
uint64_t clint_mtime(clint *c);
/* Recompute every hart's MTIP, MSIP (and Sstc's STIP) from the current time. */
void clint_update(clint *c);
/* The earliest timer compare value (mtimecmp or stimecmp) of any hart whose
 * interrupt that hart enables in mie, or UINT64_MAX. */
uint64_t clint_next_deadline(const clint *c);
/* Deterministic time: every hart waits in wfi and only a timer can wake
 * one, so jump time forward to the earliest enabled compare value. */
void clint_skip_to_timer(clint *c);
/* Move time: mtime becomes t (a guest write, or skipping forward). */
void clint_set_mtime(clint *c, uint64_t t);
int clint_read(void *dev, uint64_t off, int size, uint64_t *val);
int clint_write(void *dev, uint64_t off, int size, uint64_t val);

/* Snapshots: the timers and software interrupts. clint_load fills c (a
 * copy of the live device: its wiring is kept) and checks what it read;
 * 0, or -1 for a malformed or mismatched section. */
struct state_w;
struct state_r;
void clint_save(const clint *c, struct state_w *w);
int clint_load(clint *c, struct state_r *r);

#endif
