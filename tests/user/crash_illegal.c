/* Executes an all-zero instruction word (always illegal): killed by SIGILL. */
#include <stdio.h>

int main(void)
{
    printf("before illegal instruction\n");
    fflush(stdout);
    __asm__ volatile(".word 0");
    printf("not reached\n");
    return 0;
}
