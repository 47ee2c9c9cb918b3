/* Zifencei: self-modifying code.  Code that has already run (so an
 * interpreter or JIT holds it translated) is overwritten with stores, and
 * after fence.i the NEW instructions must execute: a called routine patched
 * many times in a loop, a 32-bit instruction replaced by two compressed
 * ones, and an instruction in the very block that does the store. */
#include "isa_test.h"
  .option norvc

/* addi a0, x0, imm */
#define ADDI_A0_X0(imm) ((((imm) & 0xfff) << 20) | (10 << 7) | 0x13)

  .data
  .balign 4
tmpl_c:               /* two compressed instructions in one word */
  .option push
  .option rvc
  c.li a0, 5
  c.addi a0, 1
  .option pop

  .text
  .balign 4
patch_me:
  addi a0, x0, 1
  ret

TEST_BEGIN
  /* the original code runs (and gets cached) */
  CASE(1)
  li a0, 0
  call patch_me
  CHECK(a0, 1)
  call patch_me
  CHECK(a0, 1)

  /* patch once */
  CASE(2)
  la a1, patch_me
  li t0, ADDI_A0_X0(2)
  sw t0, 0(a1)
  fence.i
  call patch_me
  CHECK(a0, 2)

  /* patch 50 times; each call must see the latest version */
  CASE(3)
  li s0, 50
  la s1, patch_me
1:
  slli t0, s0, 20
  li t1, (10 << 7) | 0x13
  or t0, t0, t1
  sw t0, 0(s1)
  fence.i
  call patch_me
  bne a0, s0, 9f
  addi s0, s0, -1
  bnez s0, 1b
  j 2f
9:
  j test_fail
2:

  /* replace a 32-bit instruction with two 16-bit ones */
  CASE(4)
  la a1, tmpl_c
  lw t0, 0(a1)
  la a1, patch_me
  sw t0, 0(a1)
  fence.i
  call patch_me
  CHECK(a0, 6)

  /* and back to a 32-bit one */
  CASE(5)
  la a1, patch_me
  li t0, ADDI_A0_X0(-7)
  sw t0, 0(a1)
  fence.i
  call patch_me
  CHECK(a0, -7)

  /* patch the instruction right after the fence.i in the same block; run
   * the block twice so the second pass finds it already translated */
  CASE(6)
  li s0, 2
3:
  la a1, 4f
  addi t0, s0, 100        /* imm = 100 + s0: 102, then 101 */
  slli t0, t0, 20
  li t1, (10 << 7) | 0x13
  or t0, t0, t1
  sw t0, 0(a1)
  fence.i
4:
  addi a0, x0, 1
  addi t0, s0, 100
  bne a0, t0, 9b
  addi s0, s0, -1
  bnez s0, 3b

  /* a store to the code (here: halfword) also counts after fence.i */
  CASE(7)
  la a1, patch_me
  li t0, ADDI_A0_X0(3)
  sw t0, 0(a1)
  fence.i
  call patch_me
  CHECK(a0, 3)
  li t0, ADDI_A0_X0(0x4d3)
  srli t0, t0, 16
  sh t0, 2(a1)            /* only the upper half (the immediate) changes */
  fence.i
  call patch_me
  CHECK(a0, 0x4d3)
TEST_END
