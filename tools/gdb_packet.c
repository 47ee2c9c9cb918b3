/* GDB remote protocol framing (see gdb_packet.h). */
#include "gdb_packet.h"

#include <string.h>

void gdb_reader_init(gdb_reader *r)
{
    memset(r, 0, sizeof(*r));
    r->state = GR_IDLE;
}

static void body_put(gdb_reader *r, unsigned char c)
{
    if (r->len < GDB_PACKET_MAX)
        r->body[r->len++] = (char)c;
    else
        r->overflow = 1;
}

gdb_event gdb_reader_feed(gdb_reader *r, unsigned char c)
{
    int d;
    switch (r->state) {
    case GR_IDLE:
        if (c == '$') {
            r->state = GR_BODY;
            r->sum = 0;
            r->len = 0;
            r->overflow = 0;
            return GDB_EV_NONE;
        }
        if (c == 0x03)
            return GDB_EV_INTERRUPT;
        if (c == '+')
            return GDB_EV_ACK;
        if (c == '-')
            return GDB_EV_NAK;
        return GDB_EV_NONE;
    case GR_BODY:
        if (c == '#') {
            r->state = GR_SUM1;
            return GDB_EV_NONE;
        }
        if (c == '$') { /* a new packet before the end: start over with it */
            r->sum = 0;
            r->len = 0;
            r->overflow = 0;
            return GDB_EV_NONE;
        }
        r->sum += c;
        if (c == '}')
            r->state = GR_ESCAPE;
        else
            body_put(r, c);
        return GDB_EV_NONE;
    case GR_ESCAPE:
        r->sum += c;
        body_put(r, c ^ 0x20);
        r->state = GR_BODY;
        return GDB_EV_NONE;
    case GR_SUM1:
        d = gdb_hex_digit(c);
        r->given = (unsigned char)((d < 0 ? 0 : d) << 4);
        r->overflow |= d < 0 ? 2 : 0;
        r->state = GR_SUM2;
        return GDB_EV_NONE;
    case GR_SUM2:
        d = gdb_hex_digit(c);
        r->given |= (unsigned char)(d < 0 ? 0 : d);
        r->state = GR_IDLE;
        if (d < 0 || r->overflow || r->given != r->sum)
            return GDB_EV_BAD;
        r->body[r->len] = 0;
        return GDB_EV_PACKET;
    }
    return GDB_EV_NONE;
}

size_t gdb_frame(const char *body, size_t len, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    unsigned char sum = 0;
    if (cap < 4)
        return 0;
    out[o++] = '$';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)body[i];
        int esc = c == '$' || c == '#' || c == '}' || c == '*';
        if (o + (esc ? 2 : 1) + 3 > cap)
            return 0;
        if (esc) {
            out[o++] = '}';
            sum += '}';
            c ^= 0x20;
        }
        out[o++] = (char)c;
        sum += c;
    }
    out[o++] = '#';
    out[o++] = hex[sum >> 4];
    out[o++] = hex[sum & 15];
    return o;
}

int gdb_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int gdb_parse_hex(const char **s, unsigned long long *v)
{
    const char *p = *s;
    unsigned long long x = 0;
    int n = 0;
    for (int d; (d = gdb_hex_digit((unsigned char)*p)) >= 0 && n < 16; p++, n++)
        x = x << 4 | (unsigned)d;
    if (!n || gdb_hex_digit((unsigned char)*p) >= 0)
        return 0; /* none, or more than 64 bits */
    *s = p;
    *v = x;
    return 1;
}

int gdb_hex_to_bytes(const char *s, unsigned char *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = gdb_hex_digit((unsigned char)s[2 * i]);
        int lo = hi < 0 ? -1 : gdb_hex_digit((unsigned char)s[2 * i + 1]);
        if (lo < 0)
            return 0;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 1;
}

void gdb_bytes_to_hex(const unsigned char *in, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[in[i] >> 4];
        out[2 * i + 1] = hex[in[i] & 15];
    }
    out[2 * n] = 0;
}
