/* Zbkb (pack, packh, packw, brev8) and Zbkx (xperm4, xperm8); the rest of
 * Zbkb (rol, ror, rori, andn, orn, xnor, rev8) is Zbb's and tested there.
 * Known answers from an independent model of the spec's pseudocode. */
#include "isa_test.h"
  .option arch, +zbkb, +zbkx

TEST_BEGIN
  TEST_RR(1, pack, 0x876543219abcdef0, 0x123456789abcdef0, 0x0fedcba987654321)
  TEST_RR(2, pack, 0xffffffff00000001, 0xffffffff00000001, 0x80000000ffffffff)
  TEST_RR(3, packh, 0x00000000000021f0, 0x123456789abcdef0, 0x0fedcba987654321)
  TEST_RR(4, packh, 0x000000000000ffff, 0x00000000000000ff, 0x00000000000080ff)
  TEST_RR(5, packw, 0x000000004321def0, 0x123456789abcdef0, 0x0fedcba987654321)
  TEST_RR(6, packw, 0xffffffff80011234, 0x0000000000001234, 0x0000000000008001)
  TEST_RR(7, packw, 0x000000007fff8000, 0xffffffffffff8000, 0x0000000000007fff)
  TEST_RR(8, xperm8, 0x1100223388004455, 0x8877665544332211, 0x00ff010207080304)
  TEST_RR(9, xperm8, 0xf0debc9a78563412, 0x123456789abcdef0, 0x0001020304050607)
  TEST_RR(10, xperm4, 0x0123456789abcdef, 0xfedcba9876543210, 0x0123456789abcdef)
  TEST_RR(11, xperm4, 0x000000001111fedc, 0x123456789abcdef0, 0x00000000ffff1234)
  TEST_RR(12, xperm4, 0xf0123456789abcde, 0x0123456789abcdef, 0x0fedcba987654321)
  TEST_R(13, brev8, 0x8040201008040201, 0x0102040810204080)
  TEST_R(14, brev8, 0x482c6a1e593d7b0f, 0x123456789abcdef0)
  TEST_R(15, brev8, 0x0000000000000000, 0x0000000000000000)
  TEST_R(16, brev8, 0xffffffffffffffff, 0xffffffffffffffff)
  TEST_R(17, brev8, 0x0100000000000080, 0x8000000000000001)
  /* rd == rs1, rd == rs2, rs1 == rs2, x0 destination */
  TEST_RR_SRC1_EQ_DEST(18, pack, 0x876543219abcdef0, 0x123456789abcdef0, 0x0fedcba987654321)
  TEST_RR_SRC2_EQ_DEST(19, packh, 0x00000000000021f0, 0x123456789abcdef0, 0x0fedcba987654321)
  TEST_RR_SRC12_EQ(20, packw, 0xffffffffdef0def0, 0x123456789abcdef0)
  TEST_RR_SRC12_EQ(21, xperm8, 0x0000000000000000, 0x123456789abcdef0)
  TEST_RR_ZERODEST(22, xperm4, 0x123456789abcdef0, 0)
  /* packw with rs2 = x0 is zext.h */
  TEST_CASE(23, a0, 0x0000000000008000, li a1, 0xffffffffffff8000; packw a0, a1, x0)
  /* brev8 twice is the identity; rev8 of brev8 reverses all 64 bits */
  TEST_CASE(24, a0, 0x123456789abcdef0, li a1, 0x123456789abcdef0; brev8 a0, a1; brev8 a0, a0)
  TEST_CASE(25, a0, 0x0f7b3d591e6a2c48, li a1, 0x123456789abcdef0; brev8 a0, a1; rev8 a0, a0)
TEST_END
