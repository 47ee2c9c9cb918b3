/* F arithmetic (fadd/fsub/fmul/fdiv/fsqrt.s) with known answers: every
 * static rounding mode and the dynamic one (frm) on ties and near-ties,
 * exact fflags after each op, signed zeros, canonical NaN results, sNaN ->
 * NV, division by zero, overflow, underflow and subnormal results.  Every
 * single result is also checked to be NaN-boxed. */
#include "isa_test.h"
  .option norvc
TEST_BEGIN
  /* exact results, no flags */
  TEST_FP_OP2(S, 1, fadd.s, RNE, 0x40400000, 0, 0x3f800000, 0x40000000)  /* 1 + 2 = 3 */
  TEST_FP_OP2(S, 2, fsub.s, RNE, 0x40000000, 0, 0x40400000, 0x3f800000)  /* 3 - 1 = 2 */
  TEST_FP_OP2(S, 3, fmul.s, RNE, 0xbfc00000, 0, 0x40400000, 0xbf000000)  /* 3 * -0.5 */
  TEST_FP_OP2(S, 4, fdiv.s, RNE, 0x3fc00000, 0, 0x40400000, 0x40000000)  /* 3 / 2 */
  TEST_FP_OP1(S, 5, fsqrt.s, RNE, 0x40000000, 0, 0x40800000)  /* sqrt 4 */
  /* ties and near-ties in every static rounding mode */
  TEST_FP_OP2(S, 6, fadd.s, RNE, 0x3f800000, FL_NX, 0x3f800000, 0x33800000)  /* 1 + 2^-24: tie, even is down */
  TEST_FP_OP2(S, 7, fadd.s, RNE, 0x3f800002, FL_NX, 0x3f800001, 0x33800000)  /* tie, even is up */
  TEST_FP_OP2(S, 8, fadd.s, RNE, 0xbf800000, FL_NX, 0xbf800000, 0xb3800000)  /* negative tie */
  TEST_FP_OP2(S, 9, fadd.s, RNE, 0x3f800001, FL_NX, 0x3f800000, 0x33800001)  /* just above the tie */
  TEST_FP_OP2(S, 10, fadd.s, RNE, 0x3f800000, FL_NX, 0x3f800000, 0x337fffff)  /* just below the tie */
  TEST_FP_OP2(S, 11, fsub.s, RNE, 0x3f800000, FL_NX, 0x3f800000, 0x33000000)  /* 1 - 2^-25 */
  TEST_FP_OP2(S, 12, fmul.s, RNE, 0x3f800002, FL_NX, 0x3f800001, 0x3f800001)  /* (1+u)^2: 1 + 2u + u^2 */
  TEST_FP_OP2(S, 13, fmul.s, RNE, 0xbfc00003, FL_NX, 0xbfc00001, 0x3f800001)  /* negative product, inexact */
  TEST_FP_OP2(S, 14, fdiv.s, RNE, 0x3eaaaaab, FL_NX, 0x3f800000, 0x40400000)  /* 1/3 */
  TEST_FP_OP2(S, 15, fdiv.s, RNE, 0xbf2aaaab, FL_NX, 0xc0000000, 0x40400000)  /* -2/3 */
  TEST_FP_OP1(S, 16, fsqrt.s, RNE, 0x3fb504f3, FL_NX, 0x40000000)  /* sqrt 2 */
  TEST_FP_OP1(S, 17, fsqrt.s, RNE, 0x3f800000, FL_NX, 0x3f800001)  /* sqrt(1+u) */
  TEST_FP_OP2(S, 18, fadd.s, RTZ, 0x3f800000, FL_NX, 0x3f800000, 0x33800000)  /* 1 + 2^-24: tie, even is down */
  TEST_FP_OP2(S, 19, fadd.s, RTZ, 0x3f800001, FL_NX, 0x3f800001, 0x33800000)  /* tie, even is up */
  TEST_FP_OP2(S, 20, fadd.s, RTZ, 0xbf800000, FL_NX, 0xbf800000, 0xb3800000)  /* negative tie */
  TEST_FP_OP2(S, 21, fadd.s, RTZ, 0x3f800000, FL_NX, 0x3f800000, 0x33800001)  /* just above the tie */
  TEST_FP_OP2(S, 22, fadd.s, RTZ, 0x3f800000, FL_NX, 0x3f800000, 0x337fffff)  /* just below the tie */
  TEST_FP_OP2(S, 23, fsub.s, RTZ, 0x3f7fffff, FL_NX, 0x3f800000, 0x33000000)  /* 1 - 2^-25 */
  TEST_FP_OP2(S, 24, fmul.s, RTZ, 0x3f800002, FL_NX, 0x3f800001, 0x3f800001)  /* (1+u)^2: 1 + 2u + u^2 */
  TEST_FP_OP2(S, 25, fmul.s, RTZ, 0xbfc00002, FL_NX, 0xbfc00001, 0x3f800001)  /* negative product, inexact */
  TEST_FP_OP2(S, 26, fdiv.s, RTZ, 0x3eaaaaaa, FL_NX, 0x3f800000, 0x40400000)  /* 1/3 */
  TEST_FP_OP2(S, 27, fdiv.s, RTZ, 0xbf2aaaaa, FL_NX, 0xc0000000, 0x40400000)  /* -2/3 */
  TEST_FP_OP1(S, 28, fsqrt.s, RTZ, 0x3fb504f3, FL_NX, 0x40000000)  /* sqrt 2 */
  TEST_FP_OP1(S, 29, fsqrt.s, RTZ, 0x3f800000, FL_NX, 0x3f800001)  /* sqrt(1+u) */
  TEST_FP_OP2(S, 30, fadd.s, RDN, 0x3f800000, FL_NX, 0x3f800000, 0x33800000)  /* 1 + 2^-24: tie, even is down */
  TEST_FP_OP2(S, 31, fadd.s, RDN, 0x3f800001, FL_NX, 0x3f800001, 0x33800000)  /* tie, even is up */
  TEST_FP_OP2(S, 32, fadd.s, RDN, 0xbf800001, FL_NX, 0xbf800000, 0xb3800000)  /* negative tie */
  TEST_FP_OP2(S, 33, fadd.s, RDN, 0x3f800000, FL_NX, 0x3f800000, 0x33800001)  /* just above the tie */
  TEST_FP_OP2(S, 34, fadd.s, RDN, 0x3f800000, FL_NX, 0x3f800000, 0x337fffff)  /* just below the tie */
  TEST_FP_OP2(S, 35, fsub.s, RDN, 0x3f7fffff, FL_NX, 0x3f800000, 0x33000000)  /* 1 - 2^-25 */
  TEST_FP_OP2(S, 36, fmul.s, RDN, 0x3f800002, FL_NX, 0x3f800001, 0x3f800001)  /* (1+u)^2: 1 + 2u + u^2 */
  TEST_FP_OP2(S, 37, fmul.s, RDN, 0xbfc00003, FL_NX, 0xbfc00001, 0x3f800001)  /* negative product, inexact */
  TEST_FP_OP2(S, 38, fdiv.s, RDN, 0x3eaaaaaa, FL_NX, 0x3f800000, 0x40400000)  /* 1/3 */
  TEST_FP_OP2(S, 39, fdiv.s, RDN, 0xbf2aaaab, FL_NX, 0xc0000000, 0x40400000)  /* -2/3 */
  TEST_FP_OP1(S, 40, fsqrt.s, RDN, 0x3fb504f3, FL_NX, 0x40000000)  /* sqrt 2 */
  TEST_FP_OP1(S, 41, fsqrt.s, RDN, 0x3f800000, FL_NX, 0x3f800001)  /* sqrt(1+u) */
  TEST_FP_OP2(S, 42, fadd.s, RUP, 0x3f800001, FL_NX, 0x3f800000, 0x33800000)  /* 1 + 2^-24: tie, even is down */
  TEST_FP_OP2(S, 43, fadd.s, RUP, 0x3f800002, FL_NX, 0x3f800001, 0x33800000)  /* tie, even is up */
  TEST_FP_OP2(S, 44, fadd.s, RUP, 0xbf800000, FL_NX, 0xbf800000, 0xb3800000)  /* negative tie */
  TEST_FP_OP2(S, 45, fadd.s, RUP, 0x3f800001, FL_NX, 0x3f800000, 0x33800001)  /* just above the tie */
  TEST_FP_OP2(S, 46, fadd.s, RUP, 0x3f800001, FL_NX, 0x3f800000, 0x337fffff)  /* just below the tie */
  TEST_FP_OP2(S, 47, fsub.s, RUP, 0x3f800000, FL_NX, 0x3f800000, 0x33000000)  /* 1 - 2^-25 */
  TEST_FP_OP2(S, 48, fmul.s, RUP, 0x3f800003, FL_NX, 0x3f800001, 0x3f800001)  /* (1+u)^2: 1 + 2u + u^2 */
  TEST_FP_OP2(S, 49, fmul.s, RUP, 0xbfc00002, FL_NX, 0xbfc00001, 0x3f800001)  /* negative product, inexact */
  TEST_FP_OP2(S, 50, fdiv.s, RUP, 0x3eaaaaab, FL_NX, 0x3f800000, 0x40400000)  /* 1/3 */
  TEST_FP_OP2(S, 51, fdiv.s, RUP, 0xbf2aaaaa, FL_NX, 0xc0000000, 0x40400000)  /* -2/3 */
  TEST_FP_OP1(S, 52, fsqrt.s, RUP, 0x3fb504f4, FL_NX, 0x40000000)  /* sqrt 2 */
  TEST_FP_OP1(S, 53, fsqrt.s, RUP, 0x3f800001, FL_NX, 0x3f800001)  /* sqrt(1+u) */
  TEST_FP_OP2(S, 54, fadd.s, RMM, 0x3f800001, FL_NX, 0x3f800000, 0x33800000)  /* 1 + 2^-24: tie, even is down */
  TEST_FP_OP2(S, 55, fadd.s, RMM, 0x3f800002, FL_NX, 0x3f800001, 0x33800000)  /* tie, even is up */
  TEST_FP_OP2(S, 56, fadd.s, RMM, 0xbf800001, FL_NX, 0xbf800000, 0xb3800000)  /* negative tie */
  TEST_FP_OP2(S, 57, fadd.s, RMM, 0x3f800001, FL_NX, 0x3f800000, 0x33800001)  /* just above the tie */
  TEST_FP_OP2(S, 58, fadd.s, RMM, 0x3f800000, FL_NX, 0x3f800000, 0x337fffff)  /* just below the tie */
  TEST_FP_OP2(S, 59, fsub.s, RMM, 0x3f800000, FL_NX, 0x3f800000, 0x33000000)  /* 1 - 2^-25 */
  TEST_FP_OP2(S, 60, fmul.s, RMM, 0x3f800002, FL_NX, 0x3f800001, 0x3f800001)  /* (1+u)^2: 1 + 2u + u^2 */
  TEST_FP_OP2(S, 61, fmul.s, RMM, 0xbfc00003, FL_NX, 0xbfc00001, 0x3f800001)  /* negative product, inexact */
  TEST_FP_OP2(S, 62, fdiv.s, RMM, 0x3eaaaaab, FL_NX, 0x3f800000, 0x40400000)  /* 1/3 */
  TEST_FP_OP2(S, 63, fdiv.s, RMM, 0xbf2aaaab, FL_NX, 0xc0000000, 0x40400000)  /* -2/3 */
  TEST_FP_OP1(S, 64, fsqrt.s, RMM, 0x3fb504f3, FL_NX, 0x40000000)  /* sqrt 2 */
  TEST_FP_OP1(S, 65, fsqrt.s, RMM, 0x3f800000, FL_NX, 0x3f800001)  /* sqrt(1+u) */
  /* dynamic rounding mode from frm */
  fsrmi FRM_RNE
  TEST_FP_OP2(S, 66, fadd.s, DYN, 0x3f800002, FL_NX, 0x3f800001, 0x33800000)
  fsrmi FRM_RNE
  TEST_FP_OP2(S, 67, fdiv.s, DYN, 0xbeaaaaab, FL_NX, 0xbf800000, 0x40400000)
  fsrmi FRM_RTZ
  TEST_FP_OP2(S, 68, fadd.s, DYN, 0x3f800001, FL_NX, 0x3f800001, 0x33800000)
  fsrmi FRM_RTZ
  TEST_FP_OP2(S, 69, fdiv.s, DYN, 0xbeaaaaaa, FL_NX, 0xbf800000, 0x40400000)
  fsrmi FRM_RDN
  TEST_FP_OP2(S, 70, fadd.s, DYN, 0x3f800001, FL_NX, 0x3f800001, 0x33800000)
  fsrmi FRM_RDN
  TEST_FP_OP2(S, 71, fdiv.s, DYN, 0xbeaaaaab, FL_NX, 0xbf800000, 0x40400000)
  fsrmi FRM_RUP
  TEST_FP_OP2(S, 72, fadd.s, DYN, 0x3f800002, FL_NX, 0x3f800001, 0x33800000)
  fsrmi FRM_RUP
  TEST_FP_OP2(S, 73, fdiv.s, DYN, 0xbeaaaaaa, FL_NX, 0xbf800000, 0x40400000)
  fsrmi FRM_RMM
  TEST_FP_OP2(S, 74, fadd.s, DYN, 0x3f800002, FL_NX, 0x3f800001, 0x33800000)
  fsrmi FRM_RMM
  TEST_FP_OP2(S, 75, fdiv.s, DYN, 0xbeaaaaab, FL_NX, 0xbf800000, 0x40400000)
  /* exact zero: sign depends on the mode */
  TEST_FP_OP2(S, 76, fsub.s, RNE, 0x00000000, 0, 0x3f800000, 0x3f800000)  /* 1 - 1 = +0 */
  TEST_FP_OP2(S, 77, fsub.s, RDN, 0x80000000, 0, 0x3f800000, 0x3f800000)  /* 1 - 1 = -0 in rdn */
  TEST_FP_OP2(S, 78, fadd.s, RNE, 0x80000000, 0, 0x80000000, 0x80000000)  /* -0 + -0 = -0 */
  TEST_FP_OP2(S, 79, fadd.s, RNE, 0x00000000, 0, 0x80000000, 0x00000000)  /* -0 + +0 = +0 */
  TEST_FP_OP2(S, 80, fadd.s, RDN, 0x80000000, 0, 0x80000000, 0x00000000)  /* -0 + +0 = -0 in rdn */
  TEST_FP_OP2(S, 81, fmul.s, RNE, 0x80000000, 0, 0x80000000, 0x40000000)  /* -0 * 2 */
  /* invalid operations give the canonical NaN */
  TEST_FP_OP2(S, 82, fsub.s, RNE, 0x7fc00000, FL_NV, 0x7f800000, 0x7f800000)  /* inf - inf */
  TEST_FP_OP2(S, 83, fadd.s, RNE, 0x7fc00000, FL_NV, 0xff800000, 0x7f800000)  /* -inf + inf */
  TEST_FP_OP2(S, 84, fmul.s, RNE, 0x7fc00000, FL_NV, 0x7f800000, 0x00000000)  /* inf * 0 */
  TEST_FP_OP2(S, 85, fdiv.s, RNE, 0x7fc00000, FL_NV, 0x00000000, 0x00000000)  /* 0 / 0 */
  TEST_FP_OP2(S, 86, fdiv.s, RNE, 0x7fc00000, FL_NV, 0x7f800000, 0xff800000)  /* inf / inf */
  TEST_FP_OP1(S, 87, fsqrt.s, RNE, 0x7fc00000, FL_NV, 0xbf800000)  /* sqrt(-1) */
  TEST_FP_OP1(S, 88, fsqrt.s, RNE, 0x7fc00000, FL_NV, 0xff800000)  /* sqrt(-inf) */
  TEST_FP_OP1(S, 89, fsqrt.s, RNE, 0x80000000, 0, 0x80000000)  /* sqrt(-0) = -0 */
  TEST_FP_OP1(S, 90, fsqrt.s, RNE, 0x7f800000, 0, 0x7f800000)  /* sqrt(inf) = inf */
  /* NaN operands: quiet NaNs propagate silently as the canonical NaN, signalling ones raise NV */
  TEST_FP_OP2(S, 91, fadd.s, RNE, 0x7fc00000, 0, 0x7fc12345, 0x3f800000)  /* qNaN payload dropped */
  TEST_FP_OP2(S, 92, fadd.s, RNE, 0x7fc00000, 0, 0xffc00000, 0x3f800000)  /* negative qNaN */
  TEST_FP_OP2(S, 93, fadd.s, RNE, 0x7fc00000, FL_NV, 0x7f800001, 0x3f800000)  /* sNaN */
  TEST_FP_OP2(S, 94, fmul.s, RNE, 0x7fc00000, FL_NV, 0x3f800000, 0xff812345)  /* sNaN second */
  TEST_FP_OP2(S, 95, fdiv.s, RNE, 0x7fc00000, 0, 0x7fc00000, 0x00000000)  /* qNaN / 0: no DZ */
  TEST_FP_OP1(S, 96, fsqrt.s, RNE, 0x7fc00000, FL_NV, 0x7f800001)  /* sqrt sNaN */
  TEST_FP_OP1(S, 97, fsqrt.s, RNE, 0x7fc00000, 0, 0x7fc00000)  /* sqrt qNaN */
  /* division by zero */
  TEST_FP_OP2(S, 98, fdiv.s, RNE, 0x7f800000, FL_DZ, 0x3f800000, 0x00000000)  /* 1/+0 = +inf */
  TEST_FP_OP2(S, 99, fdiv.s, RNE, 0xff800000, FL_DZ, 0x3f800000, 0x80000000)  /* 1/-0 = -inf */
  TEST_FP_OP2(S, 100, fdiv.s, RTZ, 0xff800000, FL_DZ, 0xc0000000, 0x00000000)  /* -2/+0 = -inf */
  TEST_FP_OP2(S, 101, fdiv.s, RNE, 0x7f800000, 0, 0x7f800000, 0x00000000)  /* inf/0 = inf, no DZ */
  TEST_FP_OP2(S, 102, fdiv.s, RNE, 0x00000000, 0, 0x3f800000, 0x7f800000)  /* 1/inf = 0 */
  /* overflow: result per mode (inf or max finite), OF|NX */
  TEST_FP_OP2(S, 103, fmul.s, RNE, 0x7f800000, FL_OF|FL_NX, 0x7f7fffff, 0x40000000)  /* max * 2 */
  TEST_FP_OP2(S, 104, fmul.s, RNE, 0xff800000, FL_OF|FL_NX, 0xff7fffff, 0x40000000)  /* -max * 2 */
  TEST_FP_OP2(S, 105, fmul.s, RTZ, 0x7f7fffff, FL_OF|FL_NX, 0x7f7fffff, 0x40000000)  /* max * 2 */
  TEST_FP_OP2(S, 106, fmul.s, RTZ, 0xff7fffff, FL_OF|FL_NX, 0xff7fffff, 0x40000000)  /* -max * 2 */
  TEST_FP_OP2(S, 107, fmul.s, RDN, 0x7f7fffff, FL_OF|FL_NX, 0x7f7fffff, 0x40000000)  /* max * 2 */
  TEST_FP_OP2(S, 108, fmul.s, RDN, 0xff800000, FL_OF|FL_NX, 0xff7fffff, 0x40000000)  /* -max * 2 */
  TEST_FP_OP2(S, 109, fmul.s, RUP, 0x7f800000, FL_OF|FL_NX, 0x7f7fffff, 0x40000000)  /* max * 2 */
  TEST_FP_OP2(S, 110, fmul.s, RUP, 0xff7fffff, FL_OF|FL_NX, 0xff7fffff, 0x40000000)  /* -max * 2 */
  TEST_FP_OP2(S, 111, fmul.s, RMM, 0x7f800000, FL_OF|FL_NX, 0x7f7fffff, 0x40000000)  /* max * 2 */
  TEST_FP_OP2(S, 112, fmul.s, RMM, 0xff800000, FL_OF|FL_NX, 0xff7fffff, 0x40000000)  /* -max * 2 */
  TEST_FP_OP2(S, 113, fadd.s, RNE, 0x7f800000, FL_OF|FL_NX, 0x7f7fffff, 0x73000000)  /* max + half ulp: ties to even = inf */
  TEST_FP_OP2(S, 114, fadd.s, RNE, 0x7f7fffff, FL_NX, 0x7f7fffff, 0x72ffffff)  /* max + just under half ulp: max, NX only */
  /* underflow and subnormal results */
  TEST_FP_OP2(S, 115, fmul.s, RNE, 0x00400000, 0, 0x00800000, 0x3f000000)  /* min normal / 2: exact subnormal, no UF */
  TEST_FP_OP2(S, 116, fmul.s, RNE, 0x00000002, FL_UF|FL_NX, 0x00000003, 0x3f000000)  /* 3 * 2^-150: inexact subnormal tie */
  TEST_FP_OP2(S, 117, fmul.s, RNE, 0x00800000, FL_NX, 0x00800001, 0x3f7fffff)  /* just under min normal */
  TEST_FP_OP2(S, 118, fmul.s, RTZ, 0x00400000, 0, 0x00800000, 0x3f000000)  /* min normal / 2: exact subnormal, no UF */
  TEST_FP_OP2(S, 119, fmul.s, RTZ, 0x00000001, FL_UF|FL_NX, 0x00000003, 0x3f000000)  /* 3 * 2^-150: inexact subnormal tie */
  TEST_FP_OP2(S, 120, fmul.s, RTZ, 0x00800000, FL_NX, 0x00800001, 0x3f7fffff)  /* just under min normal */
  TEST_FP_OP2(S, 121, fmul.s, RDN, 0x00400000, 0, 0x00800000, 0x3f000000)  /* min normal / 2: exact subnormal, no UF */
  TEST_FP_OP2(S, 122, fmul.s, RDN, 0x00000001, FL_UF|FL_NX, 0x00000003, 0x3f000000)  /* 3 * 2^-150: inexact subnormal tie */
  TEST_FP_OP2(S, 123, fmul.s, RDN, 0x00800000, FL_NX, 0x00800001, 0x3f7fffff)  /* just under min normal */
  TEST_FP_OP2(S, 124, fmul.s, RUP, 0x00400000, 0, 0x00800000, 0x3f000000)  /* min normal / 2: exact subnormal, no UF */
  TEST_FP_OP2(S, 125, fmul.s, RUP, 0x00000002, FL_UF|FL_NX, 0x00000003, 0x3f000000)  /* 3 * 2^-150: inexact subnormal tie */
  TEST_FP_OP2(S, 126, fmul.s, RUP, 0x00800001, FL_NX, 0x00800001, 0x3f7fffff)  /* just under min normal */
  TEST_FP_OP2(S, 127, fmul.s, RMM, 0x00400000, 0, 0x00800000, 0x3f000000)  /* min normal / 2: exact subnormal, no UF */
  TEST_FP_OP2(S, 128, fmul.s, RMM, 0x00000002, FL_UF|FL_NX, 0x00000003, 0x3f000000)  /* 3 * 2^-150: inexact subnormal tie */
  TEST_FP_OP2(S, 129, fmul.s, RMM, 0x00800000, FL_NX, 0x00800001, 0x3f7fffff)  /* just under min normal */
  TEST_FP_OP2(S, 130, fmul.s, RNE, 0x00000000, FL_UF|FL_NX, 0x00000001, 0x3f000000)  /* min subnormal / 2: tie to 0 */
  TEST_FP_OP2(S, 131, fmul.s, RUP, 0x00000001, FL_UF|FL_NX, 0x00000001, 0x3f000000)  /* rounds up to min subnormal */
  TEST_FP_OP2(S, 132, fdiv.s, RNE, 0x00000000, FL_UF|FL_NX, 0x00000001, 0x40000000)  /* UF|NX, result 0 */
  TEST_FP_OP2(S, 133, fmul.s, RNE, 0x00800000, FL_NX, 0x007fffff, 0x3f800001)  /* subnormal * (1+u) rounds to min normal: tiny after rounding? */
  TEST_FP_OP2(S, 134, fmul.s, RNE, 0x00800000, FL_UF|FL_NX, 0x00ffffff, 0x3f000000)  /* tiny tie rounds up to min normal */
  TEST_FP_OP2(S, 135, fadd.s, RNE, 0x00000002, 0, 0x00000001, 0x00000001)  /* subnormal + subnormal, exact */
  TEST_FP_OP2(S, 136, fsub.s, RNE, 0x007fffff, 0, 0x00800000, 0x00000001)  /* normal - subnormal: exact max subnormal */
  TEST_FP_OP2(S, 137, fmul.s, RNE, 0x0b800000, 0, 0x00400000, 0x4b000000)  /* subnormal operand * 2^23: exact normal */
  /* NX raised in iteration 101 of a 30,000-iteration loop (sqrt 2 there,
   * sqrt 4, exact, elsewhere) survives the loop's periodic trips out of a
   * JIT's generated code that come after it. */
  CASE(138)
  la a1, sqrt_args
  li t1, 30000
  csrw fflags, x0
1:
  flw f2, 0(a1)
  fsqrt.s f1, f2, rne
  addi a1, a1, 4
  addi t1, t1, -1
  bnez t1, 1b
  csrr a0, fflags
  CHECK(a0, FL_NX)
  fmv.x.w a0, f1
  CHECK(a0, 0x40000000)
  csrwi frm, 0
TEST_END

  .data
  .align 2
sqrt_args:
  .rept 100
  .word 0x40800000
  .endr
  .word 0x40000000
  .rept 29899
  .word 0x40800000
  .endr
