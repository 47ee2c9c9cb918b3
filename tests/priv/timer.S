/* Interrupts from the CLINT: machine timer through mtimecmp, wfi wake-up
 * with interrupts globally off, software interrupt through msip, priority
 * MSI over MTI, vectored mtvec, and M interrupts taken in U with MIE = 0. */
#include "priv_test.h"

#define MIP_MSIP (1 << 3)
#define MIP_MTIP (1 << 7)
#define INT_MSI 0x8000000000000003
#define INT_MTI 0x8000000000000007

TEST_HEADER
    li s4, CLINT_MTIME
    li s5, CLINT_MTIMECMP
    li s3, CLINT_MSIP

    li gp, 1                        /* timer interrupt after ~200 ticks */
    li t0, -1
    sd t0, 0(s5)
    li t0, MIP_MTIP
    csrw mie, t0
    ld t0, 0(s4)
    addi t0, t0, 200
    sd t0, 0(s5)
    csrr t1, mip
    andi t1, t1, MIP_MTIP
    bnez t1, fail                   /* not yet pending */
    EXPECT_TRAP(got_timer)
    csrsi mstatus, MSTATUS_MIE
    li t0, 50000000
1:  addi t0, t0, -1
    bnez t0, 1b
    j fail                          /* no interrupt */
got_timer:
    li t0, INT_MTI
    bne s9, t0, fail
    ld t0, 0(s4)                    /* it came no earlier than mtimecmp */
    ld t1, 0(s5)
    bltu t0, t1, fail
    li t0, -1
    sd t0, 0(s5)
    csrr t1, mip
    andi t1, t1, MIP_MTIP
    bnez t1, fail                   /* cleared by the mtimecmp write */

    li gp, 2                        /* wfi wakes on a pending enabled interrupt, MIE = 0 */
    mv s2, s7
    li t0, MIP_MTIP
    csrw mie, t0
    ld t0, 0(s4)
    li t1, 5000
    add t0, t0, t1
    sd t0, 0(s5)
1:  wfi
    csrr t1, mip
    andi t1, t1, MIP_MTIP
    beqz t1, 1b
    bne s2, s7, fail                /* no trap taken */
    ld t0, 0(s4)
    ld t1, 0(s5)
    bltu t0, t1, fail
    li t0, -1
    sd t0, 0(s5)
    csrw mie, x0

    li gp, 3                        /* software interrupt through msip */
    li t0, MIP_MSIP
    csrw mie, t0
    li t0, 1
    sw t0, 0(s3)
    csrr t1, mip
    andi t1, t1, MIP_MSIP
    beqz t1, fail
    EXPECT_TRAP(1f)
    csrsi mstatus, MSTATUS_MIE
    nop
    j fail
1:  li t0, INT_MSI
    bne s9, t0, fail
    sw zero, 0(s3)
    csrr t1, mip
    andi t1, t1, MIP_MSIP
    bnez t1, fail

    li gp, 4                        /* MSI and MTI both pending: MSI first */
    li t0, 1
    sw t0, 0(s3)
    sd zero, 0(s5)
    li t0, MIP_MSIP | MIP_MTIP
    csrw mie, t0
    EXPECT_TRAP(1f)
    csrsi mstatus, MSTATUS_MIE
    nop
    j fail
1:  li t0, INT_MSI
    bne s9, t0, fail
    sw zero, 0(s3)

    li gp, 5                        /* vectored mtvec: MTI lands at base + 4 * 7 */
    la t0, vec_table
    ori t0, t0, 1
    csrw mtvec, t0
    li s2, 0
    li t0, MIP_MTIP
    csrw mie, t0
    EXPECT_TRAP(1f)
    csrsi mstatus, MSTATUS_MIE
    nop
    j fail
1:  li t0, INT_MTI
    bne s9, t0, fail
    CHECK_EQ(s2, 7)
    li s2, 0                        /* exceptions still use the base */
    EXPECT_TRAP(1f)
    ecall
1:  CHECK_EQ(s9, CAUSE_ECALL_M)
    CHECK_EQ(s2, 0)
    la t0, trap_entry
    csrw mtvec, t0

    li gp, 6                        /* in U, an M interrupt is taken although MIE = 0 */
    li t0, MIP_MTIP
    csrw mie, t0                    /* mtimecmp is still 0: pending */
    csrci mstatus, MSTATUS_MIE
    EXPECT_TRAP(1f)                 /* taken on the first U instruction */
    ENTER_MODE(PRV_U, in_u)
in_u:
    nop
    nop
    j fail
1:  li t0, INT_MTI
    bne s9, t0, fail
    la t0, in_u
    bne s11, t0, fail
    BACK_TO_M(m1)
m1: li t0, -1
    sd t0, 0(s5)
    j pass

    .align 8
vec_table:
    .option push
    .option norvc
    j trap_entry                    /* 0: exceptions */
    j trap_entry
    j trap_entry
    j vec_msi                       /* 3 */
    j trap_entry
    j trap_entry
    j trap_entry
    j vec_mti                       /* 7 */
    j trap_entry
    j trap_entry
    j trap_entry
    j trap_entry
    .option pop
vec_msi:
    li s2, 3
    j trap_entry
vec_mti:
    li s2, 7
    j trap_entry
