/* Thread system calls: clone / clone3 of threads (CLONE_VM | CLONE_THREAD,
 * as pthread_create makes them), gettid, set_tid_address, exit of one
 * thread, sched_yield and futex. The threads and waits live in uthread.c. */
#include "syscall.h"
#include "uthread.h"
#include "uprocs.h"

#include <errno.h>
#include <time.h>

#define LX_CLONE_VM 0x100ull
#define LX_CLONE_FS 0x200ull
#define LX_CLONE_FILES 0x400ull
#define LX_CLONE_SIGHAND 0x800ull
#define LX_CLONE_VFORK 0x4000ull
#define LX_CLONE_THREAD 0x10000ull
#define LX_CLONE_SYSVSEM 0x40000ull
#define LX_CLONE_SETTLS 0x80000ull
#define LX_CLONE_PARENT_SETTID 0x100000ull
#define LX_CLONE_CHILD_CLEARTID 0x200000ull
#define LX_CLONE_DETACHED 0x400000ull
#define LX_CLONE_CHILD_SETTID 0x1000000ull
/* Flags a thread may carry (CLONE_DETACHED is ignored, as by the kernel). */
#define THREAD_FLAGS                                                                                     \
    (LX_CLONE_VM | LX_CLONE_FS | LX_CLONE_FILES | LX_CLONE_SIGHAND | LX_CLONE_THREAD | LX_CLONE_SYSVSEM | \
     LX_CLONE_SETTLS | LX_CLONE_PARENT_SETTID | LX_CLONE_CHILD_CLEARTID | LX_CLONE_DETACHED |              \
     LX_CLONE_CHILD_SETTID)

/* Flags a new process may carry: shared fd tables, fs info and signal
 * handlers between processes are not supported. */
#define PROCESS_FLAGS                                                                                 \
    (LX_CLONE_VM | LX_CLONE_VFORK | LX_CLONE_SYSVSEM | LX_CLONE_SETTLS | LX_CLONE_PARENT_SETTID |           \
     LX_CLONE_CHILD_CLEARTID | LX_CLONE_DETACHED | LX_CLONE_CHILD_SETTID)

static int64_t do_clone(uproc *p, uint64_t flags, uint64_t stack, uint64_t ptid, uint64_t tls, uint64_t ctid)
{
    if ((flags & LX_CLONE_THREAD) && !(flags & LX_CLONE_SIGHAND))
        return -EINVAL;
    if ((flags & LX_CLONE_SIGHAND) && !(flags & LX_CLONE_VM))
        return -EINVAL;
    /* A new process (fork, vfork, posix_spawn's CLONE_VM | CLONE_VFORK): a
     * guest process in this host process (uprocs.c), never a host one
     * (DESIGN.md rule 2). With CLONE_VM it runs in the caller's address
     * space (no copy), and with CLONE_VFORK the calling thread waits until
     * it calls execve or ends, as Linux does. */
    if (!(flags & LX_CLONE_THREAD)) {
        if ((flags & ~(PROCESS_FLAGS | 0xffull)) != 0)
            return -EINVAL;
        return uprocs_fork(p, stack, (flags & LX_CLONE_SETTLS) != 0, tls,
                           (flags & LX_CLONE_PARENT_SETTID) ? ptid : 0, (flags & LX_CLONE_CHILD_SETTID) ? ctid : 0,
                           (flags & LX_CLONE_CHILD_CLEARTID) ? ctid : 0,
                           ((flags & LX_CLONE_VM) ? UPROCS_SHARE_MEMORY : 0) |
                               ((flags & LX_CLONE_VFORK) ? UPROCS_VFORK : 0));
    }
    if (flags & LX_CLONE_VFORK)
        return -EINVAL;
    /* Namespaces, pidfd, ...; a thread's exit signal (low byte) is ignored. */
    if ((flags & ~(THREAD_FLAGS | 0xffull)) != 0)
        return -EINVAL;
    return uthread_clone(p, stack, (flags & LX_CLONE_SETTLS) != 0, tls,
                         (flags & LX_CLONE_PARENT_SETTID) ? ptid : 0, (flags & LX_CLONE_CHILD_SETTID) ? ctid : 0,
                         (flags & LX_CLONE_CHILD_CLEARTID) ? ctid : 0);
}

/* riscv64 clone: flags, stack, parent_tid, tls, child_tid. */
int64_t sys_clone(uproc *p, const uint64_t a[6])
{
    return do_clone(p, a[0], a[1], a[2], a[3], a[4]);
}

/* clone3(struct clone_args *, size): flags, pidfd, child_tid, parent_tid,
 * exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup. */
int64_t sys_clone3(uproc *p, const uint64_t a[6])
{
    uint8_t b[88] = {0};
    if (a[1] < 64)
        return -EINVAL;
    if (a[1] > 4096)
        return -E2BIG;
    int r = umem_read(p, a[0], b, a[1] < sizeof(b) ? (size_t)a[1] : sizeof(b));
    if (r < 0)
        return r;
    uint64_t flags = usys_get64(b, 0), stack = usys_get64(b, 40), size = usys_get64(b, 48);
    if (usys_get64(b, 72) != 0 || usys_get64(b, 80) != 0)
        return -EINVAL; /* set_tid, cgroup */
    if ((flags & LX_CLONE_THREAD) && usys_get64(b, 32) != 0)
        return -EINVAL; /* a thread has no exit signal */
    if ((stack == 0) != (size == 0))
        return -EINVAL;
    return do_clone(p, flags, stack ? stack + size : 0, usys_get64(b, 24), usys_get64(b, 56), usys_get64(b, 16));
}

int64_t sys_gettid(uproc *p, const uint64_t a[6])
{
    (void)a;
    return uthread_tid(p);
}

int64_t sys_set_tid_address(uproc *p, const uint64_t a[6])
{
    return uthread_set_clear_tid(p, a[0]);
}

/* exit of one thread; the last one ends the process as exit_group does. */
int64_t sys_exit(uproc *p, const uint64_t a[6])
{
    uthread_exit_thread(p); /* returns only for the last thread */
    return sys_exit_group(p, a);
}

int64_t sys_sched_yield(uproc *p, const uint64_t a[6])
{
    (void)a;
    uthread_yield(p);
    return 0;
}

/* ---- futex ---- */

enum {
    FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5,
    FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10,
};
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK 0x7f /* without FUTEX_PRIVATE_FLAG (128) and the clock flag */

static int read_u32(uproc *p, uint64_t va, uint32_t *v)
{
    uint8_t b[4];
    if (va & 3)
        return -EINVAL;
    int r = umem_read(p, va, b, 4);
    if (r < 0)
        return r;
    *v = usys_get32(b, 0);
    return 0;
}

/* Monotonic deadline for a futex timeout: relative, or absolute on the
 * monotonic or realtime clock. 0: no timeout. */
static int futex_deadline(uproc *p, uint64_t va, int absolute, int realtime, uint64_t *out)
{
    *out = 0;
    if (!va)
        return 0;
    int64_t sec, nsec;
    int r = usys_get_timespec(p, va, &sec, &nsec);
    if (r < 0)
        return r;
    if (sec < 0 || nsec < 0 || nsec > 999999999)
        return -EINVAL;
    uint64_t now = host_monotonic_ns();
    if (sec > 4000000000ll) /* far enough to mean never, without overflow */
        sec = 4000000000ll;
    uint64_t t = (uint64_t)sec * 1000000000u + (uint64_t)nsec;
    if (!absolute) {
        *out = now + t;
    } else {
        struct timespec ts;
        r = host_clock_gettime(p->host, realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC, &ts);
        if (r < 0)
            return r;
        uint64_t clk = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
        *out = t > clk ? now + (t - clk) : now;
    }
    if (*out == 0)
        *out = 1;
    return 0;
}

/* FUTEX_WAKE_OP: *uaddr2 = op(old, oparg); wake on uaddr; if cmp(old, cmparg)
 * also wake on uaddr2. */
static int64_t futex_wake_op(uproc *p, const uint64_t a[6])
{
    uint32_t enc = (uint32_t)a[5], old;
    int r = read_u32(p, a[4], &old);
    if (r < 0)
        return r;
    int op = (enc >> 28) & 7, cmp = (enc >> 24) & 15;
    int32_t oparg = (int32_t)(enc << 8) >> 20, cmparg = (int32_t)(enc << 20) >> 20;
    if (enc & (8u << 28)) /* FUTEX_OP_OPARG_SHIFT */
        oparg = (oparg < 0 || oparg > 31) ? 0 : (int32_t)(1u << oparg);
    uint32_t nv;
    switch (op) {
    case 0: nv = (uint32_t)oparg; break;
    case 1: nv = old + (uint32_t)oparg; break;
    case 2: nv = old | (uint32_t)oparg; break;
    case 3: nv = old & ~(uint32_t)oparg; break;
    case 4: nv = old ^ (uint32_t)oparg; break;
    default: return -ENOSYS;
    }
    int cond;
    switch (cmp) {
    case 0: cond = (int32_t)old == cmparg; break;
    case 1: cond = (int32_t)old != cmparg; break;
    case 2: cond = (int32_t)old < cmparg; break;
    case 3: cond = (int32_t)old <= cmparg; break;
    case 4: cond = (int32_t)old > cmparg; break;
    case 5: cond = (int32_t)old >= cmparg; break;
    default: return -ENOSYS;
    }
    uint8_t b[4];
    usys_put32(b, 0, nv);
    if ((r = umem_write(p, a[4], b, 4)) < 0)
        return r;
    int n = uthread_futex_wake(p, a[0], ~0u, (int)a[2]);
    if (cond)
        n += uthread_futex_wake(p, a[4], ~0u, (int)a[3]);
    return n;
}

int64_t sys_futex(uproc *p, const uint64_t a[6])
{
    int cmd = (int)(a[1] & FUTEX_CMD_MASK);
    int realtime = (a[1] & FUTEX_CLOCK_REALTIME) != 0;
    uint32_t cur;
    int r;
    switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
        uint32_t bitset = cmd == FUTEX_WAIT ? ~0u : (uint32_t)a[5];
        if (!bitset)
            return -EINVAL;
        uint64_t deadline;
        if ((r = futex_deadline(p, a[3], cmd == FUTEX_WAIT_BITSET, realtime, &deadline)) < 0)
            return r;
        if ((r = read_u32(p, a[0], &cur)) < 0)
            return r;
        if (cur != (uint32_t)a[2])
            return -EAGAIN;
        r = uthread_futex_wait(p, a[0], bitset, deadline);
        if (r == -EINVAL && !usys_state(p)->futex_warned++)
            uproc_log(p, "splitvm: futex wait with nothing that could wake it (deadlock); returning EINVAL");
        return r;
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET: {
        uint32_t bitset = cmd == FUTEX_WAKE ? ~0u : (uint32_t)a[5];
        if (!bitset)
            return -EINVAL;
        if (a[0] & 3)
            return -EINVAL;
        return uthread_futex_wake(p, a[0], bitset, (int)a[2] < 0 ? 1 : (int)a[2]);
    }
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
        if ((int)a[2] < 0 || (int)a[3] < 0)
            return -EINVAL;
        if ((a[0] & 3) || (a[4] & 3))
            return -EINVAL;
        if (cmd == FUTEX_CMP_REQUEUE) {
            if ((r = read_u32(p, a[0], &cur)) < 0)
                return r;
            if (cur != (uint32_t)a[5])
                return -EAGAIN;
        }
        return uthread_futex_requeue(p, a[0], a[4], (int)a[2], (int)a[3]);
    case FUTEX_WAKE_OP:
        return futex_wake_op(p, a);
    default:
        return -ENOSYS; /* PI futexes and FUTEX_WAIT_REQUEUE_PI: not used by our guests */
    }
}
