/* The virt board's network cards: virtio-net in the virtio-mmio slots
 * below the disks', each on the user-mode network or the embedder's; and
 * its virtio-rng device, in the slot below them (added last). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "board_impl.h"

/* Frames from the user-mode network for card i (opaque: the card). */
static void to_guest(void *opaque, const uint8_t *frame, size_t len)
{
    virtio_net_receive(opaque, frame, len);
}

/* The guest's frames for the embedder (opaque: the card's board_nic). */
static void to_embedder(void *opaque, const uint8_t *frame, size_t len)
{
    const board_nic *n = opaque;
    n->send(n->opaque, frame, len);
}

/* The virtio-rng device's bytes: the embedder's source or the host's. */
static int rng_bytes(void *opaque, void *buf, size_t n)
{
    board *b = opaque;
    return b->rng_source ? b->rng_source(b->rng_opaque, buf, n) : host_random(b->host, buf, n);
}

int board_add_rng(board *b, int (*source)(void *opaque, void *buf, size_t n), void *opaque, char *err,
                  size_t errlen)
{
    unsigned used = b->ndrives + b->nnics;
    if (b->opts.kind != BOARD_VIRT || b->has_rng || used >= VIRTIO_MMIO_SLOTS) {
        snprintf(err, errlen, "%s", b->opts.kind != BOARD_VIRT ? "virtio-rng needs the virt board"
                                    : b->has_rng                ? "one virtio-rng device at most"
                                                                : "no virtio-mmio slot left for virtio-rng");
        return -EINVAL;
    }
    b->rng_source = source;
    b->rng_opaque = opaque;
    virtio_rng_init(&b->vrng, &b->virtio[VIRTIO_MMIO_SLOTS - 1 - used], rng_bytes, b);
    b->has_rng = 1;
    return 0;
}

int board_add_nic(board *b, const board_nic *n, char *err, size_t errlen)
{
    if (b->opts.kind != BOARD_VIRT) {
        snprintf(err, errlen, "network cards need the virt board");
        return -EINVAL;
    }
    unsigned used = b->ndrives + b->nnics;
    if (b->has_rng) {
        snprintf(err, errlen, "network cards go in before the virtio-rng device");
        return -EINVAL;
    }
    if (b->nnics >= BOARD_MAX_NICS || used >= VIRTIO_MMIO_SLOTS) {
        snprintf(err, errlen, "no virtio-mmio slot left for a network card (at most %d, and %d devices in all)",
                 BOARD_MAX_NICS, VIRTIO_MMIO_SLOTS);
        return -EINVAL;
    }
    unsigned i = b->nnics;
    virtio_net *vn = &b->vnet[i];
    b->nic_cfg[i] = *n;
    net_backend be;
    if (n->send) {
        be = (net_backend){&b->nic_cfg[i], to_embedder};
    } else {
        if (!net_user_available()) {
            snprintf(err, errlen, "this build has no user-mode network (built without libslirp)");
            return -ENOTSUP;
        }
        b->nuser[i] = net_user_create(b->host, to_guest, vn, n->hostfwd, n->nhostfwd, err, errlen);
        if (!b->nuser[i])
            return -EINVAL;
        be = net_user_backend(b->nuser[i]);
    }
    static const uint8_t zero[6];
    uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, (uint8_t)(0x56 + i)};
    if (memcmp(n->mac, zero, 6))
        memcpy(mac, n->mac, 6);
    virtio_net_init(vn, &b->virtio[VIRTIO_MMIO_SLOTS - 1 - used], mac, be);
    b->nnics++;
    return 0;
}

int board_nic_receive(board *b, unsigned nic, const void *frame, size_t len)
{
    if (nic >= b->nnics || b->nuser[nic] || len > NET_FRAME_MAX)
        return -1; /* a user-mode network card gets its frames from its stack */
    return virtio_net_receive(&b->vnet[nic], frame, len);
}

void virt_poll_nics(board *b)
{
    for (unsigned i = 0; i < b->nnics; i++)
        if (b->nuser[i])
            net_user_poll(b->nuser[i]);
}

void virt_close_nics(board *b)
{
    for (unsigned i = 0; i < b->nnics; i++) {
        net_user_destroy(b->nuser[i]);
        b->nuser[i] = NULL;
    }
    b->nnics = 0;
}
