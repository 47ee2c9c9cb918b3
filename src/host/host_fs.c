/* POSIX files, time and randomness for the host layer. Every fd this layer
 * creates is tracked against the machine; host_close only closes fds the
 * machine owns, so a guest can never close the embedder's descriptors. */
#include "host.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

int host_track_fd(host_ctx *h, int fd);
int host_untrack_fd(host_ctx *h, int fd);

#define RET(expr) return (expr) < 0 ? -errno : 0
#define RETV(expr)                                                           \
    do {                                                                     \
        long r_ = (long)(expr);                                              \
        return r_ < 0 ? -errno : r_;                                         \
    } while (0)

int host_openat(host_ctx *h, int dirfd, const char *path, int flags, int mode)
{
    int fd = openat(dirfd, path, flags | O_CLOEXEC, mode);
    return fd < 0 ? -errno : host_track_fd(h, fd);
}

int host_close(host_ctx *h, int fd)
{
    if (!host_untrack_fd(h, fd))
        return -EBADF;
    RET(close(fd));
}

int host_dup(host_ctx *h, int fd)
{
    int n = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return n < 0 ? -errno : host_track_fd(h, n);
}

int host_dup_min(host_ctx *h, int fd, int minfd, int cloexec)
{
    (void)cloexec; /* host fds are always close-on-exec; guest flag is kept by the caller */
    int n = fcntl(fd, F_DUPFD_CLOEXEC, minfd);
    return n < 0 ? -errno : host_track_fd(h, n);
}

int host_pipe2(host_ctx *h, int fds[2], int flags)
{
    if (pipe2(fds, flags | O_CLOEXEC) < 0)
        return -errno;
    host_track_fd(h, fds[0]);
    host_track_fd(h, fds[1]);
    return 0;
}

ssize_t host_read(host_ctx *h, int fd, void *buf, size_t n)
{
    (void)h;
    RETV(read(fd, buf, n));
}

/* A write to a pipe or socket with no reader must fail with -EPIPE, never
 * raise SIGPIPE in the embedding process: block SIGPIPE in this thread
 * around the write and consume the one the write generated. */
static ssize_t write_no_sigpipe(int fd, const void *buf, size_t n, int64_t off, int positioned)
{
    sigset_t pipe_set, old, pend;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    int was_pending = sigpending(&pend) == 0 && sigismember(&pend, SIGPIPE);
    ssize_t r = positioned ? pwrite(fd, buf, n, (off_t)off) : write(fd, buf, n);
    int err = r < 0 ? errno : 0;
    if (err == EPIPE && !was_pending && sigpending(&pend) == 0 && sigismember(&pend, SIGPIPE)) {
        int sig;
        sigwait(&pipe_set, &sig);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return r < 0 ? -err : r;
}

ssize_t host_write(host_ctx *h, int fd, const void *buf, size_t n)
{
    (void)h;
    return write_no_sigpipe(fd, buf, n, 0, 0);
}

ssize_t host_pread(host_ctx *h, int fd, void *buf, size_t n, int64_t off)
{
    (void)h;
    RETV(pread(fd, buf, n, (off_t)off));
}

ssize_t host_pwrite(host_ctx *h, int fd, const void *buf, size_t n, int64_t off)
{
    (void)h;
    return write_no_sigpipe(fd, buf, n, off, 1);
}

int64_t host_lseek(host_ctx *h, int fd, int64_t off, int whence)
{
    (void)h;
    off_t r = lseek(fd, (off_t)off, whence);
    return r < 0 ? -errno : (int64_t)r;
}

int host_fstat(host_ctx *h, int fd, struct stat *st)
{
    (void)h;
    RET(fstat(fd, st));
}

int host_fstatat(host_ctx *h, int dirfd, const char *path, struct stat *st, int flags)
{
    (void)h;
    RET(fstatat(dirfd, path, st, flags));
}

int host_getdents64(host_ctx *h, int fd, void *buf, size_t n)
{
    (void)h;
    RETV(syscall(SYS_getdents64, fd, buf, n));
}

ssize_t host_readlinkat(host_ctx *h, int dirfd, const char *path, char *buf, size_t n)
{
    (void)h;
    RETV(readlinkat(dirfd, path, buf, n));
}

int host_faccessat(host_ctx *h, int dirfd, const char *path, int mode, int flags)
{
    (void)h;
    RET(faccessat(dirfd, path, mode, flags));
}

int host_mkdirat(host_ctx *h, int dirfd, const char *path, int mode)
{
    (void)h;
    RET(mkdirat(dirfd, path, (mode_t)mode));
}

int host_unlinkat(host_ctx *h, int dirfd, const char *path, int flags)
{
    (void)h;
    RET(unlinkat(dirfd, path, flags));
}

int host_renameat(host_ctx *h, int olddir, const char *oldp, int newdir, const char *newp)
{
    (void)h;
    RET(renameat(olddir, oldp, newdir, newp));
}

int host_ftruncate(host_ctx *h, int fd, int64_t len)
{
    (void)h;
    RET(ftruncate(fd, (off_t)len));
}

int host_fsync(host_ctx *h, int fd)
{
    (void)h;
    RET(fsync(fd));
}

int host_fcntl(host_ctx *h, int fd, int cmd, long arg)
{
    (void)h;
    RETV(fcntl(fd, cmd, arg));
}

int host_ioctl(host_ctx *h, int fd, unsigned long req, void *arg)
{
    (void)h;
    RETV(ioctl(fd, req, arg));
}

/* flags AT_SYMLINK_NOFOLLOW: never change a symlink's target (glibc answers
 * EOPNOTSUPP when path is a symlink, where the kernel cannot chmod links). */
int host_fchmodat(host_ctx *h, int dirfd, const char *path, int mode, int flags)
{
    (void)h;
    RET(fchmodat(dirfd, path, (mode_t)mode, flags));
}

int host_utimensat(host_ctx *h, int dirfd, const char *path, const struct timespec ts[2], int flags)
{
    (void)h;
    RET(utimensat(dirfd, path, ts, flags));
}

int host_chdir(host_ctx *h, const char *path)
{
    (void)h;
    RET(chdir(path));
}

int host_getcwd(host_ctx *h, char *buf, size_t n)
{
    (void)h;
    return getcwd(buf, n) ? (int)strlen(buf) + 1 : -errno;
}

int host_symlinkat(host_ctx *h, const char *target, int dirfd, const char *path)
{
    (void)h;
    RET(symlinkat(target, dirfd, path));
}

int host_linkat(host_ctx *h, int olddir, const char *oldp, int newdir, const char *newp, int flags)
{
    (void)h;
    RET(linkat(olddir, oldp, newdir, newp, flags));
}

int host_fchmod(host_ctx *h, int fd, int mode)
{
    (void)h;
    RET(fchmod(fd, (mode_t)mode));
}

int host_futimens(host_ctx *h, int fd, const struct timespec ts[2])
{
    (void)h;
    RET(futimens(fd, ts));
}

int host_tcgetattr(host_ctx *h, int fd, struct termios *t)
{
    (void)h;
    RET(tcgetattr(fd, t));
}

int host_tcsetattr(host_ctx *h, int fd, int when, const struct termios *t)
{
    (void)h;
    RET(tcsetattr(fd, when, t));
}

int host_get_winsize(host_ctx *h, int fd, uint16_t ws[4])
{
    (void)h;
    struct winsize w;
    if (ioctl(fd, TIOCGWINSZ, &w) < 0)
        return -errno;
    ws[0] = w.ws_row;
    ws[1] = w.ws_col;
    ws[2] = w.ws_xpixel;
    ws[3] = w.ws_ypixel;
    return 0;
}

int host_poll(host_ctx *h, struct pollfd *fds, size_t n, int timeout_ms)
{
    (void)h;
    RETV(poll(fds, (nfds_t)n, timeout_ms));
}

int host_bytes_readable(host_ctx *h, int fd, int *n)
{
    (void)h;
    RET(ioctl(fd, FIONREAD, n));
}

int host_read_file(host_ctx *h, const char *path, uint8_t **data, size_t *size)
{
    int fd = host_openat(h, AT_FDCWD, path, O_RDONLY, 0);
    if (fd < 0)
        return fd;
    int r = host_read_fd(h, fd, data, size);
    host_close(h, fd);
    return r;
}

int host_read_fd(host_ctx *h, int fd, uint8_t **data, size_t *size)
{
    struct stat st;
    int r = host_fstat(h, fd, &st);
    if (r == 0 && !S_ISREG(st.st_mode))
        r = -EINVAL;
    uint8_t *buf = NULL;
    size_t got = 0;
    if (r == 0) {
        buf = host_alloc(h, (size_t)st.st_size + 1);
        if (!buf)
            r = -ENOMEM;
    }
    while (r == 0 && got < (size_t)st.st_size) {
        ssize_t n = host_read(h, fd, buf + got, (size_t)st.st_size - got);
        if (n < 0)
            r = (int)n;
        else if (n == 0)
            break;
        else
            got += (size_t)n;
    }
    if (r < 0) {
        host_free(h, buf);
        return r;
    }
    *data = buf;
    *size = got;
    return 0;
}

int host_clock_gettime(host_ctx *h, int clk, struct timespec *ts)
{
    (void)h;
    RET(clock_gettime((clockid_t)clk, ts));
}

uint64_t host_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int host_nanosleep(host_ctx *h, const struct timespec *req)
{
    (void)h;
    RET(nanosleep(req, NULL));
}

int host_random(host_ctx *h, void *buf, size_t n)
{
    (void)h;
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom((char *)buf + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        got += (size_t)r;
    }
    return 0;
}

int host_clock_getres(host_ctx *h, int clk, struct timespec *ts)
{
    (void)h;
    RET(clock_getres((clockid_t)clk, ts));
}

void host_get_ids(host_ctx *h, host_ids *ids)
{
    (void)h;
    ids->pid = (int)getpid();
    ids->ppid = (int)getppid();
    ids->uid = (int)getuid();
    ids->euid = (int)geteuid();
    ids->gid = (int)getgid();
    ids->egid = (int)getegid();
}

int host_gethostname(host_ctx *h, char *buf, size_t n)
{
    (void)h;
    if (gethostname(buf, n) < 0)
        return -errno;
    if (n)
        buf[n - 1] = 0;
    return 0;
}
