/* Chaining through the JIT backend (jit_backend_chain): a direct jump in the
 * code buffer is repointed through the RW view while it runs from the RX
 * view, as the dispatcher does when it chains a block exit.
 *   1. One thread: the site is chained to one of four targets (each returns
 *      its own number) and called; every call must reach the new target.
 *   2. While a second thread calls the site in a loop: after each chain it
 *      must come to the new target within a bound, and never run anything
 *      but the old or the new one.
 * The site and targets are written by hand in the host's code (x86-64: a jmp
 * rel32, AArch64: a B); the patching is the backend's. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/host/host.h"
#include "code_runner.h"
#include "../../src/jit/jit.h"
#include "jit_test_ctx.h"

#define TARGETS 4
#define PATCHES_SERIAL 20000
#define PATCHES_LIVE 2000

static jit_ctx *jc;
static uintptr_t entry, site, target[TARGETS];

/* Entry, site and targets at the free start of the code buffer. */
static void write_code(void)
{
    uint8_t *rw = jc->rw + jc->used;
    uintptr_t rx = (uintptr_t)jc->rx + jc->used;
#if defined(__x86_64__)
    /* entry at 3 mod 8: the rel32 of its jmp (the site) is 4-byte aligned */
    size_t at = 3;
    entry = rx + at;
    site = entry + 1;
    rw[at] = 0xE9;
    memset(rw + at + 1, 0, 4);
    for (unsigned k = 0; k < TARGETS; k++) {
        size_t t = 16 + 8 * k;
        target[k] = rx + t;
        rw[t] = 0xB8; /* mov eax, k ; ret */
        uint32_t v = k;
        memcpy(rw + t + 1, &v, 4);
        rw[t + 5] = 0xC3;
    }
#else
    uint32_t *w = (uint32_t *)rw;
    entry = site = rx;
    w[0] = 0x14000004u; /* b target 0 (patched below) */
    for (unsigned k = 0; k < TARGETS; k++) {
        target[k] = rx + 16 + 8 * k;
        w[4 + 2 * k] = 0x52800000u | (k << 5); /* movz w0, #k */
        w[5 + 2 * k] = 0xd65f03c0u;            /* ret */
    }
#endif
    jit_cache_sync(jc, rw, 64);
    jit_backend_chain(jc, site, target[0]);
}

int main(void)
{
    host_ctx *h = host_create();
    jc = test_jit_open(h, "test_jit_chain");
    if (!jc)
        return 1;
    write_code();
    int failures = 0;
    code_fn f = (code_fn)entry;
    for (unsigned i = 0; i < PATCHES_SERIAL; i++) {
        unsigned k = (i * 7 + 1) % TARGETS;
        jit_backend_chain(jc, site, target[k]);
        unsigned got = f();
        if (got != k && failures++ < 5)
            fprintf(stderr, "serial chain %u: ran target %u, expected %u\n", i, got, k);
    }

    pthread_t t;
    jit_backend_chain(jc, site, target[0]);
    if (pthread_create(&t, NULL, runner, (void *)entry) != 0) {
        fprintf(stderr, "test_jit_chain: pthread_create failed\n");
        return 1;
    }
    unsigned prev = 0;
    double worst = 0, live_start = now_s();
    for (unsigned i = 0; i < PATCHES_LIVE && failures < 5; i++) {
        if (now_s() - live_start > 20.0) {
            fprintf(stderr, "live chains: only %u done in 20 s\n", i);
            failures++;
            break;
        }
        unsigned k = (prev + 1 + i % (TARGETS - 1)) % TARGETS;
        jit_backend_chain(jc, site, target[k]);
        double t0 = now_s();
        unsigned base = atomic_load(&seen_count);
        for (;;) {
            unsigned v = atomic_load(&seen_value), n = atomic_load(&seen_count);
            if (v != prev && v != k) {
                fprintf(stderr, "live chain %u: runner ran target %u (old %u, new %u)\n", i, v, prev, k);
                failures++;
                break;
            }
            if (v == k && n - base >= 2) /* a call started after the patch saw it */
                break;
            if (now_s() - t0 > 2.0) {
                fprintf(stderr, "live chain %u: runner still at %u 2 s after chaining to %u\n", i, v, k);
                failures++;
                break;
            }
        }
        if (now_s() - t0 > worst)
            worst = now_s() - t0;
        prev = k;
    }
    atomic_store(&stop, 1);
    pthread_join(t, NULL);
    test_jit_close(jc, h);
    host_destroy(h);
    printf("test_jit_chain: %u serial chains, %u live chains (slowest seen after %.3f ms): %s\n", PATCHES_SERIAL,
           PATCHES_LIVE, worst * 1e3, failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
