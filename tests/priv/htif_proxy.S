/* HTIF syscall proxy as used by riscv-tests benchmarks: tohost = address
 * of magic_mem[8] = {which, a0, a1, a2}; the host answers in magic_mem[0]
 * and sets fromhost. write(1, buf, len) prints "htif proxy ok", then
 * exit(0) through the proxy ends the run (no pass write is reached).
 * QEMU 7.2 does not implement the proxy (later versions do), so this test
 * is checked against the spike protocol, not against QEMU. */
#include "priv_test.h"


/* Issue syscall `which` with a0..a2 in t3, t4, s4; result in a0. */
#define PROXY(which)        \
    la a1, magic;           \
    li t0, which;           \
    sd t0, 0(a1);           \
    sd t3, 8(a1);           \
    sd t4, 16(a1);          \
    sd s4, 24(a1);          \
    fence;                  \
    la t1, tohost;          \
    sd a1, 0(t1);           \
    la t1, fromhost;        \
    li t2, 1000000;         \
8:  ld t0, 0(t1);           \
    bnez t0, 9f;            \
    addi t2, t2, -1;        \
    bnez t2, 8b;            \
    j fail;                 \
9:  sd zero, 0(t1);         \
    ld a0, 0(a1)

TEST_HEADER
    li gp, 1                        /* an unknown syscall answers -ENOSYS */
    PROXY(12345)
    CHECK_EQ(a0, -38)
    li gp, 2                        /* write(1, msg, 11) returns 11 */
    li t3, 1
    la t4, msg
    li s4, 11
    PROXY(64)
    CHECK_EQ(a0, 11)
    li gp, 3                        /* the rest only once the checks passed */
    li t3, 1
    la t4, msg + 11
    li s4, 3
    PROXY(64)
    CHECK_EQ(a0, 3)
    li gp, 4                        /* exit(0): the run ends here */
    li t3, 0
    PROXY(93)
    j fail

    .data
msg: .ascii "htif proxy ok\n"
    .align 6
magic: .zero 64
