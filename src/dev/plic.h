/* The SiFive PLIC as QEMU's virt board configures it: sources 1..95 with
 * 3-bit priorities, two contexts per hart (2h: M mode, 2h+1: S mode), the
 * SiFive register layout. Inputs are level-triggered through a gateway: a
 * source's pending bit follows its line until claimed, and a claimed source
 * is not pending again before its completion. Plain state: copyable. */
#ifndef SPLITVM_DEV_PLIC_H
#define SPLITVM_DEV_PLIC_H

#include <stdint.h>

#include "irq.h"

#define PLIC_BASE 0x0c000000u
#define PLIC_SOURCES 96 /* ids 0..95; 0 means none */
#define PLIC_MAX_PRIORITY 7
#define PLIC_MAX_HARTS 8
#define PLIC_MAX_CONTEXTS (2 * PLIC_MAX_HARTS)
#define PLIC_WORDS (PLIC_SOURCES / 32)
#define PLIC_CONTEXT_BASE 0x200000u
#define PLIC_CONTEXT_STRIDE 0x1000u
/* The window for n contexts, as QEMU's VIRT_PLIC_SIZE. */
#define PLIC_SIZE(contexts) (PLIC_CONTEXT_BASE + (uint64_t)(contexts) * PLIC_CONTEXT_STRIDE)

typedef struct plic {
    unsigned ncontexts;
    irq_line out[PLIC_MAX_CONTEXTS]; /* wiring: context -> hart MEIP/SEIP */

    uint8_t priority[PLIC_SOURCES];
    uint32_t level[PLIC_WORDS];   /* input lines as last driven */
    uint32_t pending[PLIC_WORDS];
    uint32_t claimed[PLIC_WORDS]; /* in service: the gateway holds them */
    uint32_t enable[PLIC_MAX_CONTEXTS][PLIC_WORDS];
    uint8_t threshold[PLIC_MAX_CONTEXTS];
} plic;

/* nharts 1..PLIC_MAX_HARTS (clamped); out[] is wired afterwards with
 * plic_connect, or by writing p->out directly. */
void plic_init(plic *p, unsigned nharts);
/* Wire context ctx's output (2*hart for M mode, 2*hart+1 for S mode). */
void plic_connect(plic *p, unsigned ctx, irq_line line);
/* Input side, an irq_set_fn: opaque is the plic, line the source id. */
void plic_set_irq(void *opaque, unsigned source, int level);
/* Drive every context output from the current state. */
void plic_update(plic *p);

/* Bus accessors: 32-bit aligned accesses only (others fault, as in QEMU);
 * unimplemented words inside the window read 0 and ignore writes. */
int plic_read(void *dev, uint64_t off, int size, uint64_t *val);
int plic_write(void *dev, uint64_t off, int size, uint64_t val);

/* Snapshots: priorities, enables, thresholds, and the lines pending and in service. plic_load fills p (a copy of the live device: its
 * wiring is kept) and checks every value is one the device could hold;
 * 0, or -1 for a malformed section. */
struct state_w;
struct state_r;
void plic_save(const plic *p, struct state_w *w);
int plic_load(plic *p, struct state_r *r);

#endif
