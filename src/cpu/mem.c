/* Soft-TLB slow paths: refill through env.translate, misaligned and
 * page-crossing accesses, and MMIO. Callers get 0 or an exception cause. */
#include "cpu.h"

static int cause_for(int access)
{
    return access == RV_ACC_W ? RV_EXC_STORE_ACCESS : access == RV_ACC_X ? RV_EXC_INSN_ACCESS : RV_EXC_LOAD_ACCESS;
}

/* Translate va's page and remember what may be cached for it: from the
 * live regime's bank when it holds the page (tlb.c), else by a walk. */
static int refill(rv_cpu *cpu, uint64_t va, int access, rv_xlate *x)
{
    if (rv_tlb_reload(cpu, va, access, x))
        return 0;
    x->leaf_shift = RV_PAGE_SHIFT;
    x->user_page = false;
    int r = cpu->env.translate(cpu, va, access, x);
    if (r)
        return r;
    /* Watched pages: every data access comes back here to be looked at. */
    if (unlikely(cpu->debug != NULL) && cpu->debug->nwatch && rv_debug_watches_page(cpu->debug, va))
        x->cache_prot &= ~(RV_ACC_R | RV_ACC_W);
    rv_tlb_fill(cpu, va, access, x);
    return 0;
}

void rv_watch_access(rv_cpu *cpu, uint64_t va, int size, int kind)
{
    const rv_debug *d = cpu->debug;
    if (likely(!d || !d->nwatch))
        return;
    for (unsigned i = 0; i < d->nwatch; i++) {
        const rv_watch *w = &d->watch[i];
        if ((w->kind & kind) && w->addr < va + (uint64_t)size && va < w->addr + w->len) {
            cpu->watch_addr = va > w->addr ? va : w->addr;
            cpu->watch_kind = kind;
            cpu->stop = RV_STOP_BREAK;
            return;
        }
    }
}

/* An access that stays within one page (it may be misaligned). */
static int load_in_page(rv_cpu *cpu, uint64_t va, int size, uint64_t *val)
{
    rv_xlate x;
    int r = refill(cpu, va, RV_ACC_R, &x);
    if (r)
        return r;
    if (!x.host_page) {
        if (!cpu->env.mmio_read)
            return RV_EXC_LOAD_ACCESS;
        r = cpu->env.mmio_read(cpu, x.pa, size, val);
    } else {
        uint64_t v = 0;
        memcpy(&v, x.host_page + (va & ~RV_PAGE_MASK), (size_t)size); /* little-endian host */
        *val = v;
    }
    if (!r)
        rv_watch_access(cpu, va, size, RV_ACC_R);
    return r;
}

static int store_in_page(rv_cpu *cpu, uint64_t va, int size, uint64_t val)
{
    rv_xlate x;
    int r = refill(cpu, va, RV_ACC_W, &x);
    if (r)
        return r;
    if (!x.host_page) {
        if (!cpu->env.mmio_write)
            return RV_EXC_STORE_ACCESS;
        r = cpu->env.mmio_write(cpu, x.pa, size, val);
    } else {
        memcpy(x.host_page + (va & ~RV_PAGE_MASK), &val, (size_t)size);
    }
    if (!r)
        rv_watch_access(cpu, va, size, RV_ACC_W);
    return r;
}

static int crosses_page(uint64_t va, int size)
{
    return (va & ~RV_PAGE_MASK) + (uint64_t)size > RV_PAGE_SIZE;
}

int rv_load_slow(rv_cpu *cpu, uint64_t va, int size, uint64_t *val)
{
    if (!crosses_page(va, size))
        return load_in_page(cpu, va, size, val);
    /* Split at the page boundary; both halves are checked before use. */
    int lo = (int)(RV_PAGE_SIZE - (va & ~RV_PAGE_MASK));
    uint64_t a, b;
    int r = load_in_page(cpu, va, lo, &a);
    if (!r)
        r = load_in_page(cpu, va + (uint64_t)lo, size - lo, &b);
    if (r)
        return r;
    *val = a | (b << (8 * lo));
    return 0;
}

int rv_store_slow(rv_cpu *cpu, uint64_t va, int size, uint64_t val)
{
    if (!crosses_page(va, size))
        return store_in_page(cpu, va, size, val);
    /* Check the second page is writable before writing the first. */
    int lo = (int)(RV_PAGE_SIZE - (va & ~RV_PAGE_MASK));
    rv_xlate x;
    int r = cpu->env.translate(cpu, va + (uint64_t)lo, RV_ACC_W, &x);
    if (!r)
        r = store_in_page(cpu, va, lo, val);
    if (!r)
        r = store_in_page(cpu, va + (uint64_t)lo, size - lo, val >> (8 * lo));
    return r;
}

int rv_amo_ptr(rv_cpu *cpu, uint64_t va, int size, void **ptr)
{
    if (va & (uint64_t)(size - 1))
        return RV_EXC_STORE_MISALIGNED;
    rv_tlb_entry *e = &cpu->tlb[RV_TLB_IDX(va)];
    if (e->tag_w == (va & RV_PAGE_MASK) && e->tag_r == (va & RV_PAGE_MASK)) {
        *ptr = (void *)(e->addend + (uintptr_t)va);
        return 0;
    }
    rv_xlate x;
    int r = refill(cpu, va, RV_ACC_W, &x);
    if (r)
        return r;
    if (!x.host_page)
        return RV_EXC_STORE_ACCESS; /* no atomics on MMIO */
    *ptr = x.host_page + (va & ~RV_PAGE_MASK);
    rv_watch_access(cpu, va, size, RV_ACC_R | RV_ACC_W); /* (before the access: the stop comes after it) */
    return 0;
}

int rv_fetch_ptr(rv_cpu *cpu, uint64_t va, const uint8_t **ptr, size_t *avail)
{
    const rv_tlb_entry *e = &cpu->tlb[RV_TLB_IDX(va)];
    *avail = RV_PAGE_SIZE - (va & ~RV_PAGE_MASK);
    if (likely(e->tag_x == (va & RV_PAGE_MASK))) {
        *ptr = (const uint8_t *)(e->addend + (uintptr_t)va);
        return 0;
    }
    rv_xlate x;
    int r = refill(cpu, va, RV_ACC_X, &x);
    if (r)
        return r;
    if (!x.host_page)
        return cause_for(RV_ACC_X);
    *ptr = x.host_page + (va & ~RV_PAGE_MASK);
    return 0;
}
