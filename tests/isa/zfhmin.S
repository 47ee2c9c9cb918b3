/* Zfhmin: flh, fsh, fmv.h.x, fmv.x.h and the conversions between half and
 * single / double, with NaN boxing (the 48 upper bits ones), canonical
 * NaNs, rounding modes and flags, including the tininess-after-rounding
 * boundary just below the smallest normal half (2^-14). Known answers from
 * the IEEE 754 binary16 format (Python's struct 'e' for the RNE values). */
#include "isa_test.h"
  .option arch, +zfhmin

/* Half values: fmv.h.x NaN-boxes; a boxed half reads back with 48 ones. */
#define LOAD_H(freg, bits) li t0, bits; fmv.h.x freg, t0
#define CHECK_H(freg, bits) \
  fmv.x.d t0, freg; \
  CHECK(t0, (0xffffffffffff0000 | (bits)))

TEST_BEGIN
  /* half -> single: exact, flags only for signaling NaNs */
  TEST_FP_CVT(H, S, 1, fcvt.s.h, NORM, 0x3f800000, 0, 0x3c00)        /* 1.0 */
  TEST_FP_CVT(H, S, 2, fcvt.s.h, NORM, 0x33800000, 0, 0x0001)        /* 2^-24, subnormal half */
  TEST_FP_CVT(H, S, 3, fcvt.s.h, NORM, 0xff800000, 0, 0xfc00)        /* -inf */
  TEST_FP_CVT(H, S, 4, fcvt.s.h, NORM, 0x3eaaa000, 0, 0x3555)
  TEST_FP_CVT(H, S, 5, fcvt.s.h, NORM, 0x7fc00000, 0, 0x7e01)        /* quiet NaN -> canonical */
  TEST_FP_CVT(H, S, 6, fcvt.s.h, NORM, 0x7fc00000, FL_NV, 0x7c01)    /* signaling NaN */
  TEST_FP_CVT(H, S, 7, fcvt.s.h, NORM, 0x80000000, 0, 0x8000)        /* -0 */
  /* a half that is not NaN-boxed (a boxed single) reads as the canonical NaN */
  TEST_FP_CVT(S, S, 8, fcvt.s.h, NORM, 0x7fc00000, 0, 0x00003c00)
  /* half -> double */
  TEST_FP_CVT(H, D, 9, fcvt.d.h, NORM, 0xc000000000000000, 0, 0xc000)
  TEST_FP_CVT(H, D, 10, fcvt.d.h, NORM, 0x3f10000000000000, 0, 0x0400) /* 2^-14 */
  TEST_FP_CVT(H, D, 11, fcvt.d.h, NORM, 0x7ff8000000000000, FL_NV, 0xfd00)
  TEST_FP_CVT(H, D, 12, fcvt.d.h, NORM, 0x7ff0000000000000, 0, 0x7c00)
  /* single -> half: rounding, overflow, underflow */
  TEST_FP_CVT(S, H, 13, fcvt.h.s, RNE, 0x3c00, 0, 0x3f800000)
  TEST_FP_CVT(S, H, 14, fcvt.h.s, RNE, 0x3c00, FL_NX, 0x3f800001)
  TEST_FP_CVT(S, H, 15, fcvt.h.s, RUP, 0x3c01, FL_NX, 0x3f800001)
  TEST_FP_CVT(S, H, 16, fcvt.h.s, RNE, 0xc248, FL_NX, 0xc0490fdb)    /* -pi */
  TEST_FP_CVT(S, H, 17, fcvt.h.s, RTZ, 0xc248, FL_NX, 0xc0490fdb)
  TEST_FP_CVT(S, H, 18, fcvt.h.s, RDN, 0xc249, FL_NX, 0xc0490fdb)
  TEST_FP_CVT(S, H, 19, fcvt.h.s, RNE, 0x7bff, 0, 0x477fe000)        /* 65504, the largest half */
  TEST_FP_CVT(S, H, 20, fcvt.h.s, RNE, 0x7c00, FL_OF | FL_NX, 0x477ff000) /* 65520 */
  TEST_FP_CVT(S, H, 21, fcvt.h.s, RTZ, 0x7bff, FL_NX, 0x477ff000)    /* truncates to 65504: no OF */
  TEST_FP_CVT(S, H, 22, fcvt.h.s, RNE, 0x03ff, 0, 0x387fc000)        /* exact subnormal: no UF */
  TEST_FP_CVT(S, H, 23, fcvt.h.s, RNE, 0x0000, FL_UF | FL_NX, 0x33000000) /* 2^-25: tie to 0 */
  TEST_FP_CVT(S, H, 24, fcvt.h.s, RUP, 0x0001, FL_UF | FL_NX, 0x33000000)
  TEST_FP_CVT(S, H, 25, fcvt.h.s, RNE, 0x0001, FL_UF | FL_NX, 0x33000001)
  /* 2^-14 (1 - 2^-12) rounds to 2^-14 with an unbounded exponent: not tiny */
  TEST_FP_CVT(S, H, 26, fcvt.h.s, RNE, 0x0400, FL_NX, 0x387ff000)
  /* 2^-14 (1 - 2^-11) is tiny, and rounds up to 2^-14 all the same */
  TEST_FP_CVT(S, H, 27, fcvt.h.s, RNE, 0x0400, FL_UF | FL_NX, 0x387fe000)
  TEST_FP_CVT(S, H, 28, fcvt.h.s, RNE, 0x7e00, 0, 0x7fc00001)        /* NaN -> canonical half NaN */
  TEST_FP_CVT(S, H, 29, fcvt.h.s, RNE, 0x7e00, FL_NV, 0xff800001)
  TEST_FP_CVT(S, H, 30, fcvt.h.s, RNE, 0xfc00, 0, 0xff800000)
  /* double -> half */
  TEST_FP_CVT(D, H, 31, fcvt.h.d, RNE, 0x3555, FL_NX, 0x3fd5555555555555) /* 1/3 */
  TEST_FP_CVT(D, H, 32, fcvt.h.d, RUP, 0x4001, FL_NX, 0x4000000000000001)
  TEST_FP_CVT(D, H, 33, fcvt.h.d, RMM, 0x7c00, FL_OF | FL_NX, 0x4202a05f20000000) /* 1e10 */
  TEST_FP_CVT(D, H, 34, fcvt.h.d, RNE, 0x0000, FL_UF | FL_NX, 0x0000000000000001)
  TEST_FP_CVT(D, H, 35, fcvt.h.d, RDN, 0x8001, FL_UF | FL_NX, 0x8000000000000001)
  TEST_FP_CVT(D, H, 36, fcvt.h.d, RNE, 0x3c00, 0, 0x3ff0000000000000)

  /* fmv.x.h sign-extends the low 16 bits, boxed or not */
  CASE(37); LOAD_H(fa1, 0x8001); fmv.x.h a0, fa1; CHECK(a0, 0xffffffffffff8001)
  CASE(38); LOAD_H(fa1, 0x7bff); fmv.x.h a0, fa1; CHECK(a0, 0x7bff)
  CASE(39); LOAD_D(fa1, 0x123456789abcc000); fmv.x.h a0, fa1; CHECK(a0, 0xffffffffffffc000)
  /* fmv.h.x boxes the low 16 bits of x */
  CASE(40); li a1, 0x12345678; fmv.h.x fa0, a1; CHECK_H(fa0, 0x5678)
  /* flh boxes, fsh stores the low 16 bits only */
  CASE(41)
  la a1, hdata
  flh fa0, 2(a1)
  CHECK_H(fa0, 0xabcd)
  CASE(42)
  LOAD_D(fa1, 0x0123456789ab1357)
  fsh fa1, 4(a1)
  ld a0, 0(a1)
  CHECK(a0, 0x77771357abcd5555)
  /* dynamic rounding mode */
  CASE(43)
  fsrmi FRM_RUP
  LOAD_S(fa1, 0x3f800001)
  fcvt.h.s fa0, fa1, dyn
  CHECK_H(fa0, 0x3c01)
  fsrmi FRM_RNE
TEST_END

  .data
  .align 3
hdata:
  .half 0x5555, 0xabcd, 0x6666, 0x7777
