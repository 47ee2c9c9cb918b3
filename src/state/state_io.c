/* The section stream of saved machine state (see state_io.h). */
#include "state_io.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../cpu/le.h"

/* CRC-32 (reflected polynomial 0xedb88320), one table lookup per byte. */
static const uint32_t crc_table[256] = {
    0x00000000u, 0x77073096u, 0xee0e612cu, 0x990951bau, 0x076dc419u, 0x706af48fu,
    0xe963a535u, 0x9e6495a3u, 0x0edb8832u, 0x79dcb8a4u, 0xe0d5e91eu, 0x97d2d988u,
    0x09b64c2bu, 0x7eb17cbdu, 0xe7b82d07u, 0x90bf1d91u, 0x1db71064u, 0x6ab020f2u,
    0xf3b97148u, 0x84be41deu, 0x1adad47du, 0x6ddde4ebu, 0xf4d4b551u, 0x83d385c7u,
    0x136c9856u, 0x646ba8c0u, 0xfd62f97au, 0x8a65c9ecu, 0x14015c4fu, 0x63066cd9u,
    0xfa0f3d63u, 0x8d080df5u, 0x3b6e20c8u, 0x4c69105eu, 0xd56041e4u, 0xa2677172u,
    0x3c03e4d1u, 0x4b04d447u, 0xd20d85fdu, 0xa50ab56bu, 0x35b5a8fau, 0x42b2986cu,
    0xdbbbc9d6u, 0xacbcf940u, 0x32d86ce3u, 0x45df5c75u, 0xdcd60dcfu, 0xabd13d59u,
    0x26d930acu, 0x51de003au, 0xc8d75180u, 0xbfd06116u, 0x21b4f4b5u, 0x56b3c423u,
    0xcfba9599u, 0xb8bda50fu, 0x2802b89eu, 0x5f058808u, 0xc60cd9b2u, 0xb10be924u,
    0x2f6f7c87u, 0x58684c11u, 0xc1611dabu, 0xb6662d3du, 0x76dc4190u, 0x01db7106u,
    0x98d220bcu, 0xefd5102au, 0x71b18589u, 0x06b6b51fu, 0x9fbfe4a5u, 0xe8b8d433u,
    0x7807c9a2u, 0x0f00f934u, 0x9609a88eu, 0xe10e9818u, 0x7f6a0dbbu, 0x086d3d2du,
    0x91646c97u, 0xe6635c01u, 0x6b6b51f4u, 0x1c6c6162u, 0x856530d8u, 0xf262004eu,
    0x6c0695edu, 0x1b01a57bu, 0x8208f4c1u, 0xf50fc457u, 0x65b0d9c6u, 0x12b7e950u,
    0x8bbeb8eau, 0xfcb9887cu, 0x62dd1ddfu, 0x15da2d49u, 0x8cd37cf3u, 0xfbd44c65u,
    0x4db26158u, 0x3ab551ceu, 0xa3bc0074u, 0xd4bb30e2u, 0x4adfa541u, 0x3dd895d7u,
    0xa4d1c46du, 0xd3d6f4fbu, 0x4369e96au, 0x346ed9fcu, 0xad678846u, 0xda60b8d0u,
    0x44042d73u, 0x33031de5u, 0xaa0a4c5fu, 0xdd0d7cc9u, 0x5005713cu, 0x270241aau,
    0xbe0b1010u, 0xc90c2086u, 0x5768b525u, 0x206f85b3u, 0xb966d409u, 0xce61e49fu,
    0x5edef90eu, 0x29d9c998u, 0xb0d09822u, 0xc7d7a8b4u, 0x59b33d17u, 0x2eb40d81u,
    0xb7bd5c3bu, 0xc0ba6cadu, 0xedb88320u, 0x9abfb3b6u, 0x03b6e20cu, 0x74b1d29au,
    0xead54739u, 0x9dd277afu, 0x04db2615u, 0x73dc1683u, 0xe3630b12u, 0x94643b84u,
    0x0d6d6a3eu, 0x7a6a5aa8u, 0xe40ecf0bu, 0x9309ff9du, 0x0a00ae27u, 0x7d079eb1u,
    0xf00f9344u, 0x8708a3d2u, 0x1e01f268u, 0x6906c2feu, 0xf762575du, 0x806567cbu,
    0x196c3671u, 0x6e6b06e7u, 0xfed41b76u, 0x89d32be0u, 0x10da7a5au, 0x67dd4accu,
    0xf9b9df6fu, 0x8ebeeff9u, 0x17b7be43u, 0x60b08ed5u, 0xd6d6a3e8u, 0xa1d1937eu,
    0x38d8c2c4u, 0x4fdff252u, 0xd1bb67f1u, 0xa6bc5767u, 0x3fb506ddu, 0x48b2364bu,
    0xd80d2bdau, 0xaf0a1b4cu, 0x36034af6u, 0x41047a60u, 0xdf60efc3u, 0xa867df55u,
    0x316e8eefu, 0x4669be79u, 0xcb61b38cu, 0xbc66831au, 0x256fd2a0u, 0x5268e236u,
    0xcc0c7795u, 0xbb0b4703u, 0x220216b9u, 0x5505262fu, 0xc5ba3bbeu, 0xb2bd0b28u,
    0x2bb45a92u, 0x5cb36a04u, 0xc2d7ffa7u, 0xb5d0cf31u, 0x2cd99e8bu, 0x5bdeae1du,
    0x9b64c2b0u, 0xec63f226u, 0x756aa39cu, 0x026d930au, 0x9c0906a9u, 0xeb0e363fu,
    0x72076785u, 0x05005713u, 0x95bf4a82u, 0xe2b87a14u, 0x7bb12baeu, 0x0cb61b38u,
    0x92d28e9bu, 0xe5d5be0du, 0x7cdcefb7u, 0x0bdbdf21u, 0x86d3d2d4u, 0xf1d4e242u,
    0x68ddb3f8u, 0x1fda836eu, 0x81be16cdu, 0xf6b9265bu, 0x6fb077e1u, 0x18b74777u,
    0x88085ae6u, 0xff0f6a70u, 0x66063bcau, 0x11010b5cu, 0x8f659effu, 0xf862ae69u,
    0x616bffd3u, 0x166ccf45u, 0xa00ae278u, 0xd70dd2eeu, 0x4e048354u, 0x3903b3c2u,
    0xa7672661u, 0xd06016f7u, 0x4969474du, 0x3e6e77dbu, 0xaed16a4au, 0xd9d65adcu,
    0x40df0b66u, 0x37d83bf0u, 0xa9bcae53u, 0xdebb9ec5u, 0x47b2cf7fu, 0x30b5ffe9u,
    0xbdbdf21cu, 0xcabac28au, 0x53b39330u, 0x24b4a3a6u, 0xbad03605u, 0xcdd70693u,
    0x54de5729u, 0x23d967bfu, 0xb3667a2eu, 0xc4614ab8u, 0x5d681b02u, 0x2a6f2b94u,
    0xb40bbe37u, 0xc30c8ea1u, 0x5a05df1bu, 0x2d02ef8du,
};

uint32_t state_crc32(uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    crc = ~crc;
    for (size_t i = 0; i < len; i++)
        crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* ---- building a section ---- */

void state_w_init(state_w *w, host_ctx *host)
{
    memset(w, 0, sizeof(*w));
    w->host = host;
}

void state_w_free(state_w *w)
{
    host_free(w->host, w->buf);
    w->buf = NULL;
    w->len = w->cap = 0;
}

void state_w_reset(state_w *w)
{
    w->len = 0;
    w->failed = false;
}

void state_put_bytes(state_w *w, const void *p, size_t n)
{
    if (w->failed)
        return;
    if (n > STATE_SECTION_MAX - w->len) {
        w->failed = true;
        return;
    }
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n)
            cap *= 2;
        uint8_t *b = host_realloc(w->host, w->buf, cap);
        if (!b) {
            w->failed = true;
            return;
        }
        w->buf = b;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

static void put_le(state_w *w, uint64_t v, int n)
{
    uint8_t b[8];
    rv_put_le(b, v, n);
    state_put_bytes(w, b, (size_t)n);
}

void state_put_u8(state_w *w, uint8_t v) { put_le(w, v, 1); }
void state_put_u16(state_w *w, uint16_t v) { put_le(w, v, 2); }
void state_put_u32(state_w *w, uint32_t v) { put_le(w, v, 4); }
void state_put_u64(state_w *w, uint64_t v) { put_le(w, v, 8); }

void state_put_str(state_w *w, const char *s)
{
    size_t n = strlen(s);
    state_put_u32(w, (uint32_t)n);
    state_put_bytes(w, s, n);
}

/* ---- writing sections ---- */

static void out_bytes(state_out *o, const void *p, size_t n)
{
    if (o->error || n == 0)
        return;
    int64_t r = o->write(o->opaque, p, n);
    if (r != (int64_t)n)
        o->error = r < 0 ? (int)r : -EIO;
    else
        o->bytes += n;
}

int state_out_section(state_out *o, const char tag[4], const state_w *w)
{
    if (w->failed && !o->error)
        o->error = -ENOMEM;
    if (o->error)
        return o->error;
    uint8_t head[8], tail[4];
    memcpy(head, tag, 4);
    rv_put_le(head + 4, w->len, 4);
    uint32_t crc = state_crc32(state_crc32(0, head, 8), w->buf, w->len);
    rv_put_le(tail, crc, 4);
    out_bytes(o, head, 8);
    out_bytes(o, w->buf, w->len);
    out_bytes(o, tail, 4);
    return o->error;
}

/* ---- reading sections ---- */

void state_in_init(state_in *in, host_ctx *host, state_read_fn read, void *opaque)
{
    memset(in, 0, sizeof(*in));
    in->host = host;
    in->read = read;
    in->opaque = opaque;
}

void state_in_free(state_in *in)
{
    host_free(in->host, in->buf);
    in->buf = NULL;
    in->cap = 0;
}

/* Exactly n bytes: n, fewer at the end of the stream, or a negative error. */
static int64_t in_bytes(state_in *in, void *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        int64_t r = in->read(in->opaque, (uint8_t *)p + got, n - got);
        if (r < 0)
            return r;
        if (r == 0 || (uint64_t)r > n - got)
            break;
        got += (size_t)r;
    }
    in->offset += got;
    return (int64_t)got;
}

int state_in_next(state_in *in, char tag[5], state_r *r, char *why, size_t whylen)
{
    memset(r, 0, sizeof(*r));
    uint8_t head[8], tail[4];
    uint64_t at = in->offset;
    int64_t n = in_bytes(in, head, 8);
    if (n == 0)
        return 0;
    if (n < 0) {
        snprintf(why, whylen, "read error at byte %llu: %s", (unsigned long long)at, strerror((int)-n));
        return -1;
    }
    if (n < 8) {
        snprintf(why, whylen, "truncated at byte %llu (a section header cut short)", (unsigned long long)at);
        return -1;
    }
    memcpy(tag, head, 4);
    tag[4] = 0;
    for (int i = 0; i < 4; i++)
        if (head[i] < 0x20 || head[i] > 0x7e)
            tag[i] = '?';
    uint32_t len = (uint32_t)rv_get_le(head + 4, 4);
    if (len > STATE_SECTION_MAX) {
        snprintf(why, whylen, "section '%s' at byte %llu claims %u bytes (at most %u)", tag, (unsigned long long)at,
                 len, STATE_SECTION_MAX);
        return -1;
    }
    if (len > in->cap) {
        uint8_t *b = host_realloc(in->host, in->buf, len);
        if (!b) {
            snprintf(why, whylen, "out of memory for a %u-byte section", len);
            return -1;
        }
        in->buf = b;
        in->cap = len;
    }
    int64_t got = len ? in_bytes(in, in->buf, len) : 0;
    int64_t got_tail = got == (int64_t)len ? in_bytes(in, tail, 4) : 0;
    int64_t error = got < 0 ? got : got_tail < 0 ? got_tail : 0;
    if (error) {
        snprintf(why, whylen, "read error in section '%s': %s", tag, strerror((int)-error));
        return -1;
    }
    if (got != (int64_t)len || got_tail != 4) {
        snprintf(why, whylen, "truncated in section '%s' (starting at byte %llu)", tag, (unsigned long long)at);
        return -1;
    }
    uint32_t crc = state_crc32(state_crc32(0, head, 8), in->buf, len);
    if (crc != (uint32_t)rv_get_le(tail, 4)) {
        snprintf(why, whylen, "section '%s' at byte %llu is damaged (checksum mismatch)", tag,
                 (unsigned long long)at);
        return -1;
    }
    r->p = in->buf;
    r->len = len;
    return 1;
}

void state_get_bytes(state_r *r, void *p, size_t n)
{
    if (r->bad || n > r->len - r->pos) {
        r->bad = true;
        memset(p, 0, n);
        return;
    }
    memcpy(p, r->p + r->pos, n);
    r->pos += n;
}

static uint64_t get_le(state_r *r, int n)
{
    uint8_t b[8];
    state_get_bytes(r, b, (size_t)n);
    return rv_get_le(b, n);
}

uint8_t state_get_u8(state_r *r) { return (uint8_t)get_le(r, 1); }
uint16_t state_get_u16(state_r *r) { return (uint16_t)get_le(r, 2); }
uint32_t state_get_u32(state_r *r) { return (uint32_t)get_le(r, 4); }
uint64_t state_get_u64(state_r *r) { return get_le(r, 8); }

void state_get_str(state_r *r, char *s, size_t cap)
{
    uint32_t n = state_get_u32(r);
    if (r->bad || n >= cap || n > r->len - r->pos) {
        r->bad = true;
        s[0] = 0;
        return;
    }
    state_get_bytes(r, s, n);
    s[n] = 0;
}
