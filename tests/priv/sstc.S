/* Sstc: with menvcfg.STCE, S mode programs stimecmp against the time CSR
 * and gets a (delegated) supervisor timer interrupt; writing stimecmp
 * clears it. QEMU's spike board has no time CSR, so this test is checked
 * against the spec, not against QEMU 7.2. */
#include "priv_test.h"
TEST_HEADER
    li gp, 1
    li t0, 1
    slli t0, t0, 63
    csrs 0x30a, t0              /* menvcfg.STCE */
    li t0, 2
    csrw mcounteren, t0
    li t0, 0x20
    csrw mideleg, t0
    la t0, s_trap
    csrw stvec, t0
    li t0, -1
    csrw 0x14d, t0
    ENTER_MODE(PRV_S, in_s)
in_s:
    csrr t0, time
    addi t0, t0, 300
    csrw 0x14d, t0              /* stimecmp */
    li t0, 0x20
    csrs sie, t0
    li s5, 0
    csrsi sstatus, MSTATUS_SIE
    li t1, 10000000
1:  bnez s5, 2f
    addi t1, t1, -1
    bnez t1, 1b
    j fail
2:  li t0, 0x8000000000000005
    bne s5, t0, fail
    j pass
    .align 2
s_trap:
    csrr s5, scause
    li t0, -1
    csrw 0x14d, t0
    sret
