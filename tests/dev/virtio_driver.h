/* A virtio-mmio driver for device tests, written from the spec: guest RAM
 * owned by the test with one split queue at fixed addresses, register
 * access, descriptors, and Linux's probe and setup sequence. */
#ifndef SPLITVM_TEST_VIRTIO_DRIVER_H
#define SPLITVM_TEST_VIRTIO_DRIVER_H

#include <string.h>

#include "../../src/dev/virtio_mmio.h"
#include "dev_check.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x100000ull
#define DESC (RAM_BASE + 0x1000)
#define AVAIL (RAM_BASE + 0x3000)
#define USED (RAM_BASE + 0x4000)
#define DATA (RAM_BASE + 0x10000)

static uint8_t *ram;
static virtio_mmio vm;
static uint16_t avail_idx;
static uint32_t qnum;

static uint32_t rd(uint64_t off) { return dev_rd32(virtio_mmio_read, &vm, off); }

static void wr(uint64_t off, uint32_t v) { dev_wr32(virtio_mmio_write, &vm, off, v); }

static uint8_t *at(uint64_t gpa) { return ram + (gpa - RAM_BASE); }
static void put16(uint64_t gpa, uint16_t v) { memcpy(at(gpa), &v, 2); }
static uint16_t get16(uint64_t gpa) { uint16_t v; memcpy(&v, at(gpa), 2); return v; }
static uint32_t get32(uint64_t gpa) { uint32_t v; memcpy(&v, at(gpa), 4); return v; }

static void put_desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t *d = at(DESC + 16 * (uint64_t)i);
    memcpy(d, &addr, 8);
    memcpy(d + 8, &len, 4);
    memcpy(d + 12, &flags, 2);
    memcpy(d + 14, &next, 2);
}

/* Make chain `head` available and notify queue 0. */
static void offer(uint16_t head)
{
    put16(AVAIL + 4 + 2 * (uint64_t)(avail_idx % qnum), head);
    avail_idx++;
    put16(AVAIL + 2, avail_idx);
    wr(0x050, 0);
}

/* Linux's virtio_mmio probe and virtio core's setup, one queue of num. */
static void virtio_driver_setup(uint32_t device_id, uint64_t offered_expect, uint32_t num, uint64_t features)
{
    CHECK(rd(0x000) == 0x74726976 && rd(0x004) == 2 && rd(0x008) == device_id && rd(0x00c) == 0x554d4551, "identity");
    wr(0x070, 0);
    CHECK(rd(0x070) == 0, "reset");
    wr(0x070, 1);
    wr(0x070, 1 | 2);
    wr(0x014, 1);
    uint64_t offered = (uint64_t)rd(0x010) << 32;
    wr(0x014, 0);
    offered |= rd(0x010);
    CHECK(offered == offered_expect, "offered %#llx", (unsigned long long)offered);
    wr(0x024, 0);
    wr(0x020, (uint32_t)features);
    wr(0x024, 1);
    wr(0x020, (uint32_t)(features >> 32));
    wr(0x070, 1 | 2 | 8);
    wr(0x030, 0);
    CHECK(rd(0x044) == 0 && rd(0x034) == 256, "queue 0 free, max 256");
    qnum = num;
    wr(0x038, num);
    wr(0x080, (uint32_t)DESC);
    wr(0x084, (uint32_t)(DESC >> 32));
    wr(0x090, (uint32_t)AVAIL);
    wr(0x094, (uint32_t)(AVAIL >> 32));
    wr(0x0a0, (uint32_t)USED);
    wr(0x0a4, (uint32_t)(USED >> 32));
    wr(0x044, 1);
    wr(0x070, 1 | 2 | 4 | 8);
    avail_idx = 0;
}

#endif
