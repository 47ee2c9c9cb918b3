/* The JIT code buffer: one memory object mapped twice (host_map_mirror),
 * executed through the RX view and written only through the RW view. */
#include "jit.h"

#include "../host/host.h"
#include "cache_sync.h"

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

/* Make [rw, rw+len) visible to instruction fetch at its RX alias. */
void jit_cache_sync(const jit_ctx *jc, const uint8_t *rw, size_t len)
{
    jit_cache_sync_range(rw, (uintptr_t)rw - (uintptr_t)jc->diff, len);
}

uintptr_t jit_codebuf_commit(jit_ctx *jc, const uint8_t *rw, size_t len)
{
    jit_cache_sync(jc, rw, len);
    jit_code_hash_block(jc, rw, len);
    jc->used += (len + 15) & ~(size_t)15;
    return (uintptr_t)rw - (uintptr_t)jc->diff;
}
