/* The debugging API (svm_set_breakpoint, svm_clear_breakpoint, svm_step)
 * on the API test guest, with the engine named on the command line: a
 * breakpoint set in the middle of the hot loop's code after it has run
 * (predecoded / translated already) stops every iteration exactly one
 * loop period apart; a step retires one instruction; running on from a
 * breakpoint does not stop at it again at once; the table's limits; and
 * the guest's result is unharmed (exit 42).
 * usage: test_debug GUEST interp|jit */
#include <stdio.h>
#include <string.h>

#include "splitvm.h"

#include "../common/host_check.h"

/* One-argument checks: the condition is the message. */
#define CHECK_THAT(cond) CHECK(cond, "%s", #cond)

#define NSTEPS 64

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.engine = !strcmp(argv[2], "jit") ? SVM_ENGINE_JIT : SVM_ENGINE_INTERP;
    svm_machine *m;
    char err[256];
    if (svm_create(&cfg, &m, err, sizeof(err)) != SVM_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    char *args[] = {argv[1], NULL};
    if (svm_load_program(m, argv[1], 1, args, NULL) != SVM_OK) {
        fprintf(stderr, "%s\n", svm_error(m));
        return 1;
    }
    svm_stop st;
    /* Into the hot loop (well over 100000 instructions), its code made hot. */
    CHECK_THAT(svm_run(m, 150000, &st) == SVM_OK && st.reason == SVM_STOP_BUDGET);

    /* Step: one instruction each, pc recorded. */
    uint64_t pcs[NSTEPS + 1];
    svm_get_reg(m, SVM_REG_PC, &pcs[0]);
    for (int i = 1; i <= NSTEPS; i++) {
        uint64_t before = svm_instret(m);
        CHECK_THAT(svm_step(m, &st) == SVM_OK && st.reason == SVM_STOP_BREAKPOINT);
        CHECK_THAT(svm_instret(m) == before + 1);
        svm_get_reg(m, SVM_REG_PC, &pcs[i]);
        CHECK_THAT(st.pc == pcs[i]);
    }
    /* The loop's period: the first repeat of the last pc. */
    int period = 0;
    for (int i = NSTEPS - 1; i >= 0 && !period; i--)
        if (pcs[i] == pcs[NSTEPS])
            period = NSTEPS - i;
    CHECK_THAT(period > 2 && period < 40);
    /* A pc in the loop reached by falling through from the one before it
     * (so inside a block made when the loop first ran). */
    uint64_t target = 0;
    for (int i = NSTEPS; i > NSTEPS - period && !target; i--)
        if (pcs[i] == pcs[i - 1] + 2 || pcs[i] == pcs[i - 1] + 4)
            target = pcs[i];
    CHECK_THAT(target != 0);
    printf("loop period %d instructions, breakpoint at 0x%llx\n", period, (unsigned long long)target);

    /* Breakpoints far away do nothing; the one in the loop stops it. */
    CHECK_THAT(svm_set_breakpoint(m, 0x100) == SVM_OK);
    CHECK_THAT(svm_set_breakpoint(m, target) == SVM_OK);
    CHECK_THAT(svm_set_breakpoint(m, target) == SVM_OK); /* twice is once */
    CHECK_THAT(svm_run(m, 0, &st) == SVM_OK && st.reason == SVM_STOP_BREAKPOINT && st.pc == target);
    uint64_t pc = 0;
    svm_get_reg(m, SVM_REG_PC, &pc);
    CHECK_THAT(pc == target);
    /* Running on stops at the next iteration: exactly one period later. */
    for (int round = 0; round < 3; round++) {
        uint64_t before = svm_instret(m);
        CHECK_THAT(svm_run(m, 0, &st) == SVM_OK && st.reason == SVM_STOP_BREAKPOINT && st.pc == target);
        CHECK_THAT(svm_instret(m) - before == (uint64_t)period);
    }
    /* A step from the breakpoint leaves it; a run from there stops at it
     * again one period after it. */
    uint64_t before = svm_instret(m);
    CHECK_THAT(svm_step(m, &st) == SVM_OK && st.reason == SVM_STOP_BREAKPOINT && st.pc != target);
    CHECK_THAT(svm_run(m, 0, &st) == SVM_OK && st.reason == SVM_STOP_BREAKPOINT && st.pc == target);
    CHECK_THAT(svm_instret(m) - before == (uint64_t)period);

    /* Clearing. */
    CHECK_THAT(svm_clear_breakpoint(m, target) == SVM_OK);
    CHECK_THAT(svm_clear_breakpoint(m, target) == SVM_ERR_INVALID);
    CHECK_THAT(svm_clear_breakpoint(m, 0x100) == SVM_OK);
    /* The table holds 64. */
    for (uint64_t i = 0; i < 64; i++)
        CHECK_THAT(svm_set_breakpoint(m, 0x1000 + 2 * i) == SVM_OK);
    CHECK_THAT(svm_set_breakpoint(m, 0x2000) == SVM_ERR_NOMEM);
    for (uint64_t i = 0; i < 64; i++)
        CHECK_THAT(svm_clear_breakpoint(m, 0x1000 + 2 * i) == SVM_OK);

    /* No breakpoint left: the guest runs to its end (the JIT again, for
     * -accel jit), its result right. */
    do
        CHECK_THAT(svm_run(m, 0, &st) == SVM_OK);
    while (st.reason == SVM_STOP_BUDGET);
    CHECK_THAT(st.reason == SVM_STOP_EXITED && st.exit_status == 42);
    svm_stats stats;
    CHECK_THAT(svm_get_stats(m, &stats) == SVM_OK && stats.jit == (cfg.engine == SVM_ENGINE_JIT));
    svm_destroy(m);
    return check_report("debug API");
}
