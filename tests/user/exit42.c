/* Exit status: atexit handlers run, buffered output is flushed, status 42. */
#include "check.h"

static void bye(void)
{
    printf("atexit handler ran\n");
}

int main(void)
{
    CHECK(atexit(bye) == 0);
    printf("exiting with 42 (buffered, no newline flush yet)");
    printf("\n");
    exit(42);
}
