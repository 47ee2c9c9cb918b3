/* A dynamically linked threaded program: threads, a mutex, a condition
 * variable and thread-local storage in libc.so, all through the dynamic
 * loader's TLS set-up. */
#include <pthread.h>
#include "check.h"

#define NTHREADS 4
#define ROUNDS 10000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static long total;
static int finished;
static __thread long mine;

static void *work(void *arg)
{
    long id = (long)arg;
    for (int i = 0; i < ROUNDS; i++) {
        mine += id;
        pthread_mutex_lock(&lock);
        total += 1;
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    finished++;
    pthread_cond_signal(&done_cond);
    pthread_mutex_unlock(&lock);
    return (void *)mine;
}

int main(void)
{
    pthread_t t[NTHREADS];
    for (long i = 0; i < NTHREADS; i++)
        CHECK_EQ_LL(pthread_create(&t[i], NULL, work, (void *)(i + 1)), 0);
    pthread_mutex_lock(&lock);
    while (finished < NTHREADS)
        pthread_cond_wait(&done_cond, &lock);
    pthread_mutex_unlock(&lock);
    for (long i = 0; i < NTHREADS; i++) {
        void *r;
        CHECK_EQ_LL(pthread_join(t[i], &r), 0);
        printf("thread %ld: thread-local sum %ld\n", i + 1, (long)r);
    }
    printf("total %ld, main's thread-local %ld\n", total, mine);
    return 0;
}
