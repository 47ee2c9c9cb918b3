/* Coroutine switch cost: resume + yield round trips between the thread and
 * one coroutine, reported as ns per switch (round trip / 2), and the cost of
 * creating, running and destroying a coroutine.
 *
 * Measures host_coro with whichever switcher this binary was built with
 * (bench/coro.sh builds it twice: assembly, and -DSPLITVM_CORO_PORTABLE) and,
 * with --ucontext, glibc's swapcontext. The system ucontext appears ONLY in
 * this benchmark, as the baseline to compare with; the library never uses it
 * (DESIGN.md rule 3).
 *
 * The create column is not like for like: host_coro maps a fresh stack with
 * a guard page each time (mmap, mprotect-like remap, munmap), the ucontext
 * baseline reuses a malloc'd block.
 *
 * Usage: coro_switch [--header] [--ucontext] [round_trips]
 * Prints markdown table rows on stdout. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>

#include "coro.h"
#include "host.h"

#define REPEATS 5
#define STACK (64 * 1024)
#define CREATES 2000

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- host_coro ---- */

static volatile uint64_t counter;

static void spin_fn(void *arg)
{
    (void)arg;
    for (;;) {
        counter++;
        host_coro_yield();
    }
}

static void once_fn(void *arg)
{
    (void)arg;
    counter++;
}

static double bench_host_coro(host_ctx *h, long trips)
{
    host_coro *co = host_coro_create(h, spin_fn, NULL, STACK);
    if (!co)
        return -1;
    double best = 1e30;
    for (int r = 0; r < REPEATS; r++) {
        uint64_t t0 = now_ns();
        for (long i = 0; i < trips; i++)
            host_coro_resume(co);
        double ns = (double)(now_ns() - t0) / ((double)trips * 2);
        if (ns < best)
            best = ns;
    }
    host_coro_destroy(h, co); /* suspended: abandoned, which is allowed */
    return best;
}

static double bench_host_create(host_ctx *h)
{
    double best = 1e30;
    for (int r = 0; r < REPEATS; r++) {
        uint64_t t0 = now_ns();
        for (int i = 0; i < CREATES; i++) {
            host_coro *co = host_coro_create(h, once_fn, NULL, STACK);
            if (!co)
                return -1;
            host_coro_resume(co);
            host_coro_destroy(h, co);
        }
        double us = (double)(now_ns() - t0) / CREATES / 1000.0;
        if (us < best)
            best = us;
    }
    return best;
}

/* ---- glibc ucontext (baseline only) ---- */

static ucontext_t uc_main, uc_co;

static void uc_spin(void)
{
    for (;;) {
        counter++;
        swapcontext(&uc_co, &uc_main);
    }
}

static void uc_once(void)
{
    counter++; /* returns to uc_link = uc_main */
}

/* getcontext returns twice: kept out of the timing loops' frames. */
static __attribute__((noinline)) int uc_make(void *stack, void (*fn)(void))
{
    if (!stack || getcontext(&uc_co) < 0)
        return -1;
    uc_co.uc_stack.ss_sp = stack;
    uc_co.uc_stack.ss_size = STACK;
    uc_co.uc_link = &uc_main;
    makecontext(&uc_co, fn, 0);
    return 0;
}

static double bench_ucontext(long trips)
{
    void *stack = malloc(STACK);
    if (uc_make(stack, uc_spin) < 0)
        return -1;
    double best = 1e30;
    for (int r = 0; r < REPEATS; r++) {
        uint64_t t0 = now_ns();
        for (long i = 0; i < trips; i++)
            swapcontext(&uc_main, &uc_co);
        double ns = (double)(now_ns() - t0) / ((double)trips * 2);
        if (ns < best)
            best = ns;
    }
    free(stack);
    return best;
}

static double bench_ucontext_create(void)
{
    double best = 1e30;
    for (int r = 0; r < REPEATS; r++) {
        uint64_t t0 = now_ns();
        for (int i = 0; i < CREATES; i++) {
            void *stack = malloc(STACK);
            if (uc_make(stack, uc_once) < 0)
                return -1;
            swapcontext(&uc_main, &uc_co);
            free(stack);
        }
        double us = (double)(now_ns() - t0) / CREATES / 1000.0;
        if (us < best)
            best = us;
    }
    return best;
}

int main(int argc, char **argv)
{
    int header = 0, ucontext = 0;
    long trips = 2000000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--header"))
            header = 1;
        else if (!strcmp(argv[i], "--ucontext"))
            ucontext = 1;
        else
            trips = strtol(argv[i], NULL, 0);
    }
    if (trips <= 0)
        trips = 1;
    if (header) {
        printf("| switcher | ns per switch | us per create+run+destroy |\n");
        printf("|---|---:|---:|\n");
    }
    host_ctx *h = host_create();
    if (!h)
        return 1;
    double sw = bench_host_coro(h, trips), cr = bench_host_create(h);
    host_destroy(h);
    if (sw < 0 || cr < 0)
        return 1;
    printf("| host_coro (%s) | %.1f | %.2f |\n", host_coro_backend(), sw, cr);
    if (ucontext) {
        sw = bench_ucontext(trips);
        cr = bench_ucontext_create();
        if (sw < 0 || cr < 0)
            return 1;
        printf("| glibc swapcontext | %.1f | %.2f |\n", sw, cr);
    }
    return 0;
}
