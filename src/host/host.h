/* The host layer: the only code that talks to the operating system.
 * Every resource taken for a machine (file descriptors, memory maps, heap
 * blocks) is recorded in that machine's host_ctx, so host_destroy() releases
 * all of it, whatever state the guest left behind.
 *
 * Calls return >= 0 on success or a negative errno value (-ENOENT, ...),
 * never set errno for the caller to read, and never abort. */
#ifndef SPLITVM_HOST_H
#define SPLITVM_HOST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct stat;
struct timespec;
struct termios;

typedef struct host_ctx host_ctx;

host_ctx *host_create(void);
/* Close every tracked fd, unmap every tracked map, free every block. */
void host_destroy(host_ctx *h);
/* Counts of live tracked resources (for tests and leak checks). */
void host_counts(const host_ctx *h, size_t *fds, size_t *maps, size_t *blocks);
/* Host memory the machine holds: heap blocks and the maps that can be
 * backed (anonymous maps, the JIT buffer once, coroutine stacks), by size.
 * Reservations count nothing: what is committed in them is their user's
 * to count (user mode's guest memory: umem's commit charge). */
size_t host_mem_bytes(const host_ctx *h);

/* ---- memory ---- */
void *host_alloc(host_ctx *h, size_t size); /* zeroed; NULL on failure */
void *host_realloc(host_ctx *h, void *p, size_t size);
void host_free(host_ctx *h, void *p);
char *host_strdup(host_ctx *h, const char *s);
/* Reserve `size` bytes of address space with no access (PROT_NONE,
 * not committed). Tracked; released by host_release or host_destroy. */
void *host_reserve(host_ctx *h, size_t size);
/* A stack: `size` read/write bytes above a `guard` of no access (tracked,
 * counted as backed). Released by host_release on its start. */
void *host_map_stack(host_ctx *h, size_t size, size_t guard);
/* Change protection / back with fresh zero pages inside a reservation.
 * prot is a PROT_* mask. */
int host_protect(host_ctx *h, void *addr, size_t len, int prot);
int host_zero_fill(host_ctx *h, void *addr, size_t len, int prot);
int host_release(host_ctx *h, void *addr);
/* Map an anonymous read/write region (tracked). */
void *host_map_anon(host_ctx *h, size_t size);
/* The JIT code buffer: `size` bytes of one memory object mapped twice,
 * *rx read+execute and *rw read+write (never both on one view). Both views
 * are tracked (released by host_release on each, or host_destroy). */
int host_map_mirror(host_ctx *h, size_t size, void **rx, void **rw);
/* ---- faults in generated code ---- */
/* Where a machine's code resumes after a memory fault at host pc: the
 * catcher answers with the pc to resume at, or 0 when the fault is not one
 * it expects (then it goes to the app's handler, or kills the process). */
typedef struct host_fault_catcher {
    uintptr_t (*resume_at)(void *opaque, uintptr_t pc);
    void *opaque;
} host_fault_catcher;
/* Take the process's SIGSEGV/SIGBUS handler for this machine (once; given
 * back by host_destroy, and restored to the app's when no machine holds
 * it). 0 or -errno (-ENOTSUP: this host has no support). */
int host_fault_hold(host_ctx *h);
/* Make c (or NULL) the calling thread's catcher; returns the previous one. */
const host_fault_catcher *host_fault_catch(const host_fault_catcher *c);

/* The host's page size: the granule of host_reserve/protect/zero_fill. */
size_t host_page_size(void);

/* ---- files (fds returned are tracked; host_close untracks) ---- */
int host_openat(host_ctx *h, int dirfd, const char *path, int flags, int mode);
int host_close(host_ctx *h, int fd);
int host_dup(host_ctx *h, int fd);
int host_dup_min(host_ctx *h, int fd, int minfd, int cloexec);
int host_pipe2(host_ctx *h, int fds[2], int flags);
ssize_t host_read(host_ctx *h, int fd, void *buf, size_t n);
ssize_t host_write(host_ctx *h, int fd, const void *buf, size_t n);
ssize_t host_pread(host_ctx *h, int fd, void *buf, size_t n, int64_t off);
ssize_t host_pwrite(host_ctx *h, int fd, const void *buf, size_t n, int64_t off);
int64_t host_lseek(host_ctx *h, int fd, int64_t off, int whence);
int host_fstat(host_ctx *h, int fd, struct stat *st);
/* A struct stat's times as struct timespec (Darwin names them apart). */
#ifdef __APPLE__
#define HOST_ST_ATIM(st) ((st)->st_atimespec)
#define HOST_ST_MTIM(st) ((st)->st_mtimespec)
#define HOST_ST_CTIM(st) ((st)->st_ctimespec)
#else
#define HOST_ST_ATIM(st) ((st)->st_atim)
#define HOST_ST_MTIM(st) ((st)->st_mtim)
#define HOST_ST_CTIM(st) ((st)->st_ctim)
#endif
int host_fstatat(host_ctx *h, int dirfd, const char *path, struct stat *st, int flags);
int host_getdents64(host_ctx *h, int fd, void *buf, size_t n);
ssize_t host_readlinkat(host_ctx *h, int dirfd, const char *path, char *buf, size_t n);
int host_faccessat(host_ctx *h, int dirfd, const char *path, int mode, int flags);
int host_mkdirat(host_ctx *h, int dirfd, const char *path, int mode);
int host_unlinkat(host_ctx *h, int dirfd, const char *path, int flags);
int host_renameat(host_ctx *h, int olddir, const char *oldp, int newdir, const char *newp);
int host_ftruncate(host_ctx *h, int fd, int64_t len);
int host_fsync(host_ctx *h, int fd);
int host_fcntl(host_ctx *h, int fd, int cmd, long arg);
int host_ioctl(host_ctx *h, int fd, unsigned long req, void *arg);
int host_fchmodat(host_ctx *h, int dirfd, const char *path, int mode, int flags);
int host_utimensat(host_ctx *h, int dirfd, const char *path, const struct timespec ts[2], int flags);
int host_chdir(host_ctx *h, const char *path);
int host_getcwd(host_ctx *h, char *buf, size_t n);
int host_symlinkat(host_ctx *h, const char *target, int dirfd, const char *path);
int host_linkat(host_ctx *h, int olddir, const char *oldp, int newdir, const char *newp, int flags);
int host_fchmod(host_ctx *h, int fd, int mode);
int host_futimens(host_ctx *h, int fd, const struct timespec ts[2]);
/* Terminals: POSIX termios of the host; ws = rows, cols, xpixel, ypixel. */
int host_tcgetattr(host_ctx *h, int fd, struct termios *t);
int host_tcsetattr(host_ctx *h, int fd, int when, const struct termios *t);
int host_get_winsize(host_ctx *h, int fd, uint16_t ws[4]);
/* poll(2) over host fds: fds[i] in, events/revents as POLLIN etc. of the
 * host; timeout_ms < 0 waits forever. Returns the ready count or -errno. */
struct pollfd;
int host_poll(host_ctx *h, struct pollfd *fds, size_t n, int timeout_ms);
/* Bytes ready to read on fd (FIONREAD). */
int host_bytes_readable(host_ctx *h, int fd, int *n);
/* ---- sockets (host_net.c; fds tracked as above; host struct sockaddr) ---- */
struct msghdr;
int host_socket(host_ctx *h, int domain, int type, int proto);
int host_socketpair(host_ctx *h, int domain, int type, int proto, int sv[2]);
int host_bind(host_ctx *h, int fd, const void *sa, unsigned len);
int host_connect(host_ctx *h, int fd, const void *sa, unsigned len);
int host_listen(host_ctx *h, int fd, int backlog);
int host_accept(host_ctx *h, int fd, void *sa, unsigned *len);
int host_shutdown(host_ctx *h, int fd, int how);
/* getsockname (peer 0) or getpeername (peer 1). */
int host_sockname(host_ctx *h, int fd, int peer, void *sa, unsigned *len);
int host_setsockopt(host_ctx *h, int fd, int level, int name, const void *v, unsigned len);
int host_getsockopt(host_ctx *h, int fd, int level, int name, void *v, unsigned *len);
/* Never raises SIGPIPE: a closed peer gives -EPIPE. */
ssize_t host_sendmsg(host_ctx *h, int fd, const struct msghdr *m, int flags);
ssize_t host_recvmsg(host_ctx *h, int fd, struct msghdr *m, int flags);
/* Read a whole file into a tracked block (free with host_free). */
int host_read_file(host_ctx *h, const char *path, uint8_t **data, size_t *size);
/* The same from an open regular file (left open). */
int host_read_fd(host_ctx *h, int fd, uint8_t **data, size_t *size);

/* ---- time and randomness ---- */
int host_clock_gettime(host_ctx *h, int clk, struct timespec *ts);
uint64_t host_monotonic_ns(void);
int host_nanosleep(host_ctx *h, const struct timespec *req);
int host_random(host_ctx *h, void *buf, size_t n);
int host_clock_getres(host_ctx *h, int clk, struct timespec *ts);

/* ---- process identity (what the guest sees as its ids and host name) ---- */
typedef struct host_ids {
    int pid, ppid, uid, euid, gid, egid;
} host_ids;
void host_get_ids(host_ctx *h, host_ids *ids);
int host_gethostname(host_ctx *h, char *buf, size_t n);

#endif
