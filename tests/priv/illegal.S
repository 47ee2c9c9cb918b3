/* M-mode illegal-instruction traps: exact mcause, mtval (the instruction
 * bits) and mepc; mstatus.MPP/MPIE at entry; ebreak and ecall causes. */
#include "priv_test.h"

TEST_HEADER
    li gp, 1
    EXPECT_TRAP(1f)
bad32:
    .word 0x0000700b        /* custom-0 opcode: illegal */
1:  li t0, 0x0000700b
    CHECK_TRAP(CAUSE_ILLEGAL, t0, bad32)

    li gp, 2                /* write to a read-only CSR (cycle) */
    EXPECT_TRAP(1f)
bad_csr:
    csrw cycle, x0
1:  li t0, 0xc0001073
    CHECK_TRAP(CAUSE_ILLEGAL, t0, bad_csr)

    li gp, 3                /* unknown CSR */
    EXPECT_TRAP(1f)
bad_unknown:
    csrr a1, 0x5c0
1:  li t0, 0x5c0025f3
    CHECK_TRAP(CAUSE_ILLEGAL, t0, bad_unknown)

    li gp, 4                /* 16-bit all-zero instruction: illegal, mtval 0 */
    EXPECT_TRAP(1f)
bad16:
    .half 0x0000
1:  CHECK_TRAP(CAUSE_ILLEGAL, x0, bad16)

    li gp, 5                /* ebreak: cause 3, mtval = pc or 0 (both allowed) */
    EXPECT_TRAP(1f)
brk:
    ebreak
1:  mv t0, s10
    beqz s10, 2f
    la t0, brk
2:  CHECK_TRAP(3, t0, brk)

    li gp, 6                /* ecall from M */
    EXPECT_TRAP(1f)
ecm:
    ecall
1:  CHECK_TRAP(CAUSE_ECALL_M, x0, ecm)

    li gp, 7                /* MPP = M and MPIE = old MIE (0) at entry */
    li t0, MSTATUS_MPP
    and t1, s8, t0
    bne t1, t0, fail
    andi t1, s8, MSTATUS_MPIE | MSTATUS_MIE
    bnez t1, fail

    li gp, 8                /* with MIE set: MPIE = 1, MIE = 0 in the handler, restored by mret */
    csrsi mstatus, MSTATUS_MIE
    EXPECT_TRAP(1f)
    .word 0x0000700b
1:  andi t1, s8, MSTATUS_MPIE | MSTATUS_MIE
    CHECK_EQ(t1, MSTATUS_MPIE)
    csrr t1, mstatus
    andi t1, t1, MSTATUS_MIE
    CHECK_EQ(t1, MSTATUS_MIE)
    csrci mstatus, MSTATUS_MIE

    li gp, 9                /* trap count */
    CHECK_EQ(s7, 7)

    li gp, 10               /* mepc holds addresses (bit 0 is zero per spec; QEMU 7.2 keeps it) */
    li t0, 0x80001235
    csrw mepc, t0
    csrr t1, mepc
    ori t1, t1, 1
    CHECK_EQ(t1, 0x80001235)
    j pass
