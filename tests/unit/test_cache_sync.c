/* Cache maintenance on AArch64 (src/jit/cache_sync.c): code is written
 * through the RW view of a mirrored buffer (host_map_mirror) and run through
 * its RX view, as the JIT does.
 *   1. One thread: the entry's B is patched to one of four targets (each
 *      returns its own number), the range synced, the entry called; every
 *      call must return the new target's number.
 *   2. Chained jump patched while code runs: a second thread calls the entry
 *      in a loop; after each patch and sync it must come to the new target
 *      (within a bound) and never return anything but the old or the new. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../src/host/host.h"
#include "code_runner.h"
#include "../../src/jit/cache_sync.h"

#define TARGETS 4
#define PATCHES_SERIAL 20000
#define PATCHES_LIVE 2000

static uint32_t *rw_words;
static uintptr_t rx_base;

static uint32_t insn_b(unsigned from_word, unsigned to_word)
{
    return 0x14000000u | ((uint32_t)(to_word - from_word) & 0x03ffffffu);
}

static unsigned target_word(unsigned k) { return 4 + 2 * k; }

static void patch_entry(unsigned k)
{
    __atomic_store_n(&rw_words[0], insn_b(0, target_word(k)), __ATOMIC_RELAXED);
    jit_cache_sync_range((const uint8_t *)rw_words, rx_base, 4);
}

int main(void)
{
    host_ctx *h = host_create();
    void *rx, *rw;
    if (!h || host_map_mirror(h, 65536, &rx, &rw) != 0) {
        fprintf(stderr, "test_cache_sync: no mirrored buffer\n");
        return 1;
    }
    rw_words = rw;
    rx_base = (uintptr_t)rx;
    for (unsigned k = 0; k < TARGETS; k++) {
        rw_words[target_word(k)] = 0x52800000u | (k << 5); /* movz w0, #k */
        rw_words[target_word(k) + 1] = 0xd65f03c0u;       /* ret */
    }
    rw_words[1] = rw_words[2] = rw_words[3] = 0xd503201fu; /* nop */
    patch_entry(0);
    jit_cache_sync_range((const uint8_t *)rw_words, rx_base, 4 * (target_word(TARGETS)));

    int failures = 0;
    code_fn f = (code_fn)rx_base;
    for (unsigned i = 0; i < PATCHES_SERIAL; i++) {
        unsigned k = (i * 7 + 1) % TARGETS;
        patch_entry(k);
        unsigned got = f();
        if (got != k) {
            if (failures++ < 5)
                fprintf(stderr, "serial patch %u: ran target %u, expected %u\n", i, got, k);
        }
    }

    pthread_t t;
    patch_entry(0);
    if (pthread_create(&t, NULL, runner, (void *)rx_base) != 0) {
        fprintf(stderr, "test_cache_sync: pthread_create failed\n");
        return 1;
    }
    unsigned prev = 0, slow = 0;
    double worst = 0;
    double live_start = now_s();
    for (unsigned i = 0; i < PATCHES_LIVE && failures < 5; i++) {
        if (now_s() - live_start > 20.0) { /* bounded: a stale view would take 2 s per patch */
            fprintf(stderr, "live patches: only %u done in 20 s\n", i);
            failures++;
            break;
        }
        unsigned k = (prev + 1 + i % (TARGETS - 1)) % TARGETS;
        patch_entry(k);
        double t0 = now_s();
        unsigned base = atomic_load(&seen_count);
        for (;;) {
            unsigned v = atomic_load(&seen_value);
            unsigned n = atomic_load(&seen_count);
            if (v != prev && v != k) {
                fprintf(stderr, "live patch %u: runner ran target %u (old %u, new %u)\n", i, v, prev, k);
                failures++;
                break;
            }
            /* Two calls started after the patch: the second saw the new B. */
            if (v == k && n - base >= 2)
                break;
            if (now_s() - t0 > 2.0) {
                fprintf(stderr, "live patch %u: runner still at %u 2 s after patching to %u\n", i, v, k);
                failures++;
                break;
            }
        }
        double dt = now_s() - t0;
        if (dt > worst)
            worst = dt;
        if (dt > 0.01)
            slow++;
        prev = k;
    }
    atomic_store(&stop, 1);
    pthread_join(t, NULL);
    host_destroy(h);
    printf("test_cache_sync: %u serial patches, %u live patches (slowest seen after %.3f ms, %u over 10 ms): %s\n",
           PATCHES_SERIAL, PATCHES_LIVE, worst * 1e3, slow, failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
