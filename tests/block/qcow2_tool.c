/* The qcow2 driver driven from qcow2_qemu_img.sh, with qemu-img as the
 * oracle that checks what it wrote and made what it reads:
 *   qcow2_tool write IMG MIRROR SEED SEQ TARGET SPOTS WINDOW
 *     writes SEQ bytes from offset 0 in varied requests, then random
 *     requests (aligned, unaligned, cluster-spanning, tiny ones anywhere)
 *     around SPOTS places WINDOW bytes wide until TARGET bytes, each also
 *     into the raw file MIRROR; reads back through the driver as it goes,
 *     then reopens the image and compares every written range. Prints the
 *     refcount table's size and the L2 tables and refcount blocks in use.
 *   qcow2_tool read IMG RAW
 *     reads the whole image read-only in varied requests and compares.
 *   qcow2_tool shared IMG
 *     IMG has an internal snapshot: reads work, writes fail with -EIO.
 *   qcow2_tool open IMG
 *     opens IMG read-write as qcow2; prints why not and fails if refused. */
#include <unistd.h>

#include "blk_test.h"
#include "block/qcow2.h"

#define MAX_REQ (1u << 20)

typedef struct range {
    uint64_t off, len;
} range;

/* A byte count: a number with an optional k, M or G. */
static uint64_t bytes(const char *s)
{
    char *end;
    uint64_t v = strtoull(s, &end, 0);
    return *end == 'k' ? v << 10 : *end == 'M' ? v << 20 : *end == 'G' ? v << 30 : v;
}

static int compare(test_img *t, int mfd, uint64_t off, uint64_t len, uint8_t *a, uint8_t *b)
{
    while (len) {
        size_t n = len < MAX_REQ ? (size_t)len : MAX_REQ;
        int r = blk_read(&t->bd, off, a, n);
        if (r < 0) {
            fprintf(stderr, "read %#llx+%zu: %s\n", (unsigned long long)off, n, strerror(-r));
            return -1;
        }
        if (pread(mfd, b, n, (off_t)off) != (ssize_t)n)
            memset(b, 0, n); /* a sparse mirror's tail */
        if (memcmp(a, b, n)) {
            size_t i = 0;
            while (a[i] == b[i])
                i++;
            fprintf(stderr, "differs at %#llx: image %02x, mirror %02x\n", (unsigned long long)(off + i), a[i], b[i]);
            return -1;
        }
        off += n;
        len -= n;
    }
    return 0;
}

/* Header facts the test asserts: refcount table clusters, refcount blocks
 * and L2 tables in use. */
static void print_stats(const char *img)
{
    FILE *f = fopen(img, "rb");
    uint8_t h[72];
    if (!f || fread(h, 1, sizeof h, f) != sizeof h) {
        fprintf(stderr, "cannot read %s\n", img);
        exit(1);
    }
#define BE(p, n) ({ uint64_t v_ = 0; for (int i_ = 0; i_ < (n); i_++) v_ = v_ << 8 | (p)[i_]; v_; })
    uint64_t cs = 1ull << BE(h + 20, 4), l1_size = BE(h + 36, 4), l1_off = BE(h + 40, 8);
    uint64_t rt_off = BE(h + 48, 8), rt_clusters = BE(h + 56, 4), refblocks = 0, l2_tables = 0;
    uint8_t e[8];
    for (uint64_t i = 0; i < rt_clusters * cs / 8; i++)
        if (!fseeko(f, (off_t)(rt_off + i * 8), SEEK_SET) && fread(e, 1, 8, f) == 8 && BE(e, 8))
            refblocks++;
    for (uint64_t i = 0; i < l1_size; i++)
        if (!fseeko(f, (off_t)(l1_off + i * 8), SEEK_SET) && fread(e, 1, 8, f) == 8 && BE(e, 8))
            l2_tables++;
#undef BE
    fclose(f);
    printf("reftable_clusters=%llu refblocks=%llu l2_tables=%llu\n", (unsigned long long)rt_clusters,
           (unsigned long long)refblocks, (unsigned long long)l2_tables);
}

static int cmd_write(char **av)
{
    const char *img = av[0], *mirror = av[1];
    uint64_t seed = strtoull(av[2], NULL, 0), seq = bytes(av[3]), target = bytes(av[4]);
    unsigned spots = (unsigned)strtoul(av[5], NULL, 0);
    uint64_t window = bytes(av[6]), s = seed | 1;
    test_img t;
    if (test_img_open(&t, img, NULL, 0) < 0 || t.bd.fmt != &blk_format_qcow2) {
        fprintf(stderr, "open %s: %s\n", img, t.err[0] ? t.err : "not probed as qcow2");
        return 1;
    }
    int mfd = open(mirror, O_RDWR);
    uint8_t *w = malloc(MAX_REQ), *a = malloc(MAX_REQ), *b = malloc(MAX_REQ);
    size_t nr = 0, cap = 1024;
    range *ranges = malloc(cap * sizeof *ranges);
    uint64_t size = t.bd.size, cs = ((qcow2 *)t.bd.state)->cluster_size, total = 0, ops = 0;
    if (mfd < 0 || !w || !a || !b || !ranges || !spots)
        return 1;
    if (window > size)
        window = size;
    uint64_t base[64];
    for (unsigned i = 0; i < spots && i < 64; i++)
        base[i] = test_rand(&s) % (size - window + 1);
    int bad = 0;
    for (uint64_t cursor = 0; !bad && (cursor < seq || total < target); ops++) {
        uint64_t off, len, k = test_rand(&s) % 10, spot = base[test_rand(&s) % (spots < 64 ? spots : 64)];
        int sequential = cursor < seq;
        if (sequential) { /* the sequential part, then random requests */
            off = cursor;
            len = 4096 + (test_rand(&s) % 128) * 2048 + (k == 0 ? 77 : 0);
            if (len > seq - off)
                len = seq - off;
        } else if (k < 4) {
            off = (spot + test_rand(&s) % window) & ~511ull;
            len = 512 * (1 + test_rand(&s) % 1024);
        } else if (k < 7) {
            off = spot + test_rand(&s) % window;
            len = 1 + test_rand(&s) % (3 * cs + 100);
        } else if (k < 9) { /* straddle a cluster boundary by d bytes each side */
            uint64_t d = 1 + test_rand(&s) % (cs < 4096 ? cs : 4096);
            off = ((spot + test_rand(&s) % window) / cs + 1) * cs - d;
            len = 2 * d + (k == 8 ? cs : 0);
        } else { /* a few bytes anywhere: new L2 tables far apart */
            off = test_rand(&s) % size;
            len = 1 + test_rand(&s) % 16;
        }
        if (off >= size)
            off = size - 1;
        if (len > size - off)
            len = size - off;
        if (len > MAX_REQ)
            len = MAX_REQ;
        test_fill(w, len, &s);
        int r = blk_write(&t.bd, off, w, len);
        if (r < 0 || pwrite(mfd, w, len, (off_t)off) != (ssize_t)len) {
            fprintf(stderr, "write %#llx+%llu: %s\n", (unsigned long long)off, (unsigned long long)len, strerror(-r));
            bad = 1;
        }
        if (nr == cap && !(ranges = realloc(ranges, (cap *= 2) * sizeof *ranges)))
            return 1;
        ranges[nr++] = (range){off, len};
        if (sequential)
            cursor += len;
        else
            total += len;
        if (ops % 7 == 3) { /* read back around something written earlier */
            range g = ranges[test_rand(&s) % nr];
            uint64_t ro = g.off > cs / 2 ? g.off - cs / 2 : 0, rl = g.len + cs;
            bad |= compare(&t, mfd, ro, rl > size - ro ? size - ro : rl, a, b) < 0;
        }
        if (ops % 50 == 49 && (r = blk_flush(&t.bd)) < 0) {
            fprintf(stderr, "flush: %s\n", strerror(-r));
            bad = 1;
        }
    }
    if (test_img_close(&t) < 0) {
        fprintf(stderr, "the driver leaked host memory\n");
        bad = 1;
    }
    /* Again from the file alone. */
    if (!bad && test_img_open(&t, img, "qcow2", 1) < 0) {
        fprintf(stderr, "reopen: %s\n", t.err);
        return 1;
    }
    for (size_t i = 0; !bad && i < nr; i++) {
        uint64_t ro = ranges[i].off > cs ? ranges[i].off - cs : 0, rl = ranges[i].len + 2 * cs;
        bad |= compare(&t, mfd, ro, rl > size - ro ? size - ro : rl, a, b) < 0;
    }
    if (!bad)
        test_img_close(&t);
    printf("%llu requests, %llu bytes\n", (unsigned long long)ops, (unsigned long long)(total + seq));
    print_stats(img);
    close(mfd);
    free(w);
    free(a);
    free(b);
    free(ranges);
    return bad;
}

static int cmd_read(char **av)
{
    test_img t;
    if (test_img_open(&t, av[0], NULL, 1) < 0 || t.bd.fmt != &blk_format_qcow2) {
        fprintf(stderr, "open %s: %s\n", av[0], t.err[0] ? t.err : "not probed as qcow2");
        return 1;
    }
    int mfd = open(av[1], O_RDONLY);
    uint8_t *a = malloc(MAX_REQ), *b = malloc(MAX_REQ);
    uint64_t s = 7, off = 0, n;
    if (mfd < 0 || !a || !b)
        return 1;
    for (; off < t.bd.size; off += n) {
        n = 1 + test_rand(&s) % (test_rand(&s) & 1 ? 4096 : MAX_REQ);
        if (n > t.bd.size - off)
            n = t.bd.size - off;
        if (compare(&t, mfd, off, n, a, b) < 0)
            break;
    }
    int same = off >= t.bd.size;
    if (same)
        printf("read %llu bytes: same as %s\n", (unsigned long long)off, av[1]);
    close(mfd);
    free(a);
    free(b);
    return test_img_close(&t) < 0 || !same;
}

static int cmd_shared(char **av)
{
    test_img t;
    uint8_t buf[4096];
    if (test_img_open(&t, av[0], NULL, 0) < 0) {
        fprintf(stderr, "open %s: %s\n", av[0], t.err);
        return 1;
    }
    int r1 = blk_read(&t.bd, 0, buf, sizeof buf), r2 = blk_write(&t.bd, 512, buf, sizeof buf);
    printf("read: %d, write: %d\n", r1, r2);
    int bad = r1 != 0 || r2 != -EIO;
    return test_img_close(&t) < 0 || bad;
}

static int cmd_open(char **av)
{
    test_img t;
    if (test_img_open(&t, av[0], "qcow2", 0) < 0) {
        printf("refused: %s\n", t.err);
        return 1;
    }
    printf("opened: %llu bytes\n", (unsigned long long)t.bd.size);
    return test_img_close(&t) < 0;
}

int main(int argc, char **argv)
{
    if (argc == 9 && !strcmp(argv[1], "write"))
        return cmd_write(argv + 2);
    if (argc == 4 && !strcmp(argv[1], "read"))
        return cmd_read(argv + 2);
    if (argc == 3 && !strcmp(argv[1], "shared"))
        return cmd_shared(argv + 2);
    if (argc == 3 && !strcmp(argv[1], "open"))
        return cmd_open(argv + 2);
    fprintf(stderr, "usage: qcow2_tool write IMG MIRROR SEED SEQ TARGET SPOTS WINDOW | read IMG RAW | shared IMG | open IMG\n");
    return 2;
}
