/* Double-precision conversions: fcvt.{w,wu,l,lu}.d in every mode with
 * saturation and NV at the edges (2^31, -2^31-1, NaN, inf), fcvt.d.{w,wu,l,lu}
 * rounding, fcvt.s.d rounding/overflow/underflow/NaN in every mode, and the
 * always-exact fcvt.d.s. */
#include "isa_test.h"
  .option norvc
TEST_BEGIN
  /* double -> int */
  TEST_FP_INT(D, 1, fcvt.w.d, RNE, 0x0000000000000002, FL_NX, 0x4004000000000000)  /* 2.5 */
  TEST_FP_INT(D, 2, fcvt.w.d, RNE, 0xfffffffffffffffe, FL_NX, 0xc004000000000000)  /* -2.5 */
  TEST_FP_INT(D, 3, fcvt.wu.d, RNE, 0x0000000000000000, FL_NX, 0xbfe0000000000000)  /* -0.5 */
  TEST_FP_INT(D, 4, fcvt.l.d, RNE, 0x0010000000000000, FL_NX, 0x432fffffffffffff)  /* 2^52 - 0.5 */
  TEST_FP_INT(D, 5, fcvt.lu.d, RNE, 0x0000000000000001, FL_NX, 0x3fe8000000000000)  /* 0.75 */
  TEST_FP_INT(D, 6, fcvt.w.d, RTZ, 0x0000000000000002, FL_NX, 0x4004000000000000)  /* 2.5 */
  TEST_FP_INT(D, 7, fcvt.w.d, RTZ, 0xfffffffffffffffe, FL_NX, 0xc004000000000000)  /* -2.5 */
  TEST_FP_INT(D, 8, fcvt.wu.d, RTZ, 0x0000000000000000, FL_NX, 0xbfe0000000000000)  /* -0.5 */
  TEST_FP_INT(D, 9, fcvt.l.d, RTZ, 0x000fffffffffffff, FL_NX, 0x432fffffffffffff)  /* 2^52 - 0.5 */
  TEST_FP_INT(D, 10, fcvt.lu.d, RTZ, 0x0000000000000000, FL_NX, 0x3fe8000000000000)  /* 0.75 */
  TEST_FP_INT(D, 11, fcvt.w.d, RDN, 0x0000000000000002, FL_NX, 0x4004000000000000)  /* 2.5 */
  TEST_FP_INT(D, 12, fcvt.w.d, RDN, 0xfffffffffffffffd, FL_NX, 0xc004000000000000)  /* -2.5 */
  TEST_FP_INT(D, 13, fcvt.wu.d, RDN, 0x0000000000000000, FL_NV, 0xbfe0000000000000)  /* -0.5 */
  TEST_FP_INT(D, 14, fcvt.l.d, RDN, 0x000fffffffffffff, FL_NX, 0x432fffffffffffff)  /* 2^52 - 0.5 */
  TEST_FP_INT(D, 15, fcvt.lu.d, RDN, 0x0000000000000000, FL_NX, 0x3fe8000000000000)  /* 0.75 */
  TEST_FP_INT(D, 16, fcvt.w.d, RUP, 0x0000000000000003, FL_NX, 0x4004000000000000)  /* 2.5 */
  TEST_FP_INT(D, 17, fcvt.w.d, RUP, 0xfffffffffffffffe, FL_NX, 0xc004000000000000)  /* -2.5 */
  TEST_FP_INT(D, 18, fcvt.wu.d, RUP, 0x0000000000000000, FL_NX, 0xbfe0000000000000)  /* -0.5 */
  TEST_FP_INT(D, 19, fcvt.l.d, RUP, 0x0010000000000000, FL_NX, 0x432fffffffffffff)  /* 2^52 - 0.5 */
  TEST_FP_INT(D, 20, fcvt.lu.d, RUP, 0x0000000000000001, FL_NX, 0x3fe8000000000000)  /* 0.75 */
  TEST_FP_INT(D, 21, fcvt.w.d, RMM, 0x0000000000000003, FL_NX, 0x4004000000000000)  /* 2.5 */
  TEST_FP_INT(D, 22, fcvt.w.d, RMM, 0xfffffffffffffffd, FL_NX, 0xc004000000000000)  /* -2.5 */
  TEST_FP_INT(D, 23, fcvt.wu.d, RMM, 0x0000000000000000, FL_NV, 0xbfe0000000000000)  /* -0.5 */
  TEST_FP_INT(D, 24, fcvt.l.d, RMM, 0x0010000000000000, FL_NX, 0x432fffffffffffff)  /* 2^52 - 0.5 */
  TEST_FP_INT(D, 25, fcvt.lu.d, RMM, 0x0000000000000001, FL_NX, 0x3fe8000000000000)  /* 0.75 */
  /* saturation and NV */
  TEST_FP_INT(D, 26, fcvt.w.d, RTZ, 0x000000007fffffff, FL_NV, 0x41e0000000000000)  /* 2^31 */
  TEST_FP_INT(D, 27, fcvt.w.d, RTZ, 0xffffffff80000000, FL_NV, 0xc1e0000000200000)  /* -2^31 - 1 */
  TEST_FP_INT(D, 28, fcvt.w.d, RTZ, 0xffffffff80000000, FL_NX, 0xc1e00000001fffff)  /* -2^31 - 1 + tiny: truncates to -2^31, NX */
  TEST_FP_INT(D, 29, fcvt.w.d, RNE, 0x000000007fffffff, FL_NV, 0x41dfffffffe00000)  /* 2^31 - 0.5 -> ties to even 2^31: NV */
  TEST_FP_INT(D, 30, fcvt.w.d, RTZ, 0x000000007fffffff, 0, 0x41dfffffffc00000)  /* 2^31 - 1 exact */
  TEST_FP_INT(D, 31, fcvt.w.d, RNE, 0x000000007fffffff, FL_NV, 0x7ff8000000000000)  /* NaN */
  TEST_FP_INT(D, 32, fcvt.w.d, RNE, 0x000000007fffffff, FL_NV, 0x7ff0000000000000)  /* +inf */
  TEST_FP_INT(D, 33, fcvt.w.d, RNE, 0xffffffff80000000, FL_NV, 0xfff0000000000000)  /* -inf */
  TEST_FP_INT(D, 34, fcvt.wu.d, RTZ, 0x0000000000000000, FL_NV, 0xbff0000000000000)  /* -1.0 */
  TEST_FP_INT(D, 35, fcvt.wu.d, RTZ, 0xffffffffffffffff, 0, 0x41efffffffe00000)  /* 2^32 - 1 exact: sign-extended */
  TEST_FP_INT(D, 36, fcvt.wu.d, RTZ, 0xffffffffffffffff, FL_NV, 0x41f0000000000000)  /* 2^32 */
  TEST_FP_INT(D, 37, fcvt.wu.d, RNE, 0xffffffffffffffff, FL_NV, 0x7ff0000000000001)  /* sNaN */
  TEST_FP_INT(D, 38, fcvt.l.d, RTZ, 0x7fffffffffffffff, FL_NV, 0x43e0000000000000)  /* 2^63 */
  TEST_FP_INT(D, 39, fcvt.l.d, RTZ, 0x8000000000000000, 0, 0xc3e0000000000000)  /* -2^63 */
  TEST_FP_INT(D, 40, fcvt.l.d, RTZ, 0x8000000000000000, FL_NV, 0xc3e0000000000001)  /* below -2^63 */
  TEST_FP_INT(D, 41, fcvt.l.d, RNE, 0x7fffffffffffffff, FL_NV, 0xfff8000000000000)  /* NaN */
  TEST_FP_INT(D, 42, fcvt.lu.d, RTZ, 0xffffffffffffffff, FL_NV, 0x43f0000000000000)  /* 2^64 */
  TEST_FP_INT(D, 43, fcvt.lu.d, RTZ, 0xfffffffffffff800, 0, 0x43efffffffffffff)
  TEST_FP_INT(D, 44, fcvt.lu.d, RTZ, 0x0000000000000000, FL_NV, 0xbff0000000000000)  /* -1 */
  TEST_FP_INT(D, 45, fcvt.lu.d, RTZ, 0x0000000000000000, FL_NX, 0xbfefffffffffffff)  /* -0.99..: 0, NX */
  TEST_FP_INT(D, 46, fcvt.lu.d, RNE, 0x0000000000000000, FL_NV, 0xfff0000000000000)  /* -inf */
  fsrmi FRM_RMM
  TEST_FP_INT(D, 47, fcvt.l.d, DYN, 0xfffffffffffffffd, FL_NX, 0xc004000000000000)
  /* int -> double */
  TEST_INT_FP(D, 48, fcvt.d.w, NORM, 0xc1e0000000000000, 0, 0x0000000080000000)  /* low word: -2^31 */
  TEST_INT_FP(D, 49, fcvt.d.wu, NORM, 0x41efffffffe00000, 0, 0xffffffffffffffff)  /* 2^32-1 exact */
  TEST_INT_FP(D, 50, fcvt.d.l, RNE, 0xc3e0000000000000, 0, 0x8000000000000000)
  TEST_INT_FP(D, 51, fcvt.d.lu, RNE, 0x43f0000000000000, FL_NX, 0xffffffffffffffff)  /* rounds to 2^64 */
  TEST_INT_FP(D, 52, fcvt.d.l, RNE, 0x4340000000000000, FL_NX, 0x0020000000000001)  /* 2^53+1: tie */
  TEST_INT_FP(D, 53, fcvt.d.l, RNE, 0xc340000000000002, FL_NX, 0xffdffffffffffffd)  /* -(2^53+3): tie */
  TEST_INT_FP(D, 54, fcvt.d.lu, RNE, 0x43efffffffffffff, FL_NX, 0xfffffffffffffbff)
  TEST_INT_FP(D, 55, fcvt.d.l, RNE, 0x43e0000000000000, FL_NX, 0x7fffffffffffffff)
  TEST_INT_FP(D, 56, fcvt.d.l, RTZ, 0x4340000000000000, FL_NX, 0x0020000000000001)  /* 2^53+1: tie */
  TEST_INT_FP(D, 57, fcvt.d.l, RTZ, 0xc340000000000001, FL_NX, 0xffdffffffffffffd)  /* -(2^53+3): tie */
  TEST_INT_FP(D, 58, fcvt.d.lu, RTZ, 0x43efffffffffffff, FL_NX, 0xfffffffffffffbff)
  TEST_INT_FP(D, 59, fcvt.d.l, RTZ, 0x43dfffffffffffff, FL_NX, 0x7fffffffffffffff)
  TEST_INT_FP(D, 60, fcvt.d.l, RDN, 0x4340000000000000, FL_NX, 0x0020000000000001)  /* 2^53+1: tie */
  TEST_INT_FP(D, 61, fcvt.d.l, RDN, 0xc340000000000002, FL_NX, 0xffdffffffffffffd)  /* -(2^53+3): tie */
  TEST_INT_FP(D, 62, fcvt.d.lu, RDN, 0x43efffffffffffff, FL_NX, 0xfffffffffffffbff)
  TEST_INT_FP(D, 63, fcvt.d.l, RDN, 0x43dfffffffffffff, FL_NX, 0x7fffffffffffffff)
  TEST_INT_FP(D, 64, fcvt.d.l, RUP, 0x4340000000000001, FL_NX, 0x0020000000000001)  /* 2^53+1: tie */
  TEST_INT_FP(D, 65, fcvt.d.l, RUP, 0xc340000000000001, FL_NX, 0xffdffffffffffffd)  /* -(2^53+3): tie */
  TEST_INT_FP(D, 66, fcvt.d.lu, RUP, 0x43f0000000000000, FL_NX, 0xfffffffffffffbff)
  TEST_INT_FP(D, 67, fcvt.d.l, RUP, 0x43e0000000000000, FL_NX, 0x7fffffffffffffff)
  TEST_INT_FP(D, 68, fcvt.d.l, RMM, 0x4340000000000001, FL_NX, 0x0020000000000001)  /* 2^53+1: tie */
  TEST_INT_FP(D, 69, fcvt.d.l, RMM, 0xc340000000000002, FL_NX, 0xffdffffffffffffd)  /* -(2^53+3): tie */
  TEST_INT_FP(D, 70, fcvt.d.lu, RMM, 0x43efffffffffffff, FL_NX, 0xfffffffffffffbff)
  TEST_INT_FP(D, 71, fcvt.d.l, RMM, 0x43e0000000000000, FL_NX, 0x7fffffffffffffff)
  fsrmi FRM_RUP
  TEST_INT_FP(D, 72, fcvt.d.lu, DYN, 0x4340000000000001, FL_NX, 0x0020000000000001)
  /* double -> single: rounding, overflow, underflow, NaN */
  TEST_FP_CVT(D, S, 73, fcvt.s.d, RNE, 0x3f800000, FL_NX, 0x3ff0000010000000)  /* 1 + 2^-24: tie */
  TEST_FP_CVT(D, S, 74, fcvt.s.d, RNE, 0xbf800002, FL_NX, 0xbff0000030000000)  /* -(1 + 3*2^-24): tie */
  TEST_FP_CVT(D, S, 75, fcvt.s.d, RNE, 0x3eaaaaab, FL_NX, 0x3fd5555555555555)  /* 1/3 */
  TEST_FP_CVT(D, S, 76, fcvt.s.d, RNE, 0x7f800000, FL_OF|FL_NX, 0x47f0000000000000)  /* 2^128: overflow */
  TEST_FP_CVT(D, S, 77, fcvt.s.d, RNE, 0x00000000, FL_UF|FL_NX, 0x3690000000000000)  /* 2^-150: underflow */
  TEST_FP_CVT(D, S, 78, fcvt.s.d, RTZ, 0x3f800000, FL_NX, 0x3ff0000010000000)  /* 1 + 2^-24: tie */
  TEST_FP_CVT(D, S, 79, fcvt.s.d, RTZ, 0xbf800001, FL_NX, 0xbff0000030000000)  /* -(1 + 3*2^-24): tie */
  TEST_FP_CVT(D, S, 80, fcvt.s.d, RTZ, 0x3eaaaaaa, FL_NX, 0x3fd5555555555555)  /* 1/3 */
  TEST_FP_CVT(D, S, 81, fcvt.s.d, RTZ, 0x7f7fffff, FL_OF|FL_NX, 0x47f0000000000000)  /* 2^128: overflow */
  TEST_FP_CVT(D, S, 82, fcvt.s.d, RTZ, 0x00000000, FL_UF|FL_NX, 0x3690000000000000)  /* 2^-150: underflow */
  TEST_FP_CVT(D, S, 83, fcvt.s.d, RDN, 0x3f800000, FL_NX, 0x3ff0000010000000)  /* 1 + 2^-24: tie */
  TEST_FP_CVT(D, S, 84, fcvt.s.d, RDN, 0xbf800002, FL_NX, 0xbff0000030000000)  /* -(1 + 3*2^-24): tie */
  TEST_FP_CVT(D, S, 85, fcvt.s.d, RDN, 0x3eaaaaaa, FL_NX, 0x3fd5555555555555)  /* 1/3 */
  TEST_FP_CVT(D, S, 86, fcvt.s.d, RDN, 0x7f7fffff, FL_OF|FL_NX, 0x47f0000000000000)  /* 2^128: overflow */
  TEST_FP_CVT(D, S, 87, fcvt.s.d, RDN, 0x00000000, FL_UF|FL_NX, 0x3690000000000000)  /* 2^-150: underflow */
  TEST_FP_CVT(D, S, 88, fcvt.s.d, RUP, 0x3f800001, FL_NX, 0x3ff0000010000000)  /* 1 + 2^-24: tie */
  TEST_FP_CVT(D, S, 89, fcvt.s.d, RUP, 0xbf800001, FL_NX, 0xbff0000030000000)  /* -(1 + 3*2^-24): tie */
  TEST_FP_CVT(D, S, 90, fcvt.s.d, RUP, 0x3eaaaaab, FL_NX, 0x3fd5555555555555)  /* 1/3 */
  TEST_FP_CVT(D, S, 91, fcvt.s.d, RUP, 0x7f800000, FL_OF|FL_NX, 0x47f0000000000000)  /* 2^128: overflow */
  TEST_FP_CVT(D, S, 92, fcvt.s.d, RUP, 0x00000001, FL_UF|FL_NX, 0x3690000000000000)  /* 2^-150: underflow */
  TEST_FP_CVT(D, S, 93, fcvt.s.d, RMM, 0x3f800001, FL_NX, 0x3ff0000010000000)  /* 1 + 2^-24: tie */
  TEST_FP_CVT(D, S, 94, fcvt.s.d, RMM, 0xbf800002, FL_NX, 0xbff0000030000000)  /* -(1 + 3*2^-24): tie */
  TEST_FP_CVT(D, S, 95, fcvt.s.d, RMM, 0x3eaaaaab, FL_NX, 0x3fd5555555555555)  /* 1/3 */
  TEST_FP_CVT(D, S, 96, fcvt.s.d, RMM, 0x7f800000, FL_OF|FL_NX, 0x47f0000000000000)  /* 2^128: overflow */
  TEST_FP_CVT(D, S, 97, fcvt.s.d, RMM, 0x00000001, FL_UF|FL_NX, 0x3690000000000000)  /* 2^-150: underflow */
  TEST_FP_CVT(D, S, 98, fcvt.s.d, RNE, 0x7f7fffff, FL_NX, 0x47efffffefffffff)  /* just below the overflow threshold */
  TEST_FP_CVT(D, S, 99, fcvt.s.d, RNE, 0x7f7ffff8, 0, 0x47efffff00000000)  /* max single exact */
  TEST_FP_CVT(D, S, 100, fcvt.s.d, RNE, 0x00800000, FL_UF|FL_NX, 0x380fffffe0000000)  /* rounds up to min normal single */
  TEST_FP_CVT(D, S, 101, fcvt.s.d, RNE, 0x00000001, 0, 0x36a0000000000000)  /* 2^-149 exact min subnormal */
  TEST_FP_CVT(D, S, 102, fcvt.s.d, RNE, 0x80000000, FL_UF|FL_NX, 0x8000000000000001)  /* -tiny -> -0, UF|NX */
  TEST_FP_CVT(D, S, 103, fcvt.s.d, RNE, 0x7fc00000, 0, 0x7ff8000000012345)  /* qNaN: canonical */
  TEST_FP_CVT(D, S, 104, fcvt.s.d, RNE, 0x7fc00000, FL_NV, 0x7ff0000000000001)  /* sNaN: canonical, NV */
  TEST_FP_CVT(D, S, 105, fcvt.s.d, RNE, 0xff800000, 0, 0xfff0000000000000)  /* -inf */
  TEST_FP_CVT(D, S, 106, fcvt.s.d, RNE, 0x80000000, 0, 0x8000000000000000)  /* -0 */
  fsrmi FRM_RUP
  TEST_FP_CVT(D, S, 107, fcvt.s.d, DYN, 0x3eaaaaab, FL_NX, 0x3fd5555555555555)
  /* single -> double: always exact */
  TEST_FP_CVT(S, D, 108, fcvt.d.s, NORM, 0x3fd5555560000000, 0, 0x3eaaaaab)  /* 1/3f */
  TEST_FP_CVT(S, D, 109, fcvt.d.s, NORM, 0x36a0000000000000, 0, 0x00000001)  /* min subnormal becomes normal */
  TEST_FP_CVT(S, D, 110, fcvt.d.s, NORM, 0xfff0000000000000, 0, 0xff800000)
  TEST_FP_CVT(S, D, 111, fcvt.d.s, NORM, 0x7ff8000000000000, 0, 0x7fc12345)  /* qNaN: canonical */
  TEST_FP_CVT(S, D, 112, fcvt.d.s, NORM, 0x7ff8000000000000, FL_NV, 0x7f800001)  /* sNaN: canonical, NV */
  TEST_FP_CVT(S, D, 113, fcvt.d.s, NORM, 0x8000000000000000, 0, 0x80000000)
  csrwi frm, 0
TEST_END
