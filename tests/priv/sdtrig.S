/* Sdtrig (in the spirit of riscv-tests' rv64mi breakpoint test): execute
 * address triggers of type 6 (mcontrol6) and 2 (mcontrol) raise a
 * breakpoint exception (cause 3, tval = epc = the address) before the
 * instruction runs, in the modes their m/s/u bits select; M-mode triggers
 * only while mstatus.MIE is set (no tcontrol), S-mode ones with breakpoints
 * delegated only while sstatus.SIE is set (the trap then goes to S). Also the CSRs: tinfo,
 * tselect (WARL), tdata1 legalisation, an unsupported type disabling the
 * trigger, and tcontrol absent. Code that ran hot before the trigger was
 * armed (translated by the JIT) must trap all the same. */
#include "priv_test.h"

#define CAUSE_BREAKPOINT 3
#define TYPE6 (6 << 60)
#define TYPE2 (2 << 60)
#define TYPE15 (15 << 60)
#define T_M (1 << 6)
#define T_S (1 << 4)
#define T_U (1 << 3)
#define T_EXEC (1 << 2)
#define T_LOAD 1
#define T_ACTION_DEBUG (1 << 12)

/* Arm trigger tselect with tdata1 = value at label (t0). */
#define ARM(value, label) \
    la t0, label;         \
    csrw tdata2, t0;      \
    li t0, value;         \
    csrw tdata1, t0

TEST_HEADER
    li gp, 1                        /* tinfo: types 2, 6, 15; version 1 */
    csrr a0, tinfo
    CHECK_EQ(a0, 0x1008044)
    li gp, 2                        /* tselect: two triggers */
    csrw tselect, 1
    csrr a0, tselect
    CHECK_EQ(a0, 1)
    li t0, 5
    csrw tselect, t0
    csrr a0, tselect
    CHECK_EQ(a0, 1)
    csrw tselect, 0
    li gp, 3                        /* reset value, legalisation */
    csrr a0, tdata1
    li t0, TYPE6
    bne a0, t0, fail
    li t0, TYPE6 | T_M | T_EXEC | T_LOAD | T_ACTION_DEBUG
    csrw tdata1, t0
    csrr a0, tdata1
    li t0, TYPE6 | T_M | T_EXEC
    bne a0, t0, fail
    li t0, TYPE2 | T_M | T_S | T_U | T_EXEC
    csrw tdata1, t0
    csrr a0, tdata1
    bne a0, t0, fail
    csrw tdata1, zero               /* type 0: not supported, disabled */
    csrr a0, tdata1
    li t0, TYPE15
    bne a0, t0, fail
    csrr a0, tdata3
    CHECK_EQ(a0, 0)
    li gp, 4                        /* tcontrol is not implemented */
    EXPECT_TRAP(1f)
f4: csrr a0, 0x7a5
1:  CHECK_ILLEGAL_AT(f4)

    li gp, 5                        /* M mode, MIE set: fires before the instruction */
    csrsi mstatus, MSTATUS_MIE
    ARM(TYPE6 | T_M | T_EXEC, m_bp)
    li a0, 0
    la a1, m_bp
    EXPECT_TRAP(1f)
m_bp: li a0, 1
1:  CHECK_TRAP(CAUSE_BREAKPOINT, a1, m_bp)
    CHECK_EQ(a0, 0)
    csrr t0, mstatus                /* mret restored MIE */
    andi t0, t0, MSTATUS_MIE
    beqz t0, fail

    li gp, 6                        /* type 2 (mcontrol) as well */
    ARM(TYPE2 | T_M | T_EXEC, m_bp2)
    la a1, m_bp2
    EXPECT_TRAP(1f)
m_bp2: li a0, 2
1:  CHECK_TRAP(CAUSE_BREAKPOINT, a1, m_bp2)
    CHECK_EQ(a0, 0)

    li gp, 7                        /* MIE clear: M-mode triggers do not fire */
    csrci mstatus, MSTATUS_MIE
    ARM(TYPE6 | T_M | T_EXEC, m_nobp)
m_nobp: li a0, 3
    CHECK_EQ(a0, 3)
    csrsi mstatus, MSTATUS_MIE
    li gp, 8                        /* S and U only: not in M mode */
    ARM(TYPE6 | T_S | T_U | T_EXEC, m_nobp2)
m_nobp2: li a0, 4
    CHECK_EQ(a0, 4)
    li gp, 9                        /* execute bit clear: nothing */
    ARM(TYPE6 | T_M, m_nobp3)
m_nobp3: li a0, 5
    CHECK_EQ(a0, 5)
    csrci mstatus, MSTATUS_MIE

    li gp, 10                       /* S mode trigger (MIE does not matter below M) */
    ARM(TYPE6 | T_S | T_EXEC, s_bp)
    ENTER_MODE(PRV_S, in_s)
in_s:
    li a0, 0
    la a1, s_bp
    EXPECT_TRAP(1f)
s_bp: li a0, 6
1:  CHECK_TRAP(CAUSE_BREAKPOINT, a1, s_bp)
    CHECK_EQ(a0, 0)
    srli t0, s8, 11                 /* taken from S mode: MPP = S */
    andi t0, t0, 3
    CHECK_EQ(t0, PRV_S)
    BACK_TO_M(m14)
m14:
    li gp, 14                       /* delegated to S, SIE clear: no trap */
    ARM(TYPE6 | T_S | T_EXEC, s_bp2)
    li t0, 1 << CAUSE_BREAKPOINT
    csrs medeleg, t0
    la t0, s_handler
    csrw stvec, t0
    ENTER_MODE(PRV_S, in_s14)
in_s14:
    csrci sstatus, MSTATUS_SIE
    li a0, 0
    call s_bp2_fn
    CHECK_EQ(a0, 8)
    li gp, 15                       /* SIE set: the breakpoint goes to S mode */
    li s7, 0
    csrsi sstatus, MSTATUS_SIE
    li a0, 0
    la a1, s_bp2
    EXPECT_TRAP(1f)
    call s_bp2_fn
1:  csrci sstatus, MSTATUS_SIE
    CHECK_TRAP(CAUSE_BREAKPOINT, a1, s_bp2)
    CHECK_EQ(a0, 0)
    CHECK_EQ(s7, 0)                 /* the M-mode handler saw nothing */
    BACK_TO_M(m10)
m10:
    li t0, 1 << CAUSE_BREAKPOINT
    csrc medeleg, t0
    li gp, 11                       /* U mode, on a compressed instruction, trigger 1 */
    ARM(TYPE6 | T_M | T_EXEC, never)  /* trigger 0 stays armed elsewhere */
    csrw tselect, 1
    ARM(TYPE6 | T_U | T_EXEC, u_bp)
    ENTER_MODE(PRV_U, in_u)
in_u:
    li a0, 0
    la a1, u_bp
    EXPECT_TRAP(1f)
    .option push
    .option rvc
    c.nop
u_bp: c.li a0, 7
    .option pop
1:  CHECK_TRAP(CAUSE_BREAKPOINT, a1, u_bp)
    CHECK_EQ(a0, 0)
    BACK_TO_M(m11)
m11:
    csrw tselect, 1                 /* disarm both */
    csrw tdata1, zero
    csrw tselect, 0
    csrw tdata1, zero

    li gp, 12                       /* hot code, then a trigger inside it */
    li s2, 300
    li a0, 0
2:  call hot_fn
    addi s2, s2, -1
    bnez s2, 2b
    CHECK_EQ(a0, 600)
    csrsi mstatus, MSTATUS_MIE
    ARM(TYPE6 | T_M | T_EXEC, hot_mid)
    la a1, hot_mid
    EXPECT_TRAP(1f)
    call hot_fn
1:  CHECK_TRAP(CAUSE_BREAKPOINT, a1, hot_mid)
    CHECK_EQ(a0, 601)
    li gp, 13                       /* disarmed: runs through */
    csrw tdata1, zero
    call hot_fn
    CHECK_EQ(a0, 603)
    csrci mstatus, MSTATUS_MIE
    j pass

/* An S-mode breakpoint site in a function (returns with a0 = 8). */
s_bp2_fn:
    nop
s_bp2:
    li a0, 8
    ret
    /* S-mode trap handler: records like the M-mode one, resumes at t6. */
    .align 2
s_handler:
    csrr s9, scause
    csrr s10, stval
    csrr s11, sepc
    csrw sepc, t6
    li t6, 0
    sret

hot_fn:
    addi a0, a0, 1
hot_mid:
    addi a0, a0, 1
    ret
never:
    j fail
