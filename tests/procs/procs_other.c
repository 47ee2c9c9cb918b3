/* The program procs.c execs to run beside it: a different image, so that
 * the two processes hold different code at the same addresses while the
 * cpu goes back and forth between them. Reads numbers, answers 3n + 1. */
#include <stdio.h>

int main(void)
{
    long n;
    while (scanf("%ld", &n) == 1) {
        printf("%ld\n", 3 * n + 1);
        fflush(stdout);
    }
    return 0;
}
