/* CLINT: software interrupt and machine timer of hart 0. */
#include "clint.h"

#include "../cpu/csr.h"

enum { CLINT_MSIP = 0x0, CLINT_MTIMECMP = 0x4000, CLINT_MTIME = 0xbff8 };

void clint_init(clint *c, rv_cpu *cpu)
{
    c->cpu = cpu;
    c->mtimecmp = UINT64_MAX;
    c->time_offset = 0;
    c->last_mtime = 0;
    c->msip = 0;
}

uint64_t clint_mtime(clint *c)
{
    uint64_t t = c->cpu->instret / CLINT_INSNS_PER_TICK + c->time_offset;
    if (t < c->last_mtime)
        return c->last_mtime;
    c->last_mtime = t;
    return t;
}

static void set_mtime(clint *c, uint64_t t)
{
    c->time_offset = t - c->cpu->instret / CLINT_INSNS_PER_TICK;
    c->last_mtime = t; /* software may move time backwards */
}

void clint_update(clint *c)
{
    rv_cpu *cpu = c->cpu;
    if (clint_mtime(c) >= c->mtimecmp)
        cpu->mip |= MIP_MTIP;
    else
        cpu->mip &= ~MIP_MTIP;
    if (c->msip & 1)
        cpu->mip |= MIP_MSIP;
    else
        cpu->mip &= ~MIP_MSIP;
    rv_sstc_update(cpu);
}

/* Earliest compare value whose interrupt is enabled in mie, or UINT64_MAX. */
static uint64_t next_deadline(const clint *c)
{
    const rv_cpu *cpu = c->cpu;
    uint64_t t = UINT64_MAX;
    if (cpu->mie & MIP_MTIP)
        t = c->mtimecmp;
    if ((cpu->menvcfg & MENVCFG_STCE) && (cpu->mie & MIP_STIP) && cpu->stimecmp < t)
        t = cpu->stimecmp;
    return t;
}

void clint_skip_to_timer(clint *c)
{
    clint_update(c);
    rv_cpu *cpu = c->cpu;
    if (!cpu->wfi || (cpu->mip & cpu->mie))
        return;
    uint64_t t = next_deadline(c);
    if (t == UINT64_MAX || t <= clint_mtime(c))
        return;
    set_mtime(c, t);
    clint_update(c);
}

uint64_t clint_insns_until_timer(clint *c)
{
    uint64_t t = next_deadline(c);
    if (t == UINT64_MAX)
        return UINT64_MAX;
    uint64_t now = clint_mtime(c);
    if (t <= now)
        return 0;
    uint64_t ticks = t - now;
    if (ticks > UINT64_MAX / CLINT_INSNS_PER_TICK)
        return UINT64_MAX;
    /* Round up to the instruction that crosses the tick boundary. */
    uint64_t into_tick = c->cpu->instret % CLINT_INSNS_PER_TICK;
    return ticks * CLINT_INSNS_PER_TICK - into_tick;
}

/* Read `size` bytes at byte offset `at` of a 64-bit register. */
static uint64_t reg_slice(uint64_t reg, uint64_t at, int size)
{
    uint64_t v = reg >> (8 * at);
    return size == 8 ? v : v & (((uint64_t)1 << (8 * size)) - 1);
}

static uint64_t reg_merge(uint64_t reg, uint64_t at, int size, uint64_t val)
{
    uint64_t mask = size == 8 ? UINT64_MAX : (((uint64_t)1 << (8 * size)) - 1);
    return (reg & ~(mask << (8 * at))) | ((val & mask) << (8 * at));
}

int clint_read(void *dev, uint64_t off, int size, uint64_t *val)
{
    clint *c = dev;
    if (off < 4 && off + (uint64_t)size <= 4) {
        *val = reg_slice(c->msip, off, size);
        return 0;
    }
    if (off >= CLINT_MTIMECMP && off + (uint64_t)size <= CLINT_MTIMECMP + 8) {
        *val = reg_slice(c->mtimecmp, off - CLINT_MTIMECMP, size);
        return 0;
    }
    if (off >= CLINT_MTIME && off + (uint64_t)size <= CLINT_MTIME + 8) {
        *val = reg_slice(clint_mtime(c), off - CLINT_MTIME, size);
        return 0;
    }
    *val = 0; /* other harts' registers and gaps read as zero */
    return 0;
}

int clint_write(void *dev, uint64_t off, int size, uint64_t val)
{
    clint *c = dev;
    if (off < 4 && off + (uint64_t)size <= 4)
        c->msip = (uint32_t)reg_merge(c->msip, off, size, val) & 1;
    else if (off >= CLINT_MTIMECMP && off + (uint64_t)size <= CLINT_MTIMECMP + 8)
        c->mtimecmp = reg_merge(c->mtimecmp, off - CLINT_MTIMECMP, size, val);
    else if (off >= CLINT_MTIME && off + (uint64_t)size <= CLINT_MTIME + 8)
        set_mtime(c, reg_merge(clint_mtime(c), off - CLINT_MTIME, size, val));
    clint_update(c);
    return 0;
}
