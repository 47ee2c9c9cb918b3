/* x86-64 instruction encoder used by the x86-64 backend.
 *
 * Bytes are written at `p`, a pointer into the RW view of the code buffer;
 * `diff` (rw - rx) turns it into the RX address the code will run at, which
 * is what rip-relative displacements are computed against. Writing past
 * `end` sets `overflow` instead (the translation is then retried after a
 * flush), so callers never check space per instruction. */
#ifndef SPLITVM_JIT_X86_EMIT_H
#define SPLITVM_JIT_X86_EMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum {
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15
};

/* Condition codes (the low nibble of jcc / setcc / cmovcc). */
enum {
    CC_O = 0, CC_NO = 1, CC_B = 2, CC_AE = 3, CC_E = 4, CC_NE = 5, CC_BE = 6, CC_A = 7,
    CC_S = 8, CC_NS = 9, CC_L = 12, CC_GE = 13, CC_LE = 14, CC_G = 15
};

/* Group-1 ALU operations (the /n of 0x81 and the base of the rr forms). */
enum { ALU_ADD = 0, ALU_OR = 1, ALU_AND = 4, ALU_SUB = 5, ALU_XOR = 6, ALU_CMP = 7 };
/* Group-2 shifts (/n of 0xC1 / 0xD3). */
enum { SH_ROL = 0, SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 };

typedef struct x86_buf {
    uint8_t *p;     /* next byte, RW view */
    uint8_t *end;   /* end of the room, RW view */
    intptr_t diff;  /* rw - rx */
    bool overflow;
} x86_buf;

/* A memory operand [base + disp], or [base + index + disp] when index1
 * (the index register + 1; 0 = none, so {base, disp} literals have none). */
typedef struct x86_mem {
    int base;
    int32_t disp;
    int index1;
} x86_mem;

static inline x86_mem x86_at(int base, int32_t disp) { return (x86_mem){base, disp, 0}; }
static inline x86_mem x86_at_index(int base, int index, int32_t disp) { return (x86_mem){base, disp, index + 1}; }

static inline void x86_byte(x86_buf *b, uint8_t v)
{
    if (b->p < b->end)
        *b->p++ = v;
    else
        b->overflow = true;
}

static inline void x86_u32(x86_buf *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        x86_byte(b, (uint8_t)(v >> (8 * i)));
}

static inline void x86_u64(x86_buf *b, uint64_t v)
{
    x86_u32(b, (uint32_t)v);
    x86_u32(b, (uint32_t)(v >> 32));
}

/* RX address of the next byte. */
static inline uintptr_t x86_here(const x86_buf *b) { return (uintptr_t)b->p - (uintptr_t)b->diff; }

/* REX prefix: w = 64-bit operand, r/x/b extend the reg, index and base fields.
 * `force` emits it even when empty (byte access to sil/dil/spl/bpl). */
static inline void x86_rex(x86_buf *b, int w, int reg, int index, int base, bool force)
{
    uint8_t rex = (uint8_t)(0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) | ((index & 8) ? 2 : 0) |
                            ((base & 8) ? 1 : 0));
    if (rex != 0x40 || force)
        x86_byte(b, rex);
}

/* ModRM (+SIB, disp) for the memory operand with `reg` in the reg field. */
static inline void x86_modrm_mem(x86_buf *b, int reg, x86_mem m)
{
    int base = m.base & 7;
    int mod = m.disp == 0 && base != RBP ? 0 : (m.disp >= -128 && m.disp <= 127 ? 1 : 2);
    x86_byte(b, (uint8_t)((mod << 6) | ((reg & 7) << 3) | (m.index1 ? RSP : base)));
    if (m.index1) /* the index may not be rsp */
        x86_byte(b, (uint8_t)((((m.index1 - 1) & 7) << 3) | base)); /* SIB, scale 1 */
    else if (base == RSP)
        x86_byte(b, 0x24); /* SIB: no index, base rsp/r12 */
    if (mod == 1)
        x86_byte(b, (uint8_t)m.disp);
    else if (mod == 2)
        x86_u32(b, (uint32_t)m.disp);
}

static inline void x86_modrm_reg(x86_buf *b, int reg, int rm)
{
    x86_byte(b, (uint8_t)(0xC0 | ((reg & 7) << 3) | (rm & 7)));
}

/* Opcode bytes: 1 to 3 (0x0F-prefixed forms pass 0x0Fxx as 2 bytes). */
static inline void x86_opcode(x86_buf *b, uint32_t op)
{
    if (op > 0xFFFF)
        x86_byte(b, (uint8_t)(op >> 16));
    if (op > 0xFF)
        x86_byte(b, (uint8_t)(op >> 8));
    x86_byte(b, (uint8_t)op);
}

/* op reg, rm (register form). `w`: 64-bit. `bytereg`: rm/reg used as 8-bit. */
static inline void x86_op_rr(x86_buf *b, int w, uint32_t op, int reg, int rm, bool bytereg)
{
    x86_rex(b, w, reg, 0, rm, bytereg && (reg >= 4 || rm >= 4));
    x86_opcode(b, op);
    x86_modrm_reg(b, reg, rm);
}

static inline void x86_op_rm(x86_buf *b, int w, uint32_t op, int reg, x86_mem m, bool bytereg)
{
    x86_rex(b, w, reg, m.index1 ? m.index1 - 1 : 0, m.base, bytereg && reg >= 4);
    x86_opcode(b, op);
    x86_modrm_mem(b, reg, m);
}

/* ---- moves ---- */
static inline void x86_mov_rr(x86_buf *b, int dst, int src)
{
    if (dst != src)
        x86_op_rr(b, 1, 0x89, src, dst, false);
}
static inline void x86_mov_rr32(x86_buf *b, int dst, int src) { x86_op_rr(b, 0, 0x89, src, dst, false); }
static inline void x86_load64(x86_buf *b, int dst, x86_mem m) { x86_op_rm(b, 1, 0x8B, dst, m, false); }
static inline void x86_store64(x86_buf *b, x86_mem m, int src) { x86_op_rm(b, 1, 0x89, src, m, false); }

/* Load of `size` bytes, sign- or zero-extended to 64 bits. */
static inline void x86_load_ext(x86_buf *b, int dst, x86_mem m, int size, bool sign)
{
    switch (size) {
    case 1: x86_op_rm(b, 1, sign ? 0x0FBE : 0x0FB6, dst, m, false); break;
    case 2: x86_op_rm(b, 1, sign ? 0x0FBF : 0x0FB7, dst, m, false); break;
    case 4:
        if (sign)
            x86_op_rm(b, 1, 0x63, dst, m, false); /* movsxd */
        else
            x86_op_rm(b, 0, 0x8B, dst, m, false); /* mov r32 zero-extends */
        break;
    default: x86_load64(b, dst, m); break;
    }
}

static inline void x86_store_sized(x86_buf *b, x86_mem m, int src, int size)
{
    switch (size) {
    case 1: x86_op_rm(b, 0, 0x88, src, m, true); break;
    case 2: x86_byte(b, 0x66); x86_op_rm(b, 0, 0x89, src, m, false); break;
    case 4: x86_op_rm(b, 0, 0x89, src, m, false); break;
    default: x86_store64(b, m, src); break;
    }
}

/* dst = imm, in the shortest form. */
static inline void x86_mov_ri(x86_buf *b, int dst, uint64_t imm)
{
    if (imm == 0) {
        x86_op_rr(b, 0, 0x31, dst, dst, false); /* xor r32, r32 */
    } else if (imm <= 0xFFFFFFFFu) {
        x86_rex(b, 0, 0, 0, dst, false);
        x86_byte(b, (uint8_t)(0xB8 + (dst & 7)));
        x86_u32(b, (uint32_t)imm);
    } else if ((int64_t)imm >= INT32_MIN && (int64_t)imm <= INT32_MAX) {
        x86_rex(b, 1, 0, 0, dst, false);
        x86_byte(b, 0xC7);
        x86_modrm_reg(b, 0, dst);
        x86_u32(b, (uint32_t)imm);
    } else {
        x86_rex(b, 1, 0, 0, dst, false);
        x86_byte(b, (uint8_t)(0xB8 + (dst & 7)));
        x86_u64(b, imm);
    }
}

/* [m] = simm32 sign-extended to 64 bits. */
static inline void x86_store64_imm(x86_buf *b, x86_mem m, int32_t imm)
{
    x86_op_rm(b, 1, 0xC7, 0, m, false);
    x86_u32(b, (uint32_t)imm);
}

static inline void x86_lea(x86_buf *b, int dst, x86_mem m) { x86_op_rm(b, 1, 0x8D, dst, m, false); }

/* ---- ALU ---- */
static inline void x86_alu_rr(x86_buf *b, int w, int alu, int dst, int src)
{
    x86_op_rr(b, w, (uint32_t)(alu << 3 | 1), src, dst, false);
}
static inline void x86_alu_rm(x86_buf *b, int w, int alu, int dst, x86_mem m)
{
    x86_op_rm(b, w, (uint32_t)(alu << 3 | 3), dst, m, false);
}
static inline void x86_alu_ri(x86_buf *b, int w, int alu, int dst, int32_t imm)
{
    if (imm >= -128 && imm <= 127) {
        x86_op_rr(b, w, 0x83, alu, dst, false);
        x86_byte(b, (uint8_t)imm);
    } else {
        x86_op_rr(b, w, 0x81, alu, dst, false);
        x86_u32(b, (uint32_t)imm);
    }
}
static inline void x86_alu_mi(x86_buf *b, int w, int alu, x86_mem m, int32_t imm)
{
    if (imm >= -128 && imm <= 127) {
        x86_op_rm(b, w, 0x83, alu, m, false);
        x86_byte(b, (uint8_t)imm);
    } else {
        x86_op_rm(b, w, 0x81, alu, m, false);
        x86_u32(b, (uint32_t)imm);
    }
}
static inline void x86_alu_mr(x86_buf *b, int w, int alu, x86_mem m, int src)
{
    x86_op_rm(b, w, (uint32_t)(alu << 3 | 1), src, m, false);
}
static inline void x86_test_rr(x86_buf *b, int w, int a, int c) { x86_op_rr(b, w, 0x85, c, a, false); }
static inline void x86_test_ri32(x86_buf *b, int r, uint32_t imm)
{
    x86_op_rr(b, 0, 0xF7, 0, r, false);
    x86_u32(b, imm);
}
static inline void x86_test_mi32(x86_buf *b, x86_mem m, uint32_t imm)
{
    x86_op_rm(b, 0, 0xF7, 0, m, false);
    x86_u32(b, imm);
}

static inline void x86_shift_ri(x86_buf *b, int w, int sh, int dst, uint8_t n)
{
    x86_op_rr(b, w, 0xC1, sh, dst, false);
    x86_byte(b, n);
}
static inline void x86_shift_cl(x86_buf *b, int w, int sh, int dst) { x86_op_rr(b, w, 0xD3, sh, dst, false); }

/* ---- BMI1/BMI2 (andn, three-operand shifts; callers check the host has them) ---- */
/* 3-byte VEX prefix and opcode: `map` 2 = 0F38, 3 = 0F3A; `pp` 1 = 66,
 * 2 = F3, 3 = F2; `vvvv` the extra source register (0 when unused). */
static inline void x86_vex(x86_buf *b, int w, int map, int pp, uint8_t op, int reg, int vvvv, int index, int base)
{
    x86_byte(b, 0xC4);
    x86_byte(b, (uint8_t)(((reg & 8) ? 0 : 0x80) | ((index & 8) ? 0 : 0x40) | ((base & 8) ? 0 : 0x20) | map));
    x86_byte(b, (uint8_t)((w ? 0x80 : 0) | ((~vvvv & 15) << 3) | pp));
    x86_byte(b, op);
}
/* rorx dst, src, n: dst = src rotated right by n, src untouched. */
static inline void x86_rorx_rr(x86_buf *b, int w, int dst, int src, uint8_t n)
{
    x86_vex(b, w, 3, 3, 0xF0, dst, 0, 0, src);
    x86_modrm_reg(b, dst, src);
    x86_byte(b, n);
}
static inline void x86_rorx_rm(x86_buf *b, int w, int dst, x86_mem m, uint8_t n)
{
    x86_vex(b, w, 3, 3, 0xF0, dst, 0, m.index1 ? m.index1 - 1 : 0, m.base);
    x86_modrm_mem(b, dst, m);
    x86_byte(b, n);
}
/* andn dst, inv, src: dst = ~inv & src (64 bits). */
static inline void x86_andn_rr(x86_buf *b, int dst, int inv, int src)
{
    x86_vex(b, 1, 2, 0, 0xF2, dst, inv, 0, src);
    x86_modrm_reg(b, dst, src);
}
static inline void x86_andn_rm(x86_buf *b, int dst, int inv, x86_mem m)
{
    x86_vex(b, 1, 2, 0, 0xF2, dst, inv, m.index1 ? m.index1 - 1 : 0, m.base);
    x86_modrm_mem(b, dst, m);
}
/* shlx / shrx / sarx dst, src, count (`sh` an SH_ code; the count any register). */
static inline int x86_shiftx_pp(int sh) { return sh == SH_SHL ? 1 : sh == SH_SAR ? 2 : 3; }
static inline void x86_shiftx_rr(x86_buf *b, int w, int sh, int dst, int src, int count)
{
    x86_vex(b, w, 2, x86_shiftx_pp(sh), 0xF7, dst, count, 0, src);
    x86_modrm_reg(b, dst, src);
}
static inline void x86_shiftx_rm(x86_buf *b, int w, int sh, int dst, x86_mem m, int count)
{
    x86_vex(b, w, 2, x86_shiftx_pp(sh), 0xF7, dst, count, m.index1 ? m.index1 - 1 : 0, m.base);
    x86_modrm_mem(b, dst, m);
}

static inline void x86_imul_rr(x86_buf *b, int w, int dst, int src) { x86_op_rr(b, w, 0x0FAF, dst, src, false); }
/* rdx:rax = rax * src (signed: imul, unsigned: mul). */
static inline void x86_mul_wide(x86_buf *b, int src, bool sign) { x86_op_rr(b, 1, 0xF7, sign ? 5 : 4, src, false); }
static inline void x86_neg(x86_buf *b, int w, int r) { x86_op_rr(b, w, 0xF7, 3, r, false); }
static inline void x86_not(x86_buf *b, int w, int r) { x86_op_rr(b, w, 0xF7, 2, r, false); }
static inline void x86_movsx(x86_buf *b, int dst, int src, int size)
{
    if (size == 1)
        x86_op_rr(b, 1, 0x0FBE, dst, src, true);
    else if (size == 2)
        x86_op_rr(b, 1, 0x0FBF, dst, src, false);
    else
        x86_op_rr(b, 1, 0x63, dst, src, false);
}
static inline void x86_movzx(x86_buf *b, int dst, int src, int size)
{
    if (size == 1)
        x86_op_rr(b, 0, 0x0FB6, dst, src, true);
    else if (size == 2)
        x86_op_rr(b, 0, 0x0FB7, dst, src, false);
    else
        x86_mov_rr32(b, dst, src);
}
/* F3 0F xx: lzcnt (BD), tzcnt (BC), popcnt (B8). */
static inline void x86_bitcount(x86_buf *b, int w, uint8_t op, int dst, int src)
{
    x86_byte(b, 0xF3);
    x86_op_rr(b, w, 0x0F00u | op, dst, src, false);
}
static inline void x86_bswap(x86_buf *b, int r)
{
    x86_rex(b, 1, 0, 0, r, false);
    x86_byte(b, 0x0F);
    x86_byte(b, (uint8_t)(0xC8 + (r & 7)));
}
static inline void x86_setcc(x86_buf *b, int cc, int dst) { x86_op_rr(b, 0, 0x0F90u | (unsigned)cc, 0, dst, true); }
static inline void x86_cmov(x86_buf *b, int w, int cc, int dst, int src)
{
    x86_op_rr(b, w, 0x0F40u | (unsigned)cc, dst, src, false);
}

/* ---- control flow ---- */
/* Jumps with a rel32 to patch later: return the RW address of the rel32. */
static inline uint8_t *x86_jmp32(x86_buf *b)
{
    x86_byte(b, 0xE9);
    uint8_t *at = b->p;
    x86_u32(b, 0);
    return at;
}
static inline uint8_t *x86_jcc32(x86_buf *b, int cc)
{
    x86_byte(b, 0x0F);
    x86_byte(b, (uint8_t)(0x80 | cc));
    uint8_t *at = b->p;
    x86_u32(b, 0);
    return at;
}
/* Point the rel32 at RW address `at` (its jump ends right after it) to the
 * RX address `target`. Writes through the RW view only. */
static inline void x86_patch_rel32(x86_buf *b, uint8_t *at, uintptr_t target)
{
    if (!at || at + 4 > b->end)
        return;
    uintptr_t next_rx = (uintptr_t)(at + 4) - (uintptr_t)b->diff;
    int32_t rel = (int32_t)((intptr_t)target - (intptr_t)next_rx);
    memcpy(at, &rel, 4);
}
static inline void x86_jmp_to(x86_buf *b, uintptr_t target) { x86_patch_rel32(b, x86_jmp32(b), target); }
static inline void x86_jcc_to(x86_buf *b, int cc, uintptr_t target) { x86_patch_rel32(b, x86_jcc32(b, cc), target); }

/* A jump to a known target: rel8 where it reaches (2 bytes instead of 5,
 * or 6 for a jcc), rel32 otherwise. */
static inline void x86_jmp_near(x86_buf *b, uintptr_t target)
{
    intptr_t d = (intptr_t)target - (intptr_t)(x86_here(b) + 2);
    if (d < -128 || d > 127) {
        x86_jmp_to(b, target);
        return;
    }
    x86_byte(b, 0xEB);
    x86_byte(b, (uint8_t)(int8_t)d);
}

/* A forward jcc over code known to be shorter than 128 bytes: returns the
 * RW address of its rel8, for x86_patch_rel8 to point at the next byte. */
static inline uint8_t *x86_jcc8(x86_buf *b, int cc)
{
    x86_byte(b, (uint8_t)(0x70 | cc));
    uint8_t *at = b->p;
    x86_byte(b, 0);
    return at;
}
static inline void x86_patch_rel8(x86_buf *b, uint8_t *at)
{
    ptrdiff_t d = b->p - (at + 1);
    if (d > 127) /* cannot happen where it is used: fixed, short code */
        b->overflow = true;
    else if (at < b->end)
        *at = (uint8_t)d;
}

static inline bool x86_rel32_ok(const x86_buf *b, uintptr_t target)
{
    intptr_t d = (intptr_t)target - (intptr_t)(x86_here(b) + 5);
    return d >= INT32_MIN && d <= INT32_MAX;
}

/* Call an absolute host function (clobbers rax when out of rel32 range). */
static inline void x86_call(x86_buf *b, const void *fn)
{
    uintptr_t t = (uintptr_t)fn;
    if (x86_rel32_ok(b, t)) {
        x86_byte(b, 0xE8);
        uint8_t *at = b->p;
        x86_u32(b, 0);
        x86_patch_rel32(b, at, t);
    } else {
        x86_mov_ri(b, RAX, t);
        x86_op_rr(b, 0, 0xFF, 2, RAX, false);
    }
}
static inline void x86_jmp_mem(x86_buf *b, x86_mem m) { x86_op_rm(b, 0, 0xFF, 4, m, false); }
static inline void x86_push(x86_buf *b, int r)
{
    x86_rex(b, 0, 0, 0, r, false);
    x86_byte(b, (uint8_t)(0x50 + (r & 7)));
}
static inline void x86_pop(x86_buf *b, int r)
{
    x86_rex(b, 0, 0, 0, r, false);
    x86_byte(b, (uint8_t)(0x58 + (r & 7)));
}
static inline void x86_ret(x86_buf *b) { x86_byte(b, 0xC3); }

#endif
