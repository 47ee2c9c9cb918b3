/* Helpers of the block-layer tests: an image opened through blk_open over
 * a host file, a deterministic pattern generator, failure reporting. */
#ifndef BLK_TEST_H
#define BLK_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block/block.h"

static int blk_test_failures __attribute__((unused));

#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);                                                     \
            fprintf(stderr, __VA_ARGS__);                                                                              \
            fprintf(stderr, "\n");                                                                                     \
            blk_test_failures++;                                                                                       \
        }                                                                                                              \
    } while (0)

typedef struct test_img {
    host_ctx *host;
    blk_host_file file;
    blk_dev bd;
    char err[256];
} test_img;

/* Open path as an image (format NULL: probe). 0 or -errno, err says why. */
static inline int test_img_open(test_img *t, const char *path, const char *format, int read_only)
{
    memset(t, 0, sizeof *t);
    t->host = host_create();
    int fd = host_openat(t->host, AT_FDCWD, path, read_only ? O_RDONLY : O_RDWR, 0);
    if (fd < 0) {
        snprintf(t->err, sizeof t->err, "%s: %s", path, strerror(-fd));
        host_destroy(t->host);
        return fd;
    }
    t->file = (blk_host_file){t->host, fd};
    int r = blk_open(&t->bd, t->host, blk_io_host_file(&t->file), format, read_only, t->err, sizeof t->err);
    if (r < 0) {
        size_t fds, maps, blocks;
        host_close(t->host, fd);
        host_counts(t->host, &fds, &maps, &blocks);
        if (blocks) /* a refused image frees what it took */
            snprintf(t->err + strlen(t->err), sizeof t->err - strlen(t->err), " [LEAK: %zu blocks]", blocks);
        host_destroy(t->host);
    }
    return r;
}

/* Close; 0, or -1 when the driver left host memory behind. */
static inline int test_img_close(test_img *t)
{
    size_t fds, maps, blocks;
    blk_close(&t->bd);
    host_close(t->host, t->file.fd);
    host_counts(t->host, &fds, &maps, &blocks);
    host_destroy(t->host);
    return blocks ? -1 : 0;
}

/* xorshift64*: the same numbers on every host. */
static inline uint64_t test_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dull;
}

static inline void test_fill(uint8_t *p, size_t n, uint64_t *s)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(test_rand(s) >> 56);
}

#endif
