# Bare metal on the spike board: a machine trap handler, an ecall into it,
# then PASS through HTIF (tohost = 1).
    .section .text.init
    .globl _start
_start:
    la t0, handler
    csrw mtvec, t0
    li t1, 3
    ecall
    j fail
handler:
    csrr t2, mcause
    li t3, 11           # ecall from M
    bne t2, t3, fail
    li a0, 1
    la t0, tohost
    sd a0, 0(t0)
1:  j 1b
fail:
    li a0, 3
    la t0, tohost
    sd a0, 0(t0)
    j 1b
    .section .tohost, "aw"
    .align 6
    .globl tohost
tohost: .dword 0
    .align 6
    .globl fromhost
fromhost: .dword 0
