/* The sifive,test0 finisher (QEMU virt's syscon for power-off and reboot):
 * a 32-bit write at offset 0 of 0x5555 powers off, 0x3333 | code << 16
 * powers off with a failure code, 0x7777 resets. Everything else is
 * ignored and reads return 0. */
#ifndef SPLITVM_DEV_SIFIVE_TEST_H
#define SPLITVM_DEV_SIFIVE_TEST_H

#include <stdint.h>

#define SIFIVE_TEST_BASE 0x100000u
#define SIFIVE_TEST_SIZE 0x1000u

typedef enum sifive_test_kind {
    SIFIVE_TEST_PASS = 0, /* power off, status 0 */
    SIFIVE_TEST_FAIL = 1, /* power off with the guest's code */
    SIFIVE_TEST_RESET = 2,
} sifive_test_kind;

typedef void (*sifive_test_power_fn)(void *opaque, sifive_test_kind kind, uint32_t code);

typedef struct sifive_test {
    sifive_test_power_fn power; /* wiring, set at init */
    void *opaque;
} sifive_test;

void sifive_test_init(sifive_test *t, sifive_test_power_fn power, void *opaque);
/* Bus accessors: 16- and 32-bit writes at offset 0 act (a 16-bit one has no
 * code), other accesses are ignored; never a fault. */
int sifive_test_read(void *dev, uint64_t off, int size, uint64_t *val);
int sifive_test_write(void *dev, uint64_t off, int size, uint64_t val);

#endif
