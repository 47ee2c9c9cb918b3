/* RV64I loads and stores: sign/zero extension of every width, positive and
 * negative offsets, stores that touch only their own bytes, and misaligned
 * accesses (this machine handles them without a trap, like QEMU). */
#include "isa_test.h"
  .option norvc

/* Load from label+off, compare. */
#define TEST_LD(num, op, exp, label, off) \
  TEST_CASE(num, a0, exp, la a1, label; op a0, off(a1))
/* Fill 16 bytes at buf with 0xaa, store val at buf+off with sop, then read
 * the 8 bytes at buf+roff back with ld (misaligned ld is fine here). */
#define TEST_ST(num, sop, val, off, roff, exp) \
  TEST_CASE(num, a0, exp, \
    la a1, buf; li t0, 0xaaaaaaaaaaaaaaaa; sd t0, 0(a1); sd t0, 8(a1); \
    li a2, val; sop a2, off(a1); ld a0, roff(a1))

  .data
  .balign 16
pattern:
  .byte 0x81, 0x02, 0x83, 0x74, 0xf5, 0x86, 0x07, 0x88
  .byte 0x09, 0x9a, 0x7b, 0xfc, 0x0d, 0x8e, 0x7f, 0xf0
pattern_end:
  .balign 16
buf:
  .zero 32

TEST_BEGIN
  /* aligned, sign- vs zero-extension */
  TEST_LD(1, lb, 0xffffffffffffff81, pattern, 0)
  TEST_LD(2, lbu, 0x0000000000000081, pattern, 0)
  TEST_LD(3, lb, 0x0000000000000002, pattern, 1)
  TEST_LD(4, lh, 0x0000000000000281, pattern, 0)
  TEST_LD(5, lh, 0x0000000000007483, pattern, 2)
  TEST_LD(6, lh, 0xffffffffffff86f5, pattern, 4)
  TEST_LD(7, lhu, 0x00000000000086f5, pattern, 4)
  TEST_LD(8, lw, 0x0000000074830281, pattern, 0)
  TEST_LD(9, lw, 0xffffffff880786f5, pattern, 4)
  TEST_LD(10, lwu, 0x00000000880786f5, pattern, 4)
  TEST_LD(11, ld, 0x880786f574830281, pattern, 0)
  TEST_LD(12, ld, 0xf07f8e0dfc7b9a09, pattern, 8)
  /* negative offsets */
  TEST_LD(13, lbu, 0x00000000000000f0, pattern_end, -1)
  TEST_LD(14, lh, 0xfffffffffffff07f, pattern_end, -2)
  TEST_LD(15, lw, 0xfffffffff07f8e0d, pattern_end, -4)
  TEST_LD(16, ld, 0xf07f8e0dfc7b9a09, pattern_end, -8)
  /* misaligned loads */
  TEST_LD(17, lh, 0xffffffffffff8302, pattern, 1)
  TEST_LD(18, lhu, 0x0000000000008302, pattern, 1)
  TEST_LD(19, lw, 0xfffffffff5748302, pattern, 1)
  TEST_LD(20, lwu, 0x00000000f5748302, pattern, 1)
  TEST_LD(21, lw, 0x000000000786f574, pattern, 3)
  TEST_LD(22, ld, 0x09880786f5748302, pattern, 1)
  TEST_LD(23, ld, 0x7b9a09880786f574, pattern, 3)
  TEST_LD(24, ld, 0xf07f8e0dfc7b9a09, pattern, 8)
  TEST_LD(25, ld, 0x0dfc7b9a09880786, pattern, 5)
  TEST_LD(26, lh, 0x0000000000007b9a, pattern, 9)
  /* stores write exactly their width */
  TEST_ST(27, sb, 0x1234567890abcdef, 0, 0, 0xaaaaaaaaaaaaaaef)
  TEST_ST(28, sb, 0x00000000000000ff, 7, 0, 0xffaaaaaaaaaaaaaa)
  TEST_ST(29, sh, 0x1234567890abcdef, 2, 0, 0xaaaaaaaacdefaaaa)
  TEST_ST(30, sw, 0x1234567890abcdef, 4, 0, 0x90abcdefaaaaaaaa)
  TEST_ST(31, sd, 0x1234567890abcdef, 0, 0, 0x1234567890abcdef)
  TEST_ST(32, sd, 0x1234567890abcdef, 8, 0, 0xaaaaaaaaaaaaaaaa)
  /* misaligned stores */
  TEST_ST(33, sh, 0x000000000000beef, 1, 0, 0xaaaaaaaaaabeefaa)
  TEST_ST(34, sh, 0x000000000000beef, 7, 0, 0xefaaaaaaaaaaaaaa)
  TEST_ST(35, sh, 0x000000000000beef, 7, 8, 0xaaaaaaaaaaaaaabe)
  TEST_ST(36, sw, 0x00000000deadbeef, 3, 0, 0xaadeadbeefaaaaaa)
  TEST_ST(37, sw, 0x00000000deadbeef, 6, 8, 0xaaaaaaaaaaaadead)
  TEST_ST(38, sd, 0x0123456789abcdef, 5, 0, 0xabcdefaaaaaaaaaa)
  TEST_ST(39, sd, 0x0123456789abcdef, 5, 8, 0xaaaaaa0123456789)
  TEST_ST(40, sd, 0x0123456789abcdef, 1, 1, 0x0123456789abcdef)
  /* store then load of the same bytes, misaligned, with sign extension */
  TEST_CASE(41, a0, 0xffffffff80000001, la a1, buf; li a2, 0x80000001; sw a2, 13(a1); lw a0, 13(a1))
  TEST_CASE(42, a0, 0x0000000080000001, la a1, buf; lwu a0, 13(a1))
  TEST_CASE(43, a0, 0xffffffffffff8000, la a1, buf; li a2, 0x8000; sh a2, 15(a1); lh a0, 15(a1))
  /* negative store offset */
  TEST_CASE(44, a0, 0x00000000000000a5, la a1, buf + 8; li a2, 0xa5; sb a2, -3(a1); la a1, buf; lbu a0, 5(a1))
  /* load into x0 has no effect on x0 */
  TEST_CASE(45, x0, 0, la a1, pattern; ld x0, 0(a1))
  /* rd == base register */
  TEST_CASE(46, a1, 0x880786f574830281, la a1, pattern; ld a1, 0(a1))
TEST_END
