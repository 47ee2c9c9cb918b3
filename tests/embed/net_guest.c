/* A guest of the embedder's network (test_proxy_net.c): an echo server in
 * a thread and a client, over what the guest believes is 127.0.0.1:7777;
 * every byte goes through the embedder's callbacks. Exit status 0 when all
 * went as on a real network. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            printf("FAIL line %d: %s (errno %d)\n", __LINE__, #c, errno);                          \
            return (void *)1;                                                                      \
        }                                                                                          \
    } while (0)

static volatile int listening;
static struct sockaddr_in server_addr;

static void *server(void *arg)
{
    (void)arg;
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(ls >= 0);
    CHECK(bind(ls, (struct sockaddr *)&server_addr, sizeof(server_addr)) == 0);
    CHECK(listen(ls, 4) == 0);
    listening = 1;
    struct sockaddr_in peer;
    socklen_t pl = sizeof(peer);
    int c = accept(ls, (struct sockaddr *)&peer, &pl);
    CHECK(c >= 0);
    CHECK(pl == sizeof(peer) && peer.sin_family == AF_INET);
    char buf[1500];
    ssize_t n;
    while ((n = read(c, buf, sizeof(buf))) > 0)
        CHECK(write(c, buf, (size_t)n) == n);
    CHECK(n == 0);
    close(c);
    close(ls);
    return NULL;
}

static void *client(void *arg)
{
    (void)arg;
    while (!listening)
        sched_yield();
    int s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0);
    CHECK(connect(s, (struct sockaddr *)&server_addr, sizeof(server_addr)) == 0);
    struct sockaddr_in peer;
    socklen_t pl = sizeof(peer);
    CHECK(getpeername(s, (struct sockaddr *)&peer, &pl) == 0 && peer.sin_port == htons(7777));
    static char out[100000], in[100000];
    for (size_t i = 0; i < sizeof(out); i++)
        out[i] = (char)(i * 13);
    size_t sent = 0, got = 0;
    while (got < sizeof(in)) {
        if (sent < sizeof(out)) {
            ssize_t w = send(s, out + sent, sizeof(out) - sent < 4000 ? sizeof(out) - sent : 4000, 0);
            CHECK(w > 0);
            sent += (size_t)w;
        }
        struct pollfd pf = {s, POLLIN, 0};
        if (sent == sizeof(out) || poll(&pf, 1, 0) == 1) {
            ssize_t r = recv(s, in + got, sizeof(in) - got, 0);
            CHECK(r > 0);
            got += (size_t)r;
        }
    }
    CHECK(memcmp(in, out, sizeof(in)) == 0);
    CHECK(shutdown(s, SHUT_WR) == 0);
    char b;
    CHECK(recv(s, &b, 1, 0) == 0);
    close(s);
    printf("echoed %zu bytes through the embedder\n", got);
    return NULL;
}

int main(void)
{
    server_addr.sin_family = AF_INET;
    server_addr.sin_port = htons(7777);
    server_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int refused = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in nobody = server_addr;
    nobody.sin_port = htons(1);
    errno = 0;
    printf("connect to a closed port: %d %s\n", connect(refused, (struct sockaddr *)&nobody, sizeof(nobody)),
           strerror(errno));
    close(refused);
    pthread_t a, b;
    void *ra, *rb;
    if (pthread_create(&a, NULL, server, NULL) || pthread_create(&b, NULL, client, NULL))
        return 2;
    pthread_join(b, &rb);
    pthread_join(a, &ra);
    return ra || rb;
}
