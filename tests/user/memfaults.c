/* Guest memory faults from hot code: stores to a read-only page, loads
 * from PROT_NONE and unmapped pages, FP loads, and the state the SIGSEGV
 * handler sees. Each case runs many times so the JIT has translated and
 * chained the code: the JIT lets the host MMU check these accesses in user
 * mode, and a host fault must still become the guest's precise SIGSEGV
 * (registers written just before the access, pc of the access, si_addr,
 * si_code, and nothing stored), also where two accesses share a base
 * register (checked once by the JIT) that lies far outside guest memory.
 *
 * "memfaults xonly" also maps an execute-only page and reads it (Linux on
 * RISC-V refuses; qemu-user allows, so that mode is not compared with qemu)
 * and then runs the other cases again. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include "check.h"

#define ROUNDS 300
#define T1_VALUE 0x1235 /* what t1 holds at every faulting access */
#define T2_VALUE 77     /* what t2 holds before a faulting load */

static sigjmp_buf env;
static volatile int got_sig, got_code;
static volatile uintptr_t got_addr, got_pc, got_t1, got_t2;
static volatile uintptr_t expect_pc; /* written by the asm just before the access */

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    got_pc = uc->uc_mcontext.__gregs[REG_PC];
    got_t1 = uc->uc_mcontext.__gregs[6];
    got_t2 = uc->uc_mcontext.__gregs[7];
    siglongjmp(env, 1);
}

/* A function doing one access, `insn` on (%0), at a label whose address it
 * stores in expect_pc first; t1 = T1_VALUE and t2 = T2_VALUE just before. */
#define FAULTING_ACCESS(name, insn)                                     \
    static void name(uintptr_t addr)                                     \
    {                                                                    \
        __asm__ volatile("lla t2, 1f\n\t"                                \
                         "sd t2, 0(%1)\n\t"                              \
                         "li t1, %2\n\t"                                 \
                         "li t2, %3\n\t"                                 \
                         "1: " insn "\n\t"                               \
                         :                                               \
                         : "r"(addr), "r"(&expect_pc), "i"(T1_VALUE), "i"(T2_VALUE) \
                         : "t1", "t2", "ft0", "memory");                \
    }

FAULTING_ACCESS(store64, "sd t1, 0(%0)")
FAULTING_ACCESS(store8, "sb t1, 0(%0)")
FAULTING_ACCESS(load32, "lw t2, 0(%0)")
FAULTING_ACCESS(load_fp, "fld ft0, 0(%0)")
/* Two accesses off one base: the JIT checks such a base once for both. */
FAULTING_ACCESS(load_pair, "ld t2, 0(%0)\n\tld t1, 8(%0)")

/* ROUNDS faults of one kind at addr: every one precise. */
static void expect_faults(const char *what, void (*access)(uintptr_t), uintptr_t addr, int code,
                          int is_load)
{
    for (volatile int r = 0; r < ROUNDS; r++) {
        got_sig = 0;
        got_t1 = got_t2 = 0;
        if (sigsetjmp(env, 1) == 0) {
            access(addr);
            printf("FAIL %s: no fault at round %d\n", what, r);
            exit(1);
        }
        CHECK(got_sig == SIGSEGV);
        CHECK_EQ_LL(got_code, code);
        CHECK_EQ_LL(got_addr, addr);
        CHECK_EQ_LL(got_pc, expect_pc);
        CHECK_EQ_LL(got_t1, T1_VALUE);
        if (is_load)
            CHECK_EQ_LL(got_t2, T2_VALUE);
    }
    printf("%s: %d precise faults, si_code %d\n", what, ROUNDS, code);
}

static void run_cases(uint8_t *pages, long pg)
{
    uint8_t *rw = pages, *ro = pages + pg, *none = pages + 2 * pg, *gone = pages + 3 * pg;
    expect_faults("store to read-only", store64, (uintptr_t)(ro + 8), SEGV_ACCERR, 0);
    expect_faults("byte store to read-only", store8, (uintptr_t)(ro + pg - 1), SEGV_ACCERR, 0);
    expect_faults("load from PROT_NONE", load32, (uintptr_t)(none + 100), SEGV_ACCERR, 1);
    expect_faults("FP load from PROT_NONE", load_fp, (uintptr_t)(none + 2048), SEGV_ACCERR, 1);
    expect_faults("load from unmapped", load32, (uintptr_t)(gone + 4), SEGV_MAPERR, 1);
    expect_faults("store to unmapped", store64, (uintptr_t)(gone + pg - 8), SEGV_MAPERR, 0);
    expect_faults("two loads off a pointer beyond guest memory", load_pair, (uintptr_t)1 << 46, SEGV_MAPERR, 1);
    expect_faults("two loads off a null pointer", load_pair, 8, SEGV_MAPERR, 1);
    expect_faults("two loads off an unmapped page", load_pair, (uintptr_t)(gone + 16), SEGV_MAPERR, 1);

    /* Nothing was written by the faulting stores; the pages still work. */
    for (long i = 0; i < pg; i++)
        CHECK(ro[i] == (uint8_t)(i * 7));
    unsigned long sum = 0;
    for (int r = 0; r < 100; r++)
        for (long i = 0; i < pg; i++) {
            rw[i] = (uint8_t)(rw[i] + i);
            sum += rw[i] + ro[i];
        }
    printf("read-only page intact, checksum %lu\n", sum);
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);

    long pg = sysconf(_SC_PAGESIZE);
    uint8_t *pages = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(pages != MAP_FAILED);
    /* Mapped now so that it does not fill the hole munmap leaves. */
    uint8_t *x = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(x != MAP_FAILED);
    for (long i = 0; i < pg; i++)
        pages[pg + i] = (uint8_t)(i * 7);
    CHECK(mprotect(pages + pg, pg, PROT_READ) == 0);
    CHECK(mprotect(pages + 2 * pg, pg, PROT_NONE) == 0);
    CHECK(munmap(pages + 3 * pg, pg) == 0);
    run_cases(pages, pg);

    if (argc > 1 && !strcmp(argv[1], "xonly")) {
        memset(x, 0x13, pg); /* addi x0, x0, 0 ... : harmless code */
        CHECK(mprotect(x, pg, PROT_EXEC) == 0);
        expect_faults("load from execute-only", load32, (uintptr_t)(x + 16), SEGV_ACCERR, 1);
        run_cases(pages, pg);
    }
    return 0;
}
