/* An instruction straddling a page end whose second page is remapped:
 * `addi a0, a0, N` starts at the last halfword of the code page at VA_CODE
 * and takes its upper half (the immediate) from the page at VA_NEXT, which
 * maps first next1 (N = 1) and then, after a PTE change and sfence.vma,
 * next2 (N = 2). The block that jumps to it stays the same (same page,
 * same physical code), so a JIT that chained the jump must still notice
 * that the straddling block's second page changed. */
#include "priv_test.h"

#define VA_CODE 0x10000
#define VA_NEXT 0x11000
#define L0_CODE 16
#define L0_NEXT 17

/* Call the code at VA_CODE three times; a0 must come back as `value`. */
#define CALL_CHECK(value)   \
    li s2, 3;               \
1:  li t0, VA_CODE;         \
    jalr t0;                \
    CHECK_EQ(a0, value);    \
    addi s2, s2, -1;        \
    bnez s2, 1b

TEST_HEADER
    SV39_KERNEL_AND_LOW(pt_root, pt_l1, pt_l0)
    la t2, code_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_A)
    SET_PTE(pt_l0, L0_CODE)
    la t2, next1_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_A)
    SET_PTE(pt_l0, L0_NEXT)

    SET_SATP(SATP_SV39, pt_root)
    ENTER_MODE(PRV_S, in_s)

in_s:
    li gp, 1                        /* upper half from next1 */
    CALL_CHECK(1)

    li gp, 2                        /* remap VA_NEXT to next2 */
    la t2, next2_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_A)
    SET_PTE(pt_l0, L0_NEXT)
    sfence.vma
    CALL_CHECK(2)

    li gp, 3                        /* and back */
    la t2, next1_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_A)
    SET_PTE(pt_l0, L0_NEXT)
    sfence.vma
    CALL_CHECK(1)
    j pass

/* ---- the pages seen at VA_CODE and VA_NEXT ---- */
    .align 12
code_page:
    li a0, 0
    j code_page + 0xffe             /* a direct jump: chained by a JIT */
    .skip 0xffe - (. - code_page)
    .half 0x0513                    /* addi a0, a0, N: opcode, rd, rs1 bit 0 */
next1_page:
    .half 0x0015                    /* rs1 bits 1-4, imm = 1 */
    jalr x0, 0(ra)
    .align 12
next2_page:
    .half 0x0025                    /* imm = 2 */
    jalr x0, 0(ra)

    .data
    .align 12
pt_root: .zero 4096
pt_l1: .zero 4096
pt_l0: .zero 4096
