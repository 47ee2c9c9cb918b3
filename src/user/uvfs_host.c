/* The default file system of a user-mode guest: the host's, through the
 * host layer. Without -L a guest path is the host path (as qemu-user does).
 * With -L ROOT the guest sees only ROOT's tree: a path is resolved one
 * component at a time against ROOT, ".." stops at ROOT, and every symlink met
 * on the way (in any component; an absolute target counts from ROOT) is read
 * and spliced in, so the host path finally used has no symlink left that the
 * host would follow out of the tree. The final call adds O_NOFOLLOW /
 * AT_SYMLINK_NOFOLLOW where it can so a link swapped in afterwards is not
 * followed either. This is plain POSIX (lstat + readlink), so it works on
 * Darwin as on Linux; the guest's own threads run on one host thread, so the
 * guest cannot race its own resolution.
 *
 * Allowed through the jail, by exact guest path: the host's /dev/null,
 * /dev/zero, /dev/random, /dev/urandom and /dev/tty (harmless devices that
 * programs expect). */
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

#include "syscall.h"

#define MAX_LINKS 40 /* Linux's MAXSYMLINKS */

#ifdef __APPLE__
#define ST_ATIM(st) ((st)->st_atimespec)
#define ST_MTIM(st) ((st)->st_mtimespec)
#define ST_CTIM(st) ((st)->st_ctimespec)
#else
#define ST_ATIM(st) ((st)->st_atim)
#define ST_MTIM(st) ((st)->st_mtim)
#define ST_CTIM(st) ((st)->st_ctim)
#endif

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
    st->atime = (int64_t)ST_ATIM(hs).tv_sec;
    st->atime_ns = (uint32_t)ST_ATIM(hs).tv_nsec;
    st->mtime = (int64_t)ST_MTIM(hs).tv_sec;
    st->mtime_ns = (uint32_t)ST_MTIM(hs).tv_nsec;
    st->ctime = (int64_t)ST_CTIM(hs).tv_sec;
    st->ctime_ns = (uint32_t)ST_CTIM(hs).tv_nsec;
}

/* ---- the jail ---- */

static int copy_str(const char *s, char *out, size_t outlen)
{
    size_t n = strlen(s);
    if (n >= outlen)
        return -ENAMETOOLONG;
    memcpy(out, s, n + 1);
    return 0;
}

static int host_device(const char *g)
{
    static const char *const devs[] = { "/dev/null", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/tty" };
    for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
        if (!strcmp(g, devs[i]))
            return 1;
    return 0;
}

/* root + guest path (which starts with '/' or is empty for the root). */
static int join_root(const char *root, const char *g, char *out, size_t outlen)
{
    size_t rl = strlen(root), gl = strlen(g);
    if (rl + gl + 2 > outlen)
        return -ENAMETOOLONG;
    memcpy(out, root, rl);
    if (gl == 0)
        out[rl++] = '/';
    memcpy(out + rl, g, gl + 1);
    return 0;
}

static int jail_resolve(uproc *p, const char *guest, int follow_last, char *out, size_t outlen)
{
    const char *root = p->sysroot;
    char res[USYS_PATH_MAX]; /* resolved so far: symlink-free guest path, "" = "/" */
    size_t rl = 0;
    char rest[USYS_PATH_MAX], tmp[USYS_PATH_MAX], host[USYS_PATH_MAX + 8];
    size_t gl = strlen(guest);
    int trailing = gl > 1 && guest[gl - 1] == '/'; /* "dir/": must be a directory, followed */
    int r = copy_str(guest, rest, sizeof(rest));
    if (r)
        return r;
    const char *s = rest;
    int links = 0;
    res[0] = 0;
    for (;;) {
        while (*s == '/')
            s++;
        if (!*s)
            break;
        const char *c = s;
        while (*s && *s != '/')
            s++;
        size_t cl = (size_t)(s - c);
        const char *after = s;
        while (*after == '/')
            after++;
        int last = *after == 0;
        if (cl == 1 && c[0] == '.')
            continue;
        if (cl == 2 && c[0] == '.' && c[1] == '.') {
            while (rl > 0 && res[rl - 1] != '/')
                rl--;
            if (rl > 0)
                rl--; /* the '/' before it; at the root, stay */
            res[rl] = 0;
            continue;
        }
        size_t old = rl;
        if (rl + cl + 2 > sizeof(res))
            return -ENAMETOOLONG;
        res[rl++] = '/';
        memcpy(res + rl, c, cl);
        rl += cl;
        res[rl] = 0;
        if (last && !follow_last && !trailing)
            break;
        if ((r = join_root(root, res, host, sizeof(host))) < 0)
            return r;
        struct stat st;
        r = host_fstatat(p->host, AT_FDCWD, host, &st, AT_SYMLINK_NOFOLLOW);
        if (r == -ENOENT && last)
            break; /* a name to create */
        if (r < 0)
            return r;
        if (S_ISLNK(st.st_mode)) {
            if (++links > MAX_LINKS)
                return -ELOOP;
            ssize_t n = host_readlinkat(p->host, AT_FDCWD, host, tmp, sizeof(tmp) - 1);
            if (n < 0)
                return (int)n;
            if (n == 0)
                return -ENOENT;
            tmp[n] = 0;
            /* Continue with target + what was left of the path. */
            size_t al = strlen(after);
            if ((size_t)n + al + 3 > sizeof(tmp))
                return -ENAMETOOLONG;
            tmp[n] = '/';
            memcpy(tmp + n + 1, after, al + 1);
            if (last && !trailing)
                tmp[n] = 0;
            memcpy(rest, tmp, strlen(tmp) + 1);
            s = rest;
            rl = tmp[0] == '/' ? 0 : old;
            res[rl] = 0;
            continue;
        }
        if ((!last || trailing) && !S_ISDIR(st.st_mode))
            return -ENOTDIR;
    }
    if ((r = join_root(root, res, host, sizeof(host))) < 0)
        return r;
    if (trailing && rl > 0 && strlen(host) + 2 <= sizeof(host))
        strcat(host, "/");
    return copy_str(host, out, outlen);
}

int uvfs_host_path(uproc *p, const char *guest, int follow_last, char *out, size_t outlen)
{
    if (!guest)
        return -EFAULT;
    if (!p->sysroot || guest[0] != '/' || host_device(guest))
        return copy_str(guest, out, outlen);
    return jail_resolve(p, guest, follow_last, out, outlen);
}

int uvfs_host_fd_mutable(uproc *p, int fd)
{
    struct stat st;
    if (!p->sysroot)
        return 0;
    if (host_fstat(p->host, fd, &st) < 0 || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        return -EPERM;
    return 0;
}

/* ---- the operations ---- */

#define HOST_PATH(var, guest, follow)                                                              \
    char var[USYS_PATH_MAX + 8];                                                                   \
    do {                                                                                           \
        int rp_ = uvfs_host_path(p, (guest), (follow), var, sizeof(var));                          \
        if (rp_ < 0)                                                                               \
            return rp_;                                                                            \
    } while (0)

/* The host devices let through the jail may be opened, stat'ed and
 * checked, never changed: no mkdir, unlink, rename, link, chmod or utimes
 * on them (a guest could otherwise replace the host's /dev/null). */
#define NOT_A_DEVICE(guest)                                                                        \
    do {                                                                                           \
        if (p->sysroot && (guest) && host_device(guest))                                           \
            return -EPERM;                                                                         \
    } while (0)

/* In the jail the final component has been resolved already: never let the
 * host follow a link there. */
static int jail_nofollow(uproc *p, const char *guest)
{
    return p->sysroot && !host_device(guest);
}

static int h_open(uproc *p, const char *path, uint64_t lxflags, int mode, int *host, uvfs_file **vf)
{
    int hf = usys_host_oflags(lxflags);
    if (hf < 0)
        return hf;
    HOST_PATH(hp, path, !(lxflags & LX_O_NOFOLLOW));
    if (jail_nofollow(p, path))
        hf |= O_NOFOLLOW;
    int fd = host_openat(p->host, AT_FDCWD, hp, hf, mode);
    if (fd < 0)
        return fd;
    *host = fd;
    *vf = NULL;
    return 0;
}

static int h_stat(uproc *p, const char *path, int nofollow, uvfs_stat *st)
{
    HOST_PATH(hp, path, !nofollow);
    struct stat hs;
    int r = host_fstatat(p->host, AT_FDCWD, hp, &hs, (nofollow || jail_nofollow(p, path)) ? AT_SYMLINK_NOFOLLOW : 0);
    if (r == 0)
        uvfs_stat_from_host(&hs, st);
    return r;
}

static int64_t h_readlink(uproc *p, const char *path, char *buf, size_t n)
{
    HOST_PATH(hp, path, 0);
    return host_readlinkat(p->host, AT_FDCWD, hp, buf, n);
}

static int h_access(uproc *p, const char *path, int mode, int eaccess, int nofollow)
{
    HOST_PATH(hp, path, !nofollow);
    int hf = 0;
    if (eaccess)
        hf |= AT_EACCESS;
    if (nofollow)
        hf |= AT_SYMLINK_NOFOLLOW;
    return host_faccessat(p->host, AT_FDCWD, hp, mode, hf);
}

static int h_mkdir(uproc *p, const char *path, int mode)
{
    NOT_A_DEVICE(path);
    HOST_PATH(hp, path, 0);
    return host_mkdirat(p->host, AT_FDCWD, hp, mode);
}

static int h_unlink(uproc *p, const char *path, int is_dir)
{
    NOT_A_DEVICE(path);
    HOST_PATH(hp, path, 0);
    return host_unlinkat(p->host, AT_FDCWD, hp, is_dir ? AT_REMOVEDIR : 0);
}

static int h_rename(uproc *p, const char *from, const char *to)
{
    NOT_A_DEVICE(from);
    NOT_A_DEVICE(to);
    HOST_PATH(hf, from, 0);
    HOST_PATH(ht, to, 0);
    return host_renameat(p->host, AT_FDCWD, hf, AT_FDCWD, ht);
}

/* The link text is stored as the guest wrote it: an absolute target names a
 * guest path, which is what the guest reading it back expects (and what the
 * jail resolves inside the tree). */
static int h_symlink(uproc *p, const char *target, const char *path)
{
    NOT_A_DEVICE(path);
    HOST_PATH(hp, path, 0);
    return host_symlinkat(p->host, target, AT_FDCWD, hp);
}

static int h_link(uproc *p, const char *from, const char *to, int follow)
{
    NOT_A_DEVICE(from);
    NOT_A_DEVICE(to);
    HOST_PATH(hf, from, follow);
    HOST_PATH(ht, to, 0);
    return host_linkat(p->host, AT_FDCWD, hf, AT_FDCWD, ht, follow && !p->sysroot ? AT_SYMLINK_FOLLOW : 0);
}

static int h_chmod(uproc *p, const char *path, int mode)
{
    NOT_A_DEVICE(path);
    HOST_PATH(hp, path, 1);
    return host_fchmodat(p->host, AT_FDCWD, hp, mode);
}

static int h_utimens(uproc *p, const char *path, const struct timespec ts[2], int nofollow)
{
    NOT_A_DEVICE(path);
    HOST_PATH(hp, path, !nofollow);
    return host_utimensat(p->host, AT_FDCWD, hp, ts, (nofollow || jail_nofollow(p, path)) ? AT_SYMLINK_NOFOLLOW : 0);
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
