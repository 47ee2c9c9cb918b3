/* virtio-blk (device id 2) over a virtio-mmio slot: one request queue,
 * reads, writes, flushes and the serial number (GET_ID) on a blk_dev.
 * Requests are served when the driver notifies, synchronously. Plain
 * state: the blk_dev and the slot are wiring, set at init. */
#ifndef SPLITVM_DEV_VIRTIO_BLK_H
#define SPLITVM_DEV_VIRTIO_BLK_H

#include "../block/block.h"
#include "virtio_mmio.h"

#define VIRTIO_BLK_ID 2u
#define VIRTIO_BLK_SECTOR 512u
#define VIRTIO_BLK_SERIAL 20u /* GET_ID's bytes */

typedef struct virtio_blk {
    blk_dev *disk;                 /* wiring */
    char serial[VIRTIO_BLK_SERIAL]; /* not NUL-terminated when full */
    uint64_t reads, writes, flushes, errors; /* requests served, for statistics */
} virtio_blk;

/* Attach a disk to a slot: the slot presents a virtio-blk device. */
void virtio_blk_init(virtio_blk *vb, virtio_mmio *slot, blk_dev *disk, const char *serial);

#endif
