/* libFuzzer target: snapshot loading (svm_snapshot_read, src/machine/
 * snapshot.c and every device's load) on a small virt board, through the
 * public API. The input is a snapshot stream; a copy of it gets every
 * section's CRC made right first (the framing walked as far as it goes),
 * or the fuzzer would only ever meet the checksum. A load that succeeds is
 * followed by a short run (20000 instructions per engine), so that no
 * state the checks accept can crash the emulator. Two machines live
 * across inputs, one per engine (the input's length picks: even
 * interpreter, odd JIT); one left unable to run by a load that failed in
 * its RAM part takes the known-good snapshot again.
 * Promises checked besides "no crash": a refused load says why, a
 * successful one leaves a machine that runs, and the known-good snapshot
 * always loads.
 * FUZZ_SNAPSHOT_SEEDS=DIR: write the seed snapshots (fuzz/corpus/snapshot)
 * into DIR and exit. */
#include "fuzz_common.h"

#include <string.h>

#define RAM_SIZE (2u << 20)
#define RUN_SLICE 20000

/* The seed guest at 0x80000000 (M mode): machine timer interrupts every
 * 100 ticks, each printing 'T' on the UART, around a loop that stores its
 * counter over 8 KiB of RAM (assembled from a dozen lines; see the
 * comment at the end of this file). */
static const uint32_t seed_guest[] = {
    0x00000297, 0x05428293, 0x30529073, 0x02000437, 0x100004b7, 0x32e162b1, 0x00540933,
    0x09b36291, 0x32830054, 0x82930009, 0xb0230642, 0x02930059, 0xa0730800, 0x60733042,
    0x4a013004, 0x00000a97, 0x0c4a8a93, 0x72930a05, 0x028e3ffa, 0xb02392d6, 0xbfcd0142,
    0x00093303, 0x06430313, 0x0069b023, 0x05400313, 0x00648023, 0x30200073,
};

typedef struct stream {
    uint8_t *p;
    size_t n, cap, pos;
} stream;

static int64_t stream_write(void *opaque, const void *buf, size_t len)
{
    stream *s = opaque;
    if (s->n + len > s->cap) {
        s->cap = (s->n + len) * 2;
        s->p = realloc(s->p, s->cap);
        if (!s->p)
            abort();
    }
    memcpy(s->p + s->n, buf, len);
    s->n += len;
    return (int64_t)len;
}

static int64_t stream_read(void *opaque, void *buf, size_t len)
{
    stream *s = opaque;
    size_t n = s->n - s->pos < len ? s->n - s->pos : len;
    memcpy(buf, s->p + s->pos, n);
    s->pos += n;
    return (int64_t)n;
}

static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c >> 1 ^ (0xedb88320u & -(c & 1));
    }
    return ~c;
}

/* Each whole section (tag, u32 LE length, payload, CRC) gets its CRC
 * recomputed; a last partial one is left as it is. */
static void fix_crcs(uint8_t *p, size_t n)
{
    size_t off = 0;
    while (n - off >= 12) {
        uint32_t len = p[off + 4] | p[off + 5] << 8 | p[off + 6] << 16 | (uint32_t)p[off + 7] << 24;
        if (len > n - off - 12)
            return;
        uint32_t crc = crc32_ieee(p + off, 8 + (size_t)len);
        for (int i = 0; i < 4; i++)
            p[off + 8 + len + i] = (uint8_t)(crc >> (8 * i));
        off += 12 + (size_t)len;
    }
}

static void drop_output(void *opaque, const char *buf, size_t len) { (void)opaque, (void)buf, (void)len; }

static void fail(const char *what, svm_machine *m)
{
    fprintf(stderr, "fuzz_snapshot: broken promise: %s%s%s\n", what, m ? ": " : "", m ? svm_error(m) : "");
    abort();
}

static svm_machine *make_machine(svm_engine engine)
{
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = SVM_MODE_SYSTEM;
    cfg.board = SVM_BOARD_VIRT;
    cfg.engine = engine;
    cfg.ram_size = RAM_SIZE;
    cfg.counted_time = 1;
    cfg.console = drop_output;
    cfg.log = drop_output;
    svm_machine *m;
    char err[256];
    if (svm_create(&cfg, &m, err, sizeof(err)) != SVM_OK) {
        fprintf(stderr, "fuzz_snapshot: svm_create: %s\n", err);
        abort();
    }
    return m;
}

static svm_machine *machines[2];
static stream good; /* the seed guest's snapshot after `insns` instructions */

static void take_snapshot(svm_machine *m, uint64_t insns, stream *out)
{
    /* A machine made with no kernel runs once a snapshot is in: its own. */
    stream own = {0};
    if (svm_snapshot_write(m, stream_write, &own) != SVM_OK || svm_snapshot_read(m, stream_read, &own) != SVM_OK)
        fail("a new machine's own snapshot does not load", m);
    free(own.p);
    if (svm_write_mem(m, 0x80000000u, seed_guest, sizeof(seed_guest)) != SVM_OK ||
        svm_set_reg(m, SVM_REG_PC, 0x80000000u) != SVM_OK)
        fail("the seed guest cannot be put in RAM", m);
    svm_stop st;
    if (insns && (svm_run(m, insns, &st) != SVM_OK || st.reason != SVM_STOP_BUDGET))
        fail("the seed guest does not run", m);
    out->n = out->pos = 0;
    if (svm_snapshot_write(m, stream_write, out) != SVM_OK)
        fail("the seed guest's snapshot cannot be written", m);
}

static void load_good(svm_machine *m)
{
    good.pos = 0;
    if (svm_snapshot_read(m, stream_read, &good) != SVM_OK)
        fail("the known-good snapshot does not load", m);
}

static void write_seeds(const char *dir)
{
    static const uint64_t points[] = {0, 60000};
    for (unsigned i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
        svm_machine *m = make_machine(SVM_ENGINE_INTERP);
        stream s = {0};
        take_snapshot(m, points[i], &s);
        char path[4096];
        snprintf(path, sizeof(path), "%s/guest_%llu", dir, (unsigned long long)points[i]);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(s.p, 1, s.n, f) != s.n || fclose(f) != 0) {
            perror(path);
            exit(1);
        }
        printf("%s: %zu bytes\n", path, s.n);
        free(s.p);
        svm_destroy(m);
    }
    exit(0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *seeds = getenv("FUZZ_SNAPSHOT_SEEDS");
    if (seeds && seeds[0])
        write_seeds(seeds);
    machines[0] = make_machine(SVM_ENGINE_INTERP);
    machines[1] = make_machine(SVM_ENGINE_JIT);
    take_snapshot(machines[0], 5000, &good);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    svm_machine *m = machines[size & 1];
    stream in = {malloc(size ? size : 1), size, size, 0};
    if (!in.p)
        abort();
    memcpy(in.p, data, size);
    fix_crcs(in.p, size);
    int r = svm_snapshot_read(m, stream_read, &in);
    free(in.p);
    if (r == SVM_OK) {
        svm_stop st;
        if (svm_run(m, RUN_SLICE, &st) != SVM_OK || (unsigned)st.reason > SVM_STOP_INTERRUPTED)
            fail("a machine that took a snapshot cannot run", m);
        return 0;
    }
    if (r != SVM_ERR_BAD_IMAGE && r != SVM_ERR_NOMEM)
        fail("a refused snapshot gives BAD_IMAGE", m);
    if (!svm_error(m)[0])
        fail("a refused snapshot says why", NULL);
    /* Refused in its RAM part, the load left the machine unable to run:
     * the known-good state goes back in (whatever the refusal's stage). */
    load_good(m);
    return 0;
}

/* The seed guest:
 *     la t0, trap; csrw mtvec, t0
 *     li s0, 0x2000000; li s1, 0x10000000     (CLINT, UART)
 *     s2 = s0 + 0xbff8 (mtime); s3 = s0 + 0x4000 (mtimecmp)
 *     mtimecmp = mtime + 100; csrs mie, MTIE; csrsi mstatus, MIE
 *     li s4, 0; la s5, data (0x80000100)
 * loop: s4++; sd s4, ((s4 & 1023) * 8)(s5); j loop
 * trap: mtimecmp = mtime + 100 (with t1); sb 'T', 0(s1); mret */
