/* Guest threads as coroutines on the host thread: thread records, the
 * round-robin scheduler, the architectural-state swap on the shared rv_cpu,
 * and the waits of blocking system calls (fds, sleeps, futexes, the host).
 * See uthread.h for the model and why resuming inside an engine is safe. */
#include "uthread.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../host/coro.h"
#include "syscall.h"
#include "uprocs.h"

enum { UT_RUNNABLE, UT_BLOCKED, UT_EXITED };
/* What a blocked thread waits for. */
enum { UW_NONE, UW_FD, UW_SLEEP, UW_FUTEX, UW_HOST, UW_OTHER, UW_SIGNAL };
/* UW_FD with kickable set (and no fds: an event wait) also ends at
 * uthread_kick: a guest-side file (eventfd, signalfd...) changed. */
/* Why a thread's coroutine gave control back to the scheduler. */
enum { Y_NONE, Y_QUANTUM, Y_BLOCK, Y_EXITED, Y_STOP };

/* With several fds to wait on, the host is told about one and asked to come
 * back this soon to poll the others. */
#define MULTI_FD_RECHECK_NS 10000000ll

typedef struct uthread {
    uproc *proc;
    int tid;
    int state;
    host_coro *co;
    /* Architectural state, valid while the thread is not loaded in the cpu. */
    uint64_t x[32], f[32], pc;
    uint32_t fflags, frm;
    uint64_t clear_tid;   /* CLONE_CHILD_CLEARTID / set_tid_address */
    uint64_t quantum_end; /* instret at which its turn ends */
    /* The wait it is blocked in. */
    int wait;
    uint64_t deadline; /* host_monotonic_ns; 0 = none */
    struct pollfd *fds;
    size_t nfds;
    uint64_t futex_addr;
    uint32_t futex_bitset;
    uint64_t futex_seq; /* FIFO order among futex waiters */
    int kickable;         /* the wait also ends at uthread_kick */
    uint64_t sigwait_set; /* UW_SIGNAL: sigtimedwait's set (0: any deliverable signal) */
    int result;         /* why the wait ended: 0, -ETIMEDOUT, or -EINTR (a signal) */
    int charged;        /* its host stack counts against the guest memory limit */
    struct usig_thread sig; /* its signal mask and pending set while not loaded */
} uthread;

struct uthreads {
    uthread **t; /* live threads in creation order */
    int n, cap;
    int cur;          /* index of the thread that ran last */
    uthread *loaded;  /* whose state the cpu holds (NULL: nobody's) */
    uthread *running; /* whose coroutine runs now (NULL: the scheduler) */
    int use_jit;
    uint64_t budget_end; /* in instructions retired plus traps taken (progress) */
    uint64_t traps0;     /* cpu->traps when this svm_run began */
    uint64_t seq;
    int yield_kind;
    rv_stop stop; /* Y_STOP: what the engine reported */
    int64_t hint_ns;
    int hint_fd, hint_events;
    int hint_host, hint_other; /* some thread waits for the host / another process */
    char err[256];
};

/* ---- thread records ---- */

static void thread_main(void *arg);

static uthread *new_thread(uproc *p)
{
    uthread *t = host_alloc(p->host, sizeof(*t));
    if (!t)
        return NULL;
    t->proc = p;
    t->co = host_coro_create(p->host, thread_main, t, UTHREAD_STACK_SIZE);
    if (!t->co) {
        host_free(p->host, t);
        return NULL;
    }
    t->state = UT_RUNNABLE;
    return t;
}

static int add_thread(uproc *p, struct uthreads *ut, uthread *t)
{
    if (ut->n == ut->cap) {
        int cap = ut->cap ? ut->cap * 2 : 8;
        uthread **nt = host_realloc(p->host, ut->t, (size_t)cap * sizeof(*nt));
        if (!nt)
            return -ENOMEM;
        ut->t = nt;
        ut->cap = cap;
    }
    ut->t[ut->n++] = t;
    return 0;
}

/* The thread list, made on first use with the main thread, whose state is
 * the one already in the cpu. */
static struct uthreads *ut_get(uproc *p)
{
    if (p->threads)
        return p->threads;
    struct uthreads *ut = host_alloc(p->host, sizeof(*ut));
    uthread *main = ut ? new_thread(p) : NULL;
    if (!main || add_thread(p, ut, main) < 0) {
        if (main) {
            host_coro_destroy(p->host, main->co);
            host_free(p->host, main);
        }
        host_free(p->host, ut);
        return NULL;
    }
    int pid = usys_state(p) ? usys_state(p)->pid : 1;
    main->tid = pid;
    main->clear_tid = p->tid_address;
    ut->loaded = main;
    ut->hint_fd = -1;
    ut->hint_ns = -1;
    p->threads = ut;
    return ut;
}

static void save_state(rv_cpu *cpu, uthread *t)
{
    memcpy(t->x, cpu->x, sizeof(t->x));
    memcpy(t->f, cpu->f, sizeof(t->f));
    t->pc = cpu->pc;
    t->fflags = cpu->fflags;
    t->frm = cpu->frm;
}

/* Make t's state the cpu's. A switch breaks any LR/SC reservation, so a
 * store by another thread between a thread's LR and SC makes the SC fail. */
static void load_thread(uproc *p, struct uthreads *ut, uthread *t)
{
    if (ut->loaded == t)
        return;
    rv_cpu *cpu = p->cpu;
    if (ut->loaded) {
        save_state(cpu, ut->loaded);
        ut->loaded->sig = *usig_current(p);
    }
    *usig_current(p) = t->sig;
    memcpy(cpu->x, t->x, sizeof(t->x));
    cpu->x[0] = 0;
    memcpy(cpu->f, t->f, sizeof(t->f));
    cpu->pc = t->pc;
    cpu->fflags = t->fflags;
    cpu->frm = t->frm;
    cpu->resv_valid = false;
    ut->loaded = t;
}

/* Free an exited thread (its coroutine is suspended for good). */
static void reap(uproc *p, struct uthreads *ut, uthread *t)
{
    int idx = 0;
    while (idx < ut->n && ut->t[idx] != t)
        idx++;
    if (idx < ut->n) {
        memmove(&ut->t[idx], &ut->t[idx + 1], (size_t)(ut->n - idx - 1) * sizeof(*ut->t));
        ut->n--;
        if (idx <= ut->cur)
            ut->cur = ut->cur > 0 ? ut->cur - 1 : (ut->n > 0 ? ut->n - 1 : 0);
    }
    if (ut->loaded == t)
        ut->loaded = NULL;
    if (t->charged)
        umem_uncharge(p, UTHREAD_STACK_SIZE);
    host_coro_destroy(p->host, t->co);
    host_free(p->host, t);
}

/* ---- the coroutine of one guest thread ---- */

/* Guest progress in this run: instructions retired plus trap entries,
 * which retire nothing but must still use up the budget. */
static uint64_t progress(const struct uthreads *ut, const rv_cpu *cpu)
{
    return cpu->instret + (cpu->traps - ut->traps0);
}

static void thread_main(void *arg)
{
    uthread *t = arg;
    uproc *p = t->proc;
    rv_cpu *cpu = p->cpu;
    for (;;) {
        struct uthreads *ut = p->threads;
        /* Between slices the thread's state is whole: expired timers fire
         * and a signal sent meanwhile runs its handler here, so a guest that
         * never makes a system call still sees SIGALRM. */
        utimer_poll(p);
        if (usig_deliverable(p)) {
            usig_deliver_pending(p);
            if (p->exited) {
                ut->stop = RV_STOP_EXIT;
                ut->yield_kind = Y_STOP;
                host_coro_yield();
                continue;
            }
        }
        uint64_t done = progress(ut, cpu);
        if (cpu->instret >= t->quantum_end || done >= ut->budget_end) {
            ut->yield_kind = Y_QUANTUM;
            host_coro_yield();
            continue;
        }
        uint64_t slice = t->quantum_end - cpu->instret;
        if (slice > ut->budget_end - done)
            slice = ut->budget_end - done;
        rv_stop s = ut->use_jit ? rv_jit_run(cpu, slice) : rv_interp_run(cpu, slice);
        if (s == RV_STOP_NONE || s == RV_STOP_BUDGET)
            continue;
        if (s == RV_STOP_WAIT) {
            /* Back from a wait inside a system call: start a fresh slice. */
            cpu->wfi = false;
            continue;
        }
        ut->stop = s;
        ut->yield_kind = Y_STOP;
        host_coro_yield();
    }
}

/* The calling thread, when it runs inside its coroutine (so it can block). */
static uthread *blockable(uproc *p)
{
    struct uthreads *ut = p->threads;
    if (!ut || !ut->running || host_coro_current() != ut->running->co)
        return NULL;
    return ut->running;
}

/* Back inside an engine frame after a switch: make that frame return at its
 * next block boundary, so the thread's loop takes a fresh slice. */
static void after_switch(uproc *p)
{
    if (p->cpu->stop == RV_STOP_NONE)
        p->cpu->stop = RV_STOP_WAIT;
}

/* Suspend t (already described by its wait fields) until the scheduler
 * wakes it. Returns the wake result. */
static int block(uproc *p, uthread *t)
{
    struct uthreads *ut = p->threads;
    t->state = UT_BLOCKED;
    t->result = 0;
    ut->yield_kind = Y_BLOCK;
    host_coro_yield();
    after_switch(p);
    t->wait = UW_NONE;
    t->fds = NULL;
    t->nfds = 0;
    t->deadline = 0;
    t->kickable = 0;
    return t->result;
}

static void wake(uthread *t, int result)
{
    t->state = UT_RUNNABLE;
    t->result = result;
    t->quantum_end = 0; /* a fresh quantum when it runs */
}

/* ---- the scheduler ---- */

/* Wake the blocked threads whose wait is over (deadline passed, fd ready). */
static void refresh(uproc *p, struct uthreads *ut)
{
    uint64_t now = 0;
    utimer_poll(p); /* expired timers raise their signals (and wake waiters) */
    for (int i = 0; i < ut->n; i++) {
        uthread *t = ut->t[i];
        if (t->state != UT_BLOCKED)
            continue;
        if (t->wait == UW_FD && t->nfds && host_poll(p->host, t->fds, t->nfds, 0) != 0) {
            wake(t, 0);
            continue;
        }
        if (t->deadline) {
            if (!now)
                now = host_monotonic_ns();
            if (now >= t->deadline)
                wake(t, -ETIMEDOUT);
        }
    }
}

/* The thread to run next: the last one while its quantum lasts, else the
 * next runnable one after it in creation order. */
static uthread *pick(uproc *p, struct uthreads *ut)
{
    uint64_t now = p->cpu->instret;
    if (ut->cur < ut->n) {
        uthread *c = ut->t[ut->cur];
        if (c->state == UT_RUNNABLE && now < c->quantum_end)
            return c;
    }
    for (int k = 1; k <= ut->n; k++) {
        int i = (ut->cur + k) % ut->n;
        uthread *t = ut->t[i];
        if (t->state == UT_RUNNABLE) {
            ut->cur = i;
            t->quantum_end = now + UTHREAD_QUANTUM;
            return t;
        }
    }
    return NULL;
}

/* Nothing can run: tell the host what to wait for, or report a deadlock. */
static rv_stop nothing_runnable(uproc *p, struct uthreads *ut)
{
    uint64_t now = host_monotonic_ns();
    int64_t best = -1;
    int fd = -1, events = 0, nfd = 0, host_wait = 0, other = 0;
    uint64_t timer = utimer_next(p); /* an armed timer will raise a signal */
    if (timer)
        best = timer > now ? (int64_t)(timer - now) : 0;
    for (int i = 0; i < ut->n; i++) {
        const uthread *t = ut->t[i];
        if (t->state != UT_BLOCKED)
            continue;
        if (t->deadline) {
            int64_t d = t->deadline > now ? (int64_t)(t->deadline - now) : 0;
            if (best < 0 || d < best)
                best = d;
        }
        if (t->wait == UW_HOST || t->wait == UW_SIGNAL || (t->wait == UW_FD && (t->kickable || !t->nfds) && !t->deadline))
            host_wait = 1; /* only a signal ends it: the host may send one (svm_signal) */
        if (t->wait == UW_OTHER)
            other = 1;
        if (t->wait == UW_FD)
            for (size_t k = 0; k < t->nfds; k++) {
                if (t->fds[k].fd < 0)
                    continue;
                if (fd < 0) {
                    fd = t->fds[k].fd;
                    events = ((t->fds[k].events & POLLIN) ? 1 : 0) | ((t->fds[k].events & POLLOUT) ? 2 : 0);
                }
                if (t->fds[k].fd != fd)
                    nfd++;
            }
    }
    /* While other guest processes live, one of them may still signal
     * (a pause, a futex wait): the process layer decides on deadlock. */
    if (best < 0 && fd < 0 && !host_wait && uprocs_others_alive(p))
        other = 1;
    ut->hint_host = host_wait;
    ut->hint_other = other;
    if (best < 0 && fd < 0 && !host_wait && !other) {
        /* svm_run fails with this message (the CLI prints it). */
        snprintf(ut->err, sizeof(ut->err),
                 "guest deadlock: every guest thread (%d) waits on a futex or forever, and nothing can wake one",
                 ut->n);
        return RV_STOP_ERROR;
    }
    if (nfd && (best < 0 || best > MULTI_FD_RECHECK_NS))
        best = MULTI_FD_RECHECK_NS;
    ut->hint_ns = best;
    ut->hint_fd = fd;
    ut->hint_events = events;
    return RV_STOP_WAIT;
}

/* Before returning to the host, leave some thread's state in the cpu (for
 * svm_get_reg and friends). */
static rv_stop settle(uproc *p, struct uthreads *ut, rv_stop r)
{
    if (!ut->loaded && ut->n)
        load_thread(p, ut, ut->t[ut->cur < ut->n ? ut->cur : 0]);
    return r;
}

rv_stop uthread_run(uproc *p, uint64_t max_insns, int use_jit)
{
    struct uthreads *ut = ut_get(p);
    if (!ut)
        return RV_STOP_ERROR;
    if (ut->running) {
        snprintf(ut->err, sizeof(ut->err), "svm_run called from inside a guest system call");
        return RV_STOP_ERROR;
    }
    rv_cpu *cpu = p->cpu;
    ut->err[0] = 0;
    ut->use_jit = use_jit;
    ut->budget_end = max_insns && max_insns < UINT64_MAX - cpu->instret ? cpu->instret + max_insns : UINT64_MAX;
    ut->traps0 = cpu->traps;
    ut->hint_ns = -1;
    ut->hint_fd = -1;
    ut->hint_events = 0;
    for (;;) {
        if (progress(ut, cpu) >= ut->budget_end)
            return settle(p, ut, RV_STOP_BUDGET);
        if (atomic_load_explicit(&cpu->exit_request, memory_order_relaxed))
            return settle(p, ut, RV_STOP_INTERRUPT);
        refresh(p, ut);
        uthread *t = pick(p, ut);
        if (!t)
            return settle(p, ut, nothing_runnable(p, ut));
        load_thread(p, ut, t);
        ut->running = t;
        ut->yield_kind = Y_NONE;
        host_coro_resume(t->co);
        ut->running = NULL;
        switch (ut->yield_kind) {
        case Y_QUANTUM:
        case Y_BLOCK:
            break;
        case Y_EXITED:
            reap(p, ut, t);
            break;
        case Y_STOP:
            return settle(p, ut, ut->stop);
        default:
            snprintf(ut->err, sizeof(ut->err), "guest thread %d stopped unexpectedly", t->tid);
            return settle(p, ut, RV_STOP_ERROR);
        }
    }
}

void uthread_host_resumed(uproc *p)
{
    struct uthreads *ut = p->threads;
    /* The host runs us again: whoever waited for that retries, and so do
     * the kickable waits (the embedder's sockets may have changed). */
    for (int i = 0; ut && i < ut->n; i++)
        if (ut->t[i]->state == UT_BLOCKED && (ut->t[i]->wait == UW_HOST || ut->t[i]->kickable))
            wake(ut->t[i], 0);
}

rv_stop uthread_check(uproc *p)
{
    struct uthreads *ut = ut_get(p);
    if (!ut)
        return RV_STOP_ERROR;
    refresh(p, ut);
    for (int i = 0; i < ut->n; i++)
        if (ut->t[i]->state == UT_RUNNABLE)
            return RV_STOP_NONE;
    ut->hint_ns = -1;
    ut->hint_fd = -1;
    ut->hint_events = 0;
    return nothing_runnable(p, ut);
}

void uthread_wait_kinds(uproc *p, int *host, int *other)
{
    const struct uthreads *ut = p->threads;
    *host = ut ? ut->hint_host : 0;
    *other = ut ? ut->hint_other : 0;
}

void uthread_unload(uproc *p)
{
    struct uthreads *ut = p->threads;
    if (ut && ut->loaded) {
        save_state(p->cpu, ut->loaded);
        ut->loaded->sig = *usig_current(p);
        ut->loaded = NULL;
    }
}

int uthread_fork(uproc *child, uproc *parent, int tid, uint64_t stack, int settls, uint64_t tls,
                 uint64_t clear_tid)
{
    struct uthreads *ut = host_alloc(child->host, sizeof(*ut));
    uthread *t = ut ? new_thread(child) : NULL;
    if (!t || add_thread(child, ut, t) < 0) {
        if (t) {
            host_coro_destroy(child->host, t->co);
            host_free(child->host, t);
        }
        host_free(child->host, ut);
        return -ENOMEM;
    }
    rv_cpu *cpu = parent->cpu; /* holds the calling thread's state */
    save_state(cpu, t);
    t->pc = cpu->pc + 4; /* after the ecall */
    t->x[0] = 0;
    t->x[10] = 0;
    if (stack)
        t->x[2] = stack;
    if (settls)
        t->x[4] = tls;
    t->tid = tid;
    t->clear_tid = clear_tid;
    t->sig = *usig_current(child); /* usig_copy: the caller's mask and alternate stack */
    child->tid_address = clear_tid;
    ut->hint_fd = -1;
    ut->hint_ns = -1;
    child->threads = ut;
    return 0;
}

int uthread_wait_other(uproc *p)
{
    uthread *t = blockable(p);
    if (!t)
        return -EINTR;
    t->wait = UW_OTHER;
    return block(p, t);
}

void uthread_wake_other(uproc *p)
{
    struct uthreads *ut = p->threads;
    for (int i = 0; ut && i < ut->n; i++)
        if (ut->t[i]->state == UT_BLOCKED && ut->t[i]->wait == UW_OTHER)
            wake(ut->t[i], 0);
}

void uthread_wait_hint(uproc *p, int64_t *timeout_ns, int *fd, int *events)
{
    const struct uthreads *ut = p->threads;
    *timeout_ns = ut ? ut->hint_ns : -1;
    *fd = ut ? ut->hint_fd : -1;
    *events = ut ? ut->hint_events : 0;
}

const char *uthread_error(const uproc *p)
{
    return p->threads ? p->threads->err : "";
}

void uthread_fini(uproc *p)
{
    struct uthreads *ut = p->threads;
    if (!ut)
        return;
    for (int i = 0; i < ut->n; i++) {
        if (ut->t[i]->charged && p->mem) /* the memory may live on (vfork) */
            umem_uncharge(p, UTHREAD_STACK_SIZE);
        /* A running coroutine (destroy from inside a guest call) cannot be
         * freed here; host_destroy still releases its stack. */
        if (host_coro_destroy(p->host, ut->t[i]->co) == 0)
            host_free(p->host, ut->t[i]);
    }
    host_free(p->host, ut->t);
    host_free(p->host, ut);
    p->threads = NULL;
}

/* ---- identity ---- */

static uthread *self(uproc *p)
{
    struct uthreads *ut = p->threads;
    if (!ut)
        return NULL;
    return ut->running ? ut->running : ut->loaded;
}

int uthread_tid(uproc *p)
{
    uthread *t = self(p);
    if (t)
        return t->tid;
    struct usys *s = usys_state(p);
    return s ? s->pid : 1;
}

int uthread_count(uproc *p)
{
    return p->threads ? p->threads->n : 1;
}

int uthread_has_tid(uproc *p, int tid)
{
    struct uthreads *ut = p->threads;
    if (!ut)
        return tid == uthread_tid(p);
    for (int i = 0; i < ut->n; i++)
        if (ut->t[i]->tid == tid)
            return 1;
    return 0;
}

/* ---- waits ---- */

int uthread_wait_fd(uproc *p, int hostfd, int events)
{
    struct pollfd pf = {.fd = hostfd, .events = (short)events, .revents = 0};
    for (;;) {
        if (host_poll(p->host, &pf, 1, 0) != 0)
            return 0; /* ready, or an error the operation will report */
        int fl = host_fcntl(p->host, hostfd, F_GETFL, 0);
        if (fl < 0 || (fl & O_NONBLOCK))
            return 0;
        if ((events & POLLIN) && (fl & O_ACCMODE) == O_WRONLY)
            return 0;
        if ((events & POLLOUT) && (fl & O_ACCMODE) == O_RDONLY)
            return 0;
        uthread *t = blockable(p);
        if (!t)
            return 0; /* no scheduler: the operation blocks the host thread */
        if (usig_deliverable(p))
            return -EINTR;
        t->wait = UW_FD;
        t->fds = &pf;
        t->nfds = 1;
        if (block(p, t) == -EINTR)
            return -EINTR;
    }
}

int uthread_poll(uproc *p, struct pollfd *fds, size_t n, int timeout_ms)
{
    int r = host_poll(p->host, fds, n, 0);
    if (r != 0 || timeout_ms == 0)
        return r;
    uthread *t = blockable(p);
    if (!t)
        return host_poll(p->host, fds, n, timeout_ms);
    uint64_t deadline = timeout_ms < 0 ? 0 : host_monotonic_ns() + (uint64_t)timeout_ms * 1000000u;
    for (;;) {
        if (usig_deliverable(p))
            return -EINTR;
        t->wait = UW_FD;
        t->fds = fds;
        t->nfds = n;
        t->deadline = deadline;
        int w = block(p, t);
        r = host_poll(p->host, fds, n, 0);
        if (r != 0 || w == -ETIMEDOUT)
            return r;
        if (w == -EINTR)
            return -EINTR;
    }
}

int uthread_sleep_until(uproc *p, uint64_t deadline_ns)
{
    uint64_t now = host_monotonic_ns();
    if (now >= deadline_ns)
        return 0;
    uthread *t = blockable(p);
    if (!t) {
        uint64_t d = deadline_ns - now;
        struct timespec ts = {.tv_sec = (time_t)(d / 1000000000u), .tv_nsec = (long)(d % 1000000000u)};
        host_nanosleep(p->host, &ts);
        return 0;
    }
    if (usig_deliverable(p))
        return -EINTR;
    t->wait = UW_SLEEP;
    t->deadline = deadline_ns;
    return block(p, t) == -EINTR ? -EINTR : 0;
}

int uthread_poll_kickable(uproc *p, struct pollfd *fds, size_t n, uint64_t deadline_ns)
{
    uthread *t = blockable(p);
    if (!t) { /* no scheduler: nothing else can change a guest file; wait on the host fds */
        uint64_t now = host_monotonic_ns();
        if (!n && !deadline_ns)
            return -EAGAIN;
        int ms = !deadline_ns ? -1 : deadline_ns <= now ? 0 : (int)((deadline_ns - now + 999999u) / 1000000u);
        return host_poll(p->host, fds, n, ms) < 0 ? -EINTR : 0;
    }
    if (usig_deliverable(p))
        return -EINTR;
    t->wait = UW_FD;
    t->fds = fds;
    t->nfds = n;
    t->deadline = deadline_ns;
    t->kickable = 1;
    int w = block(p, t);
    return w == -EINTR ? -EINTR : 0;
}

void uthread_kick(uproc *p)
{
    struct uthreads *ut = p->threads;
    for (int i = 0; ut && i < ut->n; i++)
        if (ut->t[i]->state == UT_BLOCKED && ut->t[i]->kickable)
            wake(ut->t[i], 0);
}

int uthread_wait_signal(uproc *p, uint64_t set, uint64_t deadline_ns)
{
    uthread *t = blockable(p);
    if (!t) {
        if (!deadline_ns)
            return -EDEADLK;
        uthread_sleep_until(p, deadline_ns);
        return -ETIMEDOUT;
    }
    t->wait = UW_SIGNAL;
    t->sigwait_set = set;
    t->deadline = deadline_ns;
    return block(p, t);
}

static struct usig_thread *thread_sig(uproc *p, uthread *t)
{
    return t == p->threads->loaded ? usig_current(p) : &t->sig;
}

void uthread_signal_wake(uproc *p)
{
    struct uthreads *ut = p->threads;
    if (!ut)
        return;
    uthread_kick(p); /* a signalfd may have become readable */
    uthread *me = blockable(p);
    /* A running thread that does not block the signal takes it when its
     * system call returns: nobody else is disturbed. */
    int taken = me && usig_deliverable(p);
    for (int i = 0; i < ut->n; i++) {
        uthread *t = ut->t[i];
        if (t->state != UT_BLOCKED || t->wait == UW_HOST)
            continue;
        struct usig_thread *th = thread_sig(p, t);
        uint64_t pend = usig_pending_for(p, th);
        if (t->wait == UW_SIGNAL && (pend & t->sigwait_set)) {
            wake(t, 0);
            continue;
        }
        if ((th->pending & ~th->blocked) || (!taken && (pend & ~th->blocked))) {
            wake(t, -EINTR);
            if (!(th->pending & ~th->blocked))
                taken = 1; /* one thread takes a process-directed signal */
        }
    }
}

int uthread_pend_thread(uproc *p, int tid, int sig)
{
    struct uthreads *ut = p->threads;
    for (int i = 0; ut && i < ut->n; i++)
        if (ut->t[i]->tid == tid) {
            thread_sig(p, ut->t[i])->pending |= 1ull << (sig - 1);
            return 1;
        }
    return 0;
}

int uthread_wants_signal(uproc *p, int sig)
{
    struct uthreads *ut = p->threads;
    for (int i = 0; ut && i < ut->n; i++)
        if (ut->t[i]->state == UT_BLOCKED && ut->t[i]->wait == UW_SIGNAL &&
            (ut->t[i]->sigwait_set & (1ull << (sig - 1))))
            return 1;
    return 0;
}

int uthread_wait_host(uproc *p)
{
    uthread *t = blockable(p);
    if (!t)
        return 0;
    t->wait = UW_HOST;
    block(p, t);
    return 0;
}

void uthread_yield(uproc *p)
{
    uthread *t = blockable(p);
    if (!t)
        return;
    struct uthreads *ut = p->threads;
    int others = 0;
    for (int i = 0; i < ut->n; i++)
        others += ut->t[i] != t && ut->t[i]->state == UT_RUNNABLE;
    if (!others)
        return;
    t->quantum_end = 0;
    ut->yield_kind = Y_QUANTUM;
    host_coro_yield();
    after_switch(p);
}

/* ---- futexes ---- */

int uthread_futex_wait(uproc *p, uint64_t addr, uint32_t bitset, uint64_t deadline_ns)
{
    uthread *t = blockable(p);
    if (!t) {
        /* No scheduler (nobody else can run): only a timeout ends it. */
        if (!deadline_ns)
            return -EINVAL;
        uthread_sleep_until(p, deadline_ns);
        return -ETIMEDOUT;
    }
    if (usig_deliverable(p))
        return -EINTR;
    t->wait = UW_FUTEX;
    t->futex_addr = addr;
    t->futex_bitset = bitset;
    t->futex_seq = ++p->threads->seq;
    t->deadline = deadline_ns;
    return block(p, t);
}

/* The longest-waiting thread blocked on addr with a bitset meeting bitset. */
static uthread *first_waiter(struct uthreads *ut, uint64_t addr, uint32_t bitset)
{
    uthread *best = NULL;
    for (int i = 0; i < ut->n; i++) {
        uthread *t = ut->t[i];
        if (t->state == UT_BLOCKED && t->wait == UW_FUTEX && t->futex_addr == addr && (t->futex_bitset & bitset) &&
            (!best || t->futex_seq < best->futex_seq))
            best = t;
    }
    return best;
}

int uthread_futex_wake(uproc *p, uint64_t addr, uint32_t bitset, int n)
{
    struct uthreads *ut = p->threads;
    int woken = 0;
    if (!ut)
        return 0;
    while (woken < n) {
        uthread *t = first_waiter(ut, addr, bitset);
        if (!t)
            break;
        t->wait = UW_NONE;
        wake(t, 0);
        woken++;
    }
    return woken;
}

int uthread_futex_requeue(uproc *p, uint64_t addr, uint64_t addr2, int nwake, int nmove)
{
    struct uthreads *ut = p->threads;
    if (!ut)
        return 0;
    int done = uthread_futex_wake(p, addr, ~0u, nwake);
    if (addr == addr2)
        return done;
    for (int moved = 0; moved < nmove; moved++) {
        uthread *t = first_waiter(ut, addr, ~0u);
        if (!t)
            break;
        t->futex_addr = addr2;
        t->futex_seq = ++ut->seq; /* to the back of addr2's queue */
        done++;
    }
    return done;
}

/* ---- clone, set_tid_address, exit ---- */

void uthread_put_tid(uproc *p, uint64_t va, int tid)
{
    uint8_t b[4];
    usys_put32(b, 0, (uint32_t)tid);
    umem_write(p, va, b, 4); /* as the kernel does, a bad address is not an error */
}

int uthread_clone(uproc *p, uint64_t stack, int settls, uint64_t tls, uint64_t ptid, uint64_t ctid,
                  uint64_t clear_tid)
{
    struct uthreads *ut = ut_get(p);
    if (!ut)
        return -ENOMEM;
    if (ut->n >= UTHREAD_MAX)
        return -EAGAIN;
    /* The thread's host stack is memory the guest makes the host commit. */
    if (umem_charge(p, UTHREAD_STACK_SIZE))
        return -ENOMEM;
    uthread *c = new_thread(p);
    if (!c || add_thread(p, ut, c) < 0) {
        if (c) {
            host_coro_destroy(p->host, c->co);
            host_free(p->host, c);
        }
        umem_uncharge(p, UTHREAD_STACK_SIZE);
        return -ENOMEM;
    }
    c->charged = 1;
    rv_cpu *cpu = p->cpu; /* holds the caller's state */
    save_state(cpu, c);
    c->pc = cpu->pc + 4; /* after the ecall */
    c->x[0] = 0;
    c->x[10] = 0;
    if (stack)
        c->x[2] = stack;
    if (settls)
        c->x[4] = tls;
    c->tid = uprocs_new_id(p);
    c->clear_tid = clear_tid;
    /* The new thread inherits the mask, nothing pending, no alternate stack. */
    c->sig = *usig_current(p);
    c->sig.pending = 0;
    c->sig.saved_mask_valid = 0;
    c->sig.ss_sp = c->sig.ss_size = 0;
    c->sig.ss_flags = 2; /* SS_DISABLE */
    if (ptid)
        uthread_put_tid(p, ptid, c->tid);
    if (ctid)
        uthread_put_tid(p, ctid, c->tid);
    return c->tid;
}

int uthread_exec_alone(uproc *p)
{
    uthread *self_t = blockable(p);
    struct uthreads *ut = p->threads;
    if (!ut || ut->n <= 1)
        return 0;
    if (!self_t)
        return -EAGAIN;
    /* The others are suspended in their coroutines: end them there, as
     * execve does (no clear_tid wake: the memory is about to go). */
    for (int i = ut->n - 1; i >= 0; i--)
        if (ut->t[i] != self_t)
            reap(p, ut, ut->t[i]);
    self_t->tid = usys_state(p)->pid; /* the exec'ing thread takes the pid */
    ut->cur = 0;
    return 0;
}

int uthread_set_clear_tid(uproc *p, uint64_t addr)
{
    p->tid_address = addr;
    struct uthreads *ut = ut_get(p);
    uthread *t = ut ? self(p) : NULL;
    if (t)
        t->clear_tid = addr;
    return uthread_tid(p);
}

int uthread_exit_thread(uproc *p)
{
    uthread *t = blockable(p);
    struct uthreads *ut = p->threads;
    if (!t || ut->n <= 1)
        return 0;
    if (t->clear_tid) {
        uint8_t z[4] = {0};
        if (umem_write(p, t->clear_tid, z, 4) == 0)
            uthread_futex_wake(p, t->clear_tid, ~0u, 1);
    }
    t->state = UT_EXITED;
    ut->loaded = NULL; /* its registers are not needed any more */
    ut->yield_kind = Y_EXITED;
    host_coro_yield(); /* the scheduler frees this coroutine: no return */
    return 0;
}
