/* qcow2 images (QEMU's docs/interop/qcow2.txt), versions 2 and 3: the
 * driver's state shared by its three files. qcow2.c serves requests
 * (L1 -> L2 -> data clusters), qcow2_open.c checks the header, and
 * qcow2_meta.c keeps the metadata: the caches of L2 tables and refcount
 * blocks, refcounts, cluster allocation at the file's end, the refcount
 * table's growth, and writing it all back in a crash-safe order.
 *
 * Not supported (refused at open, or the request fails with -EIO and a
 * one-time message): backing files, encryption, external data files,
 * extended L2 entries, refcount widths other than 16 bits, compressed
 * clusters (no zlib), and writes to clusters shared with an internal
 * snapshot (refcount > 1). */
#ifndef SPLITVM_QCOW2_H
#define SPLITVM_QCOW2_H

#include <stdint.h>

#include "block.h"

#define QCOW2_OFF_MASK 0x00fffffffffffe00ull /* bits 9-55: a host offset */
#define QCOW2_COPIED (1ull << 63)            /* refcount is exactly 1 */
#define QCOW2_COMPRESSED (1ull << 62)        /* L2 entries */
#define QCOW2_ZERO 1ull                      /* L2 entries, version 3 */
#define QCOW2_MAX_L1_BYTES (32u << 20)       /* QEMU's limits */
#define QCOW2_MAX_REFTABLE_BYTES (8u << 20)

/* One cached L2 table or refcount block, as on disk (big-endian). */
typedef struct qcow2_table {
    uint64_t off; /* host offset; 0: the slot is free */
    uint8_t *data;
    uint64_t used; /* for least-recently-used eviction */
    int dirty;
} qcow2_table;

typedef struct qcow2_cache {
    qcow2_table *slots;
    unsigned n;
    uint64_t tick;
} qcow2_cache;

typedef struct qcow2 {
    int version;
    unsigned cluster_bits;
    uint64_t cluster_size;
    unsigned l2_bits; /* log2 of the entries in an L2 table */
    unsigned rb_bits; /* log2 of the entries in a refcount block */

    uint64_t *l1; /* host byte order */
    uint32_t l1_size;
    uint64_t l1_off;
    uint64_t l1_dirty_lo, l1_dirty_hi; /* entries [lo, hi) to write back */

    uint64_t *reftable; /* host byte order */
    uint64_t reftable_entries;
    uint64_t reftable_off;
    uint32_t reftable_clusters;
    uint64_t rt_dirty_lo, rt_dirty_hi;

    /* Clusters are allocated from here on (the file's end when opened,
     * rounded up); every offset the image names lies below it. */
    uint64_t next_cluster;

    qcow2_cache l2, rb;
    uint8_t *bounce; /* one cluster, for partial writes to new clusters */
    unsigned warned; /* QCOW2_WARN_* already printed */
} qcow2;

enum { QCOW2_WARN_CORRUPT = 1, QCOW2_WARN_COMPRESSED = 2, QCOW2_WARN_SHARED = 4 };

static inline uint64_t qcow2_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static inline uint32_t qcow2_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void qcow2_put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static inline void qcow2_put_be32(uint8_t *p, uint32_t v)
{
    for (int i = 3; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

int qcow2_probe(const uint8_t *head, size_t n);
/* Check the header, read the L1 and refcount tables, set up the caches. */
int qcow2_open(blk_dev *bd, char *err, size_t errlen);
void qcow2_close(blk_dev *bd);

/* Widen a table's dirty range [*lo, *hi) to take entry i. */
static inline void qcow2_mark_dirty(uint64_t *lo, uint64_t *hi, uint64_t i)
{
    if (*lo == *hi)
        *lo = i, *hi = i + 1;
    else if (i < *lo)
        *lo = i;
    else if (i >= *hi)
        *hi = i + 1;
}

/* Fail a request: print what is wrong once per image and kind, -EIO. */
int qcow2_fail(blk_dev *bd, unsigned kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A cluster offset the image names: cluster-aligned, past the header's
 * cluster and below the image's end. For a cluster the driver will write,
 * also outside the L1 and refcount tables. 0 or -EIO (with the message). */
int qcow2_check_cluster(blk_dev *bd, uint64_t off, int for_write, const char *what);

/* The table at host offset off in cache c. fresh: a new, zeroed table
 * that is written back later (not read). A table pointer stays valid until
 * the next qcow2_table_get on the same cache. */
int qcow2_table_get(blk_dev *bd, qcow2_cache *c, uint64_t off, int fresh, qcow2_table **t);
int qcow2_cache_init(blk_dev *bd, qcow2_cache *c, unsigned n);
void qcow2_cache_free(blk_dev *bd, qcow2_cache *c);

int qcow2_refcount(blk_dev *bd, uint64_t cluster, uint16_t *rc);
int qcow2_set_refcount(blk_dev *bd, uint64_t cluster, uint16_t rc);
/* A new cluster at the image's end, its refcount 1; *off its offset. */
int qcow2_alloc_cluster(blk_dev *bd, uint64_t *off);

/* Write back every dirty table: refcount blocks, then the refcount table,
 * then L2 tables, then the L1 table, with io.flush between the steps, so
 * a table never reaches the disk before what it points to. */
int qcow2_writeback(blk_dev *bd);

#endif
