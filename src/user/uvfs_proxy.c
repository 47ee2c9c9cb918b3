/* The embedder's file system: uvfs operations served by the svm_proxy
 * callbacks (include/splitvm.h). The guest reaches no host file through
 * here: every path goes to the embedder, and files it opens are uvfs_files
 * holding the embedder's handle. Missing optional callbacks get the fallbacks
 * the public header documents. */
#include "uvfs.h"

#include <errno.h>
#include <string.h>

#include "splitvm.h"
#include "syscall.h"

#define PX(p) ((p)->vfs->proxy)
#define OPQ(p) ((p)->vfs->proxy_opaque)

static void stat_from_proxy(const svm_stat *s, uvfs_stat *st)
{
    memset(st, 0, sizeof(*st));
    st->dev = s->dev;
    st->ino = s->ino;
    st->mode = s->mode;
    st->nlink = s->nlink ? s->nlink : 1;
    st->uid = s->uid;
    st->gid = s->gid;
    st->rdev = s->rdev;
    st->size = s->size;
    st->blksize = s->blksize ? s->blksize : 4096;
    st->blocks = s->blocks ? s->blocks : (s->size + 511) / 512;
    st->atime = s->atime_sec;
    st->mtime = s->mtime_sec;
    st->ctime = s->ctime_sec;
    st->atime_ns = s->atime_nsec;
    st->mtime_ns = s->mtime_nsec;
    st->ctime_ns = s->ctime_nsec;
}

/* The embedder gets paths without a trailing '/'. */
static const char *clean(const char *path, char *buf, size_t cap)
{
    size_t n = strlen(path);
    if (n <= 1 || path[n - 1] != '/' || n >= cap)
        return path;
    memcpy(buf, path, n - 1);
    buf[n - 1] = 0;
    return buf;
}

#define CLEAN(var, path)                                                                           \
    char var##_buf[USYS_PATH_MAX];                                                                 \
    const char *var = clean((path), var##_buf, sizeof(var##_buf))

/* ---- open files ---- */

static int64_t f_read(uproc *p, uvfs_file *f, void *buf, size_t n, int64_t off)
{
    return PX(p)->read(OPQ(p), f->handle, buf, n, off);
}

static int64_t f_write(uproc *p, uvfs_file *f, const void *buf, size_t n, int64_t off)
{
    return PX(p)->write ? PX(p)->write(OPQ(p), f->handle, buf, n, off) : -EBADF;
}

static int64_t f_seek(uproc *p, uvfs_file *f, int64_t off, int whence)
{
    if (f->dirpos != UINT64_MAX) {
        /* A directory: the position is the entry index (the d_off cookies). */
        if (whence != 0 || off < 0)
            return -EINVAL;
        f->dirpos = (uint64_t)off;
        return off;
    }
    return PX(p)->seek ? PX(p)->seek(OPQ(p), f->handle, off, whence) : -ESPIPE;
}

static int f_fstat(uproc *p, uvfs_file *f, uvfs_stat *st)
{
    if (!PX(p)->fstat)
        return -ENOSYS;
    svm_stat s;
    memset(&s, 0, sizeof(s));
    int r = PX(p)->fstat(OPQ(p), f->handle, &s);
    if (r == 0)
        stat_from_proxy(&s, st);
    return r;
}

/* linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, name, NUL, padded to 8. */
static int f_getdents(uproc *p, uvfs_file *f, uint8_t *buf, size_t n)
{
    if (!PX(p)->readdir || f->dirpos == UINT64_MAX)
        return -ENOTDIR;
    size_t used = 0;
    for (;;) {
        svm_dirent d;
        memset(&d, 0, sizeof(d));
        int r = PX(p)->readdir(OPQ(p), f->handle, f->dirpos, &d);
        if (r < 0)
            return used ? (int)used : r;
        if (r == 0)
            break;
        d.name[sizeof(d.name) - 1] = 0;
        size_t nl = strlen(d.name);
        size_t reclen = (19 + nl + 1 + 7) & ~(size_t)7;
        if (used + reclen > n)
            return used ? (int)used : -EINVAL; /* buffer too small for one entry */
        uint8_t *e = buf + used;
        memset(e, 0, reclen);
        usys_put64(e, 0, d.ino ? d.ino : f->dirpos + 1);
        usys_put64(e, 8, f->dirpos + 1);
        usys_put16(e, 16, (uint16_t)reclen);
        e[18] = d.type;
        memcpy(e + 19, d.name, nl);
        used += reclen;
        f->dirpos++;
    }
    return (int)used;
}

static int f_ftruncate(uproc *p, uvfs_file *f, int64_t len)
{
    return PX(p)->ftruncate ? PX(p)->ftruncate(OPQ(p), f->handle, len) : -EROFS;
}

static void f_close(uproc *p, uvfs_file *f)
{
    if (PX(p)->close)
        PX(p)->close(OPQ(p), f->handle);
}

static const uvfs_file_ops proxy_file_ops = {
    .read = f_read, .write = f_write, .seek = f_seek, .fstat = f_fstat,
    .getdents = f_getdents, .ftruncate = f_ftruncate, .close = f_close,
};

/* ---- paths ---- */

static int p_open(uproc *p, const char *path, uint64_t lxflags, int mode, int *host, uvfs_file **vf)
{
    CLEAN(cp, path);
    if ((lxflags & LX_O_ACCMODE) == 3)
        return -EINVAL;
    uint64_t keep = LX_O_ACCMODE | LX_O_CREAT | LX_O_EXCL | LX_O_TRUNC | LX_O_APPEND | LX_O_NONBLOCK |
                    LX_O_DIRECTORY | LX_O_NOFOLLOW;
    if (lxflags & LX_O_PATH)
        lxflags &= ~(uint64_t)LX_O_ACCMODE; /* a handle for *at() and fstat: read-only will do */
    uvfs_file *f = uvfs_file_new(p, &proxy_file_ops, lxflags & (LX_O_ACCMODE | LX_O_APPEND | LX_O_NONBLOCK));
    if (!f)
        return -ENOMEM;
    void *h = NULL;
    int r = PX(p)->open(OPQ(p), cp, (int)(lxflags & keep), mode, &h);
    if (r < 0) {
        host_free(p->host, f);
        return r;
    }
    f->handle = h;
    /* Directories keep a listing cursor; other files mark it unused. */
    f->dirpos = UINT64_MAX;
    if (PX(p)->fstat) {
        svm_stat s;
        memset(&s, 0, sizeof(s));
        if (PX(p)->fstat(OPQ(p), h, &s) == 0 && (s.mode & SVM_S_IFMT) == SVM_S_IFDIR)
            f->dirpos = 0;
    } else if (lxflags & LX_O_DIRECTORY) {
        f->dirpos = 0;
    }
    *host = -1;
    *vf = f;
    return 0;
}

static int p_stat(uproc *p, const char *path, int nofollow, uvfs_stat *st)
{
    CLEAN(cp, path);
    svm_stat s;
    memset(&s, 0, sizeof(s));
    int r;
    if (PX(p)->stat) {
        r = PX(p)->stat(OPQ(p), cp, nofollow, &s);
    } else {
        if (!PX(p)->fstat)
            return -ENOSYS;
        void *h = NULL;
        r = PX(p)->open(OPQ(p), cp, SVM_O_RDONLY, 0, &h);
        if (r < 0)
            return r;
        r = PX(p)->fstat(OPQ(p), h, &s);
        if (PX(p)->close)
            PX(p)->close(OPQ(p), h);
    }
    if (r == 0)
        stat_from_proxy(&s, st);
    return r;
}

static int64_t p_readlink(uproc *p, const char *path, char *buf, size_t n)
{
    CLEAN(cp, path);
    if (PX(p)->readlink)
        return PX(p)->readlink(OPQ(p), cp, buf, n);
    uvfs_stat st;
    int r = p_stat(p, cp, 1, &st);
    return r < 0 ? r : -EINVAL; /* exists, and is not a symlink */
}

/* Existence is access: the embedder's files have no owner to check. A
 * write check on a tree with no write callbacks says read-only. */
static int p_access(uproc *p, const char *path, int mode, int eaccess, int nofollow)
{
    (void)eaccess;
    uvfs_stat st;
    int r = p_stat(p, path, nofollow, &st);
    if (r < 0)
        return r;
    if ((mode & 2) && !PX(p)->write)
        return -EROFS;
    if ((mode & 1) && !(st.mode & 0111))
        return -EACCES;
    return 0;
}

static int p_mkdir(uproc *p, const char *path, int mode)
{
    CLEAN(cp, path);
    return PX(p)->mkdir ? PX(p)->mkdir(OPQ(p), cp, mode) : -EROFS;
}

static int p_unlink(uproc *p, const char *path, int is_dir)
{
    CLEAN(cp, path);
    return PX(p)->unlink ? PX(p)->unlink(OPQ(p), cp, is_dir) : -EROFS;
}

static int p_rename(uproc *p, const char *from, const char *to)
{
    CLEAN(cf, from);
    CLEAN(ct, to);
    return PX(p)->rename ? PX(p)->rename(OPQ(p), cf, ct) : -EROFS;
}

static int p_symlink(uproc *p, const char *target, const char *path)
{
    (void)p, (void)target, (void)path;
    return -EROFS;
}

static int p_link(uproc *p, const char *from, const char *to, int follow)
{
    (void)p, (void)from, (void)to, (void)follow;
    return -EROFS;
}

static int p_chmod(uproc *p, const char *path, int mode)
{
    (void)mode;
    uvfs_stat st;
    int r = p_stat(p, path, 0, &st);
    return r < 0 ? r : -EROFS;
}

static int p_utimens(uproc *p, const char *path, const struct timespec ts[2], int nofollow)
{
    (void)ts;
    uvfs_stat st;
    return p_stat(p, path, nofollow, &st); /* times are the embedder's: accepted, not stored */
}

const uvfs_ops uvfs_proxy_ops = {
    .open = p_open,
    .stat = p_stat,
    .readlink = p_readlink,
    .access = p_access,
    .mkdir = p_mkdir,
    .unlink = p_unlink,
    .rename = p_rename,
    .symlink = p_symlink,
    .link = p_link,
    .chmod = p_chmod,
    .utimens = p_utimens,
};
