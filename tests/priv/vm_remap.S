/* An indirect call whose target va is remapped: one call site (a jalr in a
 * subroutine, the same code every time) reaches code_a through VA_CODE,
 * then, after a PTE change and sfence.vma, code_b, then code_a again. A JIT
 * that caches an indirect jump's target must let the TLB flush end it. */
#include "priv_test.h"

#define VA_CODE 0x10000
#define L0_CODE 16

TEST_HEADER
    SV39_KERNEL_AND_LOW(pt_root, pt_l1, pt_l0)
    la t2, code_a
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_A)
    SET_PTE(pt_l0, L0_CODE)
    SET_SATP(SATP_SV39, pt_root)
    ENTER_MODE(PRV_S, in_s)

in_s:
    li gp, 1                        /* code_a: 1 per call */
    jal call_three
    CHECK_EQ(a0, 3)

    li gp, 2                        /* VA_CODE now maps code_b: 2 per call */
    la t2, code_b
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_A)
    SET_PTE(pt_l0, L0_CODE)
    sfence.vma
    jal call_three
    CHECK_EQ(a0, 6)

    li gp, 3                        /* and code_a again */
    la t2, code_a
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_A)
    SET_PTE(pt_l0, L0_CODE)
    sfence.vma
    jal call_three
    CHECK_EQ(a0, 3)
    j pass

/* a0 = the sum of three calls to VA_CODE, all from the same jalr. */
call_three:
    mv s4, ra
    li s2, 3
    li s3, 0
1:  li t0, VA_CODE
    jalr t0
    add s3, s3, a0
    addi s2, s2, -1
    bnez s2, 1b
    mv a0, s3
    jr s4

    .align 12
code_a:
    li a0, 1
    ret
    .align 12
code_b:
    li a0, 2
    ret

    .data
    .align 12
pt_root: .zero 4096
pt_l1: .zero 4096
pt_l0: .zero 4096
