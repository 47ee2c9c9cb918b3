/* A program with a 1.5 GiB thread-local block (PT_TLS): over the default
 * guest memory limit, the loader must refuse it with one clear line
 * instead of letting it take the host's memory. */
#include <stdio.h>

static __thread char block[(size_t)1536 << 20];

int main(int argc, char **argv)
{
    (void)argv;
    block[argc] = 1;
    printf("huge_tls ran: %d\n", block[1]);
    return 0;
}
