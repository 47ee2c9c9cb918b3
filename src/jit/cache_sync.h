/* Making code written through the RW view of the mirrored buffer visible to
 * instruction fetch at its RX view (platform rule 1). Host-neutral header,
 * usable without a jit_ctx (tests/unit/test_cache_sync.c). */
#ifndef SPLITVM_JIT_CACHE_SYNC_H
#define SPLITVM_JIT_CACHE_SYNC_H

#include <stddef.h>
#include <stdint.h>

/* [rw, rw+len) was written; the same bytes execute at rx. After this returns,
 * this thread fetches the new bytes, and other threads do after their next
 * context synchronization (a B patched in place, which AArch64 allows to
 * change under a running thread, is seen without one). */
void jit_cache_sync_range(const uint8_t *rw, uintptr_t rx, size_t len);

#endif
