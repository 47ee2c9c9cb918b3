/* single-precision non-arithmetic ops: fmin/fmax.s (signed zeros, one or two
 * NaN operands, sNaN -> NV), feq/flt/fle.s (quiet vs signalling compares),
 * fclass.s over all ten classes, fsgnj/fsgnjn/fsgnjx.s (no flags, NaN
 * payloads kept). */
#include "isa_test.h"
  .option norvc
TEST_BEGIN
  /* fmin / fmax: signed zeros, NaN operands (the other one wins), sNaN -> NV */
  TEST_FP_OP2(S, 1, fmin.s, NORM, 0x3f800000, 0, 0x3f800000, 0x40000000)
  TEST_FP_OP2(S, 2, fmin.s, NORM, 0xbf800000, 0, 0xbf800000, 0x3f800000)
  TEST_FP_OP2(S, 3, fmin.s, NORM, 0x80000000, 0, 0x80000000, 0x00000000)  /* -0 < +0 */
  TEST_FP_OP2(S, 4, fmin.s, NORM, 0x80000000, 0, 0x00000000, 0x80000000)
  TEST_FP_OP2(S, 5, fmin.s, NORM, 0x3f800000, 0, 0x7fc00000, 0x3f800000)  /* one qNaN: the number */
  TEST_FP_OP2(S, 6, fmin.s, NORM, 0xbf800000, 0, 0xbf800000, 0xffc00000)
  TEST_FP_OP2(S, 7, fmin.s, NORM, 0x3f800000, FL_NV, 0x7f800001, 0x3f800000)  /* sNaN: the number, NV */
  TEST_FP_OP2(S, 8, fmin.s, NORM, 0x7fc00000, 0, 0x7fc12345, 0x7fc00000)  /* both NaN: canonical NaN */
  TEST_FP_OP2(S, 9, fmin.s, NORM, 0x7fc00000, FL_NV, 0xff812345, 0x7fc12345)  /* both NaN, one signalling */
  TEST_FP_OP2(S, 10, fmin.s, NORM, 0xff800000, 0, 0xff800000, 0x7f800000)
  TEST_FP_OP2(S, 11, fmin.s, NORM, 0x807fffff, 0, 0x00000001, 0x807fffff)
  TEST_FP_OP2(S, 12, fmax.s, NORM, 0x40000000, 0, 0x3f800000, 0x40000000)
  TEST_FP_OP2(S, 13, fmax.s, NORM, 0x3f800000, 0, 0xbf800000, 0x3f800000)
  TEST_FP_OP2(S, 14, fmax.s, NORM, 0x00000000, 0, 0x80000000, 0x00000000)  /* -0 < +0 */
  TEST_FP_OP2(S, 15, fmax.s, NORM, 0x00000000, 0, 0x00000000, 0x80000000)
  TEST_FP_OP2(S, 16, fmax.s, NORM, 0x3f800000, 0, 0x7fc00000, 0x3f800000)  /* one qNaN: the number */
  TEST_FP_OP2(S, 17, fmax.s, NORM, 0xbf800000, 0, 0xbf800000, 0xffc00000)
  TEST_FP_OP2(S, 18, fmax.s, NORM, 0x3f800000, FL_NV, 0x7f800001, 0x3f800000)  /* sNaN: the number, NV */
  TEST_FP_OP2(S, 19, fmax.s, NORM, 0x7fc00000, 0, 0x7fc12345, 0x7fc00000)  /* both NaN: canonical NaN */
  TEST_FP_OP2(S, 20, fmax.s, NORM, 0x7fc00000, FL_NV, 0xff812345, 0x7fc12345)  /* both NaN, one signalling */
  TEST_FP_OP2(S, 21, fmax.s, NORM, 0x7f800000, 0, 0xff800000, 0x7f800000)
  TEST_FP_OP2(S, 22, fmax.s, NORM, 0x00000001, 0, 0x00000001, 0x807fffff)
  /* feq is quiet (NV only for sNaN); flt/fle signal on any NaN */
  TEST_FP_CMP(S, 23, feq.s, 1, 0, 0x3f800000, 0x3f800000)
  TEST_FP_CMP(S, 24, feq.s, 0, 0, 0x3f800000, 0x40000000)
  TEST_FP_CMP(S, 25, feq.s, 0, 0, 0x40000000, 0x3f800000)
  TEST_FP_CMP(S, 26, feq.s, 1, 0, 0x80000000, 0x00000000)  /* -0 == +0 */
  TEST_FP_CMP(S, 27, feq.s, 0, 0, 0xff800000, 0xbf800000)
  TEST_FP_CMP(S, 28, feq.s, 0, 0, 0x807fffff, 0x00000001)
  TEST_FP_CMP(S, 29, feq.s, 0, 0, 0x7fc00000, 0x3f800000)
  TEST_FP_CMP(S, 30, feq.s, 0, FL_NV, 0x3f800000, 0x7f800001)
  TEST_FP_CMP(S, 31, feq.s, 0, 0, 0x7fc00000, 0x7fc00000)
  TEST_FP_CMP(S, 32, flt.s, 0, 0, 0x3f800000, 0x3f800000)
  TEST_FP_CMP(S, 33, flt.s, 1, 0, 0x3f800000, 0x40000000)
  TEST_FP_CMP(S, 34, flt.s, 0, 0, 0x40000000, 0x3f800000)
  TEST_FP_CMP(S, 35, flt.s, 0, 0, 0x80000000, 0x00000000)  /* -0 == +0 */
  TEST_FP_CMP(S, 36, flt.s, 1, 0, 0xff800000, 0xbf800000)
  TEST_FP_CMP(S, 37, flt.s, 1, 0, 0x807fffff, 0x00000001)
  TEST_FP_CMP(S, 38, flt.s, 0, FL_NV, 0x7fc00000, 0x3f800000)
  TEST_FP_CMP(S, 39, flt.s, 0, FL_NV, 0x3f800000, 0x7f800001)
  TEST_FP_CMP(S, 40, flt.s, 0, FL_NV, 0x7fc00000, 0x7fc00000)
  TEST_FP_CMP(S, 41, fle.s, 1, 0, 0x3f800000, 0x3f800000)
  TEST_FP_CMP(S, 42, fle.s, 1, 0, 0x3f800000, 0x40000000)
  TEST_FP_CMP(S, 43, fle.s, 0, 0, 0x40000000, 0x3f800000)
  TEST_FP_CMP(S, 44, fle.s, 1, 0, 0x80000000, 0x00000000)  /* -0 == +0 */
  TEST_FP_CMP(S, 45, fle.s, 1, 0, 0xff800000, 0xbf800000)
  TEST_FP_CMP(S, 46, fle.s, 1, 0, 0x807fffff, 0x00000001)
  TEST_FP_CMP(S, 47, fle.s, 0, FL_NV, 0x7fc00000, 0x3f800000)
  TEST_FP_CMP(S, 48, fle.s, 0, FL_NV, 0x3f800000, 0x7f800001)
  TEST_FP_CMP(S, 49, fle.s, 0, FL_NV, 0x7fc00000, 0x7fc00000)
  /* fclass: all ten classes */
  TEST_FP_INT(S, 50, fclass.s, NORM, 0x1, 0, 0xff800000)
  TEST_FP_INT(S, 51, fclass.s, NORM, 0x2, 0, 0xbf800000)
  TEST_FP_INT(S, 52, fclass.s, NORM, 0x4, 0, 0x807fffff)
  TEST_FP_INT(S, 53, fclass.s, NORM, 0x8, 0, 0x80000000)
  TEST_FP_INT(S, 54, fclass.s, NORM, 0x10, 0, 0x00000000)
  TEST_FP_INT(S, 55, fclass.s, NORM, 0x20, 0, 0x00000001)
  TEST_FP_INT(S, 56, fclass.s, NORM, 0x40, 0, 0x3f800000)
  TEST_FP_INT(S, 57, fclass.s, NORM, 0x80, 0, 0x7f800000)
  TEST_FP_INT(S, 58, fclass.s, NORM, 0x100, 0, 0x7f800001)
  TEST_FP_INT(S, 59, fclass.s, NORM, 0x200, 0, 0x7fc00000)
  TEST_FP_INT(S, 60, fclass.s, NORM, 0x40, 0, 0x7f7fffff)
  TEST_FP_INT(S, 61, fclass.s, NORM, 0x200, 0, 0xffc00000)
  TEST_FP_INT(S, 62, fclass.s, NORM, 0x100, 0, 0xff812345)
  /* sign injection */
  TEST_FP_OP2(S, 63, fsgnj.s, NORM, 0xbf800000, 0, 0x3f800000, 0xbf800000)
  TEST_FP_OP2(S, 64, fsgnj.s, NORM, 0x3f800000, 0, 0xbf800000, 0x3f800000)
  TEST_FP_OP2(S, 65, fsgnj.s, NORM, 0xbf800000, 0, 0xbf800000, 0xbf800000)
  TEST_FP_OP2(S, 66, fsgnj.s, NORM, 0xffc12345, 0, 0x7fc12345, 0x80000000)  /* NaNs are not touched beyond the sign, no NV */
  TEST_FP_OP2(S, 67, fsgnj.s, NORM, 0x7f800001, 0, 0x7f800001, 0x7f800001)
  TEST_FP_OP2(S, 68, fsgnjn.s, NORM, 0x3f800000, 0, 0x3f800000, 0xbf800000)
  TEST_FP_OP2(S, 69, fsgnjn.s, NORM, 0xbf800000, 0, 0xbf800000, 0x3f800000)
  TEST_FP_OP2(S, 70, fsgnjn.s, NORM, 0x3f800000, 0, 0xbf800000, 0xbf800000)
  TEST_FP_OP2(S, 71, fsgnjn.s, NORM, 0x7fc12345, 0, 0x7fc12345, 0x80000000)  /* NaNs are not touched beyond the sign, no NV */
  TEST_FP_OP2(S, 72, fsgnjn.s, NORM, 0xff800001, 0, 0x7f800001, 0x7f800001)
  TEST_FP_OP2(S, 73, fsgnjx.s, NORM, 0xbf800000, 0, 0x3f800000, 0xbf800000)
  TEST_FP_OP2(S, 74, fsgnjx.s, NORM, 0xbf800000, 0, 0xbf800000, 0x3f800000)
  TEST_FP_OP2(S, 75, fsgnjx.s, NORM, 0x3f800000, 0, 0xbf800000, 0xbf800000)
  TEST_FP_OP2(S, 76, fsgnjx.s, NORM, 0xffc12345, 0, 0x7fc12345, 0x80000000)  /* NaNs are not touched beyond the sign, no NV */
  TEST_FP_OP2(S, 77, fsgnjx.s, NORM, 0x7f800001, 0, 0x7f800001, 0x7f800001)
TEST_END
