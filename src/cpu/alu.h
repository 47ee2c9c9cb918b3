/* Integer operations whose RISC-V semantics need more than one C
 * operator (division corner cases, rotates, carry-less multiply, ...),
 * shared by the interpreter and the JIT's helpers so both compute them
 * the same way. */
#ifndef SPLITVM_CPU_ALU_H
#define SPLITVM_CPU_ALU_H

#include <stdint.h>

static inline uint64_t sx32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)(uint32_t)v; }

static inline uint64_t clmul_lo(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (int i = 0; i < 64; i++)
        if ((b >> i) & 1)
            r ^= a << i;
    return r;
}

static inline uint64_t clmul_hi(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (int i = 1; i < 64; i++)
        if ((b >> i) & 1)
            r ^= a >> (64 - i);
    return r;
}

static inline uint64_t clmul_rev(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (int i = 0; i < 64; i++)
        if ((b >> i) & 1)
            r ^= a >> (63 - i);
    return r;
}

static inline uint64_t orc_b(uint64_t a)
{
    uint64_t r = 0;
    for (int i = 0; i < 64; i += 8)
        if ((a >> i) & 0xff)
            r |= (uint64_t)0xff << i;
    return r;
}

/* Zbkb: bit-reverse each byte. */
static inline uint64_t brev8(uint64_t a)
{
    a = ((a & 0x5555555555555555ull) << 1) | ((a >> 1) & 0x5555555555555555ull);
    a = ((a & 0x3333333333333333ull) << 2) | ((a >> 2) & 0x3333333333333333ull);
    return ((a & 0x0f0f0f0f0f0f0f0full) << 4) | ((a >> 4) & 0x0f0f0f0f0f0f0f0full);
}

/* Zbkb packs: low halves of a and b side by side. */
static inline uint64_t pack64(uint64_t a, uint64_t b) { return (uint32_t)a | (b << 32); }
static inline uint64_t packh64(uint64_t a, uint64_t b) { return (uint8_t)a | ((uint64_t)(uint8_t)b << 8); }
static inline uint64_t packw64(uint64_t a, uint64_t b)
{
    return (uint64_t)(int64_t)(int32_t)((uint32_t)(uint16_t)a | ((uint32_t)(uint16_t)b << 16));
}

/* Zbkx: each nibble (xperm4) or byte (xperm8) of b indexes a's elements
 * of that size; an index past the end gives 0. */
static inline uint64_t xperm64(uint64_t a, uint64_t b, unsigned lg)
{
    const unsigned w = 1u << lg, n = 64 >> lg;
    const uint64_t mask = ((uint64_t)1 << w) - 1;
    uint64_t r = 0;
    for (unsigned i = 0; i < 64; i += w) {
        uint64_t idx = (b >> i) & mask;
        if (idx < n)
            r |= ((a >> (idx * w)) & mask) << i;
    }
    return r;
}

static inline uint64_t rol64(uint64_t a, unsigned s)
{
    s &= 63;
    return (a << s) | (a >> ((64 - s) & 63));
}

static inline uint64_t ror64(uint64_t a, unsigned s)
{
    s &= 63;
    return (a >> s) | (a << ((64 - s) & 63));
}

static inline uint64_t rol32(uint64_t a, unsigned s)
{
    uint32_t v = (uint32_t)a;
    s &= 31;
    return sx32((v << s) | (v >> ((32 - s) & 31)));
}

static inline uint64_t ror32(uint64_t a, unsigned s)
{
    uint32_t v = (uint32_t)a;
    s &= 31;
    return sx32((v >> s) | (v << ((32 - s) & 31)));
}

static inline int64_t div64(int64_t a, int64_t b)
{
    if (b == 0)
        return -1;
    if (a == INT64_MIN && b == -1)
        return a;
    return a / b;
}

static inline int64_t rem64(int64_t a, int64_t b)
{
    if (b == 0)
        return a;
    if (a == INT64_MIN && b == -1)
        return 0;
    return a % b;
}

static inline uint64_t divw(uint64_t a, uint64_t b)
{
    int32_t x = (int32_t)a, y = (int32_t)b;
    if (y == 0)
        return UINT64_MAX;
    if (x == INT32_MIN && y == -1)
        return sx32((uint32_t)x);
    return sx32((uint32_t)(x / y));
}

static inline uint64_t remw(uint64_t a, uint64_t b)
{
    int32_t x = (int32_t)a, y = (int32_t)b;
    if (y == 0)
        return sx32((uint32_t)x);
    if (x == INT32_MIN && y == -1)
        return 0;
    return sx32((uint32_t)(x % y));
}

#endif
