/* Process system calls: exit_group, identity, limits, system information,
 * randomness and the RISC-V specific calls. */
#include "syscall.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "uvfs.h"
#include "uprocs.h"

static int64_t do_exit(uproc *p, uint64_t code)
{
    p->exited = 1;
    p->exit_status = (int)(code & 0xff);
    p->term_signal = 0;
    p->cpu->exit_code = (int)(code & 0xff);
    p->cpu->stop = RV_STOP_EXIT;
    return USYS_NORETURN;
}

/* exit of one thread, set_tid_address, sched_yield and futex: sys_thread.c. */
int64_t sys_exit_group(uproc *p, const uint64_t a[6]) { return do_exit(p, a[0]); }

int64_t sys_set_robust_list(uproc *p, const uint64_t a[6])
{
    (void)p;
    return a[1] == 24 ? 0 : -EINVAL; /* sizeof(struct robust_list_head) */
}

int64_t sys_getpid(uproc *p, const uint64_t a[6]) { (void)a; return usys_state(p)->pid; }
int64_t sys_getppid(uproc *p, const uint64_t a[6]) { (void)a; return usys_state(p)->ppid; }
int64_t sys_getuid(uproc *p, const uint64_t a[6]) { (void)a; return usys_state(p)->uid; }
int64_t sys_geteuid(uproc *p, const uint64_t a[6]) { (void)a; return usys_state(p)->euid; }
int64_t sys_getgid(uproc *p, const uint64_t a[6]) { (void)a; return usys_state(p)->gid; }
int64_t sys_getegid(uproc *p, const uint64_t a[6]) { (void)a; return usys_state(p)->egid; }

static int64_t put_three(uproc *p, const uint64_t a[6], int r, int e, int s)
{
    const int v[3] = { r, e, s };
    for (int i = 0; i < 3; i++) {
        uint8_t b[4];
        usys_put32(b, 0, (uint32_t)v[i]);
        int rc = umem_write(p, a[i], b, 4);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int64_t sys_getresuid(uproc *p, const uint64_t a[6])
{
    struct usys *s = usys_state(p);
    return put_three(p, a, s->uid, s->euid, s->euid);
}

int64_t sys_getresgid(uproc *p, const uint64_t a[6])
{
    struct usys *s = usys_state(p);
    return put_three(p, a, s->gid, s->egid, s->egid);
}

/* setresuid/setresgid: the guest keeps the host's identity, so it may only
 * name ids it already has (-1: unchanged), as an unprivileged Linux process
 * may; glibc's posix_spawn with POSIX_SPAWN_RESETIDS (GNU make's) sets the
 * effective ids to the real ones this way. Anything else is EPERM, for root
 * too: no guest changes who it runs as. */
static int64_t set_ids(int *real, int *eff, const uint64_t a[6])
{
    for (int i = 0; i < 3; i++) {
        int v = (int)a[i];
        if (v != -1 && v != *real && v != *eff)
            return -EPERM;
    }
    if ((int)a[0] != -1)
        *real = (int)a[0];
    if ((int)a[1] != -1)
        *eff = (int)a[1];
    return 0;
}

int64_t sys_setresuid(uproc *p, const uint64_t a[6])
{
    struct usys *s = usys_state(p);
    return set_ids(&s->uid, &s->euid, a);
}

int64_t sys_setresgid(uproc *p, const uint64_t a[6])
{
    struct usys *s = usys_state(p);
    return set_ids(&s->gid, &s->egid, a);
}

static int is_self(uproc *p, uint64_t pid)
{
    return (int)pid == 0 || (int)pid == usys_state(p)->pid;
}

/* The process pid names (0: the caller), or NULL. */
static uproc *target(uproc *p, uint64_t pid)
{
    if ((int)pid == 0)
        return p;
    if ((int)pid < 0)
        return NULL;
    return uprocs_find(p, (int)pid);
}

int64_t sys_getpgid(uproc *p, const uint64_t a[6])
{
    uproc *q = target(p, a[0]);
    return q ? q->pgid : -ESRCH;
}

/* Groups move only within a session, to an existing group or a new one
 * named after the process; the target is the caller or its child. */
int64_t sys_setpgid(uproc *p, const uint64_t a[6])
{
    uproc *q = target(p, a[0]);
    if (!q || q->zombie || (q != p && q->parent != p))
        return -ESRCH;
    if ((int)a[1] < 0)
        return -EINVAL;
    int pgid = (int)a[1] ? (int)a[1] : q->pid;
    if (q->sid != p->sid || q->sid == q->pid)
        return -EPERM;
    if (pgid != q->pid) {
        /* An existing group (its leader may be gone while members live). */
        if (uprocs_kill(p, -pgid, 0) != 0)
            return -EPERM;
    }
    q->pgid = pgid;
    return 0;
}

int64_t sys_getsid(uproc *p, const uint64_t a[6])
{
    uproc *q = target(p, a[0]);
    return q ? q->sid : -ESRCH;
}

int64_t sys_setsid(uproc *p, const uint64_t a[6])
{
    (void)a;
    if (p->pgid == p->pid || uprocs_kill(p, -p->pid, 0) == 0)
        return -EPERM; /* a group leader, or its pid names a group */
    p->sid = p->pgid = p->pid;
    return p->pid;
}

int64_t sys_uname(uproc *p, const uint64_t a[6])
{
    char u[6 * 65];
    memset(u, 0, sizeof(u));
    char host[65] = "localhost";
    host_gethostname(p->host, host, sizeof(host));
    static const char *const fields[6] = { "Linux", NULL, "6.1.0", "#1 SMP splitvm", "riscv64", "(none)" };
    for (int i = 0; i < 6; i++) {
        const char *f = fields[i] ? fields[i] : host;
        size_t n = strnlen(f, 64);
        memcpy(u + 65 * i, f, n);
    }
    return umem_write(p, a[0], u, sizeof(u));
}

int64_t sys_sysinfo(uproc *p, const uint64_t a[6])
{
    struct usys *s = usys_state(p);
    uint8_t b[112];
    memset(b, 0, sizeof(b));
    usys_put64(b, 0, (host_monotonic_ns() - s->start_ns) / 1000000000ull + 1); /* uptime */
    usys_put64(b, 32, 4ull << 30);  /* totalram: a nominal 4 GiB */
    usys_put64(b, 40, 2ull << 30);  /* freeram */
    usys_put16(b, 80, 1);           /* procs */
    usys_put32(b, 104, 1);          /* mem_unit */
    return umem_write(p, a[0], b, sizeof(b));
}

static int get_limit(uproc *p, uint64_t res, uint64_t va)
{
    struct usys *s = usys_state(p);
    uint8_t b[16];
    usys_put64(b, 0, s->rlim_cur[res]);
    usys_put64(b, 8, s->rlim_max[res]);
    return umem_write(p, va, b, sizeof(b));
}

static int set_limit(uproc *p, uint64_t res, const uint8_t b[16])
{
    struct usys *s = usys_state(p);
    uint64_t cur = usys_get64(b, 0), max = usys_get64(b, 8);
    if (cur > max)
        return -EINVAL;
    if (res == 7 && max > 1024) /* RLIMIT_NOFILE is bounded by the fd table */
        return -EPERM;
    s->rlim_cur[res] = cur;
    s->rlim_max[res] = max;
    return 0;
}

int64_t sys_getrlimit(uproc *p, const uint64_t a[6])
{
    if (a[0] >= USYS_NRLIMITS)
        return -EINVAL;
    return get_limit(p, a[0], a[1]);
}

int64_t sys_setrlimit(uproc *p, const uint64_t a[6])
{
    uint8_t b[16];
    if (a[0] >= USYS_NRLIMITS)
        return -EINVAL;
    int r = umem_read(p, a[1], b, sizeof(b));
    return r < 0 ? r : set_limit(p, a[0], b);
}

int64_t sys_prlimit64(uproc *p, const uint64_t a[6])
{
    uint8_t b[16];
    if (!is_self(p, a[0]))
        return -ESRCH;
    if (a[1] >= USYS_NRLIMITS)
        return -EINVAL;
    if (a[2]) {
        int r = umem_read(p, a[2], b, sizeof(b));
        if (r < 0)
            return r;
    }
    if (a[3]) {
        int r = get_limit(p, a[1], a[3]);
        if (r < 0)
            return r;
    }
    return a[2] ? set_limit(p, a[1], b) : 0;
}

int64_t sys_prctl(uproc *p, const uint64_t a[6])
{
    struct usys *s = usys_state(p);
    switch (a[0]) {
    case 15: { /* PR_SET_NAME */
        char name[16];
        int r = umem_read_str(p, a[1], name, sizeof(name));
        if (r == -ENAMETOOLONG) { /* the kernel truncates to 15 bytes */
            r = umem_read(p, a[1], name, 15);
            name[15] = 0;
        }
        if (r < 0)
            return r;
        memcpy(s->comm, name, sizeof(name));
        return 0;
    }
    case 16: /* PR_GET_NAME */
        return umem_write(p, a[1], s->comm, sizeof(s->comm));
    case 3: /* PR_GET_DUMPABLE */
        return 1;
    case 4: /* PR_SET_DUMPABLE */
        return a[1] <= 1 ? 0 : -EINVAL;
    default:
        return -EINVAL;
    }
}

int64_t sys_getcpu(uproc *p, const uint64_t a[6])
{
    uint8_t z[4] = { 0 };
    for (int i = 0; i < 2; i++)
        if (a[i]) {
            int r = umem_write(p, a[i], z, 4);
            if (r < 0)
                return r;
        }
    return 0;
}

int64_t sys_sched_getaffinity(uproc *p, const uint64_t a[6])
{
    if (!is_self(p, a[0]))
        return -ESRCH;
    if (a[1] < 8 || (a[1] & 7))
        return -EINVAL;
    uint8_t b[8] = { 1 }; /* one hart: cpu 0 */
    int r = umem_write(p, a[2], b, 8);
    return r < 0 ? r : 8;
}

int64_t sys_getrandom(uproc *p, const uint64_t a[6])
{
    if (a[2] & ~7ull) /* GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE */
        return -EINVAL;
    size_t n = a[1] > 33554431u ? 33554431u : (size_t)a[1];
    if (n == 0)
        return 0;
    void *buf = umem_ptr(p, a[0], n, PROT_WRITE);
    if (!buf)
        return -EFAULT;
    int r = uvfs_random(p, buf, n); /* the embedder's source (svm_proxy) or the host's */
    return r < 0 ? r : (int64_t)n;
}

int64_t sys_flush_icache(uproc *p, const uint64_t a[6])
{
    (void)a;
    rv_engine_flush(p->cpu);
    return 0;
}

int64_t sys_membarrier(uproc *p, const uint64_t a[6])
{
    (void)p;
    if (a[0] == 0) /* MEMBARRIER_CMD_QUERY: no commands supported */
        return 0;
    return -EINVAL;
}

int64_t sys_getpriority(uproc *p, const uint64_t a[6])
{
    (void)p;
    (void)a;
    return 20; /* the kernel returns 20 - nice: nice 0 */
}

#define LX_WNOHANG 1
#define LX_WUNTRACED 2 /* WSTOPPED for waitid */
#define LX_WEXITED 4
#define LX_WCONTINUED 8
#define LX_WNOWAIT 0x01000000
/* With __WNOTHREAD, __WALL, __WCLONE (accepted, no meaning here). */
#define WAIT4_OPTIONS (LX_WNOHANG | LX_WUNTRACED | LX_WCONTINUED | 0x20000000 | 0x40000000 | 0x80000000)

/* uprocs_wait's flags for the guest's options. */
static int wait_flags(uint32_t opt, int exited)
{
    return (exited ? UPROCS_WAIT_EXITED : 0) | ((opt & LX_WUNTRACED) ? UPROCS_WAIT_STOPPED : 0) |
           ((opt & LX_WCONTINUED) ? UPROCS_WAIT_CONTINUED : 0) | ((opt & LX_WNOHANG) ? UPROCS_WAIT_NOHANG : 0) |
           ((opt & LX_WNOWAIT) ? UPROCS_WAIT_NOWAIT : 0);
}

int64_t sys_wait4(uproc *p, const uint64_t a[6])
{
    if ((uint32_t)a[2] & ~(uint32_t)WAIT4_OPTIONS)
        return -EINVAL;
    int st = 0, code = 0;
    int r = uprocs_wait(p, (int)a[0], wait_flags((uint32_t)a[2], 1), &st, &code);
    if (r <= 0)
        return r;
    uint8_t b[4];
    usys_put32(b, 0, (uint32_t)st);
    int w = a[1] ? umem_write(p, a[1], b, 4) : 0;
    if (w == 0 && a[3]) {
        uint8_t ru[144] = {0}; /* the child's times are not counted apart */
        w = umem_write(p, a[3], ru, sizeof(ru));
    }
    if (w < 0)
        return w; /* the child stays to be waited for */
    if (code == 1 || code == 2) /* an exit: the zombie goes */
        uprocs_reap(p, r);
    return r;
}

/* waitid(idtype, id, infop, options, rusage): P_ALL, P_PID, P_PGID. */
int64_t sys_waitid(uproc *p, const uint64_t a[6])
{
    int sel, id = (int)a[1];
    switch ((int)a[0]) {
    case 0: sel = -1; break;
    case 1: if (id <= 0) return -EINVAL; sel = id; break;
    case 2: if (id < 0) return -EINVAL; sel = id ? -id : 0; break;
    default: return -EINVAL;
    }
    uint32_t opt = (uint32_t)a[3];
    if (!(opt & (LX_WEXITED | LX_WUNTRACED | LX_WCONTINUED)) ||
        (opt & ~(uint32_t)(WAIT4_OPTIONS | LX_WEXITED | LX_WNOWAIT)))
        return -EINVAL;
    int st = 0, code = 0;
    int r = uprocs_wait(p, sel, wait_flags(opt, (opt & LX_WEXITED) != 0), &st, &code);
    if (r < 0)
        return r;
    uint8_t info[128] = {0};
    if (r > 0) {
        /* si_status: the exit code, or the signal that ended, stopped or
         * continued it. */
        int status = code == 1 ? (st >> 8) & 0xff : code == 2 ? st & 0x7f : code == 5 ? (st >> 8) & 0xff : LX_SIGCONT;
        usys_put32(info, 0, LX_SIGCHLD);
        usys_put32(info, 8, (uint32_t)code);
        usys_put32(info, 16, (uint32_t)r);
        usys_put32(info, 20, (uint32_t)usys_state(p)->uid);
        usys_put32(info, 24, (uint32_t)status);
    }
    int w = a[2] ? umem_write(p, a[2], info, sizeof(info)) : 0;
    if (w == 0 && a[4]) {
        uint8_t ru[144] = {0};
        w = umem_write(p, a[4], ru, sizeof(ru));
    }
    if (w < 0)
        return w;
    if (r > 0 && !(opt & LX_WNOWAIT) && (code == 1 || code == 2))
        uprocs_reap(p, r);
    return 0;
}
