/* virtio-net: every frame in either direction is a 12-byte virtio_net_hdr
 * followed by the Ethernet frame, split across the chain's buffers however
 * the driver likes. Without offloads the device ignores the header the
 * driver sends and writes an all-zero one (num_buffers = 1) on receive. */
#include "virtio_net.h"

#include <string.h>

#define F_MAC (1ull << 5)
#define F_STATUS (1ull << 16)
#define LINK_UP 1u

#define QUEUE_SIZE 256u
#define CONFIG_SIZE 10u /* mac, status, max_virtqueue_pairs */
#define ETH_HEADER 14u  /* a shorter frame is not Ethernet */

static uint64_t config_read(void *opaque, uint32_t off, int size)
{
    virtio_net *vn = opaque;
    uint8_t cfg[CONFIG_SIZE] = {0};
    memcpy(cfg, vn->mac, 6);
    cfg[6] = LINK_UP;
    cfg[8] = 1; /* one queue pair */
    return rv_get_le(cfg + off, size);
}

/* Send the frame of transmit request e; 0, or -1 when it is no frame. */
static int transmit(virtio_net *vn, const virtq_elem *e)
{
    uint8_t frame[NET_FRAME_MAX];
    if (e->out_len < VIRTIO_NET_HDR + ETH_HEADER || e->out_len - VIRTIO_NET_HDR > NET_FRAME_MAX)
        return -1;
    size_t len = (size_t)(e->out_len - VIRTIO_NET_HDR);
    if (virtq_read_out(&vn->slot->ram, e, VIRTIO_NET_HDR, frame, len) != len)
        return -1;
    if (vn->backend.send)
        vn->backend.send(vn->backend.opaque, frame, len);
    return 0;
}

static void notify(void *opaque, virtio_mmio *vm, unsigned q)
{
    virtio_net *vn = opaque;
    virtq_elem e;
    if (q != VIRTIO_NET_TXQ)
        return; /* new receive buffers: taken as frames arrive */
    while (virtio_mmio_pop(vm, q, &e) == 1) {
        if (transmit(vn, &e) < 0)
            vn->tx_errors++;
        else
            vn->tx_frames++;
        virtio_mmio_push(vm, q, &e, 0);
    }
}

static const virtio_backend net_backend_table = {
    .device_id = VIRTIO_NET_ID,
    .features = F_MAC | F_STATUS,
    .num_queues = 2,
    .queue_num_max = QUEUE_SIZE,
    .config_size = CONFIG_SIZE,
    .config_read = config_read,
    .notify = notify,
};

void virtio_net_init(virtio_net *vn, virtio_mmio *slot, const uint8_t mac[6], net_backend backend)
{
    memset(vn, 0, sizeof *vn);
    vn->slot = slot;
    vn->backend = backend;
    memcpy(vn->mac, mac, 6);
    virtio_mmio_init(slot, &net_backend_table, vn, slot->ram, slot->irq);
}

/* Whether the driver runs the receive queue: popping a queue that is not
 * ready would count as a malformed one. */
static int receive_ready(const virtio_mmio *vm)
{
    return vm->be && (vm->status & VIRTIO_STATUS_DRIVER_OK) && !(vm->status & VIRTIO_STATUS_NEEDS_RESET) &&
           vm->queue[VIRTIO_NET_RXQ].ready;
}

int virtio_net_receive(virtio_net *vn, const void *frame, size_t len)
{
    virtio_mmio *vm = vn->slot;
    virtq_elem e;
    if (len > NET_FRAME_MAX || !receive_ready(vm) || virtio_mmio_pop(vm, VIRTIO_NET_RXQ, &e) != 1) {
        vn->rx_dropped++;
        return 0;
    }
    if (e.n_out) { /* receive buffers are the device's to write, only */
        virtio_mmio_needs_reset(vm);
        vn->rx_dropped++;
        return 0;
    }
    if (e.in_len < VIRTIO_NET_HDR + len) {
        virtio_mmio_push(vm, VIRTIO_NET_RXQ, &e, 0);
        vn->rx_dropped++;
        return 0;
    }
    uint8_t hdr[VIRTIO_NET_HDR] = {0};
    hdr[10] = 1; /* num_buffers, le16 */
    virtq_write_in(&vm->ram, &e, 0, hdr, sizeof hdr);
    virtq_write_in(&vm->ram, &e, VIRTIO_NET_HDR, frame, len);
    virtio_mmio_push(vm, VIRTIO_NET_RXQ, &e, (uint32_t)(VIRTIO_NET_HDR + len));
    vn->rx_frames++;
    return 1;
}
