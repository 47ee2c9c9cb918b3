/* virtio-rng (device id 4, QEMU's virtio-rng-device) over a virtio-mmio
 * slot: one request queue whose writable buffers the device fills with
 * random bytes from a source (the host layer's random, or the embedder's).
 * No features, no config space. Plain state: the wiring only. */
#ifndef SPLITVM_DEV_VIRTIO_RNG_H
#define SPLITVM_DEV_VIRTIO_RNG_H

#include "virtio_mmio.h"

#define VIRTIO_RNG_ID 4u

/* Fill buf with n random bytes: 0, or negative on failure. */
typedef int (*virtio_rng_source_fn)(void *opaque, void *buf, size_t n);

typedef struct virtio_rng {
    virtio_rng_source_fn source; /* wiring */
    void *source_opaque;
    uint64_t bytes; /* handed to the guest, for statistics */
} virtio_rng;

void virtio_rng_init(virtio_rng *vr, virtio_mmio *slot, virtio_rng_source_fn source, void *opaque);

#endif
