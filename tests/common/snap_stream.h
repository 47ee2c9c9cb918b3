/* Snapshot streams in memory, for tests/api/test_snapshot.c and
 * fuzz/fuzz_snapshot.c: a growable byte buffer with the svm_snapshot_write
 * and svm_snapshot_read callbacks, and the section framing (tag, u32 LE
 * length, payload, u32 LE CRC-32 over the three; src/state/state_io.h)
 * walked from outside the library, to find a section, change its payload
 * and make its CRC right again. */
#ifndef SPLITVM_TESTS_SNAP_STREAM_H
#define SPLITVM_TESTS_SNAP_STREAM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct snap_bytes {
    uint8_t *p;
    size_t n, cap;
    size_t pos; /* the reader's position */
} snap_bytes;

static inline void snap_bytes_add(snap_bytes *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->p = realloc(b->p, b->cap ? b->cap : 1);
        if (!b->p)
            abort();
    }
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
}

/* svm_snapshot_write_fn and svm_snapshot_read_fn over a snap_bytes. */
static inline int64_t snap_bytes_write(void *opaque, const void *buf, size_t len)
{
    snap_bytes_add(opaque, buf, len);
    return (int64_t)len;
}

static inline int64_t snap_bytes_read(void *opaque, void *buf, size_t len)
{
    snap_bytes *b = opaque;
    size_t n = b->n - b->pos < len ? b->n - b->pos : len;
    if (n)
        memcpy(buf, b->p + b->pos, n);
    b->pos += n;
    return (int64_t)n;
}

static inline uint32_t snap_get_le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void snap_put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* IEEE 802.3 CRC-32, as zlib's crc32(0, p, n). */
static inline uint32_t snap_crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c >> 1 ^ (0xedb88320u & -(c & 1));
    }
    return ~c;
}

typedef struct snap_section {
    size_t off;   /* of its tag; the payload is at off + 8, the CRC after it */
    uint32_t len; /* of the payload */
    char tag[5];
} snap_section;

/* The whole sections at the start of p[0..n), at most max of them (s may
 * be NULL to count only); returns their number, and in *rest the bytes
 * left after them (0 for a stream that frames exactly). */
static inline int snap_sections(const uint8_t *p, size_t n, snap_section *s, int max, size_t *rest)
{
    size_t off = 0;
    int count = 0;
    while (count < max && n - off >= 12) {
        uint32_t len = snap_get_le32(p + off + 4);
        if (len > n - off - 12)
            break;
        if (s) {
            s[count].off = off;
            s[count].len = len;
            memcpy(s[count].tag, p + off, 4);
            s[count].tag[4] = 0;
        }
        count++;
        off += 12 + (size_t)len;
    }
    *rest = n - off;
    return count;
}

/* Recompute the CRC of every whole section (a partial last one is left). */
static inline void snap_fix_crcs(uint8_t *p, size_t n)
{
    size_t off = 0;
    while (n - off >= 12) {
        uint32_t len = snap_get_le32(p + off + 4);
        if (len > n - off - 12)
            return;
        snap_put_le32(p + off + 8 + len, snap_crc32(p + off, 8 + (size_t)len));
        off += 12 + (size_t)len;
    }
}

#endif
