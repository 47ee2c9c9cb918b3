/* Guest side of the memory-limit tests: run under `splitvm -m LIMIT` with
 * LIMIT (MiB) also passed as the second argument, it takes memory in one
 * way until the guest memory limit says no and checks that the refusal is
 * an ordinary ENOMEM at about the limit, and that giving memory back lets
 * it be taken again.
 *
 *   memcap malloc LIMIT    malloc + memset 1 MiB blocks until NULL; free; again
 *   memcap mmap LIMIT      one mapping over the limit; PROT_NONE over it and
 *                          mprotect; map + touch + unmap 20 times the limit
 *   memcap brk LIMIT       sbrk until it fails, shrink, grow again
 *   memcap mremap LIMIT    a move near the limit works, a growth past it not
 *   memcap filemap LIMIT   private copies of a file until ENOMEM
 *   memcap threads LIMIT   pthread_create until it fails, join, create again
 *   memcap idle LIMIT      nothing (for tests of the command line)
 *
 * Prints one summary line per step and exits 0, or "FAIL ..." and 1. */
#define _GNU_SOURCE /* mremap */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../user/check.h"

#define MIB ((size_t)1 << 20)

static size_t limit_mib;

/* What the guest may use before its own allocations: image, 8 MiB stack,
 * TLS, the C library's first heap pages. */
#define BASE_SLACK_MIB 24

/* malloc + memset 1 MiB blocks until malloc says NULL; returns the count. */
static size_t fill_with_malloc(void **blocks, size_t cap)
{
    size_t n = 0;
    for (;;) {
        CHECK(n < cap); /* far past the limit: it is not enforced */
        void *b = malloc(MIB);
        if (!b)
            break;
        memset(b, 0x5a, MIB);
        blocks[n++] = b;
    }
    CHECK_EQ_LL(errno, ENOMEM);
    return n;
}

static int test_malloc(void)
{
    size_t cap = 4 * limit_mib + 64;
    void **blocks = calloc(cap, sizeof(void *));
    CHECK(blocks != NULL);
    size_t first = fill_with_malloc(blocks, cap);
    printf("malloc: NULL (ENOMEM) after %zu MiB of a %zu MiB limit\n", first, limit_mib);
    CHECK(first < limit_mib);
    CHECK(first + BASE_SLACK_MIB + limit_mib / 32 >= limit_mib);
    for (size_t i = 0; i < first; i++)
        free(blocks[i]);
    /* Freed memory goes back to the limit: the same again. */
    size_t second = fill_with_malloc(blocks, cap);
    printf("malloc: after free, NULL again after %s MiB\n", second + 8 >= first ? "about as many" : "fewer");
    CHECK(second + 8 >= first);
    for (size_t i = 0; i < second; i++)
        free(blocks[i]);
    free(blocks);
    return 0;
}

static int test_mmap(void)
{
    size_t limit = limit_mib * MIB;
    errno = 0;
    void *p = mmap(NULL, limit + MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p == MAP_FAILED);
    CHECK_EQ_LL(errno, ENOMEM);
    printf("mmap: %zu MiB read/write refused with ENOMEM\n", limit_mib + 1);

    /* Address space alone costs nothing; making it writable does. */
    size_t big = 4 * limit;
    void *r = mmap(NULL, big, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(r != MAP_FAILED);
    errno = 0;
    CHECK_EQ_LL(mprotect(r, big, PROT_READ | PROT_WRITE), -1);
    CHECK_EQ_LL(errno, ENOMEM);
    CHECK_EQ_LL(mprotect(r, 16 * MIB, PROT_READ | PROT_WRITE), 0);
    memset(r, 1, 16 * MIB);
    CHECK_EQ_LL(munmap(r, big), 0);
    printf("mmap: %zu MiB PROT_NONE mapped; mprotect of all of it to read/write refused, of 16 MiB done\n",
           4 * limit_mib);

    /* Unmapping gives the charge back: 20 times the limit through a loop. */
    size_t chunk = limit / 2, rounds = 40;
    for (size_t i = 0; i < rounds; i++) {
        uint8_t *q = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        CHECK(q != MAP_FAILED);
        for (size_t off = 0; off < chunk; off += 4096)
            q[off] = (uint8_t)i;
        CHECK_EQ_LL(munmap(q, chunk), 0);
    }
    printf("mmap: %zu rounds of map, touch and unmap of %zu MiB done\n", rounds, limit_mib / 2);
    return 0;
}

static int test_brk(void)
{
    size_t n = 0;
    for (;;) {
        CHECK(n < 4 * limit_mib + 64);
        errno = 0;
        void *b = sbrk((intptr_t)MIB);
        if (b == (void *)-1)
            break;
        memset(b, 7, MIB);
        n++;
    }
    CHECK_EQ_LL(errno, ENOMEM);
    printf("brk: refused with ENOMEM after %zu MiB of a %zu MiB limit\n", n, limit_mib);
    CHECK(n < limit_mib);
    CHECK(n + BASE_SLACK_MIB + limit_mib / 32 >= limit_mib);
    CHECK(sbrk(-(intptr_t)(n * MIB)) != (void *)-1);
    for (size_t i = 0; i < n; i++)
        CHECK(sbrk((intptr_t)MIB) != (void *)-1);
    printf("brk: shrunk and grown by as much again\n");
    return 0;
}

static int test_mremap(void)
{
    size_t limit = limit_mib * MIB, half = limit / 2, more = limit / 4 * 3;
    /* Something right after it, so growing it has to move it. */
    uint8_t *p = mmap(NULL, half + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK_EQ_LL(munmap(p + half, 4096), 0);
    CHECK(mmap(p + half, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p + half);
    for (size_t off = 0; off < half; off += 4096)
        p[off] = (uint8_t)(off >> 12);
    /* Old and new together would pass the limit; the old one goes. */
    uint8_t *q = mremap(p, half, more, MREMAP_MAYMOVE);
    CHECK(q != MAP_FAILED);
    CHECK(q != p);
    for (size_t off = 0; off < half; off += 4096)
        CHECK_EQ_LL(q[off], (uint8_t)(off >> 12));
    printf("mremap: %zu MiB moved and grown to %zu MiB\n", half / MIB, more / MIB);
    errno = 0;
    CHECK(mremap(q, more, limit + MIB, MREMAP_MAYMOVE) == MAP_FAILED);
    CHECK_EQ_LL(errno, ENOMEM);
    CHECK_EQ_LL(q[4096], 1); /* still there after the refusal */
    printf("mremap: growing to %zu MiB refused with ENOMEM\n", limit_mib + 1);
    return 0;
}

static int test_filemap(const char *self)
{
    int fd = open(self, O_RDONLY);
    CHECK(fd >= 0);
    struct stat st;
    CHECK_EQ_LL(fstat(fd, &st), 0);
    size_t len = (size_t)st.st_size, n = 0, cap = 4 * limit_mib * MIB / len + 64;
    for (;;) {
        CHECK(n < cap);
        errno = 0;
        void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED)
            break;
        CHECK(memcmp(m, "\177ELF", 4) == 0);
        n++;
    }
    CHECK_EQ_LL(errno, ENOMEM);
    size_t mib = n * ((len + 4095) & ~(size_t)4095) / MIB;
    printf("filemap: private copies refused with ENOMEM after %s MiB\n",
           mib < limit_mib && mib + BASE_SLACK_MIB + limit_mib / 32 >= limit_mib ? "about the limit's" : "a wrong number of");
    CHECK(mib < limit_mib);
    CHECK(mib + BASE_SLACK_MIB + limit_mib / 32 >= limit_mib);
    close(fd);
    return 0;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int released;

static void *waiter(void *arg)
{
    pthread_mutex_lock(&lock);
    while (!released)
        pthread_cond_wait(&go, &lock);
    pthread_mutex_unlock(&lock);
    return arg;
}

static int test_threads(void)
{
    enum { MAX = 4000 };
    static pthread_t t[MAX];
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 << 10);
    int n = 0, err = 0;
    while (n < MAX && (err = pthread_create(&t[n], &attr, waiter, NULL)) == 0)
        n++;
    printf("threads: pthread_create failed (%s) after %d threads\n", err == EAGAIN ? "EAGAIN" : strerror(err), n);
    CHECK_EQ_LL(err, EAGAIN);
    CHECK(n > 4);
    pthread_mutex_lock(&lock);
    released = 1;
    pthread_cond_broadcast(&go);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < n; i++)
        CHECK_EQ_LL(pthread_join(t[i], NULL), 0);
    /* Their stacks went back: as many again. */
    released = 0;
    int again = 0;
    while (again < n && pthread_create(&t[again], &attr, waiter, NULL) == 0)
        again++;
    pthread_mutex_lock(&lock);
    released = 1;
    pthread_cond_broadcast(&go);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < again; i++)
        CHECK_EQ_LL(pthread_join(t[i], NULL), 0);
    printf("threads: all joined; %s created again\n", again == n ? "as many" : "fewer");
    CHECK_EQ_LL(again, n);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 3 || atoi(argv[2]) < 32) {
        printf("usage: memcap malloc|mmap|brk|mremap|filemap|threads LIMIT_MIB (>= 32)\n");
        return 2;
    }
    limit_mib = (size_t)atoi(argv[2]);
    const char *mode = argv[1];
    if (!strcmp(mode, "malloc"))
        return test_malloc();
    if (!strcmp(mode, "mmap"))
        return test_mmap();
    if (!strcmp(mode, "brk"))
        return test_brk();
    if (!strcmp(mode, "mremap"))
        return test_mremap();
    if (!strcmp(mode, "filemap"))
        return test_filemap(argv[0]);
    if (!strcmp(mode, "threads"))
        return test_threads();
    if (!strcmp(mode, "idle"))
        return 0;
    printf("memcap: unknown mode %s\n", mode);
    return 2;
}
