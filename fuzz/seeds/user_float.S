# Floating point, atomics and an mmap'd page, then exit(0).
    .globl _start
_start:
    li a0, 0
    li a1, 4096
    li a2, 3            # PROT_READ|PROT_WRITE
    li a3, 0x22         # MAP_PRIVATE|MAP_ANONYMOUS
    li a4, -1
    li a5, 0
    li a7, 222
    ecall
    li t0, 5
    amoadd.d t1, t0, (a0)
    lr.d t2, (a0)
    sc.d t3, t0, (a0)
    fcvt.d.l fa0, t0
    fmul.d fa1, fa0, fa0
    fsqrt.d fa2, fa1
    fcvt.l.d t4, fa2
    sub a0, t4, t0
    li a7, 93
    ecall
