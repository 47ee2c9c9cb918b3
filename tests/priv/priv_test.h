/* Shared harness for the bare-metal privileged tests (assembly).
 *
 * Register conventions (tests must not use these for anything else):
 *   gp  = current check number, reported on failure
 *   t5  = scratch of the machine trap handler
 *   t6  = resume address: a trap is expected; the handler returns there
 *         (0 = no trap expected: the test fails with 200 + mcause)
 *   s6  = request for the handler on ecall: 1 resume in M mode,
 *         2 fail with code a0, 3 pass (usable from any mode)
 *   s7  = number of traps taken by the machine handler; after an
 *         interrupt it clears mie and returns with MIE off
 *   s8, s9, s10, s11 = mstatus, mcause, mtval, mepc of the last trap
 *
 * PASS writes 1 to tohost; FAIL writes (gp << 1) | 1.
 * PMP entry 0 grants everything (QEMU refuses xRET below M without PMP). */
#ifndef PRIV_TEST_H
#define PRIV_TEST_H

#define MSTATUS_SIE (1 << 1)
#define MSTATUS_MIE (1 << 3)
#define MSTATUS_SPIE (1 << 5)
#define MSTATUS_MPIE (1 << 7)
#define MSTATUS_SPP (1 << 8)
#define MSTATUS_MPP (3 << 11)
#define MSTATUS_FS (3 << 13)
#define MSTATUS_MPRV (1 << 17)
#define MSTATUS_SUM (1 << 18)
#define MSTATUS_MXR (1 << 19)
#define MSTATUS_TVM (1 << 20)
#define MSTATUS_TW (1 << 21)
#define MSTATUS_TSR (1 << 22)

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define CAUSE_FETCH_ACCESS 1
#define CAUSE_ILLEGAL 2
#define CAUSE_LOAD_MISALIGNED 4
#define CAUSE_STORE_MISALIGNED 6
#define CAUSE_ECALL_U 8
#define CAUSE_ECALL_S 9
#define CAUSE_ECALL_M 11
#define CAUSE_FETCH_PAGE 12
#define CAUSE_LOAD_PAGE 13
#define CAUSE_STORE_PAGE 15

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80

#define CLINT_MSIP 0x02000000
#define CLINT_MTIMECMP 0x02004000
#define CLINT_MTIME 0x0200bff8

#define SATP_SV39 (8 << 60)
#define SATP_SV48 (9 << 60)

/* Paging: t0 = the PTE for the physical address in register pa with
 * flags; table[index] = t0 (t1 scratch); satp = mode | root's PPN, then
 * sfence.vma (t0, t1 scratch). */
#define MAKE_PTE(pa, flags) \
    srli t0, pa, 12;        \
    slli t0, t0, 10;        \
    ori t0, t0, flags
#define SET_PTE(table, index) \
    la t1, table;             \
    sd t0, (index * 8)(t1)
/* Sv39 tables: root[2] maps 1 GiB at 0x80000000 to itself (the test's
 * code and data, RWX), root[0] -> l1, l1[0] -> l0 (the low 2 MiB in 4 KiB
 * pages, filled by the test). t0-t2 scratch. */
#define SV39_KERNEL_AND_LOW(root, l1, l0)                              \
    li t2, 0x80000000;                                                 \
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);       \
    SET_PTE(root, 2);                                                  \
    la t2, l1;                                                         \
    MAKE_PTE(t2, PTE_V);                                               \
    SET_PTE(root, 0);                                                  \
    la t2, l0;                                                         \
    MAKE_PTE(t2, PTE_V);                                               \
    SET_PTE(l1, 0)
#define SET_SATP(mode, root) \
    la t0, root;             \
    srli t0, t0, 12;         \
    li t1, mode;             \
    or t0, t0, t1;           \
    csrw satp, t0;           \
    sfence.vma

/* Fail unless reg == value (uses t5). */
#define CHECK_EQ(reg, value) \
    li t5, value;            \
    bne reg, t5, fail

#define EXPECT_TRAP(resume) la t6, resume

/* Expect the last trap to have this cause / tval / epc (uses t5). */
#define CHECK_TRAP(cause, tval_reg_or_zero, epc_label) \
    CHECK_EQ(s9, cause);                               \
    bne s10, tval_reg_or_zero, fail;                   \
    la t5, epc_label;                                  \
    bne s11, t5, fail

/* Expect an illegal-instruction trap at label whose mtval holds the
 * (32-bit) instruction bits, read back from memory (M mode, bare).
 * Uses t4 and t5. */
#define CHECK_ILLEGAL_AT(label) \
    CHECK_EQ(s9, CAUSE_ILLEGAL); \
    la t5, label;                \
    bne s11, t5, fail;           \
    lhu t5, 2(s11);              \
    slli t5, t5, 16;             \
    lhu t4, 0(s11);              \
    or t5, t5, t4;               \
    bne s10, t5, fail

/* Drop to `mode` at `label` through mret (from M mode). */
#define ENTER_MODE(mode, label) \
    li t0, MSTATUS_MPP;         \
    csrc mstatus, t0;           \
    li t0, ((mode) << 11);      \
    csrs mstatus, t0;           \
    la t0, label;               \
    csrw mepc, t0;              \
    mret

/* From any mode: ecall back to M mode at `label`. */
#define BACK_TO_M(label) \
    li s6, 1;            \
    la t6, label;        \
    ecall

#define TEST_HEADER                         \
    .section .text.init, "ax", @progbits;   \
    .globl _start;                          \
_start:                                     \
    la t0, trap_entry;                      \
    csrw mtvec, t0;                         \
    li t0, -1;                              \
    csrw pmpaddr0, t0;                      \
    li t0, 0x1f;                            \
    csrw pmpcfg0, t0;                       \
    li t6, 0;                               \
    li s6, 0;                               \
    li s7, 0;                               \
    li gp, 0;                               \
    j test_main;                            \
    .align 2;                               \
trap_entry:                                 \
    csrr s8, mstatus;                       \
    csrr s9, mcause;                        \
    csrr s10, mtval;                        \
    csrr s11, mepc;                         \
    addi s7, s7, 1;                         \
    bltz s9, 3f;                            \
    li t5, CAUSE_ECALL_U;                   \
    bltu s9, t5, 1f;                        \
    li t5, CAUSE_ECALL_M;                   \
    bgtu s9, t5, 1f;                        \
    li t5, 2;                               \
    beq s6, t5, fail_now;                   \
    li t5, 3;                               \
    beq s6, t5, pass_now;                   \
    li t5, 1;                               \
    bne s6, t5, 1f;                         \
    li s6, 0;                               \
    li t5, MSTATUS_MPP;                     \
    csrs mstatus, t5;                       \
    j 1f;                                   \
3:  csrw mie, x0;                           \
    li t5, MSTATUS_MPIE;                    \
    csrc mstatus, t5;                       \
1:  beqz t6, unexpected;                    \
    csrw mepc, t6;                          \
    li t6, 0;                               \
    mret;                                   \
unexpected:                                 \
    andi a0, s9, 0x3f;                      \
    addi a0, a0, 200;                       \
    bgez s9, fail_now;                      \
    addi a0, a0, 30;                        \
    j fail_now;                             \
pass:                                       \
    li s6, 3;                               \
    ecall;                                  \
pass_now:                                   \
    li a0, 1;                               \
    j write_tohost;                         \
fail:                                       \
    mv a0, gp;                              \
    li s6, 2;                               \
    ecall;                                  \
fail_now:                                   \
    bnez a0, 2f;                            \
    li a0, 250;                             \
2:  slli a0, a0, 1;                         \
    ori a0, a0, 1;                          \
write_tohost:                               \
    la t5, tohost;                          \
    sd a0, 0(t5);                           \
    j write_tohost;                         \
    .section .tohost, "aw", @progbits;      \
    .align 6;                               \
    .globl tohost;                          \
tohost: .dword 0;                           \
    .size tohost, 8;                        \
    .align 6;                               \
    .globl fromhost;                        \
fromhost: .dword 0;                         \
    .size fromhost, 8;                      \
    .text;                                  \
test_main:

#endif
