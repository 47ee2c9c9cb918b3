/* Saved machine state (snapshots): a stream of sections,
 *
 *     tag (4 ASCII bytes) | length (u32, LE) | payload | crc32 (u32, LE)
 *
 * the CRC (IEEE 802.3, as zlib's crc32) covering tag, length and payload.
 * Payload values are little-endian and fixed-width, so a snapshot reads the
 * same on every host. A section is built in memory (state_w) and written
 * whole; a reader takes one section at a time, checks its CRC before
 * anyone sees a byte of it, and decodes it with state_r, whose reads past
 * the end yield zeros and mark the section bad instead of overrunning. */
#ifndef SPLITVM_STATE_IO_H
#define SPLITVM_STATE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../host/host.h"

/* The embedder's byte sinks and sources (svm_snapshot_write/_read). write:
 * len bytes taken (anything else is an error); read: bytes read (0 at the
 * end), negative on error. */
typedef int64_t (*state_write_fn)(void *opaque, const void *buf, size_t len);
typedef int64_t (*state_read_fn)(void *opaque, void *buf, size_t len);

/* Largest section payload a reader accepts. */
#define STATE_SECTION_MAX ((uint32_t)1 << 24)

uint32_t state_crc32(uint32_t crc, const void *buf, size_t len);

/* ---- building a section ---- */
typedef struct state_w {
    host_ctx *host;
    uint8_t *buf;
    size_t len, cap;
    bool failed; /* out of memory, or past STATE_SECTION_MAX */
} state_w;

void state_w_init(state_w *w, host_ctx *host);
void state_w_free(state_w *w);
void state_w_reset(state_w *w); /* empty, for the next section */
void state_put_bytes(state_w *w, const void *p, size_t n);
void state_put_u8(state_w *w, uint8_t v);
void state_put_u16(state_w *w, uint16_t v);
void state_put_u32(state_w *w, uint32_t v);
void state_put_u64(state_w *w, uint64_t v);
void state_put_str(state_w *w, const char *s); /* u32 length, bytes */

/* ---- writing sections ---- */
typedef struct state_out {
    state_write_fn write;
    void *opaque;
    int error; /* 0, or a negative errno: nothing more is written */
    uint64_t bytes;
} state_out;

/* Write w's bytes as section `tag`. 0, or the (sticky) negative error. */
int state_out_section(state_out *o, const char tag[4], const state_w *w);

/* ---- reading sections ---- */
typedef struct state_in {
    host_ctx *host;
    state_read_fn read;
    void *opaque;
    uint8_t *buf; /* the current section's payload */
    size_t cap;
    uint64_t offset; /* bytes consumed so far */
} state_in;

void state_in_init(state_in *in, host_ctx *host, state_read_fn read, void *opaque);
void state_in_free(state_in *in);

/* Decoding one section's payload. */
typedef struct state_r {
    const uint8_t *p;
    size_t len, pos;
    bool bad; /* read past the end, or a value its reader refused */
} state_r;

/* The next section: its tag (NUL-terminated) and payload in r. 1, 0 at a
 * clean end of the stream (no byte left), or -1 with why set (a short read,
 * a CRC mismatch, an oversized section, a read error). */
int state_in_next(state_in *in, char tag[5], state_r *r, char *why, size_t whylen);

void state_get_bytes(state_r *r, void *p, size_t n);
uint8_t state_get_u8(state_r *r);
uint16_t state_get_u16(state_r *r);
uint32_t state_get_u32(state_r *r);
uint64_t state_get_u64(state_r *r);
/* A string of at most cap - 1 bytes, NUL-terminated. */
void state_get_str(state_r *r, char *s, size_t cap);
/* Mark the section bad when cond is false (a value out of range). */
static inline void state_require(state_r *r, bool cond)
{
    if (!cond)
        r->bad = true;
}
/* The whole payload was read, no more, and nothing was refused. */
static inline bool state_r_ok(const state_r *r) { return !r->bad && r->pos == r->len; }

#endif
