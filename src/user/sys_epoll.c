/* epoll: an interest list kept in a guest-side file, waited on with the
 * readiness core of ppoll (upoll.c), so host fds, pipes, eventfds, timerfds
 * and signalfds mix in one set. Level-triggered; EPOLLET is taken as
 * level-triggered too (a program that reads until EAGAIN, as edge-triggered
 * ones must, sees no difference), and EPOLLONESHOT disables the entry once
 * reported, until EPOLL_CTL_MOD. Entries follow the fd number: a closed fd
 * is dropped at the next wait, as Linux drops a closed file. */
#include "syscall.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "fdtable.h"
#include "upoll.h"
#include "uthread.h"
#include "uvfs.h"

#define LX_EPOLL_CTL_ADD 1
#define LX_EPOLL_CTL_DEL 2
#define LX_EPOLL_CTL_MOD 3
#define LX_EPOLLONESHOT (1u << 30)
#define LX_EPOLLET (1u << 31)
#define EPOLL_EVENT_SIZE 16 /* riscv64: u32 events, padding, u64 data */
#define EPOLL_MAX_EVENTS (0x7fffffff / EPOLL_EVENT_SIZE)

typedef struct epoll_entry {
    int fd;
    uint32_t events;
    uint64_t data;
    int disabled; /* EPOLLONESHOT fired */
} epoll_entry;

typedef struct epoll_state {
    epoll_entry *v;
    int n, cap;
} epoll_state;

static void ep_close(uproc *p, uvfs_file *f)
{
    epoll_state *s = f->handle;
    if (s) {
        host_free(p->host, s->v);
        host_free(p->host, s);
    }
}

/* The items to poll for the enabled entries (fds that are still open). */
static size_t gather(uproc *p, epoll_state *s, upoll_item *it, int *index)
{
    size_t n = 0;
    for (int i = 0; i < s->n; i++) {
        if (s->v[i].disabled || !ufds_get(p, s->v[i].fd))
            continue;
        it[n].fd = s->v[i].fd;
        it[n].events = (uint16_t)(s->v[i].events & 0xffff);
        index[n++] = i;
    }
    return n;
}

static int ep_poll(uproc *p, uvfs_file *f);

static const uvfs_file_ops epoll_ops = {
    .read = uvfs_no_read, .write = uvfs_no_write, .seek = uvfs_no_seek, .fstat = uvfs_anon_fstat,
    .getdents = uvfs_no_getdents, .ftruncate = uvfs_no_ftruncate, .close = ep_close, .poll = ep_poll,
};

/* An epoll fd is readable when one of its entries is ready (nested sets:
 * an epoll in another's list or in poll). */
static int ep_poll(uproc *p, uvfs_file *f)
{
    epoll_state *s = f->handle;
    if (!s->n)
        return 0;
    upoll_item *it = host_alloc(p->host, sizeof(*it) * (size_t)s->n);
    int *index = host_alloc(p->host, sizeof(int) * (size_t)s->n);
    int ready = 0;
    if (it && index) {
        size_t n = 0;
        for (int i = 0; i < s->n; i++) /* not itself nor another epoll: no loops */
            if (!s->v[i].disabled) {
                ufd *e = ufds_get(p, s->v[i].fd);
                if (e && !(e->vf && e->vf->ops == &epoll_ops)) {
                    it[n].fd = s->v[i].fd;
                    it[n].events = (uint16_t)(s->v[i].events & 0xffff);
                    n++;
                }
            }
        ready = upoll_wait(p, it, n, 0) > 0;
    }
    host_free(p->host, it);
    host_free(p->host, index);
    return ready ? UPOLL_IN : 0;
}

static epoll_state *epoll_of(uproc *p, int64_t fd, int *err)
{
    ufd *e = ufds_get(p, fd);
    *err = !e ? -EBADF : (!e->vf || e->vf->ops != &epoll_ops) ? -EINVAL : 0;
    return *err ? NULL : e->vf->handle;
}

int64_t sys_epoll_create1(uproc *p, const uint64_t a[6])
{
    if (a[0] & ~(uint64_t)LX_O_CLOEXEC)
        return -EINVAL;
    epoll_state *s = host_alloc(p->host, sizeof(*s));
    if (!s)
        return -ENOMEM;
    uvfs_file *f = uvfs_file_new(p, &epoll_ops, 2 /* O_RDWR */);
    if (!f) {
        host_free(p->host, s);
        return -ENOMEM;
    }
    f->handle = s;
    int r = ufds_add_vf(p, 0, f, (a[0] & LX_O_CLOEXEC) != 0, NULL);
    uvfs_file_unref(p, f);
    return r;
}

int64_t sys_epoll_ctl(uproc *p, const uint64_t a[6])
{
    int err;
    epoll_state *s = epoll_of(p, (int64_t)a[0], &err);
    if (!s)
        return err;
    int fd = (int)a[2];
    ufd *target = ufds_get(p, fd);
    if (!target)
        return -EBADF;
    if (fd == (int)a[0])
        return -EINVAL;
    if (target->host >= 0 && !target->vf) { /* regular files and directories: Linux refuses them */
        uvfs_stat st;
        if (uvfs_fstat(p, target, &st) == 0 &&
            ((st.mode & UVFS_S_IFMT) == UVFS_S_IFREG || (st.mode & UVFS_S_IFMT) == UVFS_S_IFDIR))
            return -EPERM;
    }
    int op = (int)a[1];
    uint8_t b[EPOLL_EVENT_SIZE];
    if (op != LX_EPOLL_CTL_DEL) {
        int r = umem_read(p, a[3], b, sizeof(b));
        if (r < 0)
            return r;
    }
    int at = -1;
    for (int i = 0; i < s->n; i++)
        if (s->v[i].fd == fd)
            at = i;
    switch (op) {
    case LX_EPOLL_CTL_ADD:
        if (at >= 0)
            return -EEXIST;
        if (s->n == s->cap) {
            int cap = s->cap ? s->cap * 2 : 8;
            epoll_entry *nv = host_realloc(p->host, s->v, sizeof(*nv) * (size_t)cap);
            if (!nv)
                return -ENOMEM;
            s->v = nv;
            s->cap = cap;
        }
        at = s->n++;
        s->v[at].fd = fd;
        /* fall through */
    case LX_EPOLL_CTL_MOD:
        if (at < 0)
            return -ENOENT;
        s->v[at].events = usys_get32(b, 0) | UPOLL_ERR | UPOLL_HUP; /* always reported */
        s->v[at].data = usys_get64(b, 8);
        s->v[at].disabled = 0;
        break;
    case LX_EPOLL_CTL_DEL:
        if (at < 0)
            return -ENOENT;
        s->v[at] = s->v[--s->n];
        break;
    default:
        return -EINVAL;
    }
    uthread_kick(p); /* a thread in epoll_wait looks at the new list */
    return 0;
}

/* epoll_pwait(epfd, events, maxevents, timeout_ms, sigmask, sigsetsize). */
int64_t sys_epoll_pwait(uproc *p, const uint64_t a[6])
{
    int err;
    epoll_state *s = epoll_of(p, (int64_t)a[0], &err);
    if (!s)
        return err;
    int max = (int)a[2];
    if (max <= 0 || max > EPOLL_MAX_EVENTS)
        return -EINVAL;
    uint8_t *out = umem_ptr(p, a[1], (size_t)max * EPOLL_EVENT_SIZE, PROT_WRITE);
    if (!out)
        return -EFAULT;
    int r = upoll_set_mask(p, a[4], a[5]);
    if (r < 0)
        return r;
    int timeout_ms = (int)a[3];
    int64_t timeout = timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000000;
    uint64_t deadline = timeout > 0 ? host_monotonic_ns() + (uint64_t)timeout : 0;
    for (;;) {
        /* The list may change while we wait (epoll_ctl from another
         * thread kicks us): gather it afresh each time. */
        int cap = s->n ? s->n : 1;
        upoll_item *it = host_alloc(p->host, sizeof(*it) * (size_t)cap);
        int *index = host_alloc(p->host, sizeof(int) * (size_t)cap);
        if (!it || !index) {
            host_free(p->host, it);
            host_free(p->host, index);
            return -ENOMEM;
        }
        size_t n = gather(p, s, it, index);
        int64_t left = timeout;
        if (deadline) {
            uint64_t now = host_monotonic_ns();
            left = now >= deadline ? 0 : (int64_t)(deadline - now);
        }
        r = upoll_wait(p, it, n, n ? left : 0);
        int got = 0;
        for (size_t i = 0; r > 0 && i < n && got < max; i++) {
            if (!it[i].revents)
                continue;
            epoll_entry *en = &s->v[index[i]];
            usys_put32(out + EPOLL_EVENT_SIZE * got, 0, it[i].revents);
            usys_put32(out + EPOLL_EVENT_SIZE * got, 4, 0);
            usys_put64(out + EPOLL_EVENT_SIZE * got, 8, en->data);
            if (en->events & LX_EPOLLONESHOT)
                en->disabled = 1;
            got++;
        }
        host_free(p->host, it);
        host_free(p->host, index);
        if (r < 0)
            return r;
        if (got || timeout == 0 || (deadline && host_monotonic_ns() >= deadline))
            return got;
        if (!n) { /* nothing to watch: wait for a change to the list, a signal or the timeout */
            r = uthread_poll_kickable(p, NULL, 0, deadline);
            if (r < 0)
                return r == -EAGAIN ? 0 : r;
        }
    }
}
