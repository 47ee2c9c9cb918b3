/* Linux system-call dispatch for user mode (riscv64 generic ABI: number in
 * a7, arguments a0-a5, result in a0) and the -strace log. */
#include "syscall.h"
#include "uthread.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Argument formats for strace, one letter per argument:
 * d int, l long, u unsigned, x hex, o octal, s guest string, f dirfd. */
typedef struct usys_entry {
    const char *name;
    const char *fmt;
    usys_fn fn;
    char ret; /* 'x' for address results, else decimal */
} usys_entry;

#define E(nr, nm, f, h) [nr] = { nm, f, h, 'd' }
#define EX(nr, nm, f, h) [nr] = { nm, f, h, 'x' }

static const usys_entry table[] = {
    E(17, "getcwd", "xu", sys_getcwd),
    E(19, "eventfd2", "ux", sys_eventfd2),
    E(20, "epoll_create1", "x", sys_epoll_create1),
    E(21, "epoll_ctl", "dddx", sys_epoll_ctl),
    E(22, "epoll_pwait", "dxddxu", sys_epoll_pwait),
    E(23, "dup", "d", sys_dup),
    E(24, "dup3", "ddx", sys_dup3),
    E(25, "fcntl", "ddx", sys_fcntl),
    E(29, "ioctl", "dxx", sys_ioctl),
    E(32, "flock", "dx", sys_zero),
    E(33, "mknodat", "fsox", sys_enosys),
    E(34, "mkdirat", "fso", sys_mkdirat),
    E(35, "unlinkat", "fsx", sys_unlinkat),
    E(36, "symlinkat", "sfs", sys_symlinkat),
    E(37, "linkat", "fsfsx", sys_linkat),
    E(38, "renameat", "fsfs", sys_renameat),
    E(43, "statfs", "sx", sys_statfs_stub),
    E(44, "fstatfs", "dx", sys_statfs_stub),
    E(45, "truncate", "sl", sys_truncate),
    E(46, "ftruncate", "dl", sys_ftruncate),
    E(48, "faccessat", "fsx", sys_faccessat),
    E(49, "chdir", "s", sys_chdir),
    E(50, "fchdir", "d", sys_fchdir),
    E(52, "fchmod", "do", sys_fchmod),
    E(53, "fchmodat", "fsox", sys_fchmodat),
    E(54, "fchownat", "fsddx", sys_zero),
    E(55, "fchown", "ddd", sys_zero),
    E(56, "openat", "fsxo", sys_openat),
    E(57, "close", "d", sys_close),
    E(59, "pipe2", "xx", sys_pipe2),
    E(61, "getdents64", "dxu", sys_getdents64),
    E(62, "lseek", "dld", sys_lseek),
    E(63, "read", "dxu", sys_read),
    E(64, "write", "dxu", sys_write),
    E(65, "readv", "dxd", sys_readv),
    E(66, "writev", "dxd", sys_writev),
    E(67, "pread64", "dxul", sys_pread64),
    E(68, "pwrite64", "dxul", sys_pwrite64),
    E(69, "preadv", "dxdl", sys_preadv),
    E(70, "pwritev", "dxdl", sys_pwritev),
    E(71, "sendfile", "ddxu", sys_enosys),
    E(72, "pselect6", "dxxxxx", sys_pselect6),
    E(73, "ppoll", "xuxxu", sys_ppoll),
    E(74, "signalfd4", "dxux", sys_signalfd4),
    E(78, "readlinkat", "fsxu", sys_readlinkat),
    E(79, "newfstatat", "fsxx", sys_newfstatat),
    E(80, "fstat", "dx", sys_fstat),
    E(81, "sync", "", sys_zero),
    E(82, "fsync", "d", sys_fsync),
    E(83, "fdatasync", "d", sys_fsync),
    E(85, "timerfd_create", "dx", sys_timerfd_create),
    E(86, "timerfd_settime", "dxxx", sys_timerfd_settime),
    E(87, "timerfd_gettime", "dx", sys_timerfd_gettime),
    E(88, "utimensat", "fsxx", sys_utimensat),
    E(93, "exit", "d", sys_exit),
    E(94, "exit_group", "d", sys_exit_group),
    E(95, "waitid", "ddxdx", sys_waitid),
    E(96, "set_tid_address", "x", sys_set_tid_address),
    E(98, "futex", "xdux", sys_futex),
    E(99, "set_robust_list", "xu", sys_set_robust_list),
    E(101, "nanosleep", "xx", sys_nanosleep),
    E(102, "getitimer", "dx", sys_getitimer),
    E(103, "setitimer", "dxx", sys_setitimer),
    E(107, "timer_create", "dxx", sys_timer_create),
    E(108, "timer_gettime", "dx", sys_timer_gettime),
    E(109, "timer_getoverrun", "d", sys_timer_getoverrun),
    E(110, "timer_settime", "dxxx", sys_timer_settime),
    E(111, "timer_delete", "d", sys_timer_delete),
    E(113, "clock_gettime", "dx", sys_clock_gettime),
    E(114, "clock_getres", "dx", sys_clock_getres),
    E(115, "clock_nanosleep", "dxxx", sys_clock_nanosleep),
    E(122, "sched_setaffinity", "dux", sys_zero),
    E(123, "sched_getaffinity", "dux", sys_sched_getaffinity),
    E(124, "sched_yield", "", sys_sched_yield),
    E(129, "kill", "dd", sys_kill),
    E(130, "tkill", "dd", sys_tkill),
    E(131, "tgkill", "ddd", sys_tgkill),
    E(132, "sigaltstack", "xx", sys_sigaltstack),
    E(133, "rt_sigsuspend", "xu", sys_rt_sigsuspend),
    E(134, "rt_sigaction", "dxxu", sys_rt_sigaction),
    E(135, "rt_sigprocmask", "dxxu", sys_rt_sigprocmask),
    E(136, "rt_sigpending", "xu", sys_rt_sigpending),
    E(137, "rt_sigtimedwait", "xxxu", sys_rt_sigtimedwait),
    E(139, "rt_sigreturn", "", sys_rt_sigreturn),
    E(140, "setpriority", "ddd", sys_zero),
    E(141, "getpriority", "dd", sys_getpriority),
    E(144, "setgid", "d", sys_enosys),
    E(146, "setuid", "d", sys_enosys),
    E(147, "setresuid", "ddd", sys_setresuid),
    E(148, "getresuid", "xxx", sys_getresuid),
    E(149, "setresgid", "ddd", sys_setresgid),
    E(150, "getresgid", "xxx", sys_getresgid),
    E(153, "times", "x", sys_times),
    E(154, "setpgid", "dd", sys_setpgid),
    E(155, "getpgid", "d", sys_getpgid),
    E(156, "getsid", "d", sys_getsid),
    E(157, "setsid", "", sys_setsid),
    E(158, "getgroups", "dx", sys_zero),
    E(160, "uname", "x", sys_uname),
    E(163, "getrlimit", "dx", sys_getrlimit),
    E(164, "setrlimit", "dx", sys_setrlimit),
    E(165, "getrusage", "dx", sys_getrusage),
    E(166, "umask", "o", sys_umask),
    E(167, "prctl", "dxxxx", sys_prctl),
    E(168, "getcpu", "xxx", sys_getcpu),
    E(169, "gettimeofday", "xx", sys_gettimeofday),
    E(172, "getpid", "", sys_getpid),
    E(173, "getppid", "", sys_getppid),
    E(174, "getuid", "", sys_getuid),
    E(175, "geteuid", "", sys_geteuid),
    E(176, "getgid", "", sys_getgid),
    E(177, "getegid", "", sys_getegid),
    E(178, "gettid", "", sys_gettid),
    E(179, "sysinfo", "x", sys_sysinfo),
    E(198, "socket", "ddd", sys_socket),
    E(199, "socketpair", "dddx", sys_socketpair),
    E(200, "bind", "dxu", sys_bind),
    E(201, "listen", "dd", sys_listen),
    E(202, "accept", "dxx", sys_accept),
    E(203, "connect", "dxu", sys_connect),
    E(204, "getsockname", "dxx", sys_getsockname),
    E(205, "getpeername", "dxx", sys_getpeername),
    E(206, "sendto", "dxuxxu", sys_sendto),
    E(207, "recvfrom", "dxuxxx", sys_recvfrom),
    E(208, "setsockopt", "dddxu", sys_setsockopt),
    E(209, "getsockopt", "dddxx", sys_getsockopt),
    E(210, "shutdown", "dd", sys_shutdown),
    E(211, "sendmsg", "dxx", sys_sendmsg),
    E(212, "recvmsg", "dxx", sys_recvmsg),
    EX(214, "brk", "x", sys_brk),
    E(215, "munmap", "xu", sys_munmap),
    EX(216, "mremap", "xuuxx", sys_mremap),
    E(220, "clone", "xxxxx", sys_clone),
    E(221, "execve", "sxx", sys_execve),
    EX(222, "mmap", "xuxxdl", sys_mmap),
    E(223, "fadvise64", "dllx", sys_zero),
    E(226, "mprotect", "xux", sys_mprotect),
    E(227, "msync", "xux", sys_msync),
    E(228, "mlock", "xu", sys_zero),
    E(229, "munlock", "xu", sys_zero),
    E(233, "madvise", "xud", sys_madvise),
    E(242, "accept4", "dxxx", sys_accept4),
    E(258, "riscv_hwprobe", "xuuxx", sys_enosys),
    E(259, "riscv_flush_icache", "xxx", sys_flush_icache),
    E(260, "wait4", "dxdx", sys_wait4),
    E(261, "prlimit64", "ddxx", sys_prlimit64),
    E(276, "renameat2", "fsfsx", sys_renameat2),
    E(278, "getrandom", "xux", sys_getrandom),
    E(279, "memfd_create", "sx", sys_enosys),
    E(283, "membarrier", "dxd", sys_membarrier),
    E(291, "statx", "fsxxx", sys_statx),
    E(293, "rseq", "xuxx", sys_enosys),
    E(435, "clone3", "xu", sys_clone3),
    E(436, "close_range", "ddx", sys_close_range),
    E(439, "faccessat2", "fsxx", sys_faccessat2),
};
#define NTABLE ((int64_t)(sizeof(table) / sizeof(table[0])))

/* ---- errno: host numbers -> Linux numbers ---- */

int usys_lx_errno(int e)
{
    switch (e) {
    case EPERM: return 1;
    case ENOENT: return 2;
    case ESRCH: return 3;
    case EINTR: return 4;
    case EIO: return 5;
    case ENXIO: return 6;
    case E2BIG: return 7;
    case ENOEXEC: return 8;
    case EBADF: return 9;
    case ECHILD: return 10;
    case EAGAIN: return 11;
    case ENOMEM: return 12;
    case EACCES: return 13;
    case EFAULT: return 14;
    case EBUSY: return 16;
    case EEXIST: return 17;
    case EXDEV: return 18;
    case ENODEV: return 19;
    case ENOTDIR: return 20;
    case EISDIR: return 21;
    case EINVAL: return 22;
    case ENFILE: return 23;
    case EMFILE: return 24;
    case ENOTTY: return 25;
    case ETXTBSY: return 26;
    case EFBIG: return 27;
    case ENOSPC: return 28;
    case ESPIPE: return 29;
    case EROFS: return 30;
    case EMLINK: return 31;
    case EPIPE: return 32;
    case EDOM: return 33;
    case ERANGE: return 34;
    case EDEADLK: return 35;
    case ENAMETOOLONG: return 36;
    case ENOLCK: return 37;
    case ENOSYS: return 38;
    case ENOTEMPTY: return 39;
    case ELOOP: return 40;
    case EOVERFLOW: return 75;
    case EILSEQ: return 84;
    case ENOTSOCK: return 88;
    case EOPNOTSUPP: return 95;
#if ENOTSUP != EOPNOTSUPP
    case ENOTSUP: return 95;
#endif
    case EAFNOSUPPORT: return 97;
    case EADDRINUSE: return 98;
    case ECONNRESET: return 104;
    case ENOTCONN: return 107;
    case ETIMEDOUT: return 110;
    case ECONNREFUSED: return 111;
    case EINPROGRESS: return 115;
    case ECANCELED: return 125;
    default:
#ifdef __linux__
        return e; /* same numbering */
#else
        return 5; /* EIO: nothing better to say */
#endif
    }
}

const char *usys_errno_name(int e)
{
    static const char *const names[] = {
        [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO", [6] = "ENXIO",
        [7] = "E2BIG", [8] = "ENOEXEC", [9] = "EBADF", [10] = "ECHILD", [11] = "EAGAIN",
        [12] = "ENOMEM", [13] = "EACCES", [14] = "EFAULT", [16] = "EBUSY", [17] = "EEXIST",
        [18] = "EXDEV", [19] = "ENODEV", [20] = "ENOTDIR", [21] = "EISDIR", [22] = "EINVAL",
        [23] = "ENFILE", [24] = "EMFILE", [25] = "ENOTTY", [26] = "ETXTBSY", [27] = "EFBIG",
        [28] = "ENOSPC", [29] = "ESPIPE", [30] = "EROFS", [31] = "EMLINK", [32] = "EPIPE",
        [33] = "EDOM", [34] = "ERANGE", [35] = "EDEADLK", [36] = "ENAMETOOLONG", [37] = "ENOLCK",
        [38] = "ENOSYS", [39] = "ENOTEMPTY", [40] = "ELOOP", [75] = "EOVERFLOW", [84] = "EILSEQ",
        [88] = "ENOTSOCK", [95] = "EOPNOTSUPP", [97] = "EAFNOSUPPORT", [98] = "EADDRINUSE",
        [104] = "ECONNRESET", [107] = "ENOTCONN", [110] = "ETIMEDOUT", [111] = "ECONNREFUSED",
        [115] = "EINPROGRESS", [125] = "ECANCELED",
    };
    if (e > 0 && e < (int)(sizeof(names) / sizeof(names[0])) && names[e])
        return names[e];
    return "?";
}

/* ---- per-process state ---- */

struct usys *usys_state(uproc *p)
{
    if (p->sys)
        return p->sys;
    struct usys *s = host_alloc(p->host, sizeof(*s));
    if (!s)
        return NULL;
    for (int i = 0; i < USYS_NRLIMITS; i++)
        s->rlim_cur[i] = s->rlim_max[i] = UINT64_MAX; /* RLIM_INFINITY */
    s->rlim_cur[3] = 8u << 20;                     /* RLIMIT_STACK */
    s->rlim_cur[4] = 0;                            /* RLIMIT_CORE */
    s->rlim_cur[7] = s->rlim_max[7] = 1024;        /* RLIMIT_NOFILE */
    s->rlim_cur[8] = s->rlim_max[8] = 8u << 20;    /* RLIMIT_MEMLOCK */
    s->rlim_cur[6] = s->rlim_max[6] = 4096;        /* RLIMIT_NPROC */
    s->rlim_cur[11] = s->rlim_max[11] = 4096;      /* RLIMIT_SIGPENDING */
    s->rlim_cur[12] = s->rlim_max[12] = 819200;    /* RLIMIT_MSGQUEUE */
    s->rlim_cur[13] = s->rlim_max[13] = 0;         /* RLIMIT_NICE */
    s->rlim_cur[14] = s->rlim_max[14] = 0;         /* RLIMIT_RTPRIO */
    host_ids ids;
    host_get_ids(p->host, &ids);
    s->pid = ids.pid;
    s->ppid = ids.ppid;
    s->uid = ids.uid;
    s->euid = ids.euid;
    s->gid = ids.gid;
    s->egid = ids.egid;
    s->start_ns = host_monotonic_ns();
    /* comm: the program's base name, as the kernel sets it at exec. */
    const char *base = strrchr(p->exe_path, '/');
    base = base ? base + 1 : p->exe_path;
    snprintf(s->comm, sizeof(s->comm), "%.15s", base);
    p->sys = s;
    return s;
}

void usys_fini(uproc *p)
{
    utimer_fini(p);
    unet_fini(p);
    if (p->sys) {
        host_free(p->host, p->sys);
        p->sys = NULL;
    }
}

/* ---- strace ---- */

static size_t fmt_arg(uproc *p, char *out, size_t cap, char kind, uint64_t v)
{
    switch (kind) {
    case 'd': return (size_t)snprintf(out, cap, "%d", (int)v);
    case 'l': return (size_t)snprintf(out, cap, "%lld", (long long)v);
    case 'u': return (size_t)snprintf(out, cap, "%llu", (unsigned long long)v);
    case 'o': return (size_t)snprintf(out, cap, "0%llo", (unsigned long long)v);
    case 'f':
        if ((int)v == LX_AT_FDCWD)
            return (size_t)snprintf(out, cap, "AT_FDCWD");
        return (size_t)snprintf(out, cap, "%d", (int)v);
    case 's': {
        char s[72];
        int n = umem_read_str(p, v, s, sizeof(s));
        if (n == -ENAMETOOLONG) {
            umem_read(p, v, s, 64);
            s[64] = 0;
            return (size_t)snprintf(out, cap, "\"%s\"...", s);
        }
        if (n < 0)
            return (size_t)snprintf(out, cap, "0x%llx", (unsigned long long)v);
        return (size_t)snprintf(out, cap, "\"%s\"", s);
    }
    default: return (size_t)snprintf(out, cap, "0x%llx", (unsigned long long)v);
    }
}

static void strace_call(uproc *p, const usys_entry *e, int64_t nr, const uint64_t a[6], char *line,
                        size_t cap)
{
    size_t n;
    int pid = uthread_tid(p); /* the calling thread, as strace -f shows it */
    if (e && e->name) {
        n = (size_t)snprintf(line, cap, "%d %s(", pid, e->name);
        for (int i = 0; e->fmt[i] && i < 6 && n < cap; i++) {
            if (i && n < cap)
                line[n++] = ',';
            n += fmt_arg(p, line + n, cap - n, e->fmt[i], a[i]);
        }
    } else {
        n = (size_t)snprintf(line, cap, "%d Unknown syscall %lld(", pid, (long long)nr);
        for (int i = 0; i < 6 && n < cap; i++) {
            if (i && n < cap)
                line[n++] = ',';
            n += fmt_arg(p, line + n, cap - n, 'x', a[i]);
        }
    }
    if (n < cap)
        snprintf(line + n, cap - n, ")");
}

static void strace_result(uproc *p, char *line, size_t cap, int64_t r, char kind)
{
    size_t n = strlen(line);
    if (n >= cap)
        return;
    if (r < 0 && r >= -4095)
        snprintf(line + n, cap - n, " = -1 errno=%d (%s)", (int)-r, usys_errno_name((int)-r));
    else if (kind == 'x')
        snprintf(line + n, cap - n, " = 0x%llx", (unsigned long long)r);
    else
        snprintf(line + n, cap - n, " = %lld", (long long)r);
    uproc_log(p, "%s", line);
}

/* ---- dispatch ---- */

/* Calls that SA_RESTART restarts after a handler (Linux's -ERESTARTSYS
 * ones); the sleeps, poll/select, sigsuspend and sigtimedwait end with
 * EINTR whatever the flags. */
static int restartable(int64_t nr)
{
    switch (nr) {
    case 56:  /* openat (a FIFO) */
    case 63: case 64: case 65: case 66: case 67: case 68: case 69: case 70: /* read/write family */
    case 98:  /* futex */
    case 202: case 203: case 206: case 207: case 211: case 212: case 242: /* sockets */
    case 95: case 260: /* waitid, wait4 */
        return 1;
    default:
        return 0;
    }
}

void usys_ecall(uproc *p)
{
    rv_cpu *cpu = p->cpu;
    int64_t nr = (int64_t)cpu->x[17];
    uint64_t a[6];
    for (int i = 0; i < 6; i++)
        a[i] = cpu->x[10 + i];
    usys_state(p); /* ids and limits are needed by many calls */

    const usys_entry *e = (nr >= 0 && nr < NTABLE && table[nr].fn) ? &table[nr] : NULL;
    char line[640];
    if (p->opts.strace)
        strace_call(p, e, nr, a, line, sizeof(line));
    if (p->opts.strace && e && (nr == 93 || nr == 94 || nr == 139))
        uproc_log(p, "%s", line); /* no return to log */
    if (nr == 94) /* exit_group: shared file mappings reach their files now */
        ushared_sync(p, 0, UINT64_MAX, 0);

    int64_t r = e ? e->fn(p, a) : -ENOSYS;
    if (r == USYS_NORETURN)
        return; /* exit, execve or rt_sigreturn: registers are already what they must be */
    if (r == -EINTR && restartable(nr) && usig_restartable(p)) {
        /* Interrupted by a signal whose handler has SA_RESTART (or that
         * runs none): the call runs again after the handler, as the kernel
         * restarts it: pc stays on the ecall and a0 keeps its argument. */
        if (p->opts.strace)
            strace_result(p, line, sizeof(line), -512 /* ERESTARTSYS */, 'd');
        usig_deliver_pending(p);
        return;
    }
    if (r < 0 && r >= -4095)
        r = -(int64_t)usys_lx_errno((int)-r);
    if (p->opts.strace)
        strace_result(p, line, sizeof(line), r, e ? e->ret : 'd');
    cpu->x[10] = (uint64_t)r;
    cpu->pc += 4;
    if (!p->exited)
        usig_deliver_pending(p);
}

/* Handlers shared by several topics. */
int64_t sys_zero(uproc *p, const uint64_t a[6])
{
    (void)p;
    (void)a;
    return 0;
}

int64_t sys_enosys(uproc *p, const uint64_t a[6])
{
    (void)p;
    (void)a;
    return -ENOSYS;
}

int usys_get_timespec(uproc *p, uint64_t va, int64_t *sec, int64_t *nsec)
{
    uint8_t b[16];
    int r = umem_read(p, va, b, sizeof(b));
    if (r < 0)
        return r;
    *sec = (int64_t)usys_get64(b, 0);
    *nsec = (int64_t)usys_get64(b, 8);
    return 0;
}

int usys_put_timespec(uproc *p, uint64_t va, int64_t sec, int64_t nsec)
{
    uint8_t b[16];
    usys_put64(b, 0, (uint64_t)sec);
    usys_put64(b, 8, (uint64_t)nsec);
    return umem_write(p, va, b, sizeof(b));
}
