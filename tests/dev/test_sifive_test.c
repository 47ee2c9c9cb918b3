/* sifive,test0: the three finisher words as OpenSBI's syscon drivers and
 * test programs write them, and everything else ignored. */
#include "../../src/dev/sifive_test.h"
#include "dev_check.h"

static int calls;
static sifive_test_kind last_kind;
static uint32_t last_code;

static void power(void *opaque, sifive_test_kind kind, uint32_t code)
{
    (*(int *)opaque)++;
    calls++;
    last_kind = kind;
    last_code = code;
}

int main(void)
{
    int mine = 0;
    sifive_test t;
    sifive_test_init(&t, power, &mine);
    uint64_t v = 1;
    CHECK(sifive_test_read(&t, 0, 4, &v) == 0 && v == 0, "reads 0");
    CHECK(sifive_test_write(&t, 0, 4, 0x5555) == 0 && calls == 1 && last_kind == SIFIVE_TEST_PASS && last_code == 0,
          "power off");
    CHECK(mine == 1, "opaque passed");
    sifive_test_write(&t, 0, 4, 0x3333 | (42u << 16));
    CHECK(calls == 2 && last_kind == SIFIVE_TEST_FAIL && last_code == 42, "fail code 42");
    sifive_test_write(&t, 0, 4, 0x3333 | (0xffffu << 16));
    CHECK(calls == 3 && last_code == 0xffff, "fail code 0xffff");
    sifive_test_write(&t, 0, 4, 0x7777);
    CHECK(calls == 4 && last_kind == SIFIVE_TEST_RESET, "reset");
    sifive_test_write(&t, 0, 2, 0x5555);
    CHECK(calls == 5 && last_kind == SIFIVE_TEST_PASS, "16-bit power off");
    /* Ignored: other values, offsets, sizes. */
    uint64_t junk[] = {0, 1, 0x5554, 0x1234, 0x7778, 0xffffffff};
    for (unsigned i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
        CHECK(sifive_test_write(&t, 0, 4, junk[i]) == 0, "write %#llx", (unsigned long long)junk[i]);
    CHECK(sifive_test_write(&t, 4, 4, 0x5555) == 0 && sifive_test_write(&t, 0xffc, 4, 0x5555) == 0, "other offsets");
    CHECK(sifive_test_write(&t, 0, 1, 0x55) == 0 && sifive_test_write(&t, 0, 8, 0x5555) == 0, "byte / 64-bit");
    CHECK(sifive_test_write(&t, 1, 2, 0x5555) == 0, "unaligned");
    CHECK(calls == 5, "none of them acted (%d calls)", calls);
    CHECK(sifive_test_read(&t, 3, 1, &v) == 0 && v == 0, "unaligned read 0");
    sifive_test_init(&t, NULL, NULL);
    CHECK(sifive_test_write(&t, 0, 4, 0x5555) == 0, "unwired");
    return check_report("sifive_test");
}
