/* Counters: cycle/instret advance and can be written through
 * mcycle/minstret; the CLINT's mtime advances; the time CSR (where the
 * board provides it) follows mtime; hpm counters/events are readable. */
#include "priv_test.h"

TEST_HEADER
    li gp, 1                        /* instret counts a 100-iteration loop */
    csrr s2, instret
    csrr s3, cycle
    li t0, 100
1:  addi t0, t0, -1
    bnez t0, 1b
    csrr t1, instret
    csrr t2, cycle
    sub t1, t1, s2
    li t0, 200                      /* (QEMU counts host ticks: no upper bound) */
    bltu t1, t0, fail
    bgeu s3, t2, fail               /* cycle moved forward */

    li gp, 2                        /* minstret is writable */
    li t0, 100000
    csrw minstret, t0
    csrr t1, minstret
    bltu t1, t0, fail
    li t0, 0x100000000              /* ... and not left at its old value */
    bgeu t1, t0, fail
    li t0, 5000000                  /* mcycle is writable */
    csrw mcycle, t0
    csrr t1, mcycle
    bltu t1, t0, fail

    li gp, 3                        /* mtime advances */
    li s4, CLINT_MTIME
    ld s2, 0(s4)
    li t0, 20000
1:  addi t0, t0, -1
    bnez t0, 1b
    ld t1, 0(s4)
    bgeu s2, t1, fail

    li gp, 4                        /* time CSR, when implemented, lies between mtime reads */
    mv s3, s7
    ld s2, 0(s4)
    EXPECT_TRAP(1f)
    csrr t2, time
    li t6, 0
1:  ld t1, 0(s4)
    bne s3, s7, 2f                  /* trapped: no time CSR on this board */
    bltu t2, s2, fail
    bltu t1, t2, fail
2:
    li gp, 5                        /* hpm counters and events exist in M */
    csrr t0, mhpmcounter3
    csrr t0, mhpmevent3
    csrw mhpmevent3, x0
    csrw mcountinhibit, x0
    j pass
