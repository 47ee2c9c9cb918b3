/* Svpbmt and Svinval. menvcfg.PBMTE is set at reset. PBMT (PTE bits 62:61)
 * in a leaf: a page fault unless menvcfg.PBMTE is set, and always for the reserved value 3; in a non-leaf
 * PTE: a page fault. With PBMTE, NC (1) and IO (2) pages read and write as
 * any other (there are no caches). Clearing PBMTE takes effect without an
 * sfence.vma. sinval.vma is sfence.vma's twin (illegal in U mode and, with
 * mstatus.TVM, in S mode); sfence.w.inval / sfence.inval.ir are illegal in
 * U mode only (TVM does not apply to them). */
#include "priv_test.h"
    .option arch, +svinval

#define MENVCFG_PBMTE_HI (1 << 30) /* bit 62, as the upper word's bit 30 */
#define PBMT_NC (1 << 29)          /* bits 62:61 of a PTE, in its upper word */
#define PBMT_IO (2 << 29)
#define PBMT_RSV (3 << 29)
#define VA_NC 0x1000
#define VA_IO 0x2000
#define VA_RSV 0x3000
#define VA_BADL1 0x200000

/* Set the upper word of pt_l0[index] (or any table) to hi (t0, t1). */
#define SET_PTE_HI(table, index, hi) \
    la t1, table;                    \
    li t0, hi;                       \
    sw t0, (index * 8 + 4)(t1)

TEST_HEADER
    li gp, 11                       /* PBMTE is set at reset (and only it) */
    csrr a0, menvcfg
    li t0, MENVCFG_PBMTE_HI
    slli t0, t0, 32
    bne a0, t0, fail
    csrw menvcfg, x0
    la t1, data_page
    li t0, 0x1234
    sd t0, 0(t1)
    SV39_KERNEL_AND_LOW(pt_root, pt_l1, pt_l0)
    la t2, data_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
    SET_PTE(pt_l0, 1)
    SET_PTE_HI(pt_l0, 1, PBMT_NC)
    la t2, data_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
    SET_PTE(pt_l0, 2)
    SET_PTE_HI(pt_l0, 2, PBMT_IO)
    la t2, data_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
    SET_PTE(pt_l0, 3)
    SET_PTE_HI(pt_l0, 3, PBMT_RSV)
    la t2, pt_l0                    /* second 2 MiB: a non-leaf PTE with PBMT */
    MAKE_PTE(t2, PTE_V)
    SET_PTE(pt_l1, 1)
    SET_PTE_HI(pt_l1, 1, PBMT_NC)
    SET_SATP(SATP_SV39, pt_root)
    ENTER_MODE(PRV_S, s1)

s1: li gp, 1                        /* PBMTE clear: NC and IO pages fault */
    li a1, VA_NC
    EXPECT_TRAP(1f)
f1a: ld a2, 0(a1)
1:  CHECK_TRAP(CAUSE_LOAD_PAGE, a1, f1a)
    li a1, VA_IO + 8
    EXPECT_TRAP(1f)
f1b: sd a2, 0(a1)
1:  CHECK_TRAP(CAUSE_STORE_PAGE, a1, f1b)
    BACK_TO_M(m1)
m1:
    li t0, MENVCFG_PBMTE_HI
    slli t0, t0, 32
    csrs menvcfg, t0
    ENTER_MODE(PRV_S, s2)
s2: li gp, 2                        /* PBMTE set: NC and IO pages work */
    li a1, VA_NC
    ld a2, 0(a1)
    CHECK_EQ(a2, 0x1234)
    li a1, VA_IO
    li t0, 0x5678
    sd t0, 8(a1)
    li a1, VA_NC
    ld a2, 8(a1)
    CHECK_EQ(a2, 0x5678)
    li gp, 3                        /* the reserved type 3 still faults */
    li a1, VA_RSV
    EXPECT_TRAP(1f)
f3: ld a2, 0(a1)
1:  CHECK_TRAP(CAUSE_LOAD_PAGE, a1, f3)
    li gp, 4                        /* PBMT in a non-leaf PTE faults */
    li a1, VA_BADL1 + VA_NC
    EXPECT_TRAP(1f)
f4: ld a2, 0(a1)
1:  CHECK_TRAP(CAUSE_LOAD_PAGE, a1, f4)
    li gp, 5                        /* a fetch from an NC page: PBMT does not change X */
    li a1, VA_NC
    EXPECT_TRAP(1f)
    jalr a1
1:  CHECK_EQ(s9, CAUSE_FETCH_PAGE)
    bne s10, a1, fail
    BACK_TO_M(m5)
m5:
    li gp, 6                        /* PBMTE cleared: the cached translation goes too */
    li t0, MENVCFG_PBMTE_HI
    slli t0, t0, 32
    csrc menvcfg, t0
    ENTER_MODE(PRV_S, s6)
s6: li a1, VA_NC
    EXPECT_TRAP(1f)
f6: ld a2, 0(a1)
1:  CHECK_TRAP(CAUSE_LOAD_PAGE, a1, f6)

    li gp, 7                        /* Svinval in S mode */
    sfence.w.inval
    sinval.vma zero, zero
    sinval.vma a1, zero
    sfence.inval.ir
    BACK_TO_M(m7)
m7:
    li gp, 8                        /* TVM: sinval.vma illegal, the fences are not */
    li t0, MSTATUS_TVM
    csrs mstatus, t0
    ENTER_MODE(PRV_S, s8)
s8: EXPECT_TRAP(1f)
f8a: sinval.vma zero, zero
1:  CHECK_ILLEGAL_AT(f8a)
    EXPECT_TRAP(1f)
f8b: sfence.vma zero, zero
1:  CHECK_ILLEGAL_AT(f8b)
    sfence.w.inval
    sfence.inval.ir
    BACK_TO_M(m8)
m8:
    li t0, MSTATUS_TVM
    csrc mstatus, t0
    csrw satp, x0
    li gp, 9                        /* U mode: all three illegal */
    ENTER_MODE(PRV_U, u9)
u9: EXPECT_TRAP(1f)
f9a: sinval.vma zero, zero
1:  CHECK_ILLEGAL_AT(f9a)
    EXPECT_TRAP(1f)
f9b: sfence.w.inval
1:  CHECK_ILLEGAL_AT(f9b)
    EXPECT_TRAP(1f)
f9c: sfence.inval.ir
1:  CHECK_ILLEGAL_AT(f9c)
    BACK_TO_M(m9)
m9:
    li gp, 10                       /* M mode: allowed */
    sfence.w.inval
    sinval.vma zero, zero
    sfence.inval.ir
    j pass

    .data
    .align 12
pt_root: .zero 4096
pt_l1: .zero 4096
pt_l0: .zero 4096
data_page: .zero 4096
