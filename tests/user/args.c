/* argv as the guest sees it: count, each argument, the NULL terminator. */
#include <string.h>
#include "check.h"

int main(int argc, char **argv)
{
    CHECK(argc >= 1);
    CHECK(argv[argc] == NULL);
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=\"%s\" len=%zu\n", i, argv[i], strlen(argv[i]));
    return 0;
}
