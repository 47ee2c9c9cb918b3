/* The JIT's two-way jump cache (src/jit/jump_cache.c) and the backend's
 * lookup trampoline that reads it: three guest pcs on one pair of slots,
 * each naming host code that returns its own number. The trampoline is
 * called with the pc where generated code passes it (x86-64: rax, AArch64:
 * x0) and jumps to the code the cache names, which returns here.
 *   1. Two pcs on one pair: both hit (direct-mapped, the second evicted
 *      the first).
 *   2. A third: it and the one filled last hit; the oldest is gone.
 *   3. Filling an entry again moves it first; retargeting changes the code
 *      of every slot naming the pc; clearing empties both slots.
 * Only hits are run: a miss leaves through the exit tail, which needs the
 * hart's registers that generated code keeps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/host/host.h"
#include "../../src/jit/jit.h"
#include "jit_test_ctx.h"

#define TARGETS 4
static jit_ctx *jc;
static uintptr_t target[TARGETS];
static int failures;

/* target[k]: returns k. */
static void write_targets(void)
{
    uint8_t *rw = jc->rw + jc->used;
    uintptr_t rx = (uintptr_t)jc->rx + jc->used;
    for (unsigned k = 0; k < TARGETS; k++) {
        size_t t = 16 * k;
        target[k] = rx + t;
#if defined(__x86_64__)
        rw[t] = 0xB8; /* mov eax, k ; ret */
        uint32_t v = k;
        memcpy(rw + t + 1, &v, 4);
        rw[t + 5] = 0xC3;
#else
        uint32_t w[2] = {0x52800000u | (k << 5), 0xd65f03c0u}; /* movz w0, #k ; ret */
        memcpy(rw + t, w, sizeof(w));
#endif
    }
    jit_cache_sync(jc, rw, 16 * TARGETS);
}

/* The trampoline run for pc (a hit: it returns the target's number). */
static unsigned lookup(uint64_t pc)
{
#if defined(__x86_64__)
    uint64_t r = pc;
    __asm__ volatile("call *%1" : "+a"(r) : "r"(jc->jc_lookup) : "rcx", "rdx", "memory", "cc");
    return (unsigned)r;
#else
    register uint64_t x0 __asm__("x0") = pc;
    register uintptr_t x16 __asm__("x16") = jc->jc_lookup;
    __asm__ volatile("blr x16"
                     : "+r"(x0)
                     : "r"(x16)
                     : "x9", "x10", "x11", "x12", "x30", "memory", "cc");
    return (unsigned)x0;
#endif
}

static void expect_hit(const char *step, uint64_t pc, unsigned k)
{
    unsigned got = lookup(pc);
    if (got != k) {
        fprintf(stderr, "%s: pc %#llx ran target %u, expected %u\n", step, (unsigned long long)pc, got, k);
        failures++;
    }
}

static bool holds(uint64_t pc)
{
    const jit_jc_entry *e = &jc->jc[jit_jc_index(pc)];
    return e[0].pc == pc || e[1].pc == pc;
}

int main(void)
{
    host_ctx *h = host_create();
    jc = test_jit_open(h, "test_jit_jump_cache");
    if (!jc)
        return 1;
    jc->jc_log_n = JIT_JC_LOG + 1; /* every slot to be made empty */
    jit_jc_clear(jc);
    write_targets();

    /* Three pcs on one pair (even, as instruction addresses are). */
    uint64_t pc[3] = {0x11e4a, 0, 0};
    for (uint64_t p = pc[0] + 2, n = 1; n < 3; p += 2)
        if (jit_jc_index(p) == jit_jc_index(pc[0]))
            pc[n++] = p;
    if (jit_jc_index(pc[0]) & 1) {
        fprintf(stderr, "jit_jc_index(%#llx) is odd: not a pair's first slot\n", (unsigned long long)pc[0]);
        failures++;
    }

    jit_jc_fill(jc, pc[0], target[0]);
    jit_jc_fill(jc, pc[1], target[1]);
    expect_hit("two on a pair", pc[0], 0);
    expect_hit("two on a pair", pc[1], 1);

    jit_jc_fill(jc, pc[2], target[2]);
    expect_hit("three on a pair", pc[2], 2);
    expect_hit("three on a pair", pc[1], 1);
    if (holds(pc[0])) {
        fprintf(stderr, "three on a pair: the oldest pc is still held\n");
        failures++;
    }

    jit_jc_fill(jc, pc[1], target[3]); /* again (a new translation): first, once */
    const jit_jc_entry *e = &jc->jc[jit_jc_index(pc[1])];
    if (e[0].pc != pc[1] || e[1].pc != pc[2]) {
        fprintf(stderr, "refill: pair holds %#llx, %#llx\n", (unsigned long long)e[0].pc, (unsigned long long)e[1].pc);
        failures++;
    }
    expect_hit("refill", pc[1], 3);
    expect_hit("refill", pc[2], 2);

    jit_jc_retarget(jc, pc[2], target[0]);
    jit_jc_retarget(jc, pc[0], target[1]); /* not held: changes nothing */
    expect_hit("retarget", pc[2], 0);
    expect_hit("retarget", pc[1], 3);
    if (holds(pc[0])) {
        fprintf(stderr, "retarget: a pc not held was added\n");
        failures++;
    }

    jit_jc_clear(jc);
    if (holds(pc[1]) || holds(pc[2])) {
        fprintf(stderr, "clear: entries left\n");
        failures++;
    }
    jit_jc_fill(jc, pc[0], target[2]);
    expect_hit("after clear", pc[0], 2);

    test_jit_close(jc, h);
    host_destroy(h);
    printf("test_jit_jump_cache: %s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
