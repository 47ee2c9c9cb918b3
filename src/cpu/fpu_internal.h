/* Private helpers of the F/D unit: a small soft-float core shared by
 * fpu_arith.c, fpu_convert.c and fpu_compare.c.
 *
 * Why soft-float and not the host FPU: the host has no round-to-nearest-
 * ties-to-max-magnitude mode, its NaN payloads differ from RISC-V's canonical
 * NaN, and hosts disagree on when underflow is signalled (x86-64 SSE detects
 * tininess after rounding like RISC-V, AArch64 before rounding, so an AArch64
 * host FPU would need a fix-up for results just below the smallest normal).
 * Integer arithmetic gives the same bits and flags on every host and never
 * touches the embedding application's floating-point environment.
 *
 * Representation: a finite nonzero value is sig * 2^(exp - 63) with the
 * leading 1 of `sig` at bit 63 (subnormal inputs are normalized on unpack).
 * Intermediate results carry a "sticky" bit in bit 0 (shift right with
 * jamming), which keeps rounding exact as long as enough guard bits lie
 * between the rounding position and bit 0 (>= 11 here). */
#ifndef SPLITVM_FPU_INTERNAL_H
#define SPLITVM_FPU_INTERNAL_H

#include "fpu.h"

__extension__ typedef unsigned __int128 rv_u128; /* GCC/Clang, 64-bit hosts */

/* One IEEE binary format. */
typedef struct rv_ffmt {
    int p;         /* significand bits, hidden bit included: 11 / 24 / 53 */
    int ebits;     /* exponent field width: 8 / 11 */
    int bias;      /* 127 / 1023 */
    int emax;      /* all-ones exponent field: 255 / 2047 */
    uint64_t qnan; /* the canonical NaN */
} rv_ffmt;

static const rv_ffmt RV_F16 = { 11, 5, 15, 31, 0x7e00u };
static const rv_ffmt RV_F32 = { 24, 8, 127, 255, 0x7fc00000u };
static const rv_ffmt RV_F64 = { 53, 11, 1023, 2047, 0x7ff8000000000000ull };

enum { FK_ZERO, FK_FINITE, FK_INF, FK_QNAN, FK_SNAN }; /* ordered: >= FK_QNAN is NaN */

typedef struct rv_funp {
    int kind;
    bool sign;
    int exp;      /* unbiased; meaningful for FK_FINITE */
    uint64_t sig; /* leading one at bit 63; meaningful for FK_FINITE */
} rv_funp;

/* A single operand read from a 64-bit register: improperly boxed values
 * read as the canonical NaN. */
static inline uint64_t rv_unbox_s(uint64_t v)
{
    return (v >> 32) == 0xffffffffu ? (uint32_t)v : 0x7fc00000u;
}

/* A half operand (Zfhmin): NaN-boxed in all 48 upper bits, else the
 * canonical NaN. */
static inline uint64_t rv_unbox_h(uint64_t v)
{
    return (v >> 16) == 0xffffffffffffull ? (uint16_t)v : 0x7e00u;
}

static inline int rv_fp_rm(const rv_cpu *cpu, int rm)
{
    return rm == RV_RM_DYN ? (int)cpu->frm : rm;
}

static inline void rv_fp_accrue(rv_cpu *cpu, unsigned fl)
{
    if (fl)
        cpu->fflags |= fl;
}

static inline uint64_t fp_sign_mask(const rv_ffmt *F)
{
    return 1ull << (F->p - 1 + F->ebits);
}

static inline uint64_t fp_pack_inf(const rv_ffmt *F, bool sign)
{
    return ((uint64_t)F->emax << (F->p - 1)) | (sign ? fp_sign_mask(F) : 0);
}

static inline uint64_t fp_pack_zero(const rv_ffmt *F, bool sign)
{
    return sign ? fp_sign_mask(F) : 0;
}

static inline bool fp_is_nan_bits(const rv_ffmt *F, uint64_t a)
{
    return (a & ~fp_sign_mask(F)) > ((uint64_t)F->emax << (F->p - 1));
}

static inline bool fp_is_snan_bits(const rv_ffmt *F, uint64_t a)
{
    return fp_is_nan_bits(F, a) && !((a >> (F->p - 2)) & 1);
}

static inline rv_funp fp_unpack(const rv_ffmt *F, uint64_t bits)
{
    const int fbits = F->p - 1;
    rv_funp u;
    uint64_t frac = bits & ((1ull << fbits) - 1);
    int e = (int)((bits >> fbits) & (uint64_t)F->emax);
    u.sign = (bits >> (fbits + F->ebits)) & 1;
    u.exp = 0;
    u.sig = 0;
    if (e == F->emax) {
        if (!frac)
            u.kind = FK_INF;
        else
            u.kind = ((frac >> (fbits - 1)) & 1) ? FK_QNAN : FK_SNAN;
    } else if (e == 0) {
        if (!frac) {
            u.kind = FK_ZERO;
        } else {
            int lz;
            u.kind = FK_FINITE;
            u.sig = frac << (64 - F->p);
            lz = __builtin_clzll(u.sig);
            u.sig <<= lz;
            u.exp = 1 - F->bias - lz;
        }
    } else {
        u.kind = FK_FINITE;
        u.sig = (frac | (1ull << fbits)) << (64 - F->p);
        u.exp = e - F->bias;
    }
    return u;
}

static inline uint64_t fp_shr_jam64(uint64_t v, unsigned n)
{
    if (n == 0)
        return v;
    if (n >= 64)
        return v != 0;
    return (v >> n) | ((v << (64 - n)) != 0);
}

static inline rv_u128 fp_shr_jam128(rv_u128 v, unsigned n)
{
    if (n == 0)
        return v;
    if (n >= 128)
        return v != 0;
    return (v >> n) | (rv_u128)((v << (128 - n)) != 0);
}

static inline int fp_clz128(rv_u128 v)
{
    uint64_t hi = (uint64_t)(v >> 64);
    return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll((uint64_t)v);
}

/* Whether to add one unit in the last place: `lower` are the discarded bits,
 * `half` the value of the first discarded bit position. */
static inline bool fp_round_up(int rm, bool sign, bool lsb, uint64_t lower, uint64_t half)
{
    switch (rm) {
    case RV_RM_RNE: return lower > half || (lower == half && lsb);
    case RV_RM_RTZ: return false;
    case RV_RM_RDN: return sign && lower;
    case RV_RM_RUP: return !sign && lower;
    default:        return lower >= half; /* RMM */
    }
}

/* Round sig * 2^(exp - 63) (sig != 0, any normalization, sticky in bit 0)
 * to format F under rm, with IEEE overflow/underflow/inexact flags.
 * Underflow uses tininess after rounding, as RISC-V specifies. */
static inline uint64_t fp_round_pack(const rv_ffmt *F, bool sign, int exp, uint64_t sig, int rm,
                                     unsigned *fl)
{
    const int drop = 64 - F->p; /* bits below the rounding position */
    const uint64_t low_mask = (1ull << drop) - 1, half = 1ull << (drop - 1);
    const uint64_t sbit = sign ? fp_sign_mask(F) : 0;
    int lz = __builtin_clzll(sig);
    int E;
    uint64_t lower, m, bits;

    sig <<= lz;
    exp -= lz;
    E = exp + F->bias; /* biased exponent of a normal result */
    if (likely(E >= 1)) {
        if (unlikely(E >= F->emax))
            goto overflow;
        lower = sig & low_mask;
        m = sig >> drop;
        m += fp_round_up(rm, sign, m & 1, lower, half);
        /* A carry out of the significand bumps the exponent by itself. */
        bits = ((uint64_t)(E - 1) << (F->p - 1)) + m;
        if (unlikely(bits >= ((uint64_t)F->emax << (F->p - 1))))
            goto overflow;
        if (lower)
            *fl |= RV_FF_NX;
        return bits | sbit;
    } else {
        /* Tiny unless rounding to p bits with an unbounded exponent would
         * carry up to 2^emin (possible only when E == 0). */
        bool tiny = true;
        if (E == 0) {
            m = sig >> drop;
            if (m == (1ull << F->p) - 1 && fp_round_up(rm, sign, 1, sig & low_mask, half))
                tiny = false;
        }
        sig = fp_shr_jam64(sig, (unsigned)(1 - E));
        lower = sig & low_mask;
        m = sig >> drop;
        m += fp_round_up(rm, sign, m & 1, lower, half);
        /* Exponent field 0; m == 2^(p-1) reads as the smallest normal. */
        if (lower)
            *fl |= tiny ? (RV_FF_NX | RV_FF_UF) : RV_FF_NX;
        return m | sbit;
    }

overflow:
    *fl |= RV_FF_OF | RV_FF_NX;
    if (rm == RV_RM_RTZ || (rm == RV_RM_RDN && !sign) || (rm == RV_RM_RUP && sign))
        return (fp_pack_inf(F, false) - 1) | sbit; /* largest finite */
    return fp_pack_inf(F, sign);
}

/* NaN result of an operation with at least one NaN input: canonical NaN,
 * NV when any input is signaling. */
static inline uint64_t fp_nan_result(const rv_ffmt *F, bool any_snan, unsigned *fl)
{
    if (any_snan)
        *fl |= RV_FF_NV;
    return F->qnan;
}

#endif
