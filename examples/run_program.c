/* Smallest embedder of splitvm: run a static riscv64 Linux program in user
 * mode, a bounded slice of instructions at a time so the host's own loop
 * would stay responsive, and report how it ended.
 *
 *     cc run_program.c $(pkg-config --cflags --libs splitvm) -o run_program
 *     ./run_program prog [args...]
 *
 * The guest's output goes to this process's stdout; the report goes to
 * stderr; the exit status is the guest's. */
#include <stdio.h>

#include <splitvm.h>

#define SLICE 10000 /* guest instructions per svm_run call: short, for a responsive host loop */

extern char **environ;

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s prog [args...]\n", argv[0]);
        return 2;
    }
    svm_config cfg;
    svm_config_init(&cfg); /* user mode, default engine (JIT where possible) */
    svm_machine *m;
    char err[256];
    if (svm_create(&cfg, &m, err, sizeof err) != SVM_OK) {
        fprintf(stderr, "run_program: %s\n", err);
        return 1;
    }
    if (svm_load_program(m, argv[1], argc - 1, argv + 1, environ) != SVM_OK) {
        fprintf(stderr, "run_program: %s\n", svm_error(m));
        svm_destroy(m);
        return 1;
    }

    svm_stop st;
    unsigned long slices = 0;
    int rc;
    do {
        /* Between slices the host app would do its own work. */
        rc = svm_run(m, SLICE, &st);
        slices++;
    } while (rc == SVM_OK && (st.reason == SVM_STOP_BUDGET || st.reason == SVM_STOP_WAITING));

    int status = 1;
    if (rc == SVM_OK && st.reason == SVM_STOP_EXITED) {
        status = st.exit_status;
        if (st.signal)
            fprintf(stderr, "run_program: killed by signal %d after %lu slices\n", st.signal, slices);
        else
            fprintf(stderr, "run_program: exit status %d after %lu slices\n", status, slices);
    } else if (st.reason == SVM_STOP_FAULT) {
        fprintf(stderr, "run_program: fault (cause %llu, tval 0x%llx) at pc 0x%llx\n",
                (unsigned long long)st.cause, (unsigned long long)st.tval, (unsigned long long)st.pc);
    } else {
        fprintf(stderr, "run_program: stopped (reason %d): %s\n", (int)st.reason, svm_error(m));
    }
    svm_destroy(m); /* releases every fd, mapping and byte the machine took */
    return status;
}
