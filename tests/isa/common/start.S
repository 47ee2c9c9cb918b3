/* Entry for every ISA test program: M mode, traps fail the test with exit
 * code 200 + mcause, the FPU is switched on, then test_main runs. */
#include "isa_test.h"

  .section .text.init, "ax"
  .globl _start
_start:
  la t0, unexpected_trap
  csrw mtvec, t0
  li t0, MSTATUS_FS_DIRTY
  csrs mstatus, t0
  csrwi fcsr, 0
  la sp, _stack_top
  li gp, 0
  j test_main

  /* mtvec needs 4-byte alignment. */
  .balign 4
unexpected_trap:
  csrr t0, mcause
  andi t0, t0, 0x3f
  addi a0, t0, TRAP_EXIT_BASE
  slli a0, a0, 1
  ori a0, a0, 1
  j write_tohost

  .globl test_fail
test_fail:
  slli a0, TESTNUM, 1
  ori a0, a0, 1
  j write_tohost

  .globl test_pass
test_pass:
  li a0, 1
  .globl write_tohost
write_tohost:
  la t0, tohost
  sd a0, 0(t0)
1:
  j 1b

  /* HTIF mailbox: the host watches tohost; (code << 1) | 1 ends the run.
   * The symbols carry their size: QEMU insists on 8-byte tohost. */
  .section .tohost, "aw", @progbits
  .balign 64
  .globl tohost
tohost:
  .dword 0
  .size tohost, 8
  .balign 64
  .globl fromhost
fromhost:
  .dword 0
  .size fromhost, 8
