/* Path system calls. Every guest path becomes an absolute guest path (from
 * the guest cwd, or the guest path a directory fd was opened with), is
 * normalised lexically, and only then goes to the process's file system
 * (uvfs.h): the host's (with the -L jail) or the embedder's. The host's own
 * cwd is never used or changed, so several machines can live in one process. */
#include "syscall.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fdtable.h"
#include "uvfs.h"

#define V(p) ((p)->vfs->ops)

/* ---- resolution ---- */

void usys_normalize(char *path)
{
    char out[USYS_PATH_MAX];
    size_t w = 1;
    const char *r = path;
    int trailing = 0;
    out[0] = '/';
    while (*r) {
        while (*r == '/')
            r++;
        if (!*r)
            break;
        const char *s = r;
        while (*r && *r != '/')
            r++;
        size_t len = (size_t)(r - s);
        trailing = *r == '/';
        if (len == 1 && s[0] == '.')
            continue;
        if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (w > 1) {
                w--; /* drop the '/' after the last component, then it */
                while (w > 1 && out[w - 1] != '/')
                    w--;
            }
            continue;
        }
        if (w + len + 1 >= sizeof(out))
            break; /* cannot happen: input fits in the same size */
        memcpy(out + w, s, len);
        w += len;
        out[w++] = '/';
    }
    if (w > 1 && !trailing)
        w--; /* keep a trailing slash only if the caller wrote one */
    out[w] = 0;
    memcpy(path, out, w + 1);
}

int usys_resolve_str(uproc *p, int64_t dirfd, const char *path, char *guest_abs)
{
    size_t plen = strlen(path);
    if (plen == 0)
        return -ENOENT;
    if (path[0] == '/') {
        if (plen >= USYS_PATH_MAX)
            return -ENAMETOOLONG;
        memcpy(guest_abs, path, plen + 1);
    } else {
        const char *base;
        if ((int)dirfd == LX_AT_FDCWD) {
            base = ufds_cwd(p);
        } else {
            ufd *e = ufds_get(p, (int)dirfd);
            if (!e)
                return -EBADF;
            if (!e->path)
                return -ENOTDIR;
            base = e->path;
        }
        if ((size_t)snprintf(guest_abs, USYS_PATH_MAX, "%s/%s", base, path) >= USYS_PATH_MAX)
            return -ENAMETOOLONG;
    }
    usys_normalize(guest_abs);
    return 0;
}

int usys_resolve(uproc *p, int64_t dirfd, uint64_t va, char *guest_abs)
{
    char path[USYS_PATH_MAX];
    int r = umem_read_str(p, va, path, sizeof(path));
    if (r < 0)
        return r;
    return usys_resolve_str(p, dirfd, path, guest_abs);
}

/* ---- flag and structure conversion ---- */

static const struct {
    uint32_t lx;
    int host;
} oflag_map[] = {
    { LX_O_CREAT, O_CREAT },       { LX_O_EXCL, O_EXCL },         { LX_O_NOCTTY, O_NOCTTY },
    { LX_O_TRUNC, O_TRUNC },       { LX_O_APPEND, O_APPEND },     { LX_O_NONBLOCK, O_NONBLOCK },
    { LX_O_DIRECTORY, O_DIRECTORY }, { LX_O_NOFOLLOW, O_NOFOLLOW },
#ifdef O_DSYNC
    { LX_O_DSYNC, O_DSYNC },
#endif
};

int usys_host_oflags(uint64_t lx)
{
    int f;
    switch (lx & LX_O_ACCMODE) {
    case 0: f = O_RDONLY; break;
    case 1: f = O_WRONLY; break;
    case 2: f = O_RDWR; break;
    default: return -EINVAL;
    }
    for (size_t i = 0; i < sizeof(oflag_map) / sizeof(oflag_map[0]); i++)
        if (lx & oflag_map[i].lx)
            f |= oflag_map[i].host;
    if ((lx & LX_O_SYNC) == LX_O_SYNC)
        f |= O_SYNC;
    if ((lx & LX_O_TMPFILE) == LX_O_TMPFILE) {
#ifdef O_TMPFILE
        f = (f & ~O_DIRECTORY) | O_TMPFILE;
#else
        return -EOPNOTSUPP;
#endif
    }
    if (lx & LX_O_PATH) {
#ifdef O_PATH
        f = O_PATH | (f & (O_DIRECTORY | O_NOFOLLOW));
#else
        f = O_RDONLY | (f & (O_DIRECTORY | O_NOFOLLOW));
#endif
    }
    /* O_LARGEFILE, O_DIRECT, O_NOATIME, O_ASYNC: no effect here. */
    return f;
}

uint64_t usys_lx_oflags(int host)
{
    uint64_t f;
    switch (host & O_ACCMODE) {
    case O_WRONLY: f = 1; break;
    case O_RDWR: f = 2; break;
    default: f = 0; break;
    }
    if (host & O_APPEND)
        f |= LX_O_APPEND;
    if (host & O_NONBLOCK)
        f |= LX_O_NONBLOCK;
#ifdef O_DSYNC
    if (host & O_DSYNC)
        f |= LX_O_DSYNC;
#endif
    if ((host & O_SYNC) == O_SYNC)
        f |= LX_O_SYNC;
    return f;
}

int usys_put_stat(uproc *p, uint64_t va, const uvfs_stat *st)
{
    uint8_t b[128];
    memset(b, 0, sizeof(b));
    usys_put64(b, 0, st->dev);
    usys_put64(b, 8, st->ino);
    usys_put32(b, 16, st->mode);
    usys_put32(b, 20, st->nlink);
    usys_put32(b, 24, st->uid);
    usys_put32(b, 28, st->gid);
    usys_put64(b, 32, st->rdev);
    usys_put64(b, 48, (uint64_t)st->size);
    usys_put32(b, 56, (uint32_t)st->blksize);
    usys_put64(b, 64, (uint64_t)st->blocks);
    usys_put64(b, 72, (uint64_t)st->atime);
    usys_put64(b, 80, st->atime_ns);
    usys_put64(b, 88, (uint64_t)st->mtime);
    usys_put64(b, 96, st->mtime_ns);
    usys_put64(b, 104, (uint64_t)st->ctime);
    usys_put64(b, 112, st->ctime_ns);
    return umem_write(p, va, b, sizeof(b));
}

/* Linux dev_t encoding back to major and minor (statx has them apart). */
static uint32_t lx_major(uint64_t d) { return (uint32_t)(((d >> 8) & 0xfff) | ((d >> 32) & ~0xfffull)); }
static uint32_t lx_minor(uint64_t d) { return (uint32_t)((d & 0xff) | ((d >> 12) & ~0xffull)); }

static void put_statx_time(uint8_t *b, unsigned off, int64_t sec, uint32_t nsec)
{
    usys_put64(b, off, (uint64_t)sec);
    usys_put32(b, off + 8, nsec);
}

/* struct statx (256 bytes) with the basic fields (STATX_BASIC_STATS). */
static int put_statx(uproc *p, uint64_t va, const uvfs_stat *st)
{
    uint8_t b[256];
    memset(b, 0, sizeof(b));
    usys_put32(b, 0, 0x7ff); /* STATX_BASIC_STATS */
    usys_put32(b, 4, (uint32_t)st->blksize);
    usys_put32(b, 16, st->nlink);
    usys_put32(b, 20, st->uid);
    usys_put32(b, 24, st->gid);
    usys_put16(b, 28, (uint16_t)st->mode);
    usys_put64(b, 32, st->ino);
    usys_put64(b, 40, (uint64_t)st->size);
    usys_put64(b, 48, (uint64_t)st->blocks);
    put_statx_time(b, 64, st->atime, st->atime_ns);
    put_statx_time(b, 96, st->ctime, st->ctime_ns);
    put_statx_time(b, 112, st->mtime, st->mtime_ns);
    usys_put32(b, 128, lx_major(st->rdev));
    usys_put32(b, 132, lx_minor(st->rdev));
    usys_put32(b, 136, lx_major(st->dev));
    usys_put32(b, 140, lx_minor(st->dev));
    return umem_write(p, va, b, sizeof(b));
}

/* Only AT_SYMLINK_NOFOLLOW matters below; other bits must be in allowed. */
static int check_atflags(uint64_t lx, uint64_t allowed)
{
    return (lx & ~allowed) ? -EINVAL : 0;
}

/* stat for (dirfd, path, flags) with AT_EMPTY_PATH meaning "dirfd itself". */
static int stat_at(uproc *p, int64_t dirfd, uint64_t pathva, uint64_t flags, uvfs_stat *st)
{
    int r = check_atflags(flags, LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH | 0x800 /* NO_AUTOMOUNT */ |
                                     0x6000 /* AT_STATX_SYNC_TYPE */);
    if (r < 0)
        return r;
    char path[USYS_PATH_MAX], guest[USYS_PATH_MAX];
    r = umem_read_str(p, pathva, path, sizeof(path));
    if (r < 0)
        return r;
    if (!path[0] && (flags & LX_AT_EMPTY_PATH)) {
        if ((int)dirfd == LX_AT_FDCWD)
            return V(p)->stat(p, ufds_cwd(p), 0, st);
        ufd *e = ufds_get(p, dirfd);
        return e ? uvfs_fstat(p, e, st) : -EBADF;
    }
    r = usys_resolve_str(p, dirfd, path, guest);
    if (r < 0)
        return r;
    return V(p)->stat(p, guest, (flags & LX_AT_SYMLINK_NOFOLLOW) != 0, st);
}

/* ---- handlers ---- */

int64_t sys_openat(uproc *p, const uint64_t a[6])
{
    char guest[USYS_PATH_MAX];
    int r = usys_resolve(p, (int64_t)a[0], a[1], guest);
    if (r < 0)
        return r;
    int mode = (int)(a[3] & 07777 & ~p->fds->umask);
    int host = -1;
    uvfs_file *vf = NULL;
    r = V(p)->open(p, guest, a[2], mode, &host, &vf);
    if (r < 0)
        return r;
    int cloexec = (a[2] & LX_O_CLOEXEC) != 0;
    if (vf) {
        r = ufds_add_vf(p, 0, vf, cloexec, guest);
        uvfs_file_unref(p, vf); /* the table holds it now (or nobody: closed) */
        return r;
    }
    return ufds_add(p, 0, host, 1, cloexec, guest);
}

int64_t sys_newfstatat(uproc *p, const uint64_t a[6])
{
    uvfs_stat st;
    int r = stat_at(p, (int64_t)a[0], a[1], a[3], &st);
    return r < 0 ? r : usys_put_stat(p, a[2], &st);
}

int64_t sys_statx(uproc *p, const uint64_t a[6])
{
    uvfs_stat st;
    int r = stat_at(p, (int64_t)a[0], a[1], a[2], &st);
    return r < 0 ? r : put_statx(p, a[4], &st);
}

int64_t sys_readlinkat(uproc *p, const uint64_t a[6])
{
    char guest[USYS_PATH_MAX], buf[USYS_PATH_MAX];
    int64_t bufsiz = (int64_t)a[3];
    if (bufsiz <= 0)
        return -EINVAL;
    int r = usys_resolve(p, (int64_t)a[0], a[1], guest);
    if (r < 0)
        return r;
    int64_t n = V(p)->readlink(p, guest, buf, sizeof(buf)); /* /proc/self/exe: uvfs_proc.c */
    if (n < 0)
        return n;
    if (n > bufsiz)
        n = bufsiz;
    r = umem_write(p, a[2], buf, (size_t)n);
    return r < 0 ? r : n;
}

static int64_t access_at(uproc *p, int64_t dirfd, uint64_t pathva, uint64_t mode, uint64_t flags)
{
    char guest[USYS_PATH_MAX];
    if (mode & ~7ull)
        return -EINVAL;
    if (flags & ~(uint64_t)(LX_AT_EACCESS | LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH))
        return -EINVAL;
    int r = usys_resolve(p, dirfd, pathva, guest);
    if (r < 0)
        return r;
    return V(p)->access(p, guest, (int)mode, (flags & LX_AT_EACCESS) != 0, (flags & LX_AT_SYMLINK_NOFOLLOW) != 0);
}

int64_t sys_faccessat(uproc *p, const uint64_t a[6])
{
    return access_at(p, (int64_t)a[0], a[1], a[2], 0);
}

int64_t sys_faccessat2(uproc *p, const uint64_t a[6])
{
    return access_at(p, (int64_t)a[0], a[1], a[2], a[3]);
}

int64_t sys_mkdirat(uproc *p, const uint64_t a[6])
{
    char guest[USYS_PATH_MAX];
    int r = usys_resolve(p, (int64_t)a[0], a[1], guest);
    if (r < 0)
        return r;
    return V(p)->mkdir(p, guest, (int)(a[2] & 07777 & ~p->fds->umask));
}

int64_t sys_unlinkat(uproc *p, const uint64_t a[6])
{
    char guest[USYS_PATH_MAX];
    if (a[2] & ~(uint64_t)LX_AT_REMOVEDIR)
        return -EINVAL;
    int r = usys_resolve(p, (int64_t)a[0], a[1], guest);
    if (r < 0)
        return r;
    return V(p)->unlink(p, guest, (a[2] & LX_AT_REMOVEDIR) != 0);
}

static int64_t rename_at(uproc *p, const uint64_t a[6], uint64_t flags)
{
    char from[USYS_PATH_MAX], to[USYS_PATH_MAX];
    if (flags & ~1ull) /* only RENAME_NOREPLACE */
        return -EINVAL;
    int r = usys_resolve(p, (int64_t)a[0], a[1], from);
    if (r == 0)
        r = usys_resolve(p, (int64_t)a[2], a[3], to);
    if (r < 0)
        return r;
    if (flags & 1) {
        uvfs_stat st;
        if (V(p)->stat(p, to, 1, &st) == 0)
            return -EEXIST;
    }
    return V(p)->rename(p, from, to);
}

int64_t sys_renameat(uproc *p, const uint64_t a[6])
{
    return rename_at(p, a, 0);
}

int64_t sys_renameat2(uproc *p, const uint64_t a[6])
{
    return rename_at(p, a, a[4]);
}

int64_t sys_symlinkat(uproc *p, const uint64_t a[6])
{
    char target[USYS_PATH_MAX], guest[USYS_PATH_MAX];
    int r = umem_read_str(p, a[0], target, sizeof(target));
    if (r < 0)
        return r;
    if (!target[0])
        return -ENOENT;
    r = usys_resolve(p, (int64_t)a[1], a[2], guest);
    return r < 0 ? r : V(p)->symlink(p, target, guest);
}

int64_t sys_linkat(uproc *p, const uint64_t a[6])
{
    char from[USYS_PATH_MAX], to[USYS_PATH_MAX];
    if (a[4] & ~(uint64_t)(LX_AT_SYMLINK_FOLLOW | LX_AT_EMPTY_PATH))
        return -EINVAL;
    int r = usys_resolve(p, (int64_t)a[0], a[1], from);
    if (r == 0)
        r = usys_resolve(p, (int64_t)a[2], a[3], to);
    if (r < 0)
        return r;
    return V(p)->link(p, from, to, (a[4] & LX_AT_SYMLINK_FOLLOW) != 0);
}

int64_t sys_fchmodat(uproc *p, const uint64_t a[6])
{
    char guest[USYS_PATH_MAX];
    int r = usys_resolve(p, (int64_t)a[0], a[1], guest);
    return r < 0 ? r : V(p)->chmod(p, guest, (int)(a[2] & 07777));
}

int64_t sys_utimensat(uproc *p, const uint64_t a[6])
{
    struct timespec ts[2], *tsp = NULL;
    int r = check_atflags(a[3], LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH);
    if (r < 0)
        return r;
    if (a[2]) {
        for (int i = 0; i < 2; i++) {
            int64_t sec, nsec;
            r = usys_get_timespec(p, a[2] + 16 * (uint64_t)i, &sec, &nsec);
            if (r < 0)
                return r;
            ts[i].tv_sec = (time_t)sec;
            if (nsec == (1 << 30) - 1)
                ts[i].tv_nsec = UTIME_NOW;
            else if (nsec == (1 << 30) - 2)
                ts[i].tv_nsec = UTIME_OMIT;
            else if (nsec < 0 || nsec > 999999999)
                return -EINVAL;
            else
                ts[i].tv_nsec = (long)nsec;
        }
        tsp = ts;
    }
    if (!a[1]) { /* futimens(fd, times) */
        ufd *e = ufds_get(p, (int64_t)a[0]);
        if (!e)
            return -EBADF;
        if (e->vf)
            return 0; /* the embedder's times: accepted, not stored */
        int r = uvfs_host_fd_mutable(p, e->host);
        return r ? r : host_futimens(p->host, e->host, tsp);
    }
    char guest[USYS_PATH_MAX];
    r = usys_resolve(p, (int64_t)a[0], a[1], guest);
    return r < 0 ? r : V(p)->utimens(p, guest, tsp, (a[3] & LX_AT_SYMLINK_NOFOLLOW) != 0);
}

int64_t sys_getcwd(uproc *p, const uint64_t a[6])
{
    const char *cwd = ufds_cwd(p);
    size_t n = strlen(cwd) + 1;
    if (a[1] < n)
        return -ERANGE;
    int r = umem_write(p, a[0], cwd, n);
    return r < 0 ? r : (int64_t)n;
}

static int64_t enter_dir(uproc *p, const char *guest)
{
    uvfs_stat st;
    int r = V(p)->stat(p, guest, 0, &st);
    if (r < 0)
        return r;
    if ((st.mode & UVFS_S_IFMT) != UVFS_S_IFDIR)
        return -ENOTDIR;
    r = V(p)->access(p, guest, X_OK, 0, 0);
    if (r < 0)
        return r;
    char g[USYS_PATH_MAX];
    snprintf(g, sizeof(g), "%s", guest);
    usys_normalize(g);
    if (strlen(g) > 1 && g[strlen(g) - 1] == '/')
        g[strlen(g) - 1] = 0;
    return ufds_set_cwd(p, g);
}

int64_t sys_chdir(uproc *p, const uint64_t a[6])
{
    char guest[USYS_PATH_MAX];
    int r = usys_resolve(p, LX_AT_FDCWD, a[0], guest);
    return r < 0 ? r : enter_dir(p, guest);
}

int64_t sys_fchdir(uproc *p, const uint64_t a[6])
{
    ufd *e = ufds_get(p, (int64_t)a[0]);
    if (!e)
        return -EBADF;
    if (!e->path)
        return -ENOTDIR;
    char guest[USYS_PATH_MAX];
    snprintf(guest, sizeof(guest), "%s", e->path);
    return enter_dir(p, guest);
}

int64_t sys_umask(uproc *p, const uint64_t a[6])
{
    uint32_t old = p->fds->umask;
    p->fds->umask = (uint32_t)(a[0] & 0777);
    return old;
}

int64_t sys_truncate(uproc *p, const uint64_t a[6])
{
    char guest[USYS_PATH_MAX];
    if ((int64_t)a[1] < 0)
        return -EINVAL;
    int r = usys_resolve(p, LX_AT_FDCWD, a[0], guest);
    if (r < 0)
        return r;
    ufd tmp = { .host = -1 };
    r = V(p)->open(p, guest, 1 /* O_WRONLY */, 0, &tmp.host, &tmp.vf);
    if (r < 0)
        return r;
    r = uvfs_ftruncate(p, &tmp, (int64_t)a[1]);
    if (tmp.vf)
        uvfs_file_unref(p, tmp.vf);
    else
        host_close(p->host, tmp.host);
    return r;
}

int64_t sys_statfs_stub(uproc *p, const uint64_t a[6])
{
    (void)p;
    (void)a;
    return -ENOSYS;
}
