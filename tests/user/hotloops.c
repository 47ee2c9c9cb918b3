/* Loops hot enough for the JIT's hot tier (the periodic check's samples
 * promote them to unrolled translations) with bodies of several sizes,
 * early exits from inside the loop, and values live across iterations;
 * the checksums must match qemu's. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint8_t buf[1 << 16];

/* A short body: a byte sum with a data-dependent early exit. */
static uint64_t short_body(int rounds)
{
    uint64_t s = 0;
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < sizeof buf; i++) {
            s += buf[i] ^ (uint8_t)r;
            if (s == 0x123456789ull) /* never: a side exit inside the body */
                return 0;
        }
    return s;
}

/* A long body (over 32 instructions): a mixing round. */
static uint32_t long_body(uint32_t n)
{
    uint32_t a = 1, b = 2, c = 3, d = 4, e = 5;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = ((a << 5) | (a >> 27)) + (b ^ c ^ d) + e + i * 0x9e3779b9u;
        e = d;
        d = (c << 30) | (c >> 2);
        c = b;
        b = a;
        a = t ^ (t >> 7) ^ (uint32_t)buf[i & 0xffff];
    }
    return a ^ b ^ c ^ d ^ e;
}

/* Floating point across iterations, and a loop whose trip count varies. */
static double fp_loop(int n)
{
    double x = 0.5, s = 0;
    for (int i = 1; i < n; i++) {
        x = x * 3.7 * (1.0 - x);
        s += x / i;
    }
    return s;
}

int main(void)
{
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 131 + (i >> 8));
    uint64_t s = short_body(40);
    uint32_t l = long_body(3000000);
    double f = fp_loop(2000000);
    uint64_t m = 0;
    for (int k = 0; k < 200; k++) { /* a copy loop of varying length */
        memmove(buf + (k & 7), buf + 64, sizeof buf - 64 - (size_t)(k & 7));
        m += buf[k * 97 & 0xffff];
    }
    printf("short %llu long %08x fp %.9f move %llu\n", (unsigned long long)s, l, f, (unsigned long long)m);
    return 0;
}
