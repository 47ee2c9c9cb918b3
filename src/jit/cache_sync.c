/* Cache maintenance after emitting or patching code (see cache_sync.h).
 *
 * x86-64 keeps instruction fetch coherent with stores to any alias: nothing
 * to do. AArch64, as the architecture asks for code written at one virtual
 * address and run at another: clean the data cache to the point of
 * unification over the RW range (dc cvau), dsb ish, invalidate the
 * instruction cache over the RX range (ic ivau), dsb ish, isb. Line sizes
 * come from CTR_EL0 (DminLine, IminLine: log2 of words); CTR_EL0.IDC says the
 * clean is not needed for coherence and CTR_EL0.DIC that the invalidation is
 * not (the barriers stay). Apple targets use the system's
 * sys_icache_invalidate, which does the same over one address. */
#include "cache_sync.h"

#if defined(__APPLE__) && defined(__aarch64__)
#include <libkern/OSCacheControl.h>
#endif

#if defined(__aarch64__) && !defined(__APPLE__)
#define CTR_IDC (1ull << 28)
#define CTR_DIC (1ull << 29)

static uint64_t read_ctr(void)
{
    static uint64_t ctr; /* read once; a racing first read stores the same value */
    uint64_t v = __atomic_load_n(&ctr, __ATOMIC_RELAXED);
    if (!v) {
        __asm__ volatile("mrs %0, ctr_el0" : "=r"(v));
        __atomic_store_n(&ctr, v, __ATOMIC_RELAXED);
    }
    return v;
}
#endif

void jit_cache_sync_range(const uint8_t *rw, uintptr_t rx, size_t len)
{
#if defined(__aarch64__) && !defined(__APPLE__)
    uint64_t ctr = read_ctr();
    if (!(ctr & CTR_IDC)) {
        uintptr_t line = (uintptr_t)4 << ((ctr >> 16) & 15);
        for (uintptr_t p = (uintptr_t)rw & ~(line - 1); p < (uintptr_t)rw + len; p += line)
            __asm__ volatile("dc cvau, %0" ::"r"(p) : "memory");
    }
    __asm__ volatile("dsb ish" ::: "memory");
    if (!(ctr & CTR_DIC)) {
        uintptr_t line = (uintptr_t)4 << (ctr & 15);
        for (uintptr_t p = rx & ~(line - 1); p < rx + len; p += line)
            __asm__ volatile("ic ivau, %0" ::"r"(p) : "memory");
        __asm__ volatile("dsb ish" ::: "memory");
    }
    __asm__ volatile("isb" ::: "memory");
#elif defined(__APPLE__) && defined(__aarch64__)
    /* Darwin's data and instruction caches are cleaned by address; the
     * invalidation over the executable alias is the part that matters. */
    (void)rw;
    sys_icache_invalidate((void *)rx, len);
#else
    (void)rw;
    (void)rx;
    (void)len;
#endif
}
