/* PLIC: gateways, priorities, per-context enables, claim and complete. */
#include "plic.h"

#include <string.h>

#include "../state/state_io.h"

enum { PRIORITY_BASE = 0x0, PENDING_BASE = 0x1000, ENABLE_BASE = 0x2000, ENABLE_STRIDE = 0x80 };

static int bit(const uint32_t *set, unsigned src) { return (set[src / 32] >> (src % 32)) & 1; }

static void put_bit(uint32_t *set, unsigned src, int on)
{
    uint32_t m = 1u << (src % 32);
    set[src / 32] = on ? (set[src / 32] | m) : (set[src / 32] & ~m);
}

/* The best source context ctx may take: enabled, pending, priority above the
 * threshold; the highest priority, the lowest id on ties. 0 if none. */
static unsigned best_source(const plic *p, unsigned ctx)
{
    unsigned best = 0, best_prio = p->threshold[ctx];
    for (unsigned w = 0; w < PLIC_WORDS; w++) {
        uint32_t ready = p->pending[w] & p->enable[ctx][w];
        while (ready) {
            unsigned src = w * 32 + (unsigned)__builtin_ctz(ready);
            ready &= ready - 1;
            if (p->priority[src] > best_prio) {
                best = src;
                best_prio = p->priority[src];
            }
        }
    }
    return best;
}

void plic_update(plic *p)
{
    for (unsigned ctx = 0; ctx < p->ncontexts; ctx++)
        irq_set(&p->out[ctx], best_source(p, ctx) != 0);
}

void plic_init(plic *p, unsigned nharts)
{
    memset(p, 0, sizeof(*p));
    if (nharts < 1)
        nharts = 1;
    if (nharts > PLIC_MAX_HARTS)
        nharts = PLIC_MAX_HARTS;
    p->ncontexts = 2 * nharts;
}

void plic_connect(plic *p, unsigned ctx, irq_line line)
{
    if (ctx < p->ncontexts) {
        p->out[ctx] = line;
        irq_set(&p->out[ctx], best_source(p, ctx) != 0);
    }
}

void plic_set_irq(void *opaque, unsigned source, int level)
{
    plic *p = opaque;
    if (source == 0 || source >= PLIC_SOURCES)
        return;
    put_bit(p->level, source, level);
    if (!bit(p->claimed, source)) /* a claimed source waits for completion */
        put_bit(p->pending, source, level);
    plic_update(p);
}

static uint32_t claim(plic *p, unsigned ctx)
{
    unsigned src = best_source(p, ctx);
    if (src) {
        put_bit(p->pending, src, 0);
        put_bit(p->claimed, src, 1);
    }
    return src;
}

static void complete(plic *p, unsigned ctx, uint64_t src)
{
    /* As the spec says, an id the context does not enable is ignored. */
    if (src == 0 || src >= PLIC_SOURCES || !bit(p->enable[ctx], (unsigned)src))
        return;
    put_bit(p->claimed, (unsigned)src, 0);
    put_bit(p->pending, (unsigned)src, bit(p->level, (unsigned)src));
}

int plic_read(void *dev, uint64_t off, int size, uint64_t *val)
{
    plic *p = dev;
    if (size != 4 || (off & 3))
        return -1;
    uint32_t v = 0;
    if (off < PLIC_SOURCES * 4) {
        v = p->priority[off / 4];
    } else if (off >= PENDING_BASE && off < PENDING_BASE + PLIC_WORDS * 4) {
        v = p->pending[(off - PENDING_BASE) / 4];
    } else if (off >= ENABLE_BASE && off < ENABLE_BASE + (uint64_t)p->ncontexts * ENABLE_STRIDE) {
        uint64_t ctx = (off - ENABLE_BASE) / ENABLE_STRIDE, word = (off - ENABLE_BASE) % ENABLE_STRIDE / 4;
        if (word < PLIC_WORDS)
            v = p->enable[ctx][word];
    } else if (off >= PLIC_CONTEXT_BASE && off < PLIC_SIZE(p->ncontexts)) {
        unsigned ctx = (unsigned)((off - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE);
        uint64_t reg = (off - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
        if (reg == 0) {
            v = p->threshold[ctx];
        } else if (reg == 4) {
            v = claim(p, ctx);
            plic_update(p);
        }
    }
    *val = v;
    return 0;
}

int plic_write(void *dev, uint64_t off, int size, uint64_t val)
{
    plic *p = dev;
    if (size != 4 || (off & 3))
        return -1;
    uint32_t v = (uint32_t)val;
    if (off < PLIC_SOURCES * 4) {
        if (off) /* source 0 does not exist */
            p->priority[off / 4] = v & PLIC_MAX_PRIORITY;
    } else if (off >= ENABLE_BASE && off < ENABLE_BASE + (uint64_t)p->ncontexts * ENABLE_STRIDE) {
        uint64_t ctx = (off - ENABLE_BASE) / ENABLE_STRIDE, word = (off - ENABLE_BASE) % ENABLE_STRIDE / 4;
        if (word < PLIC_WORDS)
            p->enable[ctx][word] = word ? v : v & ~1u;
    } else if (off >= PLIC_CONTEXT_BASE && off < PLIC_SIZE(p->ncontexts)) {
        unsigned ctx = (unsigned)((off - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE);
        uint64_t reg = (off - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;
        if (reg == 0)
            p->threshold[ctx] = v & PLIC_MAX_PRIORITY;
        else if (reg == 4)
            complete(p, ctx, v);
    }
    /* Pending bits are read-only: their writes fall through, ignored. */
    plic_update(p);
    return 0;
}

void plic_save(const plic *p, state_w *w)
{
    state_put_u32(w, p->ncontexts);
    state_put_bytes(w, p->priority, sizeof(p->priority));
    for (unsigned i = 0; i < PLIC_WORDS; i++) {
        state_put_u32(w, p->level[i]);
        state_put_u32(w, p->pending[i]);
        state_put_u32(w, p->claimed[i]);
    }
    for (unsigned ctx = 0; ctx < p->ncontexts; ctx++) {
        for (unsigned i = 0; i < PLIC_WORDS; i++)
            state_put_u32(w, p->enable[ctx][i]);
        state_put_u8(w, p->threshold[ctx]);
    }
}

int plic_load(plic *p, state_r *r)
{
    state_require(r, state_get_u32(r) == p->ncontexts);
    state_get_bytes(r, p->priority, sizeof(p->priority));
    state_require(r, p->priority[0] == 0); /* source 0 does not exist */
    for (unsigned s = 0; s < PLIC_SOURCES; s++)
        state_require(r, p->priority[s] <= PLIC_MAX_PRIORITY);
    for (unsigned i = 0; i < PLIC_WORDS; i++) {
        p->level[i] = state_get_u32(r);
        p->pending[i] = state_get_u32(r);
        p->claimed[i] = state_get_u32(r);
    }
    state_require(r, !((p->level[0] | p->pending[0] | p->claimed[0]) & 1));
    for (unsigned ctx = 0; ctx < p->ncontexts && !r->bad; ctx++) {
        for (unsigned i = 0; i < PLIC_WORDS; i++)
            p->enable[ctx][i] = state_get_u32(r);
        state_require(r, !(p->enable[ctx][0] & 1));
        p->threshold[ctx] = state_get_u8(r);
        state_require(r, p->threshold[ctx] <= PLIC_MAX_PRIORITY);
    }
    return state_r_ok(r) ? 0 : -1;
}
