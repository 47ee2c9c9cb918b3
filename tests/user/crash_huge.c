/* Stores to an address near the top of the 64-bit space (not a valid Sv39/48
 * user address at all): SIGSEGV. */
#include <stdint.h>
#include <stdio.h>

static volatile uintptr_t where = 0xffffffffffff0000ULL;

int main(void)
{
    printf("before huge-address store\n");
    fflush(stdout);
    *(volatile int *)where = 1;
    printf("not reached\n");
    return 0;
}
