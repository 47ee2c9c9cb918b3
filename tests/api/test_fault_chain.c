/* The JIT's host fault handler as an embedding app sees it: guest faults
 * that the host MMU catches end the guest with SIGSEGV (not the app); the
 * app's own SIGSEGV handler still gets the app's faults while machines
 * hold the handler; the app's handler is the process's again once the last
 * machine is gone; and jit_no_fault_handler keeps splitvm off it entirely.
 *
 * usage: test_fault_chain <riscv64 program killed by SIGSEGV>
 * Exit status 0 when every check passed. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "splitvm.h"

static int failures;
#define CHECK(c)                                                        \
    do {                                                                \
        if (!(c)) {                                                     \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);         \
            failures++;                                                 \
        }                                                               \
    } while (0)

static sigjmp_buf app_env;
static volatile sig_atomic_t app_faults;
static volatile void *app_fault_addr;

static void app_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    app_faults++;
    app_fault_addr = si->si_addr;
    siglongjmp(app_env, 1);
}

static int app_handler_installed(void)
{
    struct sigaction cur;
    return sigaction(SIGSEGV, NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == app_handler;
}

/* The app faults on its own page: its handler must see it. */
static void app_fault(void)
{
    char *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    int before = app_faults;
    if (sigsetjmp(app_env, 1) == 0) {
        (void)*(volatile char *)(p + 12);
        CHECK(!"app load from PROT_NONE did not fault");
    }
    CHECK(app_faults == before + 1);
    CHECK(app_fault_addr == p + 12);
    munmap(p, 4096);
}

static svm_machine *create(const char *prog, int no_handler)
{
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = SVM_MODE_USER;
    cfg.engine = SVM_ENGINE_JIT;
    cfg.jit_no_fault_handler = no_handler;
    svm_machine *m = NULL;
    char err[256] = "";
    if (svm_create(&cfg, &m, err, sizeof err) != SVM_OK) {
        printf("svm_create: %s\n", err);
        return NULL;
    }
    char *argv[] = {(char *)"guest_fault", NULL};
    char *envp[] = {NULL};
    if (svm_load_program(m, prog, 1, argv, envp) != SVM_OK) {
        printf("svm_load_program: %s\n", svm_error(m));
        svm_destroy(m);
        return NULL;
    }
    return m;
}

/* Run to the end: the guest must be killed by SIGSEGV. */
static void run_to_guest_segv(svm_machine *m)
{
    svm_stop st;
    memset(&st, 0, sizeof st);
    int rc;
    do
        rc = svm_run(m, 10000000, &st);
    while (rc == SVM_OK && st.reason == SVM_STOP_BUDGET);
    CHECK(rc == SVM_OK);
    CHECK(st.reason == SVM_STOP_EXITED);
    CHECK(st.signal == SIGSEGV);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_fault_chain GUEST\n");
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = app_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);

    /* Two machines hold the handler; the app's faults still reach the app. */
    svm_machine *a = create(argv[1], 0), *b = create(argv[1], 0);
    CHECK(a && b);
    if (!a || !b)
        return 1;
    run_to_guest_segv(a);
    int jit = 0;
    svm_stats stats;
    if (svm_get_stats(a, &stats) == SVM_OK)
        jit = stats.jit;
    if (jit)
        CHECK(!app_handler_installed());
    app_fault();
    svm_destroy(a);
    run_to_guest_segv(b); /* still held by b */
    app_fault();
    svm_destroy(b);
    CHECK(app_handler_installed());
    app_fault();

    /* A machine that may not take the handler leaves the app's alone. */
    svm_machine *c = create(argv[1], 1);
    CHECK(c);
    if (c) {
        run_to_guest_segv(c);
        CHECK(app_handler_installed());
        app_fault();
        svm_destroy(c);
    }
    CHECK(app_handler_installed());
    printf("%s (JIT %s)\n", failures ? "FAILED" : "fault handler chain ok", jit ? "on" : "off");
    return failures != 0;
}
