/* Timers that raise signals: setitimer/getitimer (alarm is setitimer in the
 * C library) and the POSIX timer_* family.
 *
 * A timer is a deadline on the host's monotonic clock and an interval. Every
 * armed timer is checked where the scheduler looks anyway (uthread.c: between
 * slices of a running thread, and before it picks a thread); the earliest
 * deadline is what the host sleeps until when every thread waits, so a
 * program waiting in pause() for its alarm is not a deadlock. Firing raises
 * the timer's signal (usig_raise_info), which interrupts the wait of the
 * thread that takes it.
 *
 * The CPU-time timers (ITIMER_VIRTUAL, ITIMER_PROF, timers on the CPU-time
 * clocks) run on the monotonic clock: guest threads are coroutines on one
 * host thread, so a guest that computes all the time uses about as much CPU
 * time as wall time. */
#include "syscall.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "uthread.h"
#include "uvfs.h"

#define NS 1000000000ull
#define UTIMER_MAX 64 /* POSIX timers per process */

enum { SIGEV_SIGNAL_LX = 0, SIGEV_NONE_LX = 1, SIGEV_THREAD_LX = 2, SIGEV_THREAD_ID_LX = 4 };

typedef struct utimer {
    int used;
    uint64_t deadline; /* monotonic ns; 0 = disarmed */
    uint64_t interval; /* ns; 0 = one shot */
    int sig, notify, tid;
    int clock;      /* Linux clock id (TIMER_ABSTIME values are on it) */
    uint64_t value; /* sigev_value */
    int overrun;    /* expirations missed before the last signal */
} utimer;

struct utimers {
    utimer itimer[3]; /* ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF */
    utimer posix[UTIMER_MAX];
};

static struct utimers *timers(uproc *p, int make)
{
    struct usys *s = usys_state(p);
    if (!s)
        return NULL;
    if (!s->timers && make)
        s->timers = host_alloc(p->host, sizeof(*s->timers));
    return s->timers;
}

void utimer_fini(uproc *p)
{
    if (p->sys && p->sys->timers) {
        host_free(p->host, p->sys->timers);
        p->sys->timers = NULL;
    }
}

void utimer_exec(uproc *p)
{
    /* POSIX timers end with the old image; the interval timers go on. */
    struct utimers *t = timers(p, 0);
    if (t)
        memset(t->posix, 0, sizeof(t->posix));
}

static void fire(uproc *p, utimer *t, int posix_id, uint64_t now)
{
    uint64_t missed = 0;
    if (t->interval) {
        missed = (now - t->deadline) / t->interval;
        t->deadline += (missed + 1) * t->interval;
    } else {
        t->deadline = 0;
    }
    t->overrun = missed > 0x7fffffff ? 0x7fffffff : (int)missed;
    if (posix_id < 0)
        usig_raise_info(p, t->sig, 0, LX_SI_KERNEL, 0, 0, 0, 0);
    else if (t->notify != SIGEV_NONE_LX)
        usig_raise_info(p, t->sig, t->notify == SIGEV_THREAD_ID_LX ? t->tid : 0, LX_SI_TIMER, posix_id, t->overrun,
                        t->value, 1);
}

void utimer_poll(uproc *p)
{
    struct utimers *ts = p->sys ? p->sys->timers : NULL;
    if (!ts)
        return;
    uint64_t now = host_monotonic_ns();
    for (int i = 0; i < 3; i++)
        if (ts->itimer[i].deadline && ts->itimer[i].deadline <= now)
            fire(p, &ts->itimer[i], -1, now);
    for (int i = 0; i < UTIMER_MAX; i++)
        if (ts->posix[i].used && ts->posix[i].deadline && ts->posix[i].deadline <= now)
            fire(p, &ts->posix[i], i, now);
}

uint64_t utimer_next(uproc *p)
{
    struct utimers *ts = p->sys ? p->sys->timers : NULL;
    uint64_t best = 0;
    if (!ts)
        return 0;
    for (int i = 0; i < 3 + UTIMER_MAX; i++) {
        const utimer *t = i < 3 ? &ts->itimer[i] : &ts->posix[i - 3];
        if ((i < 3 || t->used) && t->deadline && t->notify != SIGEV_NONE_LX && (!best || t->deadline < best))
            best = t->deadline;
    }
    return best;
}

/* ---- time values ---- */

static uint64_t to_ns(int64_t sec, int64_t frac_ns)
{
    if (sec > 4000000000ll) /* far enough to mean never, without overflow */
        sec = 4000000000ll;
    return (uint64_t)sec * NS + (uint64_t)frac_ns;
}

static uint64_t remaining(const utimer *t, uint64_t now)
{
    return !t->deadline ? 0 : t->deadline > now ? t->deadline - now : 1;
}

/* ---- setitimer / getitimer ---- */

static int put_itimerval(uproc *p, uint64_t va, const utimer *t, uint64_t now)
{
    uint8_t b[32];
    uint64_t left = remaining(t, now);
    usys_put64(b, 0, t->interval / NS);
    usys_put64(b, 8, t->interval % NS / 1000);
    usys_put64(b, 16, left / NS);
    usys_put64(b, 24, (left % NS + 999) / 1000);
    if (left % NS + 999 >= NS) { /* rounding up made a whole second */
        usys_put64(b, 16, left / NS + 1);
        usys_put64(b, 24, 0);
    }
    return umem_write(p, va, b, sizeof(b));
}

int64_t sys_getitimer(uproc *p, const uint64_t a[6])
{
    if (a[0] > 2)
        return -EINVAL;
    struct utimers *ts = timers(p, 1);
    if (!ts)
        return -ENOMEM;
    return put_itimerval(p, a[1], &ts->itimer[a[0]], host_monotonic_ns());
}

int64_t sys_setitimer(uproc *p, const uint64_t a[6])
{
    static const int sigs[3] = {LX_SIGALRM, LX_SIGVTALRM, LX_SIGPROF};
    if (a[0] > 2)
        return -EINVAL;
    struct utimers *ts = timers(p, 1);
    if (!ts)
        return -ENOMEM;
    utimer *t = &ts->itimer[a[0]];
    uint8_t b[32];
    int r = 0;
    if (a[1] && (r = umem_read(p, a[1], b, sizeof(b))) < 0)
        return r;
    uint64_t now = host_monotonic_ns();
    if (a[2] && (r = put_itimerval(p, a[2], t, now)) < 0)
        return r;
    if (!a[1])
        return 0; /* Linux takes a NULL new value as "disarm"; old kernels did */
    int64_t isec = (int64_t)usys_get64(b, 0), iusec = (int64_t)usys_get64(b, 8);
    int64_t vsec = (int64_t)usys_get64(b, 16), vusec = (int64_t)usys_get64(b, 24);
    if (isec < 0 || iusec < 0 || iusec > 999999 || vsec < 0 || vusec < 0 || vusec > 999999)
        return -EINVAL;
    t->sig = sigs[a[0]];
    t->interval = to_ns(isec, iusec * 1000);
    uint64_t v = to_ns(vsec, vusec * 1000);
    t->deadline = v ? now + v : 0;
    return 0;
}

/* ---- timer_create family ---- */

static utimer *posix_timer(uproc *p, uint64_t id)
{
    struct utimers *ts = timers(p, 0);
    if (!ts || id >= UTIMER_MAX || !ts->posix[id].used)
        return NULL;
    return &ts->posix[id];
}

int64_t sys_timer_create(uproc *p, const uint64_t a[6])
{
    int64_t clk = (int64_t)a[0];
    if (clk != 0 && clk != 1 && clk != 2 && clk != 3 && clk != 7 && clk != 8 && clk != 9)
        return -EINVAL;
    struct utimers *ts = timers(p, 1);
    if (!ts)
        return -ENOMEM;
    utimer n = {.used = 1, .sig = LX_SIGALRM, .notify = SIGEV_SIGNAL_LX, .clock = (int)clk};
    if (a[1]) {
        uint8_t ev[20];
        int r = umem_read(p, a[1], ev, sizeof(ev));
        if (r < 0)
            return r;
        n.value = usys_get64(ev, 0);
        n.sig = (int)usys_get32(ev, 8);
        n.notify = (int)usys_get32(ev, 12);
        n.tid = (int)usys_get32(ev, 16);
        if (n.notify != SIGEV_SIGNAL_LX && n.notify != SIGEV_NONE_LX && n.notify != SIGEV_THREAD_ID_LX)
            return -EINVAL; /* SIGEV_THREAD is the C library's, never the kernel's */
        if (n.notify != SIGEV_NONE_LX && (n.sig < 1 || n.sig > LX_NSIG))
            return -EINVAL;
        if (n.notify == SIGEV_THREAD_ID_LX && !uthread_has_tid(p, n.tid))
            return -EINVAL;
    }
    int id = 0;
    while (id < UTIMER_MAX && ts->posix[id].used)
        id++;
    if (id == UTIMER_MAX)
        return -EAGAIN;
    if (!a[1])
        n.value = (uint64_t)id; /* the default sigev_value is the timer id */
    uint8_t b[4];
    usys_put32(b, 0, (uint32_t)id);
    int r = umem_write(p, a[2], b, 4);
    if (r < 0)
        return r;
    ts->posix[id] = n;
    return 0;
}

int usys_put_itimerspec(uproc *p, uint64_t va, uint64_t interval, uint64_t deadline)
{
    uint8_t b[32];
    uint64_t now = host_monotonic_ns();
    uint64_t left = !deadline ? 0 : deadline > now ? deadline - now : 1;
    usys_put64(b, 0, interval / NS);
    usys_put64(b, 8, interval % NS);
    usys_put64(b, 16, left / NS);
    usys_put64(b, 24, left % NS);
    return umem_write(p, va, b, sizeof(b));
}

int usys_get_itimerspec(uproc *p, uint64_t va, uint64_t *interval, uint64_t *value)
{
    uint8_t b[32];
    int r = umem_read(p, va, b, sizeof(b));
    if (r < 0)
        return r;
    int64_t is = (int64_t)usys_get64(b, 0), ins = (int64_t)usys_get64(b, 8);
    int64_t vs = (int64_t)usys_get64(b, 16), vns = (int64_t)usys_get64(b, 24);
    if (is < 0 || ins < 0 || ins > 999999999 || vs < 0 || vns < 0 || vns > 999999999)
        return -EINVAL;
    *interval = to_ns(is, ins);
    *value = to_ns(vs, vns);
    return 0;
}

uint64_t usys_timer_deadline(uproc *p, int clock, uint64_t value, int abstime)
{
    uint64_t now = host_monotonic_ns();
    if (!value)
        return 0;
    if (!abstime)
        return now + value;
    int64_t sec = 0, nsec = 0; /* value is a time on the clock: measured from its now */
    uvfs_clock_gettime(p, clock, &sec, &nsec);
    uint64_t clock_now = to_ns(sec, nsec);
    return value > clock_now ? now + (value - clock_now) : now;
}

int64_t sys_timer_settime(uproc *p, const uint64_t a[6])
{
    utimer *t = posix_timer(p, a[0]);
    if (!t)
        return -EINVAL;
    if (a[1] & ~1ull)
        return -EINVAL;
    uint64_t interval, value;
    int r = usys_get_itimerspec(p, a[2], &interval, &value);
    if (r < 0)
        return r;
    if (a[3] && (r = usys_put_itimerspec(p, a[3], t->interval, t->deadline)) < 0)
        return r;
    t->interval = interval;
    t->deadline = usys_timer_deadline(p, t->clock, value, (a[1] & 1) != 0); /* TIMER_ABSTIME */
    t->overrun = 0;
    return 0;
}

int64_t sys_timer_gettime(uproc *p, const uint64_t a[6])
{
    utimer *t = posix_timer(p, a[0]);
    return t ? usys_put_itimerspec(p, a[1], t->interval, t->deadline) : -EINVAL;
}

int64_t sys_timer_getoverrun(uproc *p, const uint64_t a[6])
{
    utimer *t = posix_timer(p, a[0]);
    return t ? t->overrun : -EINVAL;
}

int64_t sys_timer_delete(uproc *p, const uint64_t a[6])
{
    utimer *t = posix_timer(p, a[0]);
    if (!t)
        return -EINVAL;
    memset(t, 0, sizeof(*t));
    return 0;
}
