/* Many user-mode machines in one process, run interleaved, created and
 * destroyed thousands of times through the public header only; no host
 * resource may leak.
 *
 * ALIVE machines (default 8) live at once. The test goes round them giving
 * each a small, varying instruction budget, so they all make progress side by
 * side; when one exits its status and output file are checked against what
 * the host computes for its seed, it is destroyed and a fresh machine takes
 * its place, until CYCLES machines have lived. Engines alternate (interpreter,
 * JIT, default) and one machine in four is destroyed mid-run, after a random
 * number of slices, while it holds an open file, a pipe, a mapping and heap;
 * one in eight blocks in a read(2) that never completes and is destroyed
 * while it waits (SVM_STOP_WAITING), in the middle of that system call.
 *
 * After a warm-up (three rounds) the process's open fds, its mappings (count
 * and bytes, from /proc/self/maps) and glibc's heap bytes in use are taken;
 * at the end they must be the same: fds exactly, the rest within a slack for
 * the host allocator (see check_flat) far below one leak per machine.
 *
 * usage: test_many_machines GUEST [CYCLES [ALIVE]] [--fds-only] [--leak fd|map|heap]
 *   GUEST       the guest_many program
 *   --fds-only  compare fds only (under valgrind, whose own mappings grow)
 *   --leak K    self-test of the checkers: leak one fd, one mapping or one
 *               heap block (K = fd, map, heap) per machine on purpose; the
 *               run must then fail (heap: LeakSanitizer or valgrind reports)
 * Exit status 0 when every check passed. */
#include <dirent.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "many_result.h"
#include "splitvm.h"
#include "../common/proc_usage.h"

/* ---- What the process holds ---- */

typedef struct usage {
    int fds;
    int maps;                     /* mappings, the brk heap included */
    unsigned long long map_bytes; /* their bytes, the brk heap excluded */
    long long heap_in_use;        /* bytes malloc has handed out; -1: unknown */
} usage;

/* Bytes allocated and not freed, where the C library says (glibc). */
static long long heap_in_use(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return -1; /* ASan's allocator, which glibc does not see; LeakSanitizer checks it */
#elif defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 mi = mallinfo2();
    return (long long)(mi.uordblks + mi.hblkhd);
#else
    return -1;
#endif
}

static usage measure(void)
{
    usage u = {proc_count_fds(), 0, 0, heap_in_use()};
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        unsigned long long lo, hi;
        if (sscanf(line, "%llx-%llx", &lo, &hi) == 2) {
            u.maps++;
            /* The brk heap only ever grows to malloc's high-water mark,
             * which depends on fragmentation; its use is heap_in_use. */
            if (!strstr(line, "[heap]"))
                u.map_bytes += hi - lo;
        }
    }
    if (f)
        fclose(f);
    return u;
}

/* ---- One machine slot ---- */

typedef struct slot {
    svm_machine *m;
    int id;               /* which machine of the run */
    unsigned long long seed;
    svm_engine engine;
    int kill_after;       /* destroy after this many slices; -1: run to exit */
    int waiter;           /* the guest blocks for ever: destroy it waiting */
    int waits;            /* SVM_STOP_WAITING answers so far */
    int slices;
    char path[256];       /* its output file */
} slot;

typedef struct run_state {
    const char *guest;
    char dir[64];         /* scratch folder for the output files */
    unsigned long long rng;
    int failures;
    int exited, killed, killed_holding, killed_waiting, on_jit, jit_fallback_logged;
    const char *leak;     /* self-test: "fd", "map" or "heap" */
} run_state;

static unsigned rnd(run_state *r)
{
    r->rng ^= r->rng << 13;
    r->rng ^= r->rng >> 7;
    r->rng ^= r->rng << 17;
    return (unsigned)(r->rng >> 16);
}

static void failf(run_state *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    r->failures++;
}

/* Diagnostics from the library: only the JIT-unavailable note is expected
 * (once per machine asking for the JIT where there is none); say it once. */
static void log_sink(void *opaque, const char *buf, size_t len)
{
    run_state *r = opaque;
    if (!r->jit_fallback_logged++)
        printf("library says: %.*s\n", (int)len, buf);
}

static const svm_engine engines[3] = {SVM_ENGINE_INTERP, SVM_ENGINE_JIT, SVM_ENGINE_DEFAULT};

static int start(run_state *r, slot *s, int id)
{
    memset(s, 0, sizeof *s);
    s->id = id;
    s->seed = (unsigned long long)id * 2654435761ULL + 17;
    s->engine = engines[id % 3];
    /* One machine in four dies mid-run, after 0-7 slices (most need more). */
    s->kill_after = (id % 4 == 3) ? (int)(rnd(r) % 8) : -1;
    s->waiter = id % 8 == 5;
    snprintf(s->path, sizeof s->path, "%s/m%d.txt", r->dir, id);

    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = SVM_MODE_USER;
    cfg.engine = s->engine;
    cfg.log = log_sink;
    cfg.log_opaque = r;
    char err[256] = "";
    if (svm_create(&cfg, &s->m, err, sizeof err) != SVM_OK || !s->m) {
        failf(r, "machine %d: svm_create: %s", id, err);
        s->m = NULL;
        return -1;
    }
    char seedarg[32];
    snprintf(seedarg, sizeof seedarg, "%llu", s->seed);
    char *argv[] = {(char *)"guest_many", seedarg, s->path, s->waiter ? (char *)"wait" : NULL, NULL};
    char *envp[] = {(char *)"MANY_MACHINES=1", NULL};
    if (svm_load_program(s->m, r->guest, s->waiter ? 4 : 3, argv, envp) != SVM_OK) {
        failf(r, "machine %d: svm_load_program: %s", id, svm_error(s->m));
        svm_destroy(s->m);
        s->m = NULL;
        return -1;
    }
    svm_stats st;
    if (svm_get_stats(s->m, &st) == SVM_OK && st.jit)
        r->on_jit++;
    return 0;
}

/* The machine exited: its status and output must be what its seed gives. */
static void check_exit(run_state *r, slot *s, const svm_stop *st)
{
    unsigned char buf[MANY_BUF];
    unsigned long long h = many_result(s->seed, buf);
    int want = (int)(1 + h % 120);
    if (st->exit_status != want || st->signal != 0)
        failf(r, "machine %d (engine %d, seed %llu): exit status %d signal %d, expected %d", s->id,
              (int)s->engine, s->seed, st->exit_status, st->signal, want);
    char expect[80], got[80] = "";
    snprintf(expect, sizeof expect, "seed %llu result %llx\n", s->seed, h);
    FILE *f = fopen(s->path, "r");
    if (!f || !fgets(got, sizeof got, f) || strcmp(got, expect) != 0)
        failf(r, "machine %d: output file says '%s', expected '%s'", s->id, got, expect);
    if (f)
        fclose(f);
    r->exited++;
}

/* --leak heap: for LeakSanitizer's and valgrind's own self-test. */
static void *volatile leak_sink;

static void finish(run_state *r, slot *s)
{
    svm_destroy(s->m);
    s->m = NULL;
    unlink(s->path); /* may not exist: a machine killed before it opened it */
    if (r->leak && !strcmp(r->leak, "fd")) {
        if (open("/dev/null", O_RDONLY) < 0)
            failf(r, "self-test: cannot open /dev/null");
    } else if (r->leak && !strcmp(r->leak, "map")) {
        if (mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
            failf(r, "self-test: cannot map a page");
    } else if (r->leak && !strcmp(r->leak, "heap")) {
        leak_sink = malloc(64); /* the previous block is now unreachable */
    }
}

/* Run `cycles` machines, `alive` at a time, interleaved in small slices. */
static void run_machines(run_state *r, int first_id, int cycles, int alive)
{
    slot slots[64];
    memset(slots, 0, sizeof slots);
    int started = 0, done = 0;
    while (done < cycles && r->failures < 10) {
        for (int i = 0; i < alive; i++) {
            slot *s = &slots[i];
            if (!s->m) {
                if (started < cycles) {
                    started++;
                    if (start(r, s, first_id + started - 1) != 0)
                        done++;
                }
                continue;
            }
            if (s->kill_after >= 0 && s->slices >= s->kill_after) {
                r->killed++;
                if (access(s->path, F_OK) == 0)
                    r->killed_holding++; /* the guest had opened its file */
                finish(r, s);
                done++;
                continue;
            }
            svm_stop st;
            memset(&st, 0, sizeof st);
            uint64_t budget = 2000 + rnd(r) % 30000;
            int rc = svm_run(s->m, budget, &st);
            s->slices++;
            if (rc == SVM_OK && st.reason == SVM_STOP_WAITING && s->waiter && ++s->waits == 2) {
                /* Asked again, it still waits (without blocking this thread):
                 * destroy it in the middle of its read. */
                r->killed_waiting++;
                finish(r, s);
                done++;
                continue;
            }
            if (rc == SVM_OK && (st.reason == SVM_STOP_BUDGET || st.reason == SVM_STOP_WAITING)) {
                if (s->slices > 100000) {
                    failf(r, "machine %d: still running after %d slices", s->id, s->slices);
                    finish(r, s);
                    done++;
                }
                continue;
            }
            if (rc == SVM_OK && st.reason == SVM_STOP_EXITED)
                check_exit(r, s, &st);
            else
                failf(r, "machine %d (engine %d): rc %d reason %d pc 0x%llx cause %llu: %s", s->id,
                      (int)s->engine, rc, (int)st.reason, (unsigned long long)st.pc,
                      (unsigned long long)st.cause, svm_error(s->m));
            finish(r, s);
            done++;
        }
    }
    for (int i = 0; i < alive; i++)
        if (slots[i].m)
            finish(r, &slots[i]);
}

/* Fds must come back exactly. Mappings: glibc's and ASan's allocators may
 * map another arena or size-class region now and then as machines come and
 * go, so allow one mapping per 20 machines and a quarter page of address
 * space per machine; a leak of one fd, or of one mapping (a page at least),
 * per machine is far beyond that. Heap in use (glibc's count; LeakSanitizer
 * and valgrind check the heap block by block) must come back too. */
static int check_flat(const usage *a, const usage *b, int cycles, int fds_only)
{
    int slack_maps = cycles / 20;
    unsigned long long slack_bytes = (unsigned long long)cycles * 1024;
    /* glibc's per-thread cache (tcache) keeps up to 7 freed blocks of each
     * size counted as in use: a bounded amount, 64 KiB is plenty. CTest turns
     * the cache off (GLIBC_TUNABLES), and then the count must come back to
     * the byte. */
    const char *tun = getenv("GLIBC_TUNABLES");
    long long slack_heap = tun && strstr(tun, "tcache_count=0") ? 0 : 64 * 1024;
    int ok = b->fds == a->fds;
    if (!fds_only) {
        ok = ok && b->maps <= a->maps + slack_maps && b->map_bytes <= a->map_bytes + slack_bytes;
        ok = ok && (a->heap_in_use < 0 || b->heap_in_use <= a->heap_in_use + slack_heap);
    }
    if (!ok)
        printf("FAIL: host resources leaked: fds %d -> %d, mappings %d -> %d (slack %d), "
               "mapped bytes %llu -> %llu (slack %llu), heap in use %lld -> %lld (slack %lld)\n",
               a->fds, b->fds, a->maps, b->maps, slack_maps, a->map_bytes, b->map_bytes, slack_bytes,
               a->heap_in_use, b->heap_in_use, slack_heap);
    return ok;
}

int main(int argc, char **argv)
{
    run_state r;
    memset(&r, 0, sizeof r);
    r.rng = 0x9e3779b97f4a7c15ULL;
    int cycles = 3000, alive = 8, fds_only = 0, pos = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--fds-only"))
            fds_only = 1;
        else if (!strcmp(argv[i], "--leak") && i + 1 < argc)
            r.leak = argv[++i];
        else if (pos == 0 && (++pos))
            r.guest = argv[i];
        else if (pos == 1 && (++pos))
            cycles = atoi(argv[i]);
        else if (pos == 2 && (++pos))
            alive = atoi(argv[i]);
        else
            pos = -1;
    }
    if (!r.guest || pos < 0 || cycles < 1 || alive < 1 || alive > 64) {
        fprintf(stderr, "usage: %s GUEST [CYCLES [ALIVE]] [--fds-only] [--leak fd|map|heap]\n", argv[0]);
        return 2;
    }
    snprintf(r.dir, sizeof r.dir, "/tmp/svm_many.XXXXXX");
    if (!mkdtemp(r.dir)) {
        perror("mkdtemp");
        return 2;
    }

    /* Warm-up: a round of every kind of machine (each engine, exiting and
     * killed) before the baseline; one-time library and libc setup (stdio,
     * malloc arenas, the JIT probe) is not a per-machine leak. */
    const char *leak = r.leak;
    r.leak = NULL;
    run_machines(&r, 0, 3 * alive, alive);
    r.leak = leak;
    printf("warm-up: %d machines\n", 3 * alive); /* stdout's buffer is set up now */
    fflush(stdout);
    usage before = measure();
    printf("before: %d fds, %d mappings, %llu KiB mapped, %lld bytes of heap in use (-1: not known here)\n",
           before.fds, before.maps, before.map_bytes >> 10, before.heap_in_use);
    fflush(stdout);

    r.exited = r.killed = r.killed_holding = r.killed_waiting = r.on_jit = 0;
    run_machines(&r, 3 * alive, cycles, alive);

    usage after = measure();
    printf("after %d machines (%d alive at a time; %d exited, %d destroyed mid-run (%d holding an open file), "
           "%d destroyed waiting in read(2), %d on the JIT): "
           "%d fds, %d mappings, %llu KiB mapped, %lld bytes of heap in use\n",
           cycles, alive, r.exited, r.killed, r.killed_holding, r.killed_waiting, r.on_jit, after.fds, after.maps, after.map_bytes >> 10,
           after.heap_in_use);
    if (!check_flat(&before, &after, cycles, fds_only))
        r.failures++;
    if (r.failures == 0 && cycles >= 40 && (r.exited == 0 || r.killed_holding == 0 || r.killed_waiting == 0))
        failf(&r, "the run did not exercise both exits and mid-run destruction");
    rmdir(r.dir);
    if (r.failures) {
        printf("FAIL: %d failures\n", r.failures);
        return 1;
    }
    printf("OK\n");
    return 0;
}
