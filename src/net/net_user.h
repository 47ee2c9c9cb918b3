/* The user-mode network (QEMU's -netdev user): the guest's frames go into a
 * TCP/IP stack in this process (libslirp) that makes the guest's
 * connections with the host's sockets, as a NAT: guest 10.0.2.15 (DHCP),
 * gateway and host 10.0.2.2, DNS 10.0.2.3, as in QEMU. hostfwd rules bring
 * host ports in. Built only with libslirp (SPLITVM_HAVE_SLIRP); without
 * it net_user_create says so. */
#ifndef SPLITVM_NET_USER_H
#define SPLITVM_NET_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "../host/host.h"
#include "net.h"

typedef struct net_user net_user;
/* Frames for the guest. */
typedef void (*net_deliver_fn)(void *opaque, const uint8_t *frame, size_t len);

/* hostfwd: QEMU's rules, "[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport"
 * each. NULL with err set when a rule is malformed or a port cannot be
 * bound. */
net_user *net_user_create(host_ctx *host, net_deliver_fn deliver, void *opaque, const char *const *hostfwd,
                          unsigned nhostfwd, char *err, size_t errlen);
/* Whether this build has the user-mode network (libslirp). */
bool net_user_available(void);
/* Where the card sends the guest's frames. */
net_backend net_user_backend(net_user *nu);
/* Serve the host sockets that are ready and the stack's timers; never
 * waits. */
void net_user_poll(net_user *nu);
void net_user_destroy(net_user *nu);

#endif
