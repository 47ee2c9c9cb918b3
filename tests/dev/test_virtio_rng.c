/* virtio-rng driven as Linux's driver would: one queue, no features;
 * buffers of one, three and many descriptors are filled with the source's
 * bytes in order, each request returning its length; a request is capped
 * at 64 KiB; a source that fails gives 0 bytes; a chain with a readable
 * descriptor makes the device ask for a reset; each answer raises the
 * interrupt. The source here counts, so every byte is checked. */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/dev/virtio_rng.h"
#include "virtio_driver.h"

#define F_VERSION_1 (1ull << 32)
#define NEXT 1
#define WRITE 2

static irq_probe probe;
static virtio_rng rng;
static uint8_t next_byte;
static int failing;

static int counting_source(void *opaque, void *buf, size_t n)
{
    CHECK(opaque == &next_byte, "the source's opaque");
    if (failing)
        return -5;
    for (size_t i = 0; i < n; i++)
        ((uint8_t *)buf)[i] = next_byte++;
    return 0;
}

/* The n bytes at gpa continue the count from *expect. */
static int counted(uint64_t gpa, size_t n, uint8_t *expect)
{
    int ok = 1;
    for (size_t i = 0; i < n; i++)
        ok &= at(gpa)[i] == (*expect)++;
    return ok;
}

int main(void)
{
    ram = calloc(1, RAM_SIZE);
    virtio_ram r = {ram, RAM_BASE, RAM_SIZE};
    virtio_mmio_init(&vm, NULL, NULL, r, irq_probe_line(&probe, 3));
    virtio_rng_init(&rng, &vm, counting_source, &next_byte);
    virtio_driver_setup(VIRTIO_RNG_ID, F_VERSION_1, 16, F_VERSION_1);
    CHECK(rd(0x070) == (1 | 2 | 4 | 8), "DRIVER_OK");
    uint8_t expect = 0;

    /* One buffer of 100 bytes. */
    put_desc(0, DATA, 100, WRITE, 0);
    offer(0);
    CHECK(used_idx_on(0) == 1 && used_id_on(0, 0) == 0 && used_len_on(0, 0) == 100, "one buffer: used 100");
    CHECK(counted(DATA, 100, &expect), "one buffer: the source's bytes");
    CHECK(probe.level[3] == 1, "interrupt raised");
    wr(0x064, rd(0x060));
    CHECK(probe.level[3] == 0, "interrupt acknowledged");

    /* Three buffers: 10, 1000, 5000 bytes, filled in order. */
    put_desc(1, DATA + 0x1000, 10, WRITE | NEXT, 2);
    put_desc(2, DATA + 0x2000, 1000, WRITE | NEXT, 3);
    put_desc(3, DATA + 0x3000, 5000, WRITE, 0);
    offer(1);
    CHECK(used_idx_on(0) == 2 && used_len_on(0, 1) == 6010, "three buffers: used %u", used_len_on(0, 1));
    CHECK(counted(DATA + 0x1000, 10, &expect) && counted(DATA + 0x2000, 1000, &expect) &&
              counted(DATA + 0x3000, 5000, &expect),
          "three buffers: the bytes continue across them");

    /* 200 KB asked: 64 KiB given. */
    put_desc(4, DATA + 0x10000, 200000, WRITE, 0);
    offer(4);
    CHECK(used_idx_on(0) == 3 && used_len_on(0, 2) == 65536, "a large request capped: %u", used_len_on(0, 2));
    CHECK(counted(DATA + 0x10000, 65536, &expect) && at(DATA + 0x10000)[65536] == 0, "capped at 64 KiB");

    /* The source fails: the request is answered with nothing. */
    failing = 1;
    put_desc(5, DATA, 100, WRITE, 0);
    offer(5);
    CHECK(used_idx_on(0) == 4 && used_len_on(0, 3) == 0, "failing source: used 0");
    failing = 0;

    /* A readable descriptor is the driver's error: a reset is due. */
    put_desc(6, DATA, 16, NEXT, 7);
    put_desc(7, DATA + 0x100, 16, WRITE, 0);
    offer(6);
    CHECK(rd(0x070) & 0x40, "NEEDS_RESET after a readable descriptor");
    CHECK(used_idx_on(0) == 4, "that chain not answered");
    CHECK(rng.bytes == 100 + 6010 + 65536, "bytes counted: %llu", (unsigned long long)rng.bytes);
    free(ram);
    return check_report("virtio_rng");
}
