/* FP moves, loads/stores and NaN boxing: fmv.w.x/flw box single values,
 * fmv.x.w sign-extends and (like fsw) moves the low 32 bits whatever the
 * upper ones are, while every other single op reads an improperly boxed
 * register as the canonical NaN.  Double moves keep every bit (sNaN
 * payloads included); FP loads/stores work misaligned. */
#include "isa_test.h"
  .option norvc

/* fa1 = raw 64 bits (possibly not a boxed single) */
#define LOAD_RAW(freg, bits) li t0, bits; fmv.d.x freg, t0

  .data
  .balign 16
fbuf:
  .word 0x40490fdb, 0x7f800001
  .dword 0x7ff0000000000001
  .zero 32

TEST_BEGIN
  /* boxing on the way in */
  TEST_CASE(1, t0, 0xffffffff3f800000, li t1, 0x3f800000; fmv.w.x fa0, t1; fmv.x.d t0, fa0)
  TEST_CASE(2, t0, 0xffffffff3f800000, li t1, 0x123456783f800000; fmv.w.x fa0, t1; fmv.x.d t0, fa0)
  TEST_CASE(3, t0, 0xffffffff40490fdb, la a1, fbuf; flw fa0, 0(a1); fmv.x.d t0, fa0)
  TEST_CASE(4, t0, 0xffffffff7f800001, la a1, fbuf; flw fa0, 4(a1); fmv.x.d t0, fa0)  /* sNaN kept as is */
  /* fmv.x.w sign-extends bit 31 */
  TEST_CASE(5, a0, 0xffffffffbf800000, li t1, 0xbf800000; fmv.w.x fa0, t1; fmv.x.w a0, fa0)
  TEST_CASE(6, a0, 0x000000007f800000, li t1, 0x7f800000; fmv.w.x fa0, t1; fmv.x.w a0, fa0)
  TEST_CASE(7, a0, 0xffffffffff800001, li t1, 0xff800001; fmv.w.x fa0, t1; fmv.x.w a0, fa0)
  /* transfers out ignore the upper half of an improperly boxed register */
  TEST_CASE(8, a0, 0x000000003f800000, LOAD_RAW(fa1, 0x000000003f800000); fmv.x.w a0, fa1)
  TEST_CASE(9, a0, 0xffffffff80000000, LOAD_RAW(fa1, 0x1234567880000000); fmv.x.w a0, fa1)
  TEST_CASE(10, a0, 0x000000003f800000, la a1, fbuf; LOAD_RAW(fa1, 0x000000003f800000); fsw fa1, 16(a1); lwu a0, 16(a1))

  /* improperly boxed input = canonical NaN, quietly */
  CASE(11)
  LOAD_RAW(fa1, 0x000000003f800000)
  CLEAR_FLAGS
  fadd.s fa0, fa1, fa1
  READ_FLAGS
  CHECK_S(fa0, 0x7fc00000)
  CHECK_FLAGS(0)
  CASE(12)
  LOAD_RAW(fa1, 0xfffffffe3f800000)   /* one upper bit clear is enough */
  LOAD_S(fa2, 0x3f800000)
  CLEAR_FLAGS
  fmul.s fa0, fa2, fa1
  READ_FLAGS
  CHECK_S(fa0, 0x7fc00000)
  CHECK_FLAGS(0)
  CASE(13)  /* fsgnj: magnitude from the canonical NaN, sign from rs2 */
  LOAD_RAW(fa1, 0x00000000bf800000)
  LOAD_S(fa2, 0xbf800000)
  fsgnj.s fa0, fa1, fa2
  CHECK_S(fa0, 0xffc00000)
  CASE(14)  /* sign taken from the canonical NaN (positive) */
  fsgnj.s fa0, fa2, fa1
  CHECK_S(fa0, 0x3f800000)
  CASE(15)  /* fmv.s of a bad box gives the canonical NaN */
  fmv.s fa0, fa1
  CHECK_S(fa0, 0x7fc00000)
  CASE(16)
  fsgnjn.s fa0, fa1, fa1
  CHECK_S(fa0, 0xffc00000)
  TEST_CASE(17, a0, 0x200, fclass.s a0, fa1)   /* quiet NaN */
  CASE(18)
  CLEAR_FLAGS
  feq.s a0, fa1, fa1
  READ_FLAGS
  CHECK(a0, 0)
  CHECK_FLAGS(0)
  CASE(19)
  CLEAR_FLAGS
  flt.s a0, fa2, fa1
  READ_FLAGS
  CHECK(a0, 0)
  CHECK_FLAGS(FL_NV)
  CASE(20)
  CLEAR_FLAGS
  fcvt.d.s fa0, fa1
  READ_FLAGS
  CHECK_D(fa0, 0x7ff8000000000000)
  CHECK_FLAGS(0)
  CASE(21)
  CLEAR_FLAGS
  fcvt.w.s a0, fa1, rtz
  READ_FLAGS
  CHECK(a0, 0x7fffffff)
  CHECK_FLAGS(FL_NV)
  CASE(22)  /* fmax with a (canonical, quiet) NaN returns the other operand */
  CLEAR_FLAGS
  fmax.s fa0, fa1, fa2
  READ_FLAGS
  CHECK_S(fa0, 0xbf800000)
  CHECK_FLAGS(0)
  CASE(23)  /* a properly boxed value is fine */
  LOAD_RAW(fa1, 0xffffffff3f800000)
  fadd.s fa0, fa1, fa1
  CHECK_S(fa0, 0x40000000)

  /* double transfers keep every bit */
  TEST_CASE(24, a0, 0x7ff0000000000001, li t1, 0x7ff0000000000001; fmv.d.x fa0, t1; fmv.x.d a0, fa0)
  TEST_CASE(25, a0, 0x7ff0000000000001, la a1, fbuf; fld fa0, 8(a1); fmv.x.d a0, fa0)
  TEST_CASE(26, a0, 0x7ff0000000000001, la a1, fbuf; fsd fa0, 24(a1); ld a0, 24(a1))
  TEST_CASE(27, a0, 0xfff0000000000001, fsgnjn.d fa1, fa0, fa0; fmv.x.d a0, fa1)
  TEST_CASE(28, a0, 0x7ff0000000000001, fsgnjx.d fa1, fa1, fa1; fmv.x.d a0, fa1)
  TEST_CASE(29, a0, 0x000000003f800000, LOAD_RAW(fa0, 0x000000003f800000); la a1, fbuf; fsd fa0, 24(a1); ld a0, 24(a1))
  /* fsw writes exactly 4 bytes */
  CASE(30)
  la a1, fbuf
  li t1, -1
  sd t1, 16(a1)
  LOAD_S(fa0, 0x12345678)
  fsw fa0, 16(a1)
  ld a0, 16(a1)
  CHECK(a0, 0xffffffff12345678)
  /* misaligned FP loads and stores */
  CASE(31)
  la a1, fbuf
  li t1, 0x0123456789abcdef
  sd t1, 32(a1)
  li t1, 0xfedcba9876543210
  sd t1, 40(a1)
  fld fa0, 35(a1)            /* bytes 35..42 */
  fmv.x.d a0, fa0
  CHECK(a0, 0x5432100123456789)
  CASE(32)
  fsd fa0, 17(a1)
  ld a0, 17(a1)
  CHECK(a0, 0x5432100123456789)
  CASE(33)
  flw fa0, 34(a1)            /* bytes 34..37 */
  fmv.x.d a0, fa0
  CHECK(a0, 0xffffffff456789ab)
  CASE(34)
  fsw fa0, 43(a1)
  lwu a0, 43(a1)
  CHECK(a0, 0x00000000456789ab)
TEST_END
