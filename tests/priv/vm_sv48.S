/* Sv48: four-level walk with a 4 KiB page, a 2 MiB megapage and 1 GiB
 * gigapages (including an alias above 512 GiB), canonical-address checks,
 * a misaligned gigapage, and satp ignoring unsupported modes. */
#include "priv_test.h"

#define ALIAS_BASE 0x0000008000000000   /* root[1], gigapage -> 0x80000000 */
#define MEGA_PA 0x80200000

#define RWXAD (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

TEST_HEADER
    li t2, 0x7777
    la t1, marker
    sd t2, 0(t1)
    li t2, 0x1234
    la t1, data_page
    sd t2, 0(t1)
    li t2, 0xabcd
    li t1, MEGA_PA + 0x1000
    sd t2, 0(t1)

    la t2, pt_l2
    MAKE_PTE(t2, PTE_V)
    SET_PTE(pt_root, 0)
    la t2, pt_l2b
    MAKE_PTE(t2, PTE_V)
    SET_PTE(pt_root, 1)
    li t2, 0x80000000
    MAKE_PTE(t2, RWXAD)
    SET_PTE(pt_l2, 2)               /* identity gigapage for the kernel */
    SET_PTE(pt_l2b, 0)              /* alias at 512 GiB */
    li t2, 0x80001000
    MAKE_PTE(t2, RWXAD)
    SET_PTE(pt_l2b, 1)              /* misaligned gigapage */
    la t2, pt_l1
    MAKE_PTE(t2, PTE_V)
    SET_PTE(pt_l2, 0)
    la t2, pt_l0
    MAKE_PTE(t2, PTE_V)
    SET_PTE(pt_l1, 0)
    la t2, data_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
    SET_PTE(pt_l0, 1)               /* VA 0x1000 */
    li t2, MEGA_PA
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
    SET_PTE(pt_l1, 1)               /* VA 0x200000, 2 MiB */

    li gp, 1                        /* satp ignores a reserved mode */
    la t0, pt_root
    srli t0, t0, 12
    li t1, SATP_SV48
    or s2, t0, t1
    csrw satp, s2
    li t0, (1 << 60) | 5
    csrw satp, t0
    csrr t0, satp
    bne t0, s2, fail
    sfence.vma
    ENTER_MODE(PRV_S, in_s)

in_s:
    li gp, 2                        /* gigapage alias above 512 GiB */
    la t0, marker
    li t1, 0x80000000
    sub t0, t0, t1
    li a1, ALIAS_BASE
    add a1, a1, t0
    ld a2, 0(a1)
    CHECK_EQ(a2, 0x7777)
    li t0, 0x8888                   /* and stores through it reach the same RAM */
    sd t0, 0(a1)
    la t1, marker
    ld a2, 0(t1)
    CHECK_EQ(a2, 0x8888)

    li gp, 3                        /* 4 KiB page */
    li a1, 0x1000
    ld a2, 0(a1)
    CHECK_EQ(a2, 0x1234)

    li gp, 4                        /* 2 MiB page */
    li a1, 0x201000
    ld a2, 0(a1)
    CHECK_EQ(a2, 0xabcd)

    li gp, 5                        /* bit 47 set, not sign-extended: page fault */
    li a1, 0x0000800000000000
    EXPECT_TRAP(1f)
f5: ld a2, 0(a1)
1:  CHECK_TRAP(CAUSE_LOAD_PAGE, a1, f5)

    li gp, 6                        /* canonical upper half: root[256] is invalid */
    li a1, 0xffff800000000010
    EXPECT_TRAP(1f)
f6: sd a2, 0(a1)
1:  CHECK_TRAP(CAUSE_STORE_PAGE, a1, f6)

    li gp, 7                        /* misaligned gigapage */
    li a1, ALIAS_BASE + 0x40000000
    EXPECT_TRAP(1f)
f7: ld a2, 0(a1)
1:  CHECK_TRAP(CAUSE_LOAD_PAGE, a1, f7)

    li gp, 8                        /* unmapped 4 KiB slot in the same table */
    li a1, 0x3000
    EXPECT_TRAP(1f)
    jalr a1
1:  CHECK_EQ(s9, CAUSE_FETCH_PAGE)
    bne s10, a1, fail
    j pass

    .data
    .align 12
pt_root: .zero 4096
pt_l2: .zero 4096
pt_l2b: .zero 4096
pt_l1: .zero 4096
pt_l0: .zero 4096
data_page: .zero 4096
marker: .dword 0
