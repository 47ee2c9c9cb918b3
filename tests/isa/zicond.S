/* Zicond: czero.eqz (rd = rs2 == 0 ? 0 : rs1) and czero.nez (rd = rs2 != 0
 * ? 0 : rs1); any set bit of rs2, including only upper ones, counts.
 * binutils 2.40 does not know the mnemonics, so they are emitted with .insn
 * (OP opcode, funct7 0000111, funct3 101 = eqz, 111 = nez).
 *
 * QEMU 7.2 (the reference) lacks Zicond: built with -DREFERENCE_QEMU, this
 * program installs a trap handler that emulates the two instructions with
 * plain branches, which checks the known answers below against an
 * independent model. */
#include "isa_test.h"
  .option norvc

#define CZERO(f3, rd, rs1, rs2) .insn r 0x33, f3, 0x7, rd, rs1, rs2
#define TEST_CZERO(num, f3, exp, a, b) \
  TEST_CASE(num, a0, exp, li a1, a; li a2, b; CZERO(f3, a0, a1, a2))

TEST_BEGIN
#ifdef REFERENCE_QEMU
  la t0, emulate_czero
  csrw mtvec, t0
#endif
  TEST_CZERO(1, 5, 0x0000000000000000, 0x123456789abcdef0, 0x0000000000000000)  /* czero.eqz */
  TEST_CZERO(2, 5, 0x123456789abcdef0, 0x123456789abcdef0, 0x0000000000000001)  /* czero.eqz */
  TEST_CZERO(3, 5, 0x123456789abcdef0, 0x123456789abcdef0, 0x8000000000000000)  /* czero.eqz */
  TEST_CZERO(4, 5, 0x123456789abcdef0, 0x123456789abcdef0, 0x0000000100000000)  /* czero.eqz */
  TEST_CZERO(5, 5, 0x0000000000000000, 0x0000000000000000, 0x0000000000000005)  /* czero.eqz */
  TEST_CZERO(6, 7, 0x123456789abcdef0, 0x123456789abcdef0, 0x0000000000000000)  /* czero.nez */
  TEST_CZERO(7, 7, 0x0000000000000000, 0x123456789abcdef0, 0x0000000000000001)  /* czero.nez */
  TEST_CZERO(8, 7, 0x0000000000000000, 0x123456789abcdef0, 0x8000000000000000)  /* czero.nez */
  TEST_CZERO(9, 7, 0x0000000000000000, 0x123456789abcdef0, 0x0000000100000000)  /* czero.nez */
  TEST_CZERO(10, 7, 0xffffffffffffffff, 0xffffffffffffffff, 0x0000000000000000)  /* czero.nez */
  /* rd == rs2, and x0 destination */
  CASE(11)
  li a1, 0x55
  li a0, 3
  CZERO(5, a0, a1, a0)
  CHECK(a0, 0x55)
  CASE(12)
  li a1, 0x55
  li a2, 0
  CZERO(7, x0, a1, a2)
  CHECK(x0, 0)
TEST_END

#ifdef REFERENCE_QEMU
/* Emulates czero.eqz/nez with rs1 = a1 and rd = a0 or x0, rs2 = a2 or a0
 * (all this file uses); anything else fails with 200 + mcause. */
  .balign 4
emulate_czero:
  csrr t0, mepc
  lwu t0, 0(t0)
  li t1, 0xfe00007f
  and t1, t0, t1
  li t2, 0x0e000033
  bne t1, t2, 9f
  srli t1, t0, 20
  andi t1, t1, 31          /* rs2 */
  mv t2, a2
  li s1, 12
  beq t1, s1, 1f
  mv t2, a0
  li s1, 10
  bne t1, s1, 9f
1:
  srli t1, t0, 12
  andi t1, t1, 7           /* funct3 */
  li s1, 5
  beq t1, s1, 2f
  li s1, 7
  bne t1, s1, 9f
  /* nez: result = rs2 != 0 ? 0 : rs1 */
  mv s1, a1
  beqz t2, 3f
  li s1, 0
  j 3f
2:
  /* eqz: result = rs2 == 0 ? 0 : rs1 */
  mv s1, a1
  bnez t2, 3f
  li s1, 0
3:
  srli t1, t0, 7
  andi t1, t1, 31          /* rd */
  beqz t1, 4f
  mv a0, s1
4:
  csrr t0, mepc
  addi t0, t0, 4
  csrw mepc, t0
  mret
9:
  j test_fail
#endif
