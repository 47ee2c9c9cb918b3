/* virtio-rng: each request is a chain of writable buffers; the device
 * fills them with random bytes (at most 64 KiB a request, as much as the
 * source gives) and returns the count. A chain with readable buffers is
 * the driver's error: the device asks for a reset. */
#include "virtio_rng.h"

#include <string.h>

#define QUEUE_SIZE 256u
#define REQUEST_MAX 65536u

static void notify(void *opaque, virtio_mmio *vm, unsigned q)
{
    virtio_rng *vr = opaque;
    virtq_elem e;
    uint8_t buf[4096];
    while (virtio_mmio_pop(vm, q, &e) == 1) {
        if (e.n_out) {
            virtio_mmio_needs_reset(vm);
            return;
        }
        uint64_t want = e.in_len < REQUEST_MAX ? e.in_len : REQUEST_MAX, done = 0;
        while (done < want) {
            size_t n = want - done < sizeof buf ? (size_t)(want - done) : sizeof buf;
            if (vr->source(vr->source_opaque, buf, n) < 0)
                break;
            virtq_write_in(&vm->ram, &e, done, buf, n);
            done += n;
        }
        vr->bytes += done;
        virtio_mmio_push(vm, q, &e, (uint32_t)done);
    }
}

static const virtio_backend rng_backend = {
    .device_id = VIRTIO_RNG_ID,
    .features = 0,
    .num_queues = 1,
    .queue_num_max = QUEUE_SIZE,
    .config_size = 0,
    .notify = notify,
};

void virtio_rng_init(virtio_rng *vr, virtio_mmio *slot, virtio_rng_source_fn source, void *opaque)
{
    memset(vr, 0, sizeof *vr);
    vr->source = source;
    vr->source_opaque = opaque;
    virtio_mmio_init(slot, &rng_backend, vr, slot->ram, slot->irq);
}
