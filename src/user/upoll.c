/* Readiness of guest fds, host fds and guest-side files (eventfd, timerfd,
 * signalfd, epoll, proxy files) alike, and the calls built on it: ppoll,
 * pselect6 (and epoll_pwait in sys_epoll.c).
 *
 * A wait polls the host fds without blocking, asks each guest-side file
 * (uvfs_file_ops.poll), and when nothing is ready suspends the calling
 * thread until a host fd is ready, a guest-side file changes (uthread_kick),
 * a timer of one of them is due (uvfs_file_ops.deadline), the timeout
 * passes, or a signal comes (EINTR); then it looks again. */
#include "upoll.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>

#include "syscall.h"
#include "uthread.h"
#include "uvfs.h"

static const struct { uint16_t lx; short host; } bits[] = {
    {UPOLL_IN, POLLIN}, {UPOLL_PRI, POLLPRI}, {UPOLL_OUT, POLLOUT}, {UPOLL_ERR, POLLERR},
    {UPOLL_HUP, POLLHUP}, {UPOLL_NVAL, POLLNVAL}, {0x40, POLLRDNORM}, {0x100, POLLWRNORM},
};
#define NBITS (sizeof(bits) / sizeof(bits[0]))

static short to_host(uint16_t lx)
{
    short h = 0;
    for (size_t k = 0; k < NBITS; k++)
        if (lx & bits[k].lx)
            h |= bits[k].host;
    return h;
}

static uint16_t from_host(short h)
{
    uint16_t lx = 0;
    for (size_t k = 0; k < NBITS; k++)
        if (h & bits[k].host)
            lx |= bits[k].lx;
    return lx;
}

/* One look at every item; the host fds are polled without waiting. Returns
 * the ready count; *next is the earliest guest-side timer (0: none). */
static int look(uproc *p, upoll_item *it, struct pollfd *h, size_t n, uint64_t *next)
{
    int ready = 0;
    *next = 0;
    for (size_t i = 0; i < n; i++) {
        ufd *e = it[i].fd >= 0 ? ufds_get(p, it[i].fd) : NULL;
        h[i].fd = -1;
        h[i].events = 0;
        h[i].revents = 0;
        it[i].revents = 0;
        if (it[i].fd < 0)
            continue;
        if (!e) {
            it[i].revents = UPOLL_NVAL;
        } else if (e->vf) {
            const uvfs_file_ops *ops = e->vf->ops;
            uint16_t have = ops->poll ? (uint16_t)ops->poll(p, e->vf) : (UPOLL_IN | UPOLL_OUT | 0x40 | 0x100);
            it[i].revents = have & (it[i].events | UPOLL_ERR | UPOLL_HUP);
            uint64_t d = ops->deadline ? ops->deadline(p, e->vf) : 0;
            if (d && (!*next || d < *next))
                *next = d;
        } else {
            h[i].fd = e->host;
            h[i].events = to_host(it[i].events);
        }
    }
    if (n && host_poll(p->host, h, n, 0) > 0)
        for (size_t i = 0; i < n; i++)
            if (h[i].fd >= 0)
                it[i].revents = from_host(h[i].revents);
    for (size_t i = 0; i < n; i++)
        ready += it[i].revents != 0;
    return ready;
}

int upoll_wait(uproc *p, upoll_item *it, size_t n, int64_t timeout_ns)
{
    struct pollfd *h = n ? host_alloc(p->host, sizeof(*h) * n) : NULL;
    if (n && !h)
        return -ENOMEM;
    uint64_t deadline = timeout_ns > 0 ? host_monotonic_ns() + (uint64_t)timeout_ns : 0;
    int r;
    for (;;) {
        uint64_t next;
        r = look(p, it, h, n, &next);
        if (r || timeout_ns == 0)
            break;
        uint64_t now = host_monotonic_ns();
        if (deadline && now >= deadline)
            break;
        if (deadline && (!next || deadline < next))
            next = deadline;
        /* Host fds being polled must not be -1 for the host: they are. */
        r = uthread_poll_kickable(p, h, n, next);
        if (r < 0)
            break;
    }
    host_free(p->host, h);
    return r;
}

/* A temporary signal mask for the wait (ppoll, pselect6, epoll_pwait): the
 * old one comes back when the call returns (after a handler it let in). */
int upoll_set_mask(uproc *p, uint64_t va, uint64_t size)
{
    if (!va)
        return 0;
    if (size != 8)
        return -EINVAL;
    uint8_t m[8];
    int r = umem_read(p, va, m, 8);
    if (r < 0)
        return r;
    struct usig_thread *th = usig_current(p);
    th->saved_mask = th->blocked;
    th->saved_mask_valid = 1;
    th->blocked = usys_get64(m, 0) & ~((1ull << (LX_SIGKILL - 1)) | (1ull << (LX_SIGSTOP - 1)));
    return 0;
}

/* A timespec timeout: -1 for none, else ns (-EINVAL when malformed). */
static int64_t timeout_of(uproc *p, uint64_t va, int *err)
{
    *err = 0;
    if (!va)
        return -1;
    int64_t sec, nsec;
    int r = usys_get_timespec(p, va, &sec, &nsec);
    if (r < 0 || sec < 0 || nsec < 0 || nsec > 999999999) {
        *err = r < 0 ? r : -EINVAL;
        return 0;
    }
    if (sec > 4000000000ll)
        sec = 4000000000ll;
    return sec * 1000000000ll + nsec;
}

int64_t sys_ppoll(uproc *p, const uint64_t a[6])
{
    uint64_t n = a[1];
    if (n > UFDS_MAX)
        return -EINVAL;
    int err;
    int64_t timeout = timeout_of(p, a[2], &err);
    if (err)
        return err;
    uint8_t *g = n ? umem_ptr(p, a[0], 8 * n, PROT_READ | PROT_WRITE) : NULL;
    if (n && !g)
        return -EFAULT;
    if ((err = upoll_set_mask(p, a[3], a[4])) < 0)
        return err;
    upoll_item *it = n ? host_alloc(p->host, sizeof(*it) * n) : NULL;
    if (n && !it)
        return -ENOMEM;
    for (uint64_t i = 0; i < n; i++) {
        it[i].fd = (int32_t)usys_get32(g, (unsigned)(8 * i));
        it[i].events = (uint16_t)(g[8 * i + 4] | g[8 * i + 5] << 8);
    }
    int r = upoll_wait(p, it, (size_t)n, timeout);
    if (r >= 0)
        for (uint64_t i = 0; i < n; i++)
            usys_put16(g, (unsigned)(8 * i + 6), it[i].revents);
    host_free(p->host, it);
    return r;
}

/* pselect6(n, in, out, except, timeout, {sigmask, size}). */
int64_t sys_pselect6(uproc *p, const uint64_t a[6])
{
    int64_t nfds = (int64_t)a[0];
    if (nfds < 0)
        return -EINVAL;
    if (nfds > UFDS_MAX)
        nfds = UFDS_MAX;
    int err;
    int64_t timeout = timeout_of(p, a[4], &err);
    if (err)
        return err;
    size_t words = (size_t)(nfds + 63) / 64;
    uint64_t sets[3][UFDS_MAX / 64];
    memset(sets, 0, sizeof(sets));
    for (int k = 0; k < 3; k++) {
        uint8_t b[UFDS_MAX / 8];
        if (a[1 + k] && words) {
            int r = umem_read(p, a[1 + k], b, words * 8);
            if (r < 0)
                return r;
            for (size_t w = 0; w < words; w++)
                sets[k][w] = usys_get64(b, (unsigned)(8 * w));
        }
    }
    if (a[5]) { /* { const sigset_t *ss; size_t ss_len } */
        uint8_t sm[16];
        int r = umem_read(p, a[5], sm, 16);
        if (r < 0 || (r = upoll_set_mask(p, usys_get64(sm, 0), usys_get64(sm, 8))) < 0)
            return r;
    }
    upoll_item *it = host_alloc(p->host, sizeof(*it) * (size_t)(nfds ? nfds : 1));
    if (!it)
        return -ENOMEM;
    size_t n = 0;
    for (int64_t fd = 0; fd < nfds; fd++) {
        uint64_t bit = 1ull << (fd % 64);
        uint16_t ev = (uint16_t)(((sets[0][fd / 64] & bit) ? UPOLL_IN : 0) | ((sets[1][fd / 64] & bit) ? UPOLL_OUT : 0) |
                                 ((sets[2][fd / 64] & bit) ? UPOLL_PRI : 0));
        if (!ev)
            continue;
        if (!ufds_get(p, fd)) {
            host_free(p->host, it);
            return -EBADF;
        }
        it[n].fd = (int)fd;
        it[n].events = ev;
        n++;
    }
    int r = upoll_wait(p, it, n, timeout);
    if (r >= 0) {
        memset(sets, 0, sizeof(sets));
        r = 0;
        for (size_t i = 0; i < n; i++) {
            int fd = it[i].fd;
            uint64_t bit = 1ull << (fd % 64);
            uint16_t got = it[i].revents;
            int hits[3] = {(it[i].events & UPOLL_IN) && (got & (UPOLL_IN | UPOLL_HUP | UPOLL_ERR)),
                           (it[i].events & UPOLL_OUT) && (got & (UPOLL_OUT | UPOLL_ERR)),
                           (it[i].events & UPOLL_PRI) && (got & UPOLL_PRI)};
            for (int k = 0; k < 3; k++)
                if (hits[k]) {
                    sets[k][fd / 64] |= bit;
                    r++;
                }
        }
        for (int k = 0; k < 3; k++) {
            uint8_t b[UFDS_MAX / 8];
            if (!a[1 + k] || !words)
                continue;
            for (size_t w = 0; w < words; w++)
                usys_put64(b, (unsigned)(8 * w), sets[k][w]);
            int wr = umem_write(p, a[1 + k], b, words * 8);
            if (wr < 0) {
                r = wr;
                break;
            }
        }
    }
    host_free(p->host, it);
    return r;
}
