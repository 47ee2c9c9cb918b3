/* Misaligned loads from page 0 (address 1, 3, 5): once a soft-TLB tag
 * matched these and the host read address 1. Killed by SIGSEGV. */
#include <stdint.h>
#include <stdio.h>

static volatile uintptr_t where = 1;

int main(void)
{
    printf("before page-0 load\n");
    fflush(stdout);
    volatile uint16_t v = *(volatile uint16_t *)where;
    printf("not reached %u\n", v);
    return 0;
}
