# Bare metal on the spike board: drop to S mode with Sv39 (one 1 GiB
# identity megapage), run there, ecall back to M, PASS.
    .section .text.init
    .globl _start
_start:
    la t0, handler
    csrw mtvec, t0
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    la t0, root
    li t1, 0x200000cf   # 0x80000000 >> 2 | V R W X A D
    sd t1, 16(t0)       # entry 2: VA 0x80000000
    srli t0, t0, 12
    li t1, 8
    slli t1, t1, 60
    or t0, t0, t1
    csrw satp, t0
    li t0, 0x1800
    csrc mstatus, t0
    li t0, 0x800        # MPP = S
    csrs mstatus, t0
    la t0, smode
    csrw mepc, t0
    mret
smode:
    li t2, 10
1:  addi t2, t2, -1
    bnez t2, 1b
    ecall
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
    .section .bss
    .align 12
root: .zero 4096
