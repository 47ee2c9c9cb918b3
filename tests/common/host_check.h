/* Counted checks for host-run unit tests: CHECK(cond, fmt, ...) records a
 * pass or prints the failure with its line; check_report prints the totals
 * and gives main's exit status. */
#ifndef SPLITVM_TESTS_HOST_CHECK_H
#define SPLITVM_TESTS_HOST_CHECK_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (cond) {                                                          \
            passed++;                                                        \
        } else {                                                             \
            failed++;                                                        \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                      \
            printf(__VA_ARGS__);                                             \
            printf("\n");                                                    \
        }                                                                    \
    } while (0)

static inline int check_report(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, passed, failed);
    return failed ? 1 : 0;
}

#endif
