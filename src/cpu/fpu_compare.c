/* F/D operations that never round: sign injection, min/max, comparisons
 * and fclass. They work on the raw bits. */
#include "fpu_internal.h"

#define FP_INLINE static inline __attribute__((always_inline))

/* a < b for non-NaN bits; -0 and +0 compare equal. */
FP_INLINE bool fp_lt(const rv_ffmt *F, uint64_t a, uint64_t b)
{
    const uint64_t sm = fp_sign_mask(F);
    bool sa = (a & sm) != 0, sb = (b & sm) != 0;
    if (sa != sb)
        return sa && ((a | b) & ~sm) != 0;
    return sa ? a > b : a < b;
}

FP_INLINE bool fp_eq(const rv_ffmt *F, uint64_t a, uint64_t b)
{
    return a == b || ((a | b) & ~fp_sign_mask(F)) == 0;
}

/* IEEE 754-2019 minimumNumber / maximumNumber with -0 < +0. */
FP_INLINE uint64_t fp_minmax(const rv_ffmt *F, uint64_t a, uint64_t b, bool want_max, unsigned *fl)
{
    bool na = fp_is_nan_bits(F, a), nb = fp_is_nan_bits(F, b);
    if (unlikely(na || nb)) {
        if (fp_is_snan_bits(F, a) || fp_is_snan_bits(F, b))
            *fl |= RV_FF_NV;
        if (na && nb)
            return F->qnan;
        return na ? b : a;
    }
    if (a == b)
        return a;
    if (((a | b) & ~fp_sign_mask(F)) == 0) /* +0 and -0 */
        return want_max ? 0 : fp_sign_mask(F);
    return fp_lt(F, a, b) != want_max ? a : b;
}

/* kind: 0 feq (quiet), 1 flt, 2 fle (signaling). */
FP_INLINE uint64_t fp_cmp(const rv_ffmt *F, uint64_t a, uint64_t b, int kind, unsigned *fl)
{
    if (unlikely(fp_is_nan_bits(F, a) || fp_is_nan_bits(F, b))) {
        if (kind != 0 || fp_is_snan_bits(F, a) || fp_is_snan_bits(F, b))
            *fl |= RV_FF_NV;
        return 0;
    }
    switch (kind) {
    case 0: return fp_eq(F, a, b);
    case 1: return fp_lt(F, a, b);
    default: return fp_lt(F, a, b) || fp_eq(F, a, b);
    }
}

FP_INLINE uint64_t fp_class(const rv_ffmt *F, uint64_t a)
{
    rv_funp x = fp_unpack(F, a);
    const uint64_t min_normal = 1ull << (F->p - 1);
    switch (x.kind) {
    case FK_INF: return x.sign ? 1u << 0 : 1u << 7;
    case FK_ZERO: return x.sign ? 1u << 3 : 1u << 4;
    case FK_SNAN: return 1u << 8;
    case FK_QNAN: return 1u << 9;
    default:
        if ((a & ~fp_sign_mask(F)) < min_normal) /* subnormal */
            return x.sign ? 1u << 2 : 1u << 5;
        return x.sign ? 1u << 1 : 1u << 6;
    }
}

/* ---- exported wrappers ---- */

#define SGN_S(a) ((uint64_t)(a) & 0x80000000u)
#define SGN_D(a) ((uint64_t)(a) & 0x8000000000000000ull)

uint64_t rv_fsgnj_s(uint64_t a, uint64_t b)
{
    a = rv_unbox_s(a);
    return RV_BOX_S((a & 0x7fffffffu) | SGN_S(rv_unbox_s(b)));
}
uint64_t rv_fsgnjn_s(uint64_t a, uint64_t b)
{
    a = rv_unbox_s(a);
    return RV_BOX_S((a & 0x7fffffffu) | (SGN_S(rv_unbox_s(b)) ^ 0x80000000u));
}
uint64_t rv_fsgnjx_s(uint64_t a, uint64_t b)
{
    a = rv_unbox_s(a);
    return RV_BOX_S(a ^ SGN_S(rv_unbox_s(b)));
}
uint64_t rv_fsgnj_h(uint64_t a, uint64_t b)
{
    return RV_BOX_H((rv_unbox_h(a) & 0x7fffu) | (rv_unbox_h(b) & 0x8000u));
}
uint64_t rv_fsgnjn_h(uint64_t a, uint64_t b)
{
    return RV_BOX_H((rv_unbox_h(a) & 0x7fffu) | (~rv_unbox_h(b) & 0x8000u));
}
uint64_t rv_fsgnjx_h(uint64_t a, uint64_t b) { return RV_BOX_H(rv_unbox_h(a) ^ (rv_unbox_h(b) & 0x8000u)); }
uint64_t rv_fsgnj_d(uint64_t a, uint64_t b) { return (a & ~SGN_D(~0ull)) | SGN_D(b); }
uint64_t rv_fsgnjn_d(uint64_t a, uint64_t b) { return (a & ~SGN_D(~0ull)) | SGN_D(~b); }
uint64_t rv_fsgnjx_d(uint64_t a, uint64_t b) { return a ^ SGN_D(b); }

#define FP_PAIR_S(name, expr)                                                  \
    uint64_t name(rv_cpu *cpu, uint64_t a, uint64_t b)                         \
    {                                                                          \
        unsigned fl = 0;                                                       \
        const rv_ffmt *F = &RV_F32;                                            \
        uint64_t A = rv_unbox_s(a), B = rv_unbox_s(b);                         \
        uint64_t r = (expr);                                                   \
        rv_fp_accrue(cpu, fl);                                                 \
        return r;                                                              \
    }
#define FP_PAIR_D(name, expr)                                                  \
    uint64_t name(rv_cpu *cpu, uint64_t a, uint64_t b)                         \
    {                                                                          \
        unsigned fl = 0;                                                       \
        const rv_ffmt *F = &RV_F64;                                            \
        uint64_t A = a, B = b;                                                 \
        uint64_t r = (expr);                                                   \
        rv_fp_accrue(cpu, fl);                                                 \
        return r;                                                              \
    }

#define FP_PAIR_H(name, expr)                                                  \
    uint64_t name(rv_cpu *cpu, uint64_t a, uint64_t b)                         \
    {                                                                          \
        unsigned fl = 0;                                                       \
        const rv_ffmt *F = &RV_F16;                                            \
        uint64_t A = rv_unbox_h(a), B = rv_unbox_h(b);                         \
        uint64_t r = (expr);                                                   \
        rv_fp_accrue(cpu, fl);                                                 \
        return r;                                                              \
    }

FP_PAIR_H(rv_fmin_h, RV_BOX_H(fp_minmax(F, A, B, false, &fl)))
FP_PAIR_H(rv_fmax_h, RV_BOX_H(fp_minmax(F, A, B, true, &fl)))
FP_PAIR_H(rv_feq_h, fp_cmp(F, A, B, 0, &fl))
FP_PAIR_H(rv_flt_h, fp_cmp(F, A, B, 1, &fl))
FP_PAIR_H(rv_fle_h, fp_cmp(F, A, B, 2, &fl))
FP_PAIR_S(rv_fmin_s, RV_BOX_S(fp_minmax(F, A, B, false, &fl)))
FP_PAIR_S(rv_fmax_s, RV_BOX_S(fp_minmax(F, A, B, true, &fl)))
FP_PAIR_D(rv_fmin_d, fp_minmax(F, A, B, false, &fl))
FP_PAIR_D(rv_fmax_d, fp_minmax(F, A, B, true, &fl))
FP_PAIR_S(rv_feq_s, fp_cmp(F, A, B, 0, &fl))
FP_PAIR_S(rv_flt_s, fp_cmp(F, A, B, 1, &fl))
FP_PAIR_S(rv_fle_s, fp_cmp(F, A, B, 2, &fl))
FP_PAIR_D(rv_feq_d, fp_cmp(F, A, B, 0, &fl))
FP_PAIR_D(rv_flt_d, fp_cmp(F, A, B, 1, &fl))
FP_PAIR_D(rv_fle_d, fp_cmp(F, A, B, 2, &fl))

uint64_t rv_fclass_s(uint64_t a) { return fp_class(&RV_F32, rv_unbox_s(a)); }
uint64_t rv_fclass_d(uint64_t a) { return fp_class(&RV_F64, a); }
uint64_t rv_fclass_h(uint64_t a) { return fp_class(&RV_F16, rv_unbox_h(a)); }
