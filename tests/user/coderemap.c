/* Generated guest code called through function pointers (indirect jumps
 * whose targets the JIT caches): the same call site must follow code that
 * is rewritten in place, unmapped and mapped again at the same address, and
 * alternated between two targets. */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"

typedef long (*fn_t)(long);

/* f(x) = x + k: addi a0, a0, k; ret */
static void write_adder(uint32_t *at, int k)
{
    at[0] = 0x00050513u | ((uint32_t)(k & 0xfff) << 20);
    at[1] = 0x00008067u;
    __asm__ volatile("fence.i" ::: "memory");
}

/* The call site under test: one indirect call in a loop. */
static __attribute__((noinline)) long call_many(fn_t f, long n)
{
    long sum = 0;
    for (long i = 0; i < n; i++)
        sum += f(i);
    return sum;
}

static uint32_t *map_code(void *where)
{
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | (where ? MAP_FIXED : 0);
    void *p = mmap(where, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, flags, -1, 0);
    CHECK(p != MAP_FAILED);
    return p;
}

int main(void)
{
    const long n = 1000, base = n * (n - 1) / 2;
    uint32_t *code = map_code(NULL);

    write_adder(code, 1);
    CHECK_EQ_LL(call_many((fn_t)code, n), base + n * 1);

    write_adder(code, 7); /* rewritten in place */
    CHECK_EQ_LL(call_many((fn_t)code, n), base + n * 7);

    CHECK(munmap(code, 4096) == 0); /* gone, then new code at the same address */
    CHECK(map_code(code) == code);
    write_adder(code, -3);
    CHECK_EQ_LL(call_many((fn_t)code, n), base - n * 3);

    write_adder(code + 64, 100); /* a second target, alternating at the same site */
    long sum = 0;
    for (int r = 0; r < 10; r++)
        sum += call_many((fn_t)(r & 1 ? code + 64 : code), n);
    CHECK_EQ_LL(sum, 10 * base + 5 * n * -3 + 5 * n * 100);

    CHECK(mprotect(code, 4096, PROT_READ | PROT_WRITE) == 0); /* no longer executable */
    memset(code, 0, 4096);
    CHECK(mprotect(code, 4096, PROT_READ | PROT_EXEC) == 0);
    CHECK(mprotect(code, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) == 0);
    write_adder(code, 42);
    CHECK_EQ_LL(call_many((fn_t)code, n), base + n * 42);

    printf("coderemap ok: %ld\n", sum);
    return 0;
}
