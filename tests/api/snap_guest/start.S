/* Entry of the snapshot test guest (M mode, no firmware): hart 0 gets a
 * stack and the FPU and runs main; any other hart parks. */
    .section .text.init
    .globl _start
_start:
    csrr t0, mhartid
    bnez t0, park
    la sp, stack_top
    li t0, 1 << 13 /* mstatus.FS = initial: the compiler may use FP registers */
    csrs mstatus, t0
    call main
park:
    wfi
    j park

    .bss
    .balign 16
    .space 16384
stack_top:
