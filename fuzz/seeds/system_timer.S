# Bare metal on the spike board: the CLINT timer interrupts a wfi loop,
# then PASS through HTIF.
    .section .text.init
    .globl _start
_start:
    la t0, handler
    csrw mtvec, t0
    li t0, 0x0200bff8   # mtime
    ld t1, 0(t0)
    addi t1, t1, 100
    li t0, 0x02004000   # mtimecmp
    sd t1, 0(t0)
    li t0, 0x80         # MTIE
    csrw mie, t0
    csrsi mstatus, 8    # MIE
1:  wfi
    j 1b
handler:
    li a0, 1
    la t0, tohost
    sd a0, 0(t0)
2:  j 2b
    .section .tohost, "aw"
    .align 6
    .globl tohost
tohost: .dword 0
    .align 6
    .globl fromhost
fromhost: .dword 0
