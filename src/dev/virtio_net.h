/* virtio-net (device id 1) over a virtio-mmio slot: queue 0 receives,
 * queue 1 transmits; no control queue, no multiqueue, no offloads, no
 * merged receive buffers. Offers VIRTIO_NET_F_MAC and VIRTIO_NET_F_STATUS
 * (the link is always up). Frames the guest sends go to the backend when
 * it notifies; frames for the guest come in through virtio_net_receive and
 * land in the next receive buffer the driver posted, or are dropped (the
 * device keeps none: the sender's protocols retransmit). Plain state: the
 * slot and the backend are wiring, set at init. */
#ifndef SPLITVM_DEV_VIRTIO_NET_H
#define SPLITVM_DEV_VIRTIO_NET_H

#include <stddef.h>
#include <stdint.h>

#include "../net/net.h"
#include "virtio_mmio.h"

#define VIRTIO_NET_ID 1u
#define VIRTIO_NET_RXQ 0u
#define VIRTIO_NET_TXQ 1u
#define VIRTIO_NET_HDR 12u /* struct virtio_net_hdr in virtio 1.x, num_buffers included */

typedef struct virtio_net {
    virtio_mmio *slot;   /* wiring */
    net_backend backend; /* wiring: where guest frames go */
    uint8_t mac[6];
    uint64_t tx_frames, rx_frames, rx_dropped, tx_errors; /* statistics, plain state */
} virtio_net;

/* Attach a network card with address mac to a slot. */
void virtio_net_init(virtio_net *vn, virtio_mmio *slot, const uint8_t mac[6], net_backend backend);

/* Hand a frame (len <= NET_FRAME_MAX) to the guest: 1 delivered, 0 dropped
 * (no receive buffer posted, driver not ready, or the buffer too small:
 * counted in rx_dropped). A buffer too small is used up, returned with
 * nothing written, so that the driver recycles it. */
int virtio_net_receive(virtio_net *vn, const void *frame, size_t len);

#endif
