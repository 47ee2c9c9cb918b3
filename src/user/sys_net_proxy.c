/* The embedder's network (svm_proxy's network group): when the embedder
 * gives a socket callback, every guest socket is a uvfs_file holding the
 * embedder's handle, and the socket calls of sys_net.c come here. Addresses
 * and numbers go to the embedder as the guest's Linux bytes. An answer of
 * -EAGAIN on a blocking socket suspends the guest thread until something
 * may have changed: another guest thread's network call (uthread_kick) or
 * the next svm_run; then the call is made again. */
#include "unet.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "fdtable.h"
#include "splitvm.h"
#include "upoll.h"
#include "uthread.h"
#include "uvfs.h"

#define PX(p) ((p)->vfs->proxy)
#define OPQ(p) ((p)->vfs->proxy_opaque)
#define ADDR_MAX 128

typedef struct psock {
    void *handle;
    int domain, type;
} psock;

static void *H(uvfs_file *f)
{
    return ((psock *)f->handle)->handle;
}

/* Wait before asking the embedder again: 0, or -EAGAIN (non-blocking, or
 * no scheduler) / -EINTR. */
static int again(uproc *p, uvfs_file *f)
{
    if (f->lxflags & LX_O_NONBLOCK)
        return -EAGAIN;
    return uthread_poll_kickable(p, NULL, 0, 0);
}

static int64_t send_all(uproc *p, uvfs_file *f, const void *buf, size_t n, int flags, const void *addr,
                        size_t addrlen)
{
    if (!PX(p)->sendto)
        return -EOPNOTSUPP;
    for (;;) {
        int64_t r = PX(p)->sendto(OPQ(p), H(f), buf, n, flags, addr, addrlen);
        if (r != -EAGAIN || (flags & 0x40 /* MSG_DONTWAIT */)) {
            if (r >= 0)
                uthread_kick(p); /* a guest thread may wait for these bytes */
            return r;
        }
        int w = again(p, f);
        if (w < 0)
            return w;
    }
}

static int64_t recv_some(uproc *p, uvfs_file *f, void *buf, size_t n, int flags, void *addr, size_t *addrlen)
{
    if (!PX(p)->recvfrom)
        return -EOPNOTSUPP;
    for (;;) {
        int64_t r = PX(p)->recvfrom(OPQ(p), H(f), buf, n, flags, addr, addrlen);
        if (r != -EAGAIN || (flags & 0x40)) {
            if (r > 0)
                uthread_kick(p); /* room for a waiting sender */
            return r;
        }
        int w = again(p, f);
        if (w < 0)
            return w;
    }
}

/* ---- the socket as a file (read, write, poll, close) ---- */

static int64_t ps_read(uproc *p, uvfs_file *f, void *buf, size_t n, int64_t off)
{
    return off >= 0 ? -ESPIPE : recv_some(p, f, buf, n, 0, NULL, NULL);
}

static int64_t ps_write(uproc *p, uvfs_file *f, const void *buf, size_t n, int64_t off)
{
    return off >= 0 ? -ESPIPE : send_all(p, f, buf, n, 0, NULL, 0);
}

static int ps_fstat(uproc *p, uvfs_file *f, uvfs_stat *st)
{
    (void)p;
    memset(st, 0, sizeof(*st));
    st->mode = 0140000 | 0777; /* S_IFSOCK */
    st->nlink = 1;
    st->ino = (uint64_t)(uintptr_t)f->handle;
    st->blksize = 4096;
    return 0;
}

static void ps_close(uproc *p, uvfs_file *f)
{
    if (PX(p)->sock_close)
        PX(p)->sock_close(OPQ(p), H(f));
    host_free(p->host, f->handle);
    uthread_kick(p); /* the peer may see the end of the stream */
}

static int ps_poll(uproc *p, uvfs_file *f)
{
    return PX(p)->sock_poll ? PX(p)->sock_poll(OPQ(p), H(f)) : (UPOLL_IN | UPOLL_OUT);
}

static const uvfs_file_ops psock_ops = {
    .read = ps_read, .write = ps_write, .seek = uvfs_no_seek, .fstat = ps_fstat, .getdents = uvfs_no_getdents,
    .ftruncate = uvfs_no_ftruncate, .close = ps_close, .poll = ps_poll,
};

int unet_proxied(uproc *p)
{
    return p->vfs && p->vfs->proxy && p->vfs->proxy->socket;
}

uvfs_file *unet_proxy_file(uproc *p, int64_t fd)
{
    ufd *e = ufds_get(p, fd);
    return e && e->vf && e->vf->ops == &psock_ops ? e->vf : NULL;
}

static int64_t install(uproc *p, void *handle, int domain, int type, uint64_t flags)
{
    psock *s = host_alloc(p->host, sizeof(*s));
    uvfs_file *f = s ? uvfs_file_new(p, &psock_ops, 2 /* O_RDWR */ | ((flags & 04000) ? LX_O_NONBLOCK : 0)) : NULL;
    if (!f) {
        host_free(p->host, s);
        if (PX(p)->sock_close)
            PX(p)->sock_close(OPQ(p), handle);
        return -ENOMEM;
    }
    s->handle = handle;
    s->domain = domain;
    s->type = type;
    f->handle = s;
    int r = ufds_add_vf(p, 0, f, (flags & 02000000) != 0, NULL);
    uvfs_file_unref(p, f);
    return r;
}

int64_t unet_px_socket(uproc *p, int domain, int type, int proto, uint64_t flags)
{
    void *h = NULL;
    int r = PX(p)->socket(OPQ(p), domain, type, proto, &h);
    return r < 0 ? r : install(p, h, domain, type, flags);
}

/* ---- addresses: guest bytes both ways ---- */

static int read_addr(uproc *p, uint64_t va, uint64_t len, uint8_t *buf)
{
    if (len > ADDR_MAX || len < 2)
        return -EINVAL;
    return umem_read(p, va, buf, (size_t)len);
}

/* Write an address of n bytes to va (room in *lenva), and its length. */
static int write_addr(uproc *p, const uint8_t *addr, size_t n, uint64_t va, uint64_t lenva)
{
    if (!va || !lenva)
        return 0;
    uint8_t lb[4];
    int r = umem_read(p, lenva, lb, 4);
    if (r < 0)
        return r;
    int32_t cap = (int32_t)usys_get32(lb, 0);
    if (cap < 0)
        return -EINVAL;
    size_t give = n < (size_t)cap ? n : (size_t)cap;
    if (give && (r = umem_write(p, va, addr, give)) < 0)
        return r;
    usys_put32(lb, 0, (uint32_t)n);
    return umem_write(p, lenva, lb, 4);
}

/* ---- the calls ---- */

int64_t unet_px_call(uproc *p, uvfs_file *f, int nr, const uint64_t a[6])
{
    const svm_proxy *px = PX(p);
    uint8_t addr[ADDR_MAX];
    size_t alen = sizeof(addr);
    int r;
    switch (nr) {
    case 200: /* bind */
        if ((r = read_addr(p, a[1], a[2], addr)) < 0)
            return r;
        return px->bind ? px->bind(OPQ(p), H(f), addr, (size_t)a[2]) : -EOPNOTSUPP;
    case 201: /* listen */
        return px->listen ? px->listen(OPQ(p), H(f), (int)a[1]) : -EOPNOTSUPP;
    case 203: /* connect */
        if ((r = read_addr(p, a[1], a[2], addr)) < 0)
            return r;
        if (!px->connect)
            return -EOPNOTSUPP;
        for (;;) {
            r = px->connect(OPQ(p), H(f), addr, (size_t)a[2]);
            if (r != -EAGAIN) {
                if (r == 0)
                    uthread_kick(p); /* a guest listener may take it */
                return r;
            }
            if (f->lxflags & LX_O_NONBLOCK)
                return -EINPROGRESS;
            if ((r = again(p, f)) < 0)
                return r;
        }
    case 202: /* accept */
    case 242: { /* accept4 */
        uint64_t flags = nr == 242 ? a[3] : 0;
        if (flags & ~(uint64_t)(04000 | 02000000))
            return -EINVAL;
        if (!px->accept)
            return -EOPNOTSUPP;
        void *conn = NULL;
        for (;;) {
            alen = sizeof(addr);
            r = px->accept(OPQ(p), H(f), &conn, addr, &alen);
            if (r != -EAGAIN)
                break;
            if ((r = again(p, f)) < 0)
                return r;
        }
        if (r < 0)
            return r;
        psock *ls = f->handle;
        int64_t g = install(p, conn, ls->domain, ls->type, flags);
        if (g < 0)
            return g;
        uthread_kick(p); /* a connecting guest thread may go on */
        if ((r = write_addr(p, addr, alen > sizeof(addr) ? sizeof(addr) : alen, a[1], a[2])) < 0) {
            ufds_close(p, g);
            return r;
        }
        return g;
    }
    case 204: /* getsockname */
    case 205: /* getpeername */
        if (!px->sockname)
            return -EOPNOTSUPP;
        if ((r = px->sockname(OPQ(p), H(f), nr == 205, addr, &alen)) < 0)
            return r;
        return write_addr(p, addr, alen > sizeof(addr) ? sizeof(addr) : alen, a[1], a[2]);
    case 210: /* shutdown */
        if (a[1] > 2)
            return -EINVAL;
        r = px->shutdown ? px->shutdown(OPQ(p), H(f), (int)a[1]) : -EOPNOTSUPP;
        uthread_kick(p);
        return r;
    case 206: { /* sendto */
        if (a[2] > 0x7ffff000u)
            return -EINVAL;
        const void *buf = a[2] ? umem_ptr(p, a[1], (size_t)a[2], PROT_READ) : NULL;
        if (a[2] && !buf)
            return -EFAULT;
        if (a[4] && (r = read_addr(p, a[4], a[5], addr)) < 0)
            return r;
        return send_all(p, f, buf, (size_t)a[2], (int)a[3], a[4] ? addr : NULL, a[4] ? (size_t)a[5] : 0);
    }
    case 207: { /* recvfrom */
        if (a[2] > 0x7ffff000u)
            return -EINVAL;
        void *buf = a[2] ? umem_ptr(p, a[1], (size_t)a[2], PROT_WRITE) : NULL;
        if (a[2] && !buf)
            return -EFAULT;
        int64_t n = recv_some(p, f, buf, (size_t)a[2], (int)a[3], addr, &alen);
        if (n >= 0 && a[4] && (r = write_addr(p, addr, alen > sizeof(addr) ? sizeof(addr) : alen, a[4], a[5])) < 0)
            return r;
        return n;
    }
    case 211:   /* sendmsg */
    case 212: { /* recvmsg: one buffer in between, scattered or gathered */
        uint8_t mh[56];
        if ((r = umem_read(p, a[1], mh, sizeof(mh))) < 0)
            return r;
        uint64_t iov = usys_get64(mh, 16), cnt = usys_get64(mh, 24), total = 0;
        if (cnt > 1024)
            return -EMSGSIZE;
        if (nr == 211 && usys_get64(mh, 40))
            return -EOPNOTSUPP; /* no control data */
        for (uint64_t i = 0; i < cnt; i++) {
            uint8_t b[16];
            if ((r = umem_read(p, iov + 16 * i, b, 16)) < 0)
                return r;
            total += usys_get64(b, 8);
            if (total > 0x7ffff000u)
                return -EINVAL;
        }
        uint8_t *buf = host_alloc(p->host, total ? (size_t)total : 1);
        if (!buf)
            return -ENOMEM;
        int64_t n = 0;
        uint64_t name = usys_get64(mh, 0);
        if (nr == 211) {
            uint64_t at = 0;
            for (uint64_t i = 0; i < cnt && n >= 0; i++) {
                uint8_t b[16];
                umem_read(p, iov + 16 * i, b, 16);
                uint64_t len = usys_get64(b, 8);
                if (len && umem_read(p, usys_get64(b, 0), buf + at, (size_t)len) < 0)
                    n = -EFAULT;
                at += len;
            }
            uint32_t nl = usys_get32(mh, 8);
            if (n >= 0 && name && (r = read_addr(p, name, nl, addr)) < 0)
                n = r;
            if (n >= 0)
                n = send_all(p, f, buf, (size_t)total, (int)a[2], name ? addr : NULL, name ? nl : 0);
        } else {
            n = recv_some(p, f, buf, (size_t)total, (int)a[2], addr, &alen);
            uint64_t at = 0;
            for (uint64_t i = 0; i < cnt && n > 0 && at < (uint64_t)n; i++) {
                uint8_t b[16];
                umem_read(p, iov + 16 * i, b, 16);
                uint64_t len = usys_get64(b, 8), part = (uint64_t)n - at < len ? (uint64_t)n - at : len;
                if (part && umem_write(p, usys_get64(b, 0), buf + at, (size_t)part) < 0)
                    n = -EFAULT;
                at += part;
            }
            uint8_t zero[12] = {0};
            if (n >= 0 && name && (r = write_addr(p, addr, alen > sizeof(addr) ? sizeof(addr) : alen, name, a[1] + 8)) < 0)
                n = r;
            if (n >= 0 && ((r = umem_write(p, a[1] + 40, zero, 12)) < 0)) /* no control data, no flags */
                n = r;
        }
        host_free(p->host, buf);
        return n;
    }
    case 208: /* setsockopt: the common options are accepted and have no effect */
        return (a[1] == 1 || a[1] == 6 || a[1] == 0 || a[1] == 41) ? 0 : -ENOPROTOOPT;
    case 209: { /* getsockopt: SO_TYPE, SO_ERROR, SO_DOMAIN */
        psock *s = f->handle;
        uint8_t v[4];
        if (a[1] != 1 || (a[2] != 3 && a[2] != 4 && a[2] != 39))
            return -ENOPROTOOPT;
        usys_put32(v, 0, a[2] == 3 ? (uint32_t)s->type : a[2] == 39 ? (uint32_t)s->domain : 0);
        return write_addr(p, v, 4, a[3], a[4]);
    }
    default:
        return -EOPNOTSUPP;
    }
}
