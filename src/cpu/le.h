/* RISC-V is little-endian: guest-visible values of 1 to 8 bytes in memory
 * (virtio rings and config space, the reset ROM) and in saved state are
 * read and written through these, whatever the host's byte order. */
#ifndef SPLITVM_LE_H
#define SPLITVM_LE_H

#include <stdint.h>

static inline uint64_t rv_get_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static inline void rv_put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

#endif
