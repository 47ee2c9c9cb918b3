/* Zicsr: csrrw/csrrs/csrrc and the immediate forms on mscratch (old value
 * returned, rd == rs1, rs1 = x0 / uimm = 0 semantics), the FP CSRs (fflags
 * and frm as views of fcsr, masking of unused bits, accrued flags), and a
 * few read-only machine CSRs. */
#include "isa_test.h"
  .option norvc
TEST_BEGIN
  TEST_CASE(1, a0, 0x0123456789abcdef, li a1, 0x0123456789abcdef; csrw mscratch, a1; csrr a0, mscratch)
  TEST_CASE(2, a0, 0x0123456789abcdef, li a1, 0x55; csrrw a0, mscratch, a1)
  TEST_CASE(3, a0, 0x0000000000000055, csrr a0, mscratch)
  TEST_CASE(4, a0, 0x0000000000000055, li a1, 0xf00; csrrs a0, mscratch, a1)
  TEST_CASE(5, a0, 0x0000000000000f55, csrr a0, mscratch)
  TEST_CASE(6, a0, 0x0000000000000f55, li a1, 0x0f0f; csrrc a0, mscratch, a1)
  TEST_CASE(7, a0, 0x0000000000000050, csrr a0, mscratch)
  TEST_CASE(8, a0, 0x0000000000000050, csrrwi a0, mscratch, 31)
  TEST_CASE(9, a0, 0x000000000000001f, csrr a0, mscratch)
  TEST_CASE(10, a0, 0x000000000000001f, csrrci a0, mscratch, 0x11)
  TEST_CASE(11, a0, 0x000000000000000e, csrrsi a0, mscratch, 0x10)
  TEST_CASE(12, a0, 0x000000000000001e, csrr a0, mscratch)
  /* csrrwi with uimm 0 still writes */
  TEST_CASE(13, a0, 0x000000000000001e, csrrwi a0, mscratch, 0)
  TEST_CASE(14, a0, 0x0000000000000000, csrr a0, mscratch)
  /* rs1 = x0 / uimm = 0 on csrrs/csrrc: read only */
  TEST_CASE(15, a0, 0xffffffffffffffff, li a1, -1; csrw mscratch, a1; csrrs a0, mscratch, x0; csrrc a0, mscratch, x0; csrrsi a0, mscratch, 0; csrrci a0, mscratch, 0; csrr a0, mscratch)
  /* rd == rs1: the old value lands in rd, the new one comes from the old rs1 */
  TEST_CASE(16, a1, 0xffffffffffffffff, li a1, 0x1234; csrrw a1, mscratch, a1)
  TEST_CASE(17, a0, 0x0000000000001234, csrr a0, mscratch)
  TEST_CASE(18, a1, 0x0000000000001234, li a1, 0x8000000000000000; csrrs a1, mscratch, a1)
  TEST_CASE(19, a0, 0x8000000000001234, csrr a0, mscratch)
  /* rd = x0 still writes */
  TEST_CASE(20, a0, 0x0000000000000077, li a1, 0x77; csrrw x0, mscratch, a1; csrr a0, mscratch)

  /* fcsr = frm[7:5] | fflags[4:0]; higher bits read as zero */
  TEST_CASE(21, a0, 0x00000000000000ff, li a1, 0xffffffffffffffff; fscsr a1; frcsr a0)
  TEST_CASE(22, a0, 0x000000000000001f, frflags a0)
  TEST_CASE(23, a0, 0x0000000000000007, frrm a0)
  TEST_CASE(24, a0, 0x00000000000000ff, li a1, 0x0a; fscsr a0, a1)      /* swap returns old */
  TEST_CASE(25, a0, 0x000000000000000a, frcsr a0)
  TEST_CASE(26, a0, 0x000000000000000a, li a1, 0xf5; fsflags a0, a1)   /* only 5 bits kept */
  TEST_CASE(27, a0, 0x0000000000000015, frcsr a0)
  TEST_CASE(28, a0, 0x0000000000000000, li a1, 0xfc; fsrm a0, a1)      /* only 3 bits kept */
  TEST_CASE(29, a0, 0x0000000000000095, frcsr a0)
  TEST_CASE(30, a0, 0x0000000000000004, frrm a0)
  TEST_CASE(31, a0, 0x0000000000000015, csrrci a0, fflags, 0x05)
  TEST_CASE(32, a0, 0x0000000000000090, frcsr a0)
  TEST_CASE(33, a0, 0x0000000000000090, csrrsi a0, fcsr, 0x03)
  TEST_CASE(34, a0, 0x0000000000000093, frcsr a0)
  TEST_CASE(35, a0, 0x0000000000000004, csrrwi a0, frm, 1)
  TEST_CASE(36, a0, 0x0000000000000033, frcsr a0)
  TEST_CASE(37, a0, 0x0000000000000033, csrrci a0, fcsr, 0x1f)
  TEST_CASE(38, a0, 0x0000000000000020, frcsr a0)
  TEST_CASE(39, a0, 0x0000000000000001, csrrsi a0, frm, 2)
  TEST_CASE(40, a0, 0x0000000000000003, frrm a0)
  /* flags accrue: an inexact op keeps an earlier DZ set */
  CASE(41)
  fsrmi 0
  csrwi fflags, FL_DZ
  li t0, 0x3f800000      /* 1.0f */
  fmv.w.x fa1, t0
  li t0, 0x40400000      /* 3.0f */
  fmv.w.x fa2, t0
  fdiv.s fa0, fa1, fa2
  frflags a0
  CHECK(a0, FL_DZ | FL_NX)
  /* an exact op leaves the flags alone */
  CASE(42)
  fadd.s fa0, fa1, fa1
  frflags a0
  CHECK(a0, FL_DZ | FL_NX)
  csrwi fcsr, 0

  /* machine information CSRs */
  TEST_CASE(43, a0, 0, csrr a0, mhartid)
  /* misa: MXL = 2 (64-bit) with I, M, A, F, D, C present */
  TEST_CASE(44, a0, 2, csrr a0, misa; srli a0, a0, 62)
  TEST_CASE(45, a0, 0x112d, csrr a0, misa; li a1, 0x112d; and a0, a0, a1)
  /* minstret counts */
  CASE(46)
  csrr a1, minstret
  nop
  nop
  csrr a2, minstret
  bltu a1, a2, 1f
  j test_fail
1:
TEST_END
