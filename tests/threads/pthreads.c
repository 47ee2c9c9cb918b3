/* Guest threads: a riscv64 pthreads program (built -static -pthread) whose
 * output is the same under any correct scheduling, so it can be compared
 * with qemu-riscv64 and with a fixed expectation.
 *
 * mutexes (a shared counter), condition variables (a bounded queue with
 * several producers and consumers), joins with results, thread-local
 * storage, a detached thread, a barrier, sleeps and a pipe between threads
 * (a read that waits), distinct thread ids, pthread_once, sched_yield. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CHECK(c)                                                              \
    do {                                                                      \
        if (!(c)) {                                                           \
            printf("FAIL line %d: %s\n", __LINE__, #c);                       \
            fflush(stdout);                                                   \
            exit(1);                                                          \
        }                                                                     \
    } while (0)

/* ---- mutex: 4 threads add to one counter and sum their own ranges ---- */

#define NWORK 4
#define PER_WORKER 20000
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread long tls_value = 7; /* every thread starts from the initial image */
static __thread char tls_name[32];

static void *worker(void *arg)
{
    long id = (long)arg;
    CHECK(tls_value == 7);
    tls_value = 100 + id;
    snprintf(tls_name, sizeof tls_name, "worker%ld", id);
    uint64_t sum = 0;
    for (long i = 0; i < PER_WORKER; i++) {
        sum += (uint64_t)(id * PER_WORKER + i);
        pthread_mutex_lock(&count_lock);
        counter++;
        pthread_mutex_unlock(&count_lock);
        if (i % 5000 == 0)
            sched_yield();
    }
    CHECK(tls_value == 100 + id); /* nobody else's writes reached it */
    char want[32];
    snprintf(want, sizeof want, "worker%ld", id);
    CHECK(strcmp(tls_name, want) == 0);
    uint64_t *res = malloc(sizeof *res);
    *res = sum;
    return res;
}

static void test_mutex(void)
{
    pthread_t t[NWORK];
    for (long i = 0; i < NWORK; i++)
        CHECK(pthread_create(&t[i], NULL, worker, (void *)i) == 0);
    uint64_t total = 0;
    for (int i = 0; i < NWORK; i++) {
        void *r;
        CHECK(pthread_join(t[i], &r) == 0);
        total += *(uint64_t *)r;
        free(r);
    }
    uint64_t n = (uint64_t)NWORK * PER_WORKER;
    CHECK(total == n * (n - 1) / 2);
    CHECK(counter == (long)n);
    CHECK(tls_value == 7); /* the main thread's copy is untouched */
    printf("mutex: counter %ld, sum %llu\n", counter, (unsigned long long)total);
}

/* ---- condition variables: bounded queue, 3 producers, 2 consumers ---- */

#define QCAP 8
#define NPROD 3
#define NCONS 2
#define ITEMS 3000
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t q_not_full = PTHREAD_COND_INITIALIZER;
static int queue[QCAP], q_head, q_len, producers_left = NPROD;

static void *producer(void *arg)
{
    int base = (int)(long)arg * ITEMS;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&q_lock);
        while (q_len == QCAP)
            pthread_cond_wait(&q_not_full, &q_lock);
        queue[(q_head + q_len++) % QCAP] = base + i;
        pthread_cond_signal(&q_not_empty);
        pthread_mutex_unlock(&q_lock);
    }
    pthread_mutex_lock(&q_lock);
    if (--producers_left == 0)
        pthread_cond_broadcast(&q_not_empty);
    pthread_mutex_unlock(&q_lock);
    return NULL;
}

static void *consumer(void *arg)
{
    long long *sum = arg;
    long count = 0;
    for (;;) {
        pthread_mutex_lock(&q_lock);
        while (q_len == 0 && producers_left > 0)
            pthread_cond_wait(&q_not_empty, &q_lock);
        if (q_len == 0) {
            pthread_mutex_unlock(&q_lock);
            break;
        }
        int v = queue[q_head];
        q_head = (q_head + 1) % QCAP;
        q_len--;
        pthread_cond_signal(&q_not_full);
        pthread_mutex_unlock(&q_lock);
        *sum += v;
        count++;
    }
    return (void *)count;
}

static void test_condvar(void)
{
    pthread_t p[NPROD], c[NCONS];
    long long sums[NCONS] = {0};
    for (long i = 0; i < NCONS; i++)
        CHECK(pthread_create(&c[i], NULL, consumer, &sums[i]) == 0);
    for (long i = 0; i < NPROD; i++)
        CHECK(pthread_create(&p[i], NULL, producer, (void *)i) == 0);
    for (int i = 0; i < NPROD; i++)
        CHECK(pthread_join(p[i], NULL) == 0);
    long items = 0;
    long long sum = 0;
    for (int i = 0; i < NCONS; i++) {
        void *r;
        CHECK(pthread_join(c[i], &r) == 0);
        items += (long)r;
        sum += sums[i];
    }
    long long n = (long long)NPROD * ITEMS;
    CHECK(items == n);
    CHECK(sum == n * (n + 1) / 2);
    printf("condvar: %ld items, sum %lld\n", items, sum);
}

/* ---- a detached thread that reports through a condvar ---- */

static pthread_mutex_t d_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t d_cond = PTHREAD_COND_INITIALIZER;
static int d_done;
static pid_t d_tid;

static void *detached(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 2000000}; /* 2 ms: the main thread waits meanwhile */
    nanosleep(&ts, NULL);
    pthread_mutex_lock(&d_lock);
    d_tid = (pid_t)syscall(SYS_gettid);
    d_done = 1;
    pthread_cond_signal(&d_cond);
    pthread_mutex_unlock(&d_lock);
    return NULL;
}

static void test_detached(void)
{
    pthread_attr_t a;
    pthread_t t;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    CHECK(pthread_create(&t, &a, detached, NULL) == 0);
    pthread_attr_destroy(&a);
    pthread_mutex_lock(&d_lock);
    while (!d_done)
        pthread_cond_wait(&d_cond, &d_lock);
    pthread_mutex_unlock(&d_lock);
    pid_t me = (pid_t)syscall(SYS_gettid);
    CHECK(me == getpid());       /* the main thread's id is the pid */
    CHECK(d_tid != me && d_tid > 0);
    printf("detached: done, distinct tid\n");
}

/* ---- a pipe between threads: the reader waits for the writer ---- */

static int pipefd[2];

static void *pipe_writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5; i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
        char msg[8];
        int n = snprintf(msg, sizeof msg, "m%d;", i);
        CHECK(write(pipefd[1], msg, (size_t)n) == n);
    }
    close(pipefd[1]);
    return NULL;
}

static void test_pipe(void)
{
    CHECK(pipe(pipefd) == 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, pipe_writer, NULL) == 0);
    char buf[64];
    size_t got = 0;
    for (;;) {
        ssize_t n = read(pipefd[0], buf + got, sizeof buf - 1 - got);
        CHECK(n >= 0);
        if (n == 0)
            break;
        got += (size_t)n;
    }
    buf[got] = 0;
    CHECK(pthread_join(t, NULL) == 0);
    close(pipefd[0]);
    printf("pipe: %s\n", buf);
}

/* ---- a barrier, pthread_once and timed waits ---- */

#define NBAR 5
static pthread_barrier_t bar;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs, serial_count, phase_done[NBAR];

static void once_fn(void) { once_runs++; }

static void *bar_worker(void *arg)
{
    long id = (long)arg;
    pthread_once(&once, once_fn);
    phase_done[id] = 1;
    int r = pthread_barrier_wait(&bar);
    if (r == PTHREAD_BARRIER_SERIAL_THREAD)
        __atomic_add_fetch(&serial_count, 1, __ATOMIC_SEQ_CST);
    else
        CHECK(r == 0);
    for (int i = 0; i < NBAR; i++)
        CHECK(phase_done[i]); /* everyone reached the barrier before anyone left */
    return NULL;
}

static void test_barrier(void)
{
    pthread_t t[NBAR];
    CHECK(pthread_barrier_init(&bar, NULL, NBAR) == 0);
    for (long i = 0; i < NBAR; i++)
        CHECK(pthread_create(&t[i], NULL, bar_worker, (void *)i) == 0);
    for (int i = 0; i < NBAR; i++)
        CHECK(pthread_join(t[i], NULL) == 0);
    pthread_barrier_destroy(&bar);
    CHECK(once_runs == 1);
    CHECK(serial_count == 1);

    /* A timed wait that nobody signals times out. */
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 3000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&m);
    int r = pthread_cond_timedwait(&c, &m, &until);
    pthread_mutex_unlock(&m);
    CHECK(r == ETIMEDOUT);
    printf("barrier: once %d, serial %d, timedwait %s\n", once_runs, serial_count,
           r == ETIMEDOUT ? "ETIMEDOUT" : "?");
}

/* ---- many short-lived threads ---- */

static void *tiny(void *arg) { return (void *)((long)arg * 2); }

static void test_many(void)
{
    long sum = 0;
    for (long round = 0; round < 10; round++) {
        pthread_t t[20];
        for (long i = 0; i < 20; i++)
            CHECK(pthread_create(&t[i], NULL, tiny, (void *)i) == 0);
        for (int i = 0; i < 20; i++) {
            void *r;
            CHECK(pthread_join(t[i], &r) == 0);
            sum += (long)r;
        }
    }
    printf("many: 200 threads, sum %ld\n", sum);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_mutex();
    test_condvar();
    test_detached();
    test_pipe();
    test_barrier();
    test_many();
    printf("all threads tests passed\n");
    return 0;
}
