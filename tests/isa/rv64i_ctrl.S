/* RV64I control transfer and upper-immediate instructions: every branch
 * taken and not taken (signed vs unsigned), backward branches, jal/jalr
 * link values (jalr with rd == rs1, offsets, bit 0 cleared), lui and auipc,
 * and the fence forms. */
#include "isa_test.h"
  .option norvc

#define TEST_BR_TAKEN(num, op, a, b) \
  CASE(num); li a1, a; li a2, b; \
  op a1, a2, 1f; \
  j test_fail; \
1:
#define TEST_BR_NOT_TAKEN(num, op, a, b) \
  CASE(num); li a1, a; li a2, b; \
  op a1, a2, 1f; \
  j 2f; \
1: j test_fail; \
2:

TEST_BEGIN
  TEST_BR_TAKEN(1, beq, 0, 0)
  TEST_BR_TAKEN(2, beq, 0xffffffffffffffff, 0xffffffffffffffff)
  TEST_BR_NOT_TAKEN(3, beq, 0, 1)
  TEST_BR_NOT_TAKEN(4, beq, 0x0000000100000000, 0)  /* upper bits matter */
  TEST_BR_TAKEN(5, bne, 0x0000000100000000, 0)
  TEST_BR_NOT_TAKEN(6, bne, 7, 7)
  TEST_BR_TAKEN(7, blt, 0xffffffffffffffff, 1)
  TEST_BR_TAKEN(8, blt, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_BR_NOT_TAKEN(9, blt, 1, 0xffffffffffffffff)
  TEST_BR_NOT_TAKEN(10, blt, 5, 5)
  TEST_BR_TAKEN(11, bge, 5, 5)
  TEST_BR_TAKEN(12, bge, 1, 0xffffffffffffffff)
  TEST_BR_NOT_TAKEN(13, bge, 0x8000000000000000, 0)
  TEST_BR_TAKEN(14, bltu, 1, 0xffffffffffffffff)
  TEST_BR_TAKEN(15, bltu, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_BR_NOT_TAKEN(16, bltu, 0xffffffffffffffff, 1)
  TEST_BR_NOT_TAKEN(17, bltu, 3, 3)
  TEST_BR_TAKEN(18, bgeu, 3, 3)
  TEST_BR_TAKEN(19, bgeu, 0xffffffffffffffff, 1)
  TEST_BR_NOT_TAKEN(20, bgeu, 0, 0x8000000000000000)
  TEST_BR_NOT_TAKEN(21, bgeu, 0x7fffffffffffffff, 0x8000000000000000)

  /* backward branch: a loop running 10 times */
  CASE(22)
  li a1, 10
  li a0, 0
1:
  addi a0, a0, 3
  addi a1, a1, -1
  bnez a1, 1b
  CHECK(a0, 30)

  /* jal links the next instruction's address */
  CASE(23)
  la a3, 2f
  jal a0, 1f
2:
  j test_fail
1:
  CHECK_REG(a0, a3)

  /* jal with rd = x0 does not link */
  CASE(24)
  li a0, 0x55
  jal x0, 1f
  j test_fail
1:
  CHECK(x0, 0)
  CHECK(a0, 0x55)

  /* jalr: target = rs1 + offset, link = next instruction */
  CASE(25)
  la a1, 1f - 8
  la a3, 2f
  jalr a0, 8(a1)
2:
  j test_fail
1:
  CHECK_REG(a0, a3)

  /* jalr with rd == rs1: the target uses the old value */
  CASE(26)
  la a0, 1f
  la a3, 2f
  jalr a0, 0(a0)
2:
  j test_fail
1:
  CHECK_REG(a0, a3)

  /* jalr clears bit 0 of the target; negative offset */
  CASE(27)
  la a1, 1f + 17
  jalr a0, -16(a1)
  j test_fail
1:

  /* jalr with rd = x0 (ret-like) */
  CASE(28)
  la a1, 1f
  jalr x0, 0(a1)
  j test_fail
1:
  CHECK(x0, 0)

  /* call / ret through ra */
  CASE(29)
  li a0, 0
  call 3f
  CHECK(a0, 0x77)
  j 4f
3:
  li a0, 0x77
  ret
4:

  /* lui: 20-bit immediate << 12, sign-extended from bit 31 */
  TEST_CASE(30, a0, 0x0000000000000000, lui a0, 0)
  TEST_CASE(31, a0, 0x000000007ffff000, lui a0, 0x7ffff)
  TEST_CASE(32, a0, 0xffffffff80000000, lui a0, 0x80000)
  TEST_CASE(33, a0, 0xfffffffffffff000, lui a0, 0xfffff)
  TEST_CASE(34, a0, 0x0000000012345678, lui a0, 0x12345; addi a0, a0, 0x678)

  /* auipc: pc + (imm << 12), sign-extended */
  CASE(35)
1:
  auipc a0, 0
  la a1, 1b
  CHECK_REG(a0, a1)
  CASE(36)
1:
  auipc a0, 1
  la a1, 1b + 0x1000
  CHECK_REG(a0, a1)
  CASE(37)
1:
  auipc a0, 0xfffff
  la a1, 1b - 0x1000
  CHECK_REG(a0, a1)
  CASE(38)
1:
  auipc a0, 0x80000
  la a1, 1b
  li a2, 0xffffffff80000000
  add a1, a1, a2
  CHECK_REG(a0, a1)

  /* memory fences execute as no-ops on one hart (no trap, no side effect) */
  CASE(39)
  li a0, 0x39
  fence
  fence rw, rw
  fence r, w
  fence.tso
  CHECK(a0, 0x39)
TEST_END
