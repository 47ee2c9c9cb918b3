/* The virtio-mmio transport, version 2 (virtio 1.x), one 0x1000-byte slot.
 * Without a backend the slot presents DeviceID 0, as QEMU's empty slots do.
 * A backend (block, net, ...) supplies its id, features, queues, config
 * space and a notify handler; it takes requests with virtio_mmio_pop and
 * returns them with virtio_mmio_push. A malformed queue puts the device in
 * DEVICE_NEEDS_RESET (status 0x40) with a config-change interrupt; the
 * device then ignores notifications until the driver resets it. Plain
 * state: copyable. */
#ifndef SPLITVM_DEV_VIRTIO_MMIO_H
#define SPLITVM_DEV_VIRTIO_MMIO_H

#include <stdint.h>

#include "irq.h"
#include "virtqueue.h"

#define VIRTIO_MMIO_BASE 0x10001000u /* slot i at BASE + i * SIZE, IRQ 1 + i */
#define VIRTIO_MMIO_SIZE 0x1000u
#define VIRTIO_MMIO_SLOTS 8
#define VIRTIO_MMIO_IRQ 1
#define VIRTIO_MMIO_MAX_QUEUES 8
#define VIRTIO_MMIO_CONFIG 0x100u

#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER 2u
#define VIRTIO_STATUS_DRIVER_OK 4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_NEEDS_RESET 0x40u
#define VIRTIO_STATUS_FAILED 0x80u
#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTIO_INT_USED 1u
#define VIRTIO_INT_CONFIG 2u

struct virtio_mmio;

typedef struct virtio_backend {
    uint32_t device_id;      /* virtio device type, non-zero */
    uint64_t features;       /* device bits; the transport adds VERSION_1 */
    uint32_t num_queues;     /* 1..VIRTIO_MMIO_MAX_QUEUES */
    uint32_t queue_num_max;  /* a power of two, at most 32768 */
    uint32_t config_size;    /* bytes of config space (at 0x100) */
    /* Config space access, off + size <= config_size, off aligned to size. */
    uint64_t (*config_read)(void *opaque, uint32_t off, int size);
    void (*config_write)(void *opaque, uint32_t off, int size, uint64_t val);
    /* The driver notified queue q (ready, DRIVER_OK, no reset needed). */
    void (*notify)(void *opaque, struct virtio_mmio *vm, unsigned q);
    /* The driver reset the device. */
    void (*reset)(void *opaque);
} virtio_backend;

typedef struct virtio_mmio {
    const virtio_backend *be; /* wiring, set at init; NULL: empty slot */
    void *be_opaque;
    virtio_ram ram;
    irq_line irq;

    uint32_t status, interrupt_status, config_generation;
    uint32_t device_features_sel, driver_features_sel, queue_sel;
    uint64_t driver_features;
    virtq queue[VIRTIO_MMIO_MAX_QUEUES];
} virtio_mmio;

/* be NULL makes an empty slot. ram is the guest RAM the queues live in. */
void virtio_mmio_init(virtio_mmio *vm, const virtio_backend *be, void *be_opaque, virtio_ram ram, irq_line irq);
/* Back to the reset state (what a Status write of 0 does). */
void virtio_mmio_reset(virtio_mmio *vm);

/* For backends: take the next request of queue q (1 got one, 0 none, -1 the
 * queue is malformed and the device now needs a reset). */
int virtio_mmio_pop(virtio_mmio *vm, unsigned q, virtq_elem *e);
/* Return a request with `written` bytes in its writable part, and interrupt
 * the driver unless it asked not to be. */
void virtio_mmio_push(virtio_mmio *vm, unsigned q, const virtq_elem *e, uint32_t written);
/* The config space changed: new generation, config-change interrupt. */
void virtio_mmio_config_changed(virtio_mmio *vm);
/* Something the driver did is beyond repair: DEVICE_NEEDS_RESET. */
void virtio_mmio_needs_reset(virtio_mmio *vm);
/* Features the driver accepted (valid once FEATURES_OK is set). */
uint64_t virtio_mmio_features(const virtio_mmio *vm);

/* Bus accessors: registers below 0x100 take aligned 32-bit accesses only,
 * config space aligned 1/2/4/8-byte ones; anything else faults. Registers
 * that do not exist read 0 and ignore writes. */
int virtio_mmio_read(void *dev, uint64_t off, int size, uint64_t *val);
int virtio_mmio_write(void *dev, uint64_t off, int size, uint64_t val);

/* Snapshots: the transport registers and every queue (device type checked). virtio_mmio_load fills vm (a copy of the live device: its
 * wiring is kept) and checks every value is one the device could hold;
 * 0, or -1 for a malformed section. */
struct state_w;
struct state_r;
void virtio_mmio_save(const virtio_mmio *vm, struct state_w *w);
int virtio_mmio_load(virtio_mmio *vm, struct state_r *r);

#endif
