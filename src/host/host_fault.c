/* Synchronous memory faults in code a machine owns (the JIT's guest loads
 * and stores in user mode, which let the host MMU check guest addresses).
 *
 * One SIGSEGV/SIGBUS handler per process, installed while any machine holds
 * it. A fault on a thread with a catcher goes to that catcher first, which
 * says where to resume (0: not its fault); every other fault goes to the
 * handler the app had before us, or kills the process as it would have. */
#include "host.h"
#include "host_fault.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
/* ucontext_t only as the type of the SA_SIGINFO handler's third argument
 * (its saved pc), which POSIX has <signal.h> declare (glibc with
 * _GNU_SOURCE, Apple's SDKs). No ucontext header is included: the system's
 * getcontext/swapcontext family is never used, coroutines are our own
 * (coro.h). */

#if defined(__linux__) && defined(__x86_64__)
#define FAULT_PC(uc) ((ucontext_t *)(uc))->uc_mcontext.gregs[REG_RIP]
#elif defined(__linux__) && defined(__aarch64__)
#define FAULT_PC(uc) ((ucontext_t *)(uc))->uc_mcontext.pc
#elif defined(__APPLE__) && defined(__x86_64__)
#define FAULT_PC(uc) ((ucontext_t *)(uc))->uc_mcontext->__ss.__rip
#elif defined(__APPLE__) && defined(__aarch64__)
#define FAULT_PC(uc) ((ucontext_t *)(uc))->uc_mcontext->__ss.__pc
#endif

static _Thread_local const host_fault_catcher *thread_catcher;

const host_fault_catcher *host_fault_catch(const host_fault_catcher *c)
{
    const host_fault_catcher *prev = thread_catcher;
    thread_catcher = c;
    return prev;
}

#ifdef FAULT_PC
static const int fault_signals[2] = {SIGSEGV, SIGBUS};
static struct sigaction saved[2]; /* the app's handlers, restored on the last release */
static atomic_flag install_lock = ATOMIC_FLAG_INIT;
static int holders;

static void pass_on(int k, int sig, siginfo_t *si, void *uc)
{
    const struct sigaction *old = &saved[k];
    if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
        old->sa_sigaction(sig, si, uc);
    } else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
        old->sa_handler(sig);
    } else {
        /* Default action: return with it in place, so the faulting
         * instruction runs again and the process dies as it would have. */
        struct sigaction dfl;
        memset(&dfl, 0, sizeof(dfl));
        dfl.sa_handler = SIG_DFL;
        sigaction(sig, &dfl, NULL);
    }
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    const host_fault_catcher *c = thread_catcher;
    if (c) {
        uintptr_t resume = c->resume_at(c->opaque, (uintptr_t)FAULT_PC(uc));
        if (resume) {
            FAULT_PC(uc) = resume;
            return;
        }
    }
    pass_on(sig == SIGSEGV ? 0 : 1, sig, si, uc);
}

static void lock(void)
{
    while (atomic_flag_test_and_set_explicit(&install_lock, memory_order_acquire))
        ;
}

static void unlock(void) { atomic_flag_clear_explicit(&install_lock, memory_order_release); }

int host_fault_install(void)
{
    int r = 0;
    lock();
    if (holders == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = on_fault;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        for (int k = 0; k < 2 && !r; k++)
            if (sigaction(fault_signals[k], &sa, &saved[k]) != 0)
                r = -errno;
        if (r)
            for (int k = 0; k < 2; k++)
                sigaction(fault_signals[k], &saved[k], NULL);
    }
    if (!r)
        holders++;
    unlock();
    return r;
}

void host_fault_uninstall(void)
{
    lock();
    if (holders > 0 && --holders == 0) {
        for (int k = 0; k < 2; k++) {
            /* Leave a handler the app installed after ours alone. */
            struct sigaction cur;
            if (sigaction(fault_signals[k], NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) &&
                cur.sa_sigaction == on_fault)
                sigaction(fault_signals[k], &saved[k], NULL);
        }
    }
    unlock();
}
#else
int host_fault_install(void) { return -ENOTSUP; }
void host_fault_uninstall(void) {}
#endif
