/* Fused multiply-add (fmadd/fmsub/fnmadd/fnmsub, .s and .d): one rounding
 * of the exact a*b+c in every rounding mode, signs of exact zeros, inf*0 is
 * NV even with a quiet-NaN addend, NaN handling, overflow and underflow of
 * the fused result. */
#include "isa_test.h"
  .option norvc
TEST_BEGIN
  /* single: exactness (one rounding), every variant */
  TEST_FP_OP3(S, 1, fmadd.s, RNE, 0x40e00000, 0, 0x40000000, 0x40400000, 0x3f800000)  /* 2*3+1 = 7 */
  TEST_FP_OP3(S, 2, fmsub.s, RNE, 0x40a00000, 0, 0x40000000, 0x40400000, 0x3f800000)  /* 2*3-1 = 5 */
  TEST_FP_OP3(S, 3, fnmadd.s, RNE, 0xc0e00000, 0, 0x40000000, 0x40400000, 0x3f800000)  /* -(2*3)-1 = -7 */
  TEST_FP_OP3(S, 4, fnmsub.s, RNE, 0xc0a00000, 0, 0x40000000, 0x40400000, 0x3f800000)  /* -(2*3)+1 = -5 */
  TEST_FP_OP3(S, 5, fmadd.s, RNE, 0x34800000, FL_NX, 0x3f800001, 0x3f800001, 0xbf800000)  /* (1+u)^2 - 1 = 2u + u^2: exact only when fused */
  TEST_FP_OP3(S, 6, fmsub.s, RNE, 0x337ffffe, 0, 0x3f800001, 0x3f7fffff, 0x3f800000)  /* (1+u)(1-u/2) - 1, exact tiny residue */
  TEST_FP_OP3(S, 7, fnmadd.s, RNE, 0xbf800000, FL_NX, 0x3f800000, 0x3f800000, 0x33800000)  /* -(1) - 2^-24: tie */
  TEST_FP_OP3(S, 8, fnmsub.s, RNE, 0xb4000000, 0, 0x3faaaaab, 0x40400000, 0x40800000)  /* -(4/3*3)+4 */
  TEST_FP_OP3(S, 9, fmadd.s, RTZ, 0x34800000, FL_NX, 0x3f800001, 0x3f800001, 0xbf800000)  /* (1+u)^2 - 1 = 2u + u^2: exact only when fused */
  TEST_FP_OP3(S, 10, fmsub.s, RTZ, 0x337ffffe, 0, 0x3f800001, 0x3f7fffff, 0x3f800000)  /* (1+u)(1-u/2) - 1, exact tiny residue */
  TEST_FP_OP3(S, 11, fnmadd.s, RTZ, 0xbf800000, FL_NX, 0x3f800000, 0x3f800000, 0x33800000)  /* -(1) - 2^-24: tie */
  TEST_FP_OP3(S, 12, fnmsub.s, RTZ, 0xb4000000, 0, 0x3faaaaab, 0x40400000, 0x40800000)  /* -(4/3*3)+4 */
  TEST_FP_OP3(S, 13, fmadd.s, RDN, 0x34800000, FL_NX, 0x3f800001, 0x3f800001, 0xbf800000)  /* (1+u)^2 - 1 = 2u + u^2: exact only when fused */
  TEST_FP_OP3(S, 14, fmsub.s, RDN, 0x337ffffe, 0, 0x3f800001, 0x3f7fffff, 0x3f800000)  /* (1+u)(1-u/2) - 1, exact tiny residue */
  TEST_FP_OP3(S, 15, fnmadd.s, RDN, 0xbf800001, FL_NX, 0x3f800000, 0x3f800000, 0x33800000)  /* -(1) - 2^-24: tie */
  TEST_FP_OP3(S, 16, fnmsub.s, RDN, 0xb4000000, 0, 0x3faaaaab, 0x40400000, 0x40800000)  /* -(4/3*3)+4 */
  TEST_FP_OP3(S, 17, fmadd.s, RUP, 0x34800001, FL_NX, 0x3f800001, 0x3f800001, 0xbf800000)  /* (1+u)^2 - 1 = 2u + u^2: exact only when fused */
  TEST_FP_OP3(S, 18, fmsub.s, RUP, 0x337ffffe, 0, 0x3f800001, 0x3f7fffff, 0x3f800000)  /* (1+u)(1-u/2) - 1, exact tiny residue */
  TEST_FP_OP3(S, 19, fnmadd.s, RUP, 0xbf800000, FL_NX, 0x3f800000, 0x3f800000, 0x33800000)  /* -(1) - 2^-24: tie */
  TEST_FP_OP3(S, 20, fnmsub.s, RUP, 0xb4000000, 0, 0x3faaaaab, 0x40400000, 0x40800000)  /* -(4/3*3)+4 */
  TEST_FP_OP3(S, 21, fmadd.s, RMM, 0x34800001, FL_NX, 0x3f800001, 0x3f800001, 0xbf800000)  /* (1+u)^2 - 1 = 2u + u^2: exact only when fused */
  TEST_FP_OP3(S, 22, fmsub.s, RMM, 0x337ffffe, 0, 0x3f800001, 0x3f7fffff, 0x3f800000)  /* (1+u)(1-u/2) - 1, exact tiny residue */
  TEST_FP_OP3(S, 23, fnmadd.s, RMM, 0xbf800001, FL_NX, 0x3f800000, 0x3f800000, 0x33800000)  /* -(1) - 2^-24: tie */
  TEST_FP_OP3(S, 24, fnmsub.s, RMM, 0xb4000000, 0, 0x3faaaaab, 0x40400000, 0x40800000)  /* -(4/3*3)+4 */
  fsrmi FRM_RDN
  TEST_FP_OP3(S, 25, fmadd.s, DYN, 0x34800000, FL_NX, 0x3f800001, 0x3f800001, 0xbf800000)
  fsrmi FRM_RUP
  TEST_FP_OP3(S, 26, fnmadd.s, DYN, 0xbf800000, FL_NX, 0x3f800000, 0x3f800000, 0x33800000)
  /* zero signs of exact zero results */
  TEST_FP_OP3(S, 27, fmadd.s, RNE, 0x00000000, 0, 0x3f800000, 0x3f800000, 0xbf800000)  /* 1*1-1 = +0 */
  TEST_FP_OP3(S, 28, fmadd.s, RDN, 0x80000000, 0, 0x3f800000, 0x3f800000, 0xbf800000)  /* -0 in rdn */
  TEST_FP_OP3(S, 29, fmadd.s, RNE, 0x80000000, 0, 0x80000000, 0x3f800000, 0x80000000)  /* -0*1 + -0 = -0 */
  TEST_FP_OP3(S, 30, fnmadd.s, RNE, 0x80000000, 0, 0x00000000, 0x3f800000, 0x00000000)  /* -(+0) - +0 = -0 */
  TEST_FP_OP3(S, 31, fmsub.s, RNE, 0x00000000, 0, 0x00000000, 0x3f800000, 0x00000000)  /* +0 - +0 = +0 */
  /* invalid: inf*0 is NV even with a quiet NaN addend; inf - inf */
  TEST_FP_OP3(S, 32, fmadd.s, RNE, 0x7fc00000, FL_NV, 0x7f800000, 0x00000000, 0x3f800000)  /* inf*0 + 1 */
  TEST_FP_OP3(S, 33, fmadd.s, RNE, 0x7fc00000, FL_NV, 0x7f800000, 0x00000000, 0x7fc00000)  /* inf*0 + qNaN */
  TEST_FP_OP3(S, 34, fmadd.s, RNE, 0x7fc00000, FL_NV, 0x7f800000, 0x3f800000, 0xff800000)  /* inf - inf */
  TEST_FP_OP3(S, 35, fmadd.s, RNE, 0x7fc00000, 0, 0x3f800000, 0x3f800000, 0x7fc00000)  /* qNaN addend, no flag */
  TEST_FP_OP3(S, 36, fmadd.s, RNE, 0x7fc00000, FL_NV, 0x7f800001, 0x3f800000, 0x3f800000)  /* sNaN */
  TEST_FP_OP3(S, 37, fmadd.s, RNE, 0x7fc00000, FL_NV, 0x3f800000, 0x3f800000, 0x7f800001)  /* sNaN addend */
  TEST_FP_OP3(S, 38, fmadd.s, RNE, 0x7f800000, 0, 0x3f800000, 0x3f800000, 0x7f800000)  /* finite + inf = inf */
  /* overflow and underflow of the fused result */
  TEST_FP_OP3(S, 39, fmadd.s, RNE, 0x7f7fffff, 0, 0x7f7fffff, 0x40000000, 0xff7fffff)  /* max*2 - max = max: no overflow inside */
  TEST_FP_OP3(S, 40, fmadd.s, RNE, 0x7f800000, FL_OF|FL_NX, 0x7f7fffff, 0x3f800001, 0x7f7fffff)  /* overflow */
  TEST_FP_OP3(S, 41, fmadd.s, RNE, 0x00400001, 0, 0x00800000, 0x3f000000, 0x00000001)  /* subnormal exact sum */
  TEST_FP_OP3(S, 42, fmadd.s, RNE, 0x00400000, FL_UF|FL_NX, 0x00800000, 0x3effffff, 0x00000000)  /* inexact subnormal: UF */
  /* double: exactness, every variant */
  TEST_FP_OP3(D, 43, fmadd.d, RNE, 0x401c000000000000, 0, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000)  /* 7 */
  TEST_FP_OP3(D, 44, fmsub.d, RNE, 0x4014000000000000, 0, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000)  /* 5 */
  TEST_FP_OP3(D, 45, fnmadd.d, RNE, 0xc01c000000000000, 0, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000)  /* -7 */
  TEST_FP_OP3(D, 46, fnmsub.d, RNE, 0xc014000000000000, 0, 0x4000000000000000, 0x4008000000000000, 0x3ff0000000000000)  /* -5 */
  TEST_FP_OP3(D, 47, fmadd.d, RNE, 0x3cc0000000000000, FL_NX, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000000)  /* 2u + u^2 */
  TEST_FP_OP3(D, 48, fnmadd.d, RNE, 0xbff0000000000000, FL_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000)  /* tie */
  TEST_FP_OP3(D, 49, fmsub.d, RNE, 0x3c90000000000000, 0, 0x3fb999999999999a, 0x4024000000000000, 0x3ff0000000000000)  /* 0.1*10 - 1: the error of 0.1 */
  TEST_FP_OP3(D, 50, fnmsub.d, RNE, 0x3c90000000000000, 0, 0x3fd5555555555555, 0x4008000000000000, 0x3ff0000000000000)  /* 1 - (1/3)*3 */
  TEST_FP_OP3(D, 51, fmadd.d, RTZ, 0x3cc0000000000000, FL_NX, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000000)  /* 2u + u^2 */
  TEST_FP_OP3(D, 52, fnmadd.d, RTZ, 0xbff0000000000000, FL_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000)  /* tie */
  TEST_FP_OP3(D, 53, fmsub.d, RTZ, 0x3c90000000000000, 0, 0x3fb999999999999a, 0x4024000000000000, 0x3ff0000000000000)  /* 0.1*10 - 1: the error of 0.1 */
  TEST_FP_OP3(D, 54, fnmsub.d, RTZ, 0x3c90000000000000, 0, 0x3fd5555555555555, 0x4008000000000000, 0x3ff0000000000000)  /* 1 - (1/3)*3 */
  TEST_FP_OP3(D, 55, fmadd.d, RDN, 0x3cc0000000000000, FL_NX, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000000)  /* 2u + u^2 */
  TEST_FP_OP3(D, 56, fnmadd.d, RDN, 0xbff0000000000001, FL_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000)  /* tie */
  TEST_FP_OP3(D, 57, fmsub.d, RDN, 0x3c90000000000000, 0, 0x3fb999999999999a, 0x4024000000000000, 0x3ff0000000000000)  /* 0.1*10 - 1: the error of 0.1 */
  TEST_FP_OP3(D, 58, fnmsub.d, RDN, 0x3c90000000000000, 0, 0x3fd5555555555555, 0x4008000000000000, 0x3ff0000000000000)  /* 1 - (1/3)*3 */
  TEST_FP_OP3(D, 59, fmadd.d, RUP, 0x3cc0000000000001, FL_NX, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000000)  /* 2u + u^2 */
  TEST_FP_OP3(D, 60, fnmadd.d, RUP, 0xbff0000000000000, FL_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000)  /* tie */
  TEST_FP_OP3(D, 61, fmsub.d, RUP, 0x3c90000000000000, 0, 0x3fb999999999999a, 0x4024000000000000, 0x3ff0000000000000)  /* 0.1*10 - 1: the error of 0.1 */
  TEST_FP_OP3(D, 62, fnmsub.d, RUP, 0x3c90000000000000, 0, 0x3fd5555555555555, 0x4008000000000000, 0x3ff0000000000000)  /* 1 - (1/3)*3 */
  TEST_FP_OP3(D, 63, fmadd.d, RMM, 0x3cc0000000000001, FL_NX, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000000)  /* 2u + u^2 */
  TEST_FP_OP3(D, 64, fnmadd.d, RMM, 0xbff0000000000001, FL_NX, 0x3ff0000000000000, 0x3ff0000000000000, 0x3ca0000000000000)  /* tie */
  TEST_FP_OP3(D, 65, fmsub.d, RMM, 0x3c90000000000000, 0, 0x3fb999999999999a, 0x4024000000000000, 0x3ff0000000000000)  /* 0.1*10 - 1: the error of 0.1 */
  TEST_FP_OP3(D, 66, fnmsub.d, RMM, 0x3c90000000000000, 0, 0x3fd5555555555555, 0x4008000000000000, 0x3ff0000000000000)  /* 1 - (1/3)*3 */
  fsrmi FRM_RTZ
  TEST_FP_OP3(D, 67, fmadd.d, DYN, 0x3cc0000000000000, FL_NX, 0x3ff0000000000001, 0x3ff0000000000001, 0xbff0000000000000)
  TEST_FP_OP3(D, 68, fmadd.d, RDN, 0x8000000000000000, 0, 0x3ff0000000000000, 0x3ff0000000000000, 0xbff0000000000000)  /* -0 in rdn */
  TEST_FP_OP3(D, 69, fnmsub.d, RNE, 0x0000000000000000, 0, 0x8000000000000000, 0x3ff0000000000000, 0x8000000000000000)  /* -(-0) + -0 = +0 */
  TEST_FP_OP3(D, 70, fmadd.d, RNE, 0x7ff8000000000000, FL_NV, 0x0000000000000000, 0x7ff0000000000000, 0x7ff8000000000000)  /* 0*inf + qNaN: NV */
  TEST_FP_OP3(D, 71, fmsub.d, RNE, 0x7ff8000000000000, FL_NV, 0x7ff0000000000000, 0x3ff0000000000000, 0x7ff0000000000000)  /* inf - inf */
  TEST_FP_OP3(D, 72, fnmadd.d, RNE, 0x7ff8000000000000, FL_NV, 0x7ff0000000000001, 0x3ff0000000000000, 0x3ff0000000000000)  /* sNaN */
  TEST_FP_OP3(D, 73, fmadd.d, RNE, 0x7fefffffffffffff, 0, 0x7fefffffffffffff, 0x4000000000000000, 0xffefffffffffffff)  /* no overflow inside */
  TEST_FP_OP3(D, 74, fmadd.d, RUP, 0x7ff0000000000000, FL_OF|FL_NX, 0x7fefffffffffffff, 0x3ff0000000000001, 0x0000000000000000)  /* overflow */
  TEST_FP_OP3(D, 75, fmadd.d, RNE, 0x0008000000000000, FL_UF|FL_NX, 0x0010000000000000, 0x3fdfffffffffffff, 0x0000000000000000)  /* underflow */
  csrwi frm, 0
TEST_END
