/* Sockets for the host layer: every socket this layer creates (socket,
 * socketpair, accept) is tracked against the machine like any fd, so
 * destroying the machine closes it. Sends never raise SIGPIPE in the
 * embedding process. Addresses are the host's (struct sockaddr): the
 * system-call layer converts the guest's. */
#include "host.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

int host_track_fd(host_ctx *h, int fd);

static int track_new(host_ctx *h, int fd)
{
    if (fd < 0)
        return -errno;
    fcntl(fd, F_SETFD, FD_CLOEXEC);
#ifdef SO_NOSIGPIPE /* Darwin: no SIGPIPE from this socket */
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one));
#endif
    return host_track_fd(h, fd);
}

int host_socket(host_ctx *h, int domain, int type, int proto)
{
    return track_new(h, socket(domain, type, proto));
}

int host_socketpair(host_ctx *h, int domain, int type, int proto, int sv[2])
{
    if (socketpair(domain, type, proto, sv) < 0)
        return -errno;
    track_new(h, sv[0]);
    track_new(h, sv[1]);
    return 0;
}

int host_bind(host_ctx *h, int fd, const void *sa, unsigned len)
{
    (void)h;
    return bind(fd, sa, (socklen_t)len) < 0 ? -errno : 0;
}

int host_connect(host_ctx *h, int fd, const void *sa, unsigned len)
{
    (void)h;
    return connect(fd, sa, (socklen_t)len) < 0 ? -errno : 0;
}

int host_listen(host_ctx *h, int fd, int backlog)
{
    (void)h;
    return listen(fd, backlog) < 0 ? -errno : 0;
}

int host_accept(host_ctx *h, int fd, void *sa, unsigned *len)
{
    socklen_t l = len ? (socklen_t)*len : 0;
    int r = track_new(h, accept(fd, sa, len ? &l : NULL));
    if (r >= 0 && len)
        *len = (unsigned)l;
    return r;
}

int host_shutdown(host_ctx *h, int fd, int how)
{
    (void)h;
    return shutdown(fd, how) < 0 ? -errno : 0;
}

int host_sockname(host_ctx *h, int fd, int peer, void *sa, unsigned *len)
{
    (void)h;
    socklen_t l = (socklen_t)*len;
    int r = peer ? getpeername(fd, sa, &l) : getsockname(fd, sa, &l);
    *len = (unsigned)l;
    return r < 0 ? -errno : 0;
}

int host_setsockopt(host_ctx *h, int fd, int level, int name, const void *v, unsigned len)
{
    (void)h;
    return setsockopt(fd, level, name, v, (socklen_t)len) < 0 ? -errno : 0;
}

int host_getsockopt(host_ctx *h, int fd, int level, int name, void *v, unsigned *len)
{
    (void)h;
    socklen_t l = (socklen_t)*len;
    int r = getsockopt(fd, level, name, v, &l);
    *len = (unsigned)l;
    return r < 0 ? -errno : 0;
}

ssize_t host_sendmsg(host_ctx *h, int fd, const struct msghdr *m, int flags)
{
    (void)h;
#ifdef MSG_NOSIGNAL
    ssize_t r = sendmsg(fd, m, flags | MSG_NOSIGNAL);
    return r < 0 ? -errno : r;
#else /* SO_NOSIGPIPE is set on every socket made here; block it anyway */
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    ssize_t r = sendmsg(fd, m, flags);
    int err = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return r < 0 ? -err : r;
#endif
}

ssize_t host_recvmsg(host_ctx *h, int fd, struct msghdr *m, int flags)
{
    (void)h;
    ssize_t r = recvmsg(fd, m, flags);
    return r < 0 ? -errno : r;
}
