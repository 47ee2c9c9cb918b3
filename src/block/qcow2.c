/* qcow2 images: requests. A guest offset's cluster is found through the
 * L1 table (in memory) and an L2 table (cached); unallocated and zero
 * clusters read as zeros, and a write to one allocates a cluster at the
 * image's end (see qcow2_meta.c for the order things reach the disk). */
#include <errno.h>
#include <string.h>

#include "qcow2.h"

/* A cluster (an L2 table, a data cluster) the driver is about to write
 * through an entry without QCOW2_COPIED: allowed when its refcount is 1. */
static int check_unshared(blk_dev *bd, uint64_t off)
{
    qcow2 *q = bd->state;
    uint16_t rc;
    int r = qcow2_refcount(bd, off >> q->cluster_bits, &rc);
    if (r < 0 || rc == 1)
        return r;
    if (!rc)
        return qcow2_fail(bd, QCOW2_WARN_CORRUPT, "corrupt image: the cluster at %#llx is in use with refcount 0",
                          (unsigned long long)off);
    return qcow2_fail(bd, QCOW2_WARN_SHARED,
                      "writes to clusters shared with an internal snapshot are not supported "
                      "(delete the snapshots with `qemu-img snapshot -d`)");
}

/* The L2 table mapping guest cluster vc; NULL when there is none and
 * alloc is 0. With alloc, one is made, and a shared one refused. */
static int l2_table(blk_dev *bd, uint64_t vc, int alloc, qcow2_table **t)
{
    qcow2 *q = bd->state;
    uint64_t i = vc >> q->l2_bits;
    *t = NULL;
    if (i >= q->l1_size) /* the header's check makes this impossible */
        return qcow2_fail(bd, QCOW2_WARN_CORRUPT, "corrupt image: L1 table too small");
    uint64_t e = q->l1[i], off = e & QCOW2_OFF_MASK;
    if (e & ~(QCOW2_OFF_MASK | QCOW2_COPIED))
        return qcow2_fail(bd, QCOW2_WARN_CORRUPT, "corrupt image: L1 entry %llu has reserved bits set",
                          (unsigned long long)i);
    int r;
    if (!off) {
        if (!alloc)
            return 0;
        if ((r = qcow2_alloc_cluster(bd, &off)) < 0 || (r = qcow2_table_get(bd, &q->l2, off, 1, t)) < 0)
            return r;
        q->l1[i] = off | QCOW2_COPIED;
        qcow2_mark_dirty(&q->l1_dirty_lo, &q->l1_dirty_hi, i);
        return 0;
    }
    if ((r = qcow2_check_cluster(bd, off, alloc, "an L2 table")) < 0)
        return r;
    if (alloc && !(e & QCOW2_COPIED)) {
        if ((r = check_unshared(bd, off)) < 0)
            return r;
        q->l1[i] = e | QCOW2_COPIED;
        qcow2_mark_dirty(&q->l1_dirty_lo, &q->l1_dirty_hi, i);
    }
    return qcow2_table_get(bd, &q->l2, off, 0, t);
}

/* Guest cluster vc's L2 entry (0 when there is no L2 table), checked. */
static int l2_entry(blk_dev *bd, uint64_t vc, int alloc, qcow2_table **t, uint64_t *e)
{
    qcow2 *q = bd->state;
    int r = l2_table(bd, vc, alloc, t);
    if (r < 0)
        return r;
    *e = *t ? qcow2_be64((*t)->data + (vc & ((1u << q->l2_bits) - 1)) * 8) : 0;
    if (*e & QCOW2_COMPRESSED)
        return qcow2_fail(bd, QCOW2_WARN_COMPRESSED,
                          "compressed clusters are not supported (no zlib): "
                          "`qemu-img convert -O qcow2` the image to uncompress it");
    uint64_t reserved = ~(QCOW2_OFF_MASK | QCOW2_COPIED | (q->version >= 3 ? QCOW2_ZERO : 0));
    if (*e & reserved)
        return qcow2_fail(bd, QCOW2_WARN_CORRUPT, "corrupt image: L2 entry for guest cluster %llu has reserved bits set",
                          (unsigned long long)vc);
    uint64_t host = *e & QCOW2_OFF_MASK;
    return host ? qcow2_check_cluster(bd, host, alloc, "a data cluster") : 0;
}

static int qcow2_read(blk_dev *bd, uint64_t off, void *buf, size_t len)
{
    qcow2 *q = bd->state;
    uint8_t *p = buf, *run_buf = NULL;
    uint64_t run_host = 0;
    size_t run_len = 0; /* clusters contiguous in the file are read at once */
    int r;
    while (len) {
        uint64_t vc = off >> q->cluster_bits, in = off & (q->cluster_size - 1), e;
        size_t n = q->cluster_size - in < len ? (size_t)(q->cluster_size - in) : len;
        qcow2_table *t;
        if ((r = l2_entry(bd, vc, 0, &t, &e)) < 0)
            return r;
        uint64_t host = e & QCOW2_OFF_MASK;
        int zero = !host || (e & QCOW2_ZERO);
        if (run_len && (zero || host + in != run_host + run_len)) {
            if ((r = bd->io.pread(bd->io.opaque, run_buf, run_len, run_host)) < 0)
                return r;
            run_len = 0;
        }
        if (zero) {
            memset(p, 0, n);
        } else if (run_len) {
            run_len += n;
        } else {
            run_buf = p;
            run_host = host + in;
            run_len = n;
        }
        p += n;
        off += n;
        len -= n;
    }
    return run_len ? bd->io.pread(bd->io.opaque, run_buf, run_len, run_host) : 0;
}

/* n bytes at in within guest cluster vc. */
static int write_cluster(blk_dev *bd, uint64_t vc, uint64_t in, const uint8_t *src, size_t n)
{
    qcow2 *q = bd->state;
    qcow2_table *t;
    uint64_t e;
    int r = l2_entry(bd, vc, 1, &t, &e);
    if (r < 0)
        return r;
    uint64_t host = e & QCOW2_OFF_MASK;
    if (host && !(e & QCOW2_COPIED) && (r = check_unshared(bd, host)) < 0)
        return r;
    if (host && !(e & QCOW2_ZERO)) { /* in place */
        if ((r = bd->io.pwrite(bd->io.opaque, src, n, host + in)) < 0)
            return r;
    } else {
        /* A new cluster, or one preallocated as zeros: all of it is
         * written, the rest as zeros (no backing file). Its refcount is
         * set before the L2 entry, which is written back after it. */
        if (!host && (r = qcow2_alloc_cluster(bd, &host)) < 0)
            return r;
        if (n < q->cluster_size) {
            memset(q->bounce, 0, q->cluster_size);
            memcpy(q->bounce + in, src, n);
            src = q->bounce;
        }
        if ((r = bd->io.pwrite(bd->io.opaque, src, q->cluster_size, host)) < 0)
            return r;
    }
    uint64_t ne = host | QCOW2_COPIED;
    if (ne != e) {
        qcow2_put_be64(t->data + (vc & ((1u << q->l2_bits) - 1)) * 8, ne);
        t->dirty = 1;
    }
    return 0;
}

static int qcow2_write(blk_dev *bd, uint64_t off, const void *buf, size_t len)
{
    qcow2 *q = bd->state;
    const uint8_t *p = buf;
    while (len) {
        uint64_t in = off & (q->cluster_size - 1);
        size_t n = q->cluster_size - in < len ? (size_t)(q->cluster_size - in) : len;
        int r = write_cluster(bd, off >> q->cluster_bits, in, p, n);
        if (r < 0)
            return r;
        p += n;
        off += n;
        len -= n;
    }
    return 0;
}

static int qcow2_flush(blk_dev *bd)
{
    int r = qcow2_writeback(bd);
    return r < 0 ? r : bd->io.flush(bd->io.opaque);
}

const blk_format blk_format_qcow2 = {"qcow2", qcow2_probe, qcow2_open, qcow2_read, qcow2_write, qcow2_flush, qcow2_close};
