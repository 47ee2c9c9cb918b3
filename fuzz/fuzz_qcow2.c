/* libFuzzer target: the qcow2 driver (src/block/qcow2*.c) on an arbitrary
 * image held in memory, opened read-write, read, written and flushed.
 * Beyond "no crash" (ASan/UBSan), it checks the promises of block.h: a
 * refused image gives a one-line reason, every request returns 0 or a
 * negative errno, the driver never writes into the header's cluster except
 * the fields it owns (the refcount table's offset and size, the autoclear
 * bits), and it gives back every host block it took. */
#include "block/block.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEM_MAX (64u << 20) /* the image may grow to this; then -ENOSPC */

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_qcow2: broken promise: %s\n", what);
        abort();
    }
}

typedef struct mem_file {
    uint8_t *b;
    size_t n, cap;
    uint64_t header_end; /* the header's cluster, as the input names it */
} mem_file;

static int mem_pread(void *o, void *buf, size_t len, uint64_t off)
{
    mem_file *f = o;
    size_t have = off < f->n ? f->n - (size_t)off : 0;
    if (have > len)
        have = len;
    if (have)
        memcpy(buf, f->b + off, have);
    memset((uint8_t *)buf + have, 0, len - have);
    return 0;
}

static int mem_pwrite(void *o, const void *buf, size_t len, uint64_t off)
{
    mem_file *f = o;
    if (off < f->header_end)
        require((off >= 48 && off + len <= 60) || (off >= 88 && off + len <= 96),
                "writes into the header's cluster only to the refcount table fields or the autoclear bits");
    if (off > MEM_MAX || len > MEM_MAX - off)
        return -ENOSPC;
    if (off + len > f->cap) {
        size_t cap = (size_t)(off + len) * 2 < MEM_MAX ? (size_t)(off + len) * 2 : MEM_MAX;
        uint8_t *b = realloc(f->b, cap);
        if (!b)
            return -ENOMEM;
        memset(b + f->cap, 0, cap - f->cap);
        f->b = b;
        f->cap = cap;
    }
    memcpy(f->b + off, buf, len);
    if (off + len > f->n)
        f->n = (size_t)(off + len);
    return 0;
}

static int mem_flush(void *o)
{
    (void)o;
    return 0;
}

static int mem_length(void *o, uint64_t *len)
{
    *len = ((mem_file *)o)->n;
    return 0;
}

static void request(int r)
{
    require(r == 0 || (r < 0 && r > -4096), "a request returns 0 or -errno");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mem_file f = {malloc(size + 1), size, size, 512};
    memcpy(f.b, data, size);
    if (size >= 24 && data[20] == 0 && data[21] == 0 && data[22] == 0 && data[23] >= 9 && data[23] <= 21)
        f.header_end = 1ull << data[23];
    host_ctx *host = host_create();
    blk_dev bd;
    char err[256];
    memset(err, 'x', sizeof err);
    if (blk_open(&bd, host, (blk_io){&f, mem_pread, mem_pwrite, mem_flush, mem_length}, "qcow2", 0, err, sizeof err)) {
        size_t n = strnlen(err, sizeof err);
        require(n > 0 && n < sizeof err && !memchr(err, '\n', n), "a refused image gives a one-line reason");
    } else {
        static uint8_t buf[1 << 17];
        uint64_t last = bd.size > sizeof buf ? bd.size - sizeof buf : 0;
        size_t n = bd.size < sizeof buf ? (size_t)bd.size : sizeof buf;
        request(blk_read(&bd, 0, buf, n));
        request(blk_read(&bd, last, buf, n));
        request(blk_read(&bd, bd.size / 2, buf, bd.size - bd.size / 2 < 4096 ? (size_t)(bd.size - bd.size / 2) : 4096));
        memset(buf, 0x5a, sizeof buf);
        request(blk_write(&bd, 0, buf, n < 5000 ? n : 5000));
        request(blk_write(&bd, last, buf, n));
        request(blk_write(&bd, bd.size / 3, buf, bd.size - bd.size / 3 < 700 ? (size_t)(bd.size - bd.size / 3) : 700));
        request(blk_flush(&bd));
        request(blk_read(&bd, 0, buf, n));
        blk_close(&bd);
    }
    size_t fds, maps, blocks;
    host_counts(host, &fds, &maps, &blocks);
    require(blocks == 0, "every host block is given back");
    host_destroy(host);
    free(f.b);
    return 0;
}
