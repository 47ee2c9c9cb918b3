/* F/D conversions: float <-> integer (saturating, per rounding mode) and
 * between half, single and double. */
#include "fpu_internal.h"

#define FP_INLINE static inline __attribute__((always_inline))

/* Float -> integer of `width` bits (32 or 64), signed or not. Out of range,
 * infinities and NaN give NV and the saturated value (NaN -> the largest
 * positive); in-range inexact gives NX. 32-bit results are sign-extended. */
FP_INLINE uint64_t fp_to_int(const rv_ffmt *F, uint64_t a, int rm, bool is_signed, int width, unsigned *fl)
{
    rv_funp x = fp_unpack(F, a);
    const uint64_t max_pos = is_signed ? (width == 64 ? (uint64_t)INT64_MAX : (uint64_t)INT32_MAX)
                                       : (width == 64 ? UINT64_MAX : (uint64_t)UINT32_MAX);
    /* Largest magnitude a negative result may have. */
    const uint64_t max_neg = is_signed ? (1ull << (width - 1)) : 0;
    uint64_t ip, fr, res;

    if (unlikely(x.kind != FK_FINITE)) {
        if (x.kind == FK_ZERO)
            return 0;
        if (x.kind == FK_INF && x.sign)
            goto overflow;
        x.sign = false; /* NaN and +inf: the largest positive value */
        goto overflow;
    }
    /* value = sig * 2^(exp - 63): split into integer part ip and fraction
     * fr, whose top bit weighs one half. */
    if (x.exp >= 64) {
        goto overflow;
    } else if (x.exp < -1) {
        ip = 0;
        fr = 1; /* nonzero, below one half */
    } else if (x.exp == -1) {
        ip = 0;
        fr = x.sig;
    } else if (x.exp == 63) {
        ip = x.sig;
        fr = 0;
    } else {
        ip = x.sig >> (63 - x.exp);
        fr = x.sig << (x.exp + 1);
    }
    if (fp_round_up(rm, x.sign, ip & 1, fr, 1ull << 63)) {
        if (++ip == 0)
            goto overflow;
    }
    if (!x.sign) {
        if (ip > max_pos)
            goto overflow;
        res = ip;
    } else {
        if (ip > max_neg)
            goto overflow;
        res = -ip;
    }
    if (fr)
        *fl |= RV_FF_NX;
    return width == 32 ? (uint64_t)(int64_t)(int32_t)(uint32_t)res : res;

overflow:
    *fl |= RV_FF_NV;
    res = x.sign ? -max_neg : max_pos;
    return width == 32 ? (uint64_t)(int64_t)(int32_t)(uint32_t)res : res;
}

/* Integer -> float: magnitude `mag` with `sign`. */
FP_INLINE uint64_t fp_from_int(const rv_ffmt *F, bool sign, uint64_t mag, int rm, unsigned *fl)
{
    if (mag == 0)
        return 0; /* +0 */
    return fp_round_pack(F, sign, 63, mag, rm, fl);
}

/* Between formats: the unpacked value is format independent. */
FP_INLINE uint64_t fp_convert(const rv_ffmt *to, const rv_ffmt *from, uint64_t a, int rm, unsigned *fl)
{
    rv_funp x = fp_unpack(from, a);
    switch (x.kind) {
    case FK_ZERO: return fp_pack_zero(to, x.sign);
    case FK_INF: return fp_pack_inf(to, x.sign);
    case FK_FINITE: return fp_round_pack(to, x.sign, x.exp, x.sig, rm, fl);
    default: return fp_nan_result(to, x.kind == FK_SNAN, fl);
    }
}

/* ---- exported wrappers ---- */

#define FP_TO_INT(name, fmt, unbox, is_signed, width)                             \
    uint64_t name(rv_cpu *cpu, uint64_t a, int rm)                                \
    {                                                                             \
        unsigned fl = 0;                                                          \
        uint64_t r = fp_to_int(&fmt, unbox(a), rv_fp_rm(cpu, rm), is_signed, width, &fl); \
        rv_fp_accrue(cpu, fl);                                                    \
        return r;                                                                 \
    }
#define FP_NO_UNBOX(a) (a)

FP_TO_INT(rv_fcvt_w_s, RV_F32, rv_unbox_s, true, 32)
FP_TO_INT(rv_fcvt_wu_s, RV_F32, rv_unbox_s, false, 32)
FP_TO_INT(rv_fcvt_l_s, RV_F32, rv_unbox_s, true, 64)
FP_TO_INT(rv_fcvt_lu_s, RV_F32, rv_unbox_s, false, 64)
FP_TO_INT(rv_fcvt_w_d, RV_F64, FP_NO_UNBOX, true, 32)
FP_TO_INT(rv_fcvt_wu_d, RV_F64, FP_NO_UNBOX, false, 32)
FP_TO_INT(rv_fcvt_l_d, RV_F64, FP_NO_UNBOX, true, 64)
FP_TO_INT(rv_fcvt_lu_d, RV_F64, FP_NO_UNBOX, false, 64)

/* sign and magnitude of the integer source operand */
#define INT_W(x)  ((int32_t)(x) < 0), ((int32_t)(x) < 0 ? -(uint64_t)(int64_t)(int32_t)(x) : (uint64_t)(int32_t)(x))
#define INT_WU(x) false, (uint64_t)(uint32_t)(x)
#define INT_L(x)  ((int64_t)(x) < 0), ((int64_t)(x) < 0 ? -(x) : (x))
#define INT_LU(x) false, (x)

#define FP_FROM_INT(name, fmt, box, src)                                          \
    uint64_t name(rv_cpu *cpu, uint64_t x, int rm)                                \
    {                                                                             \
        unsigned fl = 0;                                                          \
        uint64_t r = fp_from_int(&fmt, src(x), rv_fp_rm(cpu, rm), &fl);           \
        rv_fp_accrue(cpu, fl);                                                    \
        return box(r);                                                            \
    }

FP_FROM_INT(rv_fcvt_s_w, RV_F32, RV_BOX_S, INT_W)
FP_FROM_INT(rv_fcvt_s_wu, RV_F32, RV_BOX_S, INT_WU)
FP_FROM_INT(rv_fcvt_s_l, RV_F32, RV_BOX_S, INT_L)
FP_FROM_INT(rv_fcvt_s_lu, RV_F32, RV_BOX_S, INT_LU)
FP_FROM_INT(rv_fcvt_d_w, RV_F64, FP_NO_UNBOX, INT_W)
FP_FROM_INT(rv_fcvt_d_wu, RV_F64, FP_NO_UNBOX, INT_WU)
FP_FROM_INT(rv_fcvt_d_l, RV_F64, FP_NO_UNBOX, INT_L)
FP_FROM_INT(rv_fcvt_d_lu, RV_F64, FP_NO_UNBOX, INT_LU)
FP_TO_INT(rv_fcvt_w_h, RV_F16, rv_unbox_h, true, 32)
FP_TO_INT(rv_fcvt_wu_h, RV_F16, rv_unbox_h, false, 32)
FP_TO_INT(rv_fcvt_l_h, RV_F16, rv_unbox_h, true, 64)
FP_TO_INT(rv_fcvt_lu_h, RV_F16, rv_unbox_h, false, 64)
FP_FROM_INT(rv_fcvt_h_w, RV_F16, RV_BOX_H, INT_W)
FP_FROM_INT(rv_fcvt_h_wu, RV_F16, RV_BOX_H, INT_WU)
FP_FROM_INT(rv_fcvt_h_l, RV_F16, RV_BOX_H, INT_L)
FP_FROM_INT(rv_fcvt_h_lu, RV_F16, RV_BOX_H, INT_LU)

uint64_t rv_fcvt_s_d(rv_cpu *cpu, uint64_t a, int rm)
{
    unsigned fl = 0;
    uint64_t r = fp_convert(&RV_F32, &RV_F64, a, rv_fp_rm(cpu, rm), &fl);
    rv_fp_accrue(cpu, fl);
    return RV_BOX_S(r);
}

uint64_t rv_fcvt_d_s(rv_cpu *cpu, uint64_t a, int rm)
{
    unsigned fl = 0;
    uint64_t r = fp_convert(&RV_F64, &RV_F32, rv_unbox_s(a), rv_fp_rm(cpu, rm), &fl);
    rv_fp_accrue(cpu, fl);
    return r;
}

/* Zfhmin: half <-> single / double through the same format-independent
 * conversion (widening is exact; narrowing rounds per rm with OF/UF/NX). */
#define FP_CVT(name, to, from, unbox, box)                                      \
    uint64_t name(rv_cpu *cpu, uint64_t a, int rm)                              \
    {                                                                           \
        unsigned fl = 0;                                                        \
        uint64_t r = fp_convert(&to, &from, unbox(a), rv_fp_rm(cpu, rm), &fl);  \
        rv_fp_accrue(cpu, fl);                                                  \
        return box(r);                                                          \
    }
FP_CVT(rv_fcvt_s_h, RV_F32, RV_F16, rv_unbox_h, RV_BOX_S)
FP_CVT(rv_fcvt_h_s, RV_F16, RV_F32, rv_unbox_s, RV_BOX_H)
FP_CVT(rv_fcvt_d_h, RV_F64, RV_F16, rv_unbox_h, FP_NO_UNBOX)
FP_CVT(rv_fcvt_h_d, RV_F16, RV_F64, FP_NO_UNBOX, RV_BOX_H)
