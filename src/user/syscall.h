/* Internal interface of the Linux system-call layer (user mode).
 *
 * Handlers take the six argument registers and return the guest result, or a
 * negative HOST errno value (-ENOENT as the host spells it); the dispatcher
 * converts host errno values to Linux numbers in one place. Every constant
 * and structure the guest sees is spelled here with its riscv64 Linux value
 * (LX_*), never taken from the host headers, so the layer is correct on any
 * host OS. */
#ifndef SPLITVM_USER_SYSCALL_H
#define SPLITVM_USER_SYSCALL_H

#include <stdint.h>

#include "uproc.h"

/* A handler result meaning "registers already set, leave a0 and pc alone"
 * (rt_sigreturn, exit). */
#define USYS_NORETURN INT64_MIN

typedef int64_t (*usys_fn)(uproc *p, const uint64_t a[6]);

/* Misc per-process state owned by the syscall layer (allocated on first use). */
#define USYS_NRLIMITS 16
struct usys {
    uint64_t rlim_cur[USYS_NRLIMITS], rlim_max[USYS_NRLIMITS];
    char comm[16];       /* prctl PR_SET_NAME */
    uint64_t start_ns;   /* monotonic time at process start (times, sysinfo) */
    int pid, ppid, uid, euid, gid, egid;
    int futex_warned;    /* the deadlock warning is logged once */
    struct utimers *timers; /* sys_timer.c, made on first use */
    struct unet *net;       /* sys_net.c: bound Unix socket names, on first use */
    struct ushared *shared; /* umem_shared.c: writable MAP_SHARED file mappings */
};
struct usys *usys_state(uproc *p);
/* Release p->sys (uproc_destroy should call it; host_destroy also frees it). */
void usys_fini(uproc *p);

/* ---- syscall.c ---- */
/* Linux errno number for a host errno value (positive in, positive out). */
int usys_lx_errno(int host_errno);
const char *usys_errno_name(int lx_errno);

/* ---- sys_path.c: guest paths ---- */
#define USYS_PATH_MAX 4096
/* Resolve guest path string at va relative to guest dirfd (LX_AT_FDCWD or an
 * open directory) into the normalised absolute guest path (guest_abs,
 * USYS_PATH_MAX bytes), which the process's file system (uvfs.h) takes. An
 * empty path gives -ENOENT. */
int usys_resolve(uproc *p, int64_t dirfd, uint64_t va, char *guest_abs);
/* Same, for a path already in host memory. */
int usys_resolve_str(uproc *p, int64_t dirfd, const char *path, char *guest_abs);
/* Host open(2) flags for guest O_* flags (O_CLOEXEC excluded), or -EINVAL. */
int usys_host_oflags(uint64_t lx);
/* Guest O_* status flags for host fcntl(F_GETFL) flags. */
uint64_t usys_lx_oflags(int host);
/* Write a riscv64 struct stat (128 bytes). */
struct uvfs_stat;
int usys_put_stat(uproc *p, uint64_t va, const struct uvfs_stat *st);
/* Lexically normalise an absolute path in place ("//", ".", ".."). */
void usys_normalize(char *path);

/* Handlers by topic. */
#define USYS_DECL(name) int64_t name(uproc *p, const uint64_t a[6])
/* sys_file.c: descriptors and I/O */
USYS_DECL(sys_read); USYS_DECL(sys_write); USYS_DECL(sys_readv); USYS_DECL(sys_writev);
USYS_DECL(sys_pread64); USYS_DECL(sys_pwrite64); USYS_DECL(sys_preadv); USYS_DECL(sys_pwritev);
USYS_DECL(sys_close); USYS_DECL(sys_lseek); USYS_DECL(sys_fstat); USYS_DECL(sys_getdents64);
USYS_DECL(sys_ftruncate); USYS_DECL(sys_fsync); USYS_DECL(sys_fcntl); USYS_DECL(sys_dup);
USYS_DECL(sys_dup3); USYS_DECL(sys_pipe2); USYS_DECL(sys_ioctl); USYS_DECL(sys_fchmod);
USYS_DECL(sys_socket); USYS_DECL(sys_close_range); USYS_DECL(sys_ppoll);
/* sys_path.c: path operations and the working directory */
USYS_DECL(sys_openat); USYS_DECL(sys_newfstatat); USYS_DECL(sys_statx); USYS_DECL(sys_readlinkat);
USYS_DECL(sys_faccessat); USYS_DECL(sys_faccessat2); USYS_DECL(sys_mkdirat); USYS_DECL(sys_unlinkat);
USYS_DECL(sys_renameat); USYS_DECL(sys_renameat2); USYS_DECL(sys_fchmodat); USYS_DECL(sys_utimensat);
USYS_DECL(sys_getcwd); USYS_DECL(sys_chdir); USYS_DECL(sys_fchdir); USYS_DECL(sys_umask);
USYS_DECL(sys_truncate); USYS_DECL(sys_statfs_stub); USYS_DECL(sys_symlinkat); USYS_DECL(sys_linkat);
/* sys_mem.c */
USYS_DECL(sys_brk); USYS_DECL(sys_mmap); USYS_DECL(sys_munmap); USYS_DECL(sys_mprotect);
USYS_DECL(sys_madvise); USYS_DECL(sys_mremap); USYS_DECL(sys_msync);
/* sys_proc.c */
USYS_DECL(sys_exit); USYS_DECL(sys_exit_group); USYS_DECL(sys_set_tid_address);
USYS_DECL(sys_set_robust_list); USYS_DECL(sys_getpid); USYS_DECL(sys_getppid); USYS_DECL(sys_getuid);
USYS_DECL(sys_geteuid); USYS_DECL(sys_getgid); USYS_DECL(sys_getegid); USYS_DECL(sys_getresuid);
USYS_DECL(sys_setresuid); USYS_DECL(sys_setresgid);
USYS_DECL(sys_getresgid); USYS_DECL(sys_getpgid); USYS_DECL(sys_setpgid); USYS_DECL(sys_getsid);
USYS_DECL(sys_setsid); USYS_DECL(sys_uname); USYS_DECL(sys_sysinfo); USYS_DECL(sys_getrlimit);
USYS_DECL(sys_setrlimit); USYS_DECL(sys_prlimit64); USYS_DECL(sys_prctl); USYS_DECL(sys_getcpu);
USYS_DECL(sys_sched_getaffinity); USYS_DECL(sys_sched_yield); USYS_DECL(sys_futex);
USYS_DECL(sys_getrandom); USYS_DECL(sys_flush_icache); USYS_DECL(sys_zero); USYS_DECL(sys_enosys);
USYS_DECL(sys_membarrier); USYS_DECL(sys_getpriority); USYS_DECL(sys_wait4); USYS_DECL(sys_waitid);
/* sys_exec.c */
USYS_DECL(sys_execve);
/* sys_thread.c (with sys_exit, sys_set_tid_address, sys_sched_yield, sys_futex) */
USYS_DECL(sys_clone); USYS_DECL(sys_clone3); USYS_DECL(sys_gettid);
/* sys_time.c */
USYS_DECL(sys_clock_gettime); USYS_DECL(sys_clock_getres); USYS_DECL(sys_gettimeofday);
USYS_DECL(sys_nanosleep); USYS_DECL(sys_clock_nanosleep); USYS_DECL(sys_times); USYS_DECL(sys_getrusage);
/* sys_signal.c: signal system calls (state lives in signal.c) */
USYS_DECL(sys_kill); USYS_DECL(sys_tkill); USYS_DECL(sys_tgkill); USYS_DECL(sys_rt_sigaction);
USYS_DECL(sys_rt_sigprocmask); USYS_DECL(sys_rt_sigreturn); USYS_DECL(sys_sigaltstack);
USYS_DECL(sys_rt_sigpending); USYS_DECL(sys_rt_sigsuspend); USYS_DECL(sys_rt_sigtimedwait);

/* ---- sys_timer.c: interval timers, POSIX timers (state in struct usys) ---- */
/* Fire the timers whose time has come (raise their signals). */
void utimer_poll(uproc *p);
/* Monotonic ns of the earliest armed timer, 0 when none is armed. */
uint64_t utimer_next(uproc *p);
void utimer_fini(uproc *p);
/* execve: the POSIX timers are deleted (setitimer's survive). */
void utimer_exec(uproc *p);
USYS_DECL(sys_setitimer); USYS_DECL(sys_getitimer); USYS_DECL(sys_timer_create);
USYS_DECL(sys_timer_settime); USYS_DECL(sys_timer_gettime); USYS_DECL(sys_timer_getoverrun);
USYS_DECL(sys_timer_delete);
/* struct itimerspec: write (interval, time left until the monotonic
 * deadline, 0 = disarmed), read (validated, ns); and the monotonic deadline
 * for a value on Linux clock (abstime: TIMER_ABSTIME; value 0: disarmed). */
int usys_put_itimerspec(uproc *p, uint64_t va, uint64_t interval, uint64_t deadline);
int usys_get_itimerspec(uproc *p, uint64_t va, uint64_t *interval, uint64_t *value);
uint64_t usys_timer_deadline(uproc *p, int clock, uint64_t value, int abstime);
/* sys_net.c (sys_socket too) */
USYS_DECL(sys_socketpair); USYS_DECL(sys_bind); USYS_DECL(sys_listen); USYS_DECL(sys_connect);
USYS_DECL(sys_accept); USYS_DECL(sys_accept4); USYS_DECL(sys_shutdown); USYS_DECL(sys_getsockname);
USYS_DECL(sys_getpeername); USYS_DECL(sys_sendto); USYS_DECL(sys_recvfrom); USYS_DECL(sys_sendmsg);
USYS_DECL(sys_recvmsg); USYS_DECL(sys_setsockopt); USYS_DECL(sys_getsockopt);
void unet_fini(uproc *p);
/* upoll.c */
USYS_DECL(sys_pselect6);
/* sys_event.c: eventfd, timerfd, signalfd; sys_epoll.c */
USYS_DECL(sys_eventfd2); USYS_DECL(sys_timerfd_create); USYS_DECL(sys_timerfd_settime);
USYS_DECL(sys_timerfd_gettime); USYS_DECL(sys_signalfd4); USYS_DECL(sys_epoll_create1);
USYS_DECL(sys_epoll_ctl); USYS_DECL(sys_epoll_pwait);
/* Take a pending signal of set (the thread's first), filling the 128-byte
 * siginfo; returns it, or 0 when none is pending. */
int usig_take(uproc *p, uint64_t set, uint8_t info[128]);

/* ---- umem_shared.c: writable MAP_SHARED file mappings (write-back) ---- */
struct ufd;
/* Record [va, va+len) as file e's from off (takes its own reference). */
int ushared_add(uproc *p, struct ufd *e, uint64_t va, uint64_t len, int64_t off);
/* Write the recorded pages in [va, va+len) back to their files; drop: the
 * range stops being a shared mapping (unmapped or replaced). */
int ushared_sync(uproc *p, uint64_t va, uint64_t len, int drop);
/* Write everything back and release the files (before the fd table goes). */
void ushared_fini(uproc *p);

/* ---- sys_term.c: terminal ioctls (riscv64 struct termios, 36 bytes) ---- */
int usys_termios_get(uproc *p, int hostfd, uint64_t va);
/* when: 0 TCSANOW, 1 TCSADRAIN, 2 TCSAFLUSH */
int usys_termios_set(uproc *p, int hostfd, int when, uint64_t va);
/* 0 if hostfd is a terminal, else -ENOTTY (or another -errno). */
int usys_is_tty(uproc *p, int hostfd);

/* ---- signal.c (beyond uproc.h) ---- */
/* Per-thread signal state: the running thread's lives in the process's
 * signal state, the others' in their thread records (uthread.c swaps them
 * when it switches threads). */
struct usig_thread {
    uint64_t blocked;    /* the thread's signal mask */
    uint64_t pending;    /* thread-directed (tgkill, SIGEV_THREAD_ID) */
    uint64_t saved_mask; /* rt_sigsuspend / ppoll: mask to restore after delivery */
    int saved_mask_valid;
    uint64_t ss_sp, ss_size; /* sigaltstack */
    int ss_flags;
};
struct usig_thread *usig_current(uproc *p);
/* Mark sig pending for the process (kill/tgkill to self, si_code
 * SI_USER/SI_TKILL; the sender is this process). */
void usig_raise(uproc *p, int sig, int si_code);
/* The same with the whole siginfo: tid 0 for the process, else that
 * thread; f16/f20 si_pid/si_uid or si_timerid/si_overrun; si_value. */
void usig_raise_info(uproc *p, int sig, int tid, int code, int32_t f16, int32_t f20, uint64_t value,
                     int has_value);
/* Signals pending for a thread (process-directed ones included). */
uint64_t usig_pending_for(uproc *p, const struct usig_thread *th);
/* True when the running thread has a pending signal it does not block. */
int usig_deliverable(uproc *p);
/* For a call interrupted by a deliverable signal: 1 when it is restarted
 * (SA_RESTART handler, or a signal that runs no handler). */
int usig_restartable(uproc *p);
/* True when sig's action is the default "stop" (SIGTSTP and friends). */
int usig_default_stops(uproc *p, int sig);
/* Deliver the lowest pending unblocked signal, if any (called after every
 * system call). */
void usig_deliver_pending(uproc *p);
/* Terminate the process as the default action of sig would. */
void usig_terminate(uproc *p, int sig, uint64_t pc, uint64_t addr, int has_addr);
const char *usig_name(int sig);
/* Signal sets as /proc/<pid>/status shows them (bit sig-1 for sig). */
void usig_masks(uproc *p, uint64_t *pending, uint64_t *blocked, uint64_t *ignored, uint64_t *caught);

/* ---- Linux riscv64 ABI constants ---- */
#define LX_AT_FDCWD (-100)
#define LX_AT_SYMLINK_NOFOLLOW 0x100
#define LX_AT_REMOVEDIR 0x200
#define LX_AT_EACCESS 0x200
#define LX_AT_SYMLINK_FOLLOW 0x400
#define LX_AT_EMPTY_PATH 0x1000

#define LX_O_ACCMODE 03
#define LX_O_CREAT 0100
#define LX_O_EXCL 0200
#define LX_O_NOCTTY 0400
#define LX_O_TRUNC 01000
#define LX_O_APPEND 02000
#define LX_O_NONBLOCK 04000
#define LX_O_DSYNC 010000
#define LX_O_ASYNC 020000
#define LX_O_DIRECT 040000
#define LX_O_LARGEFILE 0100000
#define LX_O_DIRECTORY 0200000
#define LX_O_NOFOLLOW 0400000
#define LX_O_NOATIME 01000000
#define LX_O_CLOEXEC 02000000
#define LX_O_SYNC 04010000
#define LX_O_PATH 010000000
#define LX_O_TMPFILE 020200000

#define LX_PROT_READ 1
#define LX_PROT_WRITE 2
#define LX_PROT_EXEC 4

#define LX_NSIG 64
enum {
    LX_SIGHUP = 1, LX_SIGINT, LX_SIGQUIT, LX_SIGILL, LX_SIGTRAP, LX_SIGABRT, LX_SIGBUS, LX_SIGFPE,
    LX_SIGKILL, LX_SIGUSR1, LX_SIGSEGV, LX_SIGUSR2, LX_SIGPIPE, LX_SIGALRM, LX_SIGTERM, LX_SIGSTKFLT,
    LX_SIGCHLD, LX_SIGCONT, LX_SIGSTOP, LX_SIGTSTP, LX_SIGTTIN, LX_SIGTTOU, LX_SIGURG, LX_SIGXCPU,
    LX_SIGXFSZ, LX_SIGVTALRM, LX_SIGPROF, LX_SIGWINCH, LX_SIGIO, LX_SIGPWR, LX_SIGSYS
};
#define LX_SI_USER 0
#define LX_SI_KERNEL 0x80
#define LX_SI_TIMER (-2)
#define LX_SI_TKILL (-6)

/* Little-endian field stores into a byte buffer being built for the guest. */
static inline void usys_put16(uint8_t *b, unsigned off, uint16_t v) { b[off] = (uint8_t)v; b[off + 1] = (uint8_t)(v >> 8); }
static inline void usys_put32(uint8_t *b, unsigned off, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[off + i] = (uint8_t)(v >> (8 * i));
}
static inline void usys_put64(uint8_t *b, unsigned off, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[off + i] = (uint8_t)(v >> (8 * i));
}
static inline uint32_t usys_get32(const uint8_t *b, unsigned off)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)b[off + i] << (8 * i);
    return v;
}
static inline uint64_t usys_get64(const uint8_t *b, unsigned off)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[off + i] << (8 * i);
    return v;
}

/* Guest struct timespec {int64 sec; int64 nsec}: read with validation. */
int usys_get_timespec(uproc *p, uint64_t va, int64_t *sec, int64_t *nsec);
int usys_put_timespec(uproc *p, uint64_t va, int64_t sec, int64_t nsec);

#endif
