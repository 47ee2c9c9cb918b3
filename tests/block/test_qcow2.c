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

/* Walk the n bytes of image b's tables as `qemu-img check` does. Strict
 * (written NULL): every cluster's refcount equals the references to it,
 * and COPIED marks exactly refcount 1. As a crash may leave it (written[c]
 * nonzero for the clusters that hold what was written): no reference to a
 * cluster past the end, never written, or counted less than referenced;
 * leaks (counted more) are allowed. Returns the problems found. */
static int verify_image(const uint8_t *b, size_t n, const uint8_t *written, const char *name)
{
    unsigned cb = (unsigned)be(b + 20, 4);
    uint64_t cs = 1ull << cb, clusters = (n + cs - 1) / cs, l1_size = be(b + 36, 4), l1_off = be(b + 40, 8);
    uint64_t rt_off = be(b + 48, 8), rt_entries = be(b + 56, 4) * cs / 8;
    uint32_t *refs = calloc(clusters + 1, sizeof *refs);
    uint8_t *copied = calloc(clusters + 1, 1); /* 1: seen without COPIED, 2: with */
    int bad = 0;
#define REF(off, what, flag)                                                                                           \
    do {                                                                                                               \
        uint64_t c_ = (off) / cs;                                                                                      \
        if (c_ >= clusters || (written && !written[c_])) {                                                             \
            if (bad++ < 5)                                                                                             \
                fprintf(stderr, "%s: %s at %#llx %s\n", name, what, (unsigned long long)(off),                        \
                        c_ >= clusters ? "past the end" : "never written");                                            \
        } else {                                                                                                       \
            refs[c_]++;                                                                                                \
            copied[c_] |= (uint8_t)(flag);                                                                             \
        }                                                                                                              \
    } while (0)
    REF(0, "header", 0);
    for (uint64_t i = 0; i < (rt_entries * 8 + cs - 1) / cs; i++)
        REF(rt_off + i * cs, "refcount table", 0);
    for (uint64_t i = 0; i < (l1_size * 8 + cs - 1) / cs; i++)
        REF(l1_off + i * cs, "L1 table", 0);
    for (uint64_t i = 0; i < rt_entries && rt_off + i * 8 + 8 <= n; i++)
        if (be(b + rt_off + i * 8, 8))
            REF(be(b + rt_off + i * 8, 8), "refcount block", 0);
    for (uint64_t i = 0; i < l1_size && l1_off + i * 8 + 8 <= n; i++) {
        uint64_t e = be(b + l1_off + i * 8, 8), l2 = e & 0x00fffffffffffe00ull;
        if (!l2)
            continue;
        REF(l2, "L2 table", 1 << (e >> 63));
        for (uint64_t j = 0; j < cs / 8 && l2 + cs <= n; j++) {
            uint64_t d = be(b + l2 + j * 8, 8), off = d & 0x00fffffffffffe00ull;
            if (off)
                REF(off, "data cluster", 1 << (d >> 63));
        }
    }
    for (uint64_t c = 0; c < clusters; c++) {
        uint64_t blk = c >> (cb - 1), rb = blk < rt_entries && rt_off + blk * 8 + 8 <= n ? be(b + rt_off + blk * 8, 8) : 0;
        uint64_t rc = rb && rb + cs <= n ? be(b + rb + (c & ((cs / 2) - 1)) * 2, 2) : 0;
        int wrong = written ? rc < refs[c] : rc != refs[c] || (copied[c] & 2 && rc != 1) || (copied[c] & 1 && rc == 1);
        if (wrong && bad++ < 5)
            fprintf(stderr, "%s: cluster %llu: refcount %llu, %u references, COPIED %s\n", name, (unsigned long long)c,
                    (unsigned long long)rc, refs[c],
                    copied[c] == 2 ? "set" : copied[c] == 1 ? "clear" : copied[c] ? "mixed" : "-");
    }
#undef REF
    free(refs);
    free(copied);
    return bad;
}

static int verify_refcounts(const char *path)
{
    size_t n;
    uint8_t *b = load(path, &n);
    int bad = verify_image(b, n, NULL, path);
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

/* ---- corrupt and unsupported images ---- */
static uint8_t *good;
static size_t good_len;
static const uint64_t CS = 65536, L1_OFF = 3 * 65536;
static uint64_t l2_off; /* of guest cluster 0 in the good image */

/* The good image: version 3, 64 KiB clusters, 64 MiB, data at 0 (128
 * KiB) and at 1 MiB (4 KiB) written through the driver. */
static void make_good(void)
{
    const char *path = tmp_path("good.qcow2");
    make_image(path, 3, 16, 64 << 20);
    test_img t;
    uint8_t buf[131072];
    memset(buf, 0xab, sizeof buf);
    if (test_img_open(&t, path, NULL, 0) < 0 || blk_write(&t.bd, 0, buf, sizeof buf) < 0 ||
        blk_write(&t.bd, 1 << 20, buf, 4096) < 0 || test_img_close(&t) < 0) {
        fprintf(stderr, "cannot make %s\n", path);
        exit(1);
    }
    good = load(path, &good_len);
    l2_off = be(good + L1_OFF, 8) & 0x00fffffffffffe00ull;
}

typedef struct patch {
    uint64_t off;
    int n; /* bytes: 1, 2, 4 or 8 */
    uint64_t v;
} patch;

static uint8_t *cur; /* the last patched image */

static const char *patched(const char *name, const patch *p, int np, size_t len)
{
    const char *path = tmp_path("%s.qcow2", name);
    free(cur);
    cur = malloc(good_len);
    memcpy(cur, good, good_len);
    for (int i = 0; i < np; i++)
        put_be(cur + p[i].off, p[i].n, p[i].v);
    save(path, cur, len ? len : good_len);
    return path;
}

/* Refused at open (read-write, or also read-only), the message saying why. */
static void refused(const char *name, const char *msg, int also_read_only, const patch *p, int np)
{
    const char *path = patched(name, p, np, 0);
    for (int ro = 0; ro <= also_read_only; ro++) {
        test_img t;
        int r = test_img_open(&t, path, "qcow2", ro);
        CHECK(r < 0 && strstr(t.err, msg) && !strstr(t.err, "LEAK"), "%s (%s): %d, '%s', want '%s'", name,
              ro ? "read-only" : "read-write", r, t.err, msg);
        if (r == 0)
            test_img_close(&t);
    }
}

#define P(...) ((const patch[]){__VA_ARGS__}), (int)(sizeof((const patch[]){__VA_ARGS__}) / sizeof(patch))

static void test_refused(void)
{
    refused("magic", "bad magic", 1, P({0, 4, 0x514649fa}));
    refused("version1", "version 1 is not supported", 1, P({4, 4, 1}));
    refused("version4", "version 4 is not supported", 1, P({4, 4, 4}));
    refused("cluster8", "cluster size 2^8", 1, P({20, 4, 8}));
    refused("cluster22", "cluster size 2^22", 1, P({20, 4, 22}));
    refused("cluster63", "cluster size", 1, P({20, 4, 63}));
    refused("backing", "backing files are not supported", 1, P({8, 8, 0x200}, {16, 4, 4}));
    refused("aes", "encrypted", 1, P({32, 4, 1}));
    refused("luks", "encrypted", 1, P({32, 4, 2}));
    refused("l1_huge", "L1 table of 2147483647 entries", 1, P({36, 4, 0x7fffffff}));
    refused("l1_small", "L1 table of 0 entries", 1, P({36, 4, 0}));
    refused("size_huge", "L1 table of 1 entries", 1, P({24, 8, 1ull << 62}));
    refused("l1_unaligned", "L1 table at 0x30008", 1, P({40, 8, L1_OFF + 8}));
    refused("l1_past_eof", "L1 table at 0x10000000000", 1, P({40, 8, 1ull << 40}));
    refused("l1_header", "L1 table at 0", 1, P({40, 8, 0}));
    refused("rt_garbage", "refcount table at 0xdeadbeef0000", 1, P({48, 8, 0xdeadbeef0000ull}));
    refused("rt_unaligned", "refcount table at 0x10008", 1, P({48, 8, CS + 8}));
    refused("rt_header", "refcount table at 0 (65536 bytes) overlaps the header", 1, P({48, 8, 0}));
    refused("rt_none", "refcount table of 0 clusters", 1, P({56, 4, 0}));
    refused("rt_huge", "refcount table of 4294967295 clusters", 1, P({56, 4, 0xffffffff}));
    refused("extl2", "extended L2", 1, P({72, 8, 16}));
    refused("datafile", "external data file", 1, P({72, 8, 4}));
    refused("incompat", "unknown qcow2 incompatible features 0x80", 1, P({72, 8, 0x80}));
    refused("ctype_bit", "compression type 0 with the feature bit set", 1, P({72, 8, 8}));
    refused("zstd", "compression type 1 (zstd?) is not supported", 1, P({72, 8, 8}, {104, 1, 1}));
    refused("ctype_nobit", "compression type 1 with the feature bit clear", 1, P({104, 1, 1}));
    refused("refcount8", "refcount width of 8 bits", 1, P({96, 4, 3}));
    refused("refcount64", "refcount width of 64 bits", 1, P({96, 4, 6}));
    refused("hlen_short", "header length 100", 1, P({100, 4, 100}));
    refused("hlen_odd", "header length 108", 1, P({100, 4, 108}));
    refused("hlen_huge", "header length 2147483640", 1, P({100, 4, 0x7ffffff8}));
    refused("ext_long", "extension 0x12345678 runs past", 1, P({116, 4, 0xfffffff0}));
    refused("dirty", "qemu-img check -r all", 0, P({72, 8, 1}));
    refused("corrupt", "marked corrupt", 0, P({72, 8, 2}));

    /* A truncated image, and an empty one. */
    test_img t;
    const char *path = patched("short", NULL, 0, 4096);
    CHECK(test_img_open(&t, path, "qcow2", 1) < 0 && strstr(t.err, "shorter than its first cluster"), "short: %s",
          t.err);
    path = patched("empty", NULL, 0, 0 + 1);
    save(path, good, 0);
    CHECK(test_img_open(&t, path, "qcow2", 1) < 0 && strstr(t.err, "bad magic"), "empty: %s", t.err);
    /* Without a format named, a bad magic is a raw image. */
    path = patched("magic", P({0, 4, 0x514649fa}), 0);
    CHECK(test_img_open(&t, path, NULL, 1) == 0 && t.bd.fmt == &blk_format_raw, "bad magic probed: %s", t.err);
    if (t.bd.fmt)
        test_img_close(&t);
    /* Dirty images open read-only, and read. */
    uint8_t buf[512];
    path = patched("dirty", P({72, 8, 1}), 0);
    CHECK(test_img_open(&t, path, NULL, 1) == 0, "dirty read-only: %s", t.err);
    if (t.bd.fmt) {
        CHECK(blk_read(&t.bd, 0, buf, sizeof buf) == 0 && buf[0] == 0xab && buf[511] == 0xab, "dirty read");
        test_img_close(&t);
    }
}

/* Opens, but requests touching guest cluster 0 fail with -EIO; want_read
 * and want_write are the results expected at offset 0. */
static void fails(const char *name, int want_read, int want_write, const patch *p, int np)
{
    const char *path = patched(name, p, np, 0);
    test_img t;
    uint8_t buf[8192];
    int r = test_img_open(&t, path, "qcow2", 0);
    CHECK(r == 0, "%s: open: %s", name, t.err);
    if (r < 0)
        return;
    int rr = blk_read(&t.bd, 0, buf, sizeof buf), rw = blk_write(&t.bd, 0, buf, sizeof buf);
    CHECK(rr == want_read && rw == want_write, "%s: read %d (want %d), write %d (want %d)", name, rr, want_read, rw,
          want_write);
    CHECK(test_img_close(&t) == 0, "%s: leaked host memory", name);
    /* A refused write changed nothing. */
    size_t n;
    uint8_t *after = load(path, &n);
    CHECK(want_write == 0 || (n == good_len && !memcmp(after, cur, n)), "%s: the file changed", name);
    free(after);
}

static void test_fails(void)
{
    const uint64_t C = 1ull << 63, EOF_OFF = 1ull << 40;
    fails("l1_eof", -EIO, -EIO, P({L1_OFF, 8, EOF_OFF | C}));
    fails("l1_unaligned", -EIO, -EIO, P({L1_OFF, 8, (l2_off + 512) | C}));
    fails("l1_reserved", -EIO, -EIO, P({L1_OFF, 8, l2_off | C | 2}));
    fails("l1_header", -EIO, -EIO, P({L1_OFF, 8, 512 | C}));
    fails("l1_self", 0, -EIO, P({L1_OFF, 8, L1_OFF | C})); /* reads L1 as an L2 table: never writes it */
    fails("l1_reftable", 0, -EIO, P({L1_OFF, 8, CS | C}));
    fails("l2_eof", -EIO, -EIO, P({l2_off, 8, EOF_OFF | C}));
    fails("l2_unaligned", -EIO, -EIO, P({l2_off, 8, 0x200 | C}));
    fails("l2_reserved", -EIO, -EIO, P({l2_off, 8, (be(good + l2_off, 8) | (1ull << 56))}));
    fails("l2_on_l1", 0, -EIO, P({l2_off, 8, L1_OFF | C}));
    fails("compressed", -EIO, -EIO, P({l2_off, 8, (1ull << 62) | 0x50000}));
    /* Refcount 2 (a snapshot's): read, never written. */
    fails("shared", 0, -EIO, P({l2_off, 8, be(good + l2_off, 8) & ~C}, {2 * CS + 2 * 5, 2, 2}));
    /* Refcount 0 for a cluster in use. */
    fails("unreferenced", 0, -EIO, P({l2_off, 8, be(good + l2_off, 8) & ~C}, {2 * CS + 2 * 5, 2, 0}));

    /* A refcount table naming garbage: reads work, in-place writes too,
     * allocating ones fail. */
    const char *path = patched("rt_entry", P({CS, 8, EOF_OFF}), 0);
    test_img t;
    uint8_t buf[4096] = {0};
    if (test_img_open(&t, path, NULL, 0) == 0) {
        CHECK(blk_read(&t.bd, 0, buf, sizeof buf) == 0 && buf[0] == 0xab, "rt_entry: read");
        CHECK(blk_write(&t.bd, 0, buf, sizeof buf) == 0, "rt_entry: in-place write");
        CHECK(blk_write(&t.bd, 8 << 20, buf, sizeof buf) == -EIO, "rt_entry: allocating write");
        CHECK(test_img_close(&t) == 0, "rt_entry: leak");
    } else
        CHECK(0, "rt_entry: open: %s", t.err);
    /* Refcounts claiming clusters past the end: allocation skips them. */
    patch many[40];
    for (int i = 0; i < 40; i++)
        many[i] = (patch){2 * CS + 2 * (uint64_t)(good_len / CS + i), 2, 1};
    path = patched("rc_past_end", many, 40, 0);
    memset(buf, 0x5a, sizeof buf);
    if (test_img_open(&t, path, NULL, 0) == 0) {
        CHECK(blk_write(&t.bd, 8 << 20, buf, sizeof buf) == 0, "rc_past_end: write");
        CHECK(test_img_close(&t) == 0, "rc_past_end: leak");
        size_t n;
        uint8_t *after = load(path, &n);
        CHECK(n >= good_len + 41 * CS && after[good_len + 40 * CS] == 0x5a, "rc_past_end: data at %zu, file %zu",
              good_len + 40 * CS, n);
        free(after);
    } else
        CHECK(0, "rc_past_end: open: %s", t.err);
}

/* Random bytes of metadata changed: whatever the driver does, it returns
 * 0 or -errno, frees what it took, and never crashes. */
static void test_fuzz(unsigned cluster_bits, int rounds)
{
    const char *base = tmp_path("fuzz-base-%u.qcow2", cluster_bits), *path = tmp_path("fuzz-%u.qcow2", cluster_bits);
    const uint64_t size = 4 << 20, cs = 1ull << cluster_bits;
    make_image(base, 3, cluster_bits, size);
    test_img t;
    uint8_t *buf = malloc(1 << 20);
    uint64_t s = 99 + cluster_bits;
    test_fill(buf, 1 << 20, &s);
    if (test_img_open(&t, base, NULL, 0) < 0)
        exit(1);
    for (int i = 0; i < 40; i++)
        blk_write(&t.bd, test_rand(&s) % (size - 70000), buf, 1 + test_rand(&s) % 70000);
    test_img_close(&t);
    size_t n;
    uint8_t *img = load(base, &n), *b = malloc(n);
    int opened = 0, failed = 0;
    for (int round = 0; round < rounds; round++) {
        memcpy(b, img, n);
        int flips = 1 + (int)(test_rand(&s) % 6);
        for (int i = 0; i < flips; i++) {
            uint64_t where = test_rand(&s) % 4;
            uint64_t off = where == 0 ? test_rand(&s) % 128 : /* the header */
                               where == 1 ? test_rand(&s) % (6 * cs < n ? 6 * cs : n) : test_rand(&s) % n;
            b[off] = (uint8_t)test_rand(&s);
        }
        save(path, b, n);
        if (test_img_open(&t, path, "qcow2", 0) < 0)
            continue;
        opened++;
        for (uint64_t off = 0; off < t.bd.size && off < (64 << 20); off += 1 << 20) {
            int r = blk_read(&t.bd, off, buf, t.bd.size - off < (1 << 20) ? t.bd.size - off : 1 << 20);
            failed += r < 0;
        }
        for (int i = 0; i < 4 && t.bd.size > 70000; i++)
            failed += blk_write(&t.bd, test_rand(&s) % (t.bd.size - 70000), buf, 1 + test_rand(&s) % 70000) < 0;
        failed += blk_flush(&t.bd) < 0;
        CHECK(test_img_close(&t) == 0, "fuzz round %d: leaked host memory", round);
    }
    printf("fuzz, %llu-byte clusters: %d rounds, %d opened, %d requests failed\n", (unsigned long long)cs, rounds,
           opened, failed);
    CHECK(opened > rounds / 4, "fuzz: only %d of %d images opened", opened, rounds);
    free(img);
    free(b);
    free(buf);
}

/* ---- crash safety ---- */
/* A blk_io that logs every write and flush on their way to the file. */
typedef struct logged_op {
    uint64_t off; /* a flush: len 0 */
    size_t len;
    uint8_t *data;
} logged_op;

typedef struct logging_io {
    blk_io inner;
    logged_op *ops;
    size_t n, cap;
} logging_io;

static int log_op(logging_io *l, const void *buf, size_t len, uint64_t off)
{
    if (l->n == l->cap && !(l->ops = realloc(l->ops, (l->cap = l->cap * 2 + 64) * sizeof *l->ops)))
        return -ENOMEM;
    logged_op *op = &l->ops[l->n++];
    *op = (logged_op){off, len, len ? malloc(len) : NULL};
    if (len)
        memcpy(op->data, buf, len);
    return 0;
}

static int logging_pread(void *o, void *buf, size_t len, uint64_t off)
{
    logging_io *l = o;
    return l->inner.pread(l->inner.opaque, buf, len, off);
}

static int logging_pwrite(void *o, const void *buf, size_t len, uint64_t off)
{
    logging_io *l = o;
    int r = log_op(l, buf, len, off);
    return r < 0 ? r : l->inner.pwrite(l->inner.opaque, buf, len, off);
}

static int logging_flush(void *o)
{
    logging_io *l = o;
    int r = log_op(l, NULL, 0, 0);
    return r < 0 ? r : l->inner.flush(l->inner.opaque);
}

static int logging_length(void *o, uint64_t *len)
{
    logging_io *l = o;
    return l->inner.length(l->inner.opaque, len);
}

/* The image as a crash leaves it: the writes of every finished epoch
 * (between flushes), and any subset of the current one's. */
typedef struct crash_img {
    uint8_t *b, *written;
    size_t n, cap;
    uint64_t cs;
} crash_img;

static void crash_apply(crash_img *c, const logged_op *op)
{
    memcpy(c->b + op->off, op->data, op->len);
    if (op->off + op->len > c->n)
        c->n = op->off + op->len;
    for (uint64_t x = op->off / c->cs; x <= (op->off + op->len - 1) / c->cs; x++)
        c->written[x] = 1;
}

/* Every state a crash can leave: the finished epochs plus all of the
 * current one, and (for epochs of up to 64 writes) plus each single write
 * of it alone; what must not reach the disk before another is then always
 * in a later epoch. */
static int check_crash_states(const uint8_t *initial, size_t n0, const logging_io *l, uint64_t cs, int *states)
{
    crash_img c = {.cs = cs, .n = n0};
    size_t longest = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (l->ops[i].off + l->ops[i].len > c.cap)
            c.cap = l->ops[i].off + l->ops[i].len;
        if (l->ops[i].len > longest)
            longest = l->ops[i].len;
    }
    if (c.cap < n0)
        c.cap = n0;
    c.b = calloc(1, c.cap);
    c.written = calloc(c.cap / cs + 2, 1);
    uint8_t *save_b = malloc(longest + 1), *save_w = malloc(longest / cs + 3);
    memcpy(c.b, initial, n0);
    memset(c.written, 1, (n0 + cs - 1) / cs);
    int bad = 0;
    char name[96];
    for (size_t start = 0; start < l->n && !bad;) {
        size_t end = start;
        while (end < l->n && l->ops[end].len)
            end++;
        for (size_t i = start; i < end && end - start <= 64 && !bad; i++) {
            const logged_op *op = &l->ops[i];
            size_t n = c.n, w0 = op->off / cs, nw = (op->off + op->len - 1) / cs - w0 + 1;
            memcpy(save_b, c.b + op->off, op->len);
            memcpy(save_w, c.written + w0, nw);
            crash_apply(&c, op);
            snprintf(name, sizeof name, "crash after write %zu alone (epoch %zu-%zu)", i, start, end);
            bad += verify_image(c.b, c.n, c.written, name);
            (*states)++;
            memcpy(c.b + op->off, save_b, op->len);
            memcpy(c.written + w0, save_w, nw);
            c.n = n;
        }
        for (size_t i = start; i < end; i++)
            crash_apply(&c, &l->ops[i]);
        snprintf(name, sizeof name, "crash after epoch %zu-%zu", start, end);
        bad += verify_image(c.b, c.n, c.written, name);
        (*states)++;
        start = end + 1;
    }
    free(c.b);
    free(c.written);
    free(save_b);
    free(save_w);
    return bad;
}

/* Allocating writes on 512-byte clusters (new L2 tables, refcount blocks
 * and a refcount table that grows past 8 MiB), logged; no crash state
 * may reference a cluster that is unwritten or counted too low. */
static void test_crash_order(void)
{
    const char *path = tmp_path("crash.qcow2");
    make_image(path, 3, 9, 16 << 20);
    size_t n0;
    uint8_t *initial = load(path, &n0), *buf = malloc(65536);
    host_ctx *host = host_create();
    int fd = host_openat(host, AT_FDCWD, path, O_RDWR, 0);
    blk_host_file f = {host, fd};
    logging_io l = {.inner = blk_io_host_file(&f)};
    blk_dev bd;
    char err[256];
    int r = blk_open(&bd, host, (blk_io){&l, logging_pread, logging_pwrite, logging_flush, logging_length}, "qcow2", 0,
                     err, sizeof err);
    CHECK(r == 0, "crash: open: %s", err);
    uint64_t s = 5;
    /* Small epochs: 8 KiB requests, a flush every two; then 9 MiB in
     * 64 KiB requests, a flush every 16; then small writes anywhere. */
    for (int i = 0; r == 0 && i < 240; i++) {
        uint64_t off = i < 64 ? (uint64_t)i * 8192 + 100 : i < 208 ? (uint64_t)(i - 64) * 65536 + (1 << 20) :
                                                                      test_rand(&s) % ((15 << 20) - 1000);
        uint64_t len = i < 64 ? 8192 : i < 208 ? 65536 : 1000;
        test_fill(buf, len, &s);
        r = blk_write(&bd, off, buf, len);
        CHECK(r == 0, "crash: write %d: %d", i, r);
        if (i < 64 ? i % 2 : i % 16 == 15)
            CHECK(blk_flush(&bd) == 0, "crash: flush");
    }
    blk_close(&bd);
    host_close(host, fd);
    host_destroy(host);
    CHECK(verify_refcounts(path) == 0, "crash: final image");
    size_t flushes = 0;
    for (size_t i = 0; i < l.n; i++)
        flushes += !l.ops[i].len;
    int states = 0, bad = check_crash_states(initial, n0, &l, 512, &states);
    printf("crash order: %zu writes, %zu flushes, %d crash states checked\n", l.n - flushes, flushes, states);
    CHECK(bad == 0 && flushes > 20, "crash: %d inconsistent states", bad);
    size_t nf;
    uint8_t *final = load(path, &nf);
    CHECK(be(final + 56, 4) >= 2, "crash: the refcount table did not grow");
    free(final);
    for (size_t i = 0; i < l.n; i++)
        free(l.ops[i].data);
    free(l.ops);
    free(initial);
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
    test_crash_order();
    make_good();
    test_refused();
    test_fails();
    test_fuzz(9, 300);
    test_fuzz(16, 300);
    for (int i = 0; i < nmade; i++)
        unlink(made[i]);
    rmdir(dir);
    printf("test_qcow2: %s (%d failures)\n", blk_test_failures ? "FAIL" : "ok", blk_test_failures);
    return blk_test_failures != 0;
}
