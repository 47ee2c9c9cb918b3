/* svm_destroy tears down every guest process (issue 20): machines whose
 * first process forked a small tree (children blocked reading an empty
 * pipe, a grandchild in pause, the parent in wait) are run until they all
 * wait, then destroyed; the host process must get every fd and mapping
 * back. Also: the wait hint is the pipe the children read. */
#include <splitvm.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/proc_usage.h"

static int failures;
#define EXPECT(c, ...)                                                   \
    do {                                                                 \
        if (!(c)) {                                                      \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                  \
            printf(__VA_ARGS__);                                         \
            printf("\n");                                                \
            failures++;                                                  \
        }                                                                \
    } while (0)

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_destroy <procs> [interp|jit]\n");
        return 2;
    }
    svm_engine engine = argc > 2 && !strcmp(argv[2], "jit") ? SVM_ENGINE_JIT : SVM_ENGINE_INTERP;
    setvbuf(stdout, NULL, _IOLBF, 0);
    int p[2];
    if (pipe(p) != 0 || dup2(p[0], 0) != 0) /* stdin: a pipe nobody writes */
        return 2;
    const int iterations = 24, warmup = 8;
    int fds0 = -1, maps0 = -1;
    for (int i = 0; i < iterations; i++) {
        svm_config cfg;
        svm_config_init(&cfg);
        cfg.mode = SVM_MODE_USER;
        cfg.engine = engine;
        svm_machine *m = NULL;
        char err[256] = "";
        if (svm_create(&cfg, &m, err, sizeof err) != SVM_OK) {
            printf("FAIL: svm_create: %s\n", err);
            return 1;
        }
        char *gargv[] = {(char *)"procs", (char *)"tree", NULL};
        char *envp[] = {NULL};
        if (svm_load_program(m, argv[1], 2, gargv, envp) != SVM_OK) {
            printf("FAIL: svm_load_program: %s\n", svm_error(m));
            return 1;
        }
        svm_stop st;
        int rc;
        do
            rc = svm_run(m, 1000000, &st);
        while (rc == SVM_OK && st.reason == SVM_STOP_BUDGET);
        EXPECT(rc == SVM_OK && st.reason == SVM_STOP_WAITING, "rc %d reason %d: %s", rc, st.reason, svm_error(m));
        EXPECT(st.wait_fd == 0, "wait fd %d", st.wait_fd);
        svm_destroy(m);
        if (i == warmup - 1) { /* by now the allocator (ASan's too) has its arenas */
            fds0 = proc_count_fds();
            maps0 = proc_count_maps();
        }
    }
    int fds1 = proc_count_fds(), maps1 = proc_count_maps();
    EXPECT(fds1 == fds0, "fds %d -> %d", fds0, fds1);
    int slack = (iterations - warmup) / 4; /* as tests/threads/test_wait.c: a sanitizer's allocator maps a few */
    EXPECT(maps1 <= maps0 + slack, "maps %d -> %d (slack %d)", maps0, maps1, slack);
    printf("%s: %d machines of 5 waiting processes destroyed, no fd or mapping left (%d fds, %d maps)\n",
           failures ? "FAILED" : "ok", iterations, fds1, maps1);
    return failures != 0;
}
