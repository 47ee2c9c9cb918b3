/* Harness self-test: case 7 carries a wrong expectation on purpose, so the
 * run must end with exit status 7 (a runner that ignores the tohost code,
 * or an instruction that does nothing, shows up here). */
#include "isa_test.h"
  .option norvc
TEST_BEGIN
  TEST_RR(1, add, 5, 2, 3)
  TEST_RR(7, add, 6, 2, 3)
  TEST_RR(8, add, 5, 2, 3)
TEST_END
