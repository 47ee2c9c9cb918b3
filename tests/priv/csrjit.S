/* CSR instructions inside translated code (the JIT calls a helper for them
 * and goes on, instead of leaving each to the interpreter): every check
 * loops 300 times, so that its blocks are translated and run warm.
 *   1. An interrupt pending while disabled is taken right after the csrsi
 *      that enables it, before the next instruction.
 *   2. FP off (csrc mstatus, FS): the next FP instruction traps.
 *   3. csrrw / csrrs / csrrc and their immediate forms on mscratch and
 *      sscratch: old values and results.
 *   4. minstret read twice with three instructions between: 4 apart.
 *   5. A write to a read-only CSR traps, with the instruction as mtval.
 * And the returns and fences (a helper too, then on through the caches):
 *   6. An mret that enables an interrupt already pending: taken at the
 *      return address, before it runs.
 *   7. M -> S by mret, S -> S by sret to a label, ecall back to M.
 *   8. sret in U mode traps as illegal; so does sfence.vma.
 * qemu-system-riscv64 -M spike passes it with -icount shift=0 (without it
 * its minstret is not exact and check 4 fails). */
#include "priv_test.h"

#define MIP_MSIP 8
#define INT_MSI 0x8000000000000003

TEST_HEADER
    li gp, 1
    li s3, CLINT_MSIP
    li s2, 300
1:  li s4, 0
    li t0, 1
    sw t0, 0(s3)                    /* machine software interrupt pending */
    li t0, MIP_MSIP
    csrw mie, t0
    EXPECT_TRAP(2f)
    csrsi mstatus, MSTATUS_MIE
enabled_here:
    li s4, 1                        /* must not run before the interrupt */
    j fail
2:  li t0, INT_MSI
    bne s9, t0, fail
    la t0, enabled_here
    bne s11, t0, fail
    bnez s4, fail
    sw zero, 0(s3)
    addi s2, s2, -1
    bnez s2, 1b

    li gp, 2
    li s2, 300
1:  li t0, MSTATUS_FS
    csrs mstatus, t0
    fmv.d.x f1, zero                /* FP on: runs */
    EXPECT_TRAP(2f)
    csrc mstatus, t0
fp_off_here:
    fmv.d.x f2, zero                /* FP off: illegal */
    j fail
2:  CHECK_ILLEGAL_AT(fp_off_here)
    addi s2, s2, -1
    bnez s2, 1b

    li gp, 3
    li s2, 300
    li a0, 0x1234
1:  csrw mscratch, a0
    csrr a1, mscratch
    bne a1, a0, fail
    li t0, 0xf0
    csrrs a2, mscratch, t0
    bne a2, a0, fail
    ori t1, a0, 0xf0
    csrr a3, mscratch
    bne a3, t1, fail
    csrrci a4, mscratch, 0x10
    bne a4, t1, fail
    andi t1, t1, -17
    csrr a5, mscratch
    bne a5, t1, fail
    csrrwi a6, sscratch, 7
    csrrc a7, sscratch, a0          /* 7 & ~a0 */
    li t0, 7
    bne a7, t0, fail
    not t1, a0
    and t1, t1, t0
    csrr a1, sscratch
    bne a1, t1, fail
    addi a0, a0, 0x111
    addi s2, s2, -1
    bnez s2, 1b

    li gp, 4
    li s2, 300
1:  csrr a0, minstret
    addi t0, t0, 1
    addi t1, t1, 1
    addi t2, t2, 1
    csrr a1, minstret
    sub a1, a1, a0
    li t0, 4
    bne a1, t0, fail
    addi s2, s2, -1
    bnez s2, 1b

    li gp, 5
    li s2, 300
1:  EXPECT_TRAP(2f)
    addi a0, s2, 1
ro_write_here:
    csrw cycle, a0                  /* read-only: illegal */
    j fail
2:  CHECK_ILLEGAL_AT(ro_write_here)
    addi s2, s2, -1
    bnez s2, 1b

    li gp, 6
    li s2, 300
1:  li s4, 0
    li t0, 1
    sw t0, 0(s3)                    /* software interrupt pending */
    li t0, MIP_MSIP
    csrw mie, t0
    li t0, MSTATUS_MPP
    csrs mstatus, t0                /* back to M */
    li t0, MSTATUS_MPIE
    csrs mstatus, t0                /* with MIE on */
    la t0, mret_target
    csrw mepc, t0
    EXPECT_TRAP(2f)
    mret
mret_target:
    li s4, 1                        /* must not run before the interrupt */
    j fail
2:  li t0, INT_MSI
    bne s9, t0, fail
    la t0, mret_target
    bne s11, t0, fail
    bnez s4, fail
    sw zero, 0(s3)
    addi s2, s2, -1
    bnez s2, 1b

    li gp, 7
    li s2, 300
1:  li s4, 0
    ENTER_MODE(PRV_S, 3f)
3:  la t0, 4f
    csrw sepc, t0
    li t0, MSTATUS_SPP
    csrs sstatus, t0                /* sret to S */
    sret
    j fail
4:  li s4, 1
    BACK_TO_M(5f)
5:  li t0, CAUSE_ECALL_S
    bne s9, t0, fail
    beqz s4, fail
    addi s2, s2, -1
    bnez s2, 1b

    li gp, 8
    li s2, 300
1:  ENTER_MODE(PRV_U, 3f)
3:  EXPECT_TRAP(4f)
sret_in_u:
    sret
    j fail
4:  CHECK_ILLEGAL_AT(sret_in_u)     /* (resumed in U: the harness returns to the trapping mode) */
    EXPECT_TRAP(5f)
sfence_in_u:
    sfence.vma
    j fail
5:  CHECK_ILLEGAL_AT(sfence_in_u)
    BACK_TO_M(6f)
6:  addi s2, s2, -1
    bnez s2, 1b

    j pass
