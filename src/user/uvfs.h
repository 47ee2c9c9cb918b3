/* The guest's view of files, console, clock and randomness.
 *
 * Every path operation of the system-call layer goes through the process's
 * uvfs_ops table, which takes absolute, lexically normalised guest paths:
 *   uvfs_host.c   POSIX through the host layer; with -L, the path jail
 *                 (jail.h: resolution from directory fds inside the sysroot);
 *   uvfs_proxy.c  the embedder's svm_proxy callbacks (include/splitvm.h).
 * An open file is either a host fd (ufd.host >= 0: the fast default path,
 * served by host_read & co. directly) or a uvfs_file (ufd.vf: a proxy file
 * or a proxied console stream) with its own small operation table. A
 * uvfs_file is one open file description: dup'ed guest fds share it (and its
 * position), and it is closed when the last of them goes.
 *
 * Errors are negative host errno values, as everywhere in the syscall layer. */
#ifndef SPLITVM_USER_UVFS_H
#define SPLITVM_USER_UVFS_H

#include <stddef.h>
#include <stdint.h>

#include "fdtable.h"
#include "uproc.h"

struct timespec;
struct stat;
struct svm_proxy;

/* A stat as the guest sees it: Linux values (dev/rdev in Linux encoding). */
typedef struct uvfs_stat {
    uint64_t dev, ino;
    uint32_t mode, nlink, uid, gid;
    uint64_t rdev;
    int64_t size, blksize, blocks;
    int64_t atime, mtime, ctime;
    uint32_t atime_ns, mtime_ns, ctime_ns;
} uvfs_stat;

#define UVFS_S_IFMT 0170000
#define UVFS_S_IFDIR 0040000
#define UVFS_S_IFCHR 0020000
#define UVFS_S_IFREG 0100000
#define UVFS_S_IFLNK 0120000

typedef struct uvfs_file uvfs_file;

/* Operations of an open uvfs_file. off < 0: at the file position. */
typedef struct uvfs_file_ops {
    int64_t (*read)(uproc *p, uvfs_file *f, void *buf, size_t n, int64_t off);
    int64_t (*write)(uproc *p, uvfs_file *f, const void *buf, size_t n, int64_t off);
    int64_t (*seek)(uproc *p, uvfs_file *f, int64_t off, int lx_whence);
    int (*fstat)(uproc *p, uvfs_file *f, uvfs_stat *st);
    /* linux_dirent64 records into buf; bytes written, 0 at the end. */
    int (*getdents)(uproc *p, uvfs_file *f, uint8_t *buf, size_t n);
    int (*ftruncate)(uproc *p, uvfs_file *f, int64_t len);
    void (*close)(uproc *p, uvfs_file *f);
    /* Optional: the Linux POLL* bits ready now (NULL: always readable and
     * writable), and the monotonic ns at which that may change by itself
     * (a timer; 0 = never). Guest-side files call uthread_kick when they
     * change otherwise. */
    int (*poll)(uproc *p, uvfs_file *f);
    uint64_t (*deadline)(uproc *p, uvfs_file *f);
} uvfs_file_ops;

struct uvfs_file {
    const uvfs_file_ops *ops;
    int refs;         /* guest fds sharing it */
    uint64_t lxflags; /* Linux O_* status flags (F_GETFL/F_SETFL) */
    void *handle;     /* the embedder's handle (proxy files) */
    int stream;       /* console files: 0, 1, 2 */
    uint64_t dirpos;  /* directory listing: next entry index */
};

/* Path operations. On success open sets *host to a host fd (>= 0), or to -1
 * and *vf to a new uvfs_file (one reference). mode has the umask applied. */
typedef struct uvfs_ops {
    int (*open)(uproc *p, const char *path, uint64_t lxflags, int mode, int *host, uvfs_file **vf);
    int (*stat)(uproc *p, const char *path, int nofollow, uvfs_stat *st);
    int64_t (*readlink)(uproc *p, const char *path, char *buf, size_t n);
    int (*access)(uproc *p, const char *path, int mode, int eaccess, int nofollow);
    int (*mkdir)(uproc *p, const char *path, int mode);
    int (*unlink)(uproc *p, const char *path, int is_dir);
    int (*rename)(uproc *p, const char *from, const char *to);
    int (*symlink)(uproc *p, const char *target, const char *path);
    int (*link)(uproc *p, const char *from, const char *to, int follow);
    int (*chmod)(uproc *p, const char *path, int mode);
    int (*utimens)(uproc *p, const char *path, const struct timespec ts[2], int nofollow);
} uvfs_ops;

/* Per-process state (uproc.vfs). */
struct uvfs {
    const uvfs_ops *ops;  /* what the system calls use: uvfs_proc_ops over base */
    const uvfs_ops *base; /* the host's or the proxy's */
    const struct svm_proxy *proxy; /* NULL: everything from the host */
    void *proxy_opaque;
    int proxy_clock, proxy_random; /* those groups are the embedder's */
};

extern const uvfs_ops uvfs_host_ops;
extern const uvfs_ops uvfs_proxy_ops;
/* uvfs_proc.c: the guest's own /proc (its pid's entries, /proc/self,
 * /proc/cpuinfo) in front of base; every other path goes to base. */
extern const uvfs_ops uvfs_proc_ops;

/* ---- uvfs.c ---- */
/* Choose the tables for the process (p->opts.proxy) and, with a proxied
 * console, make guest fds 0, 1, 2 console streams. Call after ufds_init. */
int uvfs_init(uproc *p);
void uvfs_fini(uproc *p);
/* New uvfs_file with one reference, or NULL. */
uvfs_file *uvfs_file_new(uproc *p, const uvfs_file_ops *ops, uint64_t lxflags);
void uvfs_file_ref(uvfs_file *f);
void uvfs_file_unref(uproc *p, uvfs_file *f);

/* Operations for files that are not regular files (the console, event
 * files, epoll, the embedder's sockets): no seek (-ESPIPE), no listing
 * (-ENOTDIR), no truncation, read/write -EINVAL where there is none, and an
 * anonymous inode's stat (mode 0600, no file type). */
int64_t uvfs_no_seek(uproc *p, uvfs_file *f, int64_t off, int whence);
int uvfs_no_getdents(uproc *p, uvfs_file *f, uint8_t *buf, size_t n);
int uvfs_no_ftruncate(uproc *p, uvfs_file *f, int64_t len);
int64_t uvfs_no_read(uproc *p, uvfs_file *f, void *buf, size_t n, int64_t off);
int64_t uvfs_no_write(uproc *p, uvfs_file *f, const void *buf, size_t n, int64_t off);
int uvfs_anon_fstat(uproc *p, uvfs_file *f, uvfs_stat *st);

/* Open-file operations for a guest fd entry, host fd or uvfs_file alike. */
int64_t uvfs_read(uproc *p, ufd *e, void *buf, size_t n, int64_t off);
int64_t uvfs_write(uproc *p, ufd *e, const void *buf, size_t n, int64_t off);
int64_t uvfs_seek(uproc *p, ufd *e, int64_t off, int lx_whence);
int uvfs_fstat(uproc *p, ufd *e, uvfs_stat *st);
int uvfs_getdents(uproc *p, ufd *e, uint8_t *buf, size_t n);
int uvfs_ftruncate(uproc *p, ufd *e, int64_t len);
/* Linux O_* status flags (access mode, O_APPEND, O_NONBLOCK, ...). */
int64_t uvfs_getfl(uproc *p, ufd *e);
/* F_SETFL: only O_APPEND and O_NONBLOCK change. */
int uvfs_setfl(uproc *p, ufd *e, uint64_t lxflags);

/* Clock (Linux clock id; 0 realtime, everything else but the CPU-time
 * clocks counts as monotonic) and randomness, the embedder's or the host's. */
int uvfs_clock_gettime(uproc *p, int64_t lx_clock, int64_t *sec, int64_t *nsec);
/* Monotonic ns for the time CSR. */
uint64_t uvfs_monotonic_ns(uproc *p);
int uvfs_random(uproc *p, void *buf, size_t n);

/* ---- uvfs_host.c ---- */
void uvfs_stat_from_host(const struct stat *hs, uvfs_stat *st);
/* 0 if the guest may change the metadata of host fd (fchmod, futimens),
 * -EPERM for a device inside a jail: the host devices the jail lets
 * through (/dev/null...) are the host's own. */
int uvfs_host_fd_mutable(uproc *p, int fd);

#endif
