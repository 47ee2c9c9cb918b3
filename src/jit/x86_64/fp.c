/* x86-64 backend: floating point (the FP state's Dirty mark, soft-float
 * helper calls, host SSE/FMA3 arithmetic and MXCSR). */
#if defined(__x86_64__)

#include "cg.h"

/* mstatus.FS = Dirty (and SD, which csr.c keeps set exactly when FS is).
 * Only a test when it already is: an OR into mstatus at every FP write
 * would chain a loop's iterations through memory. On the main path, once
 * per block: later writes find it done. Takes rcx. */
void cg_mark_fp_dirty(cg *g)
{
    x86_buf *b = &g->b;
    if (g->fs_dirty)
        return;
    x86_op_rm(b, 0, 0x8B, RCX, CPU_FIELD(mstatus), false);
    x86_not(b, 0, RCX);
    x86_test_ri32(b, RCX, (uint32_t)MSTATUS_FS);
    uint8_t *done = x86_jcc8(b, CC_E);
    x86_mov_ri(b, RCX, MSTATUS_DIRTY);
    x86_alu_mr(b, 1, ALU_OR, CPU_FIELD(mstatus), RCX);
    x86_patch_rel8(b, done);
    g->fs_dirty = !g->in_stubs;
}
static bool emit_host_fp(cg *g, const ir_ins *i);

void cg_emit_fpcall(cg *g, const ir_ins *i)
{
    if (!emit_host_fp(g, i))
        cg_emit_fpcall_slow(g, i, g->dirty);
}

/* The soft-float helper, called directly. */
void cg_emit_fpcall_slow(cg *g, const ir_ins *i, uint32_t dirty)
{
    static const uint8_t args[] = {RSI, RDX, RCX, R8};
    const uint8_t srcs[3] = {i->a, i->b, i->c};
    bool dest_x = IR_IS_X(i->d);
    int n = 0;
    cg_spill(g, dirty);
    if (dest_x) {
        x86_op_rm(&g->b, 0, 0x8B, RAX, CPU_FIELD(fflags), false);
        x86_op_rm(&g->b, 0, 0x89, RAX, x86_at(RSP, SLOT_FFLAGS), false);
    }
    cpu_ptr_to(&g->b, RDI);
    for (; n < i->nargs; n++)
        cg_load_v_mode(g, args[n], srcs[n], true);
    if (i->size != 0xFF)
        x86_mov_ri(&g->b, args[n], i->size);
    x86_call(&g->b, i->fn);
    cg_reload(g);
    cg_store_v(g, i->d, RAX);
    if (dest_x) { /* an integer result marks FP dirty only when fflags changed */
        x86_op_rm(&g->b, 0, 0x8B, RCX, CPU_FIELD(fflags), false);
        x86_op_rm(&g->b, 0, 0x3B, RCX, x86_at(RSP, SLOT_FFLAGS), false);
        uint8_t *skip = x86_jcc8(&g->b, CC_E);
        bool known = g->fs_dirty;
        cg_mark_fp_dirty(g);
        g->fs_dirty = known; /* a mark on one path only */
        x86_patch_rel8(&g->b, skip);
    }
}

/* ---- host floating point ----
 * add/sub/mul/div/sqrt and the fused multiply-adds run on SSE/FMA3 when the
 * rounding mode is round-to-nearest-even. The host result is the IEEE
 * result RISC-V asks for, except around NaNs and the exceptional cases, so
 * the fast path keeps it only when it is a normal number above the smallest
 * normal (then inexact is the only flag it can raise); otherwise the
 * soft-float helper recomputes the operation (exact result and flags). MXCSR's sticky inexact flag is folded into
 * fflags (NX) whenever the block is left. */

/* By IR_FP_KIND (ir.h), single precision; doubles differ only in `dbl`. */
static const host_fp_op host_fp_ops[IR_FP_KINDS] = {
    [IR_FP_ADD] = {0x58, false, false}, [IR_FP_SUB] = {0x5C, false, false},
    [IR_FP_MUL] = {0x59, false, false}, [IR_FP_DIV] = {0x5E, false, false},
    [IR_FP_SQRT] = {0x51, false, false},
    /* vfmadd213 / vfmsub213 / vfnmsub213 / vfnmadd213: dst = +-(a*b) +- c */
    [IR_FP_MADD] = {0xA9, true, false}, [IR_FP_MSUB] = {0xAB, true, false},
    [IR_FP_NMSUB] = {0xAD, true, false}, [IR_FP_NMADD] = {0xAF, true, false},
};
static const host_fp_op host_fp_ops_d[IR_FP_KINDS] = {
    [IR_FP_ADD] = {0x58, false, true}, [IR_FP_SUB] = {0x5C, false, true},
    [IR_FP_MUL] = {0x59, false, true}, [IR_FP_DIV] = {0x5E, false, true},
    [IR_FP_SQRT] = {0x51, false, true},
    [IR_FP_MADD] = {0xA9, true, true}, [IR_FP_MSUB] = {0xAB, true, true},
    [IR_FP_NMSUB] = {0xAD, true, true}, [IR_FP_NMADD] = {0xAF, true, true},
};

const host_fp_op *cg_host_fp_lookup(const cg *g, const ir_ins *i)
{
    if (i->op != IR_FPCALL || !IR_IS_F(i->d) || (i->size != RV_RM_RNE && i->size != RV_RM_DYN))
        return NULL;
    unsigned kind = IR_FP_KIND(i->fpop);
    if (kind == IR_FP_OTHER || kind >= IR_FP_KINDS)
        return NULL;
    const host_fp_op *o = i->fpop & IR_FP_D ? &host_fp_ops_d[kind] : &host_fp_ops[kind];
    return o->fma && !g->jc->caps.fma ? NULL : o;
}

/* xmm `x` <-> F register (64 bits: movq; singles: movd). */
static void xmm_load(cg *g, int x, uint8_t v, bool dbl)
{
    sse_rm(g, dbl ? 0xF3 : 0x66, dbl ? 0x0F7E : 0x0F6E, x, vmem(g, v));
}

/* The xmm register holding F register v: its own, or `scratch` loaded. */
static int xmm_src(cg *g, uint8_t v, int scratch, bool dbl)
{
    if (fmapped(g, v))
        return fmapped(g, v);
    xmm_load(g, scratch, v, dbl);
    return scratch;
}

/* xmm `x` = F register v. */
static void xmm_put(cg *g, int x, uint8_t v, bool dbl) { movaps_xmm(g, x, xmm_src(g, v, x, dbl)); }

/* A VEX-encoded operation `reg = vvvv op rm`, rm the xmm register rm_x or
 * (rm_x 0) the memory operand m. */
static void vex_op(cg *g, int w, int map, int pp, uint8_t op, int reg, int vvvv, int rm_x, x86_mem m)
{
    if (rm_x) {
        x86_vex(&g->b, w, map, pp, op, reg, vvvv, 0, rm_x);
        x86_modrm_reg(&g->b, reg, rm_x);
    } else {
        x86_vex(&g->b, w, map, pp, op, reg, vvvv, m.index1 ? m.index1 - 1 : 0, m.base);
        x86_modrm_mem(&g->b, reg, m);
    }
}

static void mxcsr_op(cg *g, int ext, int32_t disp) { x86_op_rm(&g->b, 0, 0x0FAE, ext, x86_at(RSP, disp), false); }

/* MXCSR's flags cleared (rounding as always in generated code). */
void cg_mxcsr_reset(cg *g)
{
    x86_op_rm(&g->b, 0, 0xC7, 0, x86_at(RSP, SLOT_MXCSR), false);
    x86_u32(&g->b, MXCSR_DEFAULT);
    mxcsr_op(g, 2, SLOT_MXCSR); /* ldmxcsr */
}

/* Fold MXCSR's inexact flag into fflags. The flag stays set in MXCSR
 * (folding again changes nothing) until a write clears fflags.NX, which
 * clears it too: ldmxcsr is slow on some hosts, and code that reads and
 * restores fflags around every comparison would pay it each time. */
void cg_host_fp_sync(cg *g)
{
    x86_buf *b = &g->b;
    mxcsr_op(g, 3, SLOT_MXCSR); /* stmxcsr */
    x86_op_rm(b, 0, 0xF6, 0, x86_at(RSP, SLOT_MXCSR), false); /* test byte, 0x20 (PE) */
    x86_byte(b, 0x20);
    uint8_t *skip = x86_jcc8(b, CC_E);
    x86_op_rm(b, 0, 0x83, ALU_OR, CPU_FIELD(fflags), false);
    x86_byte(b, 1); /* NX */
    x86_patch_rel8(b, skip);
}

/* Returns false when the operation has no host fast path. */
static bool emit_host_fp(cg *g, const ir_ins *i)
{
    const host_fp_op *o = cg_host_fp_lookup(g, i);
    if (!o)
        return false;
    x86_buf *b = &g->b;
    const uint8_t srcs[3] = {i->a, i->b, i->c};
    uint8_t *slow[8];
    int ns = 0;
    g->host_fp = true;
    if (i->size == RV_RM_DYN) {
        x86_op_rm(b, 0, 0x83, ALU_CMP, CPU_FIELD(frm), false);
        x86_byte(b, RV_RM_RNE);
        slow[ns++] = x86_jcc32(b, CC_NE);
    }
    for (int k = 0; k < i->nargs; k++) {
        if (!o->dbl) { /* an improperly NaN-boxed single reads as the canonical NaN */
            x86_mem hi = vmem(g, srcs[k]);
            hi.disp += 4;
            x86_op_rm(b, 0, 0x83, ALU_CMP, hi, false);
            x86_byte(b, 0xFF);
            slow[ns++] = x86_jcc32(b, CC_NE);
        }
    }
    /* Sources: the last is read where it is (its xmm register, or memory);
     * with AVX (every host with FMA3 has it) so is the first of a binary
     * operation and the second of a fused one; SSE and FMA3's destructive
     * forms need the first in xmm0. */
    int n = i->nargs, last_x = fmapped(g, srcs[n - 1]);
    x86_mem last = vmem(g, srcs[n - 1]);
    if (o->fma) { /* xmm0 = +-(src2 * xmm0) +- last */
        xmm_put(g, 0, srcs[0], o->dbl);
        vex_op(g, o->dbl, 2, 1, o->opcode, 0, xmm_src(g, srcs[1], 1, o->dbl), last_x, last);
    } else if (g->jc->caps.fma) { /* xmm0 = src1 op last (sqrt: of last) */
        int x1 = n == 2 ? xmm_src(g, srcs[0], 1, o->dbl) : 0;
        vex_op(g, 0, 1, o->dbl ? 3 : 2, o->opcode, 0, x1, last_x, last);
    } else { /* xmm0 op= last (sqrt: xmm0 = sqrt last) */
        if (n == 2)
            xmm_put(g, 0, srcs[0], o->dbl);
        if (last_x)
            sse_rr(g, o->dbl ? 0xF2 : 0xF3, 0, 0x0F00u | o->opcode, 0, last_x);
        else
            sse_rm(g, o->dbl ? 0xF2 : 0xF3, 0x0F00u | o->opcode, 0, last);
    }
    /* Keep the host result only when it is finite, normal and above the
     * smallest normal: then no flag but inexact can be due, and tininess
     * (after rounding) cannot arise. Doubles: an exponent from 2 to 0x7FE
     * (pextrw takes the top 16 bits; results just above the smallest
     * normal also take the slow path); singles, in integer terms with the
     * sign bit shifted out: min2 < bits*2 < inf2 (one unsigned compare). */
    if (o->dbl) {
        sse_rr(g, 0x66, 0, 0x0FC5, RAX, 0); /* pextrw eax, xmm0, 3 */
        x86_byte(b, 3);
        x86_alu_ri(b, 0, ALU_AND, RAX, 0x7FF0);
        x86_alu_ri(b, 0, ALU_SUB, RAX, 2 << 4);
        x86_alu_ri(b, 0, ALU_CMP, RAX, (0x7FF - 2) << 4);
    } else {
        sse_rr(g, 0x66, 0, 0x0F7E, 0, RAX); /* movd eax, xmm0 */
        x86_alu_rr(b, 0, ALU_ADD, RAX, RAX);
        x86_alu_ri(b, 0, ALU_SUB, RAX, (int32_t)((0x00800000u + 1) << 1));
        x86_alu_ri(b, 0, ALU_CMP, RAX, (int32_t)((0x7F800000u << 1) - ((0x00800000u + 1) << 1)));
    }
    slow[ns++] = x86_jcc32(b, CC_AE);
    if (fmapped(g, i->d)) {
        movaps_xmm(g, fmapped(g, i->d), 0);
        g->fdirty |= 1u << (i->d - 32);
    } else if (o->dbl) {
        movq_mem_xmm(g, vmem(g, i->d), 0);
    } else {
        sse_rm(g, 0x66, 0x0F7E, 0, vmem(g, i->d)); /* movd m32, xmm0 */
        x86_mem hi = vmem(g, i->d);
        hi.disp += 4;
        x86_op_rm(b, 0, 0xC7, 0, hi, false);
        x86_u32(b, 0xFFFFFFFFu);
    }
    cg_mark_fp_dirty(g);
    /* Every check fails to one soft-float call (they leave the same state). */
    cg_add_stub_sites(g, (stub){STUB_FP_SLOW, g->dirty, (uint16_t)g->index, NULL, b->p, i, 0}, slow, ns);
    return true;
}

#endif /* __x86_64__ */
