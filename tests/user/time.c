/* Clocks: monotonic time increases, nanosleep sleeps about as long as asked. */
#include <errno.h>
#include <sys/time.h>
#include <time.h>
#include "check.h"

static long long ns(const struct timespec *t)
{
    return t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(void)
{
    struct timespec a, b, r;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    CHECK(clock_getres(CLOCK_MONOTONIC, &r) == 0);
    CHECK(r.tv_sec == 0 && r.tv_nsec > 0 && r.tv_nsec <= 1000000);
    volatile unsigned long spin = 0;
    for (int i = 0; i < 100000; i++)
        spin += i;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
    CHECK(ns(&b) > ns(&a));
    printf("monotonic increases\n");

    struct timespec req = {0, 10 * 1000 * 1000};
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    CHECK(nanosleep(&req, NULL) == 0);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
    long long slept = ns(&b) - ns(&a);
    CHECK(slept >= 10 * 1000 * 1000);
    CHECK(slept < 2000LL * 1000 * 1000);
    printf("nanosleep 10ms ok\n");

    struct timespec bad = {0, 1000000000};
    CHECK(nanosleep(&bad, NULL) == -1 && errno == EINVAL);

    /* Wall clock: after 2020-01-01 and consistent with gettimeofday. */
    struct timespec rt;
    CHECK(clock_gettime(CLOCK_REALTIME, &rt) == 0);
    CHECK(rt.tv_sec > 1577836800);
    struct timeval tv;
    CHECK(gettimeofday(&tv, NULL) == 0);
    CHECK(tv.tv_sec - rt.tv_sec >= 0 && tv.tv_sec - rt.tv_sec < 5);
    time_t t = time(NULL); /* glibc: CLOCK_REALTIME_COARSE, up to a tick behind: a second less */
    CHECK(t - rt.tv_sec >= -1 && t - rt.tv_sec < 5);
    printf("realtime sane\n");

    struct timespec c1, c2;
    CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1) == 0);
    for (int i = 0; i < 1000000; i++)
        spin += i;
    CHECK(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c2) == 0);
    CHECK(ns(&c2) >= ns(&c1));
    CHECK(clock() >= 0);
    printf("cputime sane\n");
    return 0;
}
