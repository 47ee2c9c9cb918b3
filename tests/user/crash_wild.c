/* Stores through a wild pointer into unmapped memory: killed by SIGSEGV. */
#include <stdint.h>
#include <stdio.h>

static volatile uintptr_t where = 0xdeadbeef000ULL;

int main(void)
{
    printf("before wild store\n");
    fflush(stdout);
    *(volatile int *)where = 1;
    printf("not reached\n");
    return 0;
}
