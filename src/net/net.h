/* Guest networking: a network card model (virtio-net) on one side, a
 * backend on the other (the user-mode network: a NAT to the host's sockets,
 * or the embedder's own). Frames are Ethernet frames without the FCS. */
#ifndef SPLITVM_NET_H
#define SPLITVM_NET_H

#include <stddef.h>
#include <stdint.h>

#define NET_FRAME_MAX 1518u /* Ethernet with a VLAN tag, no FCS: what a card without offloads carries */

/* Where the guest's frames go. */
typedef struct net_backend {
    void *opaque;
    /* A frame the guest sent (len <= NET_FRAME_MAX). */
    void (*send)(void *opaque, const uint8_t *frame, size_t len);
} net_backend;

#endif
