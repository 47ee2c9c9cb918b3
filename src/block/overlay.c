/* snapshot=on: the guest's writes to a disk whose image stays untouched,
 * kept in 4 KiB copy-on-write chunks in host memory. A chunk is made on
 * the first write that touches it, filled from the image, and from then on
 * its bytes are the disk's. The chunk table has two levels (1024 chunks
 * per second-level table, made as needed), so a large disk written in a
 * few places costs little. */
#include <errno.h>
#include <string.h>

#include "block.h"

#define CHUNK 4096u
#define GROUP 1024u /* chunks per second-level table */

typedef struct blk_overlay {
    uint64_t ngroups;
    uint8_t ***groups; /* groups[g][c]: chunk g * GROUP + c, or NULL */
    uint64_t bytes;    /* host memory held */
} blk_overlay;

int blk_overlay_attach(blk_dev *bd)
{
    uint64_t nchunks = (bd->size + CHUNK - 1) / CHUNK;
    blk_overlay *o = host_alloc(bd->host, sizeof(*o));
    if (!o)
        return -ENOMEM;
    o->ngroups = (nchunks + GROUP - 1) / GROUP;
    o->groups = o->ngroups ? host_alloc(bd->host, (size_t)o->ngroups * sizeof(*o->groups)) : NULL;
    if (o->ngroups && !o->groups) {
        host_free(bd->host, o);
        return -ENOMEM;
    }
    o->bytes = sizeof(*o) + o->ngroups * sizeof(*o->groups);
    bd->overlay = o;
    bd->read_only = 0; /* to the guest; the format keeps the image read-only */
    return 0;
}

uint64_t blk_overlay_bytes(const blk_dev *bd) { return bd->overlay ? bd->overlay->bytes : 0; }

void blk_overlay_free(blk_dev *bd)
{
    blk_overlay *o = bd->overlay;
    if (!o)
        return;
    for (uint64_t g = 0; g < o->ngroups; g++) {
        if (!o->groups[g])
            continue;
        for (unsigned c = 0; c < GROUP; c++)
            host_free(bd->host, o->groups[g][c]);
        host_free(bd->host, o->groups[g]);
    }
    host_free(bd->host, o->groups);
    host_free(bd->host, o);
    bd->overlay = NULL;
}

/* Chunk i, or NULL when it was never written. */
static uint8_t *chunk(const blk_overlay *o, uint64_t i)
{
    uint8_t **group = o->groups[i / GROUP];
    return group ? group[i % GROUP] : NULL;
}

/* Chunk i, made from the image's bytes if it is new. 0 or -errno. */
static int chunk_for_write(blk_dev *bd, uint64_t i, uint8_t **out)
{
    blk_overlay *o = bd->overlay;
    uint8_t ***group = &o->groups[i / GROUP];
    if (!*group) {
        if (!(*group = host_alloc(bd->host, GROUP * sizeof(**group))))
            return -ENOMEM;
        o->bytes += GROUP * sizeof(**group);
    }
    uint8_t **slot = &(*group)[i % GROUP];
    if (!*slot) {
        uint8_t *c = host_alloc(bd->host, CHUNK);
        if (!c)
            return -ENOMEM;
        uint64_t start = i * CHUNK, n = bd->size - start < CHUNK ? bd->size - start : CHUNK;
        int r = bd->fmt->read(bd, start, c, (size_t)n);
        if (r < 0) {
            host_free(bd->host, c);
            return r;
        }
        *slot = c;
        o->bytes += CHUNK;
    }
    *out = *slot;
    return 0;
}

int blk_overlay_read(blk_dev *bd, uint64_t off, void *buf, size_t len)
{
    int r = bd->fmt->read(bd, off, buf, len);
    if (r < 0)
        return r;
    for (uint64_t at = off; at < off + len;) {
        uint64_t i = at / CHUNK, in = at % CHUNK, n = CHUNK - in;
        if (n > off + len - at)
            n = off + len - at;
        const uint8_t *c = chunk(bd->overlay, i);
        if (c)
            memcpy((uint8_t *)buf + (at - off), c + in, (size_t)n);
        at += n;
    }
    return 0;
}

int blk_overlay_write(blk_dev *bd, uint64_t off, const void *buf, size_t len)
{
    for (uint64_t at = off; at < off + len;) {
        uint64_t i = at / CHUNK, in = at % CHUNK, n = CHUNK - in;
        if (n > off + len - at)
            n = off + len - at;
        uint8_t *c;
        int r = chunk_for_write(bd, i, &c);
        if (r < 0)
            return r;
        memcpy(c + in, (const uint8_t *)buf + (at - off), (size_t)n);
        at += n;
    }
    return 0;
}
