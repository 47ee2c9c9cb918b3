/* qcow2 metadata: cached tables, refcounts, allocation, write-back order.
 *
 * L2 tables and refcount blocks live in small LRU caches and are written
 * back (qcow2_writeback) when a dirty one is evicted, when the refcount
 * table grows, and on flush. The order is QEMU's: a new cluster's data and
 * its refcount reach the disk before the L2 entry naming it, an L2 table
 * before the L1 entry, a refcount block before the refcount table entry.
 * A crash in between leaks clusters (refcount 1, unreferenced), which
 * `qemu-img check -r leaks` repairs; it never leaves a referenced cluster
 * with refcount 0. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "qcow2.h"

int qcow2_fail(blk_dev *bd, unsigned kind, const char *fmt, ...)
{
    qcow2 *q = bd->state;
    if (!(q->warned & kind)) {
        q->warned |= kind;
        char msg[400];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        blk_log(bd, "splitvm: qcow2: %s", msg);
    }
    return -EIO;
}

static int overlaps(uint64_t off, uint64_t len, uint64_t start, uint64_t n)
{
    return off < start + n && start < off + len;
}

int qcow2_check_cluster(blk_dev *bd, uint64_t off, int for_write, const char *what)
{
    qcow2 *q = bd->state;
    uint64_t cs = q->cluster_size;
    if ((off & (cs - 1)) || off < cs || off >= q->next_cluster << q->cluster_bits)
        return qcow2_fail(bd, QCOW2_WARN_CORRUPT, "corrupt image: %s at %#llx is %s", what, (unsigned long long)off,
                          off & (cs - 1) ? "not cluster-aligned" : "outside the image");
    if (for_write && (overlaps(off, cs, q->l1_off, (uint64_t)q->l1_size * 8) ||
                      overlaps(off, cs, q->reftable_off, (uint64_t)q->reftable_clusters << q->cluster_bits)))
        return qcow2_fail(bd, QCOW2_WARN_CORRUPT, "corrupt image: %s at %#llx overlaps the L1 or refcount table",
                          what, (unsigned long long)off);
    return 0;
}

/* ---- the caches ---- */
int qcow2_cache_init(blk_dev *bd, qcow2_cache *c, unsigned n)
{
    qcow2 *q = bd->state;
    c->slots = host_alloc(bd->host, n * sizeof *c->slots);
    if (!c->slots)
        return -ENOMEM;
    c->n = n;
    for (unsigned i = 0; i < n; i++)
        if (!(c->slots[i].data = host_alloc(bd->host, q->cluster_size)))
            return -ENOMEM;
    return 0;
}

void qcow2_cache_free(blk_dev *bd, qcow2_cache *c)
{
    for (unsigned i = 0; c->slots && i < c->n; i++)
        host_free(bd->host, c->slots[i].data);
    host_free(bd->host, c->slots);
    c->slots = NULL;
}

int qcow2_table_get(blk_dev *bd, qcow2_cache *c, uint64_t off, int fresh, qcow2_table **t)
{
    qcow2 *q = bd->state;
    qcow2_table *victim = &c->slots[0];
    for (unsigned i = 0; i < c->n; i++) {
        qcow2_table *s = &c->slots[i];
        if (s->off == off) {
            if (fresh) { /* cannot happen: new clusters lie past every cached one */
                memset(s->data, 0, q->cluster_size);
                s->dirty = 1;
            }
            s->used = ++c->tick;
            *t = s;
            return 0;
        }
        if (s->used < victim->used)
            victim = s;
    }
    if (victim->dirty) { /* write back all, in order: this one's referents may be dirty too */
        int r = qcow2_writeback(bd);
        if (r < 0)
            return r;
    }
    victim->off = 0;
    if (fresh) {
        memset(victim->data, 0, q->cluster_size);
        victim->dirty = 1;
    } else {
        int r = bd->io.pread(bd->io.opaque, victim->data, q->cluster_size, off);
        if (r < 0)
            return r;
    }
    victim->off = off;
    victim->used = ++c->tick;
    *t = victim;
    return 0;
}

/* ---- refcounts (16 bits: refcount_order 4) ---- */
static int grow_reftable(blk_dev *bd, uint64_t block);

/* The refcount block covering cluster, or NULL (every refcount in it is 0)
 * when the image has none and create is 0. */
static int refblock_for(blk_dev *bd, uint64_t cluster, int create, qcow2_table **t)
{
    qcow2 *q = bd->state;
    uint64_t b = cluster >> q->rb_bits;
    *t = NULL;
    if (b >= q->reftable_entries) {
        if (!create)
            return 0;
        int r = grow_reftable(bd, b);
        if (r < 0)
            return r;
    }
    if (q->reftable[b] & ~QCOW2_OFF_MASK)
        return qcow2_fail(bd, QCOW2_WARN_CORRUPT, "corrupt image: refcount table entry %llu has reserved bits set",
                          (unsigned long long)b);
    uint64_t off = q->reftable[b];
    if (!off) {
        if (!create)
            return 0;
        /* A new block at the end. When it lies outside its own range, its
         * own refcount goes into the next block (made the same way). */
        uint64_t nc = q->next_cluster;
        q->next_cluster = nc + 1;
        if (nc >> q->rb_bits != b) {
            uint16_t rc;
            int r = qcow2_refcount(bd, nc, &rc);
            if (r < 0 || (r = qcow2_set_refcount(bd, nc, 1)) < 0)
                return r;
            if (rc)
                return qcow2_fail(bd, QCOW2_WARN_CORRUPT, "corrupt image: refcounts past the image's end");
        }
        off = nc << q->cluster_bits;
        int r = qcow2_table_get(bd, &q->rb, off, 1, t);
        if (r < 0)
            return r;
        if (nc >> q->rb_bits == b)
            (*t)->data[(nc & ((1u << q->rb_bits) - 1)) * 2 + 1] = 1;
        q->reftable[b] = off;
        qcow2_mark_dirty(&q->rt_dirty_lo, &q->rt_dirty_hi, b);
        return 0;
    }
    int r = qcow2_check_cluster(bd, off, 1, "a refcount block");
    return r < 0 ? r : qcow2_table_get(bd, &q->rb, off, 0, t);
}

int qcow2_refcount(blk_dev *bd, uint64_t cluster, uint16_t *rc)
{
    qcow2 *q = bd->state;
    qcow2_table *t;
    int r = refblock_for(bd, cluster, 0, &t);
    if (r < 0)
        return r;
    const uint8_t *p = t ? t->data + (cluster & ((1u << q->rb_bits) - 1)) * 2 : NULL;
    *rc = p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
    return 0;
}

int qcow2_set_refcount(blk_dev *bd, uint64_t cluster, uint16_t rc)
{
    qcow2 *q = bd->state;
    qcow2_table *t;
    int r = refblock_for(bd, cluster, rc != 0, &t);
    if (r < 0 || !t)
        return r;
    uint8_t *p = t->data + (cluster & ((1u << q->rb_bits) - 1)) * 2;
    p[0] = (uint8_t)(rc >> 8);
    p[1] = (uint8_t)rc;
    t->dirty = 1;
    return 0;
}

int qcow2_alloc_cluster(blk_dev *bd, uint64_t *off)
{
    qcow2 *q = bd->state;
    for (;;) {
        uint64_t c = q->next_cluster;
        if (c >= (QCOW2_OFF_MASK >> q->cluster_bits))
            return qcow2_fail(bd, QCOW2_WARN_CORRUPT, "the image is full (host offsets end at 2^56)");
        uint16_t rc;
        int r = qcow2_refcount(bd, c, &rc);
        if (r < 0)
            return r;
        q->next_cluster = c + 1;
        if (rc) /* a corrupt image counts clusters past its end: skip them */
            continue;
        r = qcow2_set_refcount(bd, c, 1);
        if (r < 0)
            return r;
        *off = c << q->cluster_bits;
        return 0;
    }
}

/* The refcount table is full: a bigger one at the end, covering itself and
 * the blocks it needs; the header names it once it is on disk, then the
 * old one is freed. */
static int grow_reftable(blk_dev *bd, uint64_t block)
{
    qcow2 *q = bd->state;
    int r = qcow2_writeback(bd); /* the disk consistent before the switch */
    if (r < 0)
        return r;
    uint64_t per_cluster = q->cluster_size / 8, entries = q->reftable_entries * 2, k;
    if (entries <= block)
        entries = block + 1;
    for (;;) {
        entries = (entries + per_cluster - 1) / per_cluster * per_cluster;
        k = entries / per_cluster;
        /* Room for the new table and the blocks that count it. */
        uint64_t end = q->next_cluster + k + (k >> q->rb_bits) + 2;
        if ((end >> q->rb_bits) < entries)
            break;
        entries *= 2;
    }
    if (entries * 8 > QCOW2_MAX_REFTABLE_BYTES)
        return qcow2_fail(bd, QCOW2_WARN_CORRUPT, "the refcount table would exceed %u MiB",
                          QCOW2_MAX_REFTABLE_BYTES >> 20);
    uint64_t *table = host_alloc(bd->host, entries * 8);
    if (!table)
        return -ENOMEM;
    memcpy(table, q->reftable, q->reftable_entries * 8);
    uint64_t *old = q->reftable, old_off = q->reftable_off, old_clusters = q->reftable_clusters;
    uint64_t first = q->next_cluster;
    for (uint64_t i = 0; i < k; i++) { /* past the end: checked free, not skipped */
        uint16_t rc = 0;
        if ((r = qcow2_refcount(bd, first + i, &rc)) < 0 || rc) {
            host_free(bd->host, table);
            return r < 0 ? r : qcow2_fail(bd, QCOW2_WARN_CORRUPT, "corrupt image: refcounts past the image's end");
        }
    }
    q->reftable = table;
    q->reftable_entries = entries;
    q->reftable_off = first << q->cluster_bits;
    q->reftable_clusters = (uint32_t)k;
    q->rt_dirty_lo = 0;
    q->rt_dirty_hi = entries;
    q->next_cluster = first + k;
    host_free(bd->host, old);
    for (uint64_t i = 0; i < k; i++)
        if ((r = qcow2_set_refcount(bd, first + i, 1)) < 0)
            return r;
    if ((r = qcow2_writeback(bd)) < 0 || (r = bd->io.flush(bd->io.opaque)) < 0)
        return r;
    uint8_t hdr[12];
    qcow2_put_be64(hdr, q->reftable_off);
    qcow2_put_be32(hdr + 8, q->reftable_clusters);
    if ((r = bd->io.pwrite(bd->io.opaque, hdr, sizeof hdr, 48)) < 0 || (r = bd->io.flush(bd->io.opaque)) < 0)
        return r;
    for (uint64_t i = 0; i < old_clusters; i++)
        if ((r = qcow2_set_refcount(bd, (old_off >> q->cluster_bits) + i, 0)) < 0)
            return r;
    return 0;
}

/* ---- write-back ---- */
/* Write c's dirty tables; barrier: flush first (once, if any is dirty),
 * so that what they point to is on disk before them. */
static int write_dirty(blk_dev *bd, qcow2_cache *c, int barrier, int *wrote)
{
    qcow2 *q = bd->state;
    for (unsigned i = 0; i < c->n; i++) {
        qcow2_table *t = &c->slots[i];
        if (!t->dirty || !t->off)
            continue;
        int r;
        if (barrier && !*wrote && (r = bd->io.flush(bd->io.opaque)) < 0)
            return r;
        if ((r = bd->io.pwrite(bd->io.opaque, t->data, q->cluster_size, t->off)) < 0)
            return r;
        t->dirty = 0;
        *wrote = 1;
    }
    return 0;
}

/* Entries [lo, hi) of an in-memory table (host order) at off, big-endian. */
static int write_entries(blk_dev *bd, const uint64_t *table, uint64_t lo, uint64_t hi, uint64_t off)
{
    uint8_t buf[512];
    while (lo < hi) {
        uint64_t n = hi - lo < sizeof buf / 8 ? hi - lo : sizeof buf / 8;
        for (uint64_t i = 0; i < n; i++)
            qcow2_put_be64(buf + i * 8, table[lo + i]);
        int r = bd->io.pwrite(bd->io.opaque, buf, n * 8, off + lo * 8);
        if (r < 0)
            return r;
        lo += n;
    }
    return 0;
}

int qcow2_writeback(blk_dev *bd)
{
    qcow2 *q = bd->state;
    int wrote = 0, r;
    if ((r = write_dirty(bd, &q->rb, 0, &wrote)) < 0)
        return r;
    if (q->rt_dirty_lo < q->rt_dirty_hi) {
        if ((wrote && (r = bd->io.flush(bd->io.opaque)) < 0) ||
            (r = write_entries(bd, q->reftable, q->rt_dirty_lo, q->rt_dirty_hi, q->reftable_off)) < 0)
            return r;
        q->rt_dirty_lo = q->rt_dirty_hi = 0;
    }
    /* The L2 step flushes before its first write whatever came before: the
     * data clusters written since the last write-back are what the new L2
     * entries name. */
    wrote = 0;
    if ((r = write_dirty(bd, &q->l2, 1, &wrote)) < 0)
        return r;
    if (q->l1_dirty_lo < q->l1_dirty_hi) {
        if ((r = bd->io.flush(bd->io.opaque)) < 0 ||
            (r = write_entries(bd, q->l1, q->l1_dirty_lo, q->l1_dirty_hi, q->l1_off)) < 0)
            return r;
        q->l1_dirty_lo = q->l1_dirty_hi = 0;
    }
    return 0;
}
