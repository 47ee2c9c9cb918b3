/* The host's end of tests/system/net.sh, on 127.0.0.1:
 *   net_peer serve PORTFILE   listen on a free port (written to PORTFILE),
 *                             take one connection, read a line, answer
 *                             "HOST-GOT <line>", exit 0
 *   net_peer fetch PORT OUTFILE SECONDS
 *                             connect to PORT until a connection gives data
 *                             (the guest's listener may not be up yet), save
 *                             everything read to OUTFILE, exit 0; 1 at the
 *                             deadline
 * A test helper, not part of the library. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int serve(const char *portfile)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 1) ||
        getsockname(s, (struct sockaddr *)&a, &len))
        return perror("net_peer serve"), 1;
    FILE *f = fopen(portfile, "w");
    if (!f)
        return perror(portfile), 1;
    fprintf(f, "%d\n", ntohs(a.sin_port));
    fclose(f);
    int c = accept(s, NULL, NULL);
    if (c < 0)
        return perror("accept"), 1;
    char line[256];
    size_t n = 0;
    while (n < sizeof line - 1) {
        ssize_t r = read(c, line + n, 1);
        if (r <= 0 || line[n] == '\n')
            break;
        n++;
    }
    line[n] = 0;
    char reply[300];
    int k = snprintf(reply, sizeof reply, "HOST-GOT %s\n", line);
    if (write(c, reply, (size_t)k) != k)
        return perror("write"), 1;
    close(c);
    close(s);
    return 0;
}

static int fetch(int port, const char *out, double seconds)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = loopback(port);
        char buf[4096];
        size_t n = 0;
        if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof a) == 0) {
            ssize_t r;
            while (n < sizeof buf && (r = read(s, buf + n, sizeof buf - n)) > 0)
                n += (size_t)r;
        }
        if (s >= 0)
            close(s);
        if (n) {
            FILE *f = fopen(out, "w");
            if (!f || fwrite(buf, 1, n, f) != n)
                return perror(out), 1;
            fclose(f);
            return 0;
        }
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 > seconds)
            return fprintf(stderr, "net_peer fetch: nothing from port %d in %.0f s\n", port, seconds), 1;
        usleep(100000);
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "serve"))
        return serve(argv[2]);
    if (argc == 5 && !strcmp(argv[1], "fetch"))
        return fetch(atoi(argv[2]), argv[3], atof(argv[4]));
    fprintf(stderr, "usage: net_peer serve PORTFILE | net_peer fetch PORT OUTFILE SECONDS\n");
    return 2;
}
