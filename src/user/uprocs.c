/* Guest processes of one user-mode machine: the process table, the
 * round-robin over processes, fork, exit and wait, process groups for kill.
 * See uprocs.h for the model. */
#include "uprocs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "syscall.h"
#include "uthread.h"

#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_STOPPED 5
#define CLD_CONTINUED 6
/* With several processes waiting on different fds, the host is asked to
 * come back this soon to poll the others. */
#define MULTI_FD_RECHECK_NS 10000000ll

struct uprocs {
    uproc *root;
    uproc **v; /* every process, zombies included, in creation order */
    int n, cap;
    int cur;       /* index of the process whose turn it is */
    uproc *loaded; /* whose address space the cpu has (NULL: none) */
    int next_id;
    int64_t hint_ns;
    int hint_fd, hint_events;
    char err[256];
};

int uprocs_init(uproc *root)
{
    struct uprocs *ps = host_alloc(root->host, sizeof(*ps));
    if (!ps)
        return -ENOMEM;
    ps->v = host_alloc(root->host, 8 * sizeof(*ps->v));
    if (!ps->v) {
        host_free(root->host, ps);
        return -ENOMEM;
    }
    ps->cap = 8;
    ps->v[ps->n++] = root;
    ps->root = ps->loaded = root;
    host_ids ids;
    host_get_ids(root->host, &ids); /* the pid usys_state gives the first process */
    root->pid = root->pgid = root->sid = ids.pid;
    ps->next_id = ids.pid + 1;
    ps->hint_ns = -1;
    ps->hint_fd = -1;
    root->procs = ps;
    return 0;
}

static void remove_entry(struct uprocs *ps, uproc *q)
{
    int i = 0;
    while (i < ps->n && ps->v[i] != q)
        i++;
    if (i == ps->n)
        return;
    memmove(&ps->v[i], &ps->v[i + 1], (size_t)(ps->n - i - 1) * sizeof(*ps->v));
    ps->n--;
    if (i < ps->cur)
        ps->cur--;
    if (ps->loaded == q)
        ps->loaded = NULL;
    if (!q->zombie)
        uproc_release(q);
    host_free(q->host, q);
}

void uprocs_fini(uproc *root)
{
    struct uprocs *ps = root->procs;
    if (!ps || ps->root != root)
        return;
    while (ps->n > 1)
        remove_entry(ps, ps->v[ps->v[0] == root ? 1 : 0]);
    host_free(root->host, ps->v);
    host_free(root->host, ps);
    root->procs = NULL;
}

int uprocs_is_root(const uproc *p)
{
    return !p->procs || p->procs->root == p;
}

int uprocs_new_id(uproc *p)
{
    return p->procs ? p->procs->next_id++ : p->pid + 1;
}

int uprocs_others_alive(uproc *p)
{
    struct uprocs *ps = p->procs;
    for (int i = 0; ps && i < ps->n; i++)
        if (ps->v[i] != p && !ps->v[i]->zombie)
            return 1;
    return 0;
}

uproc *uprocs_find(uproc *p, int pid)
{
    struct uprocs *ps = p->procs;
    for (int i = 0; ps && i < ps->n; i++)
        if (ps->v[i]->pid == pid)
            return ps->v[i];
    return NULL;
}

/* ---- fork and exit ---- */

int uprocs_fork(uproc *p, uint64_t stack, int settls, uint64_t tls, uint64_t ptid, uint64_t ctid,
                uint64_t clear_tid, int flags)
{
    struct uprocs *ps = p->procs;
    if (!ps || ps->n >= UPROCS_MAX)
        return -EAGAIN;
    if (ps->n == ps->cap) {
        uproc **v = host_realloc(p->host, ps->v, (size_t)ps->cap * 2 * sizeof(*v));
        if (!v)
            return -ENOMEM;
        ps->v = v;
        ps->cap *= 2;
    }
    int share = (flags & UPROCS_SHARE_MEMORY) != 0;
    uproc *c = uproc_fork_copy(p, share);
    if (!c)
        return -ENOMEM;
    int pid = uprocs_new_id(p);
    c->procs = ps;
    c->parent = p;
    c->pid = pid;
    c->sys->pid = pid;
    c->sys->ppid = p->pid;
    /* The copied charge counts the host stacks of p's other threads, which
     * the child does not have (uthread_clone charges one per thread). */
    if (!share)
        umem_uncharge(c, (uint64_t)(uthread_count(p) - 1) * UTHREAD_STACK_SIZE);
    if (uthread_fork(c, p, pid, stack, settls, tls, clear_tid) < 0) {
        uproc_release(c);
        host_free(p->host, c);
        return -ENOMEM;
    }
    if (ctid)
        uthread_put_tid(c, ctid, pid);
    if (ptid)
        uthread_put_tid(p, ptid, pid);
    ps->v[ps->n++] = c;
    if (flags & UPROCS_VFORK) {
        /* As Linux: the calling thread waits (only a fatal signal ends the
         * wait early); the child runs in the same memory until then. */
        c->vfork_parent = p;
        uproc *q;
        while ((q = uprocs_find(p, pid)) && q->vfork_parent == p && !q->zombie && !p->exited)
            if (uthread_wait_other(p) < 0 && (usig_take_fatal(p) || !usig_deliverable(p)))
                break; /* killed, or no scheduler to wait in */
    }
    return pid;
}

void uprocs_vfork_done(uproc *p)
{
    uproc *parent = p->vfork_parent;
    if (!parent)
        return;
    p->vfork_parent = NULL;
    uthread_wake_other(parent);
}

/* p (not the first process) has ended: keep its record as a zombie for its
 * parent, free the rest, tell the parent. */
static void proc_exited(struct uprocs *ps, uproc *p)
{
    uprocs_vfork_done(p);
    for (int i = 0; i < ps->n; i++)
        if (ps->v[i]->vfork_parent == p) /* it was killed while it waited */
            ps->v[i]->vfork_parent = NULL;
    int sig = p->term_signal;
    p->wstatus = sig ? (sig & 0x7f) : ((p->exit_status & 0xff) << 8);
    if (ps->loaded == p)
        ps->loaded = NULL;
    uproc_release(p);
    p->zombie = 1;
    for (int i = 0; i < ps->n; i++) {
        uproc *q = ps->v[i];
        if (q->parent != p)
            continue;
        q->parent = NULL; /* orphans: nobody waits for them */
        if (q->zombie) {
            remove_entry(ps, q);
            i--;
        } else if (q->sys) {
            q->sys->ppid = 1;
        }
    }
    uproc *parent = p->parent;
    if (parent)
        usig_send(parent, LX_SIGCHLD, sig ? CLD_KILLED : CLD_EXITED, p->pid);
    if (parent)
        uthread_wake_other(parent); /* its wait4, even with SIGCHLD ignored */
    /* Nobody to wait for it, or a parent that ignores SIGCHLD (or set
     * SA_NOCLDWAIT): no zombie; a wait4 then ends with ECHILD. */
    if (!parent || usig_no_zombies(parent))
        remove_entry(ps, p);
}

void uprocs_reap(uproc *p, int pid)
{
    uproc *q = uprocs_find(p, pid);
    if (q && q->zombie && q->parent == p)
        remove_entry(p->procs, q);
}

static int matches(const uproc *p, const uproc *q, int sel)
{
    if (q->parent != p)
        return 0;
    if (sel > 0)
        return q->pid == sel;
    if (sel == 0)
        return q->pgid == p->pgid;
    if (sel < -1)
        return q->pgid == -sel;
    return 1;
}

int uprocs_wait(uproc *p, int sel, int flags, int *wstatus, int *code)
{
    struct uprocs *ps = p->procs;
    for (;;) {
        int any = 0;
        for (int i = 0; ps && i < ps->n; i++) {
            uproc *q = ps->v[i];
            if (!matches(p, q, sel))
                continue;
            any = 1;
            if (q->zombie && (flags & UPROCS_WAIT_EXITED)) {
                *wstatus = q->wstatus;
                *code = (q->wstatus & 0x7f) ? CLD_KILLED : CLD_EXITED;
                return q->pid;
            }
            int stop = q->report > 0 && (flags & UPROCS_WAIT_STOPPED);
            if (!q->zombie && (stop || (q->report < 0 && (flags & UPROCS_WAIT_CONTINUED)))) {
                *wstatus = stop ? (q->report << 8) | 0x7f : 0xffff;
                *code = stop ? CLD_STOPPED : CLD_CONTINUED;
                if (!(flags & UPROCS_WAIT_NOWAIT))
                    q->report = 0;
                return q->pid;
            }
        }
        if (!any)
            return -ECHILD;
        if (flags & UPROCS_WAIT_NOHANG)
            return 0;
        if (usig_deliverable(p))
            return -EINTR;
        if (uthread_wait_other(p) < 0)
            return -EINTR; /* a signal, or no scheduler to wait in */
    }
}

/* A stop or a continue of q: its parent may wait for it and hears SIGCHLD
 * (unless it asked not to with SA_NOCLDSTOP). */
static void report_to_parent(uproc *q, int report, int code)
{
    q->report = report;
    uproc *parent = q->parent;
    if (!parent)
        return;
    if (!usig_no_stop_reports(parent))
        usig_send(parent, LX_SIGCHLD, code, q->pid);
    uthread_wake_other(parent);
}

int uprocs_kill(uproc *p, int pid, int sig)
{
    struct uprocs *ps = p->procs;
    int found = 0, self_stopped = 0;
    for (int i = 0; ps && i < ps->n; i++) {
        uproc *q = ps->v[i];
        int hit = pid > 0 ? q->pid == pid
                  : pid == 0 ? q->pgid == p->pgid
                  : pid == -1 ? (q != p && q != ps->root)
                              : q->pgid == -pid;
        if (!hit)
            continue;
        found = 1;
        if (sig == 0 || q->zombie)
            continue;
        if (sig == LX_SIGCONT && q->stopped) {
            q->stopped = 0;
            report_to_parent(q, -1, CLD_CONTINUED);
            uthread_wake_other(q); /* a process that stopped itself goes on */
        }
        if (usig_stops(q, sig)) {
            if (!q->stopped) {
                q->stopped = 1;
                report_to_parent(q, sig, CLD_STOPPED);
            }
            self_stopped |= q == p;
            continue; /* a stop is not a pending signal */
        }
        if (q == p)
            usig_raise(p, sig, LX_SI_USER);
        else
            usig_send(q, sig, LX_SI_USER, p->pid);
    }
    /* Stopped itself: this thread waits here until a SIGCONT (or SIGKILL). */
    while (self_stopped && p->stopped && !p->exited)
        if (uthread_wait_other(p) < 0 && (usig_take_fatal(p) == LX_SIGKILL || !uprocs_others_alive(p)))
            break;
    return found ? 0 : -ESRCH;
}

/* ---- running ---- */

static void activate(struct uprocs *ps, uproc *p)
{
    if (ps->loaded == p)
        return;
    uproc_activate(p, ps->loaded);
    ps->loaded = p;
}

static rv_stop failed(struct uprocs *ps, uproc *p)
{
    snprintf(ps->err, sizeof(ps->err), "%s", uthread_error(p));
    return RV_STOP_ERROR;
}

/* No process can run now: the host waits for the union of their waits. */
static rv_stop all_waiting(struct uprocs *ps)
{
    int64_t best = -1;
    int fd = -1, events = 0, nfd = 0, host = 0;
    for (int i = 0; i < ps->n; i++) {
        uproc *q = ps->v[i];
        if (q->zombie || q->stopped) /* a stopped one waits for a SIGCONT from another */
            continue;
        int64_t ns;
        int f, ev, h, o;
        uthread_wait_hint(q, &ns, &f, &ev);
        uthread_wait_kinds(q, &h, &o);
        if (ns >= 0 && (best < 0 || ns < best))
            best = ns;
        if (f >= 0 && fd < 0) {
            fd = f;
            events = ev;
        } else if (f >= 0 && f != fd) {
            nfd++;
        }
        host |= h;
    }
    if (best < 0 && fd < 0 && !host) {
        snprintf(ps->err, sizeof(ps->err),
                 "guest deadlock: every guest process waits for another one, a futex or forever, and nothing "
                 "can wake one");
        return RV_STOP_ERROR;
    }
    if (nfd && (best < 0 || best > MULTI_FD_RECHECK_NS))
        best = MULTI_FD_RECHECK_NS;
    ps->hint_ns = best;
    ps->hint_fd = fd;
    ps->hint_events = events;
    return RV_STOP_WAIT;
}

/* A signal that ends p is pending while p runs no system call (a busy
 * loop): end it before it runs again. Returns 1 if it ended. */
static int end_if_killed(uproc *p)
{
    int sig = usig_take_fatal(p);
    if (!sig || (p->stopped && sig != LX_SIGKILL)) /* a stopped one waits for SIGCONT */
        return 0;
    p->exited = 1;
    p->term_signal = sig;
    p->exit_status = 128 + sig;
    p->cpu->exit_code = 128 + sig;
    return 1;
}

rv_stop uprocs_run(uproc *root, uint64_t max_insns, int use_jit)
{
    struct uprocs *ps = root->procs;
    rv_cpu *cpu = root->cpu;
    ps->err[0] = 0;
    ps->hint_ns = -1;
    ps->hint_fd = -1;
    ps->hint_events = 0;
    for (int i = 0; i < ps->n; i++)
        if (!ps->v[i]->zombie)
            uthread_host_resumed(ps->v[i]);
    uint64_t start = cpu->instret + cpu->traps;
    if (ps->n == 1) { /* one process: its threads are all there is */
        activate(ps, root);
        rv_stop s = uthread_run(root, max_insns, use_jit);
        if (s == RV_STOP_ERROR)
            return failed(ps, root);
        if (s != RV_STOP_WAIT || ps->n == 1) {
            if (s == RV_STOP_WAIT)
                uthread_wait_hint(root, &ps->hint_ns, &ps->hint_fd, &ps->hint_events);
            return s;
        }
        /* It forked and then waited: the child runs next. */
        ps->cur++;
    }
    int skipped = 0; /* processes in a row that could not run */
    for (;;) {
        uint64_t done = cpu->instret + cpu->traps - start;
        if (max_insns && done >= max_insns)
            return RV_STOP_BUDGET;
        if (atomic_load_explicit(&cpu->exit_request, memory_order_relaxed))
            return RV_STOP_INTERRUPT;
        if (ps->cur >= ps->n)
            ps->cur = 0;
        uproc *p = ps->v[ps->cur];
        if (!p->zombie && end_if_killed(p)) {
            if (p == root)
                return RV_STOP_EXIT;
            proc_exited(ps, p);
            skipped = 0;
            continue;
        }
        rv_stop c = p->zombie || p->stopped ? RV_STOP_WAIT : uthread_check(p);
        if (c == RV_STOP_ERROR)
            return failed(ps, p);
        if (c != RV_STOP_NONE) {
            ps->cur++;
            if (++skipped >= ps->n)
                return all_waiting(ps);
            continue;
        }
        skipped = 0;
        activate(ps, p);
        uint64_t slice = UPROCS_SLICE;
        if (max_insns && max_insns - done < slice)
            slice = max_insns - done;
        rv_stop s = uthread_run(p, slice, use_jit);
        switch (s) {
        case RV_STOP_NONE:
        case RV_STOP_BUDGET:
        case RV_STOP_WAIT:
            ps->cur++;
            continue;
        case RV_STOP_EXIT:
            if (p == root)
                return RV_STOP_EXIT;
            proc_exited(ps, p);
            continue;
        case RV_STOP_ERROR:
            return failed(ps, p);
        default:
            return s; /* a fault, breakpoint or interrupt for the embedder */
        }
    }
}

int uprocs_send_host(uproc *root, int sig)
{
    int r = usig_send_host(root, sig);
    struct uprocs *ps = root->procs;
    if (r != 0 || !ps)
        return r;
    for (int i = 0; i < ps->n; i++) {
        uproc *q = ps->v[i];
        if (q != root && !q->zombie && !q->exited && q->pgid == root->pgid)
            usig_send_host(q, sig); /* a child's default stop: splitvm stops as a whole */
    }
    return 0;
}

void uprocs_wait_hint(uproc *root, int64_t *timeout_ns, int *fd, int *events)
{
    const struct uprocs *ps = root->procs;
    *timeout_ns = ps ? ps->hint_ns : -1;
    *fd = ps ? ps->hint_fd : -1;
    *events = ps ? ps->hint_events : 0;
}

const char *uprocs_error(uproc *root)
{
    return root->procs ? root->procs->err : "";
}
