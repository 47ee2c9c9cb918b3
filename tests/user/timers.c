/* Timers and asynchronous signals: alarm and pause, interval timers hitting
 * a busy loop, POSIX timers (SIGEV_SIGNAL, SIGEV_THREAD_ID) with their
 * siginfo, sigtimedwait, sigsuspend, EINTR from interrupted sleeps and
 * reads, SA_RESTART, and per-thread signal masks. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static volatile sig_atomic_t hits, last_code, last_value, handler_tid;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    (void)sig;
    hits++;
    last_code = si->si_code;
    last_value = si->si_code == SI_TIMER ? si->si_value.sival_int : -1;
    handler_tid = (int)syscall(SYS_gettid);
}

static void handle(int sig, int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(sig, &sa, NULL) == 0);
}

static void block(int sig, int how)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    CHECK(pthread_sigmask(how, &s, NULL) == 0);
}

static int pipefd[2];

static void *late_writer(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 60 * 1000 * 1000};
    nanosleep(&ts, NULL);
    CHECK(write(pipefd[1], "x", 1) == 1);
    return NULL;
}

static volatile int target_ready;
static sigset_t usr2_only;

static void *signal_target(void *arg)
{
    (void)arg;
    block(SIGUSR2, SIG_UNBLOCK); /* only this thread takes SIGUSR2 */
    target_ready = 1;
    while (!hits)
        sched_yield();
    return NULL;
}

int main(void)
{
    /* alarm, then pause: the handler runs and pause returns EINTR. */
    handle(SIGALRM, 0);
    alarm(1);
    errno = 0;
    int r = pause();
    printf("pause: %d %s, handler ran %d time(s), si_code %s\n", r, strerror(errno), (int)hits,
           last_code == SI_KERNEL ? "SI_KERNEL" : "other");
    CHECK(alarm(0) == 0);

    /* An interval timer interrupts a loop that makes no system call. */
    hits = 0;
    struct itimerval it = {{0, 10000}, {0, 10000}};
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    while (hits < 3) {
    }
    struct itimerval cur;
    CHECK(getitimer(ITIMER_REAL, &cur) == 0);
    printf("busy loop: 3 ticks; interval %ld us, armed %s\n", (long)cur.it_interval.tv_usec,
           cur.it_value.tv_sec || cur.it_value.tv_usec ? "yes" : "no");
    memset(&it, 0, sizeof(it));
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    CHECK(getitimer(ITIMER_REAL, &cur) == 0);
    printf("disarmed: %s\n", cur.it_value.tv_sec || cur.it_value.tv_usec ? "no" : "yes");

    /* nanosleep interrupted: EINTR and the time left. The timer repeats,
     * so a first expiry before the call (a loaded host) still interrupts it. */
    hits = 0;
    struct itimerval once = {{0, 0}, {0, 20000}}, every = {{0, 20000}, {0, 20000}}, off = {{0, 0}, {0, 0}};
    CHECK(setitimer(ITIMER_REAL, &every, NULL) == 0);
    struct timespec req = {5, 0}, rem = {0, 0};
    errno = 0;
    r = nanosleep(&req, &rem);
    printf("nanosleep: %d %s, remaining between 4 and 5 s: %s\n", r, strerror(errno),
           rem.tv_sec >= 4 && rem.tv_sec < 5 ? "yes" : "no");

    /* A blocking read: EINTR without SA_RESTART, restarted with it. */
    CHECK(pipe(pipefd) == 0);
    char c;
    errno = 0;
    r = (int)read(pipefd[0], &c, 1);
    printf("read without SA_RESTART: %d %s\n", r, strerror(errno));
    CHECK(setitimer(ITIMER_REAL, &off, NULL) == 0);
    handle(SIGALRM, SA_RESTART);
    hits = 0;
    pthread_t w;
    CHECK(pthread_create(&w, NULL, late_writer, NULL) == 0);
    CHECK(setitimer(ITIMER_REAL, &once, NULL) == 0);
    r = (int)read(pipefd[0], &c, 1);
    printf("read with SA_RESTART: %d '%c', handler ran %d time(s)\n", r, c, (int)hits);
    CHECK(pthread_join(w, NULL) == 0);

    /* A POSIX timer: SI_TIMER and its sigev_value; gettime, overrun, delete. */
    handle(SIGUSR1, 0);
    hits = 0;
    struct sigevent ev;
    memset(&ev, 0, sizeof(ev));
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 4242;
    timer_t t;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0);
    struct itimerspec spec = {{0, 0}, {0, 100 * 1000 * 1000}}, got;
    CHECK(timer_settime(t, 0, &spec, NULL) == 0);
    CHECK(timer_gettime(t, &got) == 0);
    printf("timer armed: %s\n", got.it_value.tv_nsec > 0 || got.it_value.tv_sec > 0 ? "yes" : "no");
    while (!hits)
        pause();
    printf("timer: code %s, value %d, overrun %d\n", last_code == SI_TIMER ? "SI_TIMER" : "other",
           (int)last_value, timer_getoverrun(t));
    CHECK(timer_gettime(t, &got) == 0);
    printf("one-shot timer disarmed: %s\n", got.it_value.tv_sec || got.it_value.tv_nsec ? "no" : "yes");
    CHECK(timer_delete(t) == 0);
    errno = 0;
    printf("deleted timer: %d %s\n", timer_gettime(t, &got), strerror(errno));

    /* sigtimedwait: a blocked timer signal is taken without its handler;
     * with nothing pending it times out. */
    block(SIGUSR1, SIG_BLOCK);
    hits = 0;
    CHECK(timer_create(CLOCK_REALTIME, &ev, &t) == 0);
    CHECK(timer_settime(t, 0, &spec, NULL) == 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    siginfo_t si;
    struct timespec wait = {2, 0};
    r = sigtimedwait(&set, &si, &wait);
    printf("sigtimedwait: %s, code %s, value %d, handler ran %d time(s)\n", r == SIGUSR1 ? "SIGUSR1" : "other",
           si.si_code == SI_TIMER ? "SI_TIMER" : "other", si.si_value.sival_int, (int)hits);
    struct timespec short_wait = {0, 20 * 1000 * 1000};
    errno = 0;
    r = sigtimedwait(&set, &si, &short_wait);
    printf("sigtimedwait with nothing: %d %s\n", r, strerror(errno));
    CHECK(timer_delete(t) == 0);

    /* sigsuspend: waits with SIGALRM unblocked, then the mask comes back. */
    handle(SIGALRM, 0);
    block(SIGALRM, SIG_BLOCK);
    hits = 0;
    CHECK(setitimer(ITIMER_REAL, &once, NULL) == 0);
    sigset_t none;
    sigemptyset(&none);
    errno = 0;
    r = sigsuspend(&none);
    sigset_t now;
    CHECK(pthread_sigmask(SIG_BLOCK, NULL, &now) == 0);
    printf("sigsuspend: %d %s, handler ran %d, SIGALRM blocked again: %s\n", r, strerror(errno), (int)hits,
           sigismember(&now, SIGALRM) ? "yes" : "no");
    block(SIGALRM, SIG_UNBLOCK);

    /* Per-thread masks: SIGUSR2 sent to the process goes to the one thread
     * that does not block it. */
    handle(SIGUSR2, 0);
    block(SIGUSR2, SIG_BLOCK);
    sigemptyset(&usr2_only);
    hits = 0;
    pthread_t tt;
    CHECK(pthread_create(&tt, NULL, signal_target, NULL) == 0);
    while (!target_ready)
        sched_yield();
    CHECK(kill(getpid(), SIGUSR2) == 0);
    CHECK(pthread_join(tt, NULL) == 0);
    printf("process signal taken by the thread that does not block it: %s\n",
           handler_tid != (int)getpid() && hits == 1 ? "yes" : "no");
    CHECK(pthread_sigmask(SIG_BLOCK, NULL, &now) == 0);
    printf("main still blocks SIGUSR2: %s\n", sigismember(&now, SIGUSR2) ? "yes" : "no");
    return 0;
}
