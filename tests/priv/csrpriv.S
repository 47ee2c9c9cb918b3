/* CSR access rules: privilege level from csr[9:8], read-only space,
 * misa/mstatus fixed fields, sstatus as a view of mstatus, FS gating of
 * the FP CSRs, counter enables, TVM/TW/TSR, and privileged instructions
 * executed below their level. */
#include "priv_test.h"

#define MISA_BITS ((1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20))

TEST_HEADER
    li gp, 1                        /* misa: RV64 + IMAFDCSU; writes ignored */
    csrr t0, misa
    srli t1, t0, 62
    CHECK_EQ(t1, 2)
    li t1, MISA_BITS
    and t2, t0, t1
    bne t2, t1, fail
    csrw misa, x0
    csrr t1, misa
    bne t0, t1, fail

    li gp, 2                        /* UXL = SXL = 2 */
    csrr t0, mstatus
    srli t0, t0, 32
    andi t0, t0, 0xf
    CHECK_EQ(t0, 0xa)

    li gp, 3                        /* sstatus shows SIE but not MIE */
    csrsi mstatus, MSTATUS_MIE
    csrr t0, sstatus
    andi t0, t0, MSTATUS_MIE
    bnez t0, fail
    csrci mstatus, MSTATUS_MIE
    csrsi sstatus, MSTATUS_SIE
    csrr t0, mstatus
    andi t0, t0, MSTATUS_SIE
    beqz t0, fail
    csrci sstatus, MSTATUS_SIE

    li gp, 4                        /* FS = 0: FP CSRs are illegal */
    li t0, MSTATUS_FS
    csrc mstatus, t0
    EXPECT_TRAP(1f)
fp_off:
    csrr a1, fcsr
1:  CHECK_ILLEGAL_AT(fp_off)
    li gp, 5                        /* FS = initial: writing fflags makes it dirty, SD set */
    li t0, 1 << 13
    csrs mstatus, t0
    csrwi fflags, 3
    csrr t0, mstatus
    srli t1, t0, 13
    andi t1, t1, 3
    CHECK_EQ(t1, 3)
    bgez t0, fail                   /* SD is bit 63 */
    csrr t1, fcsr
    CHECK_EQ(t1, 3)
    csrwi frm, 2
    csrr t1, fcsr
    CHECK_EQ(t1, (2 << 5) | 3)

    li gp, 6                        /* read-only CSR: write traps, set with x0 does not */
    EXPECT_TRAP(1f)
ro_write:
    csrw mhartid, a0
1:  CHECK_ILLEGAL_AT(ro_write)
    csrs mvendorid, x0
    csrr t0, mhartid
    bnez t0, fail

    li gp, 7                        /* S mode: machine CSRs are illegal */
    csrw mcounteren, x0
    ENTER_MODE(PRV_S, in_s)
in_s:
    EXPECT_TRAP(1f)
s_mstatus:
    csrr a1, mstatus
1:  CHECK_ILLEGAL_AT(s_mstatus)     /* (no paging: S reads code directly) */
    li gp, 8
    mv s3, s7
    csrr t0, sstatus                /* sstatus is fine */
    csrw sscratch, t0
    csrr t1, sscratch
    bne t0, t1, fail
    bne s3, s7, fail
    li gp, 9                        /* S: cycle gated by mcounteren */
    EXPECT_TRAP(1f)
s_cycle:
    csrr a1, cycle
1:  CHECK_ILLEGAL_AT(s_cycle)
    BACK_TO_M(m2)
m2: li t0, 7
    csrw mcounteren, t0
    ENTER_MODE(PRV_S, in_s3)
in_s3:
    csrr a1, cycle                  /* allowed now */
    csrr a1, instret
    csrw scounteren, x0
    li gp, 10                       /* TVM: satp and sfence.vma illegal in S */
    BACK_TO_M(m3)
m3: li t0, MSTATUS_TVM
    csrs mstatus, t0
    ENTER_MODE(PRV_S, in_s4)
in_s4:
    EXPECT_TRAP(1f)
s_satp:
    csrr a1, satp
1:  CHECK_ILLEGAL_AT(s_satp)
    EXPECT_TRAP(1f)
s_sfence:
    sfence.vma
1:  CHECK_ILLEGAL_AT(s_sfence)
    li s3, CAUSE_ILLEGAL
    BACK_TO_M(m4)
m4: li t0, CAUSE_ILLEGAL
    bne s3, t0, fail
    li t0, MSTATUS_TVM
    csrc mstatus, t0
    li gp, 11                       /* TW: wfi illegal in S; TSR: sret illegal in S */
    li t0, MSTATUS_TW | MSTATUS_TSR
    csrs mstatus, t0
    ENTER_MODE(PRV_S, in_s5)
in_s5:
    EXPECT_TRAP(1f)
s_wfi:
    wfi
1:  CHECK_ILLEGAL_AT(s_wfi)
    EXPECT_TRAP(1f)
s_sret:
    sret
1:  CHECK_ILLEGAL_AT(s_sret)
    li s3, CAUSE_ILLEGAL
    BACK_TO_M(m5)
m5: li t0, CAUSE_ILLEGAL
    bne s3, t0, fail
    li t0, MSTATUS_TW | MSTATUS_TSR
    csrc mstatus, t0

    li gp, 12                       /* S: mret illegal */
    ENTER_MODE(PRV_S, in_s6)
in_s6:
    EXPECT_TRAP(1f)
s_mret:
    mret
1:  CHECK_ILLEGAL_AT(s_mret)
    li s3, CAUSE_ILLEGAL
    BACK_TO_M(m6)
m6: li t0, CAUSE_ILLEGAL
    bne s3, t0, fail

    li gp, 13                       /* U: sstatus, sret, wfi, sfence.vma, cycle (scounteren = 0) */
    li s2, 0                        /* number of illegal traps seen in U */
    ENTER_MODE(PRV_U, in_u)
in_u:
    EXPECT_TRAP(1f)
    csrr a1, sstatus
1:  addi s2, s2, -CAUSE_ILLEGAL
    add s2, s2, s9
    EXPECT_TRAP(1f)
    sret
1:  addi s2, s2, -CAUSE_ILLEGAL
    add s2, s2, s9
    EXPECT_TRAP(1f)
    wfi
1:  addi s2, s2, -CAUSE_ILLEGAL
    add s2, s2, s9
    EXPECT_TRAP(1f)
    sfence.vma
1:  addi s2, s2, -CAUSE_ILLEGAL
    add s2, s2, s9
    EXPECT_TRAP(1f)
    csrr a1, cycle
1:  addi s2, s2, -CAUSE_ILLEGAL
    add s2, s2, s9
    mv s3, s7
    BACK_TO_M(m7)
m7: bnez s2, fail                   /* every one of them was illegal */
    li gp, 14                       /* U: cycle allowed with both enables */
    li t0, 7
    csrw mcounteren, t0
    csrw scounteren, t0
    mv s3, s7
    ENTER_MODE(PRV_U, in_u2)
in_u2:
    csrr a1, cycle
    csrr a1, instret
    BACK_TO_M(m8)
m8: addi s3, s3, 1                  /* only the ecall trapped */
    bne s7, s3, fail
    j pass
