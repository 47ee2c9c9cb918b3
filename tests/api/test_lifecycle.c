/* Create/load/run/destroy a user-mode machine many times, with the public
 * header only, and check that no host resource leaks: the process's open
 * file descriptors and memory mappings are the same before and after.
 * Some machines are destroyed mid-run (after a 1000-instruction budget).
 *
 * usage: test_lifecycle <riscv64 program exiting with 42> [iterations]
 * Exit status 0 when every check passed. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "splitvm.h"
#include "../common/proc_usage.h"

static void print_maps(const char *label)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    printf("--- %s /proc/self/maps:\n", label);
    while (f && fgets(line, sizeof line, f))
        fputs(line, stdout);
    if (f)
        fclose(f);
}

/* One machine's life. budget 0: run to exit and check status 42;
 * otherwise run one slice of `budget` instructions and destroy mid-run. */
static int one_life(const char *prog, svm_engine engine, uint64_t budget, int iter)
{
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = SVM_MODE_USER;
    cfg.engine = engine;
    svm_machine *m = NULL;
    char err[256] = "";
    int rc = svm_create(&cfg, &m, err, sizeof err);
    if (rc != SVM_OK || !m) {
        printf("iteration %d: svm_create failed (%d): %s\n", iter, rc, err);
        return 1;
    }
    char *argv[] = {(char *)"guest_work", NULL};
    char *envp[] = {(char *)"LIFECYCLE=1", NULL};
    rc = svm_load_program(m, prog, 1, argv, envp);
    if (rc != SVM_OK) {
        printf("iteration %d: svm_load_program failed (%d): %s\n", iter, rc, svm_error(m));
        svm_destroy(m);
        return 1;
    }
    svm_stop st;
    memset(&st, 0, sizeof st);
    int bad = 0;
    if (budget) {
        rc = svm_run(m, budget, &st);
        if (rc != SVM_OK || st.reason != SVM_STOP_BUDGET) {
            printf("iteration %d: budget run: rc %d reason %d (%s)\n", iter, rc, (int)st.reason, svm_error(m));
            bad = 1;
        }
    } else {
        int slices = 0;
        do {
            rc = svm_run(m, 1000000, &st);
        } while (rc == SVM_OK && st.reason == SVM_STOP_BUDGET && ++slices < 100000);
        if (rc != SVM_OK || st.reason != SVM_STOP_EXITED || st.exit_status != 42 || st.signal != 0) {
            printf("iteration %d: rc %d reason %d status %d signal %d (%s)\n", iter, rc, (int)st.reason,
                   st.exit_status, st.signal, svm_error(m));
            bad = 1;
        }
    }
    svm_destroy(m);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s <riscv64 program exiting 42> [iterations [fds-only]]\n", argv[0]);
        return 2;
    }
    const char *prog = argv[1];
    int n = argc > 2 ? atoi(argv[2]) : 200;
    /* Under valgrind the mapping count also holds valgrind's own translation
     * cache, which grows with every new piece of JIT code it runs: there
     * only fds are compared (api.lifecycle checks mappings natively). */
    int fds_only = argc > 3 && !strcmp(argv[3], "fds-only");

    /* One warm-up life of each kind first: one-time library and libc setup
     * (stdio buffers, malloc arenas) is not a per-machine leak. */
    int failures = one_life(prog, SVM_ENGINE_INTERP, 0, -1) + one_life(prog, SVM_ENGINE_DEFAULT, 1000, -1);
    int fds0 = proc_count_fds(), maps0 = proc_count_maps();
    printf("before: %d fds, %d mappings\n", fds0, maps0);
    fflush(stdout);

    for (int i = 0; i < n && failures < 5; i++) {
        /* Alternate engines; every fourth machine dies mid-run. */
        svm_engine engine = (i & 1) ? SVM_ENGINE_DEFAULT : SVM_ENGINE_INTERP;
        uint64_t budget = (i % 4 == 3) ? 1000 : 0;
        failures += one_life(prog, engine, budget, i);
    }

    int fds1 = proc_count_fds(), maps1 = proc_count_maps();
    printf("after %d machines: %d fds, %d mappings\n", n, fds1, maps1);
    /* A leak grows the counts with every machine (a JIT buffer alone is two
     * mappings). The host allocator (ASan's in particular) may map one more
     * arena now and then while machines come and go, so a growth below one
     * mapping per 20 machines is the allocator, not a leak; fewer mappings
     * afterwards is regions merging. */
    int slack = n / 20;
    if (fds1 != fds0 || (maps1 > maps0 + slack && !fds_only)) {
        printf("FAIL: host resources leaked (fds %d -> %d, mappings %d -> %d)\n", fds0, fds1, maps0, maps1);
        print_maps("after");
        failures++;
    }
    if (failures) {
        printf("FAIL: %d failures\n", failures);
        return 1;
    }
    printf("OK\n");
    return 0;
}
