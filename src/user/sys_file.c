/* File-descriptor system calls: I/O, descriptor management, fcntl, pipes,
 * ioctl. Guest buffers are reached only through umem_ptr / umem_read /
 * umem_write; a bad range gives -EFAULT. */
#include "syscall.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdtable.h"
#include "uthread.h"
#include "uvfs.h"

#define MAX_RW 0x7ffff000u /* Linux MAX_RW_COUNT */
#define IOV_MAX_LX 1024

#define GET_FD(e, fd)                                                                              \
    ufd *e = ufds_get(p, (int64_t)(fd));                                                           \
    if (!e)                                                                                        \
    return -EBADF

static size_t clamp_rw(uint64_t n)
{
    return n > MAX_RW ? MAX_RW : (size_t)n;
}

/* One transfer: dir 0 = read into guest, 1 = write from guest; off < 0: no offset. */
static int64_t xfer(uproc *p, ufd *e, uint64_t va, size_t n, int dir, int64_t off)
{
    if (n == 0)
        return 0;
    void *buf = umem_ptr(p, va, n, dir ? PROT_READ : PROT_WRITE);
    if (!buf)
        return -EFAULT;
    int64_t r = dir ? uvfs_write(p, e, buf, n, off) : uvfs_read(p, e, buf, n, off);
    if (r == -EPIPE)
        usig_raise(p, LX_SIGPIPE, LX_SI_USER); /* the kernel signals the writer too */
    return r;
}

/* Before a read or write at the file position on a host fd that may wait (a
 * pipe, terminal or socket): suspend this guest thread until it is ready.
 * Regular files and directories never wait, so they skip the poll (their
 * type is looked up once per guest fd). Files served by uvfs wait in uvfs. */
static int wait_ready(uproc *p, ufd *e, int events)
{
    if (e->host < 0)
        return 0;
    if (e->never_waits < 0) {
        struct stat st;
        e->never_waits = host_fstat(p->host, e->host, &st) == 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode));
    }
    return e->never_waits ? 0 : uthread_wait_fd(p, e->host, events);
}

int64_t sys_read(uproc *p, const uint64_t a[6])
{
    GET_FD(e, a[0]);
    int w = a[2] ? wait_ready(p, e, POLLIN) : 0;
    if (w < 0)
        return w;
    return xfer(p, e, a[1], clamp_rw(a[2]), 0, -1);
}

int64_t sys_write(uproc *p, const uint64_t a[6])
{
    GET_FD(e, a[0]);
    int w = a[2] ? wait_ready(p, e, POLLOUT) : 0;
    if (w < 0)
        return w;
    return xfer(p, e, a[1], clamp_rw(a[2]), 1, -1);
}

int64_t sys_pread64(uproc *p, const uint64_t a[6])
{
    GET_FD(e, a[0]);
    if ((int64_t)a[3] < 0)
        return -EINVAL;
    return xfer(p, e, a[1], clamp_rw(a[2]), 0, (int64_t)a[3]);
}

int64_t sys_pwrite64(uproc *p, const uint64_t a[6])
{
    GET_FD(e, a[0]);
    if ((int64_t)a[3] < 0)
        return -EINVAL;
    return xfer(p, e, a[1], clamp_rw(a[2]), 1, (int64_t)a[3]);
}

/* readv/writev family: stops at the first short transfer, like the kernel
 * does for a blocking file; an error after some bytes returns the count. */
static int64_t xferv(uproc *p, const uint64_t a[6], int dir, int64_t off)
{
    GET_FD(e, a[0]);
    int64_t cnt = (int64_t)a[2];
    if (cnt < 0 || cnt > IOV_MAX_LX)
        return -EINVAL;
    int w = (off < 0 && cnt) ? wait_ready(p, e, dir ? POLLOUT : POLLIN) : 0;
    if (w < 0)
        return w;
    if (off < -1)
        return -EINVAL;
    uint8_t iov[16 * 64];
    int64_t total = 0;
    for (int64_t i = 0; i < cnt; i++) {
        if (i % 64 == 0) {
            int64_t chunk = cnt - i < 64 ? cnt - i : 64;
            int r = umem_read(p, a[1] + 16 * (uint64_t)i, iov, (size_t)(16 * chunk));
            if (r < 0)
                return total ? total : r;
        }
        uint64_t base = usys_get64(iov, (unsigned)(16 * (i % 64)));
        uint64_t len = usys_get64(iov, (unsigned)(16 * (i % 64) + 8));
        if ((int64_t)len < 0)
            return total ? total : -EINVAL;
        size_t n = clamp_rw(len);
        if ((uint64_t)total + n > MAX_RW)
            n = MAX_RW - (size_t)total;
        int64_t r = xfer(p, e, base, n, dir, off < 0 ? -1 : off + total);
        if (r < 0)
            return total ? total : r;
        total += r;
        if ((size_t)r < n || total >= MAX_RW)
            break;
    }
    return total;
}

int64_t sys_readv(uproc *p, const uint64_t a[6]) { return xferv(p, a, 0, -1); }
int64_t sys_writev(uproc *p, const uint64_t a[6]) { return xferv(p, a, 1, -1); }
int64_t sys_preadv(uproc *p, const uint64_t a[6]) { return (int64_t)a[3] < 0 ? -EINVAL : xferv(p, a, 0, (int64_t)a[3]); }
int64_t sys_pwritev(uproc *p, const uint64_t a[6]) { return (int64_t)a[3] < 0 ? -EINVAL : xferv(p, a, 1, (int64_t)a[3]); }

int64_t sys_close(uproc *p, const uint64_t a[6])
{
    return ufds_close(p, (int64_t)a[0]);
}

int64_t sys_close_range(uproc *p, const uint64_t a[6])
{
    uint64_t first = (uint32_t)a[0], last = (uint32_t)a[1];
    if (first > last || (a[2] & ~6ull))
        return -EINVAL;
    for (uint64_t fd = first; fd <= last && fd < UFDS_MAX; fd++) {
        ufd *e = ufds_get(p, (int64_t)fd);
        if (!e)
            continue;
        if (a[2] & 4) /* CLOSE_RANGE_CLOEXEC */
            e->cloexec = 1;
        else
            ufds_close(p, (int64_t)fd);
    }
    return 0;
}

int64_t sys_lseek(uproc *p, const uint64_t a[6])
{
    GET_FD(e, a[0]);
    if (a[2] > 4)
        return -EINVAL;
    return uvfs_seek(p, e, (int64_t)a[1], (int)a[2]);
}

int64_t sys_fstat(uproc *p, const uint64_t a[6])
{
    GET_FD(e, a[0]);
    uvfs_stat st;
    int r = uvfs_fstat(p, e, &st);
    return r < 0 ? r : usys_put_stat(p, a[1], &st);
}

int64_t sys_getdents64(uproc *p, const uint64_t a[6])
{
    GET_FD(e, a[0]);
    size_t n = clamp_rw(a[2]);
    void *buf = umem_ptr(p, a[1], n, PROT_WRITE);
    if (!buf)
        return -EFAULT;
    return uvfs_getdents(p, e, buf, n);
}

int64_t sys_ftruncate(uproc *p, const uint64_t a[6])
{
    GET_FD(e, a[0]);
    if ((int64_t)a[1] < 0)
        return -EINVAL;
    return uvfs_ftruncate(p, e, (int64_t)a[1]);
}

int64_t sys_fsync(uproc *p, const uint64_t a[6])
{
    GET_FD(e, a[0]);
    return e->vf ? 0 : host_fsync(p->host, e->host);
}

int64_t sys_fchmod(uproc *p, const uint64_t a[6])
{
    GET_FD(e, a[0]);
    if (e->vf)
        return -EROFS;
    int r = uvfs_host_fd_mutable(p, e->host);
    return r ? r : host_fchmod(p->host, e->host, (int)(a[1] & 07777));
}

static int64_t dup_to(uproc *p, ufd *e, int minfd, int exact, int cloexec)
{
    if (e->vf) { /* one open file description, shared */
        uvfs_file *vf = e->vf;
        char copy[USYS_PATH_MAX];
        const char *path = e->path ? strncpy(copy, e->path, sizeof(copy) - 1) : NULL;
        copy[sizeof(copy) - 1] = 0;
        uvfs_file_ref(vf); /* e may be the slot that ufds_set_vf replaces */
        int64_t r = exact ? ufds_set_vf(p, minfd, vf, cloexec, path) : ufds_add_vf(p, minfd, vf, cloexec, path);
        uvfs_file_unref(p, vf);
        return r;
    }
    int h = host_dup(p->host, e->host);
    if (h < 0)
        return h;
    const char *path = e->path; /* e may move when the table grows */
    char copy[USYS_PATH_MAX];
    if (path) {
        strncpy(copy, path, sizeof(copy) - 1);
        copy[sizeof(copy) - 1] = 0;
        path = copy;
    }
    if (exact)
        return ufds_set(p, minfd, h, 1, cloexec, path);
    return ufds_add(p, minfd, h, 1, cloexec, path);
}

int64_t sys_dup(uproc *p, const uint64_t a[6])
{
    GET_FD(e, a[0]);
    return dup_to(p, e, 0, 0, 0);
}

int64_t sys_dup3(uproc *p, const uint64_t a[6])
{
    GET_FD(e, a[0]);
    if (a[2] & ~(uint64_t)LX_O_CLOEXEC)
        return -EINVAL;
    if (a[0] == a[1])
        return -EINVAL;
    if ((int64_t)a[1] < 0 || a[1] >= UFDS_MAX)
        return -EBADF;
    return dup_to(p, e, (int)a[1], 1, (a[2] & LX_O_CLOEXEC) != 0);
}

int64_t sys_fcntl(uproc *p, const uint64_t a[6])
{
    GET_FD(e, a[0]);
    switch (a[1]) {
    case 0:    /* F_DUPFD */
    case 1030: /* F_DUPFD_CLOEXEC */
        if (a[2] >= UFDS_MAX)
            return -EINVAL;
        return dup_to(p, e, (int)a[2], 0, a[1] == 1030);
    case 1: /* F_GETFD */
        return e->cloexec ? 1 : 0;
    case 2: /* F_SETFD */
        e->cloexec = (a[2] & 1) != 0;
        return 0;
    case 3: /* F_GETFL */
        return uvfs_getfl(p, e);
    case 4: /* F_SETFL: only O_APPEND and O_NONBLOCK matter here */
        return uvfs_setfl(p, e, a[2]);
    case 5: { /* F_GETLK: one process, nothing else holds a lock we know of */
        uint8_t t[2] = { 2, 0 }; /* l_type = F_UNLCK */
        return umem_write(p, a[2], t, 2);
    }
    case 6: /* F_SETLK */
    case 7: /* F_SETLKW */
        return 0;
    case 9: /* F_GETOWN */
        return 0;
    case 1032: /* F_GETPIPE_SZ */
        return 65536;
    default:
        return -EINVAL;
    }
}

int64_t sys_pipe2(uproc *p, const uint64_t a[6])
{
    if (a[1] & ~(uint64_t)(LX_O_CLOEXEC | LX_O_NONBLOCK | LX_O_DIRECT))
        return -EINVAL;
    if (!umem_ptr(p, a[0], 8, PROT_WRITE))
        return -EFAULT;
    int h[2];
    int r = host_pipe2(p->host, h, (a[1] & LX_O_NONBLOCK) ? O_NONBLOCK : 0);
    if (r < 0)
        return r;
    int cloexec = (a[1] & LX_O_CLOEXEC) != 0;
    int g0 = ufds_add(p, 0, h[0], 1, cloexec, NULL);
    if (g0 < 0) {
        host_close(p->host, h[1]);
        return g0;
    }
    int g1 = ufds_add(p, 0, h[1], 1, cloexec, NULL);
    if (g1 < 0) {
        ufds_close(p, g0);
        return g1;
    }
    uint8_t b[8];
    usys_put32(b, 0, (uint32_t)g0);
    usys_put32(b, 4, (uint32_t)g1);
    return umem_write(p, a[0], b, 8);
}

int64_t sys_ioctl(uproc *p, const uint64_t a[6])
{
    GET_FD(e, a[0]);
    if (e->vf && a[1] != 0x5421 && a[1] != 0x5451 && a[1] != 0x5450)
        return -ENOTTY; /* proxy files and the proxied console are no terminals */
    switch (a[1]) {
    case 0x5401: /* TCGETS */
        return usys_termios_get(p, e->host, a[2]);
    case 0x5402: /* TCSETS */
    case 0x5403: /* TCSETSW */
    case 0x5404: /* TCSETSF */
        return usys_termios_set(p, e->host, (int)(a[1] - 0x5402), a[2]);
    case 0x5413: { /* TIOCGWINSZ */
        uint16_t ws[4];
        int r = host_get_winsize(p->host, e->host, ws);
        if (r < 0)
            return r;
        uint8_t b[8];
        for (int i = 0; i < 4; i++)
            usys_put16(b, (unsigned)(2 * i), ws[i]);
        return umem_write(p, a[2], b, 8);
    }
    case 0x540F: { /* TIOCGPGRP: we are the foreground group of a tty */
        int r = usys_is_tty(p, e->host);
        if (r < 0)
            return r;
        uint8_t b[4];
        usys_put32(b, 0, (uint32_t)usys_state(p)->pid);
        return umem_write(p, a[2], b, 4);
    }
    case 0x541B: { /* FIONREAD */
        int n = 0;
        int r = host_bytes_readable(p->host, e->host, &n);
        if (r < 0)
            return r;
        uint8_t b[4];
        usys_put32(b, 0, (uint32_t)n);
        return umem_write(p, a[2], b, 4);
    }
    case 0x5421: { /* FIONBIO */
        uint8_t b[4];
        int r = umem_read(p, a[2], b, 4);
        if (r < 0)
            return r;
        int64_t f = uvfs_getfl(p, e);
        if (f < 0)
            return f;
        f = usys_get32(b, 0) ? (f | LX_O_NONBLOCK) : (f & ~(int64_t)LX_O_NONBLOCK);
        return uvfs_setfl(p, e, (uint64_t)f);
    }
    case 0x5451: /* FIOCLEX */
        e->cloexec = 1;
        return 0;
    case 0x5450: /* FIONCLEX */
        e->cloexec = 0;
        return 0;
    default:
        return -ENOTTY;
    }
}


