/* For the tests that patch generated code while a second thread runs it
 * (test_jit_chain.c, test_cache_sync.c): the thread calls the code, a
 * function returning unsigned at the address given as its argument, until
 * `stop` is set, publishing each result and how many calls it made. */
#ifndef SPLITVM_TEST_CODE_RUNNER_H
#define SPLITVM_TEST_CODE_RUNNER_H

#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

typedef unsigned (*code_fn)(void);

static atomic_int stop;
static atomic_uint seen_value, seen_count;

static void *runner(void *code)
{
    code_fn f = (code_fn)(uintptr_t)code;
    while (!atomic_load(&stop)) {
        unsigned v = f();
        atomic_store(&seen_value, v);
        atomic_fetch_add(&seen_count, 1);
    }
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif
