/* Tiny self-check helpers shared by the guest test programs: a failed check
 * prints where and why and ends the program with status 1, so the test fails
 * under the oracle (qemu) too, not only when outputs differ. */
#ifndef USER_CHECK_H
#define USER_CHECK_H
#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);          \
            fflush(stdout);                                                 \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

#define CHECK_EQ_LL(a, b)                                                   \
    do {                                                                    \
        long long va_ = (long long)(a), vb_ = (long long)(b);               \
        if (va_ != vb_) {                                                   \
            printf("FAIL %s:%d: %s == %s (%lld != %lld)\n", __FILE__,       \
                   __LINE__, #a, #b, va_, vb_);                             \
            fflush(stdout);                                                 \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

#endif
