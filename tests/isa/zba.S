/* Zba: add.uw, sh1add/sh2add/sh3add and their .uw forms, slli.uw. */
#include "isa_test.h"
  .option norvc
TEST_BEGIN
  /* add.uw: zero-extends the low word of rs1 */
  TEST_RR(1, add.uw, 0x0000000080000001, 0xffffffff80000000, 0x0000000000000001)
  TEST_RR(2, add.uw, 0x100000009abcdef0, 0x123456789abcdef0, 0x1000000000000000)
  TEST_RR(3, add.uw, 0x00000000fffffffe, 0xffffffffffffffff, 0xffffffffffffffff)
  /* shNadd */
  TEST_RR(4, sh1add, 0x8000000000000005, 0x4000000000000001, 0x0000000000000003)
  TEST_RR(5, sh1add, 0xfffffffffffffffd, 0xffffffffffffffff, 0xffffffffffffffff)
  TEST_RR(6, sh2add, 0x4000000000000014, 0x1000000000000001, 0x0000000000000010)
  TEST_RR(7, sh2add, 0x000000000000000c, 0x8000000000000003, 0x0000000000000000)
  TEST_RR(8, sh3add, 0x100000000000000f, 0x0200000000000001, 0x0000000000000007)
  TEST_RR(9, sh3add, 0x0000000000000000, 0xffffffffffffffff, 0x0000000000000008)
  /* shNadd.uw */
  TEST_RR(10, sh1add.uw, 0x0000000100000003, 0xffffffff80000001, 0x0000000000000001)
  TEST_RR(11, sh1add.uw, 0x0000000000000005, 0x0000000100000000, 0x0000000000000005)
  TEST_RR(12, sh2add.uw, 0x00000003fffffffc, 0xffffffffffffffff, 0x0000000000000000)
  TEST_RR(13, sh2add.uw, 0x0000000300000100, 0x12345678c0000000, 0x0000000000000100)
  TEST_RR(14, sh3add.uw, 0x8000000400000000, 0xffffffff80000000, 0x8000000000000000)
  TEST_RR(15, sh3add.uw, 0x0000000800000000, 0x00000000ffffffff, 0x0000000000000008)
  /* slli.uw */
  TEST_RI(16, slli.uw, 0x0000000080000001, 0xffffffff80000001, 0)
  TEST_RI(17, slli.uw, 0x0000000100000002, 0xffffffff80000001, 1)
  TEST_RI(18, slli.uw, 0xffffffff00000000, 0x12345678ffffffff, 32)
  TEST_RI(19, slli.uw, 0x8000000000000000, 0x00000000ffffffff, 63)
  TEST_RI(20, slli.uw, 0xc000000000000000, 0x0000000000000003, 62)
  /* aliasing and x0 */
  TEST_RR_SRC1_EQ_DEST(25, sh3add, 0x0000000000000109, 0x20, 0x9)
  TEST_RR_SRC12_EQ(26, add.uw, 0xfffffffffffffffe, 0xffffffff7fffffff)
  TEST_RR_ZERODEST(27, sh1add, 1, 2)
TEST_END
