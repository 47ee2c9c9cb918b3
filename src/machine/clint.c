/* CLINT: per-hart software interrupts and machine timers, shared mtime. */
#include "clint.h"

#include "../cpu/csr.h"
#include "../state/state_io.h"

enum { CLINT_MSIP = 0x0, CLINT_MTIMECMP = 0x4000, CLINT_MTIME = 0xbff8 };

void clint_init(clint *c, rv_cpu *const *harts, unsigned nharts, clint_clock_fn clock, void *clock_opaque)
{
    if (nharts > CLINT_MAX_HARTS)
        nharts = CLINT_MAX_HARTS;
    *c = (clint){0};
    for (unsigned h = 0; h < nharts; h++) {
        c->harts[h] = harts[h];
        c->mtimecmp[h] = UINT64_MAX;
    }
    c->nharts = nharts;
    c->clock = clock;
    c->clock_opaque = clock_opaque;
}

uint64_t clint_mtime(clint *c)
{
    uint64_t t = c->clock(c->clock_opaque) + c->time_offset;
    if (t < c->last_mtime)
        return c->last_mtime;
    c->last_mtime = t;
    return t;
}

void clint_set_mtime(clint *c, uint64_t t)
{
    c->time_offset = t - c->clock(c->clock_opaque);
    c->last_mtime = t; /* software may move time backwards */
}

void clint_update(clint *c)
{
    uint64_t now = clint_mtime(c);
    for (unsigned h = 0; h < c->nharts; h++) {
        rv_cpu *cpu = c->harts[h];
        if (now >= c->mtimecmp[h])
            cpu->mip |= MIP_MTIP;
        else
            cpu->mip &= ~MIP_MTIP;
        if (c->msip[h] & 1)
            cpu->mip |= MIP_MSIP;
        else
            cpu->mip &= ~MIP_MSIP;
        rv_sstc_update(cpu);
    }
}

uint64_t clint_next_deadline(const clint *c)
{
    uint64_t t = UINT64_MAX;
    for (unsigned h = 0; h < c->nharts; h++) {
        const rv_cpu *cpu = c->harts[h];
        if ((cpu->mie & MIP_MTIP) && c->mtimecmp[h] < t)
            t = c->mtimecmp[h];
        if ((cpu->menvcfg & MENVCFG_STCE) && (cpu->mie & MIP_STIP) && cpu->stimecmp < t)
            t = cpu->stimecmp;
    }
    return t;
}

void clint_skip_to_timer(clint *c)
{
    clint_update(c);
    for (unsigned h = 0; h < c->nharts; h++) {
        const rv_cpu *cpu = c->harts[h];
        if (!cpu->wfi || (cpu->mip & cpu->mie))
            return; /* some hart can run */
    }
    uint64_t t = clint_next_deadline(c);
    if (t == UINT64_MAX || t <= clint_mtime(c))
        return;
    clint_set_mtime(c, t);
    clint_update(c);
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

/* The hart whose 4-byte msip or 8-byte mtimecmp holds [off, off+size), or -1. */
static int reg_hart(const clint *c, uint64_t off, int size, uint64_t base, unsigned width)
{
    if (off < base)
        return -1;
    uint64_t h = (off - base) / width;
    if (h >= c->nharts || (off - base) % width + (uint64_t)size > width)
        return -1;
    return (int)h;
}

int clint_read(void *dev, uint64_t off, int size, uint64_t *val)
{
    clint *c = dev;
    int h;
    if ((h = reg_hart(c, off, size, CLINT_MSIP, 4)) >= 0)
        *val = reg_slice(c->msip[h], (off - CLINT_MSIP) % 4, size);
    else if ((h = reg_hart(c, off, size, CLINT_MTIMECMP, 8)) >= 0)
        *val = reg_slice(c->mtimecmp[h], (off - CLINT_MTIMECMP) % 8, size);
    else if (off >= CLINT_MTIME && off + (uint64_t)size <= CLINT_MTIME + 8)
        *val = reg_slice(clint_mtime(c), off - CLINT_MTIME, size);
    else
        *val = 0; /* gaps and absent harts read as zero */
    return 0;
}

int clint_write(void *dev, uint64_t off, int size, uint64_t val)
{
    clint *c = dev;
    int h;
    if ((h = reg_hart(c, off, size, CLINT_MSIP, 4)) >= 0)
        c->msip[h] = (uint32_t)reg_merge(c->msip[h], (off - CLINT_MSIP) % 4, size, val) & 1;
    else if ((h = reg_hart(c, off, size, CLINT_MTIMECMP, 8)) >= 0)
        c->mtimecmp[h] = reg_merge(c->mtimecmp[h], (off - CLINT_MTIMECMP) % 8, size, val);
    else if (off >= CLINT_MTIME && off + (uint64_t)size <= CLINT_MTIME + 8)
        clint_set_mtime(c, reg_merge(clint_mtime(c), off - CLINT_MTIME, size, val));
    clint_update(c);
    return 0;
}

void clint_save(const clint *c, state_w *w)
{
    state_put_u32(w, c->nharts);
    for (unsigned h = 0; h < c->nharts; h++) {
        state_put_u64(w, c->mtimecmp[h]);
        state_put_u32(w, c->msip[h]);
    }
    state_put_u64(w, c->time_offset);
    state_put_u64(w, c->last_mtime);
}

int clint_load(clint *c, state_r *r)
{
    state_require(r, state_get_u32(r) == c->nharts);
    for (unsigned h = 0; h < c->nharts && !r->bad; h++) {
        c->mtimecmp[h] = state_get_u64(r);
        c->msip[h] = state_get_u32(r);
        state_require(r, c->msip[h] <= 1); /* only bit 0 is writable */
    }
    c->time_offset = state_get_u64(r);
    c->last_mtime = state_get_u64(r);
    return state_r_ok(r) ? 0 : -1;
}
