/* HTIF console: putchar (device 1, command 1) for each byte, tohost
 * reading back 0 once a command is consumed. Prints "htif putchar ok"
 * (the CTest checks the output). */
#include "priv_test.h"

#define CONSOLE_PUTC (0x0101 << 48)

TEST_HEADER
    li gp, 1                        /* putchar each byte of msg1 */
    la s2, msg1
1:  lbu a0, 0(s2)
    beqz a0, 2f
    li t0, CONSOLE_PUTC
    or a0, a0, t0
    la t1, tohost
    sd a0, 0(t1)
3:  ld t2, 0(t1)                    /* consumed: tohost reads 0 */
    bnez t2, 3b
    la t1, fromhost                 /* answer, if any, is cleared */
    sd zero, 0(t1)
    addi s2, s2, 1
    j 1b
2:
    j pass

    .data
msg1: .asciz "htif putchar ok\n"
