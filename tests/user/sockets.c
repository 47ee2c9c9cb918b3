/* Sockets over loopback: a TCP echo server in a thread (IPv4 and IPv6),
 * UDP datagrams with their sender's address, a Unix stream socket in a
 * scratch directory, socketpair with sendmsg/recvmsg and several iovecs,
 * options, shutdown, and the errors a refused or non-blocking call gives.
 * usage: sockets DIR (a scratch directory for the Unix socket) */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>
#include "check.h"

/* Echo one connection's bytes back until it closes. */
static void *echo_server(void *arg)
{
    int ls = *(int *)arg;
    int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
    CHECK(c >= 0);
    char buf[4096];
    ssize_t n;
    long total = 0;
    while ((n = recv(c, buf, sizeof(buf), 0)) > 0) {
        total += n;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = send(c, buf + off, (size_t)(n - off), MSG_NOSIGNAL);
            CHECK(w > 0);
            off += w;
        }
    }
    CHECK(n == 0);
    close(c);
    return (void *)total;
}

static void tcp_echo(int family)
{
    const char *name = family == AF_INET ? "tcp4" : "tcp6";
    int ls = socket(family, SOCK_STREAM, 0);
    if (ls < 0) {
        printf("%s: no socket (%s)\n", name, strerror(errno));
        return;
    }
    int one = 1;
    CHECK(setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    socklen_t len;
    if (family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)&ss;
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof(*in);
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = in6addr_loopback;
        len = sizeof(*in6);
    }
    if (bind(ls, (struct sockaddr *)&ss, len) < 0) {
        printf("%s: no loopback (%s)\n", name, strerror(errno));
        close(ls);
        return;
    }
    CHECK(listen(ls, 4) == 0);
    int v = 0;
    socklen_t vl = sizeof(v);
    CHECK(getsockopt(ls, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl) == 0);
    printf("%s: listening %s\n", name, v ? "yes" : "no");
    len = sizeof(ss);
    CHECK(getsockname(ls, (struct sockaddr *)&ss, &len) == 0);
    printf("%s: bound to a port: %s\n", name,
           (family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port : ((struct sockaddr_in6 *)&ss)->sin6_port) ? "yes"
                                                                                                                : "no");
    pthread_t t;
    CHECK(pthread_create(&t, NULL, echo_server, &ls) == 0);
    int c = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(c >= 0);
    CHECK(connect(c, (struct sockaddr *)&ss, len) == 0);
    CHECK(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0);
    struct sockaddr_storage peer;
    socklen_t pl = sizeof(peer);
    CHECK(getpeername(c, (struct sockaddr *)&peer, &pl) == 0);
    printf("%s: peer is the server: %s\n", name, pl == len && memcmp(&peer, &ss, len) == 0 ? "yes" : "no");
    /* 200 KB each way: more than the socket buffers, so both sides wait. */
    static char out[200000], in[200000];
    for (size_t i = 0; i < sizeof(out); i++)
        out[i] = (char)(i * 7 + family);
    size_t sent = 0, got = 0;
    while (got < sizeof(in)) {
        if (sent < sizeof(out)) {
            ssize_t w = send(c, out + sent, sizeof(out) - sent < 8192 ? sizeof(out) - sent : 8192, 0);
            CHECK(w > 0);
            sent += (size_t)w;
        }
        struct pollfd pf = {c, POLLIN, 0};
        if (sent == sizeof(out) || poll(&pf, 1, 0) == 1) {
            ssize_t r = recv(c, in + got, sizeof(in) - got, 0);
            CHECK(r > 0);
            got += (size_t)r;
        }
    }
    printf("%s: echoed %zu bytes intact: %s\n", name, got, memcmp(in, out, sizeof(in)) == 0 ? "yes" : "no");
    CHECK(shutdown(c, SHUT_WR) == 0);
    char b;
    printf("%s: after shutdown the server closes: recv %zd\n", name, recv(c, &b, 1, 0));
    void *total;
    CHECK(pthread_join(t, &total) == 0);
    printf("%s: server saw %ld bytes\n", name, (long)total);
    close(c);
    close(ls);
}

static void udp(void)
{
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(a >= 0 && b >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK(bind(a, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    CHECK(bind(b, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    struct sockaddr_in aa, ba;
    socklen_t l = sizeof(aa);
    CHECK(getsockname(a, (struct sockaddr *)&aa, &l) == 0);
    l = sizeof(ba);
    CHECK(getsockname(b, (struct sockaddr *)&ba, &l) == 0);
    CHECK(sendto(a, "ping", 4, 0, (struct sockaddr *)&ba, sizeof(ba)) == 4);
    char buf[16];
    struct sockaddr_in from;
    l = sizeof(from);
    ssize_t n = recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&from, &l);
    printf("udp: got %zd bytes '%.4s' from the sender: %s\n", n, buf,
           from.sin_port == aa.sin_port && from.sin_addr.s_addr == aa.sin_addr.s_addr ? "yes" : "no");
    CHECK(connect(a, (struct sockaddr *)&ba, sizeof(ba)) == 0);
    CHECK(send(a, "0123456789", 10, 0) == 10);
    n = recv(b, buf, 4, MSG_TRUNC);
    printf("udp: truncated datagram: %zd (its full length)\n", n);
    errno = 0;
    printf("udp: nothing more: %zd %s\n", recv(b, buf, sizeof(buf), MSG_DONTWAIT), strerror(errno));
    close(a);
    close(b);
}

static void unix_stream(const char *dir)
{
    char path[100];
    CHECK(strlen(dir) + 6 <= sizeof(path));
    snprintf(path, sizeof(path), "%.90s/sock", dir);
    int ls = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(ls >= 0);
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    memcpy(un.sun_path, path, strlen(path) + 1);
    CHECK(bind(ls, (struct sockaddr *)&un, sizeof(un)) == 0);
    CHECK(listen(ls, 1) == 0);
    printf("unix: the socket file exists: %s\n", access(path, F_OK) == 0 ? "yes" : "no");
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(connect(c, (struct sockaddr *)&un, sizeof(un)) == 0);
    int s = accept(ls, NULL, NULL);
    CHECK(s >= 0);
    CHECK(write(c, "over unix", 9) == 9);
    char buf[16] = {0};
    CHECK(read(s, buf, sizeof(buf)) == 9);
    printf("unix: '%s'\n", buf);
    struct sockaddr_un got;
    socklen_t l = sizeof(got);
    CHECK(getsockname(ls, (struct sockaddr *)&got, &l) == 0);
    printf("unix: getsockname gives the path: %s\n", strcmp(got.sun_path, path) == 0 ? "yes" : "no");
    close(c);
    close(s);
    close(ls);
    unlink(path);
}

static void pair(void)
{
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    struct iovec iov[3] = {{"one ", 4}, {"two ", 4}, {"three", 5}};
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = 3};
    CHECK(sendmsg(sv[0], &m, 0) == 13);
    char a[6] = {0}, b[20] = {0};
    struct iovec rio[2] = {{a, 5}, {b, sizeof(b) - 1}};
    struct msghdr rm = {.msg_iov = rio, .msg_iovlen = 2};
    ssize_t n = recvmsg(sv[1], &rm, 0);
    printf("socketpair: recvmsg %zd: '%s' + '%s', flags %d\n", n, a, b, rm.msg_flags);
    int type = 0;
    socklen_t l = sizeof(type);
    CHECK(getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &l) == 0);
    printf("socketpair: SO_TYPE stream: %s\n", type == SOCK_STREAM ? "yes" : "no");
    close(sv[1]);
    errno = 0;
    printf("socketpair: send to a closed peer: %zd %s\n", send(sv[0], "x", 1, MSG_NOSIGNAL), strerror(errno));
    close(sv[0]);
}

static void errors(void)
{
    /* A port nobody listens on: find one by binding and closing. */
    int t = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    CHECK(bind(t, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    socklen_t l = sizeof(sa);
    CHECK(getsockname(t, (struct sockaddr *)&sa, &l) == 0);
    close(t);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    errno = 0;
    printf("connect to a closed port: %d %s\n", connect(c, (struct sockaddr *)&sa, sizeof(sa)), strerror(errno));
    close(c);
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sa.sin_port = 0;
    CHECK(bind(ls, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    CHECK(listen(ls, 1) == 0);
    errno = 0;
    printf("non-blocking accept: %d %s\n", accept(ls, NULL, NULL), strerror(errno));
    close(ls);
    errno = 0;
    printf("socket of an unknown family: %d %s\n", socket(12345, SOCK_STREAM, 0), strerror(errno));
    errno = 0;
    printf("bind on a pipe: %d %s\n", bind(0, (struct sockaddr *)&sa, sizeof(sa)), strerror(errno));
}

int main(int argc, char **argv)
{
    CHECK(argc == 2);
    tcp_echo(AF_INET);
    tcp_echo(AF_INET6);
    udp();
    unix_stream(argv[1]);
    pair();
    errors();
    return 0;
}
