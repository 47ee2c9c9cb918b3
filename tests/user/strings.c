/* string.h routines, qsort and bsearch on generated data, snprintf. */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include "check.h"

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    char buf[256];
    strcpy(buf, "The quick brown fox");
    strcat(buf, " jumps over the lazy dog");
    printf("len=%zu\n", strlen(buf));
    CHECK(strlen(buf) == 43);
    CHECK(strchr(buf, 'q') == buf + 4);
    CHECK(strrchr(buf, 'o') == buf + 41);
    CHECK(strstr(buf, "lazy") == buf + 35);
    CHECK(strncmp(buf, "The slow", 4) == 0 && strncmp(buf, "The slow", 5) < 0);
    CHECK(memcmp("abc", "abd", 3) < 0);
    CHECK(strcasecmp("HeLLo", "hello") == 0);
    CHECK(strspn("aaabbbc", "ab") == 6 && strcspn("hello world", " ") == 5);
    char *dup = strdup(buf);
    for (char *c = dup; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    printf("%s\n", dup);
    char *save, *tok;
    int words = 0;
    for (tok = strtok_r(dup, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
        words++;
    CHECK(words == 9);
    free(dup);

    /* Overlapping memmove both ways; unaligned memcpy/memset sizes. */
    char m[64];
    for (int i = 0; i < 64; i++)
        m[i] = (char)i;
    memmove(m + 3, m, 20);
    CHECK(m[3] == 0 && m[22] == 19);
    memmove(m, m + 5, 20);
    CHECK(m[0] == 2 && m[17] == 19 && m[19] == 24);
    for (int off = 0; off < 8; off++)
        for (int n = 0; n < 40; n++) {
            char src[64], dst[64];
            memset(dst, 'x', sizeof dst);
            for (int i = 0; i < 64; i++)
                src[i] = (char)(i * 7);
            memcpy(dst + off, src + (7 - off), n);
            CHECK(memcmp(dst + off, src + (7 - off), n) == 0);
            CHECK(dst[off + n] == 'x' && (off == 0 || dst[off - 1] == 'x'));
        }

    /* qsort + bsearch over pseudo-random integers. */
    enum { N = 20000 };
    static int a[N];
    uint32_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        a[i] = (int)(x >> 8) - (1 << 22);
    }
    int probe = a[777];
    qsort(a, N, sizeof a[0], cmp_int);
    for (int i = 1; i < N; i++)
        CHECK(a[i - 1] <= a[i]);
    int *hit = bsearch(&probe, a, N, sizeof a[0], cmp_int);
    CHECK(hit && *hit == probe);
    int missing = 1 << 30;
    CHECK(bsearch(&missing, a, N, sizeof a[0], cmp_int) == NULL);
    printf("sorted: min=%d median=%d max=%d\n", a[0], a[N / 2], a[N - 1]);

    const char *names[] = {"pear", "apple", "fig", "banana", "cherry", "date", "elderberry"};
    const char *sorted[7];
    memcpy(sorted, names, sizeof names);
    qsort(sorted, 7, sizeof sorted[0], cmp_str);
    for (int i = 0; i < 7; i++)
        printf("%s%s", sorted[i], i < 6 ? "," : "\n");
    CHECK(strcmp(sorted[0], "apple") == 0 && strcmp(sorted[6], "pear") == 0);

    snprintf(buf, sizeof buf, "%5d|%-5s|%05.1f|%x|%llo|%c|%%", 42, "ab", 3.14159, 255, 8ULL, 'z');
    printf("%s\n", buf);
    CHECK(strcmp(buf, "   42|ab   |003.1|ff|10|z|%") == 0);
    volatile size_t four = 4;
    CHECK(snprintf(buf, four, "%s", "abcdef") == 6 && strcmp(buf, "abc") == 0);
    long v = strtol("-0x1f", NULL, 16);
    CHECK(v == -31);
    unsigned long long u = strtoull("18446744073709551615", NULL, 10);
    CHECK(u == UINT64_MAX);
    printf("strtol ok\n");
    return 0;
}
