/* The proxy's network group: an embedder serving the guest's sockets from
 * an in-memory network (stream sockets over "IPv4": ports, listeners,
 * connections with a byte queue each way). net_guest runs an echo server
 * and a client over it; the guest must finish with status 0, and every
 * byte must have crossed the embedder (no host socket is made).
 * Built against include/splitvm.h only. usage: test_proxy_net interp|jit GUEST */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "splitvm.h"

#define NSOCK 16
#define QCAP 65536

typedef struct vsock {
    int used, listening, port, peer; /* peer: index of the other end, -1 */
    int pending[4], npending;        /* a listener's connections not yet accepted */
    unsigned char q[QCAP];           /* bytes sent to this socket */
    size_t qlen;
    int eof;                         /* the peer shut down writing or closed */
} vsock;

static vsock socks[NSOCK];
static long carried, sockets_made, closed;
static int next_port = 40000;

static int idx(void *h) { return (int)(intptr_t)h - 1; }
static void *handle(int i) { return (void *)(intptr_t)(i + 1); }

static int new_sock(void)
{
    for (int i = 0; i < NSOCK; i++)
        if (!socks[i].used) {
            memset(&socks[i], 0, sizeof(socks[i]));
            socks[i].used = 1;
            socks[i].peer = -1;
            return i;
        }
    return -1;
}

static int port_of(const void *addr, size_t len)
{
    const unsigned char *a = addr;
    if (len < 16 || (a[0] | a[1] << 8) != 2 /* AF_INET */)
        return -1;
    return a[2] << 8 | a[3];
}

static void put_addr(void *addr, size_t *len, int port)
{
    unsigned char a[16] = {2, 0, (unsigned char)(port >> 8), (unsigned char)port, 127, 0, 0, 1};
    size_t n = *len < sizeof(a) ? *len : sizeof(a);
    memcpy(addr, a, n);
    *len = sizeof(a);
}

static int n_socket(void *o, int domain, int type, int proto, void **h)
{
    (void)o, (void)proto;
    if (domain != 2 || type != 1)
        return -EAFNOSUPPORT;
    int i = new_sock();
    if (i < 0)
        return -EMFILE;
    sockets_made++;
    *h = handle(i);
    return 0;
}

static int n_close(void *o, void *h)
{
    (void)o;
    vsock *s = &socks[idx(h)];
    if (s->peer >= 0)
        socks[s->peer].eof = 1, socks[s->peer].peer = -1;
    s->used = 0;
    closed++;
    return 0;
}

static int n_bind(void *o, void *h, const void *addr, size_t len)
{
    (void)o;
    int port = port_of(addr, len);
    if (port < 0)
        return -EINVAL;
    for (int i = 0; i < NSOCK; i++)
        if (socks[i].used && socks[i].port == port && port)
            return -EADDRINUSE;
    socks[idx(h)].port = port ? port : next_port++;
    return 0;
}

static int n_listen(void *o, void *h, int backlog)
{
    (void)o, (void)backlog;
    socks[idx(h)].listening = 1;
    return 0;
}

static int n_connect(void *o, void *h, const void *addr, size_t len)
{
    (void)o;
    int port = port_of(addr, len), me = idx(h);
    for (int i = 0; i < NSOCK; i++) {
        vsock *l = &socks[i];
        if (l->used && l->listening && l->port == port && l->npending < 4) {
            int srv = new_sock();
            if (srv < 0)
                return -ENOMEM;
            if (!socks[me].port)
                socks[me].port = next_port++;
            socks[srv].port = port;
            socks[srv].peer = me;
            socks[me].peer = srv;
            l->pending[l->npending++] = srv;
            return 0;
        }
    }
    return -ECONNREFUSED;
}

static int n_accept(void *o, void *h, void **conn, void *addr, size_t *len)
{
    (void)o;
    vsock *l = &socks[idx(h)];
    if (!l->npending)
        return -EAGAIN;
    int c = l->pending[0];
    memmove(l->pending, l->pending + 1, sizeof(int) * (size_t)--l->npending);
    *conn = handle(c);
    put_addr(addr, len, socks[c].peer >= 0 ? socks[socks[c].peer].port : 0);
    return 0;
}

static int64_t n_send(void *o, void *h, const void *buf, size_t len, int flags, const void *addr, size_t alen)
{
    (void)o, (void)flags, (void)addr, (void)alen;
    vsock *s = &socks[idx(h)];
    if (s->peer < 0)
        return -EPIPE;
    vsock *d = &socks[s->peer];
    size_t room = QCAP - d->qlen, n = len < room ? len : room;
    if (!n)
        return len ? -EAGAIN : 0;
    memcpy(d->q + d->qlen, buf, n);
    d->qlen += n;
    carried += (long)n;
    return (int64_t)n;
}

static int64_t n_recv(void *o, void *h, void *buf, size_t len, int flags, void *addr, size_t *alen)
{
    (void)o, (void)flags, (void)addr;
    if (alen)
        *alen = 0;
    vsock *s = &socks[idx(h)];
    if (!s->qlen)
        return s->eof || s->peer < 0 ? 0 : -EAGAIN;
    size_t n = len < s->qlen ? len : s->qlen;
    memcpy(buf, s->q, n);
    memmove(s->q, s->q + n, s->qlen - n);
    s->qlen -= n;
    return (int64_t)n;
}

static int n_shutdown(void *o, void *h, int how)
{
    (void)o;
    vsock *s = &socks[idx(h)];
    if ((how == 1 || how == 2) && s->peer >= 0)
        socks[s->peer].eof = 1;
    return 0;
}

static int n_sockname(void *o, void *h, int peer, void *addr, size_t *len)
{
    (void)o;
    vsock *s = &socks[idx(h)];
    if (peer && s->peer < 0)
        return -ENOTCONN;
    put_addr(addr, len, peer ? socks[s->peer].port : s->port);
    return 0;
}

static int n_poll(void *o, void *h)
{
    (void)o;
    vsock *s = &socks[idx(h)];
    int in = s->qlen || s->eof || (s->listening && s->npending);
    int out = s->peer >= 0 && socks[s->peer].qlen < QCAP;
    return (in ? 1 : 0) | (out ? 4 : 0);
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    static const svm_proxy net = {
        .socket = n_socket, .sock_close = n_close, .bind = n_bind, .listen = n_listen, .accept = n_accept,
        .connect = n_connect, .sendto = n_send, .recvfrom = n_recv, .shutdown = n_shutdown,
        .sockname = n_sockname, .sock_poll = n_poll,
    };
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.engine = strcmp(argv[1], "interp") ? SVM_ENGINE_JIT : SVM_ENGINE_INTERP;
    cfg.proxy = &net;
    svm_machine *m;
    char err[256];
    if (svm_create(&cfg, &m, err, sizeof err) != SVM_OK) {
        fprintf(stderr, "create: %s\n", err);
        return 1;
    }
    char *gargv[] = {argv[2], NULL};
    svm_stop st = {.reason = SVM_STOP_ERROR};
    int runs = 0;
    if (svm_load_program(m, argv[2], 1, gargv, NULL) == SVM_OK)
        while (svm_run(m, 200000, &st) == SVM_OK &&
               (st.reason == SVM_STOP_BUDGET || st.reason == SVM_STOP_WAITING) && ++runs < 1000000)
            ;
    int fail = 0;
    if (st.reason != SVM_STOP_EXITED || st.exit_status != 0) {
        fprintf(stderr, "guest did not exit 0 (reason %d, status %d): %s\n", st.reason, st.exit_status, svm_error(m));
        fail = 1;
    }
    svm_destroy(m);
    /* 100000 bytes each way through the embedder. */
    if (carried != 200000) {
        fprintf(stderr, "the embedder carried %ld bytes, want 200000\n", carried);
        fail = 1;
    }
    if (closed != sockets_made + 1 /* the accepted one */) {
        fprintf(stderr, "%ld sockets made (+1 accepted), %ld closed\n", sockets_made, closed);
        fail = 1;
    }
    if (!fail)
        printf("proxy network: ok (%ld bytes carried, %ld sockets)\n", carried, sockets_made);
    return fail;
}
