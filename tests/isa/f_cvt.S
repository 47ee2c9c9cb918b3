/* Single-precision conversions: fcvt.{w,wu,l,lu}.s in every rounding mode
 * (x.5 ties, negative values into unsigned), saturation with NV for out of
 * range, NaN and infinities (fcvt.wu.s of -1.0 and -0.5 included), 32-bit
 * results sign-extended; fcvt.s.{w,wu,l,lu} rounding in every mode. */
#include "isa_test.h"
  .option norvc
TEST_BEGIN
  /* float -> int, every mode on x.5 and near values */
  TEST_FP_INT(S, 1, fcvt.w.s, RNE, 0x0000000000000002, FL_NX, 0x40200000)  /* 2.5 */
  TEST_FP_INT(S, 2, fcvt.w.s, RNE, 0xfffffffffffffffe, FL_NX, 0xc0200000)  /* -2.5 */
  TEST_FP_INT(S, 3, fcvt.w.s, RNE, 0x0000000000000002, FL_NX, 0x3fc00000)  /* 1.5 */
  TEST_FP_INT(S, 4, fcvt.w.s, RNE, 0xffffffffffffffff, FL_NX, 0xbf400000)  /* -0.75 */
  TEST_FP_INT(S, 5, fcvt.wu.s, RNE, 0x0000000000000000, FL_NX, 0xbf000000)  /* -0.5: 0 (NX) or out of range (NV) */
  TEST_FP_INT(S, 6, fcvt.l.s, RNE, 0xfffffffffffffffc, FL_NX, 0xc0600000)  /* -3.5 */
  TEST_FP_INT(S, 7, fcvt.lu.s, RNE, 0x0000000000000001, FL_NX, 0x3f400000)  /* 0.75 */
  TEST_FP_INT(S, 8, fcvt.w.s, RTZ, 0x0000000000000002, FL_NX, 0x40200000)  /* 2.5 */
  TEST_FP_INT(S, 9, fcvt.w.s, RTZ, 0xfffffffffffffffe, FL_NX, 0xc0200000)  /* -2.5 */
  TEST_FP_INT(S, 10, fcvt.w.s, RTZ, 0x0000000000000001, FL_NX, 0x3fc00000)  /* 1.5 */
  TEST_FP_INT(S, 11, fcvt.w.s, RTZ, 0x0000000000000000, FL_NX, 0xbf400000)  /* -0.75 */
  TEST_FP_INT(S, 12, fcvt.wu.s, RTZ, 0x0000000000000000, FL_NX, 0xbf000000)  /* -0.5: 0 (NX) or out of range (NV) */
  TEST_FP_INT(S, 13, fcvt.l.s, RTZ, 0xfffffffffffffffd, FL_NX, 0xc0600000)  /* -3.5 */
  TEST_FP_INT(S, 14, fcvt.lu.s, RTZ, 0x0000000000000000, FL_NX, 0x3f400000)  /* 0.75 */
  TEST_FP_INT(S, 15, fcvt.w.s, RDN, 0x0000000000000002, FL_NX, 0x40200000)  /* 2.5 */
  TEST_FP_INT(S, 16, fcvt.w.s, RDN, 0xfffffffffffffffd, FL_NX, 0xc0200000)  /* -2.5 */
  TEST_FP_INT(S, 17, fcvt.w.s, RDN, 0x0000000000000001, FL_NX, 0x3fc00000)  /* 1.5 */
  TEST_FP_INT(S, 18, fcvt.w.s, RDN, 0xffffffffffffffff, FL_NX, 0xbf400000)  /* -0.75 */
  TEST_FP_INT(S, 19, fcvt.wu.s, RDN, 0x0000000000000000, FL_NV, 0xbf000000)  /* -0.5: 0 (NX) or out of range (NV) */
  TEST_FP_INT(S, 20, fcvt.l.s, RDN, 0xfffffffffffffffc, FL_NX, 0xc0600000)  /* -3.5 */
  TEST_FP_INT(S, 21, fcvt.lu.s, RDN, 0x0000000000000000, FL_NX, 0x3f400000)  /* 0.75 */
  TEST_FP_INT(S, 22, fcvt.w.s, RUP, 0x0000000000000003, FL_NX, 0x40200000)  /* 2.5 */
  TEST_FP_INT(S, 23, fcvt.w.s, RUP, 0xfffffffffffffffe, FL_NX, 0xc0200000)  /* -2.5 */
  TEST_FP_INT(S, 24, fcvt.w.s, RUP, 0x0000000000000002, FL_NX, 0x3fc00000)  /* 1.5 */
  TEST_FP_INT(S, 25, fcvt.w.s, RUP, 0x0000000000000000, FL_NX, 0xbf400000)  /* -0.75 */
  TEST_FP_INT(S, 26, fcvt.wu.s, RUP, 0x0000000000000000, FL_NX, 0xbf000000)  /* -0.5: 0 (NX) or out of range (NV) */
  TEST_FP_INT(S, 27, fcvt.l.s, RUP, 0xfffffffffffffffd, FL_NX, 0xc0600000)  /* -3.5 */
  TEST_FP_INT(S, 28, fcvt.lu.s, RUP, 0x0000000000000001, FL_NX, 0x3f400000)  /* 0.75 */
  TEST_FP_INT(S, 29, fcvt.w.s, RMM, 0x0000000000000003, FL_NX, 0x40200000)  /* 2.5 */
  TEST_FP_INT(S, 30, fcvt.w.s, RMM, 0xfffffffffffffffd, FL_NX, 0xc0200000)  /* -2.5 */
  TEST_FP_INT(S, 31, fcvt.w.s, RMM, 0x0000000000000002, FL_NX, 0x3fc00000)  /* 1.5 */
  TEST_FP_INT(S, 32, fcvt.w.s, RMM, 0xffffffffffffffff, FL_NX, 0xbf400000)  /* -0.75 */
  TEST_FP_INT(S, 33, fcvt.wu.s, RMM, 0x0000000000000000, FL_NV, 0xbf000000)  /* -0.5: 0 (NX) or out of range (NV) */
  TEST_FP_INT(S, 34, fcvt.l.s, RMM, 0xfffffffffffffffc, FL_NX, 0xc0600000)  /* -3.5 */
  TEST_FP_INT(S, 35, fcvt.lu.s, RMM, 0x0000000000000001, FL_NX, 0x3f400000)  /* 0.75 */
  /* saturation and NV */
  TEST_FP_INT(S, 36, fcvt.w.s, RTZ, 0x000000007fffffff, FL_NV, 0x4f000000)  /* 2^31: too big */
  TEST_FP_INT(S, 37, fcvt.w.s, RTZ, 0xffffffff80000000, 0, 0xcf000000)  /* -2^31: fits */
  TEST_FP_INT(S, 38, fcvt.w.s, RTZ, 0xffffffff80000000, FL_NV, 0xcf000001)  /* below -2^31 */
  TEST_FP_INT(S, 39, fcvt.w.s, RTZ, 0x000000007fffff80, 0, 0x4effffff)  /* largest float below 2^31 */
  TEST_FP_INT(S, 40, fcvt.w.s, RNE, 0x000000007fffffff, FL_NV, 0x7fc00000)  /* NaN -> max */
  TEST_FP_INT(S, 41, fcvt.w.s, RNE, 0x000000007fffffff, FL_NV, 0xffc00000)  /* negative NaN -> max too */
  TEST_FP_INT(S, 42, fcvt.w.s, RNE, 0x000000007fffffff, FL_NV, 0x7f800000)  /* +inf */
  TEST_FP_INT(S, 43, fcvt.w.s, RNE, 0xffffffff80000000, FL_NV, 0xff800000)  /* -inf */
  TEST_FP_INT(S, 44, fcvt.w.s, RNE, 0x0000000000000000, FL_NX, 0x80000001)  /* -subnormal -> 0, NX */
  TEST_FP_INT(S, 45, fcvt.w.s, RDN, 0xffffffffffffffff, FL_NX, 0x80000001)  /* -subnormal -> -1 in rdn */
  TEST_FP_INT(S, 46, fcvt.wu.s, RTZ, 0x0000000000000000, FL_NV, 0xbf800000)  /* -1.0: NV, 0 */
  TEST_FP_INT(S, 47, fcvt.wu.s, RTZ, 0xffffffffffffffff, FL_NV, 0x4f800000)  /* 2^32: NV, all ones */
  TEST_FP_INT(S, 48, fcvt.wu.s, RTZ, 0xffffffffffffff00, 0, 0x4f7fffff)  /* fits: sign-extended 32-bit result */
  TEST_FP_INT(S, 49, fcvt.wu.s, RNE, 0xffffffffffffffff, FL_NV, 0x7f800001)  /* sNaN */
  TEST_FP_INT(S, 50, fcvt.wu.s, RNE, 0x0000000000000000, FL_NV, 0xff800000)  /* -inf: 0 */
  TEST_FP_INT(S, 51, fcvt.wu.s, RNE, 0x0000000000000000, 0, 0x80000000)  /* -0: 0, no flags */
  TEST_FP_INT(S, 52, fcvt.l.s, RTZ, 0x7fffffffffffffff, FL_NV, 0x5f000000)  /* 2^63: too big */
  TEST_FP_INT(S, 53, fcvt.l.s, RTZ, 0x8000000000000000, 0, 0xdf000000)  /* -2^63: fits */
  TEST_FP_INT(S, 54, fcvt.l.s, RTZ, 0x7fffff8000000000, 0, 0x5effffff)
  TEST_FP_INT(S, 55, fcvt.l.s, RNE, 0x7fffffffffffffff, FL_NV, 0x7fc00000)  /* NaN */
  TEST_FP_INT(S, 56, fcvt.l.s, RNE, 0x8000000000000000, FL_NV, 0xff800000)  /* -inf */
  TEST_FP_INT(S, 57, fcvt.lu.s, RTZ, 0xffffffffffffffff, FL_NV, 0x5f800000)  /* 2^64: too big */
  TEST_FP_INT(S, 58, fcvt.lu.s, RTZ, 0xffffff0000000000, 0, 0x5f7fffff)
  TEST_FP_INT(S, 59, fcvt.lu.s, RTZ, 0x0000000000000000, FL_NV, 0xbf800000)  /* -1 */
  TEST_FP_INT(S, 60, fcvt.lu.s, RNE, 0xffffffffffffffff, FL_NV, 0x7fc00000)  /* NaN */
  fsrmi FRM_RUP
  TEST_FP_INT(S, 61, fcvt.w.s, DYN, 0x0000000000000002, FL_NX, 0x3f800001)
  fsrmi FRM_RDN
  TEST_FP_INT(S, 62, fcvt.w.s, DYN, 0xfffffffffffffffe, FL_NX, 0xbf800001)
  /* int -> float: exact and rounded in every mode */
  TEST_INT_FP(S, 63, fcvt.s.w, RNE, 0x00000000, 0, 0x0000000000000000)
  TEST_INT_FP(S, 64, fcvt.s.w, RNE, 0xbf800000, 0, 0xffffffffffffffff)  /* -1 */
  TEST_INT_FP(S, 65, fcvt.s.w, RNE, 0xcf000000, 0, 0x0000000080000000)  /* only the low word counts: -2^31 */
  TEST_INT_FP(S, 66, fcvt.s.wu, RNE, 0x4f800000, FL_NX, 0xffffffffffffffff)  /* 2^32-1 rounds to 2^32 */
  TEST_INT_FP(S, 67, fcvt.s.l, RNE, 0xdf000000, 0, 0x8000000000000000)  /* -2^63 exact */
  TEST_INT_FP(S, 68, fcvt.s.lu, RNE, 0x5f000000, 0, 0x8000000000000000)  /* 2^63 exact */
  TEST_INT_FP(S, 69, fcvt.s.w, RNE, 0x4b800000, FL_NX, 0x0000000001000001)  /* 2^24+1: tie */
  TEST_INT_FP(S, 70, fcvt.s.w, RNE, 0xcb800002, FL_NX, 0xfffffffffefffffd)  /* -(2^24+3): tie */
  TEST_INT_FP(S, 71, fcvt.s.wu, RNE, 0x4f7fffff, FL_NX, 0x00000000ffffff7f)  /* near 2^32 */
  TEST_INT_FP(S, 72, fcvt.s.l, RNE, 0x5f000000, FL_NX, 0x7fffffffffffffff)
  TEST_INT_FP(S, 73, fcvt.s.lu, RNE, 0x5f800000, FL_NX, 0xffffffffffffffff)
  TEST_INT_FP(S, 74, fcvt.s.l, RNE, 0xcb000001, 0, 0xffffffffff7fffff)  /* -(2^23+1): exact */
  TEST_INT_FP(S, 75, fcvt.s.w, RTZ, 0x4b800000, FL_NX, 0x0000000001000001)  /* 2^24+1: tie */
  TEST_INT_FP(S, 76, fcvt.s.w, RTZ, 0xcb800001, FL_NX, 0xfffffffffefffffd)  /* -(2^24+3): tie */
  TEST_INT_FP(S, 77, fcvt.s.wu, RTZ, 0x4f7fffff, FL_NX, 0x00000000ffffff7f)  /* near 2^32 */
  TEST_INT_FP(S, 78, fcvt.s.l, RTZ, 0x5effffff, FL_NX, 0x7fffffffffffffff)
  TEST_INT_FP(S, 79, fcvt.s.lu, RTZ, 0x5f7fffff, FL_NX, 0xffffffffffffffff)
  TEST_INT_FP(S, 80, fcvt.s.l, RTZ, 0xcb000001, 0, 0xffffffffff7fffff)  /* -(2^23+1): exact */
  TEST_INT_FP(S, 81, fcvt.s.w, RDN, 0x4b800000, FL_NX, 0x0000000001000001)  /* 2^24+1: tie */
  TEST_INT_FP(S, 82, fcvt.s.w, RDN, 0xcb800002, FL_NX, 0xfffffffffefffffd)  /* -(2^24+3): tie */
  TEST_INT_FP(S, 83, fcvt.s.wu, RDN, 0x4f7fffff, FL_NX, 0x00000000ffffff7f)  /* near 2^32 */
  TEST_INT_FP(S, 84, fcvt.s.l, RDN, 0x5effffff, FL_NX, 0x7fffffffffffffff)
  TEST_INT_FP(S, 85, fcvt.s.lu, RDN, 0x5f7fffff, FL_NX, 0xffffffffffffffff)
  TEST_INT_FP(S, 86, fcvt.s.l, RDN, 0xcb000001, 0, 0xffffffffff7fffff)  /* -(2^23+1): exact */
  TEST_INT_FP(S, 87, fcvt.s.w, RUP, 0x4b800001, FL_NX, 0x0000000001000001)  /* 2^24+1: tie */
  TEST_INT_FP(S, 88, fcvt.s.w, RUP, 0xcb800001, FL_NX, 0xfffffffffefffffd)  /* -(2^24+3): tie */
  TEST_INT_FP(S, 89, fcvt.s.wu, RUP, 0x4f800000, FL_NX, 0x00000000ffffff7f)  /* near 2^32 */
  TEST_INT_FP(S, 90, fcvt.s.l, RUP, 0x5f000000, FL_NX, 0x7fffffffffffffff)
  TEST_INT_FP(S, 91, fcvt.s.lu, RUP, 0x5f800000, FL_NX, 0xffffffffffffffff)
  TEST_INT_FP(S, 92, fcvt.s.l, RUP, 0xcb000001, 0, 0xffffffffff7fffff)  /* -(2^23+1): exact */
  TEST_INT_FP(S, 93, fcvt.s.w, RMM, 0x4b800001, FL_NX, 0x0000000001000001)  /* 2^24+1: tie */
  TEST_INT_FP(S, 94, fcvt.s.w, RMM, 0xcb800002, FL_NX, 0xfffffffffefffffd)  /* -(2^24+3): tie */
  TEST_INT_FP(S, 95, fcvt.s.wu, RMM, 0x4f7fffff, FL_NX, 0x00000000ffffff7f)  /* near 2^32 */
  TEST_INT_FP(S, 96, fcvt.s.l, RMM, 0x5f000000, FL_NX, 0x7fffffffffffffff)
  TEST_INT_FP(S, 97, fcvt.s.lu, RMM, 0x5f800000, FL_NX, 0xffffffffffffffff)
  TEST_INT_FP(S, 98, fcvt.s.l, RMM, 0xcb000001, 0, 0xffffffffff7fffff)  /* -(2^23+1): exact */
  fsrmi FRM_RTZ
  TEST_INT_FP(S, 99, fcvt.s.l, DYN, 0x4b800001, FL_NX, 0x0000000001000003)
  csrwi frm, 0
TEST_END
