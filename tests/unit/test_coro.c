/* Unit test of the coroutines in src/host/coro.h, for whichever switcher the
 * build uses (built twice by CMake: assembly, and -DSPLITVM_CORO_PORTABLE). */
#include <fenv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "coro.h"
#include "host.h"

static int failures;
#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                 \
            failures++;                                                     \
        }                                                                   \
    } while (0)

#if defined(__SANITIZE_ADDRESS__)
#define STACK_SMALL (256 * 1024)
#else
#define STACK_SMALL (64 * 1024)
#endif
#define STACK_DEEP (8u << 20)

/* ---- ping-pong: values passed through shared memory ---- */

struct pingpong {
    uint64_t to_co, from_co;
    int rounds;
};

static void pingpong_fn(void *arg)
{
    struct pingpong *p = arg;
    for (int i = 0; i < p->rounds; i++) {
        p->from_co = p->to_co * 3 + 1;
        host_coro_yield();
    }
}

static void test_pingpong(host_ctx *h)
{
    struct pingpong p = { .rounds = 100000 };
    host_coro *co = host_coro_create(h, pingpong_fn, &p, STACK_SMALL);
    CHECK(co != NULL);
    if (!co)
        return;
    CHECK(host_coro_current() == NULL);
    int ok = 1;
    for (int i = 0; i < p.rounds; i++) {
        p.to_co = (uint64_t)i * 7;
        host_coro_resume(co);
        ok &= p.from_co == (uint64_t)i * 21 + 1;
        ok &= !host_coro_finished(co);
    }
    CHECK(ok);
    host_coro_resume(co); /* leaves the loop and returns */
    CHECK(host_coro_finished(co));
    host_coro_resume(co); /* no-op on a finished coroutine */
    CHECK(host_coro_finished(co));
    CHECK(host_coro_destroy(h, co) == 0);
}

/* ---- several coroutines interleaved, and registers kept across switches ---- */

/* Many integer and FP values live across a yield: under -O2 they sit in
 * callee-saved registers (rbx, rbp, r12-r15; x19-x28, d8-d15), which the other
 * side clobbers with its own values in the same routine. */
static __attribute__((noinline)) int hold_across_yield(uint64_t seed, void (*sw)(void *), void *arg)
{
    /* Each value comes from its own volatile load, so the compiler cannot
     * rebuild one from another after the call: it must keep them all. */
    volatile uint64_t vi[10];
    volatile double vd[8];
    for (int i = 0; i < 10; i++)
        vi[i] = seed * 0x9e3779b97f4a7c15ull + (uint64_t)i * 0x1234567;
    for (int i = 0; i < 8; i++)
        vd[i] = (double)seed * 0.5 + i;
    uint64_t a = vi[0], b = vi[1], c = vi[2], d = vi[3], e = vi[4], f = vi[5], g = vi[6],
             k = vi[7], m = vi[8], n = vi[9];
    double x = vd[0], y = vd[1], z = vd[2], w = vd[3], u = vd[4], v = vd[5], q = vd[6], r = vd[7];
    sw(arg);
    int ok = a == vi[0] && b == vi[1] && c == vi[2] && d == vi[3] && e == vi[4] && f == vi[5] &&
             g == vi[6] && k == vi[7] && m == vi[8] && n == vi[9];
    ok = ok && x == vd[0] && y == vd[1] && z == vd[2] && w == vd[3] && u == vd[4] &&
         v == vd[5] && q == vd[6] && r == vd[7];
    return ok;
}

static void yield_thunk(void *arg)
{
    (void)arg;
    host_coro_yield();
}

static void resume_thunk(void *arg)
{
    host_coro_resume(arg);
}

struct worker {
    int id;
    int steps;
    int *log, *log_len;
    int regs_ok;
};

static void worker_fn(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < w->steps; i++) {
        w->log[(*w->log_len)++] = w->id * 1000 + i;
        w->regs_ok &= hold_across_yield((uint64_t)(w->id * 7919 + i), yield_thunk, NULL);
    }
}

static void test_interleaved(host_ctx *h)
{
    enum { N = 4, STEPS = 50 };
    int log[N * STEPS], log_len = 0;
    struct worker w[N];
    host_coro *co[N];
    for (int i = 0; i < N; i++) {
        w[i] = (struct worker){ .id = i + 1, .steps = STEPS, .log = log, .log_len = &log_len,
                                .regs_ok = 1 };
        co[i] = host_coro_create(h, worker_fn, &w[i], STACK_SMALL);
        CHECK(co[i] != NULL);
        if (!co[i])
            return;
    }
    /* Round robin; main also holds registers across each resume. */
    int main_ok = 1;
    for (int round = 0; round <= STEPS; round++)
        for (int i = 0; i < N; i++)
            main_ok &= hold_across_yield((uint64_t)(round * 31 + i), resume_thunk, co[i]);
    CHECK(main_ok);
    CHECK(log_len == N * STEPS);
    int order_ok = 1;
    for (int k = 0; k < log_len; k++)
        order_ok &= log[k] == (k % N + 1) * 1000 + k / N;
    CHECK(order_ok);
    for (int i = 0; i < N; i++) {
        CHECK(w[i].regs_ok);
        CHECK(host_coro_finished(co[i]));
        CHECK(host_coro_destroy(h, co[i]) == 0);
    }
}

/* ---- nesting: a coroutine resumes another ---- */

struct nest {
    host_coro *inner;
    host_coro *outer;
    int trace[8];
    int n;
};

static void inner_fn(void *arg)
{
    struct nest *s = arg;
    s->trace[s->n++] = 2;
    CHECK(host_coro_current() == s->inner);
    host_coro_yield(); /* back to outer, not to main */
    s->trace[s->n++] = 5;
}

static void outer_fn(void *arg)
{
    struct nest *s = arg;
    s->trace[s->n++] = 1;
    host_coro_resume(s->inner);
    CHECK(host_coro_current() == s->outer);
    s->trace[s->n++] = 3;
    host_coro_yield(); /* back to main */
    s->trace[s->n++] = 4;
    host_coro_resume(s->inner);
    CHECK(host_coro_finished(s->inner));
    s->trace[s->n++] = 6;
}

static void test_nested(host_ctx *h)
{
    struct nest s = { .n = 0 };
    s.inner = host_coro_create(h, inner_fn, &s, STACK_SMALL);
    s.outer = host_coro_create(h, outer_fn, &s, STACK_SMALL);
    CHECK(s.inner && s.outer);
    if (!s.inner || !s.outer)
        return;
    host_coro_resume(s.outer);
    CHECK(s.n == 3 && s.trace[2] == 3);
    host_coro_resume(s.outer);
    CHECK(host_coro_finished(s.outer));
    int want[] = { 1, 2, 3, 4, 5, 6 };
    CHECK(s.n == 6 && memcmp(s.trace, want, sizeof(want)) == 0);
    CHECK(host_coro_destroy(h, s.outer) == 0);
    CHECK(host_coro_destroy(h, s.inner) == 0);
}

/* ---- FP control state is per context ---- */

static int rounds_up(void)
{
    volatile double one = 1.0, three = 3.0;
    /* Upward, 1/3 rounds away from zero and -1/3 toward it: they differ in
     * magnitude, where every other mode gives both the same magnitude. */
    volatile double pos = one / three;
    volatile double neg = (-one) / three;
    return neg != -pos;
}

struct fpstate {
    int co_round_after;
    int co_upward_seen;
};

static void fp_fn(void *arg)
{
    struct fpstate *s = arg;
    CHECK(fegetround() == FE_TONEAREST); /* a fresh coroutine starts at the default */
    fesetround(FE_UPWARD);
    host_coro_yield();
    s->co_round_after = fegetround();
    s->co_upward_seen = rounds_up();
    host_coro_yield();
    fesetround(FE_TONEAREST);
}

static void test_fp_control(host_ctx *h)
{
    struct fpstate s = { 0 };
    host_coro *co = host_coro_create(h, fp_fn, &s, STACK_SMALL);
    CHECK(co != NULL);
    if (!co)
        return;
    host_coro_resume(co);
    CHECK(fegetround() == FE_TONEAREST);
    CHECK(!rounds_up());
    fesetround(FE_TOWARDZERO);
    host_coro_resume(co);
    CHECK(s.co_round_after == FE_UPWARD);
    CHECK(s.co_upward_seen);
    CHECK(fegetround() == FE_TOWARDZERO);
    host_coro_resume(co);
    CHECK(host_coro_finished(co));
    CHECK(fegetround() == FE_TOWARDZERO);
    fesetround(FE_TONEAREST);
    CHECK(host_coro_destroy(h, co) == 0);
}

/* ---- deep recursion on a coroutine stack, yielding from the bottom ---- */

static __attribute__((noinline)) uint64_t deep(int n)
{
    volatile uint8_t pad[128];
    pad[0] = (uint8_t)n;
    pad[127] = (uint8_t)(n >> 8);
    if (n == 0) {
        host_coro_yield();
        return 1;
    }
    uint64_t r = deep(n - 1) + pad[0] + pad[127];
    return r;
}

struct deepstate {
    int depth;
    uint64_t result;
};

static void deep_fn(void *arg)
{
    struct deepstate *s = arg;
    s->result = deep(s->depth);
}

static void test_deep(host_ctx *h)
{
    struct deepstate s = { .depth = 20000 };
    host_coro *co = host_coro_create(h, deep_fn, &s, STACK_DEEP);
    CHECK(co != NULL);
    if (!co)
        return;
    host_coro_resume(co); /* suspended 20000 frames down */
    CHECK(!host_coro_finished(co));
    volatile uint8_t mine[4096];
    memset((void *)mine, 0xa5, sizeof(mine)); /* use our own stack meanwhile */
    host_coro_resume(co);
    CHECK(host_coro_finished(co));
    uint64_t want = 1;
    for (int n = 1; n <= s.depth; n++)
        want += (uint64_t)(uint8_t)n + (uint64_t)(uint8_t)(n >> 8);
    CHECK(s.result == want);
    CHECK(host_coro_destroy(h, co) == 0);
}

/* ---- create/destroy many times: nothing left behind ---- */

static void short_fn(void *arg)
{
    (*(int *)arg)++;
    host_coro_yield();
    (*(int *)arg)++;
}

static void test_churn(host_ctx *h)
{
    size_t fds0, maps0, blocks0, fds1, maps1, blocks1;
    host_counts(h, &fds0, &maps0, &blocks0);
    int count = 0, ok = 1;
    for (int i = 0; i < 10000; i++) {
        host_coro *co = host_coro_create(h, short_fn, &count, STACK_SMALL);
        if (!co) {
            ok = 0;
            break;
        }
        if (i % 3)
            host_coro_resume(co); /* suspended */
        if (i % 3 == 2)
            host_coro_resume(co); /* finished */
        ok &= host_coro_destroy(h, co) == 0;
    }
    CHECK(ok);
    CHECK(count == 3333 * 1 + 3333 * 2); /* i%3: 0 -> 0, 1 -> 1, 2 -> 2 */
    host_counts(h, &fds1, &maps1, &blocks1);
    CHECK(fds1 == fds0 && maps1 == maps0 && blocks1 == blocks0);
}

/* ---- host_destroy releases live coroutines ---- */

static void test_machine_teardown(void)
{
    host_ctx *h = host_create();
    CHECK(h != NULL);
    if (!h)
        return;
    int count = 0;
    host_coro *co = host_coro_create(h, short_fn, &count, STACK_SMALL);
    CHECK(co != NULL);
    if (co)
        host_coro_resume(co);
    size_t maps, blocks;
    host_counts(h, NULL, &maps, &blocks);
    CHECK(maps == 1 && blocks == 1);
    host_destroy(h); /* the suspended coroutine goes with its machine */
}

/* A running coroutine cannot be destroyed. */
struct selfkill {
    host_ctx *h;
    host_coro *co;
    int rc;
};

static void selfkill_fn(void *arg)
{
    struct selfkill *s = arg;
    s->rc = host_coro_destroy(s->h, s->co);
}

static void test_destroy_running(host_ctx *h)
{
    struct selfkill s = { .h = h };
    s.co = host_coro_create(h, selfkill_fn, &s, STACK_SMALL);
    CHECK(s.co != NULL);
    if (!s.co)
        return;
    host_coro_resume(s.co);
    CHECK(s.rc < 0);
    CHECK(host_coro_finished(s.co));
    CHECK(host_coro_destroy(h, s.co) == 0);
}

int main(void)
{
    host_ctx *h = host_create();
    if (!h) {
        fprintf(stderr, "host_create failed\n");
        return 1;
    }
    test_pingpong(h);
    test_interleaved(h);
    test_nested(h);
    test_fp_control(h);
    test_deep(h);
    test_churn(h);
    test_destroy_running(h);
    test_machine_teardown();
    size_t fds, maps, blocks;
    host_counts(h, &fds, &maps, &blocks);
    CHECK(maps == 0 && blocks == 0);
    host_destroy(h);
    printf("test_coro (%s): %s\n", host_coro_backend(), failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
