/* Unit test of the F/D arithmetic unit (src/cpu/fpu_*.c): known values with
 * their exact fflags, derived by hand from the RISC-V F/D chapters and
 * IEEE 754 (not from running the implementation). One line per failure,
 * then "N passed, N failed"; exit status 1 on any failure. */
#include <inttypes.h>
#include <stdio.h>

#include "fpu.h"

enum op {
    FADD_S, FSUB_S, FMUL_S, FDIV_S, FSQRT_S, FMADD_S, FMSUB_S, FNMSUB_S, FNMADD_S,
    FADD_D, FSUB_D, FMUL_D, FDIV_D, FSQRT_D, FMADD_D, FMSUB_D, FNMSUB_D, FNMADD_D,
    FSGNJ_S, FSGNJN_S, FSGNJX_S, FSGNJ_D, FSGNJN_D, FSGNJX_D,
    FMIN_S, FMAX_S, FMIN_D, FMAX_D,
    FEQ_S, FLT_S, FLE_S, FEQ_D, FLT_D, FLE_D,
    FCLASS_S, FCLASS_D,
    FCVT_W_S, FCVT_WU_S, FCVT_L_S, FCVT_LU_S, FCVT_W_D, FCVT_WU_D, FCVT_L_D, FCVT_LU_D,
    FCVT_S_W, FCVT_S_WU, FCVT_S_L, FCVT_S_LU, FCVT_D_W, FCVT_D_WU, FCVT_D_L, FCVT_D_LU,
    FCVT_S_D, FCVT_D_S,
};

static const char *const op_names[] = {
    "fadd.s", "fsub.s", "fmul.s", "fdiv.s", "fsqrt.s", "fmadd.s", "fmsub.s", "fnmsub.s", "fnmadd.s",
    "fadd.d", "fsub.d", "fmul.d", "fdiv.d", "fsqrt.d", "fmadd.d", "fmsub.d", "fnmsub.d", "fnmadd.d",
    "fsgnj.s", "fsgnjn.s", "fsgnjx.s", "fsgnj.d", "fsgnjn.d", "fsgnjx.d",
    "fmin.s", "fmax.s", "fmin.d", "fmax.d",
    "feq.s", "flt.s", "fle.s", "feq.d", "flt.d", "fle.d",
    "fclass.s", "fclass.d",
    "fcvt.w.s", "fcvt.wu.s", "fcvt.l.s", "fcvt.lu.s", "fcvt.w.d", "fcvt.wu.d", "fcvt.l.d", "fcvt.lu.d",
    "fcvt.s.w", "fcvt.s.wu", "fcvt.s.l", "fcvt.s.lu", "fcvt.d.w", "fcvt.d.wu", "fcvt.d.l", "fcvt.d.lu",
    "fcvt.s.d", "fcvt.d.s",
};

typedef struct tcase {
    int line;
    int op, rm, frm; /* frm: the dynamic mode, used when rm == 7 */
    uint64_t a, b, c;
    uint64_t want;
    unsigned flags;
} tcase;

/* Flags */
#define NX RV_FF_NX
#define UF RV_FF_UF
#define OF RV_FF_OF
#define DZ RV_FF_DZ
#define NV RV_FF_NV
/* Rounding modes */
#define RNE RV_RM_RNE
#define RTZ RV_RM_RTZ
#define RDN RV_RM_RDN
#define RUP RV_RM_RUP
#define RMM RV_RM_RMM

/* A properly NaN-boxed single. */
#define S(x) (0xffffffff00000000ull | (uint64_t)(x))

/* Single constants (raw 32-bit patterns). */
#define F_1 0x3f800000u
#define F_M1 0xbf800000u
#define F_2 0x40000000u
#define F_M2 0xc0000000u
#define F_HALF 0x3f000000u
#define F_2P5 0x40200000u
#define F_3 0x40400000u
#define F_INF 0x7f800000u
#define F_NINF 0xff800000u
#define F_QNAN 0x7fc00000u
#define F_SNAN 0x7f800001u
#define F_NZ 0x80000000u
#define F_MAX 0x7f7fffffu
#define F_MINN 0x00800000u
#define F_MINS 0x00000001u
#define F_2M24 0x33800000u /* 2^-24: half an ulp of 1.0 */

/* Double constants. */
#define D_1 0x3ff0000000000000ull
#define D_M1 0xbff0000000000000ull
#define D_2 0x4000000000000000ull
#define D_M2 0xc000000000000000ull
#define D_3 0x4008000000000000ull
#define D_M3 0xc008000000000000ull
#define D_HALF 0x3fe0000000000000ull
#define D_MHALF 0xbfe0000000000000ull
#define D_EIGHTH 0x3fc0000000000000ull
#define D_1P5 0x3ff8000000000000ull
#define D_2P5 0x4004000000000000ull
#define D_M2P5 0xc004000000000000ull
#define D_INF 0x7ff0000000000000ull
#define D_NINF 0xfff0000000000000ull
#define D_QNAN 0x7ff8000000000000ull
#define D_SNAN 0x7ff0000000000001ull
#define D_NZ 0x8000000000000000ull
#define D_MAX 0x7fefffffffffffffull
#define D_MINN 0x0010000000000000ull
#define D_MAXS 0x000fffffffffffffull
#define D_MINS 0x0000000000000001ull
#define D_NMINS 0x8000000000000001ull
#define D_1M53 0x3fefffffffffffffull /* 1 - 2^-53 */
#define D_1P52 0x3ff0000000000001ull /* 1 + 2^-52 */
#define D_2M53 0x3ca0000000000000ull
#define D_2M54 0x3c90000000000000ull
#define D_2M60 0x3c30000000000000ull
#define D_2P970 0x7c90000000000000ull
#define D_2P969 0x7c80000000000000ull
#define D_2P31 0x41e0000000000000ull
#define D_2P32 0x41f0000000000000ull
#define D_2P63 0x43e0000000000000ull
#define D_2P64 0x43f0000000000000ull

#define T(op, rm, a, b, c, want, fl) { __LINE__, op, rm, 0, a, b, c, want, fl }
#define TDYN(op, frm, a, b, c, want, fl) { __LINE__, op, RV_RM_DYN, frm, a, b, c, want, fl }

static const tcase cases[] = {
    /* ---- add/sub: ties and near-ties in every mode ---- */
    T(FADD_D, RNE, D_1, D_2M53, 0, D_1, NX),                 /* 1 + half ulp: tie to even */
    T(FADD_D, RTZ, D_1, D_2M53, 0, D_1, NX),
    T(FADD_D, RDN, D_1, D_2M53, 0, D_1, NX),
    T(FADD_D, RUP, D_1, D_2M53, 0, D_1P52, NX),
    T(FADD_D, RMM, D_1, D_2M53, 0, D_1P52, NX),              /* tie away from zero */
    T(FADD_D, RNE, D_1P52, D_2M53, 0, 0x3ff0000000000002ull, NX), /* odd + half ulp: up to even */
    T(FADD_D, RTZ, D_1P52, D_2M53, 0, D_1P52, NX),
    T(FADD_D, RMM, D_1P52, D_2M53, 0, 0x3ff0000000000002ull, NX),
    T(FADD_D, RNE, D_M1, D_2M53 | D_NZ, 0, D_M1, NX),
    T(FADD_D, RDN, D_M1, D_2M53 | D_NZ, 0, 0xbff0000000000001ull, NX),
    T(FADD_D, RUP, D_M1, D_2M53 | D_NZ, 0, D_M1, NX),
    T(FADD_D, RTZ, D_M1, D_2M53 | D_NZ, 0, D_M1, NX),
    T(FADD_D, RMM, D_M1, D_2M53 | D_NZ, 0, 0xbff0000000000001ull, NX),
    T(FADD_D, RNE, D_1, D_2M54, 0, D_1, NX),                 /* below half */
    T(FADD_D, RMM, D_1, D_2M54, 0, D_1, NX),
    T(FADD_D, RUP, D_1, D_2M54, 0, D_1P52, NX),
    T(FADD_D, RNE, D_1, D_2, 0, D_3, 0),
    T(FSUB_D, RNE, D_1, D_1, 0, 0, 0),                       /* x - x = +0 ... */
    T(FSUB_D, RDN, D_1, D_1, 0, D_NZ, 0),                    /* ... but -0 in RDN */
    T(FADD_D, RNE, D_1, D_M1, 0, 0, 0),
    T(FADD_D, RNE, D_NZ, D_NZ, 0, D_NZ, 0),
    T(FADD_D, RNE, 0, D_NZ, 0, 0, 0),
    T(FADD_D, RDN, 0, D_NZ, 0, D_NZ, 0),
    T(FSUB_D, RNE, D_NZ, 0, 0, D_NZ, 0),                     /* -0 - +0 = -0 */
    T(FADD_D, RNE, D_NZ, D_3, 0, D_3, 0),
    T(FSUB_D, RNE, 0, D_3, 0, D_M3, 0),
    T(FSUB_D, RNE, D_MINN, D_MINS, 0, D_MAXS, 0),            /* exact subnormal: no UF */
    T(FADD_D, RNE, D_INF, D_1, 0, D_INF, 0),
    T(FADD_D, RNE, D_INF, D_NINF, 0, D_QNAN, NV),
    T(FSUB_D, RNE, D_INF, D_INF, 0, D_QNAN, NV),
    T(FADD_D, RNE, D_SNAN, D_1, 0, D_QNAN, NV),
    T(FADD_D, RNE, D_QNAN, D_1, 0, D_QNAN, 0),
    T(FADD_D, RNE, 0xfff8000000000123ull, D_1, 0, D_QNAN, 0), /* payload/sign dropped */
    T(FADD_D, RNE, D_QNAN, D_SNAN, 0, D_QNAN, NV),
    /* overflow */
    T(FADD_D, RNE, D_MAX, D_MAX, 0, D_INF, OF | NX),
    T(FADD_D, RTZ, D_MAX, D_MAX, 0, D_MAX, OF | NX),
    T(FADD_D, RDN, D_MAX, D_MAX, 0, D_MAX, OF | NX),
    T(FADD_D, RUP, D_MAX, D_MAX, 0, D_INF, OF | NX),
    T(FADD_D, RMM, D_MAX, D_MAX, 0, D_INF, OF | NX),
    T(FADD_D, RDN, D_MAX | D_NZ, D_MAX | D_NZ, 0, D_NINF, OF | NX),
    T(FADD_D, RUP, D_MAX | D_NZ, D_MAX | D_NZ, 0, D_MAX | D_NZ, OF | NX),
    T(FADD_D, RTZ, D_MAX | D_NZ, D_MAX | D_NZ, 0, D_MAX | D_NZ, OF | NX),
    T(FADD_D, RNE, D_MAX, D_2P970, 0, D_INF, OF | NX),       /* tie at the top rounds up: overflow */
    T(FADD_D, RTZ, D_MAX, D_2P970, 0, D_MAX, NX),            /* rounds to max: no overflow */
    T(FADD_D, RDN, D_MAX, D_2P970, 0, D_MAX, NX),
    T(FADD_D, RNE, D_MAX, D_2P969, 0, D_MAX, NX),
    T(FADD_D, RUP, D_MAX, D_2P969, 0, D_INF, OF | NX),
    /* single */
    T(FADD_S, RNE, S(F_1), S(F_1), 0, S(F_2), 0),
    T(FADD_S, RNE, S(F_1), S(F_2M24), 0, S(F_1), NX),
    T(FADD_S, RUP, S(F_1), S(F_2M24), 0, S(0x3f800001), NX),
    T(FADD_S, RMM, S(F_1), S(F_2M24), 0, S(0x3f800001), NX),
    T(FADD_S, RTZ, S(F_1), S(F_2M24), 0, S(F_1), NX),
    T(FSUB_S, RDN, S(F_2), S(F_2), 0, S(F_NZ), 0),
    T(FADD_S, RNE, S(F_INF), S(F_NINF), 0, S(F_QNAN), NV),
    T(FADD_S, RNE, S(F_SNAN), S(F_1), 0, S(F_QNAN), NV),
    T(FADD_S, RNE, S(0xffc00001), S(F_1), 0, S(F_QNAN), 0),
    /* NaN boxing: improperly boxed inputs read as the canonical (quiet) NaN */
    T(FADD_S, RNE, F_1, S(F_1), 0, S(F_QNAN), 0),
    T(FADD_S, RNE, 0xfffffffe3f800000ull, S(F_1), 0, S(F_QNAN), 0),
    T(FMUL_S, RNE, S(F_2), 0x7f800001ull, 0, S(F_QNAN), 0),   /* an unboxed sNaN pattern is just a qNaN */
    /* dynamic rounding mode */
    TDYN(FADD_D, RUP, D_1, D_2M53, 0, D_1P52, NX),
    TDYN(FADD_D, RNE, D_1, D_2M53, 0, D_1, NX),
    TDYN(FADD_S, RMM, S(F_1), S(F_2M24), 0, S(0x3f800001), NX),

    /* ---- mul: exact, overflow, underflow with tininess after rounding ---- */
    T(FMUL_D, RNE, D_1P5, D_1P5, 0, 0x4002000000000000ull, 0),
    T(FMUL_D, RNE, D_M2, D_3, 0, 0xc018000000000000ull, 0),
    T(FMUL_D, RNE, D_INF, 0, 0, D_QNAN, NV),
    T(FMUL_D, RNE, D_NZ, D_INF, 0, D_QNAN, NV),
    T(FMUL_D, RNE, D_NINF, D_M2, 0, D_INF, 0),
    T(FMUL_D, RNE, D_NZ, D_3, 0, D_NZ, 0),
    T(FMUL_D, RNE, D_MAX, D_2, 0, D_INF, OF | NX),
    T(FMUL_D, RTZ, D_MAX, D_2, 0, D_MAX, OF | NX),
    /* 2^-1022 * (1 - 2^-53): exact with an unbounded exponent and below
     * 2^-1022, so tiny; rounds (tie, to even) up to 2^-1022 */
    T(FMUL_D, RNE, D_MINN, D_1M53, 0, D_MINN, UF | NX),
    T(FMUL_D, RUP, D_MINN, D_1M53, 0, D_MINN, UF | NX),
    T(FMUL_D, RDN, D_MINN, D_1M53, 0, D_MAXS, UF | NX),
    T(FMUL_D, RNE, D_MINS, D_HALF, 0, 0, UF | NX),           /* 2^-1075: tie to even 0 */
    T(FMUL_D, RUP, D_MINS, D_HALF, 0, D_MINS, UF | NX),
    T(FMUL_D, RMM, D_MINS, D_HALF, 0, D_MINS, UF | NX),
    T(FMUL_D, RDN, D_MINS, D_HALF, 0, 0, UF | NX),
    T(FMUL_D, RNE, D_NMINS, D_HALF, 0, D_NZ, UF | NX),
    T(FMUL_D, RDN, D_NMINS, D_HALF, 0, D_NMINS, UF | NX),
    T(FMUL_D, RNE, D_MINN, D_HALF, 0, 0x0008000000000000ull, 0), /* exact subnormal */
    T(FMUL_S, RNE, S(F_MINN), S(F_HALF), 0, S(0x00400000), 0),
    T(FMUL_S, RNE, S(0x00800001), S(F_HALF), 0, S(0x00400000), UF | NX),
    T(FMUL_S, RUP, S(0x00800001), S(F_HALF), 0, S(0x00400001), UF | NX),
    T(FMUL_S, RNE, S(F_MAX), S(F_2), 0, S(F_INF), OF | NX),
    T(FMUL_S, RTZ, S(F_MAX), S(F_2), 0, S(F_MAX), OF | NX),
    T(FMUL_S, RUP, S(F_MAX | F_NZ), S(F_2), 0, S(F_MAX | F_NZ), OF | NX),

    /* ---- div ---- */
    T(FDIV_D, RNE, D_1, D_3, 0, 0x3fd5555555555555ull, NX),
    T(FDIV_D, RTZ, D_1, D_3, 0, 0x3fd5555555555555ull, NX),
    T(FDIV_D, RUP, D_1, D_3, 0, 0x3fd5555555555556ull, NX),
    T(FDIV_D, RMM, D_1, D_3, 0, 0x3fd5555555555555ull, NX),
    T(FDIV_D, RDN, D_M1, D_3, 0, 0xbfd5555555555556ull, NX),
    T(FDIV_D, RNE, D_3, D_2, 0, D_1P5, 0),
    T(FDIV_D, RNE, D_1, 0, 0, D_INF, DZ),
    T(FDIV_D, RNE, D_M1, 0, 0, D_NINF, DZ),
    T(FDIV_D, RNE, D_1, D_NZ, 0, D_NINF, DZ),
    T(FDIV_D, RNE, 0, 0, 0, D_QNAN, NV),
    T(FDIV_D, RNE, D_INF, D_NINF, 0, D_QNAN, NV),
    T(FDIV_D, RNE, D_INF, 0, 0, D_INF, 0),                   /* not a division by zero */
    T(FDIV_D, RNE, D_1, D_NINF, 0, D_NZ, 0),
    T(FDIV_D, RNE, D_QNAN, 0, 0, D_QNAN, 0),
    T(FDIV_D, RNE, D_MINN, D_2P63, 0, 0x0000000000000000ull, UF | NX), /* 2^-1085: below half the min subnormal */
    T(FDIV_D, RUP, D_MINN, D_2P63, 0, D_MINS, UF | NX),
    T(FDIV_S, RNE, S(F_1), S(F_3), 0, S(0x3eaaaaab), NX),
    T(FDIV_S, RTZ, S(F_1), S(F_3), 0, S(0x3eaaaaaa), NX),
    T(FDIV_S, RNE, S(F_M1), S(0), 0, S(F_NINF), DZ),
    T(FDIV_S, RNE, S(0), S(0), 0, S(F_QNAN), NV),

    /* ---- sqrt ---- */
    T(FSQRT_D, RNE, 0x4010000000000000ull, 0, 0, D_2, 0),
    T(FSQRT_D, RNE, D_2, 0, 0, 0x3ff6a09e667f3bcdull, NX),   /* rounded up */
    T(FSQRT_D, RTZ, D_2, 0, 0, 0x3ff6a09e667f3bccull, NX),
    T(FSQRT_D, RDN, D_2, 0, 0, 0x3ff6a09e667f3bccull, NX),
    T(FSQRT_D, RUP, D_2, 0, 0, 0x3ff6a09e667f3bcdull, NX),
    T(FSQRT_D, RMM, D_2, 0, 0, 0x3ff6a09e667f3bcdull, NX),
    T(FSQRT_D, RNE, D_M1, 0, 0, D_QNAN, NV),
    T(FSQRT_D, RNE, D_NZ, 0, 0, D_NZ, 0),
    T(FSQRT_D, RNE, 0, 0, 0, 0, 0),
    T(FSQRT_D, RNE, D_INF, 0, 0, D_INF, 0),
    T(FSQRT_D, RNE, D_NINF, 0, 0, D_QNAN, NV),
    T(FSQRT_D, RNE, D_SNAN, 0, 0, D_QNAN, NV),
    T(FSQRT_D, RNE, D_QNAN | D_NZ, 0, 0, D_QNAN, 0),
    T(FSQRT_D, RNE, 0x0000000000000004ull, 0, 0, 0x1e70000000000000ull, 0), /* sqrt(2^-1072) = 2^-536 */
    T(FSQRT_S, RNE, S(F_2), 0, 0, S(0x3fb504f3), NX),        /* rounded down */
    T(FSQRT_S, RUP, S(F_2), 0, 0, S(0x3fb504f4), NX),
    T(FSQRT_S, RMM, S(F_2), 0, 0, S(0x3fb504f3), NX),
    T(FSQRT_S, RNE, S(0x40800000), 0, 0, S(F_2), 0),
    T(FSQRT_S, RNE, S(F_M1), 0, 0, S(F_QNAN), NV),
    T(FSQRT_S, RNE, 0x40800000ull, 0, 0, S(F_QNAN), 0),      /* unboxed */

    /* ---- fused multiply-add: one rounding ---- */
    /* (1+2^-52)^2 = 1 + 2^-51 + 2^-104; minus the rounded square leaves 2^-104
     * (unfused would give 0). */
    T(FMADD_D, RNE, D_1P52, D_1P52, 0xbff0000000000002ull, 0x3970000000000000ull, 0),
    T(FMSUB_D, RNE, D_1P52, D_1P52, 0x3ff0000000000002ull, 0x3970000000000000ull, 0),
    T(FNMSUB_D, RNE, D_1P52, D_1P52, 0x3ff0000000000002ull, 0xb970000000000000ull, 0),
    T(FNMADD_D, RNE, D_1P52, D_1P52, 0xbff0000000000002ull, 0xb970000000000000ull, 0),
    T(FMADD_S, RNE, S(0x3f800001), S(0x3f800001), S(0xbf800002), S(0x28800000), 0),
    T(FMADD_D, RNE, D_2, D_3, D_1, 0x401c000000000000ull, 0), /* 7 */
    T(FMSUB_D, RNE, D_2, D_3, D_1, 0x4014000000000000ull, 0), /* 5 */
    T(FNMSUB_D, RNE, D_2, D_3, D_1, 0xc014000000000000ull, 0), /* -5 */
    T(FNMADD_D, RNE, D_2, D_3, D_1, 0xc01c000000000000ull, 0), /* -7 */
    T(FMADD_D, RNE, D_1, D_1, D_2M60, D_1, NX),
    T(FMADD_D, RUP, D_1, D_1, D_2M60, D_1P52, NX),
    T(FMADD_D, RNE, D_1, D_1, D_2M60 | D_NZ, D_1, NX),
    T(FMADD_D, RTZ, D_1, D_1, D_2M60 | D_NZ, D_1M53, NX),
    T(FMADD_D, RDN, D_1, D_1, D_2M60 | D_NZ, D_1M53, NX),
    T(FMADD_D, RNE, D_1, D_1, D_M1, 0, 0),                   /* exact zero: +0 ... */
    T(FMADD_D, RDN, D_1, D_1, D_M1, D_NZ, 0),                /* ... -0 in RDN */
    T(FMADD_D, RNE, 0, D_1, D_NZ, 0, 0),
    T(FMADD_D, RDN, 0, D_1, D_NZ, D_NZ, 0),
    T(FMADD_D, RNE, D_NZ, D_1, D_NZ, D_NZ, 0),
    T(FMSUB_D, RNE, 0, D_1, 0, 0, 0),                        /* +0 - +0 */
    T(FNMADD_D, RNE, 0, D_1, 0, D_NZ, 0),                    /* -(+0) - +0 = -0 */
    T(FMADD_D, RNE, 0, D_1, D_3, D_3, 0),
    /* invalid: inf * 0, even with a quiet NaN addend (RISC-V requires NV) */
    T(FMADD_D, RNE, D_INF, 0, D_QNAN, D_QNAN, NV),
    T(FMADD_D, RNE, 0, D_NINF, D_1, D_QNAN, NV),
    T(FMADD_S, RNE, S(F_INF), S(0), S(F_QNAN), S(F_QNAN), NV),
    T(FMADD_D, RNE, D_INF, D_1, D_NINF, D_QNAN, NV),
    T(FMSUB_D, RNE, D_INF, D_1, D_INF, D_QNAN, NV),
    T(FMADD_D, RNE, D_INF, D_1, D_INF, D_INF, 0),
    T(FMADD_D, RNE, D_1, D_1, D_NINF, D_NINF, 0),
    T(FMADD_D, RNE, D_QNAN, D_1, D_1, D_QNAN, 0),
    T(FMADD_D, RNE, D_1, D_1, D_SNAN, D_QNAN, NV),
    T(FMADD_D, RNE, D_INF, D_1, D_QNAN, D_QNAN, 0),
    T(FMADD_D, RNE, D_MAX, D_2, D_MAX | D_NZ, D_MAX, 0),     /* huge product, exact result */
    T(FMADD_D, RNE, D_MAX, D_2, 0, D_INF, OF | NX),
    /* tininess after rounding: 2^-1022 - 2^-1077 rounds (unbounded) to 2^-1022 */
    T(FMADD_D, RNE, D_NMINS, D_EIGHTH, D_MINN, D_MINN, NX),
    T(FMADD_D, RUP, D_NMINS, D_EIGHTH, D_MINN, D_MINN, NX),
    T(FMADD_D, RTZ, D_NMINS, D_EIGHTH, D_MINN, D_MAXS, UF | NX),
    T(FMADD_D, RNE, D_NMINS, D_HALF, D_MINN, D_MINN, UF | NX), /* 2^-1022 - 2^-1075 is tiny */

    /* ---- sign injection (no canonicalization, NaN payloads kept) ---- */
    T(FSGNJ_D, RNE, D_1, D_M2, 0, D_M1, 0),
    T(FSGNJN_D, RNE, D_1, D_M2, 0, D_1, 0),
    T(FSGNJX_D, RNE, D_M1, D_M2, 0, D_1, 0),
    T(FSGNJX_D, RNE, D_M1, D_2, 0, D_M1, 0),
    T(FSGNJN_D, RNE, D_SNAN, 0, 0, D_SNAN | D_NZ, 0),
    T(FSGNJ_S, RNE, S(F_1), S(F_M2), 0, S(F_M1), 0),
    T(FSGNJN_S, RNE, S(F_M1), S(F_M2), 0, S(F_1), 0),
    T(FSGNJX_S, RNE, S(F_M1), S(F_M2), 0, S(F_1), 0),
    T(FSGNJ_S, RNE, F_1, S(F_M2), 0, S(0xffc00000), 0),      /* unboxed a: canonical NaN */
    T(FSGNJN_S, RNE, F_1, S(F_2), 0, S(0xffc00000), 0),
    T(FSGNJX_S, RNE, S(F_M1), F_M2, 0, S(F_M1), 0),          /* unboxed b: sign of +NaN */

    /* ---- min/max ---- */
    T(FMIN_D, RNE, D_NZ, 0, 0, D_NZ, 0),
    T(FMIN_D, RNE, 0, D_NZ, 0, D_NZ, 0),
    T(FMAX_D, RNE, D_NZ, 0, 0, 0, 0),
    T(FMAX_D, RNE, 0, D_NZ, 0, 0, 0),
    T(FMIN_D, RNE, D_QNAN, D_1, 0, D_1, 0),
    T(FMAX_D, RNE, D_M1, D_QNAN, 0, D_M1, 0),
    T(FMIN_D, RNE, D_1, D_SNAN, 0, D_1, NV),
    T(FMIN_D, RNE, D_QNAN, D_QNAN | 5, 0, D_QNAN, 0),
    T(FMAX_D, RNE, D_SNAN, D_QNAN, 0, D_QNAN, NV),
    T(FMIN_D, RNE, D_NINF, D_1, 0, D_NINF, 0),
    T(FMAX_D, RNE, D_1, D_2, 0, D_2, 0),
    T(FMIN_D, RNE, D_M1, D_M2, 0, D_M2, 0),
    T(FMAX_D, RNE, D_M1, D_M2, 0, D_M1, 0),
    T(FMIN_S, RNE, S(F_NZ), S(0), 0, S(F_NZ), 0),
    T(FMAX_S, RNE, S(F_NZ), S(0), 0, S(0), 0),
    T(FMIN_S, RNE, F_M1, S(F_1), 0, S(F_1), 0),              /* unboxed reads as qNaN */
    T(FMAX_S, RNE, S(F_1), S(F_2), 0, S(F_2), 0),
    T(FMAX_S, RNE, S(F_SNAN), S(F_M1), 0, S(F_M1), NV),
    T(FMIN_S, RNE, S(F_QNAN), F_1, 0, S(F_QNAN), 0),

    /* ---- comparisons: feq quiet, flt/fle signaling ---- */
    T(FEQ_D, RNE, D_QNAN, D_1, 0, 0, 0),
    T(FEQ_D, RNE, D_SNAN, D_1, 0, 0, NV),
    T(FLT_D, RNE, D_QNAN, D_1, 0, 0, NV),
    T(FLE_D, RNE, D_1, D_QNAN, 0, 0, NV),
    T(FEQ_D, RNE, D_QNAN, D_QNAN, 0, 0, 0),
    T(FEQ_D, RNE, D_NZ, 0, 0, 1, 0),
    T(FLT_D, RNE, D_NZ, 0, 0, 0, 0),
    T(FLE_D, RNE, D_NZ, 0, 0, 1, 0),
    T(FLT_D, RNE, D_M1, D_1, 0, 1, 0),
    T(FLT_D, RNE, D_1, D_M1, 0, 0, 0),
    T(FLT_D, RNE, D_M2, D_M1, 0, 1, 0),
    T(FLE_D, RNE, D_M1, D_M2, 0, 0, 0),
    T(FLE_D, RNE, D_2, D_2, 0, 1, 0),
    T(FLT_D, RNE, D_2, D_2, 0, 0, 0),
    T(FLT_D, RNE, D_NINF, D_INF, 0, 1, 0),
    T(FLT_D, RNE, D_MINS, D_MINN, 0, 1, 0),
    T(FEQ_D, RNE, D_1, D_1, 0, 1, 0),
    T(FEQ_S, RNE, S(F_1), S(F_1), 0, 1, 0),
    T(FEQ_S, RNE, F_1, S(F_1), 0, 0, 0),                     /* unboxed: quiet NaN */
    T(FLT_S, RNE, F_1, S(F_2), 0, 0, NV),
    T(FLE_S, RNE, S(F_M1), S(F_1), 0, 1, 0),
    T(FEQ_S, RNE, S(F_SNAN), S(F_SNAN), 0, 0, NV),

    /* ---- fclass ---- */
    T(FCLASS_D, RNE, D_NINF, 0, 0, 1 << 0, 0),
    T(FCLASS_D, RNE, D_M1, 0, 0, 1 << 1, 0),
    T(FCLASS_D, RNE, D_NMINS, 0, 0, 1 << 2, 0),
    T(FCLASS_D, RNE, D_NZ, 0, 0, 1 << 3, 0),
    T(FCLASS_D, RNE, 0, 0, 0, 1 << 4, 0),
    T(FCLASS_D, RNE, D_MAXS, 0, 0, 1 << 5, 0),
    T(FCLASS_D, RNE, D_MINN, 0, 0, 1 << 6, 0),
    T(FCLASS_D, RNE, D_INF, 0, 0, 1 << 7, 0),
    T(FCLASS_D, RNE, D_SNAN, 0, 0, 1 << 8, 0),
    T(FCLASS_D, RNE, D_QNAN, 0, 0, 1 << 9, 0),
    T(FCLASS_S, RNE, S(F_NINF), 0, 0, 1 << 0, 0),
    T(FCLASS_S, RNE, S(0x807fffff), 0, 0, 1 << 2, 0),
    T(FCLASS_S, RNE, S(F_MINN), 0, 0, 1 << 6, 0),
    T(FCLASS_S, RNE, S(F_SNAN), 0, 0, 1 << 8, 0),
    T(FCLASS_S, RNE, S(0xffc00000), 0, 0, 1 << 9, 0),
    T(FCLASS_S, RNE, F_1, 0, 0, 1 << 9, 0),                  /* unboxed */

    /* ---- float -> integer ---- */
    T(FCVT_W_D, RNE, D_HALF, 0, 0, 0, NX),
    T(FCVT_W_D, RTZ, D_HALF, 0, 0, 0, NX),
    T(FCVT_W_D, RDN, D_HALF, 0, 0, 0, NX),
    T(FCVT_W_D, RUP, D_HALF, 0, 0, 1, NX),
    T(FCVT_W_D, RMM, D_HALF, 0, 0, 1, NX),
    T(FCVT_W_D, RNE, D_1P5, 0, 0, 2, NX),
    T(FCVT_W_D, RTZ, D_1P5, 0, 0, 1, NX),
    T(FCVT_W_D, RDN, D_1P5, 0, 0, 1, NX),
    T(FCVT_W_D, RUP, D_1P5, 0, 0, 2, NX),
    T(FCVT_W_D, RMM, D_1P5, 0, 0, 2, NX),
    T(FCVT_W_D, RNE, D_2P5, 0, 0, 2, NX),
    T(FCVT_W_D, RTZ, D_2P5, 0, 0, 2, NX),
    T(FCVT_W_D, RDN, D_2P5, 0, 0, 2, NX),
    T(FCVT_W_D, RUP, D_2P5, 0, 0, 3, NX),
    T(FCVT_W_D, RMM, D_2P5, 0, 0, 3, NX),
    T(FCVT_W_D, RNE, D_M2P5, 0, 0, (uint64_t)-2, NX),
    T(FCVT_W_D, RTZ, D_M2P5, 0, 0, (uint64_t)-2, NX),
    T(FCVT_W_D, RDN, D_M2P5, 0, 0, (uint64_t)-3, NX),
    T(FCVT_W_D, RUP, D_M2P5, 0, 0, (uint64_t)-2, NX),
    T(FCVT_W_D, RMM, D_M2P5, 0, 0, (uint64_t)-3, NX),
    T(FCVT_W_D, RNE, D_M3, 0, 0, (uint64_t)-3, 0),
    T(FCVT_W_D, RNE, D_NZ, 0, 0, 0, 0),
    T(FCVT_W_D, RNE, D_MINS, 0, 0, 0, NX),
    T(FCVT_W_D, RUP, D_MINS, 0, 0, 1, NX),
    T(FCVT_W_D, RDN, D_NMINS, 0, 0, (uint64_t)-1, NX),
    T(FCVT_W_D, RNE, D_2P31, 0, 0, 0x7fffffffull, NV),       /* saturate, NV without NX */
    T(FCVT_W_D, RNE, 0x41dfffffffe00000ull, 0, 0, 0x7fffffffull, NV), /* 2^31-0.5 rounds to 2^31 */
    T(FCVT_W_D, RTZ, 0x41dfffffffe00000ull, 0, 0, 0x7fffffffull, NX),
    T(FCVT_W_D, RNE, D_2P31 | D_NZ, 0, 0, 0xffffffff80000000ull, 0),
    T(FCVT_W_D, RNE, 0xc1e0000000100000ull, 0, 0, 0xffffffff80000000ull, NX), /* -2^31-0.5: tie to even */
    T(FCVT_W_D, RDN, 0xc1e0000000100000ull, 0, 0, 0xffffffff80000000ull, NV),
    T(FCVT_W_D, RNE, D_QNAN, 0, 0, 0x7fffffffull, NV),
    T(FCVT_W_D, RNE, D_QNAN | D_NZ, 0, 0, 0x7fffffffull, NV), /* any NaN: largest positive */
    T(FCVT_W_D, RNE, D_INF, 0, 0, 0x7fffffffull, NV),
    T(FCVT_W_D, RNE, D_NINF, 0, 0, 0xffffffff80000000ull, NV),
    T(FCVT_WU_D, RNE, 0x41efffffffe00000ull, 0, 0, 0xffffffffffffffffull, 0), /* 2^32-1, sign-extended */
    T(FCVT_WU_D, RNE, D_2P32, 0, 0, 0xffffffffffffffffull, NV),
    T(FCVT_WU_D, RNE, D_QNAN, 0, 0, 0xffffffffffffffffull, NV),
    T(FCVT_WU_D, RNE, D_NINF, 0, 0, 0, NV),
    T(FCVT_WU_D, RNE, D_M1, 0, 0, 0, NV),
    T(FCVT_WU_D, RNE, D_MHALF, 0, 0, 0, NX),                 /* rounds to -0: fine */
    T(FCVT_WU_D, RUP, D_MHALF, 0, 0, 0, NX),
    T(FCVT_WU_D, RTZ, D_MHALF, 0, 0, 0, NX),
    T(FCVT_WU_D, RDN, D_MHALF, 0, 0, 0, NV),                 /* rounds to -1 */
    T(FCVT_WU_D, RMM, D_MHALF, 0, 0, 0, NV),
    T(FCVT_WU_D, RNE, D_NZ, 0, 0, 0, 0),
    T(FCVT_WU_D, RNE, D_2P31, 0, 0, 0xffffffff80000000ull, 0),
    T(FCVT_L_D, RNE, D_2P63, 0, 0, 0x7fffffffffffffffull, NV),
    T(FCVT_L_D, RNE, D_2P63 | D_NZ, 0, 0, 0x8000000000000000ull, 0),
    T(FCVT_L_D, RNE, D_QNAN, 0, 0, 0x7fffffffffffffffull, NV),
    T(FCVT_L_D, RNE, D_NINF, 0, 0, 0x8000000000000000ull, NV),
    T(FCVT_L_D, RNE, 0x43dfffffffffffffull, 0, 0, 0x7ffffffffffffc00ull, 0),
    T(FCVT_L_D, RNE, D_2P31, 0, 0, 0x80000000ull, 0),
    T(FCVT_L_D, RMM, D_M2P5, 0, 0, (uint64_t)-3, NX),
    T(FCVT_LU_D, RNE, D_2P64, 0, 0, 0xffffffffffffffffull, NV),
    T(FCVT_LU_D, RNE, 0x43efffffffffffffull, 0, 0, 0xfffffffffffff800ull, 0),
    T(FCVT_LU_D, RNE, D_QNAN, 0, 0, 0xffffffffffffffffull, NV),
    T(FCVT_LU_D, RNE, D_NINF, 0, 0, 0, NV),
    T(FCVT_LU_D, RNE, D_NZ, 0, 0, 0, 0),
    T(FCVT_LU_D, RNE, D_M1, 0, 0, 0, NV),
    T(FCVT_LU_D, RUP, D_2P5, 0, 0, 3, NX),
    T(FCVT_W_S, RNE, S(F_2P5), 0, 0, 2, NX),
    T(FCVT_W_S, RMM, S(F_2P5), 0, 0, 3, NX),
    T(FCVT_W_S, RNE, S(0xc0200000), 0, 0, (uint64_t)-2, NX),
    T(FCVT_W_S, RDN, S(0xc0200000), 0, 0, (uint64_t)-3, NX),
    T(FCVT_W_S, RNE, F_2P5, 0, 0, 0x7fffffffull, NV),        /* unboxed: NaN */
    T(FCVT_W_S, RNE, S(0x4f000000), 0, 0, 0x7fffffffull, NV), /* 2^31 */
    T(FCVT_W_S, RNE, S(0xcf000000), 0, 0, 0xffffffff80000000ull, 0),
    T(FCVT_WU_S, RNE, S(0x4f7fffff), 0, 0, 0xffffffffffffff00ull, 0), /* 2^32-256 */
    T(FCVT_WU_S, RNE, S(F_M1), 0, 0, 0, NV),
    T(FCVT_L_S, RNE, S(0xdf000000), 0, 0, 0x8000000000000000ull, 0), /* -2^63 */
    T(FCVT_L_S, RNE, S(0x5f000000), 0, 0, 0x7fffffffffffffffull, NV),
    T(FCVT_L_S, RNE, S(F_NINF), 0, 0, 0x8000000000000000ull, NV),
    T(FCVT_LU_S, RNE, S(0x5f800000), 0, 0, 0xffffffffffffffffull, NV), /* 2^64 */
    T(FCVT_LU_S, RNE, S(0x5f7fffff), 0, 0, 0xffffff0000000000ull, 0),
    T(FCVT_LU_S, RNE, S(F_SNAN), 0, 0, 0xffffffffffffffffull, NV),
    TDYN(FCVT_W_D, RUP, D_1P5, 0, 0, 2, NX),
    TDYN(FCVT_W_D, RDN, D_M2P5, 0, 0, (uint64_t)-3, NX),

    /* ---- integer -> float ---- */
    T(FCVT_S_W, RNE, 0x1000001, 0, 0, S(0x4b800000), NX),    /* 2^24+1: tie to even */
    T(FCVT_S_W, RTZ, 0x1000001, 0, 0, S(0x4b800000), NX),
    T(FCVT_S_W, RDN, 0x1000001, 0, 0, S(0x4b800000), NX),
    T(FCVT_S_W, RUP, 0x1000001, 0, 0, S(0x4b800001), NX),
    T(FCVT_S_W, RMM, 0x1000001, 0, 0, S(0x4b800001), NX),
    T(FCVT_S_W, RNE, (uint64_t)-0x1000001, 0, 0, S(0xcb800000), NX),
    T(FCVT_S_W, RDN, (uint64_t)-0x1000001, 0, 0, S(0xcb800001), NX),
    T(FCVT_S_W, RUP, (uint64_t)-0x1000001, 0, 0, S(0xcb800000), NX),
    T(FCVT_S_W, RMM, (uint64_t)-0x1000001, 0, 0, S(0xcb800001), NX),
    T(FCVT_S_W, RNE, 0x1000003, 0, 0, S(0x4b800002), NX),    /* 2^24+3: tie, up to even */
    T(FCVT_S_W, RNE, 0x7fffffff, 0, 0, S(0x4f000000), NX),
    T(FCVT_S_W, RTZ, 0x7fffffff, 0, 0, S(0x4effffff), NX),
    T(FCVT_S_W, RNE, 0x100000005ull, 0, 0, S(0x40a00000), 0), /* only the low 32 bits */
    T(FCVT_S_W, RNE, 0xffffffffull, 0, 0, S(F_M1), 0),
    T(FCVT_S_W, RNE, 0, 0, 0, S(0), 0),
    T(FCVT_S_WU, RNE, 0xffffffffull, 0, 0, S(0x4f800000), NX),
    T(FCVT_S_WU, RTZ, 0xffffffffull, 0, 0, S(0x4f7fffff), NX),
    T(FCVT_S_L, RNE, 0x8000000000000000ull, 0, 0, S(0xdf000000), 0),
    T(FCVT_S_L, RNE, (uint64_t)-3, 0, 0, S(0xc0400000), 0),
    T(FCVT_S_LU, RNE, 0xffffffffffffffffull, 0, 0, S(0x5f800000), NX),
    T(FCVT_S_LU, RTZ, 0xffffffffffffffffull, 0, 0, S(0x5f7fffff), NX),
    T(FCVT_D_L, RNE, 0x20000000000001ull, 0, 0, 0x4340000000000000ull, NX), /* 2^53+1 */
    T(FCVT_D_L, RUP, 0x20000000000001ull, 0, 0, 0x4340000000000001ull, NX),
    T(FCVT_D_L, RMM, 0x20000000000001ull, 0, 0, 0x4340000000000001ull, NX),
    T(FCVT_D_L, RNE, (uint64_t)-1, 0, 0, D_M1, 0),
    T(FCVT_D_L, RNE, 0x8000000000000000ull, 0, 0, D_2P63 | D_NZ, 0),
    T(FCVT_D_L, RNE, 0, 0, 0, 0, 0),
    T(FCVT_D_LU, RNE, 0xffffffffffffffffull, 0, 0, D_2P64, NX),
    T(FCVT_D_LU, RTZ, 0xffffffffffffffffull, 0, 0, 0x43efffffffffffffull, NX),
    T(FCVT_D_W, RNE, 0x80000000ull, 0, 0, D_2P31 | D_NZ, 0),
    T(FCVT_D_W, RNE, 0xffffffff00000005ull, 0, 0, 0x4014000000000000ull, 0),
    T(FCVT_D_WU, RNE, 0x80000000ull, 0, 0, D_2P31, 0),
    T(FCVT_D_WU, RNE, 0xffffffffffffffffull, 0, 0, 0x41efffffffe00000ull, 0),

    /* ---- between formats ---- */
    T(FCVT_S_D, RNE, 0x3fd5555555555555ull, 0, 0, S(0x3eaaaaab), NX),
    T(FCVT_S_D, RTZ, 0x3fd5555555555555ull, 0, 0, S(0x3eaaaaaa), NX),
    T(FCVT_S_D, RNE, D_MAX, 0, 0, S(F_INF), OF | NX),
    T(FCVT_S_D, RTZ, D_MAX, 0, 0, S(F_MAX), OF | NX),
    T(FCVT_S_D, RNE, 0x3690000000000000ull, 0, 0, S(0), UF | NX), /* 2^-150: half the min subnormal */
    T(FCVT_S_D, RUP, 0x3690000000000000ull, 0, 0, S(F_MINS), UF | NX),
    T(FCVT_S_D, RMM, 0x3690000000000000ull, 0, 0, S(F_MINS), UF | NX),
    T(FCVT_S_D, RNE, 0x36a0000000000000ull, 0, 0, S(F_MINS), 0), /* 2^-149 exact */
    T(FCVT_S_D, RNE, D_SNAN, 0, 0, S(F_QNAN), NV),
    T(FCVT_S_D, RNE, 0x7ff8000000000123ull, 0, 0, S(F_QNAN), 0),
    T(FCVT_S_D, RNE, D_NINF, 0, 0, S(F_NINF), 0),
    T(FCVT_S_D, RNE, D_NZ, 0, 0, S(F_NZ), 0),
    T(FCVT_S_D, RNE, D_1P5, 0, 0, S(0x3fc00000), 0),
    T(FCVT_D_S, RNE, S(F_SNAN), 0, 0, D_QNAN, NV),
    T(FCVT_D_S, RNE, S(0xffc00123), 0, 0, D_QNAN, 0),
    T(FCVT_D_S, RNE, S(0x3fc00000), 0, 0, D_1P5, 0),
    T(FCVT_D_S, RNE, S(F_MINS), 0, 0, 0x36a0000000000000ull, 0),
    T(FCVT_D_S, RNE, S(F_NINF), 0, 0, D_NINF, 0),
    T(FCVT_D_S, RNE, S(F_NZ), 0, 0, D_NZ, 0),
    T(FCVT_D_S, RNE, 0x3fc00000ull, 0, 0, D_QNAN, 0),         /* unboxed */
};

static uint64_t run(rv_cpu *cpu, const tcase *t)
{
    uint64_t a = t->a, b = t->b, c = t->c;
    int rm = t->rm;
    switch (t->op) {
    case FADD_S: return rv_fadd_s(cpu, a, b, rm);
    case FSUB_S: return rv_fsub_s(cpu, a, b, rm);
    case FMUL_S: return rv_fmul_s(cpu, a, b, rm);
    case FDIV_S: return rv_fdiv_s(cpu, a, b, rm);
    case FSQRT_S: return rv_fsqrt_s(cpu, a, rm);
    case FMADD_S: return rv_fmadd_s(cpu, a, b, c, rm);
    case FMSUB_S: return rv_fmsub_s(cpu, a, b, c, rm);
    case FNMSUB_S: return rv_fnmsub_s(cpu, a, b, c, rm);
    case FNMADD_S: return rv_fnmadd_s(cpu, a, b, c, rm);
    case FADD_D: return rv_fadd_d(cpu, a, b, rm);
    case FSUB_D: return rv_fsub_d(cpu, a, b, rm);
    case FMUL_D: return rv_fmul_d(cpu, a, b, rm);
    case FDIV_D: return rv_fdiv_d(cpu, a, b, rm);
    case FSQRT_D: return rv_fsqrt_d(cpu, a, rm);
    case FMADD_D: return rv_fmadd_d(cpu, a, b, c, rm);
    case FMSUB_D: return rv_fmsub_d(cpu, a, b, c, rm);
    case FNMSUB_D: return rv_fnmsub_d(cpu, a, b, c, rm);
    case FNMADD_D: return rv_fnmadd_d(cpu, a, b, c, rm);
    case FSGNJ_S: return rv_fsgnj_s(a, b);
    case FSGNJN_S: return rv_fsgnjn_s(a, b);
    case FSGNJX_S: return rv_fsgnjx_s(a, b);
    case FSGNJ_D: return rv_fsgnj_d(a, b);
    case FSGNJN_D: return rv_fsgnjn_d(a, b);
    case FSGNJX_D: return rv_fsgnjx_d(a, b);
    case FMIN_S: return rv_fmin_s(cpu, a, b);
    case FMAX_S: return rv_fmax_s(cpu, a, b);
    case FMIN_D: return rv_fmin_d(cpu, a, b);
    case FMAX_D: return rv_fmax_d(cpu, a, b);
    case FEQ_S: return rv_feq_s(cpu, a, b);
    case FLT_S: return rv_flt_s(cpu, a, b);
    case FLE_S: return rv_fle_s(cpu, a, b);
    case FEQ_D: return rv_feq_d(cpu, a, b);
    case FLT_D: return rv_flt_d(cpu, a, b);
    case FLE_D: return rv_fle_d(cpu, a, b);
    case FCLASS_S: return rv_fclass_s(a);
    case FCLASS_D: return rv_fclass_d(a);
    case FCVT_W_S: return rv_fcvt_w_s(cpu, a, rm);
    case FCVT_WU_S: return rv_fcvt_wu_s(cpu, a, rm);
    case FCVT_L_S: return rv_fcvt_l_s(cpu, a, rm);
    case FCVT_LU_S: return rv_fcvt_lu_s(cpu, a, rm);
    case FCVT_W_D: return rv_fcvt_w_d(cpu, a, rm);
    case FCVT_WU_D: return rv_fcvt_wu_d(cpu, a, rm);
    case FCVT_L_D: return rv_fcvt_l_d(cpu, a, rm);
    case FCVT_LU_D: return rv_fcvt_lu_d(cpu, a, rm);
    case FCVT_S_W: return rv_fcvt_s_w(cpu, a, rm);
    case FCVT_S_WU: return rv_fcvt_s_wu(cpu, a, rm);
    case FCVT_S_L: return rv_fcvt_s_l(cpu, a, rm);
    case FCVT_S_LU: return rv_fcvt_s_lu(cpu, a, rm);
    case FCVT_D_W: return rv_fcvt_d_w(cpu, a, rm);
    case FCVT_D_WU: return rv_fcvt_d_wu(cpu, a, rm);
    case FCVT_D_L: return rv_fcvt_d_l(cpu, a, rm);
    case FCVT_D_LU: return rv_fcvt_d_lu(cpu, a, rm);
    case FCVT_S_D: return rv_fcvt_s_d(cpu, a, rm);
    case FCVT_D_S: return rv_fcvt_d_s(cpu, a, rm);
    }
    return 0xbad;
}

int main(void)
{
    static rv_cpu cpu; /* only fflags and frm are used */
    unsigned passed = 0, failed = 0;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const tcase *t = &cases[i];
        uint64_t got;
        cpu.fflags = 0;
        cpu.frm = (uint32_t)t->frm;
        got = run(&cpu, t);
        if (got == t->want && cpu.fflags == t->flags) {
            passed++;
        } else {
            failed++;
            printf("FAIL line %d: %s rm=%d a=%016" PRIx64 " b=%016" PRIx64 " c=%016" PRIx64
                   ": got %016" PRIx64 " flags %02x, want %016" PRIx64 " flags %02x\n",
                   t->line, op_names[t->op], t->rm, t->a, t->b, t->c, got, cpu.fflags, t->want, t->flags);
        }
    }

    /* Flags accrue (OR) into fflags; they are never cleared by an operation. */
    cpu.fflags = RV_FF_DZ;
    (void)rv_fadd_d(&cpu, D_1, D_2M53, RNE);
    (void)rv_fadd_d(&cpu, D_1, D_2, RNE);
    if (cpu.fflags == (RV_FF_DZ | RV_FF_NX)) {
        passed++;
    } else {
        failed++;
        printf("FAIL accrual: fflags %02x, want %02x\n", cpu.fflags, RV_FF_DZ | RV_FF_NX);
    }

    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
