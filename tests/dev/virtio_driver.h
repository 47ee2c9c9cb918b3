/* A virtio-mmio driver for device tests, written from the spec: guest RAM
 * owned by the test with split queues at fixed addresses (queue 0 at
 * DESC/AVAIL/USED, up to DRIVER_QUEUES), register access, descriptors,
 * and Linux's probe and setup sequence. */
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

/* Queues past the first (virtio_driver_setup_queues): the rings of queue
 * q lie QUEUE_STRIDE * q above queue 0's, all below DATA. Queue 0's state
 * stays in avail_idx and qnum. */
#define DRIVER_QUEUES 3
#define QUEUE_STRIDE 0x4000ull
#define QDESC(q) (DESC + QUEUE_STRIDE * (q))
#define QAVAIL(q) (AVAIL + QUEUE_STRIDE * (q))
#define QUSED(q) (USED + QUEUE_STRIDE * (q))
static uint16_t more_avail_idx[DRIVER_QUEUES];
static uint32_t more_qnum[DRIVER_QUEUES];

static inline uint16_t *queue_avail_idx(unsigned q) { return q ? &more_avail_idx[q] : &avail_idx; }
static inline uint32_t queue_num(unsigned q) { return q ? more_qnum[q] : qnum; }

static inline void put_desc_on(unsigned q, unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t *d = at(QDESC(q) + 16 * (uint64_t)i);
    memcpy(d, &addr, 8);
    memcpy(d + 8, &len, 4);
    memcpy(d + 12, &flags, 2);
    memcpy(d + 14, &next, 2);
}

/* Make chain `head` of queue q available, without notifying. */
static inline void post_on(unsigned q, uint16_t head)
{
    uint16_t *idx = queue_avail_idx(q);
    put16(QAVAIL(q) + 4 + 2 * (uint64_t)(*idx % queue_num(q)), head);
    (*idx)++;
    put16(QAVAIL(q) + 2, *idx);
}

/* Make chain `head` of queue q available and notify queue q. */
static inline void offer_on(unsigned q, uint16_t head)
{
    post_on(q, head);
    wr(0x050, q);
}

/* The device's used.idx of queue q, and entry n's id and length. */
static inline uint16_t used_idx_on(unsigned q) { return get16(QUSED(q) + 2); }
static inline uint32_t used_id_on(unsigned q, uint16_t n) { return get32(QUSED(q) + 4 + 8 * (uint64_t)(n % queue_num(q))); }
static inline uint32_t used_len_on(unsigned q, uint16_t n) { return get32(QUSED(q) + 8 + 8 * (uint64_t)(n % queue_num(q))); }

/* Linux's virtio_mmio probe and feature negotiation, up to FEATURES_OK. */
static inline void virtio_driver_negotiate(uint32_t device_id, uint64_t offered_expect, uint64_t features)
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
}

/* Queue q of num entries at QDESC/QAVAIL/QUSED(q), made ready. */
static inline void virtio_driver_queue(unsigned q, uint32_t num)
{
    wr(0x030, q);
    CHECK(rd(0x044) == 0 && rd(0x034) == 256, "queue %u free, max 256", q);
    if (q)
        more_qnum[q] = num;
    else
        qnum = num;
    *queue_avail_idx(q) = 0;
    wr(0x038, num);
    wr(0x080, (uint32_t)QDESC(q));
    wr(0x084, (uint32_t)(QDESC(q) >> 32));
    wr(0x090, (uint32_t)QAVAIL(q));
    wr(0x094, (uint32_t)(QAVAIL(q) >> 32));
    wr(0x0a0, (uint32_t)QUSED(q));
    wr(0x0a4, (uint32_t)(QUSED(q) >> 32));
    wr(0x044, 1);
}

static inline void put_desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    put_desc_on(0, i, addr, len, flags, next);
}

/* Make chain `head` available and notify queue 0. */
static inline void offer(uint16_t head) { offer_on(0, head); }

/* Linux's virtio_mmio probe and virtio core's setup, one queue of num. */
static inline void virtio_driver_setup(uint32_t device_id, uint64_t offered_expect, uint32_t num, uint64_t features)
{
    virtio_driver_negotiate(device_id, offered_expect, features);
    virtio_driver_queue(0, num);
    wr(0x070, 1 | 2 | 4 | 8);
}

/* The same with queues 0..nq-1 (nq <= DRIVER_QUEUES) of num entries each. */
static inline void virtio_driver_setup_queues(uint32_t device_id, uint64_t offered_expect, unsigned nq, uint32_t num,
                                       uint64_t features)
{
    virtio_driver_negotiate(device_id, offered_expect, features);
    CHECK(rd(0x070) == (1 | 2 | 8), "FEATURES_OK taken");
    for (unsigned q = 0; q < nq && q < DRIVER_QUEUES; q++)
        virtio_driver_queue(q, num);
    wr(0x070, 1 | 2 | 4 | 8);
}

#endif
