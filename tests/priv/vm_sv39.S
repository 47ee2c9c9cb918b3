/* Sv39 paging: a kernel gigapage (identity) plus 4 KiB user/supervisor
 * pages. Checks permissions (R/W/X/U, SUM, MXR), hardware A/D updates,
 * page-fault causes and tvals for loads, stores and fetches, reserved and
 * misaligned-superpage PTEs, non-canonical addresses, MPRV, sfence.vma,
 * and user-mode execution from a mapped page. */
#include "priv_test.h"

#define VA_UDATA 0x1000
#define VA_UCODE 0x2000
#define VA_SRO 0x3000
#define VA_INVALID 0x4000
#define VA_XONLY 0x5000
#define VA_UDATA2 0x6000
#define VA_WONLY 0x7000
#define VA_URO 0x8000
#define VA_MISALIGNED_MEGA 0x200000

TEST_HEADER
    /* Page contents seen through the mappings. */
    li t2, 0x1111
    la t1, udata_page
    sd t2, 0(t1)
    li t2, 0x3333
    la t1, sro_page
    sd t2, 0(t1)
    li t2, 0x6666
    la t1, udata2_page
    sd t2, 0(t1)

    SV39_KERNEL_AND_LOW(pt_root, pt_l1, pt_l0)
    la t2, udata_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_W | PTE_U)          /* A and D clear */
    SET_PTE(pt_l0, 1)
    la t2, ucode_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A)
    SET_PTE(pt_l0, 2)
    la t2, sro_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_A)
    SET_PTE(pt_l0, 3)
    la t2, xonly_page
    MAKE_PTE(t2, PTE_V | PTE_X | PTE_A)
    SET_PTE(pt_l0, 5)
    la t2, udata2_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)
    SET_PTE(pt_l0, 6)
    la t2, udata2_page
    MAKE_PTE(t2, PTE_V | PTE_W | PTE_A | PTE_D)          /* W without R: reserved */
    SET_PTE(pt_l0, 7)
    la t2, sro_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_U | PTE_A)
    SET_PTE(pt_l0, 8)
    la t2, udata_page                                    /* 2 MiB leaf, PPN not 2 MiB aligned */
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
    SET_PTE(pt_l1, 1)

    SET_SATP(SATP_SV39, pt_root)
    ENTER_MODE(PRV_S, in_s)

in_s:
    li gp, 1                        /* supervisor page readable */
    li a1, VA_SRO
    ld a2, 0(a1)
    CHECK_EQ(a2, 0x3333)

    li gp, 2                        /* user page, SUM = 0: load page fault */
    li a1, VA_UDATA
    EXPECT_TRAP(1f)
f2: ld a2, 0(a1)
1:  CHECK_TRAP(CAUSE_LOAD_PAGE, a1, f2)

    li gp, 3                        /* SUM = 1: readable; hardware set A, not D */
    li t0, MSTATUS_SUM
    csrs sstatus, t0
    ld a2, 0(a1)
    CHECK_EQ(a2, 0x1111)
    la t1, pt_l0
    ld t2, 8(t1)
    andi t3, t2, PTE_A
    beqz t3, fail
    andi t3, t2, PTE_D
    bnez t3, fail

    li gp, 4                        /* a store after a load (TLB warm) still sets D */
    li t0, 0x4444
    ld a2, 0(a1)
    sd t0, 8(a1)
    ld t2, 8(t1)
    andi t3, t2, PTE_D
    beqz t3, fail
    la t1, udata_page
    ld t2, 8(t1)
    CHECK_EQ(t2, 0x4444)

    li gp, 5                        /* invalid PTE: load, store faults with tval */
    li a1, VA_INVALID + 8
    EXPECT_TRAP(1f)
f5a: ld a2, 0(a1)
1:  CHECK_TRAP(CAUSE_LOAD_PAGE, a1, f5a)
    EXPECT_TRAP(1f)
f5b: sw a2, 0(a1)
1:  CHECK_TRAP(CAUSE_STORE_PAGE, a1, f5b)

    li gp, 6                        /* fetch from an invalid page */
    li a1, VA_INVALID
    EXPECT_TRAP(1f)
    jalr a1
1:  CHECK_EQ(s9, CAUSE_FETCH_PAGE)
    bne s10, a1, fail
    bne s11, a1, fail

    li gp, 7                        /* execute-only page: loads fault unless MXR */
    li a1, VA_XONLY
    EXPECT_TRAP(1f)
f7: ld a2, 0(a1)
1:  CHECK_TRAP(CAUSE_LOAD_PAGE, a1, f7)
    li t0, MSTATUS_MXR
    csrs sstatus, t0
    ld a2, 0(a1)
    CHECK_EQ(a2, 0x5555)
    csrc sstatus, t0

    li gp, 8                        /* W without R is reserved: page fault */
    li a1, VA_WONLY
    EXPECT_TRAP(1f)
f8: sd a2, 0(a1)
1:  CHECK_TRAP(CAUSE_STORE_PAGE, a1, f8)

    li gp, 9                        /* store to a read-only page */
    li a1, VA_SRO
    EXPECT_TRAP(1f)
f9: sd a2, 0(a1)
1:  CHECK_TRAP(CAUSE_STORE_PAGE, a1, f9)

    li gp, 10                       /* misaligned superpage */
    li a1, VA_MISALIGNED_MEGA
    EXPECT_TRAP(1f)
f10: ld a2, 0(a1)
1:  CHECK_TRAP(CAUSE_LOAD_PAGE, a1, f10)

    li gp, 11                       /* non-canonical address (bit 39 set) */
    li a1, 0x0000008000000000
    EXPECT_TRAP(1f)
f11: ld a2, 0(a1)
1:  CHECK_TRAP(CAUSE_LOAD_PAGE, a1, f11)

    li gp, 12                       /* S cannot execute a user page, even with SUM */
    li a1, VA_UCODE
    EXPECT_TRAP(1f)
    jalr a1
1:  CHECK_EQ(s9, CAUSE_FETCH_PAGE)
    bne s10, a1, fail
    li t0, MSTATUS_SUM
    csrc sstatus, t0

    li gp, 13                       /* user code at VA_UCODE (checks itself) */
    BACK_TO_M(m1)
m1: la s2, after_user
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, VA_UCODE
    csrw mepc, t0
    mret
after_user:
    li gp, 14
    CHECK_EQ(s9, CAUSE_ECALL_U)     /* the user code finished with its ecall */

    li gp, 15                       /* MPRV: M loads through S's translation */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, (PRV_S << 11) | MSTATUS_MPRV
    csrs mstatus, t0
    li a1, VA_SRO
    ld a2, 0(a1)
    li a1, VA_INVALID
    EXPECT_TRAP(1f)
f15: ld a3, 0(a1)
1:  li t0, MSTATUS_MPRV
    csrc mstatus, t0
    CHECK_EQ(a2, 0x3333)
    CHECK_TRAP(CAUSE_LOAD_PAGE, a1, f15)

    li gp, 16                       /* a changed PTE is seen after sfence.vma */
    ENTER_MODE(PRV_S, in_s2)
in_s2:
    li a1, VA_SRO
    ld a2, 0(a1)                    /* cache the old mapping */
    la t2, udata2_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_A)
    SET_PTE(pt_l0, 3)
    sfence.vma
    ld a2, 0(a1)
    CHECK_EQ(a2, 0x6666)
    j pass

/* ---- user code, mapped at VA_UCODE; failures report through ecall ---- */
    .align 12
ucode_page:
    li gp, 20                       /* own U page readable */
    li a1, VA_UDATA2
    ld a2, 0(a1)
    li t0, 0x6666
    bne a2, t0, u_fail
    li gp, 21                       /* supervisor page: load page fault */
    li a1, VA_SRO
    la t6, 1f                       /* pc-relative: a VA inside this page */
u21: ld a2, 0(a1)
1:  li t0, CAUSE_LOAD_PAGE
    bne s9, t0, u_fail
    bne s10, a1, u_fail
    la t0, u21
    bne s11, t0, u_fail
    li gp, 22                       /* read-only user page: store page fault */
    li a1, VA_URO
    la t6, 1f
    sd a2, 0(a1)
1:  li t0, CAUSE_STORE_PAGE
    bne s9, t0, u_fail
    bne s10, a1, u_fail
    li gp, 23                       /* user store sets D on the user page */
    li a1, VA_UDATA
    sd a1, 16(a1)
    mv t6, s2                       /* back to M (absolute address from M) */
    li s6, 1
    ecall
u_fail:
    mv a0, gp
    li s6, 2
    ecall

    .data
    .align 12
pt_root: .zero 4096
pt_l1: .zero 4096
pt_l0: .zero 4096
udata_page: .zero 4096
sro_page: .zero 4096
udata2_page: .zero 4096
xonly_page:
    .dword 0x5555
    .zero 4088
