/* Split virtqueue walking over guest RAM, every access bounds-checked. */
#include "virtqueue.h"

#include <stdatomic.h>
#include <string.h>

enum { DESC_F_NEXT = 1, DESC_F_WRITE = 2, DESC_F_INDIRECT = 4 };
enum { AVAIL_F_NO_INTERRUPT = 1 };
enum { DESC_SIZE = 16, USED_ELEM_SIZE = 8 };

uint8_t *virtio_ram_ptr(const virtio_ram *ram, uint64_t gpa, uint64_t len)
{
    if (!ram->host || gpa < ram->base || len > ram->size || gpa - ram->base > ram->size - len)
        return NULL;
    return ram->host + (gpa - ram->base);
}

/* A little-endian field of n bytes at gpa; -1 when outside RAM. */
static int load(const virtio_ram *ram, uint64_t gpa, int n, uint64_t *v)
{
    const uint8_t *p = virtio_ram_ptr(ram, gpa, (uint64_t)n);
    if (!p)
        return -1;
    *v = rv_get_le(p, n);
    return 0;
}

static int store(const virtio_ram *ram, uint64_t gpa, int n, uint64_t v)
{
    uint8_t *p = virtio_ram_ptr(ram, gpa, (uint64_t)n);
    if (!p)
        return -1;
    rv_put_le(p, v, n);
    return 0;
}

int virtq_check(const virtq *q, uint32_t max, const virtio_ram *ram)
{
    uint64_t n = q->num;
    if (n == 0 || n > max || (n & (n - 1)))
        return -1;
    if ((q->desc & 15) || (q->avail & 1) || (q->used & 3))
        return -1;
    if (!virtio_ram_ptr(ram, q->desc, DESC_SIZE * n) || !virtio_ram_ptr(ram, q->avail, 6 + 2 * n) ||
        !virtio_ram_ptr(ram, q->used, 6 + USED_ELEM_SIZE * n))
        return -1;
    return 0;
}

int virtq_pop(virtq *q, const virtio_ram *ram, virtq_elem *e)
{
    uint64_t avail_idx, head;
    if (!q->ready || virtq_check(q, UINT32_MAX, ram) || load(ram, q->avail + 2, 2, &avail_idx))
        return -1;
    uint16_t waiting = (uint16_t)(avail_idx - q->last_avail);
    if (waiting == 0)
        return 0;
    if (waiting > q->num) /* the driver cannot have made more than num available */
        return -1;
    atomic_thread_fence(memory_order_acquire); /* ring entries after the index */
    if (load(ram, q->avail + 4 + 2 * (uint64_t)(q->last_avail % q->num), 2, &head) || head >= q->num)
        return -1;
    e->head = (uint16_t)head;
    e->n_out = e->n_in = 0;
    e->out_len = e->in_len = 0;
    uint64_t i = head;
    for (unsigned count = 0;; count++) {
        /* Any chain longer than the queue revisits a descriptor: a loop. */
        if (count >= q->num || count >= VIRTQ_MAX_CHAIN)
            return -1;
        uint64_t d = q->desc + DESC_SIZE * i, addr, len, flags, next;
        if (load(ram, d, 8, &addr) || load(ram, d + 8, 4, &len) || load(ram, d + 12, 2, &flags) ||
            load(ram, d + 14, 2, &next))
            return -1;
        if ((flags & DESC_F_INDIRECT) || !virtio_ram_ptr(ram, addr, len))
            return -1; /* indirect tables are not offered */
        if (flags & DESC_F_WRITE) {
            e->n_in++;
            e->in_len += len;
        } else {
            if (e->n_in) /* readable buffers must come first */
                return -1;
            e->n_out++;
            e->out_len += len;
        }
        e->buf[count].addr = addr;
        e->buf[count].len = (uint32_t)len;
        if (!(flags & DESC_F_NEXT))
            break;
        if (next >= q->num)
            return -1;
        i = next;
    }
    q->last_avail++;
    return 1;
}

int virtq_push(virtq *q, const virtio_ram *ram, uint16_t head, uint32_t written)
{
    if (!q->ready || virtq_check(q, UINT32_MAX, ram))
        return -1;
    uint64_t slot = q->used + 4 + USED_ELEM_SIZE * (uint64_t)(q->used_idx % q->num);
    if (store(ram, slot, 4, head) || store(ram, slot + 4, 4, written))
        return -1;
    atomic_thread_fence(memory_order_release); /* the entry before the index */
    q->used_idx++;
    return store(ram, q->used + 2, 2, q->used_idx);
}

int virtq_wants_interrupt(const virtq *q, const virtio_ram *ram)
{
    uint64_t flags = 0;
    if (load(ram, q->avail, 2, &flags))
        return 1;
    return !(flags & AVAIL_F_NO_INTERRUPT);
}

/* Copy between RAM and a host buffer over buffers [first, first+count) of
 * the request, starting `off` bytes in. */
static size_t copy_bufs(const virtio_ram *ram, const virtq_elem *e, unsigned first, unsigned count, uint64_t off,
                        uint8_t *host, size_t n, int to_ram)
{
    size_t done = 0;
    for (unsigned b = first; b < first + count && done < n; b++) {
        uint64_t len = e->buf[b].len;
        if (off >= len) {
            off -= len;
            continue;
        }
        uint64_t chunk = len - off < n - done ? len - off : n - done;
        uint8_t *p = virtio_ram_ptr(ram, e->buf[b].addr + off, chunk);
        if (!p) /* RAM cannot shrink under a popped request, but stay safe */
            break;
        if (to_ram)
            memcpy(p, host + done, chunk);
        else
            memcpy(host + done, p, chunk);
        done += chunk;
        off = 0;
    }
    return done;
}

size_t virtq_read_out(const virtio_ram *ram, const virtq_elem *e, uint64_t off, void *dst, size_t n)
{
    return copy_bufs(ram, e, 0, e->n_out, off, dst, n, 0);
}

size_t virtq_write_in(const virtio_ram *ram, const virtq_elem *e, uint64_t off, const void *src, size_t n)
{
    return copy_bufs(ram, e, e->n_out, e->n_in, off, (uint8_t *)(uintptr_t)src, n, 1);
}
