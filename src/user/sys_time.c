/* Time system calls: clocks, sleeps, process times. Guest timespec/timeval
 * are {int64, int64}. Sleeps suspend the calling guest thread (uthread.c),
 * never the host thread. */
#include "syscall.h"
#include "uthread.h"
#include "uvfs.h"

#include <errno.h>
#include <string.h>
#include <time.h>

/* Host clock id for a Linux clock id, or -EINVAL. */
static int host_clock(uint64_t lx)
{
    switch ((int64_t)lx) {
    case 0: return CLOCK_REALTIME;
    case 1: return CLOCK_MONOTONIC;
    case 2: return CLOCK_PROCESS_CPUTIME_ID;
    case 3: return CLOCK_THREAD_CPUTIME_ID;
#ifdef CLOCK_MONOTONIC_RAW
    case 4: return CLOCK_MONOTONIC_RAW;
#else
    case 4: return CLOCK_MONOTONIC;
#endif
#ifdef CLOCK_REALTIME_COARSE
    case 5: return CLOCK_REALTIME_COARSE;
    case 6: return CLOCK_MONOTONIC_COARSE;
#else
    case 5: return CLOCK_REALTIME;
    case 6: return CLOCK_MONOTONIC;
#endif
#ifdef CLOCK_BOOTTIME
    case 7: return CLOCK_BOOTTIME;
#else
    case 7: return CLOCK_MONOTONIC;
#endif
    default: return -EINVAL;
    }
}

int64_t sys_clock_gettime(uproc *p, const uint64_t a[6])
{
    int64_t sec, nsec; /* the embedder's clock (svm_proxy) or the host's */
    int r = uvfs_clock_gettime(p, (int64_t)a[0], &sec, &nsec);
    return r < 0 ? r : usys_put_timespec(p, a[1], sec, nsec);
}

int64_t sys_clock_getres(uproc *p, const uint64_t a[6])
{
    int c = host_clock(a[0]);
    if (c < 0)
        return c;
    struct timespec ts;
    int r = host_clock_getres(p->host, c, &ts);
    if (r < 0 || !a[1])
        return r;
    return usys_put_timespec(p, a[1], ts.tv_sec, ts.tv_nsec);
}

int64_t sys_gettimeofday(uproc *p, const uint64_t a[6])
{
    int64_t sec, nsec;
    int r = uvfs_clock_gettime(p, 0 /* CLOCK_REALTIME */, &sec, &nsec);
    if (r < 0)
        return r;
    if (a[0] && (r = usys_put_timespec(p, a[0], sec, nsec / 1000)) < 0)
        return r;
    if (a[1]) { /* struct timezone: UTC */
        uint8_t z[8] = { 0 };
        if ((r = umem_write(p, a[1], z, 8)) < 0)
            return r;
    }
    return 0;
}

/* Sleep for a relative (or, with abs, absolute on clock c) time. */
static int64_t do_sleep(uproc *p, int c, int64_t sec, int64_t nsec, int abs, uint64_t *deadline_out)
{
    if (sec < 0 || nsec < 0 || nsec > 999999999)
        return -EINVAL;
    if (abs) {
        struct timespec now;
        int r = host_clock_gettime(p->host, c, &now);
        if (r < 0)
            return r;
        sec -= now.tv_sec;
        nsec -= now.tv_nsec;
        if (nsec < 0) {
            nsec += 1000000000;
            sec--;
        }
        if (sec < 0)
            return 0;
    }
    if (sec > 4000000000ll) /* far enough to mean never, without overflow */
        sec = 4000000000ll;
    /* The thread sleeps as a suspended coroutine: svm_run returns WAITING
     * when nothing else can run (uthread.c). A signal ends it with EINTR. */
    uint64_t deadline = host_monotonic_ns() + (uint64_t)sec * 1000000000u + (uint64_t)nsec;
    if (deadline_out)
        *deadline_out = deadline;
    return uthread_sleep_until(p, deadline);
}

/* The time left until deadline, for an interrupted relative sleep. */
static int put_remaining(uproc *p, uint64_t va, uint64_t deadline)
{
    uint64_t now = host_monotonic_ns(), left = deadline > now ? deadline - now : 0;
    return usys_put_timespec(p, va, (int64_t)(left / 1000000000u), (int64_t)(left % 1000000000u));
}

int64_t sys_nanosleep(uproc *p, const uint64_t a[6])
{
    int64_t sec, nsec;
    int r = usys_get_timespec(p, a[0], &sec, &nsec);
    if (r < 0)
        return r;
    uint64_t deadline = 0;
    r = (int)do_sleep(p, CLOCK_MONOTONIC, sec, nsec, 0, &deadline);
    if (r == -EINTR && a[1] && deadline)
        put_remaining(p, a[1], deadline);
    return r;
}

int64_t sys_clock_nanosleep(uproc *p, const uint64_t a[6])
{
    int c = host_clock(a[0]);
    if (c < 0 || (a[0] != 0 && a[0] != 1 && a[0] != 7 && a[0] != 2))
        return -EINVAL;
    if (a[1] & ~1ull)
        return -EINVAL;
    int64_t sec, nsec;
    int r = usys_get_timespec(p, a[2], &sec, &nsec);
    if (r < 0)
        return r;
    uint64_t deadline = 0;
    int64_t res = do_sleep(p, c, sec, nsec, (a[1] & 1) != 0, &deadline); /* TIMER_ABSTIME */
    if (res == -EINTR && !(a[1] & 1) && a[3] && deadline)
        put_remaining(p, a[3], deadline);
    return res;
}

static uint64_t cpu_ns(uproc *p)
{
    struct timespec ts;
    if (host_clock_gettime(p->host, CLOCK_PROCESS_CPUTIME_ID, &ts) < 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int64_t sys_times(uproc *p, const uint64_t a[6])
{
    /* clock_t ticks at USER_HZ = 100; all CPU time is reported as user time. */
    uint64_t ticks = cpu_ns(p) / 10000000ull;
    if (a[0]) {
        uint8_t b[32];
        memset(b, 0, sizeof(b));
        usys_put64(b, 0, ticks);
        int r = umem_write(p, a[0], b, sizeof(b));
        if (r < 0)
            return r;
    }
    return (int64_t)(host_monotonic_ns() / 10000000ull);
}

int64_t sys_getrusage(uproc *p, const uint64_t a[6])
{
    int64_t who = (int64_t)a[0];
    if (who != 0 && who != -1 && who != 1) /* SELF, CHILDREN, THREAD */
        return -EINVAL;
    uint8_t b[144];
    memset(b, 0, sizeof(b));
    if (who != -1) {
        uint64_t ns = cpu_ns(p);
        usys_put64(b, 0, ns / 1000000000ull);
        usys_put64(b, 8, ns % 1000000000ull / 1000);
    }
    return umem_write(p, a[1], b, sizeof(b));
}
