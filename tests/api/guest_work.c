/* Guest program for the API tests: some work (well over 1000 instructions,
 * so a small budget stops it mid-run), no output, exit status 42 when the
 * work came out right, 1 otherwise. */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    (void)argv;
    unsigned long h = 5381;
    char *buf = malloc(4096);
    if (!buf)
        return 1;
    memset(buf, 'a', 4096);
    for (int round = 0; round < 20; round++)
        for (int i = 0; i < 4096; i++)
            h = h * 33 + (unsigned char)buf[i] + (unsigned long)round;
    free(buf);
    return (h == 0 || argc < 1) ? 1 : 42;
}
