# write(1, "hi\n", 3), then a loop that touches the stack and the heap
# (brk), then exit_group(0).
    .globl _start
_start:
    li a0, 1
    la a1, msg
    li a2, 3
    li a7, 64
    ecall
    li a0, 0
    li a7, 214          # brk(0)
    ecall
    mv s0, a0
    addi a0, s0, 256
    li a7, 214          # brk(+256)
    ecall
    li t0, 32
1:  sd t0, 0(s0)
    sd t0, -8(sp)
    ld t1, 0(s0)
    c.addi t0, -1
    bnez t0, 1b
    li a0, 0
    li a7, 94
    ecall
    .section .rodata
msg: .ascii "hi\n"
