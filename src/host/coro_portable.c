/* Portable coroutine switcher: no assembly and no system ucontext, for hosts
 * without coro_<arch>.S (or any host, with -DSPLITVM_CORO_PORTABLE).
 *
 * Starting a function on a new stack uses the classic signal-stack trick:
 * make the new stack the thread's alternate signal stack, send this thread a
 * signal whose handler runs there with SA_ONSTACK, and in the handler
 * sigsetjmp and return. The handler's frame stays intact on the new stack
 * (nothing else uses that memory), so the first switch into the coroutine
 * siglongjmps into it, and it calls host_coro_entry_. Switching afterwards is
 * sigsetjmp/siglongjmp with savesigs = 0 (no system call), plus the
 * rounding mode, which setjmp does not keep.
 *
 * Limits:
 * - Creating a coroutine briefly replaces the process-wide SIGUSR2 action
 *   and this thread's alternate signal stack (both restored before return);
 *   creations are serialised by a lock. A SIGUSR2 sent to the process from
 *   outside in that window is lost. Creation fails (-EPERM) when called on
 *   an alternate signal stack, i.e. inside such a signal handler.
 * - siglongjmp into a frame whose function has returned is outside what C
 *   promises; it holds on the common libcs (glibc, musl, Apple's, BSDs).
 *   _FORTIFY_SOURCE's longjmp check would reject it, so it is off here.
 * - Of the FP control state only the rounding mode (what C's fenv.h can
 *   name) is kept per coroutine; trap enables and flush-to-zero bits, which
 *   the assembly switchers keep, are shared. A new coroutine starts from
 *   FE_DFL_ENV, as with the assembly switchers.
 * - Creation takes a few system calls (sigaction, sigaltstack, sigsuspend). */
#undef _FORTIFY_SOURCE
#include "coro.h"

#if !HOST_CORO_ASM

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>

/* The creation under way on this thread (NULL: none). */
struct boot {
    host_coro_regs *regs;
    volatile sig_atomic_t done;
};
static _Thread_local struct boot *booting;
/* The context being switched into (read by a coroutine's first entry). */
static _Thread_local host_coro_regs *entering;
static atomic_flag boot_lock = ATOMIC_FLAG_INIT;

static void boot_handler(int sig)
{
    (void)sig;
    struct boot *b = booting;
    if (!b || b->done)
        return; /* not our signal */
    if (sigsetjmp(b->regs->jb, 0) == 0) {
        b->done = 1;
        return; /* back to host_coro_regs_init; this frame stays put */
    }
    /* First switch into the coroutine: only thread-locals are trusted here. */
    host_coro_regs *r = entering;
    fesetenv(FE_DFL_ENV);
    host_coro_entry_(r->owner);
}

int host_coro_regs_init(host_coro_regs *r, void *stack_lo, size_t stack_size, host_coro *co)
{
    if (stack_size < (size_t)MINSIGSTKSZ)
        return -EINVAL;
    r->owner = co;
    struct boot b = { .regs = r, .done = 0 };

    while (atomic_flag_test_and_set_explicit(&boot_lock, memory_order_acquire)) {
    }
    int err = 0;
    sigset_t usr2, old_mask, wait_mask;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &usr2, &old_mask);

    struct sigaction sa, old_sa;
    sa.sa_handler = boot_handler;
    sa.sa_flags = SA_ONSTACK;
    sigfillset(&sa.sa_mask);
    stack_t ss = { .ss_sp = stack_lo, .ss_size = stack_size, .ss_flags = 0 }, old_ss;
    if (sigaction(SIGUSR2, &sa, &old_sa) < 0) {
        err = -errno;
        goto out_mask;
    }
    if (sigaltstack(&ss, &old_ss) < 0) {
        err = -errno;
        goto out_action;
    }
    booting = &b;
    raise(SIGUSR2); /* to this thread; stays pending: blocked */
    sigfillset(&wait_mask);
    sigdelset(&wait_mask, SIGUSR2);
    while (!b.done)
        sigsuspend(&wait_mask); /* runs boot_handler on the new stack */
    booting = NULL;
    if (old_ss.ss_flags & SS_DISABLE) {
        old_ss.ss_flags = SS_DISABLE;
        old_ss.ss_sp = NULL;
        old_ss.ss_size = 0;
    }
    sigaltstack(&old_ss, NULL);
out_action:
    sigaction(SIGUSR2, &old_sa, NULL);
out_mask:
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    atomic_flag_clear_explicit(&boot_lock, memory_order_release);
    return err;
}

void host_coro_switch(host_coro_regs *save, host_coro_regs *load)
{
    save->round = fegetround();
    if (sigsetjmp(save->jb, 0) == 0) {
        entering = load;
        siglongjmp(load->jb, 1);
    }
    /* fesetround is slow on some hosts; most switches keep the mode. */
    if (fegetround() != save->round)
        fesetround(save->round);
}

const char *host_coro_backend(void)
{
    return "portable-sigaltstack";
}

#endif
