/* Guest-side files: eventfd, timerfd and signalfd. Each is a uvfs_file whose
 * state lives here, not in the host (iOS has none of them), with a poll op
 * for ppoll/pselect6/epoll (upoll.c). A blocking read suspends the calling
 * guest thread until the file changes (uthread_kick), its timer is due, or
 * a signal interrupts it. */
#include "syscall.h"

#include <errno.h>
#include <string.h>

#include "fdtable.h"
#include "upoll.h"
#include "uthread.h"
#include "uvfs.h"

#define NS 1000000000ull
#define LX_EFD_SEMAPHORE 1
#define LX_TFD_TIMER_ABSTIME 1
#define LX_TFD_TIMER_CANCEL_ON_SET 2

/* ---- what the three have in common ---- */

static void free_handle(uproc *p, uvfs_file *f)
{
    host_free(p->host, f->handle);
}

/* Wait for the file to change (or deadline, 0: none): 0 to look again, or
 * -EAGAIN (non-blocking) / -EINTR. */
static int wait_change(uproc *p, uvfs_file *f, uint64_t deadline)
{
    if (f->lxflags & LX_O_NONBLOCK)
        return -EAGAIN;
    return uthread_poll_kickable(p, NULL, 0, deadline);
}

/* Install a new file with its state as a guest fd. */
static int64_t install(uproc *p, const uvfs_file_ops *ops, void *state, int nonblock, int cloexec)
{
    uvfs_file *f = uvfs_file_new(p, ops, 2 /* O_RDWR */ | (nonblock ? LX_O_NONBLOCK : 0));
    if (!f) {
        host_free(p->host, state);
        return -ENOMEM;
    }
    f->handle = state;
    int r = ufds_add_vf(p, 0, f, cloexec, NULL);
    uvfs_file_unref(p, f); /* the table holds it now (or nobody: freed) */
    return r;
}

/* The uvfs_file of guest fd if it is one of ops's, else NULL. */
static uvfs_file *file_of(uproc *p, int64_t fd, const uvfs_file_ops *ops)
{
    ufd *e = ufds_get(p, fd);
    return e && e->vf && e->vf->ops == ops ? e->vf : NULL;
}

/* ---- eventfd ---- */

#define EVENTFD_MAX 0xfffffffffffffffeull

typedef struct eventfd_state {
    uint64_t count;
    int semaphore;
} eventfd_state;

static int64_t efd_read(uproc *p, uvfs_file *f, void *buf, size_t n, int64_t off)
{
    (void)off;
    eventfd_state *s = f->handle;
    if (n < 8)
        return -EINVAL;
    while (!s->count) {
        int r = wait_change(p, f, 0);
        if (r < 0)
            return r;
    }
    uint64_t v = s->semaphore ? 1 : s->count;
    s->count -= v;
    usys_put64(buf, 0, v);
    uthread_kick(p); /* a writer waiting for room */
    return 8;
}

static int64_t efd_write(uproc *p, uvfs_file *f, const void *buf, size_t n, int64_t off)
{
    (void)off;
    eventfd_state *s = f->handle;
    if (n < 8)
        return -EINVAL;
    uint64_t v = usys_get64(buf, 0);
    if (v == UINT64_MAX)
        return -EINVAL;
    while (s->count > EVENTFD_MAX - v) {
        int r = wait_change(p, f, 0);
        if (r < 0)
            return r;
    }
    s->count += v;
    uthread_kick(p);
    return 8;
}

static int efd_poll(uproc *p, uvfs_file *f)
{
    (void)p;
    eventfd_state *s = f->handle;
    return (s->count ? UPOLL_IN : 0) | (s->count < EVENTFD_MAX ? UPOLL_OUT : 0);
}

static const uvfs_file_ops eventfd_ops = {
    .read = efd_read, .write = efd_write, .seek = uvfs_no_seek, .fstat = uvfs_anon_fstat, .getdents = uvfs_no_getdents,
    .ftruncate = uvfs_no_ftruncate, .close = free_handle, .poll = efd_poll,
};

int64_t sys_eventfd2(uproc *p, const uint64_t a[6])
{
    if (a[1] & ~(uint64_t)(LX_O_CLOEXEC | LX_O_NONBLOCK | LX_EFD_SEMAPHORE))
        return -EINVAL;
    eventfd_state *s = host_alloc(p->host, sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->count = (uint32_t)a[0];
    s->semaphore = (a[1] & LX_EFD_SEMAPHORE) != 0;
    return install(p, &eventfd_ops, s, (a[1] & LX_O_NONBLOCK) != 0, (a[1] & LX_O_CLOEXEC) != 0);
}

/* ---- timerfd ---- */

typedef struct timerfd_state {
    int clock;
    uint64_t deadline, interval; /* monotonic ns (0: disarmed), ns */
    uint64_t expirations;        /* since the last read */
} timerfd_state;

/* Count the expirations up to now. */
static void tfd_update(timerfd_state *s)
{
    if (!s->deadline)
        return;
    uint64_t now = host_monotonic_ns();
    if (now < s->deadline)
        return;
    if (s->interval) {
        uint64_t k = (now - s->deadline) / s->interval + 1;
        s->expirations += k;
        s->deadline += k * s->interval;
    } else {
        s->expirations++;
        s->deadline = 0;
    }
}

static int64_t tfd_read(uproc *p, uvfs_file *f, void *buf, size_t n, int64_t off)
{
    (void)off;
    timerfd_state *s = f->handle;
    if (n < 8)
        return -EINVAL;
    for (;;) {
        tfd_update(s);
        if (s->expirations)
            break;
        int r = wait_change(p, f, s->deadline);
        if (r < 0)
            return r;
    }
    usys_put64(buf, 0, s->expirations);
    s->expirations = 0;
    return 8;
}

static int tfd_poll(uproc *p, uvfs_file *f)
{
    (void)p;
    timerfd_state *s = f->handle;
    tfd_update(s);
    return s->expirations ? UPOLL_IN : 0;
}

static uint64_t tfd_deadline(uproc *p, uvfs_file *f)
{
    (void)p;
    return ((timerfd_state *)f->handle)->deadline;
}

static const uvfs_file_ops timerfd_ops = {
    .read = tfd_read, .write = uvfs_no_write, .seek = uvfs_no_seek, .fstat = uvfs_anon_fstat, .getdents = uvfs_no_getdents,
    .ftruncate = uvfs_no_ftruncate, .close = free_handle, .poll = tfd_poll, .deadline = tfd_deadline,
};

int64_t sys_timerfd_create(uproc *p, const uint64_t a[6])
{
    int64_t clk = (int64_t)a[0];
    if (clk != 0 && clk != 1 && clk != 7 && clk != 8 && clk != 9)
        return -EINVAL;
    if (a[1] & ~(uint64_t)(LX_O_CLOEXEC | LX_O_NONBLOCK))
        return -EINVAL;
    timerfd_state *s = host_alloc(p->host, sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->clock = (int)clk;
    return install(p, &timerfd_ops, s, (a[1] & LX_O_NONBLOCK) != 0, (a[1] & LX_O_CLOEXEC) != 0);
}

int64_t sys_timerfd_settime(uproc *p, const uint64_t a[6])
{
    uvfs_file *f = file_of(p, (int64_t)a[0], &timerfd_ops);
    if (!f)
        return ufds_get(p, (int64_t)a[0]) ? -EINVAL : -EBADF;
    if (a[1] & ~(uint64_t)(LX_TFD_TIMER_ABSTIME | LX_TFD_TIMER_CANCEL_ON_SET))
        return -EINVAL;
    timerfd_state *s = f->handle;
    uint64_t interval, value;
    int r = usys_get_itimerspec(p, a[2], &interval, &value);
    if (r < 0)
        return r;
    tfd_update(s);
    if (a[3] && (r = usys_put_itimerspec(p, a[3], s->interval, s->deadline)) < 0)
        return r;
    s->interval = interval;
    s->expirations = 0;
    s->deadline = usys_timer_deadline(p, s->clock, value, (a[1] & LX_TFD_TIMER_ABSTIME) != 0);
    uthread_kick(p); /* pollers take the new deadline */
    return 0;
}

int64_t sys_timerfd_gettime(uproc *p, const uint64_t a[6])
{
    uvfs_file *f = file_of(p, (int64_t)a[0], &timerfd_ops);
    if (!f)
        return ufds_get(p, (int64_t)a[0]) ? -EINVAL : -EBADF;
    timerfd_state *s = f->handle;
    tfd_update(s);
    return usys_put_itimerspec(p, a[1], s->interval, s->deadline);
}

/* ---- signalfd ---- */

typedef struct signalfd_state {
    uint64_t mask;
} signalfd_state;

/* struct signalfd_siginfo (128 bytes) from a siginfo_t. */
static void to_signalfd_info(const uint8_t si[128], uint8_t out[128])
{
    memset(out, 0, 128);
    int32_t code = (int32_t)usys_get32(si, 8);
    usys_put32(out, 0, usys_get32(si, 0)); /* ssi_signo */
    usys_put32(out, 4, usys_get32(si, 4)); /* ssi_errno */
    usys_put32(out, 8, (uint32_t)code);    /* ssi_code */
    if (code == LX_SI_TIMER) {
        usys_put32(out, 24, usys_get32(si, 16)); /* ssi_tid: the timer id */
        usys_put32(out, 32, usys_get32(si, 20)); /* ssi_overrun */
    } else {
        usys_put32(out, 12, usys_get32(si, 16)); /* ssi_pid */
        usys_put32(out, 16, usys_get32(si, 20)); /* ssi_uid */
    }
    usys_put32(out, 44, usys_get32(si, 24)); /* ssi_int */
    usys_put64(out, 48, usys_get64(si, 24)); /* ssi_ptr */
}

static int64_t sfd_read(uproc *p, uvfs_file *f, void *buf, size_t n, int64_t off)
{
    (void)off;
    signalfd_state *s = f->handle;
    if (n < 128)
        return -EINVAL;
    size_t got = 0;
    for (;;) {
        uint8_t si[128];
        while (got + 128 <= n && usig_take(p, s->mask, si))
            to_signalfd_info(si, (uint8_t *)buf + got), got += 128;
        if (got)
            return (int64_t)got;
        if (f->lxflags & LX_O_NONBLOCK)
            return -EAGAIN;
        int r = uthread_wait_signal(p, s->mask, 0);
        if (r == -EINTR || r == -EDEADLK)
            return r == -EINTR ? -EINTR : -EAGAIN;
    }
}

static int sfd_poll(uproc *p, uvfs_file *f)
{
    signalfd_state *s = f->handle;
    return (usig_pending_for(p, usig_current(p)) & s->mask) ? UPOLL_IN : 0;
}

static const uvfs_file_ops signalfd_ops = {
    .read = sfd_read, .write = uvfs_no_write, .seek = uvfs_no_seek, .fstat = uvfs_anon_fstat, .getdents = uvfs_no_getdents,
    .ftruncate = uvfs_no_ftruncate, .close = free_handle, .poll = sfd_poll,
};

int64_t sys_signalfd4(uproc *p, const uint64_t a[6])
{
    if (a[2] != 8 || (a[3] & ~(uint64_t)(LX_O_CLOEXEC | LX_O_NONBLOCK)))
        return -EINVAL;
    uint8_t b[8];
    int r = umem_read(p, a[1], b, 8);
    if (r < 0)
        return r;
    uint64_t mask = usys_get64(b, 0) & ~((1ull << (LX_SIGKILL - 1)) | (1ull << (LX_SIGSTOP - 1)));
    if ((int)a[0] != -1) {
        uvfs_file *f = file_of(p, (int)a[0], &signalfd_ops);
        if (!f)
            return ufds_get(p, (int)a[0]) ? -EINVAL : -EBADF;
        ((signalfd_state *)f->handle)->mask = mask;
        uthread_kick(p);
        return (int)a[0];
    }
    signalfd_state *s = host_alloc(p->host, sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->mask = mask;
    return install(p, &signalfd_ops, s, (a[3] & LX_O_NONBLOCK) != 0, (a[3] & LX_O_CLOEXEC) != 0);
}
