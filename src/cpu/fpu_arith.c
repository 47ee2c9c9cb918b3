/* F/D arithmetic: add, sub, mul, div, sqrt and the fused multiply-add
 * family, correctly rounded in all five RISC-V rounding modes with exact
 * fflags. Each operation is written once over a format descriptor; the
 * exported wrappers pass a constant format so the compiler specializes. */
#include "fpu_internal.h"

#define FP_INLINE static inline __attribute__((always_inline))

FP_INLINE uint64_t fp_add(const rv_ffmt *F, uint64_t a, uint64_t b, bool negb, int rm, unsigned *fl)
{
    rv_funp x = fp_unpack(F, a), y = fp_unpack(F, b);
    uint64_t xs, ys, s;
    int d, e;
    bool sign;

    y.sign ^= negb;
    if (unlikely(x.kind != FK_FINITE || y.kind != FK_FINITE)) {
        if (x.kind >= FK_QNAN || y.kind >= FK_QNAN)
            return fp_nan_result(F, x.kind == FK_SNAN || y.kind == FK_SNAN, fl);
        if (x.kind == FK_INF) {
            if (y.kind == FK_INF && x.sign != y.sign) {
                *fl |= RV_FF_NV;
                return F->qnan;
            }
            return fp_pack_inf(F, x.sign);
        }
        if (y.kind == FK_INF)
            return fp_pack_inf(F, y.sign);
        if (y.kind == FK_ZERO) {
            if (x.kind == FK_ZERO) /* x + y of zeros: -0 only if both -0, or in RDN */
                return fp_pack_zero(F, x.sign == y.sign ? x.sign : rm == RV_RM_RDN);
            return a; /* exact */
        }
        return (b & ~fp_sign_mask(F)) | (y.sign ? fp_sign_mask(F) : 0); /* 0 + y: exact */
    }

    /* One bit of headroom for the carry of a same-sign sum. */
    xs = x.sig >> 1;
    ys = y.sig >> 1;
    d = x.exp - y.exp;
    if (d >= 0) {
        ys = fp_shr_jam64(ys, (unsigned)d);
        e = x.exp;
    } else {
        xs = fp_shr_jam64(xs, (unsigned)-d);
        e = y.exp;
    }
    sign = x.sign;
    if (x.sign == y.sign) {
        s = xs + ys;
    } else if (xs >= ys) {
        s = xs - ys;
    } else {
        s = ys - xs;
        sign = y.sign;
    }
    if (s == 0) /* exact cancellation */
        return fp_pack_zero(F, rm == RV_RM_RDN);
    return fp_round_pack(F, sign, e + 1, s, rm, fl);
}

FP_INLINE uint64_t fp_mul(const rv_ffmt *F, uint64_t a, uint64_t b, int rm, unsigned *fl)
{
    rv_funp x = fp_unpack(F, a), y = fp_unpack(F, b);
    bool sign = x.sign ^ y.sign;
    rv_u128 pr;

    if (unlikely(x.kind != FK_FINITE || y.kind != FK_FINITE)) {
        if (x.kind >= FK_QNAN || y.kind >= FK_QNAN)
            return fp_nan_result(F, x.kind == FK_SNAN || y.kind == FK_SNAN, fl);
        if ((x.kind == FK_INF && y.kind == FK_ZERO) || (x.kind == FK_ZERO && y.kind == FK_INF)) {
            *fl |= RV_FF_NV;
            return F->qnan;
        }
        if (x.kind == FK_INF || y.kind == FK_INF)
            return fp_pack_inf(F, sign);
        return fp_pack_zero(F, sign);
    }
    /* prod * 2^(ex + ey - 126) == hi * 2^((ex + ey + 1) - 63) */
    pr = (rv_u128)x.sig * y.sig;
    return fp_round_pack(F, sign, x.exp + y.exp + 1, (uint64_t)(pr >> 64) | ((uint64_t)pr != 0), rm, fl);
}

FP_INLINE uint64_t fp_div(const rv_ffmt *F, uint64_t a, uint64_t b, int rm, unsigned *fl)
{
    rv_funp x = fp_unpack(F, a), y = fp_unpack(F, b);
    bool sign = x.sign ^ y.sign;
    rv_u128 n;
    uint64_t q, r;

    if (unlikely(x.kind != FK_FINITE || y.kind != FK_FINITE)) {
        if (x.kind >= FK_QNAN || y.kind >= FK_QNAN)
            return fp_nan_result(F, x.kind == FK_SNAN || y.kind == FK_SNAN, fl);
        if (x.kind == y.kind) { /* inf/inf, 0/0 */
            *fl |= RV_FF_NV;
            return F->qnan;
        }
        if (x.kind == FK_INF || y.kind == FK_ZERO) {
            if (x.kind == FK_FINITE)
                *fl |= RV_FF_DZ;
            return fp_pack_inf(F, sign);
        }
        return fp_pack_zero(F, sign); /* 0/finite, finite/inf, 0/inf */
    }
    /* q = floor(sx * 2^62 / sy) lies in (2^61, 2^63); the remainder is sticky. */
    n = (rv_u128)x.sig << 62;
    q = (uint64_t)(n / y.sig);
    r = (uint64_t)(n - (rv_u128)q * y.sig);
    return fp_round_pack(F, sign, x.exp - y.exp + 1, q | (r != 0), rm, fl);
}

/* round(sqrt(t + 0.5) * 256) for t = 128..511: a 9-bit first guess. */
static const uint16_t fp_sqrt_seed[384] = {
    2902, 2913, 2924, 2936, 2947, 2958, 2969, 2980, 2991, 3002, 3013, 3024,
    3034, 3045, 3056, 3067, 3077, 3088, 3099, 3109, 3120, 3130, 3141, 3151,
    3161, 3172, 3182, 3192, 3203, 3213, 3223, 3233, 3243, 3253, 3263, 3273,
    3283, 3293, 3303, 3313, 3323, 3333, 3343, 3353, 3362, 3372, 3382, 3391,
    3401, 3411, 3420, 3430, 3439, 3449, 3458, 3468, 3477, 3487, 3496, 3505,
    3515, 3524, 3533, 3543, 3552, 3561, 3570, 3579, 3589, 3598, 3607, 3616,
    3625, 3634, 3643, 3652, 3661, 3670, 3679, 3688, 3697, 3705, 3714, 3723,
    3732, 3741, 3749, 3758, 3767, 3775, 3784, 3793, 3801, 3810, 3819, 3827,
    3836, 3844, 3853, 3861, 3870, 3878, 3887, 3895, 3903, 3912, 3920, 3929,
    3937, 3945, 3954, 3962, 3970, 3978, 3987, 3995, 4003, 4011, 4019, 4027,
    4036, 4044, 4052, 4060, 4068, 4076, 4084, 4092, 4100, 4108, 4116, 4124,
    4132, 4140, 4148, 4156, 4163, 4171, 4179, 4187, 4195, 4203, 4210, 4218,
    4226, 4234, 4241, 4249, 4257, 4265, 4272, 4280, 4288, 4295, 4303, 4310,
    4318, 4326, 4333, 4341, 4348, 4356, 4363, 4371, 4378, 4386, 4393, 4401,
    4408, 4416, 4423, 4430, 4438, 4445, 4452, 4460, 4467, 4475, 4482, 4489,
    4496, 4504, 4511, 4518, 4525, 4533, 4540, 4547, 4554, 4562, 4569, 4576,
    4583, 4590, 4597, 4604, 4612, 4619, 4626, 4633, 4640, 4647, 4654, 4661,
    4668, 4675, 4682, 4689, 4696, 4703, 4710, 4717, 4724, 4731, 4738, 4745,
    4752, 4758, 4765, 4772, 4779, 4786, 4793, 4800, 4806, 4813, 4820, 4827,
    4834, 4840, 4847, 4854, 4861, 4867, 4874, 4881, 4888, 4894, 4901, 4908,
    4914, 4921, 4928, 4934, 4941, 4947, 4954, 4961, 4967, 4974, 4980, 4987,
    4994, 5000, 5007, 5013, 5020, 5026, 5033, 5039, 5046, 5052, 5059, 5065,
    5072, 5078, 5085, 5091, 5098, 5104, 5110, 5117, 5123, 5130, 5136, 5142,
    5149, 5155, 5161, 5168, 5174, 5180, 5187, 5193, 5199, 5206, 5212, 5218,
    5225, 5231, 5237, 5243, 5250, 5256, 5262, 5268, 5274, 5281, 5287, 5293,
    5299, 5305, 5312, 5318, 5324, 5330, 5336, 5342, 5349, 5355, 5361, 5367,
    5373, 5379, 5385, 5391, 5397, 5403, 5409, 5415, 5422, 5428, 5434, 5440,
    5446, 5452, 5458, 5464, 5470, 5476, 5482, 5488, 5494, 5500, 5505, 5511,
    5517, 5523, 5529, 5535, 5541, 5547, 5553, 5559, 5565, 5571, 5576, 5582,
    5588, 5594, 5600, 5606, 5612, 5617, 5623, 5629, 5635, 5641, 5647, 5652,
    5658, 5664, 5670, 5675, 5681, 5687, 5693, 5699, 5704, 5710, 5716, 5721,
    5727, 5733, 5739, 5744, 5750, 5756, 5761, 5767, 5773, 5778, 5784, 5790,
};

/* floor(sqrt(n)) for n in [2^125, 2^127), and n - root^2 in *rem.
 * Table guess for the top 64 bits, two Newton steps there (~31 bits),
 * one 128-bit Newton step (~63 bits, never below the floor root), then an
 * exact correction. */
static uint64_t fp_isqrt128(rv_u128 n, rv_u128 *rem)
{
    uint64_t hi = (uint64_t)(n >> 64); /* [2^61, 2^63) */
    uint64_t y = (uint64_t)fp_sqrt_seed[(hi >> 54) - 128] << 19;
    uint64_t r;

    y = (y + hi / y) >> 1;
    y = (y + hi / y) >> 1;
    r = y << 32;
    r = (uint64_t)(((rv_u128)r + n / r) >> 1);
    while ((rv_u128)r * r > n)
        r--;
    while (r != UINT64_MAX && (rv_u128)(r + 1) * (r + 1) <= n)
        r++;
    *rem = n - (rv_u128)r * r;
    return r;
}

FP_INLINE uint64_t fp_sqrt(const rv_ffmt *F, uint64_t a, int rm, unsigned *fl)
{
    rv_funp x = fp_unpack(F, a);
    rv_u128 rem;
    uint64_t r;
    int k;

    if (unlikely(x.kind != FK_FINITE || x.sign)) {
        if (x.kind >= FK_QNAN)
            return fp_nan_result(F, x.kind == FK_SNAN, fl);
        if (x.kind == FK_ZERO)
            return a; /* sqrt(+-0) = +-0 */
        if (x.sign) {
            *fl |= RV_FF_NV;
            return F->qnan;
        }
        return a; /* +inf */
    }
    /* Scale to an even power of two: sqrt(sig * 2^k) * 2^((exp - 63 - k) / 2),
     * with sig * 2^k in [2^125, 2^127) so the root fills 63 or 64 bits. */
    k = ((x.exp - 63) & 1) ? 63 : 62;
    r = fp_isqrt128((rv_u128)x.sig << k, &rem);
    return fp_round_pack(F, false, (x.exp - 63 - k) / 2 + 63, r | (rem != 0), rm, fl);
}

/* (negp ? -(a*b) : a*b) + (negc ? -c : c), rounded once. */
FP_INLINE uint64_t fp_fma(const rv_ffmt *F, uint64_t a, uint64_t b, uint64_t c, bool negp, bool negc, int rm,
                          unsigned *fl)
{
    rv_funp x = fp_unpack(F, a), y = fp_unpack(F, b), z = fp_unpack(F, c);
    bool ps = x.sign ^ y.sign ^ negp;
    bool inf_times_zero =
        (x.kind == FK_INF && y.kind == FK_ZERO) || (x.kind == FK_ZERO && y.kind == FK_INF);
    rv_u128 P, C;
    int e, lz;

    z.sign ^= negc;
    if (unlikely(x.kind != FK_FINITE || y.kind != FK_FINITE || z.kind != FK_FINITE)) {
        /* RISC-V: inf * 0 is invalid even when the addend is a quiet NaN. */
        if (x.kind >= FK_QNAN || y.kind >= FK_QNAN || z.kind >= FK_QNAN)
            return fp_nan_result(F, x.kind == FK_SNAN || y.kind == FK_SNAN || z.kind == FK_SNAN || inf_times_zero,
                                 fl);
        if (inf_times_zero) {
            *fl |= RV_FF_NV;
            return F->qnan;
        }
        if (x.kind == FK_INF || y.kind == FK_INF) {
            if (z.kind == FK_INF && z.sign != ps) {
                *fl |= RV_FF_NV;
                return F->qnan;
            }
            return fp_pack_inf(F, ps);
        }
        if (z.kind == FK_INF)
            return fp_pack_inf(F, z.sign);
        if (x.kind == FK_ZERO || y.kind == FK_ZERO) {
            if (z.kind == FK_ZERO)
                return fp_pack_zero(F, ps == z.sign ? ps : rm == RV_RM_RDN);
            return (c & ~fp_sign_mask(F)) | (z.sign ? fp_sign_mask(F) : 0); /* exact */
        }
        /* Only the addend is zero: fall through with C = 0. */
    }

    /* Both terms as X * 2^(e - 124): the product (exact, its low 20+ bits
     * are zero so >> 2 loses nothing) in [2^124, 2^126), the addend in
     * [2^124, 2^125). The smaller one is shifted right with jamming; bits
     * are lost only for distances where no deep cancellation can follow. */
    P = ((rv_u128)x.sig * y.sig) >> 2;
    e = x.exp + y.exp;
    if (z.kind == FK_FINITE) {
        C = (rv_u128)z.sig << 61;
        if (e >= z.exp) {
            C = fp_shr_jam128(C, (unsigned)(e - z.exp));
        } else {
            P = fp_shr_jam128(P, (unsigned)(z.exp - e));
            e = z.exp;
        }
        if (ps == z.sign) {
            P += C;
        } else if (P >= C) {
            P -= C;
        } else {
            P = C - P;
            ps = z.sign;
        }
        if (P == 0)
            return fp_pack_zero(F, rm == RV_RM_RDN);
    }
    lz = fp_clz128(P);
    P <<= lz;
    return fp_round_pack(F, ps, e - lz + 3, (uint64_t)(P >> 64) | ((uint64_t)P != 0), rm, fl);
}

/* ---- exported wrappers ---- */

#define FP_BIN_S(name, expr)                                                   \
    uint64_t name(rv_cpu *cpu, uint64_t a, uint64_t b, int rm)                 \
    {                                                                          \
        unsigned fl = 0;                                                       \
        const rv_ffmt *F = &RV_F32;                                            \
        uint64_t A = rv_unbox_s(a), B = rv_unbox_s(b);                         \
        uint64_t r = (expr);                                                   \
        rv_fp_accrue(cpu, fl);                                                 \
        return RV_BOX_S(r);                                                    \
    }
#define FP_BIN_D(name, expr)                                                   \
    uint64_t name(rv_cpu *cpu, uint64_t a, uint64_t b, int rm)                 \
    {                                                                          \
        unsigned fl = 0;                                                       \
        const rv_ffmt *F = &RV_F64;                                            \
        uint64_t A = a, B = b;                                                 \
        uint64_t r = (expr);                                                   \
        rv_fp_accrue(cpu, fl);                                                 \
        return r;                                                              \
    }

#define FP_BIN_H(name, expr)                                                   \
    uint64_t name(rv_cpu *cpu, uint64_t a, uint64_t b, int rm)                 \
    {                                                                          \
        unsigned fl = 0;                                                       \
        const rv_ffmt *F = &RV_F16;                                            \
        uint64_t A = rv_unbox_h(a), B = rv_unbox_h(b);                         \
        uint64_t r = (expr);                                                   \
        rv_fp_accrue(cpu, fl);                                                 \
        return RV_BOX_H(r);                                                    \
    }

FP_BIN_H(rv_fadd_h, fp_add(F, A, B, false, rv_fp_rm(cpu, rm), &fl))
FP_BIN_H(rv_fsub_h, fp_add(F, A, B, true, rv_fp_rm(cpu, rm), &fl))
FP_BIN_H(rv_fmul_h, fp_mul(F, A, B, rv_fp_rm(cpu, rm), &fl))
FP_BIN_H(rv_fdiv_h, fp_div(F, A, B, rv_fp_rm(cpu, rm), &fl))
FP_BIN_S(rv_fadd_s, fp_add(F, A, B, false, rv_fp_rm(cpu, rm), &fl))
FP_BIN_S(rv_fsub_s, fp_add(F, A, B, true, rv_fp_rm(cpu, rm), &fl))
FP_BIN_S(rv_fmul_s, fp_mul(F, A, B, rv_fp_rm(cpu, rm), &fl))
FP_BIN_S(rv_fdiv_s, fp_div(F, A, B, rv_fp_rm(cpu, rm), &fl))
FP_BIN_D(rv_fadd_d, fp_add(F, A, B, false, rv_fp_rm(cpu, rm), &fl))
FP_BIN_D(rv_fsub_d, fp_add(F, A, B, true, rv_fp_rm(cpu, rm), &fl))
FP_BIN_D(rv_fmul_d, fp_mul(F, A, B, rv_fp_rm(cpu, rm), &fl))
FP_BIN_D(rv_fdiv_d, fp_div(F, A, B, rv_fp_rm(cpu, rm), &fl))

uint64_t rv_fsqrt_s(rv_cpu *cpu, uint64_t a, int rm)
{
    unsigned fl = 0;
    uint64_t r = fp_sqrt(&RV_F32, rv_unbox_s(a), rv_fp_rm(cpu, rm), &fl);
    rv_fp_accrue(cpu, fl);
    return RV_BOX_S(r);
}

uint64_t rv_fsqrt_h(rv_cpu *cpu, uint64_t a, int rm)
{
    unsigned fl = 0;
    uint64_t r = fp_sqrt(&RV_F16, rv_unbox_h(a), rv_fp_rm(cpu, rm), &fl);
    rv_fp_accrue(cpu, fl);
    return RV_BOX_H(r);
}

uint64_t rv_fsqrt_d(rv_cpu *cpu, uint64_t a, int rm)
{
    unsigned fl = 0;
    uint64_t r = fp_sqrt(&RV_F64, a, rv_fp_rm(cpu, rm), &fl);
    rv_fp_accrue(cpu, fl);
    return r;
}

#define FP_FMA_S(name, negp, negc)                                                           \
    uint64_t name(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm)                   \
    {                                                                                        \
        unsigned fl = 0;                                                                     \
        uint64_t r = fp_fma(&RV_F32, rv_unbox_s(a), rv_unbox_s(b), rv_unbox_s(c), negp, negc, \
                            rv_fp_rm(cpu, rm), &fl);                                         \
        rv_fp_accrue(cpu, fl);                                                               \
        return RV_BOX_S(r);                                                                  \
    }
#define FP_FMA_D(name, negp, negc)                                                           \
    uint64_t name(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm)                   \
    {                                                                                        \
        unsigned fl = 0;                                                                     \
        uint64_t r = fp_fma(&RV_F64, a, b, c, negp, negc, rv_fp_rm(cpu, rm), &fl);           \
        rv_fp_accrue(cpu, fl);                                                               \
        return r;                                                                            \
    }

#define FP_FMA_H(name, negp, negc)                                                           \
    uint64_t name(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm)                   \
    {                                                                                        \
        unsigned fl = 0;                                                                     \
        uint64_t r = fp_fma(&RV_F16, rv_unbox_h(a), rv_unbox_h(b), rv_unbox_h(c), negp, negc, \
                            rv_fp_rm(cpu, rm), &fl);                                         \
        rv_fp_accrue(cpu, fl);                                                               \
        return RV_BOX_H(r);                                                                  \
    }

FP_FMA_H(rv_fmadd_h, false, false)
FP_FMA_H(rv_fmsub_h, false, true)
FP_FMA_H(rv_fnmsub_h, true, false)
FP_FMA_H(rv_fnmadd_h, true, true)
FP_FMA_S(rv_fmadd_s, false, false)
FP_FMA_S(rv_fmsub_s, false, true)
FP_FMA_S(rv_fnmsub_s, true, false)
FP_FMA_S(rv_fnmadd_s, true, true)
FP_FMA_D(rv_fmadd_d, false, false)
FP_FMA_D(rv_fmsub_d, false, true)
FP_FMA_D(rv_fnmsub_d, true, false)
FP_FMA_D(rv_fnmadd_d, true, true)
