/* The guest memory limit through the library API: a guest that mallocs and
 * memsets 1 MiB blocks until malloc says NULL (tests/mem/memcap.c) runs
 * with svm_config.mem_limit, under both engines, in small slices. After
 * every slice svm_get_stats must report a commit charge within the limit
 * and host memory at least that; the guest must get near the limit and end
 * cleanly; after it freed everything the charge must be back down; and the
 * peak resident memory of this process (VmHWM) must stay bounded by the
 * limit plus the machine's own overhead, never what the guest asked for.
 *
 * usage: test_memcap GUEST */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "splitvm.h"

#define MIB ((uint64_t)1 << 20)
#define LIMIT (192 * MIB)
/* Beyond the guest's memory the process holds the JIT buffer (32 MiB), the
 * translation tables, the test itself and the C library. */
#define HOST_OVERHEAD (128 * MIB)

static int failures;
#define EXPECT(cond, ...)                                                                                  \
    do {                                                                                                   \
        if (!(cond)) {                                                                                     \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                                          \
            printf(__VA_ARGS__);                                                                           \
            printf("\n");                                                                                  \
            failures++;                                                                                    \
        }                                                                                                  \
    } while (0)

/* A "Key:   N kB" line of /proc/self/status, in bytes; 0 if missing. */
static uint64_t proc_status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    char line[256];
    uint64_t v = 0;
    size_t n = strlen(key);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, n) && line[n] == ':')
            v = strtoull(line + n + 1, NULL, 10) << 10;
    fclose(f);
    return v;
}

static void run_one(const char *guest, svm_engine engine)
{
    const char *name = engine == SVM_ENGINE_JIT ? "jit" : "interp";
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.engine = engine;
    cfg.mem_limit = LIMIT;
    svm_machine *m;
    char err[256];
    if (svm_create(&cfg, &m, err, sizeof err) != SVM_OK) {
        printf("FAIL %s: svm_create: %s\n", name, err);
        failures++;
        return;
    }
    char limit_arg[32];
    snprintf(limit_arg, sizeof limit_arg, "%llu", (unsigned long long)(LIMIT / MIB));
    char *argv[] = {(char *)guest, "malloc", limit_arg, NULL};
    char *envp[] = {NULL};
    if (svm_load_program(m, guest, 3, argv, envp) != SVM_OK) {
        printf("FAIL %s: load: %s\n", name, svm_error(m));
        failures++;
        svm_destroy(m);
        return;
    }
    svm_stats s;
    svm_get_stats(m, &s);
    EXPECT(s.guest_mem_limit == LIMIT, "%s: limit %llu", name, (unsigned long long)s.guest_mem_limit);
    EXPECT(s.guest_mem_committed > 8 * MIB && s.guest_mem_committed < 16 * MIB,
           "%s: %llu bytes committed after loading (stack, image)", name, (unsigned long long)s.guest_mem_committed);
    uint64_t peak = 0, slices = 0;
    svm_stop st;
    for (;;) {
        if (svm_run(m, 500000, &st) != SVM_OK) {
            printf("FAIL %s: run: %s\n", name, svm_error(m));
            failures++;
            break;
        }
        slices++;
        svm_get_stats(m, &s);
        if (s.guest_mem_committed > peak)
            peak = s.guest_mem_committed;
        if (s.guest_mem_committed > LIMIT || s.host_mem_bytes < s.guest_mem_committed) {
            EXPECT(0, "%s: slice %llu: committed %llu, host %llu", name, (unsigned long long)slices,
                   (unsigned long long)s.guest_mem_committed, (unsigned long long)s.host_mem_bytes);
            break;
        }
        if (st.reason != SVM_STOP_BUDGET)
            break;
    }
    EXPECT(st.reason == SVM_STOP_EXITED && st.exit_status == 0, "%s: stop %d, status %d", name, (int)st.reason,
           st.exit_status);
    EXPECT(peak > LIMIT - 16 * MIB, "%s: the guest got only to %llu MiB", name, (unsigned long long)(peak / MIB));
    svm_get_stats(m, &s); /* the guest freed every block before it exited */
    EXPECT(s.guest_mem_committed < 48 * MIB, "%s: %llu MiB still committed after the guest freed its blocks", name,
           (unsigned long long)(s.guest_mem_committed / MIB));
    EXPECT(s.host_mem_bytes - s.guest_mem_committed < HOST_OVERHEAD, "%s: the machine holds %llu MiB besides guest memory",
           name, (unsigned long long)((s.host_mem_bytes - s.guest_mem_committed) / MIB));
    uint64_t hwm = proc_status_kb("VmHWM");
    printf("%s: peak commit %llu MiB of %llu MiB in %llu slices; machine's own host memory %llu MiB "
           "(JIT buffer %llu MiB); process peak RSS %llu MiB\n",
           name, (unsigned long long)(peak / MIB), (unsigned long long)(LIMIT / MIB), (unsigned long long)slices,
           (unsigned long long)((s.host_mem_bytes - s.guest_mem_committed) / MIB),
           (unsigned long long)(s.jit_code_limit / MIB), (unsigned long long)(hwm / MIB));
    EXPECT(hwm > 0 && hwm < LIMIT + HOST_OVERHEAD, "%s: peak RSS %llu MiB", name, (unsigned long long)(hwm / MIB));
    svm_destroy(m);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 2) {
        fprintf(stderr, "usage: test_memcap GUEST\n");
        return 2;
    }
    run_one(argv[1], SVM_ENGINE_INTERP);
    run_one(argv[1], SVM_ENGINE_JIT);
    printf("%s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
