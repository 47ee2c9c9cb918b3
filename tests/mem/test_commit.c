/* The commit charge's bookkeeping (src/user/umem.c), checked against its
 * own definition after every step of a long random sequence of guest
 * memory calls: mmap (placed, fixed over old mappings, read-only, PROT_NONE,
 * writable), munmap, mprotect, brk, mremap (grow in place, move, shrink)
 * and thread charges, on one process with a 48 MiB limit. After each call:
 *   - the charge is exactly the size of the charged mappings plus the
 *     thread charges (umem_charged over the whole space), and never past
 *     the limit;
 *   - a call that made something writable failed with ENOMEM only when
 *     it had to (what it would have charged did not fit), and succeeded
 *     otherwise;
 *   - unmapping everything brings the charge back to the thread charges.
 *
 * usage: test_commit [STEPS] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "user/syscall.h"
#include "user/uproc.h"

#define PG 4096ull
#define LIMIT (48ull << 20)
#define VA_SIZE (1ull << 32)
#define ARENA_LO (1ull << 28) /* the random calls work in [ARENA_LO, ARENA_HI) */
#define ARENA_HI (ARENA_LO + (256ull << 20))
#define BRK_BASE (1ull << 27)
#define THREAD_CHARGE (512ull << 10)

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static uint64_t below(uint64_t n) { return next() % n; }

static int failures;
static uint64_t thread_charges;

static void check(uproc *p, unsigned long step, const char *what)
{
    uint64_t c = umem_committed(p), mapped = umem_charged(p, 0, VA_SIZE);
    if (c != mapped + thread_charges || c > LIMIT) {
        if (failures++ < 10)
            printf("FAIL step %lu (%s): committed %llu, charged mappings %llu + threads %llu, limit %llu\n", step,
                   what, (unsigned long long)c, (unsigned long long)mapped, (unsigned long long)thread_charges,
                   (unsigned long long)LIMIT);
    }
}

/* A call that makes pages writable: ENOMEM exactly when what it adds to
 * the charge (need) does not fit next to c, the charge before it. */
static void check_enomem(uint64_t c, unsigned long step, const char *what, int64_t r, uint64_t need)
{
    int fits = c + need <= LIMIT;
    if (r == -ENOMEM && fits && failures++ < 10)
        printf("FAIL step %lu (%s): ENOMEM with %llu committed and %llu more needed\n", step, what,
               (unsigned long long)c, (unsigned long long)need);
    if (r < 0 && r != -ENOMEM && failures++ < 10)
        printf("FAIL step %lu (%s): error %lld\n", step, what, (long long)r);
    if (r >= 0 && !fits && failures++ < 10)
        printf("FAIL step %lu (%s): succeeded past the limit\n", step, what);
}

static int rand_prot(void)
{
    static const int prots[] = {PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
                                PROT_READ | PROT_EXEC, PROT_WRITE};
    return prots[below(sizeof(prots) / sizeof(prots[0]))];
}

static uint64_t rand_len(void) { return (1 + below(below(8) == 0 ? 4096 : 256)) * PG; }
static uint64_t rand_addr(uint64_t len) { return ARENA_LO + below((ARENA_HI - ARENA_LO - len) / PG) * PG; }

int main(int argc, char **argv)
{
    unsigned long steps = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
    host_ctx *host = host_create();
    rv_cpu *cpu = calloc(1, sizeof(*cpu));
    if (!host || !cpu)
        return 2;
    cpu->host = host;
    uproc_opts o = {0};
    o.va_size = VA_SIZE;
    o.mem_limit = LIMIT;
    uproc *p = uproc_create(host, cpu, &o);
    if (!p) {
        printf("FAIL: uproc_create\n");
        return 1;
    }
    p->brk_start = p->brk_cur = BRK_BASE;
    unsigned long enomem = 0;
    for (unsigned long s = 0; s < steps && failures < 10; s++) {
        uint64_t a[6] = {0};
        int op = (int)below(8);
        if (op <= 1) { /* mmap: placed, or fixed over whatever is there */
            uint64_t len = rand_len(), va = rand_addr(len);
            int prot = rand_prot(), fixed = op == 1;
            uint64_t need = (prot & PROT_WRITE) ? len - (fixed ? umem_charged(p, va, len) : 0) : 0;
            uint64_t out, before = umem_committed(p);
            int r = umem_map(p, fixed ? va : 0, len, prot, fixed, &out);
            if (prot & PROT_WRITE)
                check_enomem(before, s, "mmap", r, need);
            else if (r)
                printf("FAIL step %lu: mmap without write failed (%d)\n", s, r), failures++;
            enomem += r == -ENOMEM;
            if (!fixed && r == 0 && (out < ARENA_LO || out + len > ARENA_HI))
                umem_unmap(p, out, len); /* keep the random calls in the arena */
        } else if (op == 2) {
            uint64_t len = rand_len();
            umem_unmap(p, rand_addr(len), len);
        } else if (op == 3) { /* mprotect: only where all is mapped */
            uint64_t len = rand_len(), va = rand_addr(len);
            int prot = rand_prot();
            if (umem_ptr(p, va, len, PROT_NONE)) {
                uint64_t need = (prot & PROT_WRITE) ? len - umem_charged(p, va, len) : 0;
                uint64_t before = umem_committed(p);
                int r = umem_protect(p, va, len, prot);
                if (need || r)
                    check_enomem(before, s, "mprotect", r, need);
                enomem += r == -ENOMEM;
            }
        } else if (op == 4) { /* brk up or down */
            uint64_t want = BRK_BASE + below(64) * (1ull << 20);
            uint64_t old_end = (p->brk_cur + PG - 1) & ~(PG - 1), new_end = (want + PG - 1) & ~(PG - 1);
            uint64_t before = umem_committed(p), got = umem_brk(p, want);
            if (got != want && new_end > old_end && before + (new_end - old_end) > LIMIT)
                enomem++; /* refused for the limit: fine */
            else if (got != want)
                printf("FAIL step %lu: brk to %llx refused with room left\n", s, (unsigned long long)want), failures++;
        } else if (op == 5) { /* mremap a whole mapped range */
            uint64_t len = rand_len(), va = rand_addr(len);
            if (umem_ptr(p, va, len, PROT_NONE)) {
                a[0] = va;
                a[1] = len;
                a[2] = rand_len();
                a[3] = 1; /* MREMAP_MAYMOVE */
                int64_t r = sys_mremap(p, a);
                if (r < 0 && r != -ENOMEM)
                    printf("FAIL step %lu: mremap error %lld\n", s, (long long)r), failures++;
                enomem += r == -ENOMEM;
                if (r >= 0 && ((uint64_t)r < ARENA_LO || (uint64_t)r + a[2] > ARENA_HI))
                    umem_unmap(p, (uint64_t)r, a[2]);
            }
        } else if (op == 6) { /* a thread's host stack */
            if (below(2) && thread_charges) {
                umem_uncharge(p, THREAD_CHARGE);
                thread_charges -= THREAD_CHARGE;
            } else {
                int fits = umem_committed(p) + THREAD_CHARGE <= LIMIT;
                int r = umem_charge(p, THREAD_CHARGE);
                if ((r == 0) != fits)
                    printf("FAIL step %lu: thread charge %d with room %d\n", s, r, fits), failures++;
                if (r == 0)
                    thread_charges += THREAD_CHARGE;
            }
        } else { /* now and then, everything goes */
            if (below(50) == 0) {
                umem_unmap(p, ARENA_LO, ARENA_HI - ARENA_LO);
                umem_brk(p, BRK_BASE);
                if (umem_committed(p) != thread_charges)
                    printf("FAIL step %lu: %llu still charged after unmapping all\n", s,
                           (unsigned long long)umem_committed(p)), failures++;
            }
        }
        check(p, s, "after the call");
    }
    printf("test_commit: %lu steps, %lu refused with ENOMEM, %d failures\n", steps, enomem, failures);
    uproc_destroy(p);
    host_destroy(host);
    free(cpu);
    return failures != 0;
}
