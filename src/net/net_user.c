/* The user-mode network over libslirp: its sockets are polled (without
 * waiting) from the board's device poll, its timers kept here. libslirp
 * opens and closes its sockets itself; slirp_cleanup at destroy closes
 * every one, so a machine's teardown still releases them all. */
#include "net_user.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef SPLITVM_HAVE_SLIRP
#include <arpa/inet.h>
#include <poll.h>
#include <slirp/libslirp.h>

#define MAX_TIMERS 8

typedef struct user_timer {
    int armed, used;
    SlirpTimerId id;
    void *cb_opaque;
    int64_t expire_ms;
} user_timer;

struct net_user {
    host_ctx *host;
    Slirp *slirp;
    net_deliver_fn deliver;
    void *opaque;
    struct pollfd *fds; /* the poll set of one round, host_realloc'ed */
    size_t nfds, cap;
    user_timer timers[MAX_TIMERS];
};

static int64_t now_ms(void) { return (int64_t)(host_monotonic_ns() / 1000000u); }

/* ---- libslirp's callbacks ---- */
static ssize_t send_packet(const void *buf, size_t len, void *opaque)
{
    net_user *nu = opaque;
    if (len <= NET_FRAME_MAX)
        nu->deliver(nu->opaque, buf, len);
    return (ssize_t)len; /* a frame the guest cannot take is dropped; TCP resends */
}

static void guest_error(const char *msg, void *opaque)
{
    (void)msg, (void)opaque; /* a malformed guest packet: slirp drops it */
}

static int64_t clock_get_ns(void *opaque)
{
    (void)opaque;
    return (int64_t)host_monotonic_ns();
}

static void *timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
    net_user *nu = opaque;
    for (int i = 0; i < MAX_TIMERS; i++) {
        user_timer *t = &nu->timers[i];
        if (!t->used) {
            *t = (user_timer){0, 1, id, cb_opaque, 0};
            return t;
        }
    }
    return NULL; /* libslirp has one timer kind (IPv6 router adverts) */
}

static void timer_free(void *timer, void *opaque)
{
    (void)opaque;
    if (timer)
        memset(timer, 0, sizeof(user_timer));
}

static void timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    (void)opaque;
    user_timer *t = timer;
    if (t) {
        t->expire_ms = expire_ms;
        t->armed = 1;
    }
}

static void register_poll_fd(int fd, void *opaque) { (void)fd, (void)opaque; }
static void unregister_poll_fd(int fd, void *opaque) { (void)fd, (void)opaque; }
static void notify(void *opaque) { (void)opaque; }

static const SlirpCb callbacks = {
    .send_packet = send_packet,
    .guest_error = guest_error,
    .clock_get_ns = clock_get_ns,
    .timer_free = timer_free,
    .timer_mod = timer_mod,
    .register_poll_fd = register_poll_fd,
    .unregister_poll_fd = unregister_poll_fd,
    .notify = notify,
    .timer_new_opaque = timer_new_opaque,
};

/* ---- the frames from the guest ---- */
static void from_guest(void *opaque, const uint8_t *frame, size_t len)
{
    net_user *nu = opaque;
    slirp_input(nu->slirp, frame, (int)len);
}

bool net_user_available(void) { return true; }

net_backend net_user_backend(net_user *nu) { return (net_backend){nu, from_guest}; }

/* ---- polling ---- */
static int add_poll(int fd, int events, void *opaque)
{
    net_user *nu = opaque;
    if (nu->nfds == nu->cap) {
        size_t cap = nu->cap ? 2 * nu->cap : 32;
        struct pollfd *p = host_realloc(nu->host, nu->fds, cap * sizeof *p);
        if (!p)
            return -1;
        nu->fds = p;
        nu->cap = cap;
    }
    short ev = 0;
    ev |= (events & SLIRP_POLL_IN) ? POLLIN : 0;
    ev |= (events & SLIRP_POLL_OUT) ? POLLOUT : 0;
    ev |= (events & SLIRP_POLL_PRI) ? POLLPRI : 0;
    nu->fds[nu->nfds] = (struct pollfd){fd, ev, 0};
    return (int)nu->nfds++;
}

static int get_revents(int idx, void *opaque)
{
    net_user *nu = opaque;
    if (idx < 0 || (size_t)idx >= nu->nfds)
        return 0;
    short r = nu->fds[idx].revents;
    return ((r & POLLIN) ? SLIRP_POLL_IN : 0) | ((r & POLLOUT) ? SLIRP_POLL_OUT : 0) |
           ((r & POLLPRI) ? SLIRP_POLL_PRI : 0) | ((r & POLLERR) ? SLIRP_POLL_ERR : 0) |
           ((r & POLLHUP) ? SLIRP_POLL_HUP : 0);
}

void net_user_poll(net_user *nu)
{
    uint32_t timeout = 0;
    nu->nfds = 0;
    slirp_pollfds_fill(nu->slirp, &timeout, add_poll, nu);
    int r = nu->nfds ? host_poll(nu->host, nu->fds, nu->nfds, 0) : 0;
    slirp_pollfds_poll(nu->slirp, r < 0, get_revents, nu);
    int64_t now = now_ms();
    for (int i = 0; i < MAX_TIMERS; i++) {
        user_timer *t = &nu->timers[i];
        if (t->used && t->armed && now >= t->expire_ms) {
            t->armed = 0;
            slirp_handle_timer(nu->slirp, t->id, t->cb_opaque);
        }
    }
}

/* ---- hostfwd rules ---- */
static int parse_addr(const char *s, size_t n, struct in_addr *a)
{
    char buf[32];
    if (n == 0)
        return 0; /* keep the default */
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    return inet_pton(AF_INET, buf, a) == 1 ? 0 : -1;
}

static int parse_port(const char *s, size_t n, int *port)
{
    char buf[8], *end;
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    long v = strtol(buf, &end, 10);
    if (*end || v < 0 || v > 65535)
        return -1;
    *port = (int)v;
    return 0;
}

/* "[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport" */
static int add_hostfwd(net_user *nu, const char *rule, char *err, size_t errlen)
{
    int udp = 0, hport, gport;
    struct in_addr haddr = {htonl(INADDR_ANY)}, gaddr;
    inet_pton(AF_INET, "10.0.2.15", &gaddr);
    const char *p = rule, *c = strchr(p, ':'), *dash, *c2;
    if (!c)
        goto bad;
    if (c - p == 3 && !strncmp(p, "udp", 3))
        udp = 1;
    else if (c != p && !(c - p == 3 && !strncmp(p, "tcp", 3)))
        goto bad;
    p = c + 1;
    if (!(dash = strchr(p, '-')) || !(c = memchr(p, ':', (size_t)(dash - p))))
        goto bad;
    if (parse_addr(p, (size_t)(c - p), &haddr) || parse_port(c + 1, (size_t)(dash - c - 1), &hport))
        goto bad;
    p = dash + 1;
    if (!(c2 = strchr(p, ':')) || parse_addr(p, (size_t)(c2 - p), &gaddr) ||
        parse_port(c2 + 1, strlen(c2 + 1), &gport))
        goto bad;
    if (slirp_add_hostfwd(nu->slirp, udp, haddr, hport, gaddr, gport) < 0) {
        snprintf(err, errlen, "hostfwd=%s: cannot listen on host port %d", rule, hport);
        return -1;
    }
    return 0;
bad:
    snprintf(err, errlen, "hostfwd=%s: expected [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport", rule);
    return -1;
}

net_user *net_user_create(host_ctx *host, net_deliver_fn deliver, void *opaque, const char *const *hostfwd,
                          unsigned nhostfwd, char *err, size_t errlen)
{
    net_user *nu = host_alloc(host, sizeof *nu);
    if (!nu) {
        snprintf(err, errlen, "out of memory for the user-mode network");
        return NULL;
    }
    nu->host = host;
    nu->deliver = deliver;
    nu->opaque = opaque;
    SlirpConfig cfg = {0};
    cfg.version = 4;
    cfg.in_enabled = true;
    inet_pton(AF_INET, "10.0.2.0", &cfg.vnetwork);
    inet_pton(AF_INET, "255.255.255.0", &cfg.vnetmask);
    inet_pton(AF_INET, "10.0.2.2", &cfg.vhost);
    inet_pton(AF_INET, "10.0.2.15", &cfg.vdhcp_start);
    inet_pton(AF_INET, "10.0.2.3", &cfg.vnameserver);
    /* IPv6 as QEMU sets it up: router advertisements of fec0::/64 (the
     * guest takes an address by SLAAC), the host fec0::2, DNS fec0::3. */
    cfg.in6_enabled = true;
    inet_pton(AF_INET6, "fec0::", &cfg.vprefix_addr6);
    cfg.vprefix_len = 64;
    inet_pton(AF_INET6, "fec0::2", &cfg.vhost6);
    inet_pton(AF_INET6, "fec0::3", &cfg.vnameserver6);
    cfg.vhostname = "splitvm";
    nu->slirp = slirp_new(&cfg, &callbacks, nu);
    if (!nu->slirp) {
        snprintf(err, errlen, "the user-mode network could not start");
        host_free(host, nu);
        return NULL;
    }
    for (unsigned i = 0; i < nhostfwd; i++) {
        if (add_hostfwd(nu, hostfwd[i], err, errlen) < 0) {
            net_user_destroy(nu);
            return NULL;
        }
    }
    return nu;
}

void net_user_destroy(net_user *nu)
{
    if (!nu)
        return;
    slirp_cleanup(nu->slirp);
    host_free(nu->host, nu->fds);
    host_free(nu->host, nu);
}

#else /* no libslirp */

struct net_user {
    int unused;
};

net_user *net_user_create(host_ctx *host, net_deliver_fn deliver, void *opaque, const char *const *hostfwd,
                          unsigned nhostfwd, char *err, size_t errlen)
{
    (void)host, (void)deliver, (void)opaque, (void)hostfwd, (void)nhostfwd;
    snprintf(err, errlen, "this build has no user-mode network (built without libslirp)");
    return NULL;
}

bool net_user_available(void) { return false; }
net_backend net_user_backend(net_user *nu) { return (net_backend){nu, NULL}; }
void net_user_poll(net_user *nu) { (void)nu; }
void net_user_destroy(net_user *nu) { (void)nu; }

#endif
