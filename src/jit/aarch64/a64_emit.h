/* AArch64 instruction encoder used by the AArch64 backend.
 *
 * Instructions (32-bit words) are written at `p`, a pointer into the RW
 * view of the code buffer; `diff` (rw - rx) turns it into the RX address the
 * code runs at, which pc-relative branches are computed against (both views
 * share the distances, so a branch within the buffer needs only RW
 * addresses). Writing past `end` sets `overflow` instead (the translation is
 * then retried after a flush), so callers never check space per word. */
#ifndef SPLITVM_JIT_A64_EMIT_H
#define SPLITVM_JIT_A64_EMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Register 31 is the zero register in data processing, sp as a base. */
enum { XZR = 31, SP = 31 };

/* Condition codes. */
enum { A_EQ, A_NE, A_HS, A_LO, A_MI, A_PL, A_VS, A_VC, A_HI, A_LS, A_GE, A_LT, A_GT, A_LE };

typedef struct a64_buf {
    uint8_t *p;    /* next word, RW view */
    uint8_t *end;  /* end of the room, RW view */
    intptr_t diff; /* rw - rx */
    bool overflow;
} a64_buf;

static inline void a64_word(a64_buf *b, uint32_t w)
{
    if (b->p + 4 > b->end) {
        b->overflow = true;
        return;
    }
    memcpy(b->p, &w, 4);
    b->p += 4;
}

static inline uintptr_t a64_here(const a64_buf *b) { return (uintptr_t)b->p - (uintptr_t)b->diff; }

/* ---- moves and immediates ---- */
static inline void a64_mov_rr(a64_buf *b, int d, int s) { a64_word(b, 0xAA0003E0u | (uint32_t)s << 16 | (uint32_t)d); }

/* d = imm (movz/movn + movk for the non-trivial halfwords). */
static inline void a64_mov_ri(a64_buf *b, int d, uint64_t imm)
{
    int ones = 0, zeros = 0;
    for (int k = 0; k < 4; k++) {
        uint16_t h = (uint16_t)(imm >> (16 * k));
        ones += h == 0xFFFF;
        zeros += h == 0;
    }
    bool inv = ones > zeros; /* start from all ones (movn) */
    uint16_t fill = inv ? 0xFFFF : 0;
    bool first = true;
    for (int k = 0; k < 4; k++) {
        uint16_t h = (uint16_t)(imm >> (16 * k));
        if (h == fill && !(k == 3 && first))
            continue;
        if (first)
            a64_word(b, (inv ? 0x92800000u : 0xD2800000u) | (uint32_t)k << 21 |
                            (uint32_t)(inv ? (uint16_t)~h : h) << 5 | (uint32_t)d);
        else
            a64_word(b, 0xF2800000u | (uint32_t)k << 21 | (uint32_t)h << 5 | (uint32_t)d);
        first = false;
    }
}

/* ---- data processing (sf: 1 = 64-bit, 0 = 32-bit) ---- */
/* Register forms: ADD SUB ADDS SUBS AND BIC ORR ORN EOR EON (shift 0). */
enum {
    A_ADD = 0x8B000000u, A_SUB = 0xCB000000u, A_ADDS = 0xAB000000u, A_SUBS = 0xEB000000u,
    A_AND = 0x8A000000u, A_BIC = 0x8A200000u, A_ORR = 0xAA000000u, A_ORN = 0xAA200000u,
    A_EOR = 0xCA000000u, A_EON = 0xCA200000u,
    A_LSLV = 0x9AC02000u, A_LSRV = 0x9AC02400u, A_ASRV = 0x9AC02800u, A_RORV = 0x9AC02C00u,
    A_SMULH = 0x9B407C00u, A_UMULH = 0x9BC07C00u, A_MUL = 0x9B007C00u,
};
static inline void a64_rrr(a64_buf *b, uint32_t op, int sf, int d, int n, int m)
{
    a64_word(b, (sf ? op : op & 0x7FFFFFFFu) | (uint32_t)m << 16 | (uint32_t)n << 5 | (uint32_t)d);
}
/* The register form with the second source shifted left by `sh`. */
static inline void a64_rrr_lsl(a64_buf *b, uint32_t op, int d, int n, int m, int sh)
{
    a64_word(b, op | (uint32_t)m << 16 | (uint32_t)sh << 10 | (uint32_t)n << 5 | (uint32_t)d);
}
static inline void a64_cmp_rr(a64_buf *b, int n, int m) { a64_rrr(b, A_SUBS, 1, XZR, n, m); }

/* ADD / SUB / SUBS (immediate, 0..4095; sp allowed as n and d except SUBS d). */
static inline void a64_add_ri(a64_buf *b, int d, int n, uint32_t imm) { a64_word(b, 0x91000000u | imm << 10 | (uint32_t)n << 5 | (uint32_t)d); }
static inline void a64_sub_ri(a64_buf *b, int d, int n, uint32_t imm) { a64_word(b, 0xD1000000u | imm << 10 | (uint32_t)n << 5 | (uint32_t)d); }
static inline void a64_cmp_ri(a64_buf *b, int n, uint32_t imm) { a64_word(b, 0xF1000000u | imm << 10 | (uint32_t)n << 5 | XZR); }

/* d = cond ? n : m */
static inline void a64_csel(a64_buf *b, int d, int n, int m, int cond)
{
    a64_word(b, 0x9A800000u | (uint32_t)m << 16 | (uint32_t)cond << 12 | (uint32_t)n << 5 | (uint32_t)d);
}
/* d = cond ? 1 : 0 (csinc d, xzr, xzr, !cond) */
static inline void a64_cset(a64_buf *b, int d, int cond)
{
    a64_word(b, 0x9A9F07E0u | (uint32_t)(cond ^ 1) << 12 | (uint32_t)d);
}

/* Bitfield moves (64-bit): SBFM / UBFM d, n, #immr, #imms. */
static inline void a64_sbfm(a64_buf *b, int d, int n, int immr, int imms)
{
    a64_word(b, 0x93400000u | (uint32_t)immr << 16 | (uint32_t)imms << 10 | (uint32_t)n << 5 | (uint32_t)d);
}
static inline void a64_ubfm(a64_buf *b, int d, int n, int immr, int imms)
{
    a64_word(b, 0xD3400000u | (uint32_t)immr << 16 | (uint32_t)imms << 10 | (uint32_t)n << 5 | (uint32_t)d);
}
static inline void a64_sxtw(a64_buf *b, int d, int n) { a64_sbfm(b, d, n, 0, 31); }
static inline void a64_lsr_ri(a64_buf *b, int d, int n, int sh) { a64_ubfm(b, d, n, sh, 63); }
static inline void a64_lsl_ri(a64_buf *b, int d, int n, int sh) { a64_ubfm(b, d, n, (64 - sh) & 63, 63 - sh); }

/* One-source operations: CLZ RBIT REV (sf as above). */
enum { A_CLZ = 0xDAC01000u, A_RBIT = 0xDAC00000u, A_REV = 0xDAC00C00u };
static inline void a64_rr(a64_buf *b, uint32_t op, int sf, int d, int n)
{
    a64_word(b, (sf ? op : (op & 0x7FFFFFFFu) & ~0x400u) | (uint32_t)n << 5 | (uint32_t)d);
}

/* ---- loads and stores ---- */
/* Unsigned-offset forms; the offset is scaled by the access size. */
enum {
    A_LDRB = 0x39400000u, A_LDRH = 0x79400000u, A_LDRW = 0xB9400000u, A_LDRX = 0xF9400000u,
    A_LDRSB = 0x39800000u, A_LDRSH = 0x79800000u, A_LDRSW = 0xB9800000u,
    A_STRB = 0x39000000u, A_STRH = 0x79000000u, A_STRW = 0xB9000000u, A_STRX = 0xF9000000u,
};
/* Access size in bytes of a load/store opcode above. */
static inline unsigned a64_ls_size(uint32_t op) { return 1u << (op >> 30); }
static inline bool a64_ls_fits(uint32_t op, uint64_t off)
{
    unsigned sz = a64_ls_size(op);
    return off % sz == 0 && off / sz < 4096;
}
static inline void a64_ls(a64_buf *b, uint32_t op, int t, int n, uint64_t off)
{
    a64_word(b, op | (uint32_t)(off / a64_ls_size(op)) << 10 | (uint32_t)n << 5 | (uint32_t)t);
}
/* [n + m] (register offset, unscaled). */
static inline void a64_ls_rr(a64_buf *b, uint32_t op, int t, int n, int m)
{
    a64_word(b, (op & ~0x01000000u) | 0x00206800u | (uint32_t)m << 16 | (uint32_t)n << 5 | (uint32_t)t);
}
/* Integer load opcode for `size` bytes, sign-extended to 64 bits or not. */
static inline uint32_t a64_load_op(int size, bool sign)
{
    switch (size) {
    case 1: return sign ? A_LDRSB : A_LDRB;
    case 2: return sign ? A_LDRSH : A_LDRH;
    case 4: return sign ? A_LDRSW : A_LDRW;
    default: return A_LDRX;
    }
}
static inline uint32_t a64_store_op(int size)
{
    switch (size) {
    case 1: return A_STRB;
    case 2: return A_STRH;
    case 4: return A_STRW;
    default: return A_STRX;
    }
}
/* STP / LDP of 64-bit registers: pre-indexed push, post-indexed pop, and
 * the signed-offset forms. */
static inline void a64_stp_pre(a64_buf *b, int t1, int t2, int n, int off)
{
    a64_word(b, 0xA9800000u | ((uint32_t)(off / 8) & 0x7F) << 15 | (uint32_t)t2 << 10 | (uint32_t)n << 5 | (uint32_t)t1);
}
static inline void a64_ldp_post(a64_buf *b, int t1, int t2, int n, int off)
{
    a64_word(b, 0xA8C00000u | ((uint32_t)(off / 8) & 0x7F) << 15 | (uint32_t)t2 << 10 | (uint32_t)n << 5 | (uint32_t)t1);
}
static inline void a64_stp(a64_buf *b, int t1, int t2, int n, int off)
{
    a64_word(b, 0xA9000000u | ((uint32_t)(off / 8) & 0x7F) << 15 | (uint32_t)t2 << 10 | (uint32_t)n << 5 | (uint32_t)t1);
}
static inline void a64_ldp(a64_buf *b, int t1, int t2, int n, int off)
{
    a64_word(b, 0xA9400000u | ((uint32_t)(off / 8) & 0x7F) << 15 | (uint32_t)t2 << 10 | (uint32_t)n << 5 | (uint32_t)t1);
}
/* LDR (literal), 64-bit: t = the doubleword at the RW address `lit`. */
static inline void a64_ldr_lit(a64_buf *b, int t, const uint8_t *lit)
{
    int64_t off = (lit - b->p) / 4;
    a64_word(b, 0x58000000u | ((uint32_t)off & 0x7FFFF) << 5 | (uint32_t)t);
}

/* ---- branches ---- */
/* Branch words are patched once their target is known; the patchers take
 * RW addresses of both the branch and the target (same distances as RX). */
static inline uint8_t *a64_b(a64_buf *b)
{
    uint8_t *at = b->p;
    a64_word(b, 0x14000000u);
    return at;
}
static inline uint8_t *a64_bcond(a64_buf *b, int cond)
{
    uint8_t *at = b->p;
    a64_word(b, 0x54000000u | (uint32_t)cond);
    return at;
}
/* CBZ / CBNZ (64-bit). */
static inline uint8_t *a64_cbz(a64_buf *b, bool nz, int t)
{
    uint8_t *at = b->p;
    a64_word(b, (nz ? 0xB5000000u : 0xB4000000u) | (uint32_t)t);
    return at;
}
static inline bool a64_b_reaches(int64_t off) { return off >= -((int64_t)1 << 27) && off < ((int64_t)1 << 27); }
/* Point the branch at `at` (RW) to `to` (RW or, with the same diff, RX of
 * the same buffer: only the distance counts). Unconditional B: 26-bit
 * word offset; B.cond / CBZ: 19-bit. */
static inline void a64_patch(a64_buf *b, uint8_t *at, const uint8_t *to)
{
    if (!at || b->overflow) /* (an overflowing buffer is thrown away) */
        return;
    int64_t off = (to - at) / 4;
    uint32_t w;
    memcpy(&w, at, 4);
    if ((w & 0xFC000000u) == 0x14000000u) {
        if (!a64_b_reaches((to - at)))
            b->overflow = true;
        w = (w & 0xFC000000u) | ((uint32_t)off & 0x3FFFFFF);
    } else {
        if (off < -(1 << 18) || off >= (1 << 18))
            b->overflow = true;
        w = (w & 0xFF00001Fu) | ((uint32_t)off & 0x7FFFF) << 5;
    }
    memcpy(at, &w, 4);
}
/* B to an RX address (a trampoline). */
static inline void a64_b_to(a64_buf *b, uintptr_t rx)
{
    int64_t off = (int64_t)(rx - a64_here(b));
    if (!a64_b_reaches(off))
        b->overflow = true;
    a64_word(b, 0x14000000u | ((uint32_t)(off / 4) & 0x3FFFFFF));
}
static inline void a64_bcond_to(a64_buf *b, int cond, uintptr_t rx)
{
    int64_t off = (int64_t)(rx - a64_here(b)) / 4;
    if (off < -(1 << 18) || off >= (1 << 18))
        b->overflow = true;
    a64_word(b, 0x54000000u | ((uint32_t)off & 0x7FFFF) << 5 | (uint32_t)cond);
}
static inline void a64_br(a64_buf *b, int n) { a64_word(b, 0xD61F0000u | (uint32_t)n << 5); }
static inline void a64_blr(a64_buf *b, int n) { a64_word(b, 0xD63F0000u | (uint32_t)n << 5); }
static inline void a64_ret(a64_buf *b) { a64_word(b, 0xD65F03C0u); }

#endif
