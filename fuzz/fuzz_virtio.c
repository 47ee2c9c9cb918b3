/* libFuzzer target: the virtio devices (virtio-blk over an in-memory raw
 * disk, virtio-net with a counting backend) as a hostile guest driver
 * drives them. The input is a script: descriptors (address, length, flags,
 * next) mostly pointing into a small guest RAM, avail-ring entries,
 * notifications, data bytes written into RAM, frames handed to the net
 * card, register writes and resets. Beyond "no crash" (ASan/UBSan) it
 * checks that the disk is never written past its end, every request a
 * device takes is answered (unless it gave up on the queue: NEEDS_RESET),
 * and the net backend never sees a frame over NET_FRAME_MAX. */
#include "block/block.h"
#include "dev/virtio_blk.h"
#include "dev/virtio_net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x20000u
#define DESC 0x1000u
#define AVAIL 0x3000u
#define USED 0x4000u
#define QSTRIDE 0x4000u /* queue q's rings at q * QSTRIDE above queue 0's */
#define DISK_SIZE 0x10000u
#define QNUM 8u

static uint8_t ram[RAM_SIZE];
static uint8_t disk[DISK_SIZE + 64]; /* 64 guard bytes must stay zero */

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_virtio: broken promise: %s\n", what);
        abort();
    }
}

static int disk_pread(void *o, void *buf, size_t len, uint64_t off)
{
    (void)o;
    require(off + len <= DISK_SIZE, "reads inside the disk");
    memcpy(buf, disk + off, len);
    return 0;
}

static int disk_pwrite(void *o, const void *buf, size_t len, uint64_t off)
{
    (void)o;
    require(off + len <= DISK_SIZE, "writes inside the disk");
    memcpy(disk + off, buf, len);
    return 0;
}

static int disk_flush(void *o) { return (void)o, 0; }
static int disk_length(void *o, uint64_t *len) { return (void)o, *len = DISK_SIZE, 0; }

static void net_send(void *opaque, const uint8_t *frame, size_t len)
{
    (void)opaque, (void)frame;
    require(len <= NET_FRAME_MAX, "frames to the backend fit NET_FRAME_MAX");
}

static void irq_level(void *opaque, unsigned line, int level) { (void)opaque, (void)line, (void)level; }

static void wr(virtio_mmio *vm, uint64_t off, uint32_t v) { virtio_mmio_write(vm, off, 4, v); }

/* Linux's setup of nq queues of QNUM entries, features as offered. */
static void setup(virtio_mmio *vm, unsigned nq)
{
    uint64_t v = 0;
    wr(vm, 0x070, 0);
    wr(vm, 0x070, 1 | 2);
    for (unsigned sel = 0; sel < 2; sel++) {
        wr(vm, 0x014, sel);
        virtio_mmio_read(vm, 0x010, 4, &v);
        wr(vm, 0x024, sel);
        wr(vm, 0x020, (uint32_t)v);
    }
    wr(vm, 0x070, 1 | 2 | 8);
    for (unsigned q = 0; q < nq; q++) {
        uint64_t base = RAM_BASE + q * QSTRIDE;
        wr(vm, 0x030, q);
        wr(vm, 0x038, QNUM);
        wr(vm, 0x080, (uint32_t)(base + DESC));
        wr(vm, 0x084, (uint32_t)((base + DESC) >> 32));
        wr(vm, 0x090, (uint32_t)(base + AVAIL));
        wr(vm, 0x094, (uint32_t)((base + AVAIL) >> 32));
        wr(vm, 0x0a0, (uint32_t)(base + USED));
        wr(vm, 0x0a4, (uint32_t)((base + USED) >> 32));
        wr(vm, 0x044, 1);
    }
    wr(vm, 0x070, 1 | 2 | 4 | 8);
}

static uint16_t get16(uint32_t off) { return (uint16_t)(ram[off] | ram[off + 1] << 8); }
static void put16(uint32_t off, uint16_t v) { ram[off] = (uint8_t)v, ram[off + 1] = (uint8_t)(v >> 8); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    memset(ram, 0, sizeof ram);
    memset(disk, 0, sizeof disk);
    host_ctx *host = host_create();
    virtio_ram r = {ram, RAM_BASE, RAM_SIZE};
    virtio_mmio vm;
    virtio_mmio_init(&vm, NULL, NULL, r, (irq_line){irq_level, NULL, 1});
    int is_net = data[0] & 1;
    blk_dev bd;
    virtio_blk vb;
    virtio_net vn;
    char err[200];
    blk_io io = {NULL, disk_pread, disk_pwrite, disk_flush, disk_length};
    if (is_net) {
        static const uint8_t mac[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
        virtio_net_init(&vn, &vm, mac, (net_backend){NULL, net_send});
    } else {
        require(blk_open(&bd, host, io, "raw", (data[0] >> 1) & 1, err, sizeof err) == 0, "the raw disk opens");
        virtio_blk_init(&vb, &vm, &bd, "fuzz");
    }
    unsigned nq = is_net ? 2 : 1;
    setup(&vm, nq);
    uint16_t avail_idx[2] = {0, 0};
    size_t i = 1;
    while (i + 8 <= size) {
        const uint8_t *c = data + i;
        unsigned q = c[0] >> 7 & (nq - 1);
        uint32_t qb = q * QSTRIDE;
        switch (c[0] & 7) {
        case 0: /* descriptor c[1] of queue q: address mostly in RAM */
        case 1: {
            uint32_t at = qb + DESC + 16u * (c[1] % QNUM);
            uint64_t addr = RAM_BASE + ((uint32_t)c[2] << 8 | c[3]) * 2u;
            if (c[0] & 0x40)
                addr = (uint64_t)c[2] << 56 | (uint64_t)c[3] << 24; /* anywhere */
            uint32_t len = (uint32_t)c[4] << 4 | c[5] >> 4;
            if (c[0] & 0x20)
                len = (uint32_t)c[4] << 24 | (uint32_t)c[5] << 8;
            uint16_t flags = c[6] & 3, next = c[7] % (QNUM + 1);
            memcpy(ram + at, &addr, 8);
            memcpy(ram + at + 8, &len, 4);
            memcpy(ram + at + 12, &flags, 2);
            memcpy(ram + at + 14, &next, 2);
            break;
        }
        case 2: /* make head c[1] available, notify */
            put16(qb + AVAIL + 4 + 2u * (avail_idx[q] % QNUM), c[1]);
            put16(qb + AVAIL + 2, ++avail_idx[q]);
            wr(&vm, 0x050, q);
            break;
        case 3: { /* bytes into the data area (a request header, say) */
            uint32_t at = 0x10000u + ((uint32_t)c[1] << 4);
            memcpy(ram + at, c + 2, 6);
            break;
        }
        case 4: /* a frame for the net card, of c[1..2] bytes */
            if (is_net) {
                static uint8_t frame[2048];
                size_t len = ((size_t)c[1] << 8 | c[2]) % sizeof frame;
                memset(frame, c[3], len);
                virtio_net_receive(&vn, frame, len);
            }
            break;
        case 5: /* the driver scribbles on its avail index */
            put16(qb + AVAIL + 2, (uint16_t)(c[1] << 8 | c[2]));
            avail_idx[q] = get16(qb + AVAIL + 2);
            wr(&vm, 0x050, q);
            break;
        case 6: /* a register write */
            wr(&vm, (uint64_t)(c[1] & 0xfc), (uint32_t)c[2] << 24 | (uint32_t)c[3] << 8 | c[4]);
            break;
        default: /* reset and set up again */
            setup(&vm, nq);
            avail_idx[0] = avail_idx[1] = 0;
            memset(ram + qb + AVAIL, 0, 4);
            break;
        }
        if (!(vm.status & VIRTIO_STATUS_NEEDS_RESET))
            for (unsigned k = 0; k < nq; k++)
                require(vm.queue[k].used_idx == vm.queue[k].last_avail, "every request taken is answered");
        i += 8;
    }
    for (size_t k = DISK_SIZE; k < sizeof disk; k++)
        require(disk[k] == 0, "nothing written past the disk's end");
    if (!is_net)
        blk_close(&bd);
    host_destroy(host);
    return 0;
}
