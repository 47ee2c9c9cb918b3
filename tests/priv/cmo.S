/* Zicbom / Zicboz / Zicbop: cbo.zero zeroes the 64-byte block holding the
 * address and nothing else; cbo.clean / cbo.flush / cbo.inval change no
 * memory; below M mode each needs its menvcfg enable (and senvcfg's in U
 * mode: CBZE, CBCFE, CBIE != 0) or it is an illegal instruction; faults
 * are store page / access faults with tval = the address in rs1 (cbo.zero
 * needs write permission, the others read or write); prefetch.i/r/w are
 * hints that never trap, as is Zihintpause's pause. menvcfg / senvcfg keep
 * exactly their fields. */
#include "priv_test.h"
    .option arch, +zicbom, +zicboz, +zicbop, +zihintpause

#define CAUSE_STORE_ACCESS 7
#define ENVCFG_CBIE_FLUSH (1 << 4)
#define ENVCFG_CBIE_INVAL (3 << 4)
#define ENVCFG_CBCFE (1 << 6)
#define ENVCFG_CBZE (1 << 7)
#define ENVCFG_ALL_CBO (ENVCFG_CBIE_INVAL | ENVCFG_CBCFE | ENVCFG_CBZE)
#define VA_RO 0x1000
#define VA_INVALID 0x2000
#define VA_RW 0x3000
#define PATTERN 0x5a5a5a5a5a5a5a5a

/* Fill the three blocks at buf with PATTERN (t0-t2). */
#define FILL_BUF             \
    la t0, buf;              \
    li t1, PATTERN;          \
    addi t2, t0, 192;        \
88: sd t1, 0(t0);            \
    addi t0, t0, 8;          \
    bltu t0, t2, 88b

/* a0 = number of dwords of the three blocks at buf that differ from
 * PATTERN (t0-t2, t3). */
#define COUNT_CHANGED        \
    li a0, 0;                \
    la t0, buf;              \
    li t1, PATTERN;          \
    addi t2, t0, 192;        \
89: ld t3, 0(t0);            \
    beq t3, t1, 87f;         \
    addi a0, a0, 1;          \
87: addi t0, t0, 8;          \
    bltu t0, t2, 89b

TEST_HEADER
    li gp, 1                        /* M mode: cbo.zero clears exactly the block */
    FILL_BUF
    la a1, buf
    addi a2, a1, 64 + 13
    cbo.zero (a2)
    COUNT_CHANGED
    CHECK_EQ(a0, 8)
    ld t0, 64(a1)
    CHECK_EQ(t0, 0)
    ld t0, 120(a1)
    CHECK_EQ(t0, 0)
    li t1, PATTERN
    ld t0, 56(a1)
    bne t0, t1, fail
    ld t0, 128(a1)
    bne t0, t1, fail

    li gp, 2                        /* clean / flush / inval: no memory change */
    FILL_BUF
    la a1, buf
    cbo.clean (a1)
    cbo.flush (a1)
    cbo.inval (a1)
    addi a2, a1, 64
    cbo.inval (a2)
    COUNT_CHANGED
    CHECK_EQ(a0, 0)

    li gp, 3                        /* prefetches are hints: no trap anywhere */
    li a1, 0x100
    li a0, 0x100
    prefetch.r 0(a1)
    prefetch.w 32(a1)
    prefetch.i -64(a1)
    pause                           /* Zihintpause: a fence hint, also advertised */
    CHECK_EQ(a0, 0x100)

    li gp, 4                        /* menvcfg / senvcfg: writable fields only */
    li t0, -1
    csrw menvcfg, t0
    csrr a0, menvcfg
    CHECK_EQ(a0, 0xc0000000000000f1)
    csrw senvcfg, t0
    csrr a0, senvcfg
    CHECK_EQ(a0, 0xf1)
    li t0, 2 << 4                   /* CBIE = 2 is reserved: reads back as 0 */
    csrw menvcfg, t0
    csrr a0, menvcfg
    CHECK_EQ(a0, 0)
    csrw senvcfg, t0
    csrr a0, senvcfg
    CHECK_EQ(a0, 0)

    li gp, 5                        /* M mode, no physical memory: store access fault */
    li a1, 0x105
    EXPECT_TRAP(1f)
f5a: cbo.zero (a1)
1:  CHECK_TRAP(CAUSE_STORE_ACCESS, a1, f5a)
    EXPECT_TRAP(1f)
f5b: cbo.clean (a1)
1:  CHECK_TRAP(CAUSE_STORE_ACCESS, a1, f5b)
    EXPECT_TRAP(1f)
f5c: cbo.inval (a1)
1:  CHECK_TRAP(CAUSE_STORE_ACCESS, a1, f5c)

    li gp, 6                        /* S mode, menvcfg 0: all four illegal */
    ENTER_MODE(PRV_S, s_off)
s_off:
    la a1, buf
    EXPECT_TRAP(1f)
f6a: cbo.zero (a1)
1:  CHECK_ILLEGAL_AT(f6a)
    EXPECT_TRAP(1f)
f6b: cbo.clean (a1)
1:  CHECK_ILLEGAL_AT(f6b)
    EXPECT_TRAP(1f)
f6c: cbo.flush (a1)
1:  CHECK_ILLEGAL_AT(f6c)
    EXPECT_TRAP(1f)
f6d: cbo.inval (a1)
1:  CHECK_ILLEGAL_AT(f6d)
    prefetch.w 0(a1)
    BACK_TO_M(m6)
m6:
    li gp, 7                        /* each enable alone allows its instructions */
    li t0, ENVCFG_CBZE
    csrw menvcfg, t0
    ENTER_MODE(PRV_S, s_zero)
s_zero:
    FILL_BUF
    la a1, buf
    cbo.zero (a1)
    COUNT_CHANGED
    CHECK_EQ(a0, 8)
    EXPECT_TRAP(1f)
f7a: cbo.clean (a1)
1:  CHECK_ILLEGAL_AT(f7a)
    EXPECT_TRAP(1f)
f7b: cbo.inval (a1)
1:  CHECK_ILLEGAL_AT(f7b)
    BACK_TO_M(m7)
m7:
    li t0, ENVCFG_CBCFE | ENVCFG_CBIE_FLUSH
    csrw menvcfg, t0
    ENTER_MODE(PRV_S, s_clean)
s_clean:
    FILL_BUF
    la a1, buf
    cbo.clean (a1)
    cbo.flush (a1)
    cbo.inval (a1)                  /* CBIE = 1: performed as a flush */
    COUNT_CHANGED
    CHECK_EQ(a0, 0)
    EXPECT_TRAP(1f)
f7c: cbo.zero (a1)
1:  CHECK_ILLEGAL_AT(f7c)
    BACK_TO_M(m7b)
m7b:
    li gp, 8                        /* U mode needs senvcfg as well */
    li t0, ENVCFG_ALL_CBO
    csrw menvcfg, t0
    csrw senvcfg, x0
    ENTER_MODE(PRV_U, u_off)
u_off:
    la a1, buf
    EXPECT_TRAP(1f)
f8a: cbo.zero (a1)
1:  CHECK_ILLEGAL_AT(f8a)
    EXPECT_TRAP(1f)
f8b: cbo.flush (a1)
1:  CHECK_ILLEGAL_AT(f8b)
    EXPECT_TRAP(1f)
f8c: cbo.inval (a1)
1:  CHECK_ILLEGAL_AT(f8c)
    prefetch.i 0(a1)
    BACK_TO_M(m8)
m8:
    li t0, ENVCFG_ALL_CBO           /* senvcfg alone is not enough */
    csrw senvcfg, t0
    csrw menvcfg, x0
    ENTER_MODE(PRV_U, u_off2)
u_off2:
    la a1, buf
    EXPECT_TRAP(1f)
f8d: cbo.zero (a1)
1:  CHECK_ILLEGAL_AT(f8d)
    BACK_TO_M(m8b)
m8b:
    li gp, 9                        /* both set: U mode runs them */
    li t0, ENVCFG_ALL_CBO
    csrw menvcfg, t0
    ENTER_MODE(PRV_U, u_on)
u_on:
    FILL_BUF
    la a1, buf
    addi a2, a1, 128 + 63
    cbo.zero (a2)
    cbo.clean (a1)
    cbo.flush (a1)
    cbo.inval (a1)
    COUNT_CHANGED
    CHECK_EQ(a0, 8)
    la a1, buf
    ld t0, 128(a1)
    CHECK_EQ(t0, 0)
    BACK_TO_M(m9)
m9:
    li gp, 10                       /* S mode, Sv39: permission faults */
    la t1, ro_page
    li t0, PATTERN
    sd t0, 0(t1)
    SV39_KERNEL_AND_LOW(pt_root, pt_l1, pt_l0)
    la t2, ro_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_A)
    SET_PTE(pt_l0, 1)
    la t2, rw_page
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_W | PTE_A)      /* D clear */
    SET_PTE(pt_l0, 3)
    SET_SATP(SATP_SV39, pt_root)
    ENTER_MODE(PRV_S, s_vm)
s_vm:
    li a1, VA_RO + 9                /* read-only: cbo.zero faults, tval = rs1 */
    EXPECT_TRAP(1f)
f10a: cbo.zero (a1)
1:  CHECK_TRAP(CAUSE_STORE_PAGE, a1, f10a)
    li a2, VA_RO
    ld t0, 0(a2)
    li t1, PATTERN
    bne t0, t1, fail
    cbo.clean (a1)                  /* readable is enough for the others */
    cbo.flush (a1)
    cbo.inval (a1)
    li gp, 11                       /* invalid page: store page faults */
    li a1, VA_INVALID + 64 + 3
    EXPECT_TRAP(1f)
f11a: cbo.clean (a1)
1:  CHECK_TRAP(CAUSE_STORE_PAGE, a1, f11a)
    EXPECT_TRAP(1f)
f11b: cbo.inval (a1)
1:  CHECK_TRAP(CAUSE_STORE_PAGE, a1, f11b)
    EXPECT_TRAP(1f)
f11c: cbo.zero (a1)
1:  CHECK_TRAP(CAUSE_STORE_PAGE, a1, f11c)
    prefetch.r 0(a1)                /* hints still do not trap */
    li gp, 12                       /* cbo.zero is a store: sets D */
    li a1, VA_RW + 256
    cbo.zero (a1)
    BACK_TO_M(m12)
m12:
    csrw satp, x0
    la t1, pt_l0
    ld t0, 24(t1)
    andi t0, t0, PTE_D
    beqz t0, fail
    j pass

    .data
    .align 12
pt_root: .zero 4096
pt_l1: .zero 4096
pt_l0: .zero 4096
ro_page: .zero 4096
rw_page: .zero 4096
    .align 6
buf: .zero 192
