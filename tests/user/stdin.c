/* Reads all of stdin: counts lines, words and bytes and prints a checksum
 * and the lines reversed, so the runner can pipe a file in. */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

int main(void)
{
    static char data[1 << 20];
    size_t len = 0;
    for (;;) {
        ssize_t n = read(0, data + len, sizeof data - len - 1);
        CHECK(n >= 0);
        if (n == 0)
            break;
        len += n;
    }
    data[len] = 0;
    int lines = 0, words = 0, inword = 0;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)data[i];
        h = (h ^ c) * 16777619u;
        if (c == '\n')
            lines++;
        if (isspace(c))
            inword = 0;
        else if (!inword) {
            inword = 1;
            words++;
        }
    }
    printf("lines=%d words=%d bytes=%zu fnv=%08x\n", lines, words, len, h);
    CHECK(len > 0);
    /* Print the lines last-first. */
    char *end = data + len;
    while (end > data) {
        char *start = end - 1;
        if (*start == '\n')
            start--;
        while (start >= data && *start != '\n')
            start--;
        start++;
        fwrite(start, 1, end - start, stdout);
        if (end[-1] != '\n')
            putchar('\n');
        end = start;
    }
    return 0;
}
