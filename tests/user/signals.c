/* Signals: a SIGSEGV handler that recovers from a NULL dereference with
 * siglongjmp, a SIGILL handler, raise(SIGUSR1), sigprocmask blocking and
 * pending signals, and the signal mask restored by siglongjmp. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static sigjmp_buf env;
static volatile sig_atomic_t got_sig, got_code;
static volatile uintptr_t got_addr;
static volatile int usr1_count;
/* Volatile so the compiler cannot see the NULL and fold the stores away. */
static volatile uintptr_t fault_base = 0;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    siglongjmp(env, 1);
}

static void on_usr1(int sig)
{
    CHECK(sig == SIGUSR1);
    usr1_count++;
}

static void install(int sig, int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(sig, &sa, NULL) == 0);
}

int main(void)
{
    install(SIGSEGV, 0);
    install(SIGILL, 0);

    for (int round = 0; round < 3; round++) {
        if (sigsetjmp(env, 1) == 0) {
            volatile int *np = (volatile int *)(fault_base + 8 * round);
            *np = 1;
            CHECK(!"NULL store did not fault");
        }
        CHECK(got_sig == SIGSEGV);
        CHECK(got_addr == (uintptr_t)(8 * round));
        CHECK(got_code == SEGV_MAPERR);
        printf("SIGSEGV %d recovered, addr=%lu\n", round, (unsigned long)got_addr);
        got_sig = 0;
    }

    if (sigsetjmp(env, 1) == 0) {
        __asm__ volatile(".word 0");
        CHECK(!"illegal instruction did not trap");
    }
    CHECK(got_sig == SIGILL);
    CHECK(got_code == ILL_ILLOPC);
    printf("SIGILL recovered\n");

    /* The handler's blocked mask was undone by siglongjmp(env, 1). */
    sigset_t cur;
    CHECK(sigprocmask(SIG_SETMASK, NULL, &cur) == 0);
    CHECK(!sigismember(&cur, SIGSEGV) && !sigismember(&cur, SIGILL));

    CHECK(signal(SIGUSR1, on_usr1) != SIG_ERR);
    CHECK(raise(SIGUSR1) == 0);
    CHECK(usr1_count == 1);
    CHECK(kill(getpid(), SIGUSR1) == 0);
    CHECK(usr1_count == 2);
    printf("SIGUSR1 handled %d times\n", usr1_count);

    /* Blocked signals stay pending until unblocked, then run once. */
    sigset_t set, old, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0);
    CHECK(raise(SIGUSR1) == 0);
    CHECK(raise(SIGUSR1) == 0);
    CHECK(usr1_count == 2);
    CHECK(sigpending(&pend) == 0);
    CHECK(sigismember(&pend, SIGUSR1));
    printf("SIGUSR1 pending while blocked\n");
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
    CHECK(usr1_count == 3); /* standard signals do not queue */
    CHECK(sigpending(&pend) == 0);
    CHECK(!sigismember(&pend, SIGUSR1));
    printf("SIGUSR1 delivered on unblock, count=%d\n", usr1_count);

    /* SIG_IGN drops the signal. */
    CHECK(signal(SIGUSR2, SIG_IGN) != SIG_ERR);
    CHECK(raise(SIGUSR2) == 0);
    struct sigaction q;
    CHECK(sigaction(SIGUSR2, NULL, &q) == 0 && q.sa_handler == SIG_IGN);
    printf("SIGUSR2 ignored\n");

    /* SIGKILL cannot be caught. */
    struct sigaction sk;
    memset(&sk, 0, sizeof sk);
    sk.sa_handler = on_usr1;
    CHECK(sigaction(SIGKILL, &sk, NULL) == -1);
    return 0;
}
