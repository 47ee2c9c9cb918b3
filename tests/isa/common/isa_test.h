/* Macros for the bare-metal ISA tests (assembly, run through cpp).
 *
 * Each case loads its operands, runs one instruction and compares the result
 * with a known answer; a mismatch jumps to test_fail, which reports the case
 * number (held in TESTNUM) as the HTIF exit code.  Case numbers must stay in
 * 1..199: exit codes 200 + mcause mean an unexpected trap (see start.S).
 *
 * Registers: TESTNUM = gp; operands a1, a2, a3 (fa1, fa2, fa3); result a0
 * (fa0); scratch t0, t1, t2.  Tests must not use these for their own state
 * across a macro. */
#ifndef ISA_TEST_H
#define ISA_TEST_H

#define TESTNUM gp
#define MSTATUS_FS_DIRTY 0x6000
#define TRAP_EXIT_BASE 200

/* fflags bits */
#define FL_NX 0x01
#define FL_UF 0x02
#define FL_OF 0x04
#define FL_DZ 0x08
#define FL_NV 0x10

/* Rounding-mode operand for FP macros: pass one of these as `rm`; NORM for
 * instructions that take none (the comma is part of the expansion). */
#define NORM
#define RNE , rne
#define RTZ , rtz
#define RDN , rdn
#define RUP , rup
#define RMM , rmm
#define DYN , dyn

/* frm values for fsrm / the dynamic mode */
#define FRM_RNE 0
#define FRM_RTZ 1
#define FRM_RDN 2
#define FRM_RUP 3
#define FRM_RMM 4

#ifdef __ASSEMBLER__

#define TEST_BEGIN \
  .text; \
  .globl test_main; \
test_main:

#define TEST_END \
  j test_pass

/* Case header: records the number that a failure reports. */
#define CASE(num) li TESTNUM, num

/* Fail unless reg == exp (64-bit compare). */
#define CHECK(reg, exp) \
  li t2, exp; \
  beq reg, t2, 98f; \
  j test_fail; \
98:

/* Fail unless two registers are equal. */
#define CHECK_REG(reg, reg2) \
  beq reg, reg2, 96f; \
  j test_fail; \
96:

/* Fail if reg is zero (for results only specified as "nonzero"). */
#define CHECK_NONZERO(reg) \
  bnez reg, 97f; \
  j test_fail; \
97:

/* Generic case: run the code, then compare reg. */
#define TEST_CASE(num, reg, exp, ...) \
  CASE(num); \
  __VA_ARGS__; \
  CHECK(reg, exp)

/* ---- integer register-register / immediate forms ---- */
#define TEST_RR(num, op, exp, a, b) \
  TEST_CASE(num, a0, exp, li a1, a; li a2, b; op a0, a1, a2)
#define TEST_RI(num, op, exp, a, imm) \
  TEST_CASE(num, a0, exp, li a1, a; op a0, a1, imm)
#define TEST_R(num, op, exp, a) \
  TEST_CASE(num, a0, exp, li a1, a; op a0, a1)
/* rd == rs1, rd == rs2, rs1 == rs2 */
#define TEST_RR_SRC1_EQ_DEST(num, op, exp, a, b) \
  TEST_CASE(num, a1, exp, li a1, a; li a2, b; op a1, a1, a2)
#define TEST_RR_SRC2_EQ_DEST(num, op, exp, a, b) \
  TEST_CASE(num, a2, exp, li a1, a; li a2, b; op a2, a1, a2)
#define TEST_RR_SRC12_EQ(num, op, exp, a) \
  TEST_CASE(num, a0, exp, li a1, a; op a0, a1, a1)
/* x0 as destination stays zero */
#define TEST_RR_ZERODEST(num, op, a, b) \
  TEST_CASE(num, x0, 0, li a1, a; li a2, b; op x0, a1, a2)
#define TEST_RI_ZERODEST(num, op, a, imm) \
  TEST_CASE(num, x0, 0, li a1, a; op x0, a1, imm)

/* ---- floating point ---- */
/* Move raw bits into an f register (fmv.w.x NaN-boxes single values). */
#define LOAD_S(freg, bits) li t0, bits; fmv.w.x freg, t0
#define LOAD_D(freg, bits) li t0, bits; fmv.d.x freg, t0

/* Check raw bits; single results must also be NaN-boxed (upper 32 ones). */
#define CHECK_S(freg, bits) \
  fmv.x.d t0, freg; \
  CHECK(t0, (0xffffffff00000000 | (bits)))
#define CHECK_D(freg, bits) \
  fmv.x.d t0, freg; \
  CHECK(t0, bits)

/* Flags read into t1 right after the instruction under test. */
#define CHECK_FLAGS(fl) CHECK(t1, fl)
#define CLEAR_FLAGS csrwi fflags, 0
#define READ_FLAGS frflags t1

#define TEST_FP_OP1(P, num, op, rm, exp, fl, a) \
  CASE(num); LOAD_##P(fa1, a); CLEAR_FLAGS; \
  op fa0, fa1 rm; READ_FLAGS; \
  CHECK_##P(fa0, exp); CHECK_FLAGS(fl)

#define TEST_FP_OP2(P, num, op, rm, exp, fl, a, b) \
  CASE(num); LOAD_##P(fa1, a); LOAD_##P(fa2, b); CLEAR_FLAGS; \
  op fa0, fa1, fa2 rm; READ_FLAGS; \
  CHECK_##P(fa0, exp); CHECK_FLAGS(fl)

#define TEST_FP_OP3(P, num, op, rm, exp, fl, a, b, c) \
  CASE(num); LOAD_##P(fa1, a); LOAD_##P(fa2, b); LOAD_##P(fa3, c); \
  CLEAR_FLAGS; \
  op fa0, fa1, fa2, fa3 rm; READ_FLAGS; \
  CHECK_##P(fa0, exp); CHECK_FLAGS(fl)

/* FP source, integer result: fcvt.{w,wu,l,lu}, fclass, fmv.x */
#define TEST_FP_INT(P, num, op, rm, exp, fl, a) \
  CASE(num); LOAD_##P(fa1, a); CLEAR_FLAGS; \
  op a0, fa1 rm; READ_FLAGS; \
  CHECK(a0, exp); CHECK_FLAGS(fl)

/* Compare: feq/flt/fle */
#define TEST_FP_CMP(P, num, op, exp, fl, a, b) \
  CASE(num); LOAD_##P(fa1, a); LOAD_##P(fa2, b); CLEAR_FLAGS; \
  op a0, fa1, fa2; READ_FLAGS; \
  CHECK(a0, exp); CHECK_FLAGS(fl)

/* Integer source, FP result: fcvt.{s,d}.{w,wu,l,lu} */
#define TEST_INT_FP(P, num, op, rm, exp, fl, x) \
  CASE(num); li a1, x; CLEAR_FLAGS; \
  op fa0, a1 rm; READ_FLAGS; \
  CHECK_##P(fa0, exp); CHECK_FLAGS(fl)

/* Precision conversion: fcvt.s.d / fcvt.d.s */
#define TEST_FP_CVT(PI, PO, num, op, rm, exp, fl, a) \
  CASE(num); LOAD_##PI(fa1, a); CLEAR_FLAGS; \
  op fa0, fa1 rm; READ_FLAGS; \
  CHECK_##PO(fa0, exp); CHECK_FLAGS(fl)

#endif /* __ASSEMBLER__ */
#endif /* ISA_TEST_H */
