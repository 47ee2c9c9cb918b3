/* 64-bit and 128-bit integer arithmetic: mul high parts, division edge
 * cases (RISC-V defines x/0 and INT_MIN/-1 without trapping), shifts,
 * word (32-bit) ops that sign-extend, bit tricks. */
#include <limits.h>
#include <stdint.h>
#include "check.h"

static volatile int64_t vmin = INT64_MIN, vneg1 = -1, vzero = 0;
static volatile int32_t wmin = INT32_MIN, wneg1 = -1, wzero = 0;

static void print_u128(unsigned __int128 v)
{
    char s[64];
    int n = 0;
    do {
        s[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    while (n)
        putchar(s[--n]);
    putchar('\n');
}

int main(void)
{
    /* Division semantics mandated by the RISC-V spec (no traps). */
    int64_t q = vmin / vneg1, r = vmin % vneg1;
    printf("INT64_MIN/-1=%lld rem=%lld\n", (long long)q, (long long)r);
    CHECK(q == INT64_MIN && r == 0);
    int64_t dz;
    uint64_t udz;
    __asm__ volatile("div %0, %1, %2" : "=r"(dz) : "r"((int64_t)7), "r"((int64_t)vzero));
    __asm__ volatile("divu %0, %1, %2" : "=r"(udz) : "r"((uint64_t)7), "r"((uint64_t)vzero));
    CHECK(dz == -1 && udz == UINT64_MAX);
    __asm__ volatile("rem %0, %1, %2" : "=r"(dz) : "r"((int64_t)-7), "r"((int64_t)vzero));
    CHECK(dz == -7);
    int64_t wq;
    __asm__ volatile("divw %0, %1, %2" : "=r"(wq) : "r"((int64_t)wmin), "r"((int64_t)wneg1));
    CHECK(wq == INT32_MIN);
    __asm__ volatile("divuw %0, %1, %2" : "=r"(wq) : "r"((int64_t)5), "r"((int64_t)wzero));
    CHECK(wq == -1); /* 0xffffffff sign-extended */
    __asm__ volatile("remw %0, %1, %2" : "=r"(wq) : "r"((int64_t)0x1234567887654321LL), "r"((int64_t)wzero));
    CHECK(wq == (int32_t)0x87654321);
    printf("division edge cases ok\n");

    /* Signed/unsigned mixes. */
    volatile int64_t a = -123456789012345LL, b = 987654321;
    printf("a*b=%lld a/b=%lld a%%b=%lld\n", (long long)(a * b), (long long)(a / b), (long long)(a % b));
    volatile uint64_t ua = 0xfedcba9876543210ULL, ub = 0x123456789ULL;
    printf("ua/ub=%llu ua%%ub=%llu ua>>13=%llx (int64)ua>>13=%llx\n", (unsigned long long)(ua / ub),
           (unsigned long long)(ua % ub), (unsigned long long)(ua >> 13), (unsigned long long)((int64_t)ua >> 13));

    /* 128-bit: mulh/mulhu/mulhsu through __int128. */
    unsigned __int128 p = (unsigned __int128)ua * ub;
    __int128 sp = (__int128)a * (__int128)(int64_t)ua;
    printf("hi(ua*ub)=%llx lo=%llx\n", (unsigned long long)(p >> 64), (unsigned long long)p);
    printf("hi(a*(int64)ua)=%llx lo=%llx\n", (unsigned long long)((unsigned __int128)sp >> 64), (unsigned long long)sp);
    unsigned __int128 f = 1;
    for (int i = 1; i <= 34; i++)
        f *= i;
    printf("34! = ");
    print_u128(f);
    CHECK(f / 34 / 33 * 33 * 34 == f);
    unsigned __int128 big = ((unsigned __int128)0x0123456789abcdefULL << 64) | 0xfedcba9876543210ULL;
    printf("big/1000000007 = ");
    print_u128(big / 1000000007u);
    printf("big%%1000000007 = %llu\n", (unsigned long long)(big % 1000000007u));

    /* 32-bit ops on a 64-bit machine sign-extend their results. */
    volatile int32_t w1 = 0x7fffffff, w2 = 1;
    int32_t ws = w1 + w2;
    int64_t wide = ws;
    CHECK(wide == INT32_MIN);
    volatile uint32_t u1 = 0x80000000u;
    uint64_t zext = u1;
    CHECK(zext == 0x80000000ULL);
    volatile int sh = 35;
    CHECK((1ULL << sh) == 0x800000000ULL);
    CHECK((int32_t)(w1 << (sh & 31)) == (int32_t)0xfffffff8);

    /* Bit tricks GCC maps to plain instructions or helpers. */
    volatile uint64_t bv = 0x00f0000000000100ULL;
    printf("clz=%d ctz=%d popcount=%d parity=%d bswap=%llx\n", __builtin_clzll(bv), __builtin_ctzll(bv),
           __builtin_popcountll(bv), __builtin_parityll(bv), (unsigned long long)__builtin_bswap64(bv));
    uint64_t ov;
    CHECK(__builtin_mul_overflow((uint64_t)ua, (uint64_t)ub, &ov));
    CHECK(!__builtin_add_overflow((int64_t)1, (int64_t)2, (int64_t *)&ov));

    /* A 32-bit result (addiw of a value with upper bits) that is both the
     * address and the value of a store: the address is the sign-extended
     * result, whatever the host register kept above bit 31. */
    static uint32_t cell[4];
    uintptr_t at = (uintptr_t)&cell[1];
    __asm__ volatile("li t0, 1\n\tslli t0, t0, 32\n\tadd t0, t0, %0\n\taddiw t1, t0, 4\n\tsw t1, -4(t1)"
                     :
                     : "r"(at)
                     : "t0", "t1", "memory");
    CHECK(cell[1] == (uint32_t)(at + 4));

    /* A checksum over many operations. */
    uint64_t h = 1469598103934665603ULL;
    for (uint64_t i = 1; i < 100000; i++) {
        h ^= i * 0x9e3779b97f4a7c15ULL;
        h *= 1099511628211ULL;
        h += (h >> 29) / (i | 1) + (int64_t)h % (int64_t)(i + 3);
    }
    printf("checksum=%016llx\n", (unsigned long long)h);
    return 0;
}
