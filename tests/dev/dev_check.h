/* Shared by the device tests: counted checks and an interrupt-line probe. */
#ifndef SPLITVM_TEST_DEV_CHECK_H
#define SPLITVM_TEST_DEV_CHECK_H

#include "../../src/dev/irq.h"
#include "../common/host_check.h"

/* The far end of interrupt lines: the level of each input and how often it
 * was driven. */
typedef struct irq_probe {
    int level[64];
    int calls;
} irq_probe;

static inline void irq_probe_set(void *opaque, unsigned line, int level)
{
    irq_probe *p = opaque;
    if (line < 64)
        p->level[line] = level;
    p->calls++;
}

static inline irq_line irq_probe_line(irq_probe *p, unsigned line)
{
    irq_line l = {irq_probe_set, p, line};
    return l;
}

#endif
