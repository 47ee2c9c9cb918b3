/* The JIT code buffer: one memory object mapped twice (host_map_mirror),
 * executed through the RX view and written only through the RW view. */
#include "jit.h"

#include "../host/host.h"

size_t jit_codebuf_size(const rv_cpu *cpu)
{
    size_t size = cpu->jit_code_size ? cpu->jit_code_size : JIT_CODE_SIZE;
    if (size < JIT_CODE_MIN)
        size = JIT_CODE_MIN;
    if (size > JIT_CODE_MAX)
        size = JIT_CODE_MAX;
    size_t page = host_page_size();
    return (size + page - 1) & ~(page - 1);
}

bool jit_codebuf_init(jit_ctx *jc, struct host_ctx *host, size_t size)
{
    void *rx, *rw;
    if (host_map_mirror(host, size, &rx, &rw) != 0)
        return false;
    jc->rx = rx;
    jc->rw = rw;
    jc->diff = (intptr_t)((uintptr_t)rw - (uintptr_t)rx);
    jc->size = size;
    jc->used = 0;
    return true;
}

void jit_codebuf_free(jit_ctx *jc, struct host_ctx *host)
{
    if (jc->rx)
        host_release(host, jc->rx);
    if (jc->rw)
        host_release(host, jc->rw);
    jc->rx = jc->rw = NULL;
}

/* Clean the data cache over the RW alias, then invalidate the instruction
 * cache over the RX alias. x86-64 keeps instruction fetch coherent with
 * stores (to any alias), so there it is nothing; AArch64 needs both steps
 * on their own addresses. */
void jit_cache_sync(const jit_ctx *jc, const uint8_t *rw, size_t len)
{
#if defined(__aarch64__)
    uint64_t ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    uintptr_t dline = (uintptr_t)4 << ((ctr >> 16) & 15), iline = (uintptr_t)4 << (ctr & 15);
    uintptr_t start = (uintptr_t)rw, end = start + len;
    for (uintptr_t p = start & ~(dline - 1); p < end; p += dline)
        __asm__ volatile("dc cvau, %0" ::"r"(p) : "memory");
    __asm__ volatile("dsb ish" ::: "memory");
    start -= (uintptr_t)jc->diff;
    end -= (uintptr_t)jc->diff;
    for (uintptr_t p = start & ~(iline - 1); p < end; p += iline)
        __asm__ volatile("ic ivau, %0" ::"r"(p) : "memory");
    __asm__ volatile("dsb ish\n\tisb" ::: "memory");
#else
    (void)jc;
    (void)rw;
    (void)len;
#endif
}
