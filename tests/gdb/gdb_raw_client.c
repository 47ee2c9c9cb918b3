/* The gdb stub over a raw connection, without gdb: what gdb never sends
 * (bad checksums, an overlong packet, garbage, unknown packets, bad
 * arguments) and Ctrl-C while the guest runs, then 'k'.
 * usage: gdb_raw_client PORT (the stub runs a guest that spins forever) */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "gdb_packet.h"

static int fd;
static gdb_reader rd;
static int failures;

static void send_bytes(const char *p, size_t n)
{
    if (send(fd, p, n, MSG_NOSIGNAL) != (ssize_t)n) {
        perror("send");
        exit(1);
    }
}

static void send_packet(const char *body)
{
    char out[2 * GDB_PACKET_MAX + 8];
    size_t n = gdb_frame(body, strlen(body), out, sizeof(out));
    send_bytes(out, n);
}

/* The next event from the stub (an ack, a nak or a packet), within 10 s. */
static gdb_event next_event(void)
{
    for (;;) {
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        unsigned char c;
        if (poll(&pf, 1, 10000) <= 0 || recv(fd, &c, 1, 0) != 1) {
            fprintf(stderr, "no answer from the stub\n");
            exit(1);
        }
        gdb_event e = gdb_reader_feed(&rd, c);
        if (e != GDB_EV_NONE)
            return e;
    }
}

static void expect_event(const char *what, gdb_event want)
{
    gdb_event e = next_event();
    printf("%s: event %d\n", what, (int)e);
    if (e != want) {
        printf("FAIL %s: event %d, not %d\n", what, (int)e, (int)want);
        failures++;
    }
}

/* Send body (acked), then expect a reply that starts with want ("" = empty). */
static void exchange(const char *what, const char *body, const char *want, int exact)
{
    send_packet(body);
    expect_event(what, GDB_EV_ACK);
    gdb_event e = next_event();
    send_bytes("+", 1);
    int ok = e == GDB_EV_PACKET && (exact ? !strcmp(rd.body, want) : !strncmp(rd.body, want, strlen(want)));
    printf("%s: '%.60s'\n", what, e == GDB_EV_PACKET ? rd.body : "(no packet)");
    if (!ok) {
        printf("FAIL %s: wanted '%s'\n", what, want);
        failures++;
    }
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int tries = 0;; tries++) {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
            break;
        close(fd);
        if (tries == 100) {
            perror("connect");
            return 1;
        }
        struct timespec ts = {0, 50000000};
        nanosleep(&ts, NULL);
    }
    gdb_reader_init(&rd);

    exchange("stop reason", "?", "T05thread:01;", 1);
    /* A bad checksum, bad checksum digits: '-' and nothing else. */
    send_bytes("$?#00", 5);
    expect_event("bad checksum", GDB_EV_NAK);
    send_bytes("$?#g1", 5);
    expect_event("bad checksum digit", GDB_EV_NAK);
    /* Overlong (the checksum right): '-'. */
    {
        static char big[GDB_PACKET_MAX + 200];
        memset(big, 'q', GDB_PACKET_MAX + 100);
        char out[2 * GDB_PACKET_MAX + 300];
        size_t n = gdb_frame(big, GDB_PACKET_MAX + 100, out, sizeof(out));
        send_bytes(out, n);
        expect_event("overlong packet", GDB_EV_NAK);
    }
    /* Garbage between packets is ignored. */
    send_bytes("hello\r\n", 7);
    exchange("after garbage", "qC", "QC01", 1);
    exchange("unknown packet", "qNoSuchThing", "", 1);
    exchange("target description", "qXfer:features:read:target.xml:0,40", "m<?xml", 0);
    exchange("description past its end", "qXfer:features:read:target.xml:100000,40", "l", 1);
    exchange("unmapped memory", "m0,4", "E", 0);
    exchange("malformed m", "mzz", "E", 0);
    exchange("malformed Z0", "Z0,zz", "E", 0);
    exchange("watchpoint", "Z2,1000,4", "OK", 1);
    exchange("clear it", "z2,1000,4", "OK", 1);
    exchange("clear it again", "z2,1000,4", "E", 0);
    exchange("watchpoint of no length", "Z3,1000,0", "E", 0);
    exchange("unknown Z type", "Z5,1000,4", "", 1);
    exchange("clear a breakpoint never set", "z0,1234,4", "E", 0);
    exchange("bad register", "p99", "E", 0);
    exchange("pc", "p20", "", 0);
    if (strlen(rd.body) != 16) {
        printf("FAIL pc: %zu hex digits\n", strlen(rd.body));
        failures++;
    }
    char entry_pc[17] = "";
    if (strlen(rd.body) == 16)
        memcpy(entry_pc, rd.body, 16);
    /* No acks from here. */
    exchange("no-ack mode", "QStartNoAckMode", "OK", 1);
    /* Continue, then Ctrl-C: the guest spins, so only the interrupt stops it. */
    send_packet("vCont;c");
    struct timespec ts = {0, 300000000};
    nanosleep(&ts, NULL);
    send_bytes("\x03", 1);
    gdb_event e = next_event();
    printf("after Ctrl-C: '%s'\n", e == GDB_EV_PACKET ? rd.body : "(no packet)");
    if (e != GDB_EV_PACKET || strcmp(rd.body, "T02thread:01;")) {
        printf("FAIL Ctrl-C\n");
        failures++;
    }
    /* The guest ran: it stands elsewhere than at its entry. */
    send_packet("p20");
    e = next_event();
    printf("pc after Ctrl-C: '%s' (entry '%s')\n", e == GDB_EV_PACKET ? rd.body : "(no packet)", entry_pc);
    if (e != GDB_EV_PACKET || strlen(rd.body) != 16 || !strcmp(rd.body, entry_pc)) {
        printf("FAIL pc after Ctrl-C\n");
        failures++;
    }
    send_packet("k");
    close(fd);
    printf(failures ? "FAIL: %d\n" : "raw client: ok\n", failures);
    return failures ? 1 : 0;
}
