/* qsort of pseudo-random 64-bit keys and of short strings: libc's qsort
 * with indirect comparator calls. usage: qsort [count] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 3000000;
    uint64_t *v = malloc(sizeof(uint64_t) * n);
    char (*s)[16] = malloc(16 * (size_t)(n / 4));
    if (!v || !s)
        return 1;
    uint64_t x = 0x123456789abcdefULL;
    for (long i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        v[i] = x;
    }
    for (long i = 0; i < n / 4; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        snprintf(s[i], 16, "%llx", (unsigned long long)(x % 1000000000000ULL));
    }
    qsort(v, n, sizeof v[0], cmp_u64);
    qsort(s, n / 4, 16, cmp_str);
    uint64_t h = 0;
    for (long i = 1; i < n; i++) {
        if (v[i - 1] > v[i])
            return 2;
        h = h * 31 + (v[i] >> 40);
    }
    printf("n=%ld min=%016llx max=%016llx hash=%016llx first=%s last=%s\n", n, (unsigned long long)v[0],
           (unsigned long long)v[n - 1], (unsigned long long)h, s[0], s[n / 4 - 1]);
    return 0;
}
