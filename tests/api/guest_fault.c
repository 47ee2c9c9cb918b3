/* Guest program for the fault-handler API test: a load from an unmapped
 * page inside the guest address space (in user mode the JIT lets the host
 * MMU catch it), after some work so the code is translated. Killed by
 * SIGSEGV. */
#include <stdint.h>

static volatile uintptr_t where = 0x5000;

int main(void)
{
    unsigned long h = 0;
    for (int i = 0; i < 100000; i++)
        h = h * 31 + (unsigned long)i;
    return (int)(*(volatile unsigned long *)where + h);
}
