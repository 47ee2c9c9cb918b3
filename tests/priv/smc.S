/* Self-modifying code: stores into a page the engines have translated,
 * then fence.i, must run the new instructions; a second store to the page
 * must be seen too (stores to code pages are not cached in the TLB), and
 * so must a store through another virtual address of the same physical
 * page (the board tracks code by physical page). Each call runs in a loop
 * so the JIT translates and chains it first. */
#include "priv_test.h"

#define VA_CODE 0x10000
#define VA_DATA 0x11000
#define L0_CODE 16
#define L0_DATA 17
#define LI_A0(n) (((n) << 20) | 0x513)

/* a0 = the sum of 20 calls to the function at register r. */
#define CALL20(r)      \
    li s2, 20;         \
    li s3, 0;          \
1:  jalr r;            \
    add s3, s3, a0;    \
    addi s2, s2, -1;   \
    bnez s2, 1b;       \
    mv a0, s3

TEST_HEADER
    li gp, 1                        /* M mode, bare: the original code */
    la s5, patch_site
    CALL20(s5)
    CHECK_EQ(a0, 20)

    li gp, 2                        /* one store, fence.i: the new code */
    li t0, LI_A0(2)
    sw t0, 0(s5)
    fence.i
    CALL20(s5)
    CHECK_EQ(a0, 40)

    li gp, 3                        /* two stores to the page, the second counts */
    li t0, LI_A0(7)
    sw t0, 0(s5)
    li t0, LI_A0(3)
    sw t0, 0(s5)
    fence.i
    CALL20(s5)
    CHECK_EQ(a0, 60)

    li gp, 4                        /* S mode: code at VA_CODE, written at VA_DATA */
    SV39_KERNEL_AND_LOW(pt_root, pt_l1, pt_l0)
    la t2, patch_site
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_A)
    SET_PTE(pt_l0, L0_CODE)
    la t2, patch_site
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
    SET_PTE(pt_l0, L0_DATA)
    SET_SATP(SATP_SV39, pt_root)
    ENTER_MODE(PRV_S, in_s)

in_s:
    li s5, VA_CODE
    li s4, VA_DATA
    CALL20(s5)
    CHECK_EQ(a0, 60)
    li gp, 5
    li t0, LI_A0(4)
    sw t0, 0(s4)
    fence.i
    CALL20(s5)
    CHECK_EQ(a0, 80)
    j pass

    .align 12
patch_site:
    .word LI_A0(1)
    .word 0x00008067                /* ret */
    .align 12

    .data
    .align 12
pt_root: .zero 4096
pt_l1: .zero 4096
pt_l0: .zero 4096
