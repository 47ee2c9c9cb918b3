/* Event files and waiting on mixed fds: eventfd, timerfd, signalfd, epoll,
 * poll and select over pipes and those together, and a thread waking a
 * waiter through an eventfd. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static int wake_fd;

static void *late_wake(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 30 * 1000 * 1000};
    nanosleep(&ts, NULL);
    uint64_t one = 1;
    CHECK(write(wake_fd, &one, 8) == 8);
    return NULL;
}

static const char *ready_names(uint32_t ev)
{
    static char buf[64];
    buf[0] = 0;
    if (ev & EPOLLIN)
        strcat(buf, "IN ");
    if (ev & EPOLLOUT)
        strcat(buf, "OUT ");
    if (ev & EPOLLHUP)
        strcat(buf, "HUP ");
    if (ev & EPOLLERR)
        strcat(buf, "ERR ");
    return buf;
}

int main(void)
{
    /* eventfd: a counter, a semaphore, non-blocking reads. */
    int efd = eventfd(3, EFD_NONBLOCK);
    CHECK(efd >= 0);
    uint64_t v;
    CHECK(write(efd, &(uint64_t){4}, 8) == 8);
    CHECK(read(efd, &v, 8) == 8);
    printf("eventfd: read %llu\n", (unsigned long long)v);
    errno = 0;
    printf("eventfd empty: %zd %s\n", read(efd, &v, 8), strerror(errno));
    errno = 0;
    printf("eventfd short read: %zd %s\n", read(efd, &v, 4), strerror(errno));
    int sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    CHECK(read(sem, &v, 8) == 8 && v == 1);
    CHECK(read(sem, &v, 8) == 8 && v == 1);
    printf("semaphore: two reads of 1, then %s\n", read(sem, &v, 8) < 0 && errno == EAGAIN ? "EAGAIN" : "?");
    struct pollfd pf = {efd, POLLIN | POLLOUT, 0};
    CHECK(poll(&pf, 1, 0) == 1);
    printf("poll empty eventfd: %s%s\n", pf.revents & POLLIN ? "IN " : "", pf.revents & POLLOUT ? "OUT" : "");

    /* timerfd: periodic, expirations counted, gettime, EAGAIN before. */
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    CHECK(tfd >= 0);
    errno = 0;
    printf("unarmed timerfd: %zd %s\n", read(tfd, &v, 8), strerror(errno));
    struct itimerspec its = {{0, 10 * 1000 * 1000}, {0, 10 * 1000 * 1000}}, cur;
    CHECK(timerfd_settime(tfd, 0, &its, NULL) == 0);
    CHECK(timerfd_gettime(tfd, &cur) == 0);
    printf("timerfd interval %ld ms, armed %s\n", cur.it_interval.tv_nsec / 1000000,
           cur.it_value.tv_nsec || cur.it_value.tv_sec ? "yes" : "no");
    pf.fd = tfd;
    pf.events = POLLIN;
    CHECK(poll(&pf, 1, 1000) == 1);
    CHECK(read(tfd, &v, 8) == 8);
    printf("timerfd fired: %s\n", v >= 1 ? "yes" : "no");
    struct timespec ts = {0, 35 * 1000 * 1000};
    nanosleep(&ts, NULL);
    CHECK(read(tfd, &v, 8) == 8);
    printf("timerfd counted several expirations: %s\n", v >= 2 ? "yes" : "no");
    memset(&its, 0, sizeof(its));
    CHECK(timerfd_settime(tfd, 0, &its, NULL) == 0);

    /* signalfd: a blocked signal is read as a record. */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    CHECK(sigprocmask(SIG_BLOCK, &mask, NULL) == 0);
    int sfd = signalfd(-1, &mask, SFD_NONBLOCK);
    CHECK(sfd >= 0);
    errno = 0;
    struct signalfd_siginfo ssi;
    printf("signalfd empty: %zd %s\n", read(sfd, &ssi, sizeof(ssi)), strerror(errno));
    CHECK(kill(getpid(), SIGUSR1) == 0);
    pf.fd = sfd;
    CHECK(poll(&pf, 1, 0) == 1);
    CHECK(read(sfd, &ssi, sizeof(ssi)) == sizeof(ssi));
    printf("signalfd: signal %s, code %s, pid matches %s\n", ssi.ssi_signo == SIGUSR1 ? "SIGUSR1" : "?",
           ssi.ssi_code == SI_USER ? "SI_USER" : "?", (pid_t)ssi.ssi_pid == getpid() ? "yes" : "no");

    /* epoll over a pipe, the eventfd, the timerfd and the signalfd. */
    int ep = epoll_create1(EPOLL_CLOEXEC);
    CHECK(ep >= 0);
    int pfd[2];
    CHECK(pipe(pfd) == 0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 100};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], &ev) == 0);
    ev.data.u64 = 200;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) == 0);
    ev.data.u64 = 300;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev) == 0);
    ev.data.u64 = 400;
    ev.events = EPOLLIN | EPOLLONESHOT;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev) == 0);
    errno = 0;
    printf("add twice: %d %s\n", epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev), strerror(errno));
    int reg = open("/proc/self/exe", O_RDONLY);
    errno = 0;
    printf("regular file: %d %s\n", epoll_ctl(ep, EPOLL_CTL_ADD, reg, &ev), strerror(errno));
    close(reg);
    struct epoll_event out[8];
    printf("nothing ready: %d\n", epoll_wait(ep, out, 8, 0));
    CHECK(write(pfd[1], "x", 1) == 1);
    int n = epoll_wait(ep, out, 8, 1000);
    printf("pipe ready: %d, data %llu, %s\n", n, (unsigned long long)out[0].data.u64, ready_names(out[0].events));
    char c;
    CHECK(read(pfd[0], &c, 1) == 1);
    its.it_value.tv_nsec = 20 * 1000 * 1000;
    CHECK(timerfd_settime(tfd, 0, &its, NULL) == 0);
    n = epoll_wait(ep, out, 8, 2000);
    printf("timerfd ready: %d, data %llu\n", n, (unsigned long long)out[0].data.u64);
    CHECK(read(tfd, &v, 8) == 8);
    CHECK(kill(getpid(), SIGUSR1) == 0);
    n = epoll_wait(ep, out, 8, 1000);
    printf("signalfd ready: %d, data %llu\n", n, (unsigned long long)out[0].data.u64);
    printf("one-shot not reported again: %d\n", epoll_wait(ep, out, 8, 0));
    CHECK(read(sfd, &ssi, sizeof(ssi)) == sizeof(ssi));

    /* A thread wakes a waiter through the eventfd. */
    wake_fd = efd;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, late_wake, NULL) == 0);
    n = epoll_wait(ep, out, 8, 5000);
    printf("woken by a thread: %d, data %llu\n", n, (unsigned long long)out[0].data.u64);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK(read(efd, &v, 8) == 8);
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL) == 0);
    errno = 0;
    printf("delete twice: %d %s\n", epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL), strerror(errno));
    n = epoll_wait(ep, out, 8, 30);
    printf("timeout: %d\n", n);

    /* The write end closed: HUP. */
    close(pfd[1]);
    n = epoll_wait(ep, out, 8, 1000);
    printf("pipe closed: %d, %s\n", n, ready_names(out[0].events));

    /* select and poll over a pipe and the eventfd together. */
    int p2[2];
    CHECK(pipe(p2) == 0);
    CHECK(write(efd, &(uint64_t){1}, 8) == 8);
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(p2[0], &rd);
    FD_SET(efd, &rd);
    FD_SET(p2[1], &wr);
    struct timeval tv = {1, 0};
    n = select((p2[1] > efd ? p2[1] : efd) + 1, &rd, &wr, NULL, &tv);
    printf("select: %d; pipe readable %d, eventfd readable %d, pipe writable %d\n", n, FD_ISSET(p2[0], &rd),
           FD_ISSET(efd, &rd), FD_ISSET(p2[1], &wr));
    struct pollfd two[3] = {{p2[0], POLLIN, 0}, {efd, POLLIN, 0}, {12345, POLLIN, 0}};
    n = poll(two, 3, 0);
    printf("poll: %d; pipe %s, eventfd %s, bad fd %s\n", n, two[0].revents ? "ready" : "not ready",
           two[1].revents & POLLIN ? "IN" : "-", two[2].revents & POLLNVAL ? "NVAL" : "-");
    return 0;
}
