/* The default file system of a user-mode guest: the host's, through the
 * host layer. Without -L a guest path is the host path (as qemu-user does).
 * With -L ROOT the guest sees only ROOT's tree: every path is walked from the
 * root's directory fd one component at a time (jail.c), ".." stops at ROOT,
 * every symlink met on the way (an absolute target counts from ROOT) is read
 * and followed inside the tree, and the operation is one *at call on the last
 * directory's fd and the last name, which never follows a link. The host is
 * never handed a path of more than one component, so another guest sharing
 * the tree cannot swap a checked directory for a link out of it between the
 * check and the use. Plain POSIX *at calls: the same on Linux and Darwin.
 *
 * Allowed through the jail, by exact guest path, to open, stat, access and
 * readlink only: the host's /dev/null, /dev/zero, /dev/random, /dev/urandom
 * and /dev/tty (harmless devices that programs expect). Calls that change
 * the tree (unlink, rename, mkdir, chmod, ...) resolve those paths inside
 * the tree like any other. */
#include "uvfs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#ifdef __linux__
#include <sys/sysmacros.h>
#endif

#include "jail.h"
#include "syscall.h"


static uint64_t lx_dev(uint64_t hostdev)
{
    uint64_t ma = major(hostdev), mi = minor(hostdev);
    return (mi & 0xff) | ((ma & 0xfff) << 8) | ((mi & ~0xffull) << 12) | ((ma & ~0xfffull) << 32);
}

static uint32_t lx_mode(mode_t m)
{
    uint32_t t = S_ISDIR(m) ? 0040000 : S_ISCHR(m) ? 0020000 : S_ISBLK(m) ? 0060000 : S_ISREG(m) ? 0100000
               : S_ISFIFO(m) ? 0010000 : S_ISLNK(m) ? 0120000 : S_ISSOCK(m) ? 0140000 : 0;
    return t | ((uint32_t)m & 07777);
}

void uvfs_stat_from_host(const struct stat *hs, uvfs_stat *st)
{
    memset(st, 0, sizeof(*st));
    st->dev = lx_dev((uint64_t)hs->st_dev);
    st->ino = (uint64_t)hs->st_ino;
    st->mode = lx_mode(hs->st_mode);
    st->nlink = (uint32_t)hs->st_nlink;
    st->uid = (uint32_t)hs->st_uid;
    st->gid = (uint32_t)hs->st_gid;
    st->rdev = lx_dev((uint64_t)hs->st_rdev);
    st->size = (int64_t)hs->st_size;
    st->blksize = (int64_t)hs->st_blksize;
    st->blocks = (int64_t)hs->st_blocks;
    st->atime = (int64_t)HOST_ST_ATIM(hs).tv_sec;
    st->atime_ns = (uint32_t)HOST_ST_ATIM(hs).tv_nsec;
    st->mtime = (int64_t)HOST_ST_MTIM(hs).tv_sec;
    st->mtime_ns = (uint32_t)HOST_ST_MTIM(hs).tv_nsec;
    st->ctime = (int64_t)HOST_ST_CTIM(hs).tv_sec;
    st->ctime_ns = (uint32_t)HOST_ST_CTIM(hs).tv_nsec;
}

/* ---- the operations ----
 * Each walks its path (jail.h) to a directory fd and a last component, then
 * makes the one *at call on them; in the jail that call never follows a
 * symlink (the walk has followed it inside the tree already), so a link
 * swapped in after the walk makes it fail instead of leading outside. */

/* A symlink swapped in between the walk and a call that was to follow it
 * fails that call (ELOOP, or EOPNOTSUPP from fchmodat); walking again then
 * follows the new link inside the tree. A few tries, then the error. */
#define JAIL_TRIES 4

static int raced(const jail_at *at, int err)
{
    return at->jailed && (err == -ELOOP || err == -EOPNOTSUPP);
}

/* AT_SYMLINK_NOFOLLOW where the caller asked for it or the jail needs it. */
static int nofollow_flag(const jail_at *at, int nofollow)
{
    return nofollow || at->jailed ? AT_SYMLINK_NOFOLLOW : 0;
}

static int h_open(uproc *p, const char *path, uint64_t lxflags, int mode, int *host, uvfs_file **vf)
{
    int hf = usys_host_oflags(lxflags);
    if (hf < 0)
        return hf;
    int follow = !(lxflags & LX_O_NOFOLLOW);
    int fd = -ENOENT;
    for (int t = 0; t < JAIL_TRIES; t++) {
        jail_at at;
        int r = jail_walk(p, path, JAIL_DEVICES | (follow ? JAIL_FOLLOW : 0), &at);
        if (r < 0)
            return r;
        fd = host_openat(p->host, at.dirfd, at.name, hf | (at.jailed ? O_NOFOLLOW : 0), mode);
        jail_release(p, &at);
        if (!(follow && raced(&at, fd)))
            break;
    }
    if (fd < 0)
        return fd;
    *host = fd;
    *vf = NULL;
    return 0;
}

static int h_stat(uproc *p, const char *path, int nofollow, uvfs_stat *st)
{
    jail_at at;
    int r = jail_walk(p, path, JAIL_DEVICES | (nofollow ? 0 : JAIL_FOLLOW), &at);
    if (r < 0)
        return r;
    struct stat hs;
    r = host_fstatat(p->host, at.dirfd, at.name, &hs, nofollow_flag(&at, nofollow));
    jail_release(p, &at);
    if (r == 0)
        uvfs_stat_from_host(&hs, st);
    return r;
}

static int64_t h_readlink(uproc *p, const char *path, char *buf, size_t n)
{
    jail_at at;
    int r = jail_walk(p, path, JAIL_DEVICES, &at);
    if (r < 0)
        return r;
    int64_t got = host_readlinkat(p->host, at.dirfd, at.name, buf, n);
    jail_release(p, &at);
    return got;
}

static int h_access(uproc *p, const char *path, int mode, int eaccess, int nofollow)
{
    jail_at at;
    int r = jail_walk(p, path, JAIL_DEVICES | (nofollow ? 0 : JAIL_FOLLOW), &at);
    if (r < 0)
        return r;
    int hf = nofollow_flag(&at, nofollow);
    if (eaccess)
        hf |= AT_EACCESS;
    r = host_faccessat(p->host, at.dirfd, at.name, mode, hf);
    jail_release(p, &at);
    return r;
}

static int h_mkdir(uproc *p, const char *path, int mode)
{
    jail_at at;
    int r = jail_walk(p, path, 0, &at);
    if (r < 0)
        return r;
    r = host_mkdirat(p->host, at.dirfd, at.name, mode);
    jail_release(p, &at);
    return r;
}

static int h_unlink(uproc *p, const char *path, int is_dir)
{
    jail_at at;
    int r = jail_walk(p, path, 0, &at);
    if (r < 0)
        return r;
    r = host_unlinkat(p->host, at.dirfd, at.name, is_dir ? AT_REMOVEDIR : 0);
    jail_release(p, &at);
    return r;
}

static int h_rename(uproc *p, const char *from, const char *to)
{
    jail_at af, ato;
    int r = jail_walk(p, from, 0, &af);
    if (r < 0)
        return r;
    r = jail_walk(p, to, 0, &ato);
    if (r == 0) {
        r = host_renameat(p->host, af.dirfd, af.name, ato.dirfd, ato.name);
        jail_release(p, &ato);
    }
    jail_release(p, &af);
    return r;
}

/* The link text is stored as the guest wrote it: an absolute target names a
 * guest path, which is what the guest reading it back expects (and what the
 * jail resolves inside the tree). A host tool following it unjailed would
 * go wherever that text points on the host: see README, "The path jail". */
static int h_symlink(uproc *p, const char *target, const char *path)
{
    jail_at at;
    int r = jail_walk(p, path, 0, &at);
    if (r < 0)
        return r;
    r = host_symlinkat(p->host, target, at.dirfd, at.name);
    jail_release(p, &at);
    return r;
}

/* follow (AT_SYMLINK_FOLLOW): in the jail the walk follows the link and the
 * host links the file it found, never following anything itself. */
static int h_link(uproc *p, const char *from, const char *to, int follow)
{
    jail_at af, ato;
    int r = jail_walk(p, from, follow ? JAIL_FOLLOW : 0, &af);
    if (r < 0)
        return r;
    r = jail_walk(p, to, 0, &ato);
    if (r == 0) {
        r = host_linkat(p->host, af.dirfd, af.name, ato.dirfd, ato.name,
                        follow && !af.jailed ? AT_SYMLINK_FOLLOW : 0);
        jail_release(p, &ato);
    }
    jail_release(p, &af);
    return r;
}

static int h_chmod(uproc *p, const char *path, int mode)
{
    int r = -ENOENT;
    for (int t = 0; t < JAIL_TRIES; t++) {
        jail_at at;
        if ((r = jail_walk(p, path, JAIL_FOLLOW, &at)) < 0)
            return r;
        r = host_fchmodat(p->host, at.dirfd, at.name, mode, nofollow_flag(&at, 0));
        jail_release(p, &at);
        if (!raced(&at, r))
            break;
    }
    return r;
}

static int h_utimens(uproc *p, const char *path, const struct timespec ts[2], int nofollow)
{
    jail_at at;
    int r = jail_walk(p, path, nofollow ? 0 : JAIL_FOLLOW, &at);
    if (r < 0)
        return r;
    r = host_utimensat(p->host, at.dirfd, at.name, ts, nofollow_flag(&at, nofollow));
    jail_release(p, &at);
    return r;
}

/* Host devices the jail lets through (/dev/null...) are the host's own: a
 * guest may use an fd on one but not change its mode or times. */
int uvfs_host_fd_mutable(uproc *p, int fd)
{
    struct stat st;
    if (!p->sysroot)
        return 0;
    if (host_fstat(p->host, fd, &st) < 0 || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        return -EPERM;
    return 0;
}

const uvfs_ops uvfs_host_ops = {
    .open = h_open,
    .stat = h_stat,
    .readlink = h_readlink,
    .access = h_access,
    .mkdir = h_mkdir,
    .unlink = h_unlink,
    .rename = h_rename,
    .symlink = h_symlink,
    .link = h_link,
    .chmod = h_chmod,
    .utimens = h_utimens,
};
