/* Calls through a NULL function pointer: fetch at address 0, SIGSEGV. */
#include <stdint.h>
#include <stdio.h>

static void (*volatile target)(void) = 0;

int main(void)
{
    printf("before jump to 0\n");
    fflush(stdout);
    target();
    printf("not reached\n");
    return 0;
}
