/* The virt board's disks: an image opened through the block layer and
 * presented as virtio-blk in a virtio-mmio slot. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "board_impl.h"

int board_add_drive(board *b, const board_drive *d, char *err, size_t errlen)
{
    if (b->opts.kind != BOARD_VIRT) {
        snprintf(err, errlen, "disks need the virt board");
        return -EINVAL;
    }
    if (b->nnics || b->has_rng) {
        snprintf(err, errlen, "disks go in before network cards and the virtio-rng device");
        return -EINVAL;
    }
    if (b->ndrives >= BOARD_MAX_DRIVES || b->ndrives + b->nnics >= VIRTIO_MMIO_SLOTS) {
        snprintf(err, errlen, "at most %d disks and network cards together (one per virtio-mmio slot)",
                 VIRTIO_MMIO_SLOTS);
        return -EINVAL;
    }
    unsigned i = b->ndrives;
    const char *name = d->io ? "the embedder's disk" : d->file;
    blk_host_file *f = &b->drive_file[i];
    f->host = b->host;
    f->fd = -1;
    blk_io io;
    if (d->io) {
        io = *d->io;
    } else {
        if (!d->file || !d->file[0]) {
            snprintf(err, errlen, "a disk needs a file");
            return -EINVAL;
        }
        int ro = d->read_only || d->snapshot;
        int fd = host_openat(b->host, AT_FDCWD, d->file, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC, 0);
        if (fd < 0) {
            snprintf(err, errlen, "cannot open disk image '%s': %s", d->file, strerror(-fd));
            return -EIO;
        }
        f->fd = fd;
        io = blk_io_host_file(f);
    }
    char why[256] = "";
    int r = blk_open(&b->drive[i], b->host, io, d->format, d->read_only || d->snapshot, why, sizeof why);
    if (r == 0 && d->snapshot && !d->read_only && (r = blk_overlay_attach(&b->drive[i])) < 0) {
        blk_close(&b->drive[i]);
        snprintf(why, sizeof why, "out of memory for its snapshot=on overlay");
    }
    if (r < 0) {
        snprintf(err, errlen, "disk image '%s': %s", name, why);
        if (f->fd >= 0)
            host_close(b->host, f->fd);
        f->fd = -1;
        return -EINVAL;
    }
    b->drive[i].log = d->log;
    b->drive[i].log_opaque = d->log_opaque;
    char serial[VIRTIO_BLK_SERIAL + 1];
    snprintf(serial, sizeof serial, "splitvm-disk%u", i);
    virtio_blk_init(&b->vblk[i], &b->virtio[VIRTIO_MMIO_SLOTS - 1 - (i + b->nnics)], &b->drive[i], serial);
    b->ndrives++;
    return 0;
}

void virt_close_drives(board *b)
{
    for (unsigned i = 0; i < b->ndrives; i++) {
        blk_close(&b->drive[i]);
        if (b->drive_file[i].fd >= 0)
            host_close(b->host, b->drive_file[i].fd);
        b->drive_file[i].fd = -1;
    }
    b->ndrives = 0;
}
