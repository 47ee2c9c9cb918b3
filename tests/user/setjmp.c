/* setjmp/longjmp: across frames, with callee-saved and FP state. */
#include <setjmp.h>
#include "check.h"

static jmp_buf jb;
static int depth_reached;
static volatile int jump_depth = 50, sum_bottom = 0;

static void dive(int depth)
{
    volatile double f = depth * 1.5;
    if (depth == jump_depth) {
        depth_reached = depth;
        longjmp(jb, depth);
    }
    if (depth < 1000)
        dive(depth + 1);
    CHECK(f < 0); /* never reached */
}

static int recurse_sum(int n, jmp_buf *b)
{
    if (n == sum_bottom)
        longjmp(*b, 7);
    if (n < sum_bottom)
        return 0;
    return n + recurse_sum(n - 1, b);
}

int main(void)
{
    volatile int counter = 0;
    volatile double acc = 0.25;
    int r = setjmp(jb);
    counter++;
    acc *= 2;
    if (r == 0) {
        printf("first pass\n");
        dive(0);
    }
    printf("longjmp returned %d after depth %d, counter=%d acc=%g\n", r, depth_reached, counter, acc);
    CHECK(r == 50 && counter == 2 && acc == 1.0);

    jmp_buf b2;
    int v = setjmp(b2);
    if (v == 0)
        recurse_sum(1000, &b2);
    CHECK(v == 7);

    /* longjmp(…, 0) makes setjmp return 1. */
    jmp_buf b3;
    volatile int n = 0;
    if (setjmp(b3) == 0) {
        n = 1;
        longjmp(b3, 0);
    }
    CHECK(n == 1);
    printf("nested ok\n");
    return 0;
}
