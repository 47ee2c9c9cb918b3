/* Split virtqueues (virtio 1.x) read and written in guest RAM, hardened
 * against a hostile driver: every ring and buffer is checked against RAM,
 * chains are bounded (a chain longer than the queue has a loop), indices
 * are range-checked. A malformed queue is reported, never followed. */
#ifndef SPLITVM_DEV_VIRTQUEUE_H
#define SPLITVM_DEV_VIRTQUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "../cpu/le.h"

/* Guest RAM as the device sees it: [base, base+size) at host. */
typedef struct virtio_ram {
    uint8_t *host;
    uint64_t base, size;
} virtio_ram;

/* The driver's queue registers and the device's progress through it. */
typedef struct virtq {
    uint32_t num; /* queue size, a power of two */
    uint32_t ready;
    uint64_t desc, avail, used; /* guest-physical ring addresses */
    uint16_t last_avail;        /* next avail entry the device takes */
    uint16_t used_idx;          /* the device's used.idx */
} virtq;

/* Longest chain a request may have (Linux's virtio-blk and virtio-net stay
 * far below it); longer ones are malformed. */
#define VIRTQ_MAX_CHAIN 128

typedef struct virtq_buf {
    uint64_t addr; /* guest-physical, checked to lie in RAM */
    uint32_t len;
} virtq_buf;

/* One request: n_out device-readable buffers, then n_in device-writable. */
typedef struct virtq_elem {
    uint16_t head;
    uint16_t n_out, n_in;
    uint64_t out_len, in_len; /* their total sizes */
    virtq_buf buf[VIRTQ_MAX_CHAIN];
} virtq_elem;

/* Host pointer to [gpa, gpa+len) if it lies wholly in RAM, else NULL. */
uint8_t *virtio_ram_ptr(const virtio_ram *ram, uint64_t gpa, uint64_t len);
/* 0 if q's size and rings are valid (power of two 1..max, aligned, in RAM). */
int virtq_check(const virtq *q, uint32_t max, const virtio_ram *ram);
/* Take the next request: 1 got one in *e, 0 none waiting, -1 malformed. */
int virtq_pop(virtq *q, const virtio_ram *ram, virtq_elem *e);
/* Return request `head` with `written` bytes written: 0, or -1 malformed. */
int virtq_push(virtq *q, const virtio_ram *ram, uint16_t head, uint32_t written);
/* False if the driver asked for no used-buffer interrupts. */
int virtq_wants_interrupt(const virtq *q, const virtio_ram *ram);
/* Copy bytes [off, off+n) of the request's readable part out of RAM, or
 * into its writable part; both return how many fitted. */
size_t virtq_read_out(const virtio_ram *ram, const virtq_elem *e, uint64_t off, void *dst, size_t n);
size_t virtq_write_in(const virtio_ram *ram, const virtq_elem *e, uint64_t off, const void *src, size_t n);

#endif
