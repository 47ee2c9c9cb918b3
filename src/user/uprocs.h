/* Guest processes of one user-mode machine, all inside the one host process
 * (DESIGN.md rule 2: nothing is ever spawned).
 *
 * fork (and clone without CLONE_THREAD) makes a new uproc: its own address
 * space (a second host reservation, filled by copying the parent's pages),
 * fd table (host fds duplicated), signal state and thread list. Every
 * process's threads are coroutines on the host thread that calls svm_run
 * (uthread.c); this layer runs the processes round-robin, each for up to
 * UPROCS_SLICE instructions while it can run, and returns to the host when
 * none can (with the union of their wait hints) or the budget is spent.
 *
 * The machine has one rv_cpu. Switching it to another process swaps what is
 * per address space: the env's opaque pointer, the flat memory base and
 * fast-path limit of the JIT (both read from the cpu by translated code) and
 * the soft TLB, whose flush also drops the JIT's caches keyed by guest pc
 * (jump cache, inline caches). The translated code itself (interpreter
 * block cache, JIT code buffer) stays: blocks are keyed by the host address
 * of their code, and every process's memory is its own host reservation, so
 * each process finds only its own blocks and all of them stay warm across
 * switches (chains link blocks of one process only). What could alias is a
 * released reservation's addresses given to a new one: umem_fini flushes
 * the translated code when a process exits or execs. The cost of a fork is
 * the copy of its memory and new translations of the code it runs.
 *
 * The first process (the one svm_load_program loads) owns the table: its
 * exit ends the machine (SVM_STOP_EXITED with its status), and destroying it
 * destroys every other process. Another process's exit leaves a zombie for
 * its parent's wait4/waitid, raises SIGCHLD in the parent and wakes its
 * waits; orphans are reaped as soon as they end. */
#ifndef SPLITVM_USER_UPROCS_H
#define SPLITVM_USER_UPROCS_H

#include <stdint.h>

#include "uproc.h"

/* Instructions a process runs before the next runnable one gets the cpu. */
#define UPROCS_SLICE 4000000u
/* Most guest processes (zombies included): fork gives EAGAIN beyond. */
#define UPROCS_MAX 512

/* ---- for the machine (svm.c) and uproc.c ---- */
int uprocs_init(uproc *root);   /* the table, with root in it */
void uprocs_fini(uproc *root);  /* destroy every process but root */
/* Run the machine's processes, as uthread_run does one process's threads. */
rv_stop uprocs_run(uproc *root, uint64_t max_insns, int use_jit);
void uprocs_wait_hint(uproc *root, int64_t *timeout_ns, int *fd, int *events);
const char *uprocs_error(uproc *root);
/* A signal from the host (svm_signal), as a terminal sends it to its
 * foreground group: every live process in the first process's group gets
 * it. Returns usig_send_host's answer for the first process (1: its action
 * is the default stop, nothing sent), or -EINVAL. */
int uprocs_send_host(uproc *root, int sig);

/* ---- for system calls ---- */
/* A new pid / tid (one number space, as in Linux). */
int uprocs_new_id(uproc *p);
/* True if a process other than p is alive (it could signal p). */
int uprocs_others_alive(uproc *p);
/* fork / clone of a process: the child continues the calling thread after
 * the ecall with a0 = 0 (sp = stack if not 0, tp = tls if settls); ptid
 * and ctid: 0 or guest addresses that get the child's pid in the parent's
 * and the child's memory; clear_tid: the child's CLONE_CHILD_CLEARTID.
 * Returns the child's pid or -errno. */
int uprocs_fork(uproc *p, uint64_t stack, int settls, uint64_t tls, uint64_t ptid, uint64_t ctid,
                uint64_t clear_tid, int flags);
/* uprocs_fork's flags: the child runs in p's address space (CLONE_VM);
 * p's calling thread waits until the child calls execve or ends
 * (CLONE_VFORK). */
enum { UPROCS_SHARE_MEMORY = 1, UPROCS_VFORK = 2 };
/* p, a vfork child, calls execve (its new image is its own) or ends: its
 * parent goes on. */
void uprocs_vfork_done(uproc *p);
/* The process with this pid (zombies too), or NULL. */
uproc *uprocs_find(uproc *p, int pid);
/* kill(2) from p: pid > 0 one process, 0 p's group, -1 every process but
 * the first one and p, < -1 the group -pid. sig 0 checks only. A stop
 * signal with its default action stops the target (it is not scheduled,
 * its parent hears of it) until SIGCONT; a caller that stops itself waits
 * in here until then. */
int uprocs_kill(uproc *p, int pid, int sig);
/* Wait for a child of p that matches sel (wait4's pid: -1 any, > 0 that
 * one, 0 p's group, < -1 group -sel) to have a change that flags ask for:
 * exited (it stays a zombie: uprocs_reap it), stopped, continued. Returns
 * its pid with *wstatus (wait4's encoding) and *code (CLD_EXITED, _KILLED,
 * _STOPPED, _CONTINUED), 0 with UPROCS_WAIT_NOHANG when none has, -ECHILD
 * if none matches, -EINTR if a signal came first. A stop or continue is
 * reported once, unless UPROCS_WAIT_NOWAIT. */
enum {
    UPROCS_WAIT_EXITED = 1, UPROCS_WAIT_STOPPED = 2, UPROCS_WAIT_CONTINUED = 4, UPROCS_WAIT_NOHANG = 8,
    UPROCS_WAIT_NOWAIT = 16,
};
int uprocs_wait(uproc *p, int sel, int flags, int *wstatus, int *code);
void uprocs_reap(uproc *p, int pid);
/* Is p the first process (the one whose exit ends the machine)? */
int uprocs_is_root(const uproc *p);

#endif
