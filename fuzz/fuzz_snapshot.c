/* libFuzzer target: snapshot loading (svm_snapshot_read, src/machine/
 * snapshot.c and every device's load) on a small virt board with one
 * virtio-blk disk in memory, through the public API. The input is a
 * snapshot stream; a copy of it gets every section's CRC made right first
 * (the framing walked as far as it goes), or the fuzzer would only ever
 * meet the checksum. A load that succeeds is followed by a short run
 * (20000 instructions), so that no state the checks accept can crash the
 * emulator: the seed guest keeps the disk, UART, RTC, PLIC and CLINT busy.
 * Two machines live across inputs, one per engine, and each input goes to
 * both; after a refused load a machine takes the known-good snapshot again
 * (one refused in its RAM part cannot run until a load succeeds).
 * Promises checked besides "no crash": a refused load gives BAD_IMAGE and
 * says why, both engines' machines judge a stream alike, a machine that
 * took a snapshot runs, and the known-good snapshot always loads.
 * FUZZ_SNAPSHOT_SEEDS=DIR: write the seed snapshots (fuzz/corpus/snapshot)
 * into DIR and exit (fuzz/seeds/make-seeds.sh does). */
#include "fuzz_common.h"

#include <errno.h>
#include <string.h>

#include "../tests/common/snap_stream.h"

#define RAM_SIZE (2u << 20)
#define RUN_SLICE 20000

/* The seed guest (seeds/snapshot_guest.c: the disk's queue rung, the UART,
 * RTC and PLIC read and claimed on every timer interrupt), at 0x80000000. */
static const uint32_t seed_guest[] = {
#include "seeds/snapshot_guest.inc"
};

/* The machine's disk: 64 KiB in memory, the guest's requests served. */
#define DISK_SIZE (64u << 10)
static uint8_t disk[DISK_SIZE];

static int disk_read(void *opaque, void *buf, size_t len, uint64_t offset)
{
    (void)opaque;
    size_t have = offset < DISK_SIZE ? DISK_SIZE - (size_t)offset : 0;
    have = have < len ? have : len;
    memcpy(buf, disk + offset, have);
    memset((uint8_t *)buf + have, 0, len - have);
    return 0;
}

static int disk_write(void *opaque, const void *buf, size_t len, uint64_t offset)
{
    (void)opaque;
    if (offset > DISK_SIZE || len > DISK_SIZE - offset)
        return -ENOSPC;
    memcpy(disk + offset, buf, len);
    return 0;
}

static int disk_flush(void *opaque)
{
    (void)opaque;
    return 0;
}

static int disk_length(void *opaque, uint64_t *len)
{
    (void)opaque;
    *len = DISK_SIZE;
    return 0;
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
    static const svm_drive drive = {.format = "raw", .read = disk_read, .write = disk_write, .flush = disk_flush,
                                    .length = disk_length};
    cfg.drives = &drive;
    cfg.ndrives = 1;
    svm_machine *m;
    char err[256];
    if (svm_create(&cfg, &m, err, sizeof(err)) != SVM_OK) {
        fprintf(stderr, "fuzz_snapshot: svm_create: %s\n", err);
        abort();
    }
    return m;
}

static svm_machine *machines[2];
static snap_bytes good; /* the seed guest's snapshot 5000 instructions in */

static void take_snapshot(svm_machine *m, uint64_t insns, snap_bytes *out)
{
    /* A machine made with no kernel runs once a snapshot is in: its own. */
    snap_bytes own = {0};
    if (svm_snapshot_write(m, snap_bytes_write, &own) != SVM_OK ||
        svm_snapshot_read(m, snap_bytes_read, &own) != SVM_OK)
        fail("a new machine's own snapshot does not load", m);
    free(own.p);
    if (svm_write_mem(m, 0x80000000u, seed_guest, sizeof(seed_guest)) != SVM_OK ||
        svm_set_reg(m, SVM_REG_PC, 0x80000000u) != SVM_OK)
        fail("the seed guest cannot be put in RAM", m);
    svm_stop st;
    if (insns && (svm_run(m, insns, &st) != SVM_OK || st.reason != SVM_STOP_BUDGET))
        fail("the seed guest does not run", m);
    out->n = out->pos = 0;
    if (svm_snapshot_write(m, snap_bytes_write, out) != SVM_OK)
        fail("the seed guest's snapshot cannot be written", m);
}

static void load_good(svm_machine *m)
{
    good.pos = 0;
    if (svm_snapshot_read(m, snap_bytes_read, &good) != SVM_OK)
        fail("the known-good snapshot does not load", m);
}

static void write_seeds(const char *dir)
{
    static const uint64_t points[] = {0, 60000};
    for (unsigned i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
        svm_machine *m = make_machine(SVM_ENGINE_INTERP);
        snap_bytes s = {0};
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

/* Three times in four, one section's payload is mutated in place (a window
 * of it at most 64 bytes long, its length kept), so that the framing and
 * every other section stay whole and the load gets as far as that
 * section's checks, or succeeds; else libFuzzer's own mutations anywhere. */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    static snap_section s[1024];
    size_t rest;
    int n = snap_sections(data, size, s, 1024, &rest);
    if (n == 0 || seed % 4 == 0)
        return LLVMFuzzerMutate(data, size, max_size);
    const snap_section *t = &s[(seed / 4) % (unsigned)n];
    size_t start = 0, len = t->len;
    if (len > 64) {
        start = (seed / 4 / (unsigned)n) % (len - 64 + 1);
        len = 64;
    }
    if (len)
        LLVMFuzzerMutate(data + t->off + 8 + start, len, len);
    return size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    snap_bytes in = {malloc(size ? size : 1), size, size, 0};
    if (!in.p)
        abort();
    memcpy(in.p, data, size);
    snap_fix_crcs(in.p, size);
    int verdict[2];
    for (int e = 0; e < 2; e++) {
        svm_machine *m = machines[e];
        in.pos = 0;
        int r = verdict[e] = svm_snapshot_read(m, snap_bytes_read, &in);
        if (r == SVM_OK) {
            svm_stop st;
            if (svm_run(m, RUN_SLICE, &st) != SVM_OK || (unsigned)st.reason > SVM_STOP_INTERRUPTED)
                fail("a machine that took a snapshot cannot run", m);
            continue;
        }
        if (r != SVM_ERR_BAD_IMAGE && r != SVM_ERR_NOMEM)
            fail("a refused snapshot gives BAD_IMAGE", m);
        if (!svm_error(m)[0])
            fail("a refused snapshot says why", NULL);
        /* Refused in its RAM part, the load left the machine unable to
         * run: the known-good state goes back in (whatever the stage). */
        load_good(m);
    }
    free(in.p);
    if (verdict[0] != verdict[1])
        fail("the interpreter's and the JIT's machines judge a snapshot alike", NULL);
    return 0;
}
