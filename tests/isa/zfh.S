/* Zfh: half-precision arithmetic, fused multiply-adds, square root,
 * min/max, sign injection, compares, fclass and integer conversions,
 * with every rounding mode, exact flags (tininess after rounding) and
 * canonical NaNs; improperly boxed inputs read as the canonical NaN. The
 * known answers of the rounded cases come from an exact rational model of
 * binary16 (Python fractions), the rest from the spec's definitions; all
 * pass on qemu-system-riscv64 7.2 (-cpu rv64,Zfh=true). */
#include "isa_test.h"
  .option arch, +zfh

#define LOAD_H(freg, bits) li t0, bits; fmv.h.x freg, t0
#define CHECK_H(freg, bits) \
  fmv.x.d t0, freg; \
  CHECK(t0, (0xffffffffffff0000 | (bits)))

TEST_BEGIN
  TEST_FP_OP2(H, 1, fadd.h, RNE, 0x4000, 0, 0x3c00, 0x3c00)
  TEST_FP_OP2(H, 2, fadd.h, RNE, 0x3c01, 0, 0x3c00, 0x1400)
  TEST_FP_OP2(H, 3, fadd.h, RUP, 0x3c01, 0, 0x3c00, 0x1400)
  TEST_FP_OP2(H, 4, fadd.h, RNE, 0x7c00, FL_OF | FL_NX, 0x7bff, 0x7bff)
  TEST_FP_OP2(H, 5, fadd.h, RTZ, 0x7bff, FL_OF | FL_NX, 0x7bff, 0x7bff)
  TEST_FP_OP2(H, 6, fadd.h, RDN, 0x7bff, FL_OF | FL_NX, 0x7bff, 0x7bff)
  TEST_FP_OP2(H, 7, fadd.h, RNE, 0x0000, 0, 0x0001, 0x8001)
  TEST_FP_OP2(H, 8, fadd.h, RDN, 0x8000, 0, 0x0001, 0x8001)
  TEST_FP_OP2(H, 9, fadd.h, RNE, 0x0001, 0, 0x0400, 0x83ff)
  TEST_FP_OP2(H, 10, fsub.h, RNE, 0x0000, 0, 0x4248, 0x4248)
  TEST_FP_OP2(H, 11, fsub.h, RMM, 0x3c00, FL_NX, 0x3c00, 0x0001)
  TEST_FP_OP2(H, 12, fsub.h, RDN, 0x3bff, FL_NX, 0x3c00, 0x0001)
  TEST_FP_OP2(H, 13, fmul.h, RNE, 0x48ef, FL_NX, 0x4248, 0x4248)
  TEST_FP_OP2(H, 14, fmul.h, RNE, 0x0200, 0, 0x0400, 0x3800)
  TEST_FP_OP2(H, 15, fmul.h, RNE, 0x0200, FL_UF | FL_NX, 0x0400, 0x37ff)
  TEST_FP_OP2(H, 16, fmul.h, RUP, 0x0200, FL_UF | FL_NX, 0x0400, 0x37ff)
  TEST_FP_OP2(H, 17, fmul.h, RTZ, 0x7bff, FL_OF | FL_NX, 0x7bff, 0x4000)
  TEST_FP_OP2(H, 18, fmul.h, RNE, 0x8002, 0, 0xc000, 0x0001)
  TEST_FP_OP2(H, 19, fmul.h, RMM, 0x7bfe, FL_NX, 0x5bff, 0x5bff)
  TEST_FP_OP2(H, 20, fdiv.h, RNE, 0x3555, FL_NX, 0x3c00, 0x4200)
  TEST_FP_OP2(H, 21, fdiv.h, RTZ, 0x3555, FL_NX, 0x3c00, 0x4200)
  TEST_FP_OP2(H, 22, fdiv.h, RUP, 0x3556, FL_NX, 0x3c00, 0x4200)
  TEST_FP_OP2(H, 23, fdiv.h, RDN, 0xb556, FL_NX, 0xbc00, 0x4200)
  TEST_FP_OP2(H, 24, fdiv.h, RNE, 0x0000, FL_UF | FL_NX, 0x0001, 0x4000)
  TEST_FP_OP2(H, 25, fdiv.h, RNE, 0x0002, FL_UF | FL_NX, 0x0003, 0x4000)
  TEST_FP_OP2(H, 26, fdiv.h, RNE, 0x7c00, FL_OF | FL_NX, 0x7bff, 0x1400)
  TEST_FP_OP1(H, 27, fsqrt.h, RNE, 0x3da8, FL_NX, 0x4000)
  TEST_FP_OP1(H, 28, fsqrt.h, RTZ, 0x3da8, FL_NX, 0x4000)
  TEST_FP_OP1(H, 29, fsqrt.h, RNE, 0x4000, 0, 0x4400)
  TEST_FP_OP1(H, 30, fsqrt.h, RNE, 0x0c00, 0, 0x0001)
  TEST_FP_OP1(H, 31, fsqrt.h, RUP, 0x3c01, FL_NX, 0x3c01)
  TEST_FP_OP1(H, 32, fsqrt.h, RNE, 0x5bff, FL_NX, 0x7bff)
  TEST_FP_OP1(H, 33, fsqrt.h, RNE, 0x1da8, FL_NX, 0x0200)
  TEST_FP_OP3(H, 34, fmadd.h, RNE, 0x4500, 0, 0x3c00, 0x4000, 0x4200)
  TEST_FP_OP3(H, 35, fmadd.h, RNE, 0x3d00, 0, 0x3e00, 0x3e00, 0xbc00)
  TEST_FP_OP3(H, 36, fmadd.h, RNE, 0x0010, 0, 0x3c01, 0x3c01, 0xbc02)
  TEST_FP_OP3(H, 37, fmsub.h, RUP, 0x486f, FL_NX, 0x4248, 0x4248, 0x3c00)
  TEST_FP_OP3(H, 38, fnmsub.h, RDN, 0xc86f, FL_NX, 0x4248, 0x4248, 0x3c00)
  TEST_FP_OP3(H, 39, fnmadd.h, RTZ, 0xc96e, FL_NX, 0x4248, 0x4248, 0x3c00)
  TEST_FP_OP3(H, 40, fmadd.h, RNE, 0x0101, 0, 0x0400, 0x3400, 0x0001)
  TEST_FP_OP3(H, 41, fmadd.h, RNE, 0x7bff, 0, 0x7bff, 0x4000, 0xfbff)
  /* special operands */
  TEST_FP_OP2(H, 42, fadd.h, RNE, 0x7e00, FL_NV, 0x7c00, 0xfc00)      /* inf - inf */
  TEST_FP_OP2(H, 43, fadd.h, RNE, 0x7e00, FL_NV, 0x7c01, 0x3c00)      /* signaling NaN */
  TEST_FP_OP2(H, 44, fadd.h, RNE, 0x7e00, 0, 0x7e55, 0x3c00)          /* quiet NaN -> canonical */
  TEST_FP_OP2(H, 45, fdiv.h, RNE, 0x7c00, FL_DZ, 0x3c00, 0x0000)
  TEST_FP_OP2(H, 46, fdiv.h, RNE, 0x7e00, FL_NV, 0x0000, 0x8000)
  TEST_FP_OP2(H, 47, fmul.h, RNE, 0x7e00, FL_NV, 0x7c00, 0x0000)
  TEST_FP_OP1(H, 48, fsqrt.h, RNE, 0x7e00, FL_NV, 0xbc00)
  TEST_FP_OP1(H, 49, fsqrt.h, RNE, 0x8000, 0, 0x8000)
  TEST_FP_OP3(H, 50, fmadd.h, RNE, 0x7e00, FL_NV, 0x7c00, 0x0000, 0x7e00) /* inf * 0 + qNaN */
  TEST_FP_OP3(H, 51, fmadd.h, RDN, 0x8000, 0, 0x3c00, 0x0000, 0x8000)
  /* min / max: -0 < +0, one NaN gives the other operand */
  TEST_FP_OP2(H, 52, fmin.h, NORM, 0x8000, 0, 0x0000, 0x8000)
  TEST_FP_OP2(H, 53, fmax.h, NORM, 0x0000, 0, 0x8000, 0x0000)
  TEST_FP_OP2(H, 54, fmin.h, NORM, 0x3c00, 0, 0x7e00, 0x3c00)
  TEST_FP_OP2(H, 55, fmax.h, NORM, 0x3c00, FL_NV, 0x3c00, 0x7d00)
  TEST_FP_OP2(H, 56, fmin.h, NORM, 0x7e00, 0, 0x7e00, 0xfe00)
  TEST_FP_OP2(H, 57, fmax.h, NORM, 0x7bff, 0, 0xfbff, 0x7bff)
  /* sign injection, also from an improperly boxed operand (canonical NaN) */
  TEST_FP_OP2(H, 58, fsgnj.h, NORM, 0xbc00, 0, 0x3c00, 0x8000)
  TEST_FP_OP2(H, 59, fsgnjn.h, NORM, 0x3c00, 0, 0x3c00, 0x8000)
  TEST_FP_OP2(H, 60, fsgnjx.h, NORM, 0x3c00, 0, 0xbc00, 0x8000)
  TEST_FP_OP2(H, 61, fsgnjn.h, NORM, 0xfd00, 0, 0x7d00, 0x7d00)
  CASE(62); LOAD_S(fa1, 0x3c00); LOAD_H(fa2, 0x8000); fsgnj.h fa0, fa1, fa2; CHECK_H(fa0, 0xfe00)
  CASE(63); LOAD_H(fa1, 0x3c00); LOAD_D(fa2, 0xffffffff0000bc00); fsgnj.h fa0, fa1, fa2; CHECK_H(fa0, 0x3c00)
  /* compares */
  TEST_FP_CMP(H, 64, feq.h, 1, 0, 0x8000, 0x0000)
  TEST_FP_CMP(H, 65, flt.h, 0, 0, 0x8000, 0x0000)
  TEST_FP_CMP(H, 66, fle.h, 1, 0, 0x3c00, 0x3c00)
  TEST_FP_CMP(H, 67, flt.h, 1, 0, 0xfbff, 0x0001)
  TEST_FP_CMP(H, 68, feq.h, 0, 0, 0x7e00, 0x7e00)
  TEST_FP_CMP(H, 69, feq.h, 0, FL_NV, 0x7c01, 0x3c00)
  TEST_FP_CMP(H, 70, flt.h, 0, FL_NV, 0x7e00, 0x3c00)
  TEST_FP_CMP(H, 71, fle.h, 0, FL_NV, 0x3c00, 0x7e00)
  /* fclass */
  TEST_FP_INT(H, 72, fclass.h, NORM, 1 << 0, 0, 0xfc00)
  TEST_FP_INT(H, 73, fclass.h, NORM, 1 << 1, 0, 0xbc00)
  TEST_FP_INT(H, 74, fclass.h, NORM, 1 << 2, 0, 0x8001)
  TEST_FP_INT(H, 75, fclass.h, NORM, 1 << 3, 0, 0x8000)
  TEST_FP_INT(H, 76, fclass.h, NORM, 1 << 4, 0, 0x0000)
  TEST_FP_INT(H, 77, fclass.h, NORM, 1 << 5, 0, 0x03ff)
  TEST_FP_INT(H, 78, fclass.h, NORM, 1 << 6, 0, 0x0400)
  TEST_FP_INT(H, 79, fclass.h, NORM, 1 << 7, 0, 0x7c00)
  TEST_FP_INT(H, 80, fclass.h, NORM, 1 << 8, 0, 0x7d00)
  TEST_FP_INT(H, 81, fclass.h, NORM, 1 << 9, 0, 0x7e00)
  TEST_FP_INT(S, 82, fclass.h, NORM, 1 << 9, 0, 0x00003c00)       /* not boxed as a half */
  /* half -> integer */
  TEST_FP_INT(H, 83, fcvt.w.h, RNE, 3, FL_NX, 0x4248)
  TEST_FP_INT(H, 84, fcvt.w.h, RUP, 4, FL_NX, 0x4248)
  TEST_FP_INT(H, 85, fcvt.w.h, RNE, 0xffffffffffff0020, 0, 0xfbff)  /* -65504 */
  TEST_FP_INT(H, 86, fcvt.w.h, RTZ, 0x7fffffff, FL_NV, 0x7c00)
  TEST_FP_INT(H, 87, fcvt.w.h, RTZ, 0x7fffffff, FL_NV, 0x7e00)
  TEST_FP_INT(H, 88, fcvt.w.h, RDN, 0xffffffffffffffff, FL_NX, 0xb800) /* -0.5 */
  TEST_FP_INT(H, 89, fcvt.wu.h, RNE, 0, FL_NV, 0xbc00)
  TEST_FP_INT(H, 90, fcvt.wu.h, RTZ, 0, FL_NX, 0xb800)
  TEST_FP_INT(H, 91, fcvt.wu.h, RNE, 0xffffffffffffffff, FL_NV, 0x7c00)
  TEST_FP_INT(H, 92, fcvt.l.h, RNE, 65504, 0, 0x7bff)
  TEST_FP_INT(H, 93, fcvt.l.h, RMM, 0xfffffffffffffffd, FL_NX, 0xc100) /* -2.5 */
  TEST_FP_INT(H, 94, fcvt.lu.h, RNE, 0, FL_NV, 0xfc00)
  TEST_FP_INT(H, 95, fcvt.lu.h, RUP, 1, FL_NX, 0x0001)
  /* integer -> half */
  TEST_INT_FP(H, 96, fcvt.h.w, RNE, 0x7bff, 0, 65504)
  TEST_INT_FP(H, 97, fcvt.h.w, RNE, 0x7c00, FL_OF | FL_NX, 65535)
  TEST_INT_FP(H, 98, fcvt.h.w, RTZ, 0x7bff, FL_NX, 65535)
  TEST_INT_FP(H, 99, fcvt.h.w, RNE, 0xc200, 0, -3)
  TEST_INT_FP(H, 100, fcvt.h.w, RNE, 0x4500, 0, 0x100000005)        /* low 32 bits only */
  TEST_INT_FP(H, 101, fcvt.h.wu, RNE, 0x7c00, FL_OF | FL_NX, 0xffffffff)
  TEST_INT_FP(H, 102, fcvt.h.l, RNE, 0x6800, FL_NX, 2049)
  TEST_INT_FP(H, 103, fcvt.h.l, RUP, 0x6801, FL_NX, 2049)
  TEST_INT_FP(H, 104, fcvt.h.lu, RTZ, 0x7bff, FL_OF | FL_NX, 0x8000000000000000)
  TEST_INT_FP(H, 105, fcvt.h.l, RNE, 0x0000, 0, 0)
  /* a half result is NaN-boxed whatever the destination held */
  CASE(106); LOAD_D(fa0, 0x0123456789abcdef); LOAD_H(fa1, 0x3c00); fadd.h fa0, fa1, fa1; CHECK_H(fa0, 0x4000)
TEST_END
