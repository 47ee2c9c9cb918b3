/* A extension: every AMO in .w and .d form (rd gets the old value, .w
 * results sign-extended, .w ignores the upper half of rs2 and writes only
 * its own word), ordering-bit variants, and LR/SC: success, sign extension
 * of lr.w, and the failure cases (no reservation, different address,
 * reservation already consumed by an earlier sc). */
#include "isa_test.h"
  .option norvc

/* memory = 0xa5a5a5a5:init (low word at amo_buf), op on the low word */
#define TEST_AMO_W(num, op, init, b, exp_rd, exp_mem) \
  CASE(num); la a1, amo_buf; li t0, (0xa5a5a5a500000000 | (init)); \
  sd t0, 0(a1); li a2, b; op a0, a2, (a1); \
  CHECK(a0, exp_rd); ld a3, 0(a1); CHECK(a3, exp_mem)
#define TEST_AMO_D(num, op, init, b, exp_rd, exp_mem) \
  CASE(num); la a1, amo_buf; li t0, init; \
  sd t0, 0(a1); li a2, b; op a0, a2, (a1); \
  CHECK(a0, exp_rd); ld a3, 0(a1); CHECK(a3, exp_mem)

  .data
  .balign 4096
amo_buf:
  .dword 0, 0
  .balign 4096
other_buf:
  .dword 0, 0

TEST_BEGIN
  /* sc with no reservation ever taken fails and stores nothing */
  CASE(1)
  la a1, amo_buf
  li t0, 0x1111
  sd t0, 0(a1)
  li a2, 0x2222
  sc.d a0, a2, (a1)
  CHECK_NONZERO(a0)
  ld a3, 0(a1)
  CHECK(a3, 0x1111)

  TEST_AMO_W(2, amoswap.w, 0x80000001, 0x123456787ffffff0, 0xffffffff80000001, 0xa5a5a5a57ffffff0)
  TEST_AMO_W(3, amoswap.w, 0xfffffffe, 0x1234567800000003, 0xfffffffffffffffe, 0xa5a5a5a500000003)
  TEST_AMO_W(4, amoadd.w, 0x80000001, 0x123456787ffffff0, 0xffffffff80000001, 0xa5a5a5a5fffffff1)
  TEST_AMO_W(5, amoadd.w, 0xfffffffe, 0x1234567800000003, 0xfffffffffffffffe, 0xa5a5a5a500000001)
  TEST_AMO_W(6, amoxor.w, 0x80000001, 0x123456787ffffff0, 0xffffffff80000001, 0xa5a5a5a5fffffff1)
  TEST_AMO_W(7, amoxor.w, 0xfffffffe, 0x1234567800000003, 0xfffffffffffffffe, 0xa5a5a5a5fffffffd)
  TEST_AMO_W(8, amoand.w, 0x80000001, 0x123456787ffffff0, 0xffffffff80000001, 0xa5a5a5a500000000)
  TEST_AMO_W(9, amoand.w, 0xfffffffe, 0x1234567800000003, 0xfffffffffffffffe, 0xa5a5a5a500000002)
  TEST_AMO_W(10, amoor.w, 0x80000001, 0x123456787ffffff0, 0xffffffff80000001, 0xa5a5a5a5fffffff1)
  TEST_AMO_W(11, amoor.w, 0xfffffffe, 0x1234567800000003, 0xfffffffffffffffe, 0xa5a5a5a5ffffffff)
  TEST_AMO_W(12, amomin.w, 0x80000001, 0x123456787ffffff0, 0xffffffff80000001, 0xa5a5a5a580000001)
  TEST_AMO_W(13, amomin.w, 0xfffffffe, 0x1234567800000003, 0xfffffffffffffffe, 0xa5a5a5a5fffffffe)
  TEST_AMO_W(14, amomax.w, 0x80000001, 0x123456787ffffff0, 0xffffffff80000001, 0xa5a5a5a57ffffff0)
  TEST_AMO_W(15, amomax.w, 0xfffffffe, 0x1234567800000003, 0xfffffffffffffffe, 0xa5a5a5a500000003)
  TEST_AMO_W(16, amominu.w, 0x80000001, 0x123456787ffffff0, 0xffffffff80000001, 0xa5a5a5a57ffffff0)
  TEST_AMO_W(17, amominu.w, 0xfffffffe, 0x1234567800000003, 0xfffffffffffffffe, 0xa5a5a5a500000003)
  TEST_AMO_W(18, amomaxu.w, 0x80000001, 0x123456787ffffff0, 0xffffffff80000001, 0xa5a5a5a580000001)
  TEST_AMO_W(19, amomaxu.w, 0xfffffffe, 0x1234567800000003, 0xfffffffffffffffe, 0xa5a5a5a5fffffffe)
  TEST_AMO_D(20, amoswap.d, 0x8000000000000001, 0x7ffffffffffffff0, 0x8000000000000001, 0x7ffffffffffffff0)
  TEST_AMO_D(21, amoswap.d, 0xfffffffffffffffe, 0x0000000000000003, 0xfffffffffffffffe, 0x0000000000000003)
  TEST_AMO_D(22, amoadd.d, 0x8000000000000001, 0x7ffffffffffffff0, 0x8000000000000001, 0xfffffffffffffff1)
  TEST_AMO_D(23, amoadd.d, 0xfffffffffffffffe, 0x0000000000000003, 0xfffffffffffffffe, 0x0000000000000001)
  TEST_AMO_D(24, amoxor.d, 0x8000000000000001, 0x7ffffffffffffff0, 0x8000000000000001, 0xfffffffffffffff1)
  TEST_AMO_D(25, amoxor.d, 0xfffffffffffffffe, 0x0000000000000003, 0xfffffffffffffffe, 0xfffffffffffffffd)
  TEST_AMO_D(26, amoand.d, 0x8000000000000001, 0x7ffffffffffffff0, 0x8000000000000001, 0x0000000000000000)
  TEST_AMO_D(27, amoand.d, 0xfffffffffffffffe, 0x0000000000000003, 0xfffffffffffffffe, 0x0000000000000002)
  TEST_AMO_D(28, amoor.d, 0x8000000000000001, 0x7ffffffffffffff0, 0x8000000000000001, 0xfffffffffffffff1)
  TEST_AMO_D(29, amoor.d, 0xfffffffffffffffe, 0x0000000000000003, 0xfffffffffffffffe, 0xffffffffffffffff)
  TEST_AMO_D(30, amomin.d, 0x8000000000000001, 0x7ffffffffffffff0, 0x8000000000000001, 0x8000000000000001)
  TEST_AMO_D(31, amomin.d, 0xfffffffffffffffe, 0x0000000000000003, 0xfffffffffffffffe, 0xfffffffffffffffe)
  TEST_AMO_D(32, amomax.d, 0x8000000000000001, 0x7ffffffffffffff0, 0x8000000000000001, 0x7ffffffffffffff0)
  TEST_AMO_D(33, amomax.d, 0xfffffffffffffffe, 0x0000000000000003, 0xfffffffffffffffe, 0x0000000000000003)
  TEST_AMO_D(34, amominu.d, 0x8000000000000001, 0x7ffffffffffffff0, 0x8000000000000001, 0x7ffffffffffffff0)
  TEST_AMO_D(35, amominu.d, 0xfffffffffffffffe, 0x0000000000000003, 0xfffffffffffffffe, 0x0000000000000003)
  TEST_AMO_D(36, amomaxu.d, 0x8000000000000001, 0x7ffffffffffffff0, 0x8000000000000001, 0x8000000000000001)
  TEST_AMO_D(37, amomaxu.d, 0xfffffffffffffffe, 0x0000000000000003, 0xfffffffffffffffe, 0xfffffffffffffffe)

  /* ordering-bit encodings behave the same */
  TEST_AMO_W(38, amoadd.w.aq, 0x00000001, 0x0000000000000002, 0x0000000000000001, 0xa5a5a5a500000003)
  TEST_AMO_W(39, amoor.w.rl, 0x000000f0, 0x000000000000000f, 0x00000000000000f0, 0xa5a5a5a5000000ff)
  TEST_AMO_D(40, amoswap.d.aqrl, 0x0123456789abcdef, 0xfedcba9876543210, 0x0123456789abcdef, 0xfedcba9876543210)
  TEST_AMO_D(41, amomaxu.d.aq, 0x0000000000000001, 0x8000000000000000, 0x0000000000000001, 0x8000000000000000)
  /* rd = x0: memory still updated */
  CASE(42)
  la a1, amo_buf
  li t0, 0x10
  sd t0, 0(a1)
  li a2, 5
  amoadd.d x0, a2, (a1)
  CHECK(x0, 0)
  ld a3, 0(a1)
  CHECK(a3, 0x15)

  /* lr.d / sc.d success: rd = 0, memory updated */
  CASE(43)
  la a1, amo_buf
  li t0, 0x0123456789abcdef
  sd t0, 0(a1)
  lr.d a0, (a1)
  CHECK(a0, 0x0123456789abcdef)
  li a2, 0x7777
  sc.d a3, a2, (a1)
  CHECK(a3, 0)
  ld a3, 0(a1)
  CHECK(a3, 0x7777)

  /* the reservation is gone after the sc: a second sc fails */
  CASE(44)
  li a2, 0x8888
  sc.d a3, a2, (a1)
  CHECK_NONZERO(a3)
  ld a3, 0(a1)
  CHECK(a3, 0x7777)

  /* lr.w sign-extends; sc.w writes only its word */
  CASE(45)
  la a1, amo_buf
  li t0, 0x5a5a5a5a80000000
  sd t0, 0(a1)
  lr.w a0, (a1)
  CHECK(a0, 0xffffffff80000000)
  li a2, 0xffffffff12345678
  sc.w a3, a2, (a1)
  CHECK(a3, 0)
  ld a3, 0(a1)
  CHECK(a3, 0x5a5a5a5a12345678)

  /* lr.w on the upper word of a doubleword, positive value */
  CASE(46)
  la a1, amo_buf
  addi a4, a1, 4
  lr.w a0, (a4)
  CHECK(a0, 0x5a5a5a5a)
  li a2, 0x0badf00d
  sc.w a3, a2, (a1)   /* different address (the low word): must fail */
  CHECK_NONZERO(a3)
  ld a3, 0(a1)
  CHECK(a3, 0x5a5a5a5a12345678)
  CASE(47)
  li a2, 0x0badf00d
  sc.w a3, a2, (a4)   /* the failed sc consumed the reservation */
  CHECK_NONZERO(a3)
  ld a3, 0(a1)
  CHECK(a3, 0x5a5a5a5a12345678)

  /* sc to another page than the lr fails and stores nothing */
  CASE(48)
  la a1, amo_buf
  la a4, other_buf
  sd x0, 0(a4)
  lr.d a0, (a1)
  li a2, 0x99
  sc.d a3, a2, (a4)
  CHECK_NONZERO(a3)
  ld a3, 0(a4)
  CHECK(a3, 0)

  /* aq/rl forms, then an LR/SC retry loop that increments 100 times */
  CASE(49)
  la a1, amo_buf
  sd x0, 0(a1)
  li a4, 100
1:
  lr.d.aq a0, (a1)
  addi a0, a0, 1
  sc.d.rl a3, a0, (a1)
  bnez a3, 1b
  addi a4, a4, -1
  bnez a4, 1b
  ld a0, 0(a1)
  CHECK(a0, 100)

  /* lr.w / sc.w.aqrl increment across the sign boundary */
  CASE(50)
  la a1, amo_buf
  li t0, 0x7fffffff
  sw t0, 0(a1)
2:
  lr.w.aqrl a0, (a1)
  addi a0, a0, 1
  sc.w.aqrl a3, a0, (a1)
  bnez a3, 2b
  lw a0, 0(a1)
  CHECK(a0, 0xffffffff80000000)
TEST_END
