/* virtio-blk: a request is a 16-byte header (type, reserved, sector) in the
 * readable part, the data (readable for writes, writable for reads) and a
 * status byte at the end of the writable part. Data goes between the disk
 * and guest RAM directly, buffer by buffer. */
#include "virtio_blk.h"

#include <errno.h>
#include <string.h>

#define T_IN 0u
#define T_OUT 1u
#define T_FLUSH 4u
#define T_GET_ID 8u
#define S_OK 0u
#define S_IOERR 1u
#define S_UNSUPP 2u

#define F_SEG_MAX (1ull << 2)
#define F_RO (1ull << 5)
#define F_BLK_SIZE (1ull << 6)
#define F_FLUSH (1ull << 9)

#define QUEUE_SIZE 256u
#define SEG_MAX (VIRTQ_MAX_CHAIN - 2u) /* the header and the status take two */
#define CONFIG_SIZE 24u                /* capacity, size_max, seg_max, geometry, blk_size */

static uint64_t config_read(void *opaque, uint32_t off, int size)
{
    virtio_blk *vb = opaque;
    uint8_t cfg[CONFIG_SIZE] = {0};
    rv_put_le(cfg, vb->disk->size / VIRTIO_BLK_SECTOR, 8);
    rv_put_le(cfg + 12, SEG_MAX, 4);
    rv_put_le(cfg + 20, VIRTIO_BLK_SECTOR, 4);
    return rv_get_le(cfg + off, size);
}

/* Move the data part of request e (bytes [skip, skip + len) of its readable
 * part for writes, [0, len) of its writable part for reads) between guest
 * RAM and the disk at byte offset pos, one guest buffer at a time. */
static int transfer(virtio_blk *vb, const virtio_ram *ram, const virtq_elem *e, int write, uint64_t pos,
                    uint64_t len)
{
    unsigned first = write ? 0 : e->n_out, end = write ? e->n_out : e->n_out + e->n_in;
    uint64_t skip = write ? 16 : 0;
    for (unsigned i = first; i < end && len; i++) {
        uint64_t blen = e->buf[i].len, start = 0;
        if (skip >= blen) {
            skip -= blen;
            continue;
        }
        start = skip;
        skip = 0;
        uint64_t n = blen - start < len ? blen - start : len;
        uint8_t *p = virtio_ram_ptr(ram, e->buf[i].addr + start, n);
        if (!p)
            return -EFAULT;
        int r = write ? blk_write(vb->disk, pos, p, (size_t)n) : blk_read(vb->disk, pos, p, (size_t)n);
        if (r < 0)
            return r;
        pos += n;
        len -= n;
    }
    return len ? -EFAULT : 0;
}

/* Serve one request; returns the bytes written into its writable part, or
 * -1 when it is too malformed to answer (no room for a status byte). */
static int64_t serve(virtio_blk *vb, virtio_mmio *vm, const virtq_elem *e)
{
    uint8_t hdr[16];
    if (e->in_len < 1)
        return -1;
    uint8_t status = S_IOERR;
    uint64_t written = 0;
    if (virtq_read_out(&vm->ram, e, 0, hdr, sizeof hdr) != sizeof hdr) {
        vb->errors++;
        goto done;
    }
    uint32_t type = (uint32_t)rv_get_le(hdr, 4);
    uint64_t sector = rv_get_le(hdr + 8, 8);
    switch (type) {
    case T_IN:
    case T_OUT: {
        int write = type == T_OUT;
        uint64_t len = write ? e->out_len - 16 : e->in_len - 1;
        uint64_t cap = vb->disk->size / VIRTIO_BLK_SECTOR;
        /* Whole sectors inside the disk (QEMU answers the same way). */
        if (len % VIRTIO_BLK_SECTOR || sector > cap || len / VIRTIO_BLK_SECTOR > cap - sector ||
            (write && vb->disk->read_only) ||
            transfer(vb, &vm->ram, e, write, sector * VIRTIO_BLK_SECTOR, len) < 0) {
            vb->errors++;
            break;
        }
        if (write)
            vb->writes++;
        else
            vb->reads++, written = len;
        status = S_OK;
        break;
    }
    case T_FLUSH:
        if (blk_flush(vb->disk) < 0) {
            vb->errors++;
            break;
        }
        vb->flushes++;
        status = S_OK;
        break;
    case T_GET_ID: {
        uint64_t n = e->in_len - 1 < VIRTIO_BLK_SERIAL ? e->in_len - 1 : VIRTIO_BLK_SERIAL;
        written = virtq_write_in(&vm->ram, e, 0, vb->serial, (size_t)n);
        status = S_OK;
        break;
    }
    default:
        status = S_UNSUPP;
        break;
    }
done:
    /* The status byte is the last of the writable part. */
    virtq_write_in(&vm->ram, e, e->in_len - 1, &status, 1);
    return (int64_t)written + 1;
}

static void notify(void *opaque, virtio_mmio *vm, unsigned q)
{
    virtio_blk *vb = opaque;
    virtq_elem e;
    while (virtio_mmio_pop(vm, q, &e) == 1) {
        int64_t w = serve(vb, vm, &e);
        if (w < 0) {
            virtio_mmio_needs_reset(vm);
            return;
        }
        virtio_mmio_push(vm, q, &e, (uint32_t)w);
    }
}

static const virtio_backend blk_backend_rw = {
    .device_id = VIRTIO_BLK_ID,
    .features = F_SEG_MAX | F_BLK_SIZE | F_FLUSH,
    .num_queues = 1,
    .queue_num_max = QUEUE_SIZE,
    .config_size = CONFIG_SIZE,
    .config_read = config_read,
    .notify = notify,
};

static const virtio_backend blk_backend_ro = {
    .device_id = VIRTIO_BLK_ID,
    .features = F_SEG_MAX | F_BLK_SIZE | F_FLUSH | F_RO,
    .num_queues = 1,
    .queue_num_max = QUEUE_SIZE,
    .config_size = CONFIG_SIZE,
    .config_read = config_read,
    .notify = notify,
};

void virtio_blk_init(virtio_blk *vb, virtio_mmio *slot, blk_dev *disk, const char *serial)
{
    memset(vb, 0, sizeof *vb);
    vb->disk = disk;
    size_t n = strlen(serial);
    memcpy(vb->serial, serial, n < VIRTIO_BLK_SERIAL ? n : VIRTIO_BLK_SERIAL);
    virtio_mmio_init(slot, disk->read_only ? &blk_backend_ro : &blk_backend_rw, vb, slot->ram, slot->irq);
}
