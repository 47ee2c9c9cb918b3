/* uvfs: choosing the process's file system, uvfs_file lifetime, and the
 * open-file operations that serve host fds and uvfs_files alike. Host fds
 * take the direct host_* path, as fast as before the proxy existed. */
#include "uvfs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "splitvm.h"
#include "syscall.h"
#include "uthread.h"

/* ---- the proxied console: guest fds 0, 1, 2 ---- */

static int64_t con_read(uproc *p, uvfs_file *f, void *buf, size_t n, int64_t off)
{
    const svm_proxy *px = p->vfs->proxy;
    if (off >= 0)
        return -ESPIPE;
    if (f->stream != 0)
        return -EBADF;
    if (!px->console_read)
        return 0;
    /* Nothing yet: this guest thread waits until the host runs the machine
     * again (svm_run returns SVM_STOP_WAITING meanwhile), then asks again. */
    int64_t r;
    while ((r = px->console_read(p->vfs->proxy_opaque, buf, n)) == -EAGAIN)
        uthread_wait_host(p);
    return r;
}

static int64_t con_write(uproc *p, uvfs_file *f, const void *buf, size_t n, int64_t off)
{
    const svm_proxy *px = p->vfs->proxy;
    if (off >= 0)
        return -ESPIPE;
    if (f->stream == 0)
        return -EBADF;
    return px->console_write ? px->console_write(p->vfs->proxy_opaque, f->stream, buf, n) : (int64_t)n;
}

int64_t uvfs_no_seek(uproc *p, uvfs_file *f, int64_t off, int whence)
{
    (void)p, (void)f, (void)off, (void)whence;
    return -ESPIPE;
}

int uvfs_no_getdents(uproc *p, uvfs_file *f, uint8_t *buf, size_t n)
{
    (void)p, (void)f, (void)buf, (void)n;
    return -ENOTDIR;
}

int uvfs_no_ftruncate(uproc *p, uvfs_file *f, int64_t len)
{
    (void)p, (void)f, (void)len;
    return -EINVAL;
}

int64_t uvfs_no_read(uproc *p, uvfs_file *f, void *buf, size_t n, int64_t off)
{
    (void)p, (void)f, (void)buf, (void)n, (void)off;
    return -EINVAL;
}

int64_t uvfs_no_write(uproc *p, uvfs_file *f, const void *buf, size_t n, int64_t off)
{
    (void)p, (void)f, (void)buf, (void)n, (void)off;
    return -EINVAL;
}

int uvfs_anon_fstat(uproc *p, uvfs_file *f, uvfs_stat *st)
{
    (void)p, (void)f;
    memset(st, 0, sizeof(*st));
    st->mode = 0600;
    st->nlink = 1;
    st->blksize = 4096;
    return 0;
}

static int con_fstat(uproc *p, uvfs_file *f, uvfs_stat *st)
{
    (void)p, (void)f;
    memset(st, 0, sizeof(*st));
    st->mode = UVFS_S_IFCHR | 0620;
    st->nlink = 1;
    st->blksize = 1024;
    return 0;
}

static void con_close(uproc *p, uvfs_file *f)
{
    (void)p, (void)f;
}

static const uvfs_file_ops console_ops = {
    .read = con_read, .write = con_write, .seek = uvfs_no_seek, .fstat = con_fstat,
    .getdents = uvfs_no_getdents, .ftruncate = uvfs_no_ftruncate, .close = con_close,
};

/* ---- setup ---- */

int uvfs_init(uproc *p)
{
    struct uvfs *v = host_alloc(p->host, sizeof(*v));
    if (!v)
        return -ENOMEM;
    const svm_proxy *px = p->opts.proxy;
    v->ops = &uvfs_host_ops;
    if (px) {
        v->proxy = px;
        v->proxy_opaque = p->opts.proxy_opaque;
        if (px->open)
            v->ops = &uvfs_proxy_ops;
        v->proxy_clock = px->clock_ns != NULL;
        v->proxy_random = px->random != NULL;
    }
    v->base = v->ops;
    v->ops = &uvfs_proc_ops;
    p->vfs = v;
    if (px && (px->console_write || px->console_read)) {
        for (int i = 0; i < 3; i++) {
            uvfs_file *f = uvfs_file_new(p, &console_ops, i == 0 ? 0 : 1 /* O_RDONLY / O_WRONLY */);
            if (!f)
                return -ENOMEM;
            f->stream = i;
            int r = ufds_set_vf(p, i, f, 0, NULL);
            uvfs_file_unref(p, f);
            if (r < 0)
                return r;
        }
    }
    return 0;
}

void uvfs_fini(uproc *p)
{
    host_free(p->host, p->vfs);
    p->vfs = NULL;
}

uvfs_file *uvfs_file_new(uproc *p, const uvfs_file_ops *ops, uint64_t lxflags)
{
    uvfs_file *f = host_alloc(p->host, sizeof(*f));
    if (!f)
        return NULL;
    f->ops = ops;
    f->refs = 1;
    f->lxflags = lxflags;
    return f;
}

void uvfs_file_ref(uvfs_file *f)
{
    f->refs++;
}

void uvfs_file_unref(uproc *p, uvfs_file *f)
{
    if (!f || --f->refs > 0)
        return;
    f->ops->close(p, f);
    host_free(p->host, f);
}

/* ---- open-file operations ---- */

int64_t uvfs_read(uproc *p, ufd *e, void *buf, size_t n, int64_t off)
{
    if (e->vf) {
        if ((e->vf->lxflags & LX_O_ACCMODE) == 1 /* O_WRONLY */)
            return -EBADF;
        return e->vf->ops->read(p, e->vf, buf, n, off);
    }
    return off >= 0 ? host_pread(p->host, e->host, buf, n, off) : host_read(p->host, e->host, buf, n);
}

int64_t uvfs_write(uproc *p, ufd *e, const void *buf, size_t n, int64_t off)
{
    if (e->vf) {
        if ((e->vf->lxflags & LX_O_ACCMODE) == 0)
            return -EBADF;
        return e->vf->ops->write(p, e->vf, buf, n, off);
    }
    return off >= 0 ? host_pwrite(p->host, e->host, buf, n, off) : host_write(p->host, e->host, buf, n);
}

int64_t uvfs_seek(uproc *p, ufd *e, int64_t off, int lx_whence)
{
    if (e->vf)
        return e->vf->ops->seek(p, e->vf, off, lx_whence);
    int whence;
    switch (lx_whence) {
    case 0: whence = SEEK_SET; break;
    case 1: whence = SEEK_CUR; break;
    case 2: whence = SEEK_END; break;
#ifdef SEEK_DATA
    case 3: whence = SEEK_DATA; break;
    case 4: whence = SEEK_HOLE; break;
#endif
    default: return -EINVAL;
    }
    return host_lseek(p->host, e->host, off, whence);
}

int uvfs_fstat(uproc *p, ufd *e, uvfs_stat *st)
{
    if (e->vf)
        return e->vf->ops->fstat(p, e->vf, st);
    struct stat hs;
    int r = host_fstat(p->host, e->host, &hs);
    if (r == 0)
        uvfs_stat_from_host(&hs, st);
    return r;
}

int uvfs_getdents(uproc *p, ufd *e, uint8_t *buf, size_t n)
{
    if (e->vf)
        return e->vf->ops->getdents(p, e->vf, buf, n);
    return host_getdents64(p->host, e->host, buf, n); /* linux_dirent64 on every Linux host */
}

int uvfs_ftruncate(uproc *p, ufd *e, int64_t len)
{
    if (e->vf)
        return e->vf->ops->ftruncate(p, e->vf, len);
    return host_ftruncate(p->host, e->host, len);
}

int64_t uvfs_getfl(uproc *p, ufd *e)
{
    if (e->vf)
        return (int64_t)e->vf->lxflags;
    int f = host_fcntl(p->host, e->host, F_GETFL, 0);
    return f < 0 ? f : (int64_t)usys_lx_oflags(f);
}

int uvfs_setfl(uproc *p, ufd *e, uint64_t lxflags)
{
    const uint64_t settable = LX_O_APPEND | LX_O_NONBLOCK;
    if (e->vf) {
        e->vf->lxflags = (e->vf->lxflags & ~settable) | (lxflags & settable);
        return 0;
    }
    int f = host_fcntl(p->host, e->host, F_GETFL, 0);
    if (f < 0)
        return f;
    f &= ~(O_APPEND | O_NONBLOCK);
    if (lxflags & LX_O_APPEND)
        f |= O_APPEND;
    if (lxflags & LX_O_NONBLOCK)
        f |= O_NONBLOCK;
    return host_fcntl(p->host, e->host, F_SETFL, f);
}

/* ---- clock and randomness ---- */

int uvfs_clock_gettime(uproc *p, int64_t lx_clock, int64_t *sec, int64_t *nsec)
{
    struct timespec ts;
    int c;
    if (lx_clock < 0 || lx_clock > 11)
        return -EINVAL;
    if (p->vfs && p->vfs->proxy_clock && lx_clock != 2 && lx_clock != 3) {
        /* REALTIME and REALTIME_COARSE are the wall clock; the rest count as
         * monotonic. The CPU-time clocks stay the host's. */
        int which = (lx_clock == 0 || lx_clock == 5) ? SVM_CLOCK_REALTIME : SVM_CLOCK_MONOTONIC;
        int64_t ns = p->vfs->proxy->clock_ns(p->vfs->proxy_opaque, which);
        if (ns < 0 && ns > -4096)
            return (int)ns;
        *sec = ns / 1000000000;
        *nsec = ns % 1000000000;
        if (*nsec < 0) {
            *nsec += 1000000000;
            (*sec)--;
        }
        return 0;
    }
    switch (lx_clock) {
    case 0: c = CLOCK_REALTIME; break;
    case 1: c = CLOCK_MONOTONIC; break;
    case 2: c = CLOCK_PROCESS_CPUTIME_ID; break;
    case 3: c = CLOCK_THREAD_CPUTIME_ID; break;
#ifdef CLOCK_MONOTONIC_RAW
    case 4: c = CLOCK_MONOTONIC_RAW; break;
#else
    case 4: c = CLOCK_MONOTONIC; break;
#endif
#ifdef CLOCK_REALTIME_COARSE
    case 5: c = CLOCK_REALTIME_COARSE; break;
    case 6: c = CLOCK_MONOTONIC_COARSE; break;
#else
    case 5: c = CLOCK_REALTIME; break;
    case 6: c = CLOCK_MONOTONIC; break;
#endif
#ifdef CLOCK_BOOTTIME
    case 7: c = CLOCK_BOOTTIME; break;
#else
    case 7: c = CLOCK_MONOTONIC; break;
#endif
    default: return -EINVAL;
    }
    int r = host_clock_gettime(p->host, c, &ts);
    if (r < 0)
        return r;
    *sec = (int64_t)ts.tv_sec;
    *nsec = (int64_t)ts.tv_nsec;
    return 0;
}

uint64_t uvfs_monotonic_ns(uproc *p)
{
    if (p->vfs && p->vfs->proxy_clock)
        return (uint64_t)p->vfs->proxy->clock_ns(p->vfs->proxy_opaque, SVM_CLOCK_MONOTONIC);
    return host_monotonic_ns();
}

int uvfs_random(uproc *p, void *buf, size_t n)
{
    if (p->vfs && p->vfs->proxy_random)
        return p->vfs->proxy->random(p->vfs->proxy_opaque, buf, n);
    return host_random(p->host, buf, n);
}
