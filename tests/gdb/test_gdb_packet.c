/* The gdb stub's packet layer (tools/gdb_packet.c) without gdb: framing
 * and checksums, escapes both ways, acks, Ctrl-C, and malformed input
 * (bad checksum, bad hex, overlong packets, garbage between packets). */
#include <stdio.h>
#include <string.h>

#include "gdb_packet.h"

#include "../common/host_check.h"

/* One-argument checks: the condition is the message. */
#define CHECK_THAT(cond) CHECK(cond, "%s", #cond)

/* Feed bytes; returns the last event that was not GDB_EV_NONE (and counts them). */
static gdb_event feed(gdb_reader *r, const char *s, size_t n, int *events)
{
    gdb_event last = GDB_EV_NONE;
    *events = 0;
    for (size_t i = 0; i < n; i++) {
        gdb_event e = gdb_reader_feed(r, (unsigned char)s[i]);
        if (e != GDB_EV_NONE) {
            last = e;
            (*events)++;
        }
    }
    return last;
}

static gdb_event feed_str(gdb_reader *r, const char *s, int *events)
{
    return feed(r, s, strlen(s), events);
}

int main(void)
{
    gdb_reader r;
    int n;
    char out[64];
    gdb_reader_init(&r);

    /* Framing: "$OK#9a" ('O' 0x4f + 'K' 0x4b = 0x9a). */
    CHECK_THAT(gdb_frame("OK", 2, out, sizeof(out)) == 6 && !memcmp(out, "$OK#9a", 6));
    CHECK_THAT(gdb_frame("", 0, out, sizeof(out)) == 4 && !memcmp(out, "$#00", 4));
    /* Escapes: '#', '$', '}' and '*' go as '}' and the byte XOR 0x20. */
    size_t fl = gdb_frame("a#b$}*", 6, out, sizeof(out));
    CHECK_THAT(fl == 14 && !memcmp(out, "$a}\x03" "b}\x04}]}\x0a#", 11));
    char small[8];
    CHECK_THAT(gdb_frame("abcdef", 6, small, sizeof(small)) == 0); /* does not fit */

    /* A good packet, upper- and lower-case checksum digits. */
    CHECK_THAT(feed_str(&r, "$OK#9a", &n) == GDB_EV_PACKET && n == 1 && r.len == 2 && !strcmp(r.body, "OK"));
    CHECK_THAT(feed_str(&r, "$OK#9A", &n) == GDB_EV_PACKET && !strcmp(r.body, "OK"));
    /* What we frame, we read back (escapes included). */
    CHECK_THAT(feed(&r, out, fl, &n) == GDB_EV_PACKET && r.len == 6 && !memcmp(r.body, "a#b$}*", 6));
    /* Bad checksum and bad hex digits: '-'. */
    CHECK_THAT(feed_str(&r, "$OK#9b", &n) == GDB_EV_BAD && n == 1);
    CHECK_THAT(feed_str(&r, "$OK#zz", &n) == GDB_EV_BAD && n == 1);
    CHECK_THAT(feed_str(&r, "$OK#9", &n) == GDB_EV_NONE); /* incomplete: waits */
    CHECK_THAT(feed_str(&r, "a", &n) == GDB_EV_PACKET);
    /* Garbage outside packets is ignored; acks and Ctrl-C are events. */
    CHECK_THAT(feed_str(&r, "xyz\n\r", &n) == GDB_EV_NONE && n == 0);
    CHECK_THAT(feed_str(&r, "+", &n) == GDB_EV_ACK);
    CHECK_THAT(feed_str(&r, "-", &n) == GDB_EV_NAK);
    CHECK_THAT(feed_str(&r, "\x03", &n) == GDB_EV_INTERRUPT);
    /* 0x03 inside a packet is data, not an interrupt. */
    {
        char pk[16];
        unsigned char sum = 'a' + 3;
        snprintf(pk, sizeof(pk), "$a\x03#%02x", sum);
        CHECK_THAT(feed_str(&r, pk, &n) == GDB_EV_PACKET && r.len == 2 && r.body[1] == 3);
    }
    /* A '$' inside a packet starts it over (gdb gave up on the first). */
    CHECK_THAT(feed_str(&r, "$garbage$OK#9a", &n) == GDB_EV_PACKET && n == 1 && !strcmp(r.body, "OK"));
    /* Overlong: the checksum matches but the body is too big: '-', and the
     * reader works afterwards. */
    {
        static char big[GDB_PACKET_MAX + 64];
        unsigned char sum = 0;
        size_t k = 0;
        big[k++] = '$';
        for (int i = 0; i < GDB_PACKET_MAX + 1; i++) {
            big[k++] = 'x';
            sum += 'x';
        }
        k += (size_t)snprintf(big + k, sizeof(big) - k, "#%02x", sum);
        CHECK_THAT(feed(&r, big, k, &n) == GDB_EV_BAD && n == 1);
        /* Exactly the maximum is fine. */
        sum = 0;
        k = 0;
        big[k++] = '$';
        for (int i = 0; i < GDB_PACKET_MAX; i++) {
            big[k++] = 'y';
            sum += 'y';
        }
        k += (size_t)snprintf(big + k, sizeof(big) - k, "#%02x", sum);
        CHECK_THAT(feed(&r, big, k, &n) == GDB_EV_PACKET && r.len == GDB_PACKET_MAX);
        CHECK_THAT(feed_str(&r, "$OK#9a", &n) == GDB_EV_PACKET && !strcmp(r.body, "OK"));
    }
    /* Hex helpers. */
    {
        const char *s = "1f,rest";
        unsigned long long v = 0;
        unsigned char b[4];
        char h[9];
        CHECK_THAT(gdb_parse_hex(&s, &v) && v == 0x1f && *s == ',');
        s = "ffffffffffffffff";
        CHECK_THAT(gdb_parse_hex(&s, &v) && v == ~0ull && !*s);
        s = "10000000000000000"; /* 65 bits */
        CHECK_THAT(!gdb_parse_hex(&s, &v));
        s = ",x";
        CHECK_THAT(!gdb_parse_hex(&s, &v));
        CHECK_THAT(gdb_hex_to_bytes("deadBEEF", b, 4) && b[0] == 0xde && b[3] == 0xef);
        CHECK_THAT(!gdb_hex_to_bytes("dg", b, 1));
        CHECK_THAT(!gdb_hex_to_bytes("d", b, 1));
        gdb_bytes_to_hex(b, 4, h);
        CHECK_THAT(!strcmp(h, "deadbeef"));
    }
    return check_report("gdb packet layer");
}
