/* The machine behind the public API (svm.c), shared with the API's other
 * files (svm_snapshot.c). */
#ifndef SPLITVM_SVM_INTERNAL_H
#define SPLITVM_SVM_INTERNAL_H

#include "splitvm.h"

#include "../cpu/cpu.h"
#include "../host/host.h"
#include "../machine/board.h"
#include "../user/uproc.h"

/* Instructions between device polls in system mode. */
#define SYSTEM_SLICE 100000

struct svm_machine {
    svm_config cfg;
    host_ctx *host;
    rv_cpu *cpu;
    uproc *proc;  /* user mode */
    board *board; /* system mode */
    int loaded;
    int use_jit;  /* run with the JIT (else the interpreter) */
    int finished; /* the guest exited; its status is kept in last_stop */
    svm_stop last_stop;
    rv_debug debug; /* breakpoints (svm_set_breakpoint) */
    rv_debug built; /* the breakpoints the interpreter's blocks were cut for */
    int watch_changed; /* watchpoints set since the last run: flush the TLBs */
    int stepping;   /* inside svm_step */
    /* The last run stopped at a breakpoint or ended a step: the next one
     * resumes past a breakpoint at resume_pc (on hart resume_hart). */
    int resume_valid;
    unsigned resume_hart;
    uint64_t resume_pc;
    /* A snapshot load failed after guest RAM began to change: the machine
     * is in no state to run (svm_run refuses) until a load succeeds. */
    int ruined;
    char *sysroot;
    char err[512];
};

/* Set the machine's error message; returns code. */
int svm_fail(svm_machine *m, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
