/* Memory: brk growth, many small blocks, large mmap'd blocks, mprotect,
 * munmap, mremap (directly and through realloc of a large block). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "check.h"

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

int main(void)
{
    /* brk: sbrk grows the heap and the new memory is usable. */
    char *b0 = sbrk(0);
    CHECK(b0 != (char *)-1);
    char *p = sbrk(1 << 20);
    CHECK(p == b0);
    memset(p, 0x5a, 1 << 20);
    CHECK(p[(1 << 20) - 1] == 0x5a);
    CHECK(sbrk(0) == b0 + (1 << 20));
    CHECK(sbrk(-(1 << 19)) != (void *)-1);
    printf("brk ok\n");

    /* Small-block churn with content checks. */
    enum { N = 4000 };
    static unsigned char *blk[N];
    static size_t len[N];
    uint64_t sum = 0;
    for (int round = 0; round < 8; round++) {
        for (int i = 0; i < N; i++) {
            if (blk[i] && (next() & 1)) {
                for (size_t k = 0; k < len[i]; k++)
                    CHECK(blk[i][k] == (unsigned char)(i + k));
                free(blk[i]);
                blk[i] = NULL;
            }
            if (!blk[i]) {
                len[i] = next() % 512 + 1;
                blk[i] = malloc(len[i]);
                CHECK(blk[i] != NULL);
                for (size_t k = 0; k < len[i]; k++)
                    blk[i][k] = (unsigned char)(i + k);
                sum += len[i];
            }
        }
    }
    for (int i = 0; i < N; i++)
        free(blk[i]);
    printf("small blocks ok, bytes=%llu\n", (unsigned long long)sum);

    /* Large blocks come from mmap; realloc of them uses mremap. */
    size_t big = 8 << 20;
    unsigned char *q = malloc(big);
    CHECK(q != NULL);
    for (size_t i = 0; i < big; i += 4096)
        q[i] = (unsigned char)(i >> 12);
    q = realloc(q, 3 * big);
    CHECK(q != NULL);
    for (size_t i = 0; i < big; i += 4096)
        CHECK(q[i] == (unsigned char)(i >> 12));
    q[3 * big - 1] = 7;
    q = realloc(q, big / 2);
    CHECK(q != NULL);
    CHECK(q[4096] == 1);
    free(q);
    void *c = calloc(1 << 16, 64);
    CHECK(c != NULL);
    for (size_t i = 0; i < (1 << 22); i += 512)
        CHECK(((unsigned char *)c)[i] == 0);
    free(c);
    printf("large blocks ok\n");

    /* Direct mmap / mprotect / munmap / mremap. */
    long pg = sysconf(_SC_PAGESIZE);
    unsigned char *m = mmap(NULL, 16 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED);
    CHECK(((uintptr_t)m & (pg - 1)) == 0);
    for (int i = 0; i < 16; i++)
        CHECK(m[i * pg] == 0);
    memset(m, 1, 16 * pg);
    CHECK(mprotect(m, 4 * pg, PROT_READ) == 0);
    CHECK(m[0] == 1);
    CHECK(mprotect(m, 4 * pg, PROT_READ | PROT_WRITE) == 0);
    m[0] = 2;
    CHECK(munmap(m + 8 * pg, 8 * pg) == 0);
    unsigned char *r = mremap(m, 8 * pg, 64 * pg, MREMAP_MAYMOVE);
    CHECK(r != MAP_FAILED);
    CHECK(r[0] == 2 && r[7 * pg] == 1);
    r[63 * pg] = 3;
    CHECK(munmap(r, 64 * pg) == 0);
    CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
    /* MAP_FIXED over part of an existing mapping. */
    unsigned char *f = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(f != MAP_FAILED);
    memset(f, 9, 4 * pg);
    CHECK(mmap(f + pg, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == f + pg);
    CHECK(f[0] == 9 && f[pg] == 0 && f[2 * pg] == 9);
    CHECK(munmap(f, 4 * pg) == 0);
    printf("mmap family ok\n");
    return 0;
}
