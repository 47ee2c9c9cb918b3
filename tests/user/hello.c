/* Smallest program: stdio and a raw write(2). */
#include <string.h>
#include <unistd.h>
#include "check.h"

int main(void)
{
    printf("hello, world\n");
    fflush(stdout);
    const char msg[] = "hello via write\n";
    CHECK_EQ_LL(write(1, msg, strlen(msg)), strlen(msg));
    return 0;
}
