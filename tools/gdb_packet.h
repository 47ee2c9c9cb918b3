/* The GDB remote serial protocol's framing: "$data#xx" packets (xx: the
 * modulo-256 sum of data, in hex), '+' / '-' acknowledgements, the '}'
 * escape (the next byte XOR 0x20) and the 0x03 interrupt byte. Pure code,
 * no I/O: the stub feeds received bytes in and sends what it encodes. */
#ifndef SPLITVM_TOOLS_GDB_PACKET_H
#define SPLITVM_TOOLS_GDB_PACKET_H

#include <stddef.h>

/* The largest packet body accepted (what qSupported announces as PacketSize). */
#define GDB_PACKET_MAX 4096

typedef enum gdb_event {
    GDB_EV_NONE = 0,  /* byte taken, nothing complete yet */
    GDB_EV_PACKET,    /* a packet with a good checksum: its body is in body/len */
    GDB_EV_BAD,       /* a packet with a bad checksum or too long: answer '-' */
    GDB_EV_INTERRUPT, /* 0x03 outside a packet */
    GDB_EV_ACK,       /* '+' */
    GDB_EV_NAK,       /* '-': send the last packet again */
} gdb_event;

typedef struct gdb_reader {
    enum { GR_IDLE, GR_BODY, GR_ESCAPE, GR_SUM1, GR_SUM2 } state;
    unsigned char sum;     /* running checksum of the raw body */
    unsigned char given;   /* the checksum the packet states */
    int overflow;          /* the body was longer than GDB_PACKET_MAX */
    size_t len;
    char body[GDB_PACKET_MAX + 1]; /* unescaped; NUL-terminated for parsing */
} gdb_reader;

void gdb_reader_init(gdb_reader *r);
/* Feed one received byte. Bytes outside a packet other than '+', '-' and
 * 0x03 are ignored (gdb sends nothing else there). */
gdb_event gdb_reader_feed(gdb_reader *r, unsigned char byte);

/* Frame body (len bytes) as "$...#xx", escaping '$', '#', '}' and '*'.
 * Returns the framed length, or 0 when it does not fit in out (cap bytes). */
size_t gdb_frame(const char *body, size_t len, char *out, size_t cap);

/* Hex helpers: the value of a hex digit, or -1. */
int gdb_hex_digit(int c);
/* Parse hex digits at *s into *v (advancing *s); 0 when there was none. */
int gdb_parse_hex(const char **s, unsigned long long *v);
/* Decode 2*n hex digits at s into n bytes; 0 on a bad digit. */
int gdb_hex_to_bytes(const char *s, unsigned char *out, size_t n);
/* Encode n bytes as 2*n hex digits (plus NUL) at out. */
void gdb_bytes_to_hex(const unsigned char *in, size_t n, char *out);

#endif
