/* C extension: every RV64C instruction (c.ebreak excepted), written as
 * explicit c.* mnemonics: immediates at their sign-extension edges, W forms,
 * loads/stores through a register and through sp (integer and double),
 * c.addi16sp / c.addi4spn, jumps and branches with their link values
 * (pc + 2), and 32-bit instructions at 2-byte-aligned addresses. */
#include "isa_test.h"

#define TEST_C1(num, exp, init, ...) \
  TEST_CASE(num, a0, exp, li a0, init; __VA_ARGS__)
#define TEST_C2(num, exp, a, b, ...) \
  TEST_CASE(num, a0, exp, li a0, a; li a1, b; __VA_ARGS__)

  .data
  .balign 16
cbuf:
  .dword 0x0123456789abcdef, 0xfedcba9876543210, 0x8000000080000000, 0x3ff8000000000000
  .zero 512

TEST_BEGIN
  /* constants */
  TEST_C1(1, 0xffffffffffffffe0, 0, c.li a0, -32)
  TEST_C1(2, 0x000000000000001f, 0, c.li a0, 31)
  TEST_C1(3, 0x0000000000001000, 0, c.lui a0, 1)
  TEST_C1(4, 0x000000000001f000, 0, c.lui a0, 0x1f)
  TEST_C1(5, 0xfffffffffffe0000, 0, c.lui a0, 0xfffe0)
  TEST_C1(6, 0xfffffffffffff000, 0, c.lui a0, 0xfffff)
  /* immediate arithmetic */
  TEST_C1(7, 0xffffffffffffffff, 0, c.addi a0, -1)
  TEST_C1(8, 0x000000010000001e, 0x00000000ffffffff, c.addi a0, 31)
  TEST_C1(9, 0xffffffffffffffe0, 0, c.addi a0, -32)
  TEST_C1(10, 0x000000007fffffff, 0x0000000080000000, c.addiw a0, -1)
  TEST_C1(11, 0xffffffffffffffff, 0x00000000ffffffff, c.addiw a0, 0)
  TEST_C1(12, 0xffffffff80000000, 0x000000007fffffff, c.addiw a0, 1)
  TEST_C1(13, 0x8000000000000000, 1, c.slli a0, 63)
  TEST_C1(14, 0x0000000100000000, 1, c.slli a0, 32)
  TEST_C1(15, 0x0000000000000001, 0x8000000000000000, c.srli a0, 63)
  TEST_C1(16, 0x7fffffffffffffff, 0xffffffffffffffff, c.srli a0, 1)
  TEST_C1(17, 0xffffffffffffffff, 0x8000000000000000, c.srai a0, 63)
  TEST_C1(18, 0xffffffff80000000, 0x8000000000000000, c.srai a0, 32)
  TEST_C1(19, 0x123456789abcdee0, 0x123456789abcdeff, c.andi a0, -32)
  TEST_C1(20, 0x000000000000001f, 0x123456789abcdeff, c.andi a0, 31)
  TEST_C1(21, 0x123456789abcdeff, 0x123456789abcdeff, c.andi a0, -1)
  /* register arithmetic */
  TEST_C2(22, 0x00000000deadbeef, 5, 0xdeadbeef, c.mv a0, a1)
  TEST_C2(23, 0x8000000000000000, 0x7fffffffffffffff, 1, c.add a0, a1)
  TEST_C2(24, 0xffffffffffffffff, 0, 1, c.sub a0, a1)
  TEST_C2(25, 0x0ff00ff00ff00ff0, 0x0f0f0f0f0f0f0f0f, 0x00ff00ff00ff00ff, c.xor a0, a1)
  TEST_C2(26, 0x0fff0fff0fff0fff, 0x0f0f0f0f0f0f0f0f, 0x00ff00ff00ff00ff, c.or a0, a1)
  TEST_C2(27, 0x000f000f000f000f, 0x0f0f0f0f0f0f0f0f, 0x00ff00ff00ff00ff, c.and a0, a1)
  TEST_C2(28, 0xffffffff80000000, 0x000000007fffffff, 1, c.addw a0, a1)
  TEST_C2(29, 0x0000000000000000, 0x12345678ffffffff, 1, c.addw a0, a1)
  TEST_C2(30, 0x000000007fffffff, 0xffffffff80000000, 1, c.subw a0, a1)
  TEST_C2(31, 0xffffffffffffffff, 0x1000000000000000, 1, c.subw a0, a1)
  TEST_CASE(32, a0, 0x0000000000000007, li a0, 7; c.nop; c.nop)

  /* loads / stores through a register */
  TEST_CASE(33, a0, 0xffffffff89abcdef, la a1, cbuf; c.lw a0, 0(a1))
  TEST_CASE(34, a0, 0x0000000001234567, la a1, cbuf; c.lw a0, 4(a1))
  TEST_CASE(35, a0, 0xfedcba9876543210, la a1, cbuf; c.ld a0, 8(a1))
  TEST_CASE(36, a0, 0xffffffff80000000, la a1, cbuf; c.lw a0, 20(a1))
  TEST_CASE(37, a0, 0x00000000cafef00d, la a1, cbuf; li a2, 0xffffffffcafef00d; c.sw a2, 124(a1); lwu a0, 124(a1))
  TEST_CASE(38, a0, 0x1122334455667788, la a1, cbuf; li a2, 0x1122334455667788; c.sd a2, 248(a1); ld a0, 248(a1))
  TEST_CASE(39, a0, 0x3ff8000000000000, la a1, cbuf; c.fld fa0, 24(a1); fmv.x.d a0, fa0)
  TEST_CASE(40, a0, 0x3ff8000000000000, la a1, cbuf; c.fsd fa0, 240(a1); ld a0, 240(a1))

  /* sp-relative forms: point sp at cbuf for a moment */
  mv s1, sp
  la sp, cbuf
  TEST_CASE(41, a0, 0xffffffff89abcdef, c.lwsp a0, 0(sp))
  TEST_CASE(42, a0, 0xfffffffffedcba98, c.lwsp a0, 12(sp))
  TEST_CASE(43, a0, 0xfedcba9876543210, c.ldsp a0, 8(sp))
  TEST_CASE(44, a0, 0x3ff8000000000000, c.fldsp fa1, 24(sp); fmv.x.d a0, fa1)
  TEST_CASE(45, a0, 0xffffffff87654321, li a1, 0x0000000087654321; c.swsp a1, 252(sp); lw a0, 252(sp))
  TEST_CASE(46, a0, 0x0badc0de0badc0de, li a1, 0x0badc0de0badc0de; c.sdsp a1, 504(sp); ld a0, 504(sp))
  TEST_CASE(47, a0, 0x3ff8000000000000, c.fsdsp fa1, 256(sp); ld a0, 256(sp))
  /* c.addi16sp and c.addi4spn compute from sp */
  CASE(48)
  mv a1, sp
  c.addi16sp sp, -512
  sub a0, a1, sp
  CHECK(a0, 512)
  c.addi16sp sp, 496
  sub a0, a1, sp
  CHECK(a0, 16)
  c.addi16sp sp, 16
  CHECK_REG(sp, a1)
  CASE(49)
  c.addi4spn a0, sp, 1020
  sub a0, a0, sp
  CHECK(a0, 1020)
  c.addi4spn a2, sp, 4
  sub a0, a2, sp
  CHECK(a0, 4)
  mv sp, s1

  /* c.j forward and backward */
  CASE(50)
  li a0, 0
  c.j 2f
1:
  c.addi a0, 1
  c.j 3f
2:
  c.addi a0, 2
  c.j 1b
3:
  CHECK(a0, 3)

  /* c.beqz / c.bnez taken and not taken (all 64 bits are tested) */
  CASE(51)
  li a1, 0x100000000
  c.beqz a1, 1f
  c.bnez a1, 2f
1:
  j test_fail
2:
  CASE(52)
  li a1, 0
  c.bnez a1, 1f
  c.beqz a1, 2f
1:
  j test_fail
2:

  /* c.jr: jump to register, no link */
  CASE(53)
  la a1, 1f
  li ra, 0x77
  c.jr a1
  j test_fail
1:
  CHECK(ra, 0x77)

  /* c.jalr links pc + 2 */
  CASE(54)
  la a1, 1f
  la a3, 2f
  c.jalr a1
2:
  j test_fail
1:
  CHECK_REG(ra, a3)

  /* c.jalr with rs1 == ra uses the old value */
  CASE(55)
  la ra, 1f
  la a3, 2f
  c.jalr ra
2:
  j test_fail
1:
  CHECK_REG(ra, a3)

  /* 32-bit instructions at 2-byte-aligned addresses, and a branch to one */
  CASE(56)
  .balign 4
  c.nop
  .option push
  .option norvc
  addi a0, x0, 0x123
  lui a1, 0x12345
  .option pop
  c.nop
  CHECK(a0, 0x123)
  CHECK(a1, 0x12345000)
  CASE(57)
  li a0, 0
  .balign 4
  c.j 1f
  c.nop
1:
  .option push
  .option norvc
  addi a0, a0, 9      /* at pc % 4 == 2 */
  .option pop
  CHECK(a0, 9)
TEST_END
