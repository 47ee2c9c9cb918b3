/* F, D and Zfh extension arithmetic with RISC-V semantics: IEEE 754 results,
 * NaN boxing of single and half values in 64-bit registers, canonical NaNs, the five
 * rounding modes and exact fflags accrual into cpu->fflags.
 *
 * Operands and results are raw register bits. "_s" functions read NaN-boxed
 * singles (an improperly boxed input counts as the canonical NaN) and return
 * NaN-boxed singles. `rm` is the instruction's rm field; 7 means cpu->frm.
 * The engine checks rm validity first with rv_fp_rm_ok() (rm 5/6, or dynamic
 * with frm > 4, is an illegal instruction). */
#ifndef SPLITVM_FPU_H
#define SPLITVM_FPU_H

#include "cpu.h"

enum { RV_RM_RNE = 0, RV_RM_RTZ = 1, RV_RM_RDN = 2, RV_RM_RUP = 3, RV_RM_RMM = 4, RV_RM_DYN = 7 };
enum { RV_FF_NX = 1, RV_FF_UF = 2, RV_FF_OF = 4, RV_FF_DZ = 8, RV_FF_NV = 16 };

#define RV_BOX_S(v) ((uint64_t)(uint32_t)(v) | 0xffffffff00000000ull)
#define RV_BOX_H(v) ((uint64_t)(uint16_t)(v) | 0xffffffffffff0000ull)

static inline bool rv_fp_rm_ok(const rv_cpu *cpu, int rm)
{
    if (rm == RV_RM_DYN)
        return cpu->frm <= RV_RM_RMM;
    return rm <= RV_RM_RMM;
}

/* Arithmetic: + - * / sqrt, fused multiply-add family (a*b+c etc). */
uint64_t rv_fadd_s(rv_cpu *cpu, uint64_t a, uint64_t b, int rm);
uint64_t rv_fsub_s(rv_cpu *cpu, uint64_t a, uint64_t b, int rm);
uint64_t rv_fmul_s(rv_cpu *cpu, uint64_t a, uint64_t b, int rm);
uint64_t rv_fdiv_s(rv_cpu *cpu, uint64_t a, uint64_t b, int rm);
uint64_t rv_fsqrt_s(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fmadd_s(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm);  /*  a*b+c */
uint64_t rv_fmsub_s(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm);  /*  a*b-c */
uint64_t rv_fnmsub_s(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm); /* -a*b+c */
uint64_t rv_fnmadd_s(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm); /* -a*b-c */
uint64_t rv_fadd_d(rv_cpu *cpu, uint64_t a, uint64_t b, int rm);
uint64_t rv_fsub_d(rv_cpu *cpu, uint64_t a, uint64_t b, int rm);
uint64_t rv_fmul_d(rv_cpu *cpu, uint64_t a, uint64_t b, int rm);
uint64_t rv_fdiv_d(rv_cpu *cpu, uint64_t a, uint64_t b, int rm);
uint64_t rv_fsqrt_d(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fmadd_d(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm);
uint64_t rv_fmsub_d(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm);
uint64_t rv_fnmsub_d(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm);
uint64_t rv_fnmadd_d(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm);

/* Sign injection (no flags). */
uint64_t rv_fsgnj_s(uint64_t a, uint64_t b);
uint64_t rv_fsgnjn_s(uint64_t a, uint64_t b);
uint64_t rv_fsgnjx_s(uint64_t a, uint64_t b);
uint64_t rv_fsgnj_d(uint64_t a, uint64_t b);
uint64_t rv_fsgnjn_d(uint64_t a, uint64_t b);
uint64_t rv_fsgnjx_d(uint64_t a, uint64_t b);

/* fmin/fmax (IEEE 754-2019 minimumNumber/maximumNumber, -0 < +0). */
uint64_t rv_fmin_s(rv_cpu *cpu, uint64_t a, uint64_t b);
uint64_t rv_fmax_s(rv_cpu *cpu, uint64_t a, uint64_t b);
uint64_t rv_fmin_d(rv_cpu *cpu, uint64_t a, uint64_t b);
uint64_t rv_fmax_d(rv_cpu *cpu, uint64_t a, uint64_t b);

/* Comparisons: 0 or 1 (feq quiet, flt/fle signaling). */
uint64_t rv_feq_s(rv_cpu *cpu, uint64_t a, uint64_t b);
uint64_t rv_flt_s(rv_cpu *cpu, uint64_t a, uint64_t b);
uint64_t rv_fle_s(rv_cpu *cpu, uint64_t a, uint64_t b);
uint64_t rv_feq_d(rv_cpu *cpu, uint64_t a, uint64_t b);
uint64_t rv_flt_d(rv_cpu *cpu, uint64_t a, uint64_t b);
uint64_t rv_fle_d(rv_cpu *cpu, uint64_t a, uint64_t b);

/* fclass: the 10-bit class mask. */
uint64_t rv_fclass_s(uint64_t a);
uint64_t rv_fclass_d(uint64_t a);

/* Float -> integer (saturating, NV on NaN/overflow, NX when inexact).
 * 32-bit results are sign-extended to 64 bits, as the ISA writes them. */
uint64_t rv_fcvt_w_s(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_wu_s(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_l_s(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_lu_s(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_w_d(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_wu_d(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_l_d(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_lu_d(rv_cpu *cpu, uint64_t a, int rm);

/* Integer -> float (x is the integer register value). */
uint64_t rv_fcvt_s_w(rv_cpu *cpu, uint64_t x, int rm);
uint64_t rv_fcvt_s_wu(rv_cpu *cpu, uint64_t x, int rm);
uint64_t rv_fcvt_s_l(rv_cpu *cpu, uint64_t x, int rm);
uint64_t rv_fcvt_s_lu(rv_cpu *cpu, uint64_t x, int rm);
uint64_t rv_fcvt_d_w(rv_cpu *cpu, uint64_t x, int rm);
uint64_t rv_fcvt_d_wu(rv_cpu *cpu, uint64_t x, int rm);
uint64_t rv_fcvt_d_l(rv_cpu *cpu, uint64_t x, int rm);
uint64_t rv_fcvt_d_lu(rv_cpu *cpu, uint64_t x, int rm);

/* Between formats. */
uint64_t rv_fcvt_s_d(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_d_s(rv_cpu *cpu, uint64_t a, int rm);

/* Zfh: "_h" values are NaN-boxed halves (an improperly boxed input counts
 * as the canonical NaN); the same operations as "_s" / "_d" above. */
uint64_t rv_fadd_h(rv_cpu *cpu, uint64_t a, uint64_t b, int rm);
uint64_t rv_fsub_h(rv_cpu *cpu, uint64_t a, uint64_t b, int rm);
uint64_t rv_fmul_h(rv_cpu *cpu, uint64_t a, uint64_t b, int rm);
uint64_t rv_fdiv_h(rv_cpu *cpu, uint64_t a, uint64_t b, int rm);
uint64_t rv_fsqrt_h(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fmadd_h(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm);
uint64_t rv_fmsub_h(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm);
uint64_t rv_fnmsub_h(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm);
uint64_t rv_fnmadd_h(rv_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, int rm);
uint64_t rv_fsgnj_h(uint64_t a, uint64_t b);
uint64_t rv_fsgnjn_h(uint64_t a, uint64_t b);
uint64_t rv_fsgnjx_h(uint64_t a, uint64_t b);
uint64_t rv_fmin_h(rv_cpu *cpu, uint64_t a, uint64_t b);
uint64_t rv_fmax_h(rv_cpu *cpu, uint64_t a, uint64_t b);
uint64_t rv_feq_h(rv_cpu *cpu, uint64_t a, uint64_t b);
uint64_t rv_flt_h(rv_cpu *cpu, uint64_t a, uint64_t b);
uint64_t rv_fle_h(rv_cpu *cpu, uint64_t a, uint64_t b);
uint64_t rv_fclass_h(uint64_t a);
uint64_t rv_fcvt_w_h(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_wu_h(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_l_h(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_lu_h(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_h_w(rv_cpu *cpu, uint64_t x, int rm);
uint64_t rv_fcvt_h_wu(rv_cpu *cpu, uint64_t x, int rm);
uint64_t rv_fcvt_h_l(rv_cpu *cpu, uint64_t x, int rm);
uint64_t rv_fcvt_h_lu(rv_cpu *cpu, uint64_t x, int rm);
/* Zfhmin: half <-> single / double. */
uint64_t rv_fcvt_s_h(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_h_s(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_d_h(rv_cpu *cpu, uint64_t a, int rm);
uint64_t rv_fcvt_h_d(rv_cpu *cpu, uint64_t a, int rm);
/* fmv.x.h sign-extends the low 16 bits; fmv.h.x NaN-boxes. */
static inline uint64_t rv_fmv_x_h(uint64_t a) { return (uint64_t)(int64_t)(int16_t)(uint16_t)a; }
static inline uint64_t rv_fmv_h_x(uint64_t x) { return RV_BOX_H(x); }

/* Moves: fmv.x.w sign-extends the low 32 bits; fmv.w.x NaN-boxes. */
static inline uint64_t rv_fmv_x_w(uint64_t a) { return (uint64_t)(int64_t)(int32_t)(uint32_t)a; }
static inline uint64_t rv_fmv_w_x(uint64_t x) { return RV_BOX_S(x); }

#endif
