/* RV64I arithmetic, logic, compare and shift instructions, register and
 * immediate forms, W forms (32-bit result sign-extended), shift amounts at
 * the edges (63/31) and masked, x0 as destination, rd == rs. */
#include "isa_test.h"
  .option norvc
TEST_BEGIN
  /* add / addi */
  TEST_RR(1, add, 0x0000000000000000, 0, 0)
  TEST_RR(2, add, 0x0000000000000005, 2, 3)
  TEST_RR(3, add, 0x8000000000000000, 0x7fffffffffffffff, 1)
  TEST_RR(4, add, 0x0000000000000000, 0xffffffffffffffff, 1)
  TEST_RR(5, add, 0x00000000ffffffff, 0x7fffffff, 0x80000000)
  TEST_RI(6, addi, 0x00000000000007ff, 0, 2047)
  TEST_RI(7, addi, 0xfffffffffffff800, 0, -2048)
  TEST_RI(8, addi, 0x7fffffffffffffff, 0x8000000000000000, -1)
  TEST_RI(9, addi, 0x0000000080000000, 0x7fffffff, 1)
  /* sub */
  TEST_RR(10, sub, 0xffffffffffffffff, 0, 1)
  TEST_RR(11, sub, 0x7fffffffffffffff, 0x8000000000000000, 1)
  TEST_RR(12, sub, 0xffffffff80000001, 0, 0x7fffffff)
  TEST_RR(13, sub, 0x0000000000000000, 0x123456789abcdef0, 0x123456789abcdef0)
  /* logic */
  TEST_RR(14, and, 0x0f000f00f000f000, 0xff00ff00ff00ff00, 0x0f0f0f0ff0f0f0f0)
  TEST_RR(15, or, 0xff0fff0ffff0fff0, 0xff00ff00ff00ff00, 0x0f0f0f0ff0f0f0f0)
  TEST_RR(16, xor, 0xf00ff00f0ff00ff0, 0xff00ff00ff00ff00, 0x0f0f0f0ff0f0f0f0)
  TEST_RI(17, andi, 0x0000000000000700, 0xff00ff00ff00ff00, 0x70f)
  TEST_RI(18, andi, 0xff00ff00ff00ff00, 0xff00ff00ff00ff00, -1)
  TEST_RI(19, ori, 0xfffffffffffff80f, 0x000000000000000f, -2033)
  TEST_RI(20, ori, 0xff00ff00ff00ff0f, 0xff00ff00ff00ff00, 0x00f)
  TEST_RI(21, xori, 0x00ff00ff00ff00f0, 0xff00ff00ff00ff00, -16)
  TEST_RI(22, xori, 0xffffffffffffffff, 0, -1)
  /* set-less-than */
  TEST_RR(23, slt, 1, 0xffffffffffffffff, 0)
  TEST_RR(24, slt, 0, 0, 0xffffffffffffffff)
  TEST_RR(25, slt, 1, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_RR(26, slt, 0, 5, 5)
  TEST_RR(27, sltu, 0, 0xffffffffffffffff, 0)
  TEST_RR(28, sltu, 1, 0, 0xffffffffffffffff)
  TEST_RR(29, sltu, 0, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_RR(30, sltu, 1, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_RI(31, slti, 1, 0xfffffffffffff000, -2048)
  TEST_RI(32, slti, 0, 0x7fffffffffffffff, -1)
  TEST_RI(33, slti, 1, 0, 1)
  /* sltiu compares against the sign-extended immediate as unsigned */
  TEST_RI(34, sltiu, 1, 0xfffffffffffffffe, -1)
  TEST_RI(35, sltiu, 0, 0xffffffffffffffff, -1)
  TEST_RI(36, sltiu, 1, 0, 1)   /* seqz */
  TEST_RI(37, sltiu, 0, 5, 1)
  /* shifts, 64-bit */
  TEST_RR(38, sll, 0x8000000000000000, 1, 63)
  TEST_RR(39, sll, 0x0000000000000002, 1, 65)   /* amount taken mod 64 */
  TEST_RR(40, sll, 0xfffffffffffffff0, 0xffffffffffffffff, 4)
  TEST_RR(41, srl, 0x0000000000000001, 0x8000000000000000, 63)
  TEST_RR(42, srl, 0x0fffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffc4)
  TEST_RR(43, sra, 0xffffffffffffffff, 0x8000000000000000, 63)
  TEST_RR(44, sra, 0xf800000000000000, 0x8000000000000000, 4)
  TEST_RR(45, sra, 0x0000000000000000, 0x7fffffffffffffff, 63)
  TEST_RI(46, slli, 0x8000000000000000, 1, 63)
  TEST_RI(47, slli, 0x0000000100000000, 1, 32)
  TEST_RI(48, srli, 0x0000000000000001, 0x8000000000000000, 63)
  TEST_RI(49, srli, 0x00000000ffffffff, 0xffffffffffffffff, 32)
  TEST_RI(50, srai, 0xffffffffffffffff, 0x8000000000000000, 63)
  TEST_RI(51, srai, 0xffffffff80000000, 0x8000000000000000, 32)
  TEST_RI(52, srai, 0x0000000000000000, 0x7fffffffffffffff, 63)
  /* W forms: operate on the low 32 bits, sign-extend the result */
  TEST_RR(53, addw, 0xffffffff80000000, 0x7fffffff, 1)
  TEST_RR(54, addw, 0x0000000000000000, 0xffffffff, 1)
  TEST_RR(55, addw, 0x0000000000000003, 0x1234567800000001, 0xabcdef0000000002)
  TEST_RR(56, subw, 0x000000007fffffff, 0x80000000, 1)
  TEST_RR(57, subw, 0xffffffffffffffff, 0, 1)
  TEST_RI(58, addiw, 0xffffffff80000000, 0x7fffffff, 1)
  TEST_RI(59, addiw, 0x000000007fffffff, 0x80000000, -1)
  TEST_RI(60, addiw, 0xffffffffffffffff, 0xffffffff00000000, -1)
  TEST_RI(61, addiw, 0x0000000012345678, 0xdeadbeef12345678, 0)  /* sext.w */
  TEST_RI(62, addiw, 0xffffffff87654321, 0x0000000087654321, 0)
  TEST_RR(63, sllw, 0xffffffff80000000, 1, 31)
  TEST_RR(64, sllw, 0x0000000000000002, 1, 33)  /* amount taken mod 32 */
  TEST_RR(65, sllw, 0x0000000000000000, 0xffffffff00000000, 1)
  TEST_RR(66, srlw, 0x0000000000000001, 0x80000000, 31)
  TEST_RR(67, srlw, 0xffffffff80000000, 0xffffffff80000000, 0)
  TEST_RR(68, srlw, 0x0000000000ffffff, 0x00000000ffffffff, 40)  /* 40 mod 32 = 8 */
  TEST_RR(69, sraw, 0xffffffffffffffff, 0x80000000, 31)
  TEST_RR(70, sraw, 0xfffffffff8000000, 0x80000000, 4)
  TEST_RR(71, sraw, 0x0000000000000000, 0xffffffff7fffffff, 31)
  TEST_RI(72, slliw, 0xffffffff80000000, 1, 31)
  TEST_RI(73, slliw, 0x0000000076543210, 0x0123456787654321, 4)
  TEST_RI(74, srliw, 0x0000000000000001, 0xffffffff80000000, 31)
  TEST_RI(75, srliw, 0xffffffff80000000, 0x80000000, 0)
  TEST_RI(76, srliw, 0x000000000fffffff, 0xffffffffffffffff, 4)
  TEST_RI(77, sraiw, 0xffffffffffffffff, 0x80000000, 31)
  TEST_RI(78, sraiw, 0x0000000000000000, 0xffffffff7fffffff, 31)
  TEST_RI(79, sraiw, 0x0000000007654321, 0x0000000076543210, 4)
  /* x0 as destination stays zero */
  TEST_RR_ZERODEST(80, add, 1, 2)
  TEST_RI_ZERODEST(81, addi, 5, 7)
  TEST_RI_ZERODEST(82, xori, 0, -1)
  TEST_RR_ZERODEST(83, sll, 1, 3)
  TEST_CASE(84, a0, 0, lui x0, 0x12345; mv a0, x0)
  TEST_CASE(85, a0, 0, auipc x0, 1; addi a0, x0, 0)
  /* rd aliases a source */
  TEST_RR_SRC1_EQ_DEST(86, add, 24, 13, 11)
  TEST_RR_SRC2_EQ_DEST(87, sub, 2, 13, 11)
  TEST_RR_SRC12_EQ(88, sub, 0, 0x123456789)
  TEST_RR_SRC12_EQ(89, sll, 0x0000000000000018, 0x0000000000000003)  /* 3 << 3 */
  TEST_CASE(90, a1, 0x0000000000000011, li a1, 0x10; addi a1, a1, 1)
  /* nop / x0 as source */
  TEST_CASE(91, a0, 0x00000000000000ff, li a0, 0xff; nop; add a0, a0, x0)
TEST_END
