/* qcow2 images: the header, checked before anything else is read. Every
 * size is bounded (QEMU's limits: L1 table 32 MiB, refcount table 8 MiB)
 * and every table must lie inside the file, past the header's cluster. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qcow2.h"

#define QCOW2_MAGIC 0x514649fbu /* "QFI\xfb" */
#define INCOMPAT_DIRTY 1ull
#define INCOMPAT_CORRUPT 2ull
#define INCOMPAT_DATA_FILE 4ull
#define INCOMPAT_COMPRESSION 8ull
#define INCOMPAT_EXTL2 16ull

int qcow2_probe(const uint8_t *head, size_t n)
{
    return n >= 8 && qcow2_be32(head) == QCOW2_MAGIC;
}

/* Version 3's feature bits: which images we refuse, and which only for writing. */
static int check_features(blk_dev *bd, const uint8_t *h, uint32_t header_length, char *err, size_t errlen)
{
    uint64_t incompat = qcow2_be64(h + 72);
    if (incompat & INCOMPAT_DATA_FILE) {
        snprintf(err, errlen, "qcow2 images with an external data file are not supported");
        return -ENOTSUP;
    }
    if (incompat & INCOMPAT_EXTL2) {
        snprintf(err, errlen, "qcow2 images with extended L2 entries (subclusters) are not supported");
        return -ENOTSUP;
    }
    if (incompat & ~(INCOMPAT_DIRTY | INCOMPAT_CORRUPT | INCOMPAT_COMPRESSION)) {
        snprintf(err, errlen, "unknown qcow2 incompatible features %#llx", (unsigned long long)incompat);
        return -ENOTSUP;
    }
    unsigned ctype = header_length > 104 ? h[104] : 0;
    if ((incompat & INCOMPAT_COMPRESSION) ? ctype == 0 : ctype != 0) {
        snprintf(err, errlen, "corrupt qcow2 header: compression type %u with the feature bit %s", ctype,
                 incompat & INCOMPAT_COMPRESSION ? "set" : "clear");
        return -EINVAL;
    }
    if (ctype) {
        snprintf(err, errlen, "qcow2 compression type %u (zstd?) is not supported", ctype);
        return -ENOTSUP;
    }
    if ((incompat & (INCOMPAT_DIRTY | INCOMPAT_CORRUPT)) && !bd->read_only) {
        snprintf(err, errlen, "the qcow2 image is marked %s: run `qemu-img check -r all` on it, or open it read-only",
                 incompat & INCOMPAT_CORRUPT ? "corrupt" : "dirty (refcounts may be stale)");
        return -EINVAL;
    }
    uint32_t order = qcow2_be32(h + 96);
    if (order != 4) {
        snprintf(err, errlen, "qcow2 refcount width of %u bits is not supported (only 16, refcount_order 4)",
                 order < 7 ? 1u << order : 0);
        return -ENOTSUP;
    }
    return 0;
}

/* Header extensions run from the header's end to the first cluster's end;
 * each is skipped (none changes how we read the image), but must fit. */
static int check_extensions(const uint8_t *first, uint64_t cs, uint32_t pos, char *err, size_t errlen)
{
    while (pos + 8 <= cs) {
        uint32_t type = qcow2_be32(first + pos), len = qcow2_be32(first + pos + 4);
        if (!type)
            return 0;
        uint64_t end = pos + 8 + ((uint64_t)len + 7) / 8 * 8;
        if (end > cs) {
            snprintf(err, errlen, "corrupt qcow2 header: extension %#x runs past the first cluster", type);
            return -EINVAL;
        }
        pos = (uint32_t)end;
    }
    return 0;
}

/* A table of n bytes at off: aligned, past the header, inside the file. */
static int check_table(uint64_t off, uint64_t n, uint64_t cs, uint64_t file_end, const char *what, char *err,
                       size_t errlen)
{
    if ((off & (cs - 1)) || off < cs || off > file_end || n > file_end - off) {
        snprintf(err, errlen, "corrupt qcow2 header: the %s at %#llx (%llu bytes) %s", what,
                 (unsigned long long)off, (unsigned long long)n,
                 off & (cs - 1) ? "is not cluster-aligned" : off < cs ? "overlaps the header" : "is outside the file");
        return -EINVAL;
    }
    return 0;
}

static int read_table(blk_dev *bd, uint64_t off, uint64_t entries, uint64_t **out)
{
    uint64_t *t = host_alloc(bd->host, entries ? entries * 8 : 8);
    if (!t)
        return -ENOMEM;
    int r = bd->io.pread(bd->io.opaque, t, entries * 8, off);
    if (r < 0) {
        host_free(bd->host, t);
        return r;
    }
    for (uint64_t i = 0; i < entries; i++)
        t[i] = qcow2_be64((const uint8_t *)&t[i]);
    *out = t;
    return 0;
}

/* Everything in the header except the tables themselves. */
static int parse_header(blk_dev *bd, const uint8_t *h, uint64_t file_len, char *err, size_t errlen)
{
    qcow2 *q = bd->state;
    if (qcow2_be32(h) != QCOW2_MAGIC) {
        snprintf(err, errlen, "not a qcow2 image (bad magic)");
        return -EINVAL;
    }
    q->version = (int)qcow2_be32(h + 4);
    if (q->version != 2 && q->version != 3) {
        snprintf(err, errlen, "qcow2 version %u is not supported (2 and 3 are)", (unsigned)q->version);
        return -ENOTSUP;
    }
    q->cluster_bits = qcow2_be32(h + 20);
    if (q->cluster_bits < 9 || q->cluster_bits > 21) {
        snprintf(err, errlen, "qcow2 cluster size 2^%u is not supported (512 B to 2 MiB)", q->cluster_bits);
        return -ENOTSUP;
    }
    q->cluster_size = 1ull << q->cluster_bits;
    q->l2_bits = q->cluster_bits - 3;
    q->rb_bits = q->cluster_bits - 1;
    if (qcow2_be64(h + 8)) {
        snprintf(err, errlen, "backing files are not supported (convert the image first: "
                              "`qemu-img convert -O qcow2 in.qcow2 out.qcow2`)");
        return -ENOTSUP;
    }
    if (qcow2_be32(h + 32)) {
        snprintf(err, errlen, "encrypted qcow2 images are not supported");
        return -ENOTSUP;
    }
    if (file_len < q->cluster_size) {
        snprintf(err, errlen, "corrupt qcow2 image: shorter than its first cluster");
        return -EINVAL;
    }
    return 0;
}

int qcow2_open(blk_dev *bd, char *err, size_t errlen)
{
    uint64_t file_len;
    uint8_t h[112];
    int r = bd->io.length(bd->io.opaque, &file_len);
    if (r < 0 || (r = bd->io.pread(bd->io.opaque, h, sizeof h, 0)) < 0) {
        snprintf(err, errlen, "cannot read the image: %s", strerror(-r));
        return r;
    }
    qcow2 *q = bd->state = host_alloc(bd->host, sizeof *q);
    if (!q)
        return -ENOMEM;
    uint8_t *first = NULL;
    if ((r = parse_header(bd, h, file_len, err, errlen)) < 0)
        goto fail;
    uint64_t cs = q->cluster_size;
    uint32_t header_length = 72;
    if (!(first = host_alloc(bd->host, cs)) || (r = bd->io.pread(bd->io.opaque, first, cs, 0)) < 0) {
        r = first ? r : -ENOMEM;
        snprintf(err, errlen, "cannot read the qcow2 header: %s", strerror(-r));
        goto fail;
    }
    if (q->version == 3) {
        header_length = qcow2_be32(first + 100);
        if (header_length < 104 || header_length % 8 || header_length > cs) {
            snprintf(err, errlen, "corrupt qcow2 header: header length %u", header_length);
            r = -EINVAL;
            goto fail;
        }
        if ((r = check_features(bd, first, header_length, err, errlen)) < 0)
            goto fail;
    }
    if ((r = check_extensions(first, cs, header_length, err, errlen)) < 0)
        goto fail;

    /* The virtual size and the L1 table that must map all of it. */
    uint64_t size = qcow2_be64(first + 24), span = cs << q->l2_bits; /* bytes one L2 table maps */
    uint64_t l1_need = size / span + (size % span != 0);
    q->l1_size = qcow2_be32(first + 36);
    q->l1_off = qcow2_be64(first + 40);
    if ((uint64_t)q->l1_size * 8 > QCOW2_MAX_L1_BYTES || q->l1_size < l1_need) {
        snprintf(err, errlen, "corrupt qcow2 header: L1 table of %u entries for a %llu-byte disk (%llu needed, %u at most)",
                 q->l1_size, (unsigned long long)size, (unsigned long long)l1_need, QCOW2_MAX_L1_BYTES / 8);
        r = -EINVAL;
        goto fail;
    }
    uint64_t file_end = (file_len + cs - 1) & ~(cs - 1);
    q->next_cluster = file_end >> q->cluster_bits;
    if (q->l1_size && (r = check_table(q->l1_off, (uint64_t)q->l1_size * 8, cs, file_end, "L1 table", err, errlen)) < 0)
        goto fail;

    q->reftable_off = qcow2_be64(first + 48);
    q->reftable_clusters = qcow2_be32(first + 56);
    uint64_t rt_bytes = (uint64_t)q->reftable_clusters << q->cluster_bits;
    if (!q->reftable_clusters || rt_bytes > QCOW2_MAX_REFTABLE_BYTES) {
        snprintf(err, errlen, "corrupt qcow2 header: refcount table of %u clusters", q->reftable_clusters);
        r = -EINVAL;
        goto fail;
    }
    if ((r = check_table(q->reftable_off, rt_bytes, cs, file_end, "refcount table", err, errlen)) < 0)
        goto fail;
    q->reftable_entries = rt_bytes / 8;

    if ((r = read_table(bd, q->l1_off, q->l1_size, &q->l1)) < 0 ||
        (r = read_table(bd, q->reftable_off, q->reftable_entries, &q->reftable)) < 0) {
        snprintf(err, errlen, "cannot read the qcow2 tables: %s", strerror(-r));
        goto fail;
    }
    /* Caches of about 4 MiB of L2 tables and 1 MiB of refcount blocks. */
    unsigned n_l2 = (unsigned)((4u << 20) >> q->cluster_bits), n_rb = (unsigned)((1u << 20) >> q->cluster_bits);
    if ((r = qcow2_cache_init(bd, &q->l2, n_l2 < 2 ? 2 : n_l2 > 512 ? 512 : n_l2)) < 0 ||
        (r = qcow2_cache_init(bd, &q->rb, n_rb < 2 ? 2 : n_rb > 16 ? 16 : n_rb)) < 0 ||
        !(q->bounce = host_alloc(bd->host, cs))) {
        r = r < 0 ? r : -ENOMEM;
        snprintf(err, errlen, "out of memory for the qcow2 caches");
        goto fail;
    }
    /* Writers must clear the autoclear bits they do not know (bitmaps). */
    if (q->version == 3 && !bd->read_only && qcow2_be64(first + 88)) {
        uint8_t zero[8] = {0};
        if ((r = bd->io.pwrite(bd->io.opaque, zero, 8, 88)) < 0 || (r = bd->io.flush(bd->io.opaque)) < 0) {
            snprintf(err, errlen, "cannot update the qcow2 header: %s", strerror(-r));
            goto fail;
        }
    }
    host_free(bd->host, first);
    bd->size = size & ~(uint64_t)511; /* whole sectors, as QEMU shows it */
    return 0;
fail:
    host_free(bd->host, first);
    qcow2_close(bd);
    return r;
}

void qcow2_close(blk_dev *bd)
{
    qcow2 *q = bd->state;
    if (!q)
        return;
    qcow2_cache_free(bd, &q->l2);
    qcow2_cache_free(bd, &q->rb);
    host_free(bd->host, q->l1);
    host_free(bd->host, q->reftable);
    host_free(bd->host, q->bounce);
    host_free(bd->host, q);
    bd->state = NULL;
}
