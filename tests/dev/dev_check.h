/* Shared by the device tests: counted checks and an interrupt-line probe. */
#ifndef SPLITVM_TEST_DEV_CHECK_H
#define SPLITVM_TEST_DEV_CHECK_H

#include <stdint.h>

#include "../../src/dev/irq.h"
#include "../../src/machine/bus.h"
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

/* Aligned 32-bit register accesses that must not fault. */
static inline uint32_t dev_rd32(bus_read_fn read, void *dev, uint64_t off)
{
    uint64_t v = 0xdeadbeef;
    CHECK(read(dev, off, 4, &v) == 0, "read %#llx", (unsigned long long)off);
    return (uint32_t)v;
}

static inline void dev_wr32(bus_write_fn write, void *dev, uint64_t off, uint32_t v)
{
    CHECK(write(dev, off, 4, v) == 0, "write %#llx", (unsigned long long)off);
}

#endif
