/* svm_run always ends its slice: a guest that traps forever without
 * retiring an instruction (mtvec unmapped) uses up its budget; a guest
 * that loops with no budget (max_insns 0) returns when another thread or
 * a signal handler calls svm_interrupt. Both engines, system and user mode.
 * The guests are tiny ELF files written by this test. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "splitvm.h"

static int failures;
#define CHECK(cond, ...)                                              \
    do {                                                              \
        if (!(cond)) {                                                \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);      \
            fprintf(stderr, __VA_ARGS__);                             \
            fputc('\n', stderr);                                      \
            failures++;                                               \
        }                                                             \
    } while (0)

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void put16(unsigned char *p, unsigned v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static void put32(unsigned char *p, unsigned v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }
static void put64(unsigned char *p, unsigned long long v) { put32(p, (unsigned)v); put32(p + 4, (unsigned)(v >> 32)); }

/* A static riscv64 ELF with one RX segment at vaddr holding the words
 * (vaddr and the file offset agree modulo the page size: 0x100). */
static void write_elf_entry(const char *path, unsigned long long vaddr, unsigned long long entry,
                            const unsigned *code, int ncode)
{
    unsigned char f[0x1000];
    memset(f, 0, sizeof f);
    memcpy(f, "\177ELF", 4);
    f[4] = 2; /* 64-bit */
    f[5] = 1; /* little-endian */
    f[6] = 1;
    put16(f + 16, 2);   /* ET_EXEC */
    put16(f + 18, 243); /* EM_RISCV */
    put32(f + 20, 1);
    put64(f + 24, entry);     /* e_entry */
    put64(f + 32, 64);        /* e_phoff */
    put32(f + 48, 5);         /* e_flags: RVC, double-float ABI */
    put16(f + 52, 64);        /* e_ehsize */
    put16(f + 54, 56);        /* e_phentsize */
    put16(f + 56, 1);         /* e_phnum */
    unsigned char *ph = f + 64;
    put32(ph, 1);             /* PT_LOAD */
    put32(ph + 4, 5);         /* R+X */
    put64(ph + 8, 0x100);     /* p_offset */
    put64(ph + 16, vaddr);
    put64(ph + 24, vaddr);
    put64(ph + 32, (unsigned long long)ncode * 4);
    put64(ph + 40, (unsigned long long)ncode * 4);
    put64(ph + 48, 0x1000);
    for (int i = 0; i < ncode; i++)
        put32(f + 0x100 + 4 * i, code[i]);
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(f, 1, 0x100 + 4 * (size_t)ncode, fp) != 0x100 + 4 * (size_t)ncode) {
        perror(path);
        exit(2);
    }
    fclose(fp);
}

static void write_elf(const char *path, unsigned long long vaddr, const unsigned *code, int ncode)
{
    write_elf_entry(path, vaddr, vaddr, code, ncode);
}

/* addi t0, x0, 0x100; csrw mtvec, t0; unimp: every trap goes to 0x100,
 * where nothing is mapped, so the fetch faults and traps again. */
static const unsigned trap_storm[] = {0x10000293, 0x30529073, 0xc0001073};
/* j . */
static const unsigned spin[] = {0x0000006f};

static svm_machine *make(svm_mode mode, svm_engine engine, const char *elf)
{
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = mode;
    cfg.engine = engine;
    svm_machine *m;
    char err[256];
    if (svm_create(&cfg, &m, err, sizeof err) != SVM_OK) {
        fprintf(stderr, "svm_create: %s\n", err);
        exit(2);
    }
    char *argv[] = {(char *)elf, NULL};
    int r = mode == SVM_MODE_SYSTEM ? svm_load_kernel(m, elf) : svm_load_program(m, elf, 1, argv, NULL);
    if (r != SVM_OK) {
        fprintf(stderr, "load %s: %s\n", elf, svm_error(m));
        exit(2);
    }
    return m;
}

/* The system-mode loader refuses an entry point or a segment outside RAM
 * with a clear error (it used to leave the hart spinning on faults). */
static void test_loader_checks(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/slice_bad_entry.elf", dir);
    struct { unsigned long long vaddr, entry; const char *want; } cases[] = {
        {0x80000100ull, 0x1000ull, "entry point 0x1000 lies outside RAM"},
        {0x80000100ull, 0x7ffffffeull, "entry point"},
        {0x100ull, 0x100ull, "outside RAM"},
        {0xfffff100ull, 0xfffff100ull, "outside RAM"}, /* past the end of 128 MiB */
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_elf_entry(path, cases[i].vaddr, cases[i].entry, spin, 1);
        svm_config cfg;
        svm_config_init(&cfg);
        cfg.mode = SVM_MODE_SYSTEM;
        svm_machine *m;
        if (svm_create(&cfg, &m, NULL, 0) != SVM_OK)
            exit(2);
        int r = svm_load_kernel(m, path);
        CHECK(r == SVM_ERR_BAD_IMAGE && strstr(svm_error(m), cases[i].want),
              "loader case %u: returned %d, message '%s'", i, r, svm_error(m));
        svm_stop st;
        CHECK(svm_run(m, 100, &st) != SVM_OK, "loader case %u: a machine with nothing loaded ran", i);
        svm_destroy(m);
    }
}

static const char *engine_name(svm_engine e) { return e == SVM_ENGINE_JIT ? "jit" : "interp"; }

/* A trap storm ends every slice with SVM_STOP_BUDGET, promptly. */
static void test_trap_storm(svm_engine engine, const char *elf)
{
    svm_machine *m = make(SVM_MODE_SYSTEM, engine, elf);
    for (int i = 0; i < 20; i++) {
        svm_stop st;
        double t0 = now_s();
        int r = svm_run(m, 100000, &st);
        double dt = now_s() - t0;
        CHECK(r == SVM_OK && st.reason == SVM_STOP_BUDGET, "%s trap storm: run %d returned %d reason %d",
              engine_name(engine), i, r, (int)st.reason);
        CHECK(dt < 5.0, "%s trap storm: a 100000-step slice took %.2f s", engine_name(engine), dt);
        CHECK(st.pc == 0x100, "%s trap storm: pc 0x%llx, expected the unmapped mtvec", engine_name(engine),
              (unsigned long long)st.pc);
    }
    svm_destroy(m);
}

struct interrupter {
    svm_machine *m;
    int delay_ms;
};

static void *interrupt_later(void *arg)
{
    struct interrupter *it = arg;
    usleep((useconds_t)it->delay_ms * 1000);
    svm_interrupt(it->m);
    return NULL;
}

/* A guest spinning with no budget returns when another thread asks. */
static void test_interrupt_thread(svm_mode mode, svm_engine engine, const char *elf)
{
    svm_machine *m = make(mode, engine, elf);
    for (int i = 0; i < 5; i++) {
        struct interrupter it = {m, 50};
        pthread_t th;
        pthread_create(&th, NULL, interrupt_later, &it);
        svm_stop st;
        double t0 = now_s();
        int r = svm_run(m, 0, &st);
        double dt = now_s() - t0;
        pthread_join(th, NULL);
        CHECK(r == SVM_OK && st.reason == SVM_STOP_INTERRUPTED, "%s %s: unlimited run returned %d reason %d",
              mode == SVM_MODE_SYSTEM ? "system" : "user", engine_name(engine), r, (int)st.reason);
        CHECK(dt >= 0.04 && dt < 2.0, "%s %s: interrupt after 50 ms returned after %.3f s",
              mode == SVM_MODE_SYSTEM ? "system" : "user", engine_name(engine), dt);
        /* The guest goes on where it was: a budgeted run still works. */
        r = svm_run(m, 1000, &st);
        CHECK(r == SVM_OK && st.reason == SVM_STOP_BUDGET, "after the interrupt: reason %d", (int)st.reason);
    }
    /* A request made while nothing runs is kept for the next run. */
    svm_interrupt(m);
    svm_stop st;
    double t0 = now_s();
    svm_run(m, 0, &st);
    CHECK(st.reason == SVM_STOP_INTERRUPTED && now_s() - t0 < 1.0, "early request: reason %d", (int)st.reason);
    svm_destroy(m);
}

static svm_machine *volatile alarm_machine;
static void on_alarm(int sig)
{
    (void)sig;
    svm_interrupt(alarm_machine);
}

/* svm_interrupt from a signal handler on the running thread itself. */
static void test_interrupt_signal(svm_engine engine, const char *elf)
{
    svm_machine *m = make(SVM_MODE_SYSTEM, engine, elf);
    alarm_machine = m;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval itv = {{0, 0}, {0, 30000}};
    setitimer(ITIMER_REAL, &itv, NULL);
    svm_stop st;
    double t0 = now_s();
    int r = svm_run(m, 0, &st);
    double dt = now_s() - t0;
    CHECK(r == SVM_OK && st.reason == SVM_STOP_INTERRUPTED && dt < 2.0, "%s signal: reason %d after %.3f s",
          engine_name(engine), (int)st.reason, dt);
    signal(SIGALRM, SIG_DFL);
    svm_destroy(m);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    char storm[512], sys_spin[512], user_spin[512];
    snprintf(storm, sizeof storm, "%s/slice_storm.elf", dir);
    snprintf(sys_spin, sizeof sys_spin, "%s/slice_spin_sys.elf", dir);
    snprintf(user_spin, sizeof user_spin, "%s/slice_spin_user.elf", dir);
    write_elf(storm, 0x80000100ull, trap_storm, 3);
    write_elf(sys_spin, 0x80000100ull, spin, 1);
    write_elf(user_spin, 0x10100ull, spin, 1);
    test_loader_checks(dir);
    const svm_engine engines[] = {SVM_ENGINE_INTERP, SVM_ENGINE_JIT};
    for (int e = 0; e < 2; e++) {
        const char *name = engine_name(engines[e]);
        test_trap_storm(engines[e], storm);
        printf("%s: trap storm done\n", name);
        fflush(stdout);
        test_interrupt_thread(SVM_MODE_SYSTEM, engines[e], sys_spin);
        printf("%s: system-mode interrupts done\n", name);
        fflush(stdout);
        test_interrupt_thread(SVM_MODE_USER, engines[e], user_spin);
        printf("%s: user-mode interrupts done\n", name);
        fflush(stdout);
        test_interrupt_signal(engines[e], sys_spin);
        printf("%s: interrupt from a signal handler done\n", name);
        fflush(stdout);
    }
    printf("%s\n", failures ? "FAIL" : "ok: every run ended within its slice or on request");
    return failures ? 1 : 0;
}
