#define _GNU_SOURCE
/* Guest for test_wait: system calls that wait. argv[1] picks what to do:
 *   read      read a line from stdin; exit 42 if it was "hello"
 *   sleep     nanosleep 50 ms; exit 43
 *   poll      ppoll stdin with a 30 ms timeout (no data): exit 44 on timeout
 *   deadlock  wait on a futex nobody will ever wake
 *   threads   three threads wait (stdin, a condvar, a 10 s sleep) while
 *             main joins them: the machine is destroyed meanwhile */
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;

static void *reader(void *arg)
{
    (void)arg;
    char b[16];
    return (void *)read(0, b, sizeof b);
}

static void *cond_waiter(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&m);
    pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    return NULL;
}

static void *sleeper(void *arg)
{
    (void)arg;
    sleep(10);
    return NULL;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    if (!strcmp(what, "read")) {
        char buf[64];
        ssize_t n = read(0, buf, sizeof buf - 1);
        if (n < 0)
            return 1;
        buf[n] = 0;
        return strcmp(buf, "hello\n") == 0 ? 42 : 2;
    }
    if (!strcmp(what, "sleep")) {
        struct timespec ts = {0, 50000000};
        return nanosleep(&ts, NULL) == 0 ? 43 : 1;
    }
    if (!strcmp(what, "poll")) {
        struct pollfd pf = {0, POLLIN, 0};
        struct timespec ts = {0, 30000000};
        return ppoll(&pf, 1, &ts, NULL) == 0 ? 44 : 1;
    }
    if (!strcmp(what, "deadlock")) {
        static int word;
        syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
        return 1;
    }
    if (!strcmp(what, "threads")) {
        pthread_t t[3];
        pthread_create(&t[0], NULL, reader, NULL);
        pthread_create(&t[1], NULL, cond_waiter, NULL);
        pthread_create(&t[2], NULL, sleeper, NULL);
        for (int i = 0; i < 3; i++)
            pthread_join(t[i], NULL);
        return 45;
    }
    return 3;
}
