/* Snapshots of the virt board through the public API (svm_snapshot_save,
 * _load, _write, _read) with a bare-metal guest (snap_guest/) that takes
 * timer interrupts, dirties 3 MiB of RAM and prints progress, all
 * deterministic under counted time:
 *   - a run saved part way goes on unharmed; a new machine (with the
 *     kernel, or with none) loaded from the file or from memory prints
 *     exactly the reference run's output from the save point on; a machine
 *     rewound to its own snapshot does it again;
 *   - refusals: user mode and spike (UNSUPPORTED), a missing file (IO),
 *     garbage, empty, truncated and damaged streams, another machine's
 *     snapshot (RAM, harts, -icount), a disk image changed since, values
 *     no machine could hold (BAD_IMAGE); a refusal before the RAM part
 *     leaves the machine as it was, one inside it leaves the machine unable
 *     to run until a whole snapshot is loaded;
 *   - saving: after power-off (INVALID), into a missing directory or over
 *     a directory (IO, no PATH.tmp left), over an older file (replaced).
 * usage: test_snapshot GUEST_ELF interp|jit */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "splitvm.h"

#include "../common/host_check.h"
#include "../common/snap_stream.h"

#define CHECK_THAT(cond) CHECK(cond, "%s", #cond)

#define RAM_SIZE (16u << 20)
#define SLICE 200000       /* instructions per svm_run */
#define SAVE_AFTER 4       /* slices run before the snapshot */
#define MAX_SLICES 1000    /* a run longer than this has gone wrong */
#define MAX_SECTIONS 256
#define HART_PRIV_OFFSET 748 /* HART payload: hart, x1-x31, f0-f31, 29 u64 CSRs, fflags, frm, then priv */
#define VIRT_QUEUE0_OFFSET 40 /* VIRT payload: slot, device id, 6 u32 registers, u64 features, then queue 0 */
#define BORD_NEXT_HART_OFFSET 12

static const char *guest;
static svm_engine engine;
static char dir[256];

/* ---- byte buffers (console output, in-memory snapshots) and sections ---- */

typedef snap_bytes bytes;
typedef snap_section section;

static bytes bytes_copy(const bytes *b)
{
    bytes c = {0};
    snap_bytes_add(&c, b->p, b->n);
    return c;
}

static void console_sink(void *opaque, const char *buf, size_t len) { snap_bytes_add(opaque, buf, len); }

/* The sections of a whole stream; their number, or -1 if it does not frame. */
static int split_sections(const bytes *b, section *s)
{
    size_t rest;
    int n = snap_sections(b->p, b->n, s, MAX_SECTIONS, &rest);
    return rest ? -1 : n;
}

static void fix_crcs(bytes *b) { snap_fix_crcs(b->p, b->n); }

static int find_section(const section *s, int n, const char *tag, int from)
{
    for (int i = from; i < n; i++)
        if (!strcmp(s[i].tag, tag))
            return i;
    return -1;
}

/* ---- machines ---- */

typedef struct vm {
    svm_machine *m;
    bytes out;
    int status;
} vm;

static svm_config base_config(void)
{
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = SVM_MODE_SYSTEM;
    cfg.board = SVM_BOARD_VIRT;
    cfg.engine = engine;
    cfg.ram_size = RAM_SIZE;
    cfg.firmware = NULL;
    cfg.kernel = guest;
    cfg.counted_time = 1;
    return cfg;
}

static int vm_create(vm *v, svm_config cfg)
{
    memset(v, 0, sizeof(*v));
    cfg.console = console_sink;
    cfg.console_opaque = &v->out;
    char err[256];
    if (svm_create(&cfg, &v->m, err, sizeof(err)) != SVM_OK) {
        printf("svm_create: %s\n", err);
        return 0;
    }
    return 1;
}

static void vm_destroy(vm *v)
{
    svm_destroy(v->m);
    free(v->out.p);
    memset(v, 0, sizeof(*v));
}

/* Run `slices` slices that must all end on the budget. */
static int run_slices(vm *v, int slices)
{
    for (int i = 0; i < slices; i++) {
        svm_stop st;
        if (svm_run(v->m, SLICE, &st) != SVM_OK || st.reason != SVM_STOP_BUDGET)
            return 0;
    }
    return 1;
}

/* Run until the guest powers off; 1 with its status in v->status. */
static int run_to_end(vm *v)
{
    for (int i = 0; i < MAX_SLICES; i++) {
        svm_stop st;
        if (svm_run(v->m, SLICE, &st) != SVM_OK) {
            printf("svm_run: %s\n", svm_error(v->m));
            return 0;
        }
        if (st.reason == SVM_STOP_EXITED) {
            v->status = st.exit_status;
            return 1;
        }
        if (st.reason != SVM_STOP_BUDGET && st.reason != SVM_STOP_WAITING)
            return 0;
    }
    return 0;
}

/* The output from byte `from` on equals the reference's from `ref_from` on. */
static int same_tail(const bytes *out, size_t from, const bytes *ref, size_t ref_from)
{
    return out->n >= from && ref->n >= ref_from && out->n - from == ref->n - ref_from &&
           !memcmp(out->p + from, ref->p + ref_from, out->n - from);
}

/* The "done hash=..." part of the final line (the tick count cut off). */
static void final_hash(const bytes *out, char *buf, size_t len)
{
    buf[0] = 0;
    const char *p = memmem(out->p, out->n, "done hash=", 10);
    if (p && (size_t)((const char *)out->p + out->n - p) >= 26)
        snprintf(buf, len, "%.26s", p);
}

static int load_bytes(vm *v, const bytes *snap)
{
    bytes r = *snap;
    r.pos = 0;
    return svm_snapshot_read(v->m, snap_bytes_read, &r);
}

/* Where the machine is: instructions retired and pc, to see that a refused
 * load left it as it was. */
typedef struct place {
    uint64_t instret, pc, a0;
} place;

static place where(const vm *v)
{
    place p = {svm_instret(v->m), 0, 0};
    svm_get_reg(v->m, SVM_REG_PC, &p.pc);
    svm_get_reg(v->m, 10, &p.a0);
    return p;
}

static int same_place(const vm *v, place p)
{
    place q = where(v);
    return q.instret == p.instret && q.pc == p.pc && q.a0 == p.a0;
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static const char *tmp_path(const char *name)
{
    static char paths[8][512];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char sub[1024];
            snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
            remove_tree(sub);
        }
        closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* ---- the checks ---- */

typedef struct ref {
    bytes out;      /* the whole run's console output */
    int status;
    size_t save_at; /* output bytes before the snapshot point */
    bytes snap;     /* the snapshot taken there, in memory */
    const char *file; /* and as a file */
} ref;

static void check_round_trips(ref *R)
{
    vm v;
    CHECK_THAT(vm_create(&v, base_config()));
    CHECK_THAT(run_to_end(&v));
    R->out = bytes_copy(&v.out);
    R->status = v.status;
    char h[64];
    final_hash(&R->out, h, sizeof(h));
    printf("reference: %zu bytes of output, status %d, %s\n", R->out.n, R->status, h);
    CHECK(h[0] && R->status != 0, "the guest's final line and power-off status");
    /* Saving a powered-off guest is refused. */
    CHECK_THAT(svm_snapshot_save(v.m, tmp_path("off.snap")) == SVM_ERR_INVALID);
    bytes junk = {0};
    CHECK_THAT(svm_snapshot_write(v.m, snap_bytes_write, &junk) == SVM_ERR_INVALID);
    CHECK_THAT(file_size(tmp_path("off.snap")) < 0 && file_size(tmp_path("off.snap.tmp")) < 0);
    free(junk.p);
    vm_destroy(&v);

    /* Saved part way (file and memory), then on to the end unharmed. */
    vm a;
    CHECK_THAT(vm_create(&a, base_config()));
    CHECK_THAT(run_slices(&a, SAVE_AFTER));
    R->save_at = a.out.n;
    CHECK(R->save_at > 0 && R->save_at < R->out.n && !memcmp(a.out.p, R->out.p, R->save_at),
          "the snapshot point is inside the run (%zu of %zu output bytes)", R->save_at, R->out.n);
    R->file = strdup(tmp_path("a.snap"));
    CHECK_THAT(svm_snapshot_save(a.m, R->file) == SVM_OK);
    CHECK_THAT(svm_snapshot_write(a.m, snap_bytes_write, &R->snap) == SVM_OK);
    CHECK(file_size(R->file) == (long)R->snap.n, "file %ld bytes, memory %zu", file_size(R->file), R->snap.n);
    CHECK_THAT(file_size(tmp_path("a.snap.tmp")) < 0);
    printf("snapshot: %zu bytes after %d slices of %d instructions\n", R->snap.n, SAVE_AFTER, SLICE);
    CHECK_THAT(run_to_end(&a));
    CHECK_THAT(same_tail(&a.out, 0, &R->out, 0) && a.status == R->status);

    /* Rewind: the same machine, loaded again, does the rest again. */
    size_t mark = a.out.n;
    CHECK_THAT(svm_snapshot_load(a.m, R->file) == SVM_OK);
    CHECK_THAT(run_to_end(&a));
    CHECK(same_tail(&a.out, mark, &R->out, R->save_at) && a.status == R->status, "rewound run repeats the rest");
    /* And once more from memory. */
    mark = a.out.n;
    CHECK_THAT(load_bytes(&a, &R->snap) == SVM_OK);
    CHECK_THAT(run_to_end(&a));
    CHECK_THAT(same_tail(&a.out, mark, &R->out, R->save_at) && a.status == R->status);
    vm_destroy(&a);

    /* A new machine from the file. */
    vm b;
    CHECK_THAT(vm_create(&b, base_config()));
    CHECK_THAT(svm_snapshot_load(b.m, R->file) == SVM_OK);
    CHECK_THAT(run_to_end(&b));
    CHECK(same_tail(&b.out, 0, &R->out, R->save_at) && b.status == R->status,
          "new machine from the file: %zu bytes, status %d", b.out.n, b.status);
    vm_destroy(&b);

    /* A machine made with no kernel, from memory. */
    vm c;
    svm_config bare = base_config();
    bare.kernel = NULL;
    CHECK_THAT(vm_create(&c, bare));
    CHECK_THAT(load_bytes(&c, &R->snap) == SVM_OK);
    CHECK_THAT(run_to_end(&c));
    CHECK(same_tail(&c.out, 0, &R->out, R->save_at) && c.status == R->status,
          "kernel-less machine from memory: %zu bytes, status %d", c.out.n, c.status);
    /* Its snapshot is as good: saved right away and loaded again. */
    CHECK_THAT(load_bytes(&c, &R->snap) == SVM_OK);
    bytes again = {0};
    CHECK_THAT(svm_snapshot_write(c.m, snap_bytes_write, &again) == SVM_OK);
    CHECK_THAT(again.n == R->snap.n);
    size_t mark_c = c.out.n;
    CHECK_THAT(load_bytes(&c, &again) == SVM_OK && run_to_end(&c));
    CHECK_THAT(same_tail(&c.out, mark_c, &R->out, R->save_at));
    free(again.p);
    vm_destroy(&c);
}

static void check_unsupported(void)
{
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.engine = engine;
    svm_machine *m;
    char err[256];
    CHECK_THAT(svm_create(&cfg, &m, err, sizeof(err)) == SVM_OK);
    if (m) {
        CHECK_THAT(svm_snapshot_save(m, tmp_path("user.snap")) == SVM_ERR_UNSUPPORTED);
        CHECK_THAT(svm_snapshot_load(m, tmp_path("user.snap")) == SVM_ERR_UNSUPPORTED);
        CHECK_THAT(svm_error(m)[0] != 0);
        svm_destroy(m);
    }
    cfg.mode = SVM_MODE_SYSTEM;
    cfg.board = SVM_BOARD_SPIKE;
    CHECK_THAT(svm_create(&cfg, &m, err, sizeof(err)) == SVM_OK);
    if (m) {
        bytes b = {0};
        CHECK_THAT(svm_snapshot_save(m, tmp_path("spike.snap")) == SVM_ERR_UNSUPPORTED);
        CHECK_THAT(svm_snapshot_write(m, snap_bytes_write, &b) == SVM_ERR_UNSUPPORTED);
        CHECK_THAT(svm_snapshot_read(m, snap_bytes_read, &b) == SVM_ERR_UNSUPPORTED);
        CHECK_THAT(file_size(tmp_path("spike.snap")) < 0 && file_size(tmp_path("spike.snap.tmp")) < 0);
        svm_destroy(m);
    }
}

static void check_save_paths(const ref *R)
{
    vm v;
    CHECK_THAT(vm_create(&v, base_config()));
    CHECK_THAT(run_slices(&v, 1));
    /* A missing directory. */
    CHECK_THAT(svm_snapshot_save(v.m, tmp_path("nodir/x.snap")) == SVM_ERR_IO);
    CHECK_THAT(strstr(svm_error(v.m), "nodir") != NULL);
    /* PATH is a directory: the temporary file is written, the rename fails,
     * and the temporary file goes. */
    const char *d = tmp_path("adir");
    mkdir(d, 0755);
    write_file(tmp_path("adir/keep"), "k", 1);
    CHECK_THAT(svm_snapshot_save(v.m, d) == SVM_ERR_IO);
    CHECK_THAT(file_size(tmp_path("adir.tmp")) < 0 && file_size(tmp_path("adir/keep")) == 1);
    /* Over an older, larger file: replaced whole. */
    const char *over = tmp_path("over.snap");
    size_t big = R->snap.n + 100000;
    uint8_t *junk = malloc(big);
    memset(junk, 0xa5, big);
    write_file(over, junk, big);
    free(junk);
    CHECK_THAT(svm_snapshot_save(v.m, over) == SVM_OK);
    bytes now = {0};
    CHECK_THAT(svm_snapshot_write(v.m, snap_bytes_write, &now) == SVM_OK);
    CHECK(file_size(over) == (long)now.n, "replaced file is %ld bytes, a snapshot %zu", file_size(over), now.n);
    free(now.p);
    CHECK_THAT(file_size(tmp_path("over.snap.tmp")) < 0);
    size_t mark = v.out.n;
    CHECK_THAT(run_to_end(&v));
    CHECK_THAT(same_tail(&v.out, 0, &R->out, 0));
    CHECK_THAT(svm_snapshot_load(v.m, over) == SVM_OK && run_to_end(&v));
    CHECK_THAT(same_tail(&v.out, v.out.n - (R->out.n - mark), &R->out, mark));
    vm_destroy(&v);
}

/* Loads refused before the RAM part: the machine is where it was and ends
 * with the reference output. */
static void check_refusals(const ref *R)
{
    vm e;
    CHECK_THAT(vm_create(&e, base_config()));
    CHECK_THAT(run_slices(&e, 2));
    place at = where(&e);
    CHECK_THAT(svm_snapshot_load(e.m, tmp_path("missing.snap")) == SVM_ERR_IO);
    CHECK_THAT(same_place(&e, at));
    const char *garbage = tmp_path("garbage.snap");
    uint8_t g[4096];
    for (size_t i = 0; i < sizeof(g); i++)
        g[i] = (uint8_t)(i * 7 + 3);
    write_file(garbage, g, sizeof(g));
    CHECK_THAT(svm_snapshot_load(e.m, garbage) == SVM_ERR_BAD_IMAGE && svm_error(e.m)[0]);
    CHECK_THAT(same_place(&e, at));
    const char *empty = tmp_path("empty.snap");
    write_file(empty, "", 0);
    CHECK_THAT(svm_snapshot_load(e.m, empty) == SVM_ERR_BAD_IMAGE && svm_error(e.m)[0]);
    CHECK_THAT(same_place(&e, at));

    /* Truncated and damaged streams. Refused before the RAM part: e is
     * untouched. Inside it: x cannot run until a whole snapshot is in. */
    vm x;
    CHECK_THAT(vm_create(&x, base_config()));
    section s[MAX_SECTIONS];
    int n = split_sections(&R->snap, s);
    int first_ram = find_section(s, n, "RAM_", 0);
    CHECK(n > 0 && first_ram > 0 && !strcmp(s[n - 1].tag, "END_"), "sections %d, first RAM_ %d", n, first_ram);
    int cuts = 0, flips = 0, ruined_ok = 0, ruined_cases = 0;
    for (int i = 0; i < n && first_ram > 0; i++) {
        const size_t at_cut[] = {s[i].off, s[i].off + 2, s[i].off + 6, s[i].off + 8 + s[i].len / 2,
                                 s[i].off + 10 + s[i].len};
        const size_t at_flip[] = {s[i].off + 1, s[i].off + 5, s[i].off + 8 + s[i].len / 2, s[i].off + 11 + s[i].len};
        for (int k = 0; k < 5 + 4; k++) {
            bytes bad = bytes_copy(&R->snap);
            if (k < 5) {
                bad.n = at_cut[k];
                cuts++;
            } else {
                bad.p[at_flip[k - 5]] ^= 0x40;
                flips++;
            }
            int in_ram = i >= first_ram;
            vm *t = in_ram ? &x : &e;
            if (in_ram) {
                /* From a whole load, so that the refusal is what ruins it. */
                CHECK_THAT(load_bytes(t, &R->snap) == SVM_OK);
            }
            int r = load_bytes(t, &bad);
            CHECK(r == SVM_ERR_BAD_IMAGE && svm_error(t->m)[0], "section %d (%s) %s at %zu: %d",
                  i, s[i].tag, k < 5 ? "cut" : "flipped", k < 5 ? at_cut[k] : at_flip[k - 5], r);
            if (in_ram) {
                svm_stop st;
                ruined_cases++;
                if (svm_run(t->m, 1000, &st) != SVM_OK && st.reason == SVM_STOP_ERROR &&
                    svm_snapshot_write(t->m, snap_bytes_write, &(bytes){0}) == SVM_ERR_INVALID)
                    ruined_ok++;
            } else {
                CHECK(same_place(t, at), "refused load of section %d (%s) changed the machine", i, s[i].tag);
            }
            free(bad.p);
        }
    }
    CHECK(ruined_ok == ruined_cases && ruined_cases > 0,
          "machine unable to run after %d of %d refusals in the RAM part", ruined_ok, ruined_cases);
    /* One byte short of the whole. */
    bytes shortone = bytes_copy(&R->snap);
    shortone.n--;
    CHECK_THAT(load_bytes(&x, &shortone) == SVM_ERR_BAD_IMAGE);
    free(shortone.p);
    printf("refused: %d truncations, %d flipped bytes over %d sections (%d in the RAM part)\n", cuts, flips, n,
           ruined_cases);
    /* The ruined machine takes a whole snapshot and runs to the end. */
    CHECK_THAT(load_bytes(&x, &R->snap) == SVM_OK && run_to_end(&x));
    CHECK_THAT(same_tail(&x.out, 0, &R->out, R->save_at) && x.status == R->status);
    vm_destroy(&x);
    /* The refusing machine went on as if nothing had happened. */
    CHECK_THAT(run_to_end(&e));
    CHECK(same_tail(&e.out, 0, &R->out, 0) && e.status == R->status, "machine after refused loads: %zu bytes", e.out.n);
    vm_destroy(&e);
}

/* Another machine's snapshot: refused with a reason, the machine as it was. */
static void check_mismatch(const ref *R, const char *what, svm_config cfg, const char *word, int exact)
{
    vm v;
    CHECK_THAT(vm_create(&v, cfg));
    CHECK_THAT(run_slices(&v, 1));
    place at = where(&v);
    int r = svm_snapshot_load(v.m, R->file);
    CHECK(r == SVM_ERR_BAD_IMAGE && strstr(svm_error(v.m), word), "%s: %d '%s'", what, r, svm_error(v.m));
    printf("%s: %s\n", what, svm_error(v.m));
    r = load_bytes(&v, &R->snap);
    CHECK(r == SVM_ERR_BAD_IMAGE && strstr(svm_error(v.m), word), "%s (memory): %d '%s'", what, r, svm_error(v.m));
    CHECK_THAT(same_place(&v, at));
    CHECK_THAT(run_to_end(&v));
    char h1[64], h2[64];
    final_hash(&R->out, h1, sizeof(h1));
    final_hash(&v.out, h2, sizeof(h2));
    if (exact)
        CHECK(same_tail(&v.out, 0, &R->out, 0) && v.status == R->status, "%s: whole output", what);
    else
        CHECK(!strcmp(h1, h2) && v.status == R->status, "%s: '%s' status %d", what, h2, v.status);
    vm_destroy(&v);
}

/* Payloads changed with the CRCs made right: what the checks behind the
 * framing refuse. The machine stays as it was. */
static void check_semantics(const ref *R)
{
    vm v;
    CHECK_THAT(vm_create(&v, base_config()));
    CHECK_THAT(run_slices(&v, 1));
    place at = where(&v);
    section s[MAX_SECTIONS];
    int n = split_sections(&R->snap, s);
    /* The helper itself: CRCs recomputed over an unchanged stream load. */
    bytes same = bytes_copy(&R->snap);
    fix_crcs(&same);
    CHECK_THAT(same.n == R->snap.n && !memcmp(same.p, R->snap.p, same.n));
    free(same.p);

    int h = find_section(s, n, "HART", 0);
    CHECK_THAT(h >= 0 && s[h].len > HART_PRIV_OFFSET + 4);
    if (h >= 0) {
        uint8_t *priv = R->snap.p + s[h].off + 8 + HART_PRIV_OFFSET;
        CHECK(snap_get_le32(priv) == 3, "the hart runs in M mode: priv %u at its offset", snap_get_le32(priv));
        bytes bad = bytes_copy(&R->snap);
        snap_put_le32(bad.p + (priv - R->snap.p), 2); /* the reserved mode */
        fix_crcs(&bad);
        int r = load_bytes(&v, &bad);
        CHECK(r == SVM_ERR_BAD_IMAGE && strstr(svm_error(v.m), "hart"), "priv 2: %d '%s'", r, svm_error(v.m));
        CHECK_THAT(same_place(&v, at));
        snap_put_le32(bad.p + s[h].off + 8, 1); /* hart 1 of a one-hart machine */
        snap_put_le32(bad.p + (priv - R->snap.p), 3);
        fix_crcs(&bad);
        CHECK_THAT(load_bytes(&v, &bad) == SVM_ERR_BAD_IMAGE && same_place(&v, at));
        free(bad.p);
    }
    int b = find_section(s, n, "BORD", 0);
    CHECK_THAT(b >= 0);
    if (b >= 0) {
        bytes bad = bytes_copy(&R->snap);
        snap_put_le32(bad.p + s[b].off + 8 + BORD_NEXT_HART_OFFSET, 1);
        fix_crcs(&bad);
        CHECK_THAT(load_bytes(&v, &bad) == SVM_ERR_BAD_IMAGE && same_place(&v, at));
        free(bad.p);
    }
    /* An empty virtio slot with a ready queue. */
    int vt = find_section(s, n, "VIRT", 0);
    CHECK_THAT(vt >= 0);
    if (vt >= 0) {
        bytes bad = bytes_copy(&R->snap);
        snap_put_le32(bad.p + s[vt].off + 8 + VIRT_QUEUE0_OFFSET + 4, 1);
        fix_crcs(&bad);
        CHECK_THAT(load_bytes(&v, &bad) == SVM_ERR_BAD_IMAGE && same_place(&v, at));
        free(bad.p);
    }
    /* A section twice, an unknown one, the format version. */
    {
        bytes bad = {0};
        snap_bytes_add(&bad, R->snap.p, s[b].off);
        snap_bytes_add(&bad, R->snap.p + s[b].off, 12 + s[b].len);
        snap_bytes_add(&bad, R->snap.p + s[b].off, R->snap.n - s[b].off);
        CHECK_THAT(load_bytes(&v, &bad) == SVM_ERR_BAD_IMAGE && same_place(&v, at));
        memcpy(bad.p + s[b].off, "XYZW", 4);
        fix_crcs(&bad);
        CHECK_THAT(load_bytes(&v, &bad) == SVM_ERR_BAD_IMAGE && same_place(&v, at));
        free(bad.p);
        bad = bytes_copy(&R->snap);
        snap_put_le32(bad.p + 8, 99);
        fix_crcs(&bad);
        CHECK_THAT(load_bytes(&v, &bad) == SVM_ERR_BAD_IMAGE && strstr(svm_error(v.m), "format"));
        free(bad.p);
    }
    /* RAM_ sections out of order: refused once RAM is being written. */
    int r0 = find_section(s, n, "RAM_", 0), r1 = r0 >= 0 ? find_section(s, n, "RAM_", r0 + 1) : -1;
    CHECK_THAT(r1 > r0);
    if (r1 > r0) {
        bytes bad = {0};
        snap_bytes_add(&bad, R->snap.p, s[r0].off);
        snap_bytes_add(&bad, R->snap.p + s[r1].off, 12 + s[r1].len);
        snap_bytes_add(&bad, R->snap.p + s[r0].off, 12 + s[r0].len);
        snap_bytes_add(&bad, R->snap.p + s[r1].off + 12 + s[r1].len, R->snap.n - (s[r1].off + 12 + s[r1].len));
        CHECK_THAT(bad.n == R->snap.n && load_bytes(&v, &bad) == SVM_ERR_BAD_IMAGE);
        svm_stop st;
        CHECK_THAT(svm_run(v.m, 1000, &st) != SVM_OK);
        free(bad.p);
        CHECK_THAT(load_bytes(&v, &R->snap) == SVM_OK && run_to_end(&v));
        CHECK_THAT(same_tail(&v.out, v.out.n - (R->out.n - R->save_at), &R->out, R->save_at));
    }
    vm_destroy(&v);
}

/* A disk: its image's modification time is part of the machine. */
static void check_disk(const ref *R)
{
    const char *img = tmp_path("disk.img");
    uint8_t *zero = calloc(1, 1 << 20);
    write_file(img, zero, 1 << 20);
    free(zero);
    svm_drive drv = {0};
    drv.file = img;
    drv.format = "raw";
    svm_config cfg = base_config();
    cfg.drives = &drv;
    cfg.ndrives = 1;
    vm d;
    CHECK_THAT(vm_create(&d, cfg));
    CHECK_THAT(run_slices(&d, SAVE_AFTER));
    CHECK_THAT(d.out.n == R->save_at);
    const char *snap = tmp_path("disk.snap");
    CHECK_THAT(svm_snapshot_save(d.m, snap) == SVM_OK);
    bytes mem = {0};
    CHECK_THAT(svm_snapshot_write(d.m, snap_bytes_write, &mem) == SVM_OK);
    vm_destroy(&d);

    struct stat st;
    CHECK_THAT(stat(img, &st) == 0);
#if defined(__APPLE__)
    struct timespec times[2] = {st.st_atimespec, st.st_mtimespec};
#else
    struct timespec times[2] = {st.st_atim, st.st_mtim};
#endif
    times[1].tv_sec += 10;
    CHECK_THAT(utimensat(AT_FDCWD, img, times, 0) == 0);
    vm d2;
    CHECK_THAT(vm_create(&d2, cfg));
    place at = where(&d2);
    int r = svm_snapshot_load(d2.m, snap);
    CHECK(r == SVM_ERR_BAD_IMAGE && strstr(svm_error(d2.m), "disk"), "changed disk: %d '%s'", r, svm_error(d2.m));
    printf("changed disk: %s\n", svm_error(d2.m));
    CHECK_THAT(same_place(&d2, at));
    vm_destroy(&d2);
    /* The machine without the disk refuses it too. */
    vm nodisk;
    CHECK_THAT(vm_create(&nodisk, base_config()));
    r = svm_snapshot_load(nodisk.m, snap);
    CHECK(r == SVM_ERR_BAD_IMAGE && strstr(svm_error(nodisk.m), "disk"), "no disk: %d '%s'", r, svm_error(nodisk.m));
    vm_destroy(&nodisk);

    times[1].tv_sec -= 10;
    CHECK_THAT(utimensat(AT_FDCWD, img, times, 0) == 0);
    CHECK_THAT(vm_create(&d2, cfg));
    at = where(&d2);
    /* The disk's virtio queue made ready with a size no driver could set. */
    section s[MAX_SECTIONS];
    int n = split_sections(&mem, s);
    int slot7 = -1;
    for (int i = find_section(s, n, "VIRT", 0); i >= 0; i = find_section(s, n, "VIRT", i + 1))
        if (snap_get_le32(mem.p + s[i].off + 8) == 7)
            slot7 = i;
    CHECK_THAT(slot7 >= 0);
    if (slot7 >= 0) {
        uint8_t *q0 = mem.p + s[slot7].off + 8 + VIRT_QUEUE0_OFFSET;
        CHECK_THAT(snap_get_le32(mem.p + s[slot7].off + 12) == 2); /* virtio-blk */
        bytes bad = bytes_copy(&mem);
        uint8_t *bq = bad.p + (q0 - mem.p);
        snap_put_le32(bq, 3); /* num: not a power of two */
        snap_put_le32(bq + 4, 1);
        for (int k = 0; k < 3; k++) /* desc, avail, used: in RAM, aligned */
            for (int j = 0; j < 8; j++)
                bq[8 + 8 * k + j] = (uint8_t)((0x80100000ull + 0x1000ull * (uint64_t)k) >> (8 * j));
        fix_crcs(&bad);
        r = load_bytes(&d2, &bad);
        CHECK(r == SVM_ERR_BAD_IMAGE && same_place(&d2, at), "queue of size 3: %d", r);
        snap_put_le32(bq, 8); /* the same queue with a good size is taken */
        fix_crcs(&bad);
        CHECK_THAT(load_bytes(&d2, &bad) == SVM_OK);
        snap_put_le32(bq, 8);
        for (int j = 0; j < 8; j++)
            bq[8 + j] = (uint8_t)(((uint64_t)RAM_SIZE + 0x80000000ull - 64) >> (8 * j)); /* ring past RAM's end */
        fix_crcs(&bad);
        CHECK_THAT(load_bytes(&d2, &bad) == SVM_ERR_BAD_IMAGE);
        free(bad.p);
    }
    /* With the image's time as it was, the snapshot loads and runs on. */
    CHECK_THAT(svm_snapshot_load(d2.m, snap) == SVM_OK);
    CHECK_THAT(run_to_end(&d2));
    CHECK_THAT(same_tail(&d2.out, d2.out.n - (R->out.n - R->save_at), &R->out, R->save_at) && d2.status == R->status);
    vm_destroy(&d2);
    free(mem.p);
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    guest = argv[1];
    engine = !strcmp(argv[2], "jit") ? SVM_ENGINE_JIT : SVM_ENGINE_INTERP;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/svm-snapshot-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    ref R = {0};
    check_round_trips(&R);
    check_unsupported();
    check_save_paths(&R);
    check_refusals(&R);
    svm_config cfg = base_config();
    cfg.ram_size = 2 * RAM_SIZE;
    check_mismatch(&R, "other RAM size", cfg, "MiB", 1);
    cfg = base_config();
    cfg.harts = 2;
    check_mismatch(&R, "other hart count", cfg, "harts", 0);
    cfg = base_config();
    cfg.counted_time = 0;
    check_mismatch(&R, "host clock", cfg, "icount", 0);
    check_semantics(&R);
    check_disk(&R);
    free(R.out.p);
    free(R.snap.p);
    free((void *)R.file);
    remove_tree(dir);
    return check_report("snapshot API");
}
