/* Sockets: TCP and UDP over IPv4 and IPv6, and Unix sockets, as host
 * sockets made through the host layer (each one tracked against the
 * machine). The guest's Linux structures (sockaddr_in/in6/un, msghdr,
 * option values) are converted field by field to the host's, so the layer
 * works on any host. A call that would block suspends the calling guest
 * thread (uthread_wait_fd) instead of the host thread: sends and receives
 * go to the host with MSG_DONTWAIT and wait for readiness between tries; a
 * blocking connect runs non-blocking on the host and waits for the answer.
 *
 * Unix socket paths are guest paths: inside a -L jail they are resolved by
 * the jail (src/user/jail.c) to the directory that holds the socket and
 * reached through that directory's fd (/proc/self/fd/N/name on a Linux host),
 * so a guest path never names a host socket outside the tree. With the
 * embedder's file system (the proxy) there is no host path: binding or
 * connecting a Unix path is refused (EACCES). Not done: passing fds or
 * credentials (SCM_RIGHTS, SCM_CREDENTIALS: control data is refused on send
 * and none is returned), SO_RCVTIMEO/SO_SNDTIMEO on the guest's waits. */
#include "syscall.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>

#include "fdtable.h"
#include "jail.h"
#include "unet.h"
#include "uthread.h"
#include "uvfs.h"

#define LX_AF_UNIX 1
#define LX_AF_INET 2
#define LX_AF_INET6 10
#define LX_SOCK_NONBLOCK 04000
#define LX_SOCK_CLOEXEC 02000000
#define LX_SUN_PATH 108
#define MAX_IOV 1024

/* ---- the names Unix sockets were bound to, as the guest gave them ---- */

/* getsockname must give back the path as the guest bound it (relative, or
 * without the sysroot), not the host's: remembered per host fd. */
#define UNET_NAMES 64
struct unet {
    struct { int hfd; char path[LX_SUN_PATH + 1]; } name[UNET_NAMES];
};

static struct unet *unet(uproc *p)
{
    struct usys *s = usys_state(p);
    if (s && !s->net)
        s->net = host_alloc(p->host, sizeof(*s->net));
    return s ? s->net : NULL;
}

void unet_fini(uproc *p)
{
    if (p->sys && p->sys->net) {
        host_free(p->host, p->sys->net);
        p->sys->net = NULL;
    }
}

/* A new socket on host fd hfd has no name yet. */
static void forget_name(uproc *p, int hfd)
{
    struct unet *n = p->sys ? p->sys->net : NULL;
    for (int i = 0; n && i < UNET_NAMES; i++)
        if (n->name[i].path[0] && n->name[i].hfd == hfd)
            n->name[i].path[0] = 0;
}

static void remember_name(uproc *p, int hfd, const char *path)
{
    struct unet *n = unet(p);
    if (!n)
        return;
    forget_name(p, hfd);
    for (int i = 0; i < UNET_NAMES; i++)
        if (!n->name[i].path[0]) {
            n->name[i].hfd = hfd;
            snprintf(n->name[i].path, sizeof(n->name[i].path), "%s", path);
            return;
        }
}

static const char *bound_name(uproc *p, int hfd)
{
    struct unet *n = p->sys ? p->sys->net : NULL;
    for (int i = 0; n && i < UNET_NAMES; i++)
        if (n->name[i].path[0] && n->name[i].hfd == hfd)
            return n->name[i].path;
    return NULL;
}

/* ---- addresses ---- */

typedef struct host_addr {
    struct sockaddr_storage ss;
    unsigned len;
    char guest_path[LX_SUN_PATH + 1]; /* a Unix path as the guest gave it */
    jail_at at; /* a Unix path's directory in the jail, held until the call is made */
    int held;
} host_addr;

static void release_addr(uproc *p, host_addr *h)
{
    if (h->held)
        jail_release(p, &h->at);
    h->held = 0;
}

static int host_family(int lx)
{
    switch (lx) {
    case LX_AF_UNIX: return AF_UNIX;
    case LX_AF_INET: return AF_INET;
    case LX_AF_INET6: return AF_INET6;
    default: return -1;
    }
}

/* The host path for a guest Unix socket path; the jail's directory fd it
 * goes through stays open in h until release_addr. */
static int unix_host_path(uproc *p, const char *guest, char *out, size_t cap, host_addr *h)
{
    if (p->vfs->base != &uvfs_host_ops)
        return -EACCES; /* the embedder's files: no host path */
    char abs[USYS_PATH_MAX];
    int r = usys_resolve_str(p, LX_AT_FDCWD, guest, abs);
    if (r < 0)
        return r;
    if ((r = jail_walk(p, abs, 0, &h->at)) < 0)
        return r;
    h->held = 1;
    int n;
    if (!h->at.jailed)
        n = snprintf(out, cap, "%s", h->at.name);
    else
#ifdef __linux__
        n = snprintf(out, cap, "/proc/self/fd/%d/%s", h->at.dirfd, h->at.name);
#else
        n = snprintf(out, cap, "%s%s", p->sysroot, abs);
#endif
    return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

static int get_addr(uproc *p, uint64_t va, uint64_t len, host_addr *h)
{
    uint8_t b[128];
    memset(h, 0, sizeof(*h));
    if (len < 2 || len > sizeof(b))
        return -EINVAL;
    int r = umem_read(p, va, b, (size_t)len);
    if (r < 0)
        return r;
    int fam = b[0] | b[1] << 8;
    if (fam == LX_AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)&h->ss;
        if (len < 16)
            return -EINVAL;
        in->sin_family = AF_INET;
        memcpy(&in->sin_port, b + 2, 2);
        memcpy(&in->sin_addr, b + 4, 4);
        h->len = sizeof(*in);
    } else if (fam == LX_AF_INET6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&h->ss;
        if (len < 24)
            return -EINVAL;
        in6->sin6_family = AF_INET6;
        memcpy(&in6->sin6_port, b + 2, 2);
        memcpy(&in6->sin6_flowinfo, b + 4, 4);
        memcpy(&in6->sin6_addr, b + 8, 16);
        if (len >= 28)
            in6->sin6_scope_id = usys_get32(b, 24);
        h->len = sizeof(*in6);
    } else if (fam == LX_AF_UNIX) {
        struct sockaddr_un *un = (struct sockaddr_un *)&h->ss;
        un->sun_family = AF_UNIX;
        size_t plen = (size_t)len - 2;
        if (plen > LX_SUN_PATH)
            plen = LX_SUN_PATH;
        if (plen && b[2] == 0) { /* abstract: the bytes as given */
#ifdef __linux__
            if (plen > sizeof(un->sun_path))
                return -EINVAL;
            memcpy(un->sun_path, b + 2, plen);
            h->len = (unsigned)(offsetof(struct sockaddr_un, sun_path) + plen);
            return 0;
#else
            return -EAFNOSUPPORT;
#endif
        }
        char guest[LX_SUN_PATH + 1];
        memcpy(guest, b + 2, plen);
        guest[plen] = 0;
        if (!guest[0]) {
            h->len = (unsigned)offsetof(struct sockaddr_un, sun_path);
            return 0;
        }
        memcpy(h->guest_path, guest, plen + 1);
        if ((r = unix_host_path(p, guest, un->sun_path, sizeof(un->sun_path), h)) < 0) {
            release_addr(p, h);
            return r;
        }
        h->len = (unsigned)sizeof(*un);
    } else {
        return -EAFNOSUPPORT;
    }
    return 0;
}

/* Write a host address back as the guest's (truncated to *lenva's value)
 * and store its full length there. */
static int put_addr(uproc *p, const struct sockaddr *sa, unsigned hlen, uint64_t va, uint64_t lenva)
{
    if (!va || !lenva)
        return 0;
    uint8_t cap_b[4];
    int r = umem_read(p, lenva, cap_b, 4);
    if (r < 0)
        return r;
    int32_t cap = (int32_t)usys_get32(cap_b, 0);
    if (cap < 0)
        return -EINVAL;
    uint8_t b[2 + LX_SUN_PATH];
    memset(b, 0, sizeof(b));
    size_t n = 2;
    if (hlen >= sizeof(sa_family_t) && sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        usys_put16(b, 0, LX_AF_INET);
        memcpy(b + 2, &in->sin_port, 2);
        memcpy(b + 4, &in->sin_addr, 4);
        n = 16;
    } else if (hlen >= sizeof(sa_family_t) && sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        usys_put16(b, 0, LX_AF_INET6);
        memcpy(b + 2, &in6->sin6_port, 2);
        memcpy(b + 4, &in6->sin6_flowinfo, 4);
        memcpy(b + 8, &in6->sin6_addr, 16);
        usys_put32(b, 24, in6->sin6_scope_id);
        n = 28;
    } else {
        const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
        usys_put16(b, 0, LX_AF_UNIX);
        size_t plen = hlen > offsetof(struct sockaddr_un, sun_path) ? hlen - offsetof(struct sockaddr_un, sun_path) : 0;
        if (plen > LX_SUN_PATH)
            plen = LX_SUN_PATH;
        const char *path = un->sun_path;
        size_t rl = p->sysroot ? strlen(p->sysroot) : 0;
        if (plen && path[0] && rl && !strncmp(path, p->sysroot, rl) && path[rl] == '/') {
            path += rl; /* back inside the jail */
            plen -= rl;
        }
        if (plen && path[0])
            plen = strnlen(path, plen) + 1;
        memcpy(b + 2, path, plen);
        n = 2 + plen;
    }
    size_t give = n < (size_t)cap ? n : (size_t)cap;
    if (give && (r = umem_write(p, va, b, give)) < 0)
        return r;
    usys_put32(cap_b, 0, (uint32_t)n);
    return umem_write(p, lenva, cap_b, 4);
}

/* ---- sockets ---- */

/* A socket of the embedder's network goes there (sys_net_proxy.c). */
#define PROXIED(a, nr)                                                                             \
    do {                                                                                           \
        struct uvfs_file *pf_ = unet_proxy_file(p, (int64_t)(a)[0]);                              \
        if (pf_)                                                                                   \
            return unet_px_call(p, pf_, (nr), (a));                                                \
    } while (0)

/* The host fd of a guest socket fd. */
static int sock_fd(uproc *p, int64_t fd)
{
    ufd *e = ufds_get(p, fd);
    if (!e)
        return -EBADF;
    if (e->vf || e->host < 0)
        return -ENOTSOCK;
    int type = 0;
    unsigned len = sizeof(type);
    if (host_getsockopt(p->host, e->host, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
        return -ENOTSOCK;
    return e->host;
}

static int guest_blocking(uproc *p, int hfd)
{
    int fl = host_fcntl(p->host, hfd, F_GETFL, 0);
    return fl >= 0 && !(fl & O_NONBLOCK);
}

static int host_type(uint64_t lx)
{
    switch (lx & 0xf) {
    case 1: return SOCK_STREAM;
    case 2: return SOCK_DGRAM;
    case 3: return SOCK_RAW;
    case 5: return SOCK_SEQPACKET;
    default: return -1;
    }
}

/* Install a new host socket as a guest fd with the SOCK_* flags. */
static int64_t install(uproc *p, int hfd, uint64_t flags)
{
    forget_name(p, hfd);
    if (flags & LX_SOCK_NONBLOCK)
        host_fcntl(p->host, hfd, F_SETFL, O_NONBLOCK);
    return ufds_add(p, 0, hfd, 1, (flags & LX_SOCK_CLOEXEC) != 0, NULL);
}

int64_t sys_socket(uproc *p, const uint64_t a[6])
{
    int fam = host_family((int)a[0]), type = host_type(a[1]);
    if (fam < 0)
        return -EAFNOSUPPORT;
    if (type < 0 || (a[1] & ~(uint64_t)(0xf | LX_SOCK_NONBLOCK | LX_SOCK_CLOEXEC)))
        return -EINVAL;
    if (unet_proxied(p))
        return unet_px_socket(p, (int)a[0], (int)(a[1] & 0xf), (int)a[2], a[1]);
    int hfd = host_socket(p->host, fam, type, (int)a[2]);
    return hfd < 0 ? hfd : install(p, hfd, a[1]);
}

int64_t sys_socketpair(uproc *p, const uint64_t a[6])
{
    int fam = host_family((int)a[0]), type = host_type(a[1]);
    if (fam < 0)
        return -EAFNOSUPPORT;
    if (type < 0 || (a[1] & ~(uint64_t)(0xf | LX_SOCK_NONBLOCK | LX_SOCK_CLOEXEC)))
        return -EINVAL;
    if (unet_proxied(p))
        return -EOPNOTSUPP; /* the embedder's network has no socketpair */
    int sv[2];
    int r = host_socketpair(p->host, fam, type, (int)a[2], sv);
    if (r < 0)
        return r;
    int64_t g0 = install(p, sv[0], a[1]);
    if (g0 < 0) {
        host_close(p->host, sv[1]);
        return g0;
    }
    int64_t g1 = install(p, sv[1], a[1]);
    if (g1 < 0) {
        ufds_close(p, g0);
        return g1;
    }
    uint8_t b[8];
    usys_put32(b, 0, (uint32_t)g0);
    usys_put32(b, 4, (uint32_t)g1);
    r = umem_write(p, a[3], b, 8);
    if (r < 0) {
        ufds_close(p, g0);
        ufds_close(p, g1);
    }
    return r;
}

int64_t sys_bind(uproc *p, const uint64_t a[6])
{
    PROXIED(a, 200);
    int hfd = sock_fd(p, (int64_t)a[0]);
    if (hfd < 0)
        return hfd;
    host_addr h;
    int r = get_addr(p, a[1], a[2], &h);
    if (r < 0)
        return r;
    r = host_bind(p->host, hfd, &h.ss, h.len);
    release_addr(p, &h);
    if (r == 0 && h.guest_path[0])
        remember_name(p, hfd, h.guest_path);
    return r;
}

int64_t sys_listen(uproc *p, const uint64_t a[6])
{
    PROXIED(a, 201);
    int hfd = sock_fd(p, (int64_t)a[0]);
    return hfd < 0 ? hfd : host_listen(p->host, hfd, (int)a[1]);
}

int64_t sys_connect(uproc *p, const uint64_t a[6])
{
    PROXIED(a, 203);
    int hfd = sock_fd(p, (int64_t)a[0]);
    if (hfd < 0)
        return hfd;
    host_addr h;
    int r = get_addr(p, a[1], a[2], &h);
    if (r < 0)
        return r;
    if (!guest_blocking(p, hfd)) {
        r = host_connect(p->host, hfd, &h.ss, h.len);
        release_addr(p, &h);
        return r;
    }
    /* Blocking for the guest: non-blocking on the host, then wait. */
    int fl = host_fcntl(p->host, hfd, F_GETFL, 0);
    host_fcntl(p->host, hfd, F_SETFL, fl | O_NONBLOCK);
    r = host_connect(p->host, hfd, &h.ss, h.len);
    host_fcntl(p->host, hfd, F_SETFL, fl);
    release_addr(p, &h);
    if (r != -EINPROGRESS)
        return r;
    r = uthread_wait_fd(p, hfd, POLLOUT);
    if (r < 0)
        return r;
    int err = 0;
    unsigned len = sizeof(err);
    r = host_getsockopt(p->host, hfd, SOL_SOCKET, SO_ERROR, &err, &len);
    return r < 0 ? r : -err;
}

static int64_t do_accept(uproc *p, int64_t fd, uint64_t addr, uint64_t lenva, uint64_t flags)
{
    int hfd = sock_fd(p, fd);
    if (hfd < 0)
        return hfd;
    if (flags & ~(uint64_t)(LX_SOCK_NONBLOCK | LX_SOCK_CLOEXEC))
        return -EINVAL;
    struct sockaddr_storage ss;
    for (;;) {
        int w = uthread_wait_fd(p, hfd, POLLIN);
        if (w < 0)
            return w;
        unsigned len = sizeof(ss);
        int nfd = host_accept(p->host, hfd, &ss, &len);
        if (nfd == -EAGAIN && guest_blocking(p, hfd))
            continue;
        if (nfd < 0)
            return nfd;
        int64_t g = install(p, nfd, flags);
        if (g < 0)
            return g;
        int r = put_addr(p, (struct sockaddr *)&ss, len, addr, lenva);
        if (r < 0) {
            ufds_close(p, g);
            return r;
        }
        return g;
    }
}

int64_t sys_accept(uproc *p, const uint64_t a[6])
{
    PROXIED(a, 202);
    return do_accept(p, (int64_t)a[0], a[1], a[2], 0);
}

int64_t sys_accept4(uproc *p, const uint64_t a[6])
{
    PROXIED(a, 242);
    return do_accept(p, (int64_t)a[0], a[1], a[2], a[3]);
}

int64_t sys_shutdown(uproc *p, const uint64_t a[6])
{
    PROXIED(a, 210);
    int hfd = sock_fd(p, (int64_t)a[0]);
    if (hfd < 0)
        return hfd;
    if (a[1] > 2)
        return -EINVAL;
    int how = a[1] == 0 ? SHUT_RD : a[1] == 1 ? SHUT_WR : SHUT_RDWR;
    return host_shutdown(p->host, hfd, how);
}

static int64_t sockname(uproc *p, const uint64_t a[6], int peer)
{
    int hfd = sock_fd(p, (int64_t)a[0]);
    if (hfd < 0)
        return hfd;
    struct sockaddr_storage ss;
    unsigned len = sizeof(ss);
    int r = host_sockname(p->host, hfd, peer, &ss, &len);
    if (r < 0)
        return r;
    const char *bound = !peer && ss.ss_family == AF_UNIX ? bound_name(p, hfd) : NULL;
    if (bound) { /* the path as the guest bound it */
        struct sockaddr_un *un = (struct sockaddr_un *)&ss;
        size_t bl = strlen(bound);
        if (bl >= sizeof(un->sun_path))
            bl = sizeof(un->sun_path) - 1;
        memcpy(un->sun_path, bound, bl);
        un->sun_path[bl] = 0;
        len = (unsigned)(offsetof(struct sockaddr_un, sun_path) + bl + 1);
    }
    return put_addr(p, (struct sockaddr *)&ss, len, a[1], a[2]);
}

int64_t sys_getsockname(uproc *p, const uint64_t a[6])
{
    PROXIED(a, 204);
    return sockname(p, a, 0);
}

int64_t sys_getpeername(uproc *p, const uint64_t a[6])
{
    PROXIED(a, 205);
    return sockname(p, a, 1);
}

/* ---- sending and receiving ---- */

/* Linux MSG_* flags the host understands, as the host's. */
static int msg_flags(uint64_t lx, int *err)
{
    static const struct { uint32_t lx; int host; } m[] = {
        {0x1, MSG_OOB}, {0x2, MSG_PEEK}, {0x4, MSG_DONTROUTE}, {0x20, MSG_TRUNC}, {0x40, MSG_DONTWAIT},
        {0x80, MSG_EOR}, {0x100, MSG_WAITALL},
    };
    int h = 0;
    *err = 0;
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
        if (lx & m[i].lx)
            h |= m[i].host;
    /* MSG_NOSIGNAL (0x4000), MSG_CMSG_CLOEXEC (0x40000000), MSG_MORE
     * (0x8000) need nothing from the host. */
    if (lx & ~(uint64_t)(0x1 | 0x2 | 0x4 | 0x20 | 0x40 | 0x80 | 0x100 | 0x4000 | 0x8000 | 0x40000000 | 0x10000))
        *err = -EINVAL;
    return h;
}

static uint32_t lx_msg_flags(int host)
{
    return ((host & MSG_TRUNC) ? 0x20u : 0) | ((host & MSG_CTRUNC) ? 0x8u : 0) | ((host & MSG_EOR) ? 0x80u : 0) |
           ((host & MSG_OOB) ? 0x1u : 0);
}

/* The guest iovec array as host iovecs over guest memory. */
static int get_iov(uproc *p, uint64_t va, uint64_t cnt, int writing, struct iovec *iov)
{
    if (cnt > MAX_IOV)
        return -EMSGSIZE;
    for (uint64_t i = 0; i < cnt; i++) {
        uint8_t b[16];
        int r = umem_read(p, va + 16 * i, b, 16);
        if (r < 0)
            return r;
        uint64_t base = usys_get64(b, 0), len = usys_get64(b, 8);
        if (len > 0x7ffff000u)
            return -EINVAL;
        iov[i].iov_len = (size_t)len;
        iov[i].iov_base = len ? umem_ptr(p, base, (size_t)len, writing ? PROT_WRITE : PROT_READ) : NULL;
        if (len && !iov[i].iov_base)
            return -EFAULT;
    }
    return 0;
}

/* One send or receive with the guest's blocking semantics. */
static int64_t transfer(uproc *p, int hfd, struct msghdr *m, int hflags, uint64_t lxflags, int sending)
{
    int blocking = !(lxflags & 0x40) && guest_blocking(p, hfd);
    for (;;) {
        int64_t r = sending ? host_sendmsg(p->host, hfd, m, hflags | MSG_DONTWAIT)
                            : host_recvmsg(p->host, hfd, m, hflags | MSG_DONTWAIT);
        if (r != -EAGAIN || !blocking)
            return r;
        int w = uthread_wait_fd(p, hfd, sending ? POLLOUT : POLLIN);
        if (w < 0)
            return w;
    }
}

static int64_t send_common(uproc *p, int64_t fd, struct iovec *iov, size_t niov, uint64_t name, uint64_t namelen,
                           uint64_t lxflags)
{
    int hfd = sock_fd(p, fd);
    if (hfd < 0)
        return hfd;
    int err;
    int hflags = msg_flags(lxflags, &err);
    if (err)
        return err;
    host_addr h;
    struct msghdr m;
    memset(&m, 0, sizeof(m));
    if (name) {
        int r = get_addr(p, name, namelen, &h);
        if (r < 0)
            return r;
        m.msg_name = &h.ss;
        m.msg_namelen = (socklen_t)h.len;
    }
    m.msg_iov = iov;
    m.msg_iovlen = niov;
    int64_t r = transfer(p, hfd, &m, hflags, lxflags, 1);
    if (name)
        release_addr(p, &h);
    if (r == -EPIPE && !(lxflags & 0x4000))
        usig_raise(p, LX_SIGPIPE, LX_SI_USER);
    return r;
}

int64_t sys_sendto(uproc *p, const uint64_t a[6])
{
    PROXIED(a, 206);
    struct iovec iov = {a[2] ? umem_ptr(p, a[1], (size_t)a[2], PROT_READ) : NULL, (size_t)a[2]};
    if (a[2] > 0x7ffff000u)
        return -EINVAL;
    if (a[2] && !iov.iov_base)
        return -EFAULT;
    return send_common(p, (int64_t)a[0], &iov, 1, a[4], a[5], a[3]);
}

int64_t sys_sendmsg(uproc *p, const uint64_t a[6])
{
    PROXIED(a, 211);
    uint8_t mh[56];
    int r = umem_read(p, a[1], mh, sizeof(mh));
    if (r < 0)
        return r;
    if (usys_get64(mh, 40)) /* control data: fd passing is not done */
        return -EOPNOTSUPP;
    uint64_t cnt = usys_get64(mh, 24);
    struct iovec iov[MAX_IOV];
    if (cnt > MAX_IOV)
        return -EMSGSIZE;
    if ((r = get_iov(p, usys_get64(mh, 16), cnt, 0, iov)) < 0)
        return r;
    return send_common(p, (int64_t)a[0], iov, (size_t)cnt, usys_get64(mh, 0), usys_get32(mh, 8), a[2]);
}

static int64_t recv_common(uproc *p, int64_t fd, struct iovec *iov, size_t niov, uint64_t name, uint64_t namelenva,
                           uint64_t lxflags, int *out_flags)
{
    int hfd = sock_fd(p, fd);
    if (hfd < 0)
        return hfd;
    int err;
    int hflags = msg_flags(lxflags, &err);
    if (err)
        return err;
    struct sockaddr_storage ss;
    struct msghdr m;
    memset(&m, 0, sizeof(m));
    memset(&ss, 0, sizeof(ss));
    m.msg_name = &ss;
    m.msg_namelen = sizeof(ss);
    m.msg_iov = iov;
    m.msg_iovlen = niov;
    int64_t r = transfer(p, hfd, &m, hflags, lxflags, 0);
    if (r < 0)
        return r;
    if (out_flags)
        *out_flags = m.msg_flags;
    if (name && namelenva) {
        int w = m.msg_namelen ? put_addr(p, (struct sockaddr *)&ss, (unsigned)m.msg_namelen, name, namelenva)
                              : umem_write(p, namelenva, "\0\0\0\0", 4);
        if (w < 0)
            return w;
    }
    return r;
}

int64_t sys_recvfrom(uproc *p, const uint64_t a[6])
{
    PROXIED(a, 207);
    if (a[2] > 0x7ffff000u)
        return -EINVAL;
    struct iovec iov = {a[2] ? umem_ptr(p, a[1], (size_t)a[2], PROT_WRITE) : NULL, (size_t)a[2]};
    if (a[2] && !iov.iov_base)
        return -EFAULT;
    return recv_common(p, (int64_t)a[0], &iov, 1, a[4], a[5], a[3], NULL);
}

int64_t sys_recvmsg(uproc *p, const uint64_t a[6])
{
    PROXIED(a, 212);
    uint8_t mh[56];
    int r = umem_read(p, a[1], mh, sizeof(mh));
    if (r < 0)
        return r;
    uint64_t cnt = usys_get64(mh, 24);
    struct iovec iov[MAX_IOV];
    if (cnt > MAX_IOV)
        return -EMSGSIZE;
    if ((r = get_iov(p, usys_get64(mh, 16), cnt, 1, iov)) < 0)
        return r;
    int fl = 0;
    int64_t n = recv_common(p, (int64_t)a[0], iov, (size_t)cnt, usys_get64(mh, 0), usys_get64(mh, 0) ? a[1] + 8 : 0,
                            a[2], &fl);
    if (n < 0)
        return n;
    uint8_t tail[4 + 8 + 8 + 4];
    memset(tail, 0, sizeof(tail));
    if ((r = umem_write(p, a[1] + 40, tail, 8)) < 0) /* msg_controllen: none returned */
        return r;
    usys_put32(tail, 0, lx_msg_flags(fl));
    if ((r = umem_write(p, a[1] + 48, tail, 4)) < 0)
        return r;
    return n;
}

/* ---- options ---- */

typedef struct sockopt {
    int lx_level, lx_name, level, name;
    char kind; /* 'i' int, 'l' linger, 't' timeval */
} sockopt;

static const sockopt opts[] = {
    {1, 2, SOL_SOCKET, SO_REUSEADDR, 'i'},   {1, 3, SOL_SOCKET, SO_TYPE, 'i'},
    {1, 4, SOL_SOCKET, SO_ERROR, 'i'},       {1, 6, SOL_SOCKET, SO_BROADCAST, 'i'},
    {1, 7, SOL_SOCKET, SO_SNDBUF, 'i'},      {1, 8, SOL_SOCKET, SO_RCVBUF, 'i'},
    {1, 9, SOL_SOCKET, SO_KEEPALIVE, 'i'},   {1, 10, SOL_SOCKET, SO_OOBINLINE, 'i'},
    {1, 13, SOL_SOCKET, SO_LINGER, 'l'},     {1, 15, SOL_SOCKET, SO_REUSEPORT, 'i'},
    {1, 18, SOL_SOCKET, SO_RCVLOWAT, 'i'},   {1, 19, SOL_SOCKET, SO_SNDLOWAT, 'i'},
    {1, 20, SOL_SOCKET, SO_RCVTIMEO, 't'},   {1, 21, SOL_SOCKET, SO_SNDTIMEO, 't'},
    {1, 30, SOL_SOCKET, SO_ACCEPTCONN, 'i'}, {6, 1, IPPROTO_TCP, TCP_NODELAY, 'i'},
#ifdef TCP_KEEPIDLE
    {6, 4, IPPROTO_TCP, TCP_KEEPIDLE, 'i'},
#endif
    {6, 5, IPPROTO_TCP, TCP_KEEPINTVL, 'i'}, {6, 6, IPPROTO_TCP, TCP_KEEPCNT, 'i'},
    {0, 1, IPPROTO_IP, IP_TOS, 'i'},         {0, 2, IPPROTO_IP, IP_TTL, 'i'},
    {0, 33, IPPROTO_IP, IP_MULTICAST_TTL, 'i'}, {0, 34, IPPROTO_IP, IP_MULTICAST_LOOP, 'i'},
    {41, 26, IPPROTO_IPV6, IPV6_V6ONLY, 'i'}, {41, 16, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 'i'},
};

static const sockopt *find_opt(uint64_t level, uint64_t name)
{
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
        if ((uint64_t)opts[i].lx_level == level && (uint64_t)opts[i].lx_name == name)
            return &opts[i];
    return NULL;
}

int64_t sys_setsockopt(uproc *p, const uint64_t a[6])
{
    PROXIED(a, 208);
    int hfd = sock_fd(p, (int64_t)a[0]);
    if (hfd < 0)
        return hfd;
    const sockopt *o = find_opt(a[1], a[2]);
    if (!o)
        return -ENOPROTOOPT;
    uint8_t b[16];
    size_t need = o->kind == 'i' ? 4 : o->kind == 'l' ? 8 : 16;
    if (a[4] < need)
        return -EINVAL;
    int r = umem_read(p, a[3], b, need);
    if (r < 0)
        return r;
    if (o->kind == 'i') {
        int v = (int)usys_get32(b, 0);
        return host_setsockopt(p->host, hfd, o->level, o->name, &v, sizeof(v));
    } else if (o->kind == 'l') {
        struct linger l = {(int)usys_get32(b, 0), (int)usys_get32(b, 4)};
        return host_setsockopt(p->host, hfd, o->level, o->name, &l, sizeof(l));
    }
    struct timeval tv = {(time_t)usys_get64(b, 0), (suseconds_t)usys_get64(b, 8)};
    return host_setsockopt(p->host, hfd, o->level, o->name, &tv, sizeof(tv));
}

int64_t sys_getsockopt(uproc *p, const uint64_t a[6])
{
    PROXIED(a, 209);
    int hfd = sock_fd(p, (int64_t)a[0]);
    if (hfd < 0)
        return hfd;
    uint8_t lb[4];
    int r = umem_read(p, a[4], lb, 4);
    if (r < 0)
        return r;
    int32_t cap = (int32_t)usys_get32(lb, 0);
    if (cap < 0)
        return -EINVAL;
    uint8_t b[16];
    size_t n;
    memset(b, 0, sizeof(b));
    uint64_t level = a[1], name = a[2];
    if (level == 1 && (name == 39 || name == 38)) { /* SO_DOMAIN, SO_PROTOCOL */
        struct sockaddr_storage ss;
        unsigned len = sizeof(ss);
        if ((r = host_sockname(p->host, hfd, 0, &ss, &len)) < 0)
            return r;
        int fam = ss.ss_family == AF_INET ? LX_AF_INET : ss.ss_family == AF_INET6 ? LX_AF_INET6 : LX_AF_UNIX;
        int type = 0;
        unsigned tl = sizeof(type);
        host_getsockopt(p->host, hfd, SOL_SOCKET, SO_TYPE, &type, &tl);
        int proto = fam == LX_AF_UNIX ? 0 : type == SOCK_STREAM ? 6 : type == SOCK_DGRAM ? 17 : 0;
        usys_put32(b, 0, (uint32_t)(name == 39 ? fam : proto));
        n = 4;
    } else {
        const sockopt *o = find_opt(level, name);
        if (!o)
            return -ENOPROTOOPT;
        if (o->kind == 'i') {
            int v = 0;
            unsigned len = sizeof(v);
            if ((r = host_getsockopt(p->host, hfd, o->level, o->name, &v, &len)) < 0)
                return r;
            if (o->level == SOL_SOCKET && o->name == SO_TYPE)
                v = v == SOCK_STREAM ? 1 : v == SOCK_DGRAM ? 2 : v == SOCK_RAW ? 3 : v == SOCK_SEQPACKET ? 5 : v;
            if (o->level == SOL_SOCKET && o->name == SO_ERROR && v)
                v = usys_lx_errno(v);
            usys_put32(b, 0, (uint32_t)v);
            n = 4;
        } else if (o->kind == 'l') {
            struct linger l;
            unsigned len = sizeof(l);
            if ((r = host_getsockopt(p->host, hfd, o->level, o->name, &l, &len)) < 0)
                return r;
            usys_put32(b, 0, (uint32_t)l.l_onoff);
            usys_put32(b, 4, (uint32_t)l.l_linger);
            n = 8;
        } else {
            struct timeval tv;
            unsigned len = sizeof(tv);
            if ((r = host_getsockopt(p->host, hfd, o->level, o->name, &tv, &len)) < 0)
                return r;
            usys_put64(b, 0, (uint64_t)tv.tv_sec);
            usys_put64(b, 8, (uint64_t)tv.tv_usec);
            n = 16;
        }
    }
    size_t give = n < (size_t)cap ? n : (size_t)cap;
    if (give && (r = umem_write(p, a[3], b, give)) < 0)
        return r;
    usys_put32(lb, 0, (uint32_t)give);
    return umem_write(p, a[4], lb, 4);
}
