/* Guest threads of a user-mode process, and the waits of system calls that
 * would block.
 *
 * Every guest thread (the main one included) runs as one of the project's
 * own coroutines (host_coro) on the host thread that calls svm_run, so the
 * host's loop stays responsive and nothing here needs host threads or locks.
 * All guest threads share the process's one rv_cpu (and with it the soft
 * TLB, the interpreter's block cache and the JIT's code buffer): the
 * scheduler swaps the architectural state (x, f, pc, fcsr) in and out when
 * it switches threads, and breaks the LR/SC reservation on every switch.
 *
 * Scheduling is deterministic: round-robin in creation order, each thread
 * running for a quantum of UTHREAD_QUANTUM instructions (counted in retired
 * instructions, so the same program gets the same interleaving whatever
 * budgets the host passes to svm_run). Only readiness of host fds and the
 * clock can change the order.
 *
 * A system call that would block suspends the calling thread's coroutine
 * (the engine's frames stay on that coroutine's stack); other threads run.
 * When none can, uthread_run returns RV_STOP_WAIT and uthread_wait_hint says
 * what the host may sleep on. The next uthread_run re-checks readiness
 * (poll with no timeout, the clock) and resumes the threads that can go on.
 * Why resuming inside an engine frame is safe: a system call is always
 * reached through a trap, after which both engines re-read pc, instret and
 * the block from the cpu and never touch the block they trapped from. On
 * resumption cpu->stop is set (to RV_STOP_WAIT, if nothing else is set) so
 * that the suspended engine frame returns at its next block boundary and the
 * thread's loop starts a fresh slice with the current budget. */
#ifndef SPLITVM_USER_UTHREAD_H
#define SPLITVM_USER_UTHREAD_H

#include <stddef.h>
#include <stdint.h>

#include "uproc.h"

/* Instructions a thread runs before the next runnable thread gets its turn. */
#ifndef UTHREAD_QUANTUM
#define UTHREAD_QUANTUM 200000
#endif
/* Host stack of each guest thread's coroutine (engine + system-call frames). */
#define UTHREAD_STACK_SIZE ((size_t)512 << 10)
/* Most guest threads alive at once (clone gives EAGAIN beyond). */
#define UTHREAD_MAX 4096

struct pollfd;

/* ---- the scheduler (svm.c) ---- */

/* Run the process's threads until max_insns more instructions have retired
 * in total (0: no limit) or something stops them. use_jit picks the engine.
 * Returns RV_STOP_BUDGET, RV_STOP_WAIT (no thread can run now), RV_STOP_EXIT
 * (the process ended), RV_STOP_FAULT / RV_STOP_BREAK (from the engine), or
 * RV_STOP_ERROR (a deadlock or an emulator error: see uthread_error). */
rv_stop uthread_run(uproc *p, uint64_t max_insns, int use_jit);

/* After RV_STOP_WAIT: what to sleep on before running again. *timeout_ns:
 * nanoseconds until the earliest deadline (-1: none); *fd: a host fd some
 * thread waits on (-1: none), *events 1 = readable, 2 = writable. With
 * several fds only one is named and the timeout is capped at a few ms.
 * Neither: the machine waits for the host's own input (an embedder
 * callback answered EAGAIN); run it again once there is some. */
void uthread_wait_hint(uproc *p, int64_t *timeout_ns, int *fd, int *events);

/* The reason for the last RV_STOP_ERROR ("" if none). */
const char *uthread_error(const uproc *p);

/* Free every thread and coroutine (suspended ones included). Called by
 * uproc_destroy; safe when no thread was ever run. */
void uthread_fini(uproc *p);

/* ---- for the process layer (uprocs.c) ---- */

/* The host runs the machine again: threads waiting for that retry. */
void uthread_host_resumed(uproc *p);
/* Without running anything: RV_STOP_NONE if a thread of p can run now,
 * else RV_STOP_WAIT (hints set, as after uthread_run) or RV_STOP_ERROR (a
 * deadlock inside p). */
rv_stop uthread_check(uproc *p);
/* After RV_STOP_WAIT: does a thread wait for the host's input (*host) or
 * for another guest process (*other: a child, a signal)? */
void uthread_wait_kinds(uproc *p, int *host, int *other);
/* Another process takes the cpu: save the loaded thread's registers. */
void uthread_unload(uproc *p);
/* fork: child's one thread continues the calling thread of parent (its
 * registers in the cpu) after the ecall with a0 = 0; sp = stack if not 0,
 * tp = tls if settls; clear_tid as CLONE_CHILD_CLEARTID. Returns 0 or
 * -ENOMEM. */
int uthread_fork(uproc *child, uproc *parent, int tid, uint64_t stack, int settls, uint64_t tls,
                 uint64_t clear_tid);
/* Wait until another process wakes p (uthread_wake_other: a child changed
 * state, a signal came). Returns 0, or -EINTR (a signal that acts, or no
 * scheduler to wait in). */
int uthread_wait_other(uproc *p);
void uthread_wake_other(uproc *p);

/* ---- for system calls ---- */

/* Thread id of the calling guest thread (the main thread's is the pid). */
int uthread_tid(uproc *p);
/* Live guest threads (1 before any clone). */
int uthread_count(uproc *p);
/* True if tid names a live guest thread of this process. */
int uthread_has_tid(uproc *p, int tid);

/* Wait until host fd is ready for events (POLLIN / POLLOUT of the host).
 * Returns at once when it is ready, when it is non-blocking (the operation
 * then reports EAGAIN itself) or when it cannot be read (write-only), so the
 * caller simply does its operation next. Returns 0, or -errno. */
int uthread_wait_fd(uproc *p, int hostfd, int events);
/* poll(2) over host fds with a timeout (ms, < 0 forever) that suspends the
 * calling thread instead of the host thread. Returns the ready count. */
int uthread_poll(uproc *p, struct pollfd *fds, size_t n, int timeout_ms);
/* Sleep until host_monotonic_ns() reaches deadline_ns. Returns 0, or -EINTR
 * when a signal from another process ends it (as do uthread_wait_fd and
 * uthread_poll). */
int uthread_sleep_until(uproc *p, uint64_t deadline_ns);
/* Suspend the calling thread until the host runs the machine again
 * (svm_run): for an embedder callback that answered EAGAIN. The caller
 * retries its operation afterwards. Returns 0. */
int uthread_wait_host(uproc *p);
/* Wait until a host fd of fds is ready, deadline_ns passes (0: none), or
 * uthread_kick is called (a guest-side file changed); the caller then
 * re-checks everything. Returns 0 or -EINTR (a signal came). Without
 * fds, an event wait (eventfd read). */
int uthread_poll_kickable(uproc *p, struct pollfd *fds, size_t n, uint64_t deadline_ns);
/* Wake every thread in a kickable wait. */
void uthread_kick(uproc *p);
/* Wait until the calling thread has a deliverable signal, or one of set
 * (sigtimedwait) is pending, or deadline_ns (monotonic, 0 = none) passes.
 * Returns 0, -EINTR, -ETIMEDOUT, or -EDEADLK without a scheduler. */
int uthread_wait_signal(uproc *p, uint64_t set, uint64_t deadline_ns);
/* A signal was raised: wake the thread that takes it if it waits (its wait
 * ends with -EINTR), or one in sigtimedwait for it. */
void uthread_signal_wake(uproc *p);
/* Make sig pending for thread tid; 0 when p has no such thread (or no
 * scheduler yet: the running thread's state is then all there is). */
int uthread_pend_thread(uproc *p, int tid, int sig);
/* True when some thread waits for sig in sigtimedwait. */
int uthread_wants_signal(uproc *p, int sig);
/* sched_yield: let the other runnable threads run first. */
void uthread_yield(uproc *p);

/* Futexes (private and shared alike, keyed by guest address). Wait: the
 * caller has checked the value; deadline_ns is monotonic, 0 = none.
 * Returns 0 when woken, -ETIMEDOUT, or -EINVAL when no other thread could
 * ever wake it and there is no deadline outside a scheduler. */
int uthread_futex_wait(uproc *p, uint64_t addr, uint32_t bitset, uint64_t deadline_ns);
/* Wake up to n waiters on addr whose bitset meets bitset (FIFO order);
 * returns how many. */
int uthread_futex_wake(uproc *p, uint64_t addr, uint32_t bitset, int n);
/* Wake up to nwake waiters on addr, move up to nmove others to addr2;
 * returns woken + moved. */
int uthread_futex_requeue(uproc *p, uint64_t addr, uint64_t addr2, int nwake, int nmove);

/* clone with CLONE_VM | CLONE_THREAD: a new thread starts at the
 * instruction after the caller's ecall with the caller's registers, a0 = 0,
 * sp = stack (if not 0), tp = tls (if settls). ptid / ctid: 0 or guest
 * addresses for CLONE_PARENT_SETTID / CLONE_CHILD_SETTID; clear_tid: 0 or
 * the CLONE_CHILD_CLEARTID address. Returns the new tid or -errno. */
int uthread_clone(uproc *p, uint64_t stack, int settls, uint64_t tls, uint64_t ptid, uint64_t ctid,
                  uint64_t clear_tid);
/* CLONE_PARENT_SETTID / CLONE_CHILD_SETTID: store tid at guest va (a bad
 * address is not an error, as in the kernel). */
void uthread_put_tid(uproc *p, uint64_t va, int tid);
/* execve: every thread of p but the calling one ends; the caller takes the
 * pid as its tid. Returns 0, or -EAGAIN outside a scheduler. */
int uthread_exec_alone(uproc *p);
/* set_tid_address for the calling thread; returns its tid. */
int uthread_set_clear_tid(uproc *p, uint64_t addr);
/* exit of the calling thread while others live: clear and wake its
 * clear_tid, then end its coroutine. Returns only when it is the last
 * thread (the caller then ends the process), with 0. */
int uthread_exit_thread(uproc *p);

#endif
