/* Harness self-test: an unexpected trap (ecall from M mode, mcause 11)
 * must end the run with exit status 200 + 11 = 211. */
#include "isa_test.h"
  .option norvc
TEST_BEGIN
  TEST_RR(1, add, 5, 2, 3)
  ecall
TEST_END
