/* A program with a 1.5 GiB .bss: over the default guest memory limit the
 * loader refuses it; with -m 2G it runs (it touches three pages only). */
#include <stdio.h>

static char block[(size_t)1536 << 20];

int main(int argc, char **argv)
{
    (void)argv;
    block[argc] = 1;
    block[sizeof(block) - 1] = 2;
    printf("huge_bss ran: %d %d\n", block[1], block[sizeof(block) - 1]);
    return 0;
}
