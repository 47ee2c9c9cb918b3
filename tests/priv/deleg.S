/* Delegation: medeleg sends U/S exceptions to the S handler, never traps
 * taken in M; undelegated ones still reach M; mideleg'd software
 * interrupts are taken in S only when enabled for S. */
#include "priv_test.h"

/* S handler bookkeeping: s4 = sstatus, s5 = count; s9-s11 as in M. */

TEST_HEADER
    la t0, s_trap
    csrw stvec, t0
    li s5, 0

    li gp, 1                        /* medeleg / mideleg writable bits */
    li t0, (1 << 2) | (1 << 8)
    csrw medeleg, t0
    csrr t1, medeleg
    CHECK_EQ(t1, (1 << 2) | (1 << 8))
    li t0, -1
    csrw mideleg, t0
    csrr t1, mideleg                /* S-level bits settable, M-level ones never */
    li t0, 0xaaa
    and t1, t1, t0
    CHECK_EQ(t1, 0x222)
    csrw mideleg, x0

    li gp, 2                        /* illegal in U goes to S */
    ENTER_MODE(PRV_U, in_u)
in_u:
    EXPECT_TRAP(1f)
u_bad:
    .word 0x0000700b
1:  li t0, 0x0000700b
    CHECK_TRAP(CAUSE_ILLEGAL, t0, u_bad)
    CHECK_EQ(s5, 1)
    li t0, MSTATUS_SPP
    and t1, s4, t0
    bnez t1, fail

    li gp, 3                        /* ecall from U goes to S */
    EXPECT_TRAP(1f)
u_ecall:
    ecall
1:  CHECK_TRAP(CAUSE_ECALL_U, x0, u_ecall)
    CHECK_EQ(s5, 2)
    BACK_TO_M(m1)                   /* through S, which forwards with its own ecall */

m1: li gp, 4
    CHECK_EQ(s9, CAUSE_ECALL_S)     /* M saw the forwarding ecall from S */
    mv s3, s7                       /* M trap count so far */
    ENTER_MODE(PRV_S, in_s)
in_s:
    li gp, 5                        /* illegal in S goes to S, SPP = S */
    EXPECT_TRAP(1f)
s_bad:
    .word 0x0000700b
1:  li t0, 0x0000700b
    CHECK_TRAP(CAUSE_ILLEGAL, t0, s_bad)
    CHECK_EQ(s5, 4)
    li t0, MSTATUS_SPP
    and t1, s4, t0
    beqz t1, fail

    li gp, 6                        /* ecall from S is not delegated: M */
    EXPECT_TRAP(1f)
s_ecall:
    ecall
1:  CHECK_TRAP(CAUSE_ECALL_S, x0, s_ecall)
    addi s3, s3, 1
    bne s7, s3, fail
    BACK_TO_M(m2)

m2: li gp, 7                        /* illegal in M stays in M despite medeleg */
    mv s3, s5
    EXPECT_TRAP(1f)
m_bad:
    .word 0x0000700b
1:  li t0, 0x0000700b
    CHECK_TRAP(CAUSE_ILLEGAL, t0, m_bad)
    bne s5, s3, fail

    li gp, 8                        /* delegated SSI pending: not taken in M even with MIE */
    li t0, 0x2
    csrw mideleg, t0
    csrw mie, t0
    csrs mip, t0
    csrsi mstatus, MSTATUS_MIE
    nop
    nop
    csrci mstatus, MSTATUS_MIE
    bne s5, s3, fail

    li gp, 9                        /* in S with SIE = 0: still pending */
    ENTER_MODE(PRV_S, s_irq_off)
s_irq_off:
    nop
    nop
    bne s5, s3, fail
    li gp, 10                       /* SIE = 1: taken in S as interrupt 1 */
    csrsi sstatus, MSTATUS_SIE
    nop
    nop
    csrci sstatus, MSTATUS_SIE
    addi s3, s3, 1
    bne s5, s3, fail
    li t0, 0x8000000000000001
    bne s9, t0, fail
    csrr t0, sip                    /* handler cleared it */
    andi t0, t0, 2
    bnez t0, fail

    li gp, 11                       /* in U: a delegated SSI is taken whatever SIE says */
    BACK_TO_M(m3)
m3: li t0, 0x2
    csrs mip, t0
    ENTER_MODE(PRV_U, u_irq)
u_irq:
    nop
    nop
    addi s3, s3, 1
    bne s5, s3, fail
    li t0, 0x8000000000000001
    bne s9, t0, fail
    j pass

    .align 2
s_trap:
    csrr s4, sstatus
    csrr s9, scause
    csrr s10, stval
    csrr s11, sepc
    addi s5, s5, 1
    bltz s9, s_irq
    bnez s6, s_forward
    beqz t6, s_unexpected
    csrw sepc, t6
    li t6, 0
    sret
s_irq:
    li t5, 2
    csrc sip, t5
    sret
s_forward:
    ecall                           /* let M handle the request in s6 */
s_unexpected:
    andi a0, s9, 0x3f
    addi a0, a0, 150
    li s6, 2
    ecall
