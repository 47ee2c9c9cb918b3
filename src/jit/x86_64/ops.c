/* x86-64 backend: one IR operation's code, and the operand moves it is
 * built from. */
#if defined(__x86_64__)

#include "cg.h"

/* dst = value of v. `spilled`: caller-saved mapped registers are read from
 * cpu->x (they were just spilled and their host registers are in use). */
void cg_load_v_mode(cg *g, int dst, uint8_t v, bool spilled)
{
    int h = mapped(g, v);
    if (IR_IS_X(v) && v == 0)
        x86_mov_ri(&g->b, dst, 0);
    else if (h && !(spilled && is_caller_saved(h)))
        x86_mov_rr(&g->b, dst, h);
    else if (fmapped(g, v)) /* (spilled: still intact until the call) */
        movq_gpr_xmm(g, dst, fmapped(g, v));
    else if (v == g->rax_v && dst != RAX)
        x86_mov_rr(&g->b, dst, RAX);
    else
        x86_load64(&g->b, dst, vmem(g, v));
}
void cg_load_v(cg *g, int dst, uint8_t v) { cg_load_v_mode(g, dst, v, false); }

/* v = src (x0 discards; an F destination marks the FP state dirty). */
void cg_store_v(cg *g, uint8_t v, int src)
{
    int h = mapped(g, v);
    if (IR_IS_X(v) && v == 0)
        return;
    if (h) {
        x86_mov_rr(&g->b, h, src);
        g->dirty |= 1u << v;
    } else if (fmapped(g, v)) {
        movq_xmm_gpr(g, fmapped(g, v), src);
        g->fdirty |= 1u << (v - 32);
    } else {
        x86_store64(&g->b, vmem(g, v), src);
        if (IR_IS_X(v) && src == RAX)
            g->rax_stored = v;
    }
    if (IR_IS_F(v))
        cg_mark_fp_dirty(g);
}

/* dst OP= v (v a register operand). */
void cg_alu_v(cg *g, int w, int alu, int dst, uint8_t v)
{
    int h = mapped(g, v);
    if (IR_IS_X(v) && v == 0)
        x86_alu_ri(&g->b, w, alu, dst, 0);
    else if (h)
        x86_alu_rr(&g->b, w, alu, dst, h);
    else if (v == g->rax_v && dst != RAX)
        x86_alu_rr(&g->b, w, alu, dst, RAX);
    else
        x86_alu_rm(&g->b, w, alu, dst, vmem(g, v));
}

/* dst OP= the instruction's second source (register or immediate). */
static void alu_b(cg *g, int w, int alu, int dst, const ir_ins *i)
{
    if (i->flags & IR_BIMM) {
        if (i->imm >= INT32_MIN && i->imm <= INT32_MAX) {
            x86_alu_ri(&g->b, w, alu, dst, (int32_t)i->imm);
        } else {
            x86_mov_ri(&g->b, RCX, (uint64_t)i->imm);
            x86_alu_rr(&g->b, w, alu, dst, RCX);
        }
    } else {
        cg_alu_v(g, w, alu, dst, i->b);
    }
}

/* Second source into a register (RCX unless it is already in one). */
static int b_in_reg(cg *g, const ir_ins *i, int scratch)
{
    if (i->flags & IR_BIMM) {
        x86_mov_ri(&g->b, scratch, (uint64_t)i->imm);
        return scratch;
    }
    int h = mapped(g, i->b);
    if (h)
        return h;
    cg_load_v(g, scratch, i->b);
    return scratch;
}

/* Working register for d = f(a, b): d's own host register when writing it
 * early cannot clobber b, else rax. */
int cg_work_reg(const cg *g, const ir_ins *i)
{
    int h = mapped(g, i->d);
    if (!h)
        return RAX;
    if (!(i->flags & IR_BIMM) && i->b == i->d && i->a != i->d)
        return RAX;
    return h;
}

static void finish(cg *g, const ir_ins *i, int work, bool sext32)
{
    if (sext32 && work && work == mapped(g, i->d)) { /* sign-extended when needed (see lazy, values.c) */
        g->made_lazy = true;
        g->dirty |= 1u << i->d;
        return;
    }
    if (sext32)
        x86_movsx(&g->b, work, work, 4);
    if (work != mapped(g, i->d) || !mapped(g, i->d))
        cg_store_v(g, i->d, work);
    else
        g->dirty |= 1u << i->d;
}

static void emit_call2(cg *g, const ir_ins *i)
{
    cg_spill(g, g->dirty);
    cg_load_v_mode(g, RDI, i->a, true);
    cg_load_v_mode(g, RSI, i->b, true);
    x86_call(&g->b, i->fn);
    cg_reload(g);
    cg_store_v(g, i->d, RAX);
}

/* A CSR or system instruction through jit_csr / jit_system (as an atomic:
 * its trap leaves from before the instruction). */
static void emit_csr(cg *g, const ir_ins *i)
{
    uint32_t dirty_before = g->dirty;
    cg_spill(g, g->dirty);
    cpu_ptr_to(&g->b, RDI);
    x86_mov_ri(&g->b, RSI, (uint64_t)i->imm);
    cg_load_v_mode(g, RDX, i->a, true);
    if (i->op == IR_SYS)
        cg_load_v_mode(g, RCX, i->b, true);
    else /* the count before this instruction, for counter reads */
        x86_lea(&g->b, RCX, x86_at(ICOUNT, -(int32_t)(g->blk->ninsns - (uint32_t)g->index)));
    x86_call(&g->b, i->op == IR_SYS ? (const void *)jit_system : (const void *)jit_csr);
    cg_reload(g);
    x86_test_rr(&g->b, 1, RDX, RDX);
    cg_add_stub(g, (stub){STUB_TRAP, dirty_before, (uint16_t)g->index, x86_jcc32(&g->b, CC_NE), NULL, i, 0});
    cg_store_v(g, i->d, RAX);
}

/* d = a op b in place in cpu->x when d = a lives there and b is an
 * immediate or in a host register: one read-modify-write instruction. */
static bool emit_alu_in_memory(cg *g, const ir_ins *i, int alu)
{
    if (!IR_IS_X(i->d) || i->d == 0 || i->a != i->d || mapped(g, i->d))
        return false;
    if (i->flags & IR_BIMM) {
        if (i->imm < INT32_MIN || i->imm > INT32_MAX)
            return false;
        if (i->imm != 0 || alu == ALU_AND)
            x86_alu_mi(&g->b, 1, alu, vmem(g, i->d), (int32_t)i->imm);
        return true;
    }
    if (!mapped(g, i->b))
        return false;
    x86_alu_mr(&g->b, 1, alu, vmem(g, i->d), mapped(g, i->b));
    return true;
}

/* d = a + b (or a - imm) with a and b in host registers, or b an
 * immediate: one lea into d's register (or rax), no copy of a first; ADDW
 * then sign-extends. */
static bool emit_add_lea(cg *g, const ir_ins *i)
{
    bool w32 = i->op == IR_ADDW || i->op == IR_SUBW;
    bool sub = i->op == IR_SUB || i->op == IR_SUBW;
    bool bimm = (i->flags & IR_BIMM) != 0;
    int a = mapped(g, i->a);
    if (!a || !IR_IS_X(i->d) || i->d == i->a || (sub && !bimm))
        return false;
    x86_mem m;
    if (bimm) {
        int64_t v = sub ? -i->imm : i->imm;
        if (v < INT32_MIN || v > INT32_MAX || (v == 0 && !w32))
            return false;
        m = x86_at(a, (int32_t)v);
    } else if (mapped(g, i->b)) {
        m = x86_at_index(a, mapped(g, i->b), 0);
    } else {
        return false;
    }
    int work = mapped(g, i->d) ? mapped(g, i->d) : RAX;
    x86_lea(&g->b, work, m);
    finish(g, i, work, w32);
    return true;
}

/* ---- one IR operation ---- */
bool cg_emit_op(cg *g, const ir_ins *i)
{
    x86_buf *b = &g->b;
    int w32 = 0, work, r;
    switch (i->op) {
    case IR_INSN:
        g->index = (int)ir_index(i);
        return true;
    case IR_MOV:
        if (i->flags & IR_BIMM) {
            work = mapped(g, i->d) ? mapped(g, i->d) : RAX;
            if (!mapped(g, i->d) && IR_IS_X(i->d) && i->d != 0 && i->imm >= INT32_MIN && i->imm <= INT32_MAX) {
                x86_store64_imm(b, vmem(g, i->d), (int32_t)i->imm);
                return true;
            }
            x86_mov_ri(b, work, (uint64_t)i->imm);
        } else if (IR_IS_X(i->d) && i->d != 0 && !mapped(g, i->d) && mapped(g, i->b)) {
            x86_store64(b, vmem(g, i->d), mapped(g, i->b)); /* straight from its host register */
            return true;
        } else {
            work = mapped(g, i->d) ? mapped(g, i->d) : RAX;
            cg_load_v(g, work, i->b);
        }
        finish(g, i, work, IR_IS_X(i->b) && (g->lazy >> i->b & 1));
        return true;
    case IR_ADDW: case IR_SUBW:
        if ((i->flags & IR_BIMM) && i->imm == 0 && IR_IS_X(i->a) && i->a != 0) {
            /* sext.w: a move, or nothing, when the value is sign-extended already */
            if (i->d == i->a && (g->sext32 >> i->a & 1)) {
                g->made_lazy = (g->lazy >> i->a & 1) != 0;
                return true;
            }
            if (((g->sext32 & ~g->lazy) >> i->a & 1) && !mapped(g, i->d) && mapped(g, i->a)) {
                x86_store64(b, vmem(g, i->d), mapped(g, i->a)); /* a copy, straight from its host register */
                return true;
            }
            work = mapped(g, i->d) ? mapped(g, i->d) : RAX;
            if ((g->sext32 & ~g->lazy) >> i->a & 1)
                cg_load_v(g, work, i->a);
            else if (mapped(g, i->a))
                x86_movsx(b, work, mapped(g, i->a), 4);
            else
                x86_load_ext(b, work, vmem(g, i->a), 4, true); /* (rax: see cg_keeps_rax) */
            finish(g, i, work, false);
            return true;
        }
        if (emit_add_lea(g, i))
            return true;
        w32 = 1;
        /* fall through */
    case IR_ADD: case IR_SUB: case IR_AND: case IR_OR: case IR_XOR: {
        static const uint8_t alu[] = {[IR_ADD] = ALU_ADD, [IR_SUB] = ALU_SUB, [IR_AND] = ALU_AND,
                                      [IR_OR] = ALU_OR, [IR_XOR] = ALU_XOR, [IR_ADDW] = ALU_ADD,
                                      [IR_SUBW] = ALU_SUB};
        ir_ins sw;
        if (cg_lazy_operand(g, i)) /* both sign-extended 32-bit values (see lazy_ok): so is the result */
            w32 = 1;
        if (!(i->flags & IR_BIMM) && i->b == i->d && i->a != i->d && i->op != IR_SUB && i->op != IR_SUBW) {
            sw = *i; /* d = a op d, commutative: d op= a */
            sw.a = i->b;
            sw.b = i->a;
            i = &sw;
        }
        if (!w32 && (emit_alu_in_memory(g, i, alu[i->op]) ||
                     ((i->op == IR_ADD || i->op == IR_SUB) && emit_add_lea(g, i))))
            return true;
        work = cg_work_reg(g, i);
        if (work != mapped(g, i->a) || work == RAX)
            cg_load_v(g, work, i->a);
        if (!((i->flags & IR_BIMM) && i->imm == 0 && i->op != IR_AND))
            alu_b(g, !w32, alu[i->op], work, i); /* x + 0, x | 0, x ^ 0: a move */
        finish(g, i, work, w32);
        return true;
    }
    case IR_SHLW: case IR_SHRW: case IR_SARW: case IR_ROLW: case IR_RORW:
        w32 = 1;
        /* fall through */
    case IR_SHL: case IR_SHR: case IR_SAR: case IR_ROL: case IR_ROR: {
        static const uint8_t sh[] = {[IR_SHL] = SH_SHL, [IR_SHR] = SH_SHR, [IR_SAR] = SH_SAR,
                                     [IR_ROL] = SH_ROL, [IR_ROR] = SH_ROR, [IR_SHLW] = SH_SHL,
                                     [IR_SHRW] = SH_SHR, [IR_SARW] = SH_SAR, [IR_ROLW] = SH_ROL,
                                     [IR_RORW] = SH_ROR};
        int width = w32 ? 32 : 64, h = mapped(g, i->a);
        bool rot = sh[i->op] == SH_ROL || sh[i->op] == SH_ROR;
        /* (rotates by an immediate are all right rotates: rori, roriw, ir_opt's idiom) */
        if (g->jc->caps.bmi2 && i->a != 0 && ((i->flags & IR_BIMM) ? sh[i->op] == SH_ROR : !rot)) {
            /* BMI2's three-operand forms: no copy of the source first (and
             * for shifts by a register, the count need not be in cl). */
            work = mapped(g, i->d) ? mapped(g, i->d) : RAX;
            if (i->flags & IR_BIMM) {
                uint8_t n = (uint8_t)(i->imm & (width - 1));
                if (!h && i->a == g->rax_v && work != RAX)
                    h = RAX;
                if (h)
                    x86_rorx_rr(b, !w32, work, h, n);
                else
                    x86_rorx_rm(b, !w32, work, vmem(g, i->a), n);
            } else {
                int count = b_in_reg(g, i, RCX);
                if (h)
                    x86_shiftx_rr(b, !w32, sh[i->op], work, h, count);
                else
                    x86_shiftx_rm(b, !w32, sh[i->op], work, vmem(g, i->a), count);
            }
        } else if (i->flags & IR_BIMM) {
            work = cg_work_reg(g, i);
            cg_load_v(g, work, i->a);
            x86_shift_ri(b, !w32, sh[i->op], work, (uint8_t)(i->imm & (width - 1)));
            if (i->op == IR_SHRW && (i->imm & 31))
                w32 = 0; /* bit 31 is clear: the 32-bit shift's zero extension is the sign extension */
        } else {
            cg_load_v(g, RCX, i->b);
            work = mapped(g, i->d) && i->b != i->d ? mapped(g, i->d) : RAX;
            cg_load_v(g, work, i->a);
            x86_shift_cl(b, !w32, sh[i->op], work);
        }
        finish(g, i, work, w32);
        return true;
    }
    case IR_SLT: case IR_SLTU:
        r = mapped(g, i->a);
        if (!r) {
            cg_load_v(g, RAX, i->a);
            r = RAX;
        }
        alu_b(g, 1, ALU_CMP, r, i);
        x86_setcc(b, i->op == IR_SLT ? CC_L : CC_B, RAX);
        work = IR_IS_X(i->d) && mapped(g, i->d) ? mapped(g, i->d) : RAX;
        x86_movzx(b, work, RAX, 1); /* straight into d's host register */
        if (work == RAX)
            cg_store_v(g, i->d, RAX);
        else
            g->dirty |= 1u << i->d;
        return true;
    case IR_MULW:
        w32 = 1;
        /* fall through */
    case IR_MUL:
        r = b_in_reg(g, i, RCX);
        work = mapped(g, i->d) && r != mapped(g, i->d) ? mapped(g, i->d) : RAX;
        cg_load_v(g, work, i->a);
        x86_imul_rr(b, !w32, work, r);
        finish(g, i, work, w32);
        return true;
    case IR_MULH: case IR_MULHU:
        r = b_in_reg(g, i, RCX);
        if (r != RCX)
            x86_mov_rr(b, RCX, r);
        cg_load_v(g, RAX, i->a);
        x86_mul_wide(b, RCX, i->op == IR_MULH);
        cg_store_v(g, i->d, RDX);
        return true;
    case IR_ANDN: case IR_ORN:
        if (i->op == IR_ANDN && g->jc->caps.bmi2 && i->a != 0) { /* one andn, no copy, no rcx */
            r = b_in_reg(g, i, RAX);
            work = mapped(g, i->d) ? mapped(g, i->d) : RAX;
            if (mapped(g, i->a))
                x86_andn_rr(b, work, r, mapped(g, i->a));
            else if (i->a == g->rax_v && work != RAX && r != RAX)
                x86_andn_rr(b, work, r, RAX);
            else
                x86_andn_rm(b, work, r, vmem(g, i->a));
            finish(g, i, work, cg_lazy_operand(g, i));
            return true;
        }
        r = b_in_reg(g, i, RCX);
        x86_mov_rr(b, RAX, r);
        x86_not(b, 1, RAX);
        cg_alu_v(g, 1, i->op == IR_ANDN ? ALU_AND : ALU_OR, RAX, i->a);
        finish(g, i, RAX, cg_lazy_operand(g, i));
        return true;
    case IR_XNOR:
        cg_load_v(g, RAX, i->a);
        alu_b(g, 1, ALU_XOR, RAX, i);
        x86_not(b, 1, RAX);
        finish(g, i, RAX, cg_lazy_operand(g, i));
        return true;
    case IR_MIN: case IR_MAX: case IR_MINU: case IR_MAXU: {
        static const uint8_t cc[] = {[IR_MIN] = CC_G, [IR_MAX] = CC_L, [IR_MINU] = CC_A, [IR_MAXU] = CC_B};
        r = b_in_reg(g, i, RCX);
        cg_load_v(g, RAX, i->a);
        x86_alu_rr(b, 1, ALU_CMP, RAX, r);
        x86_cmov(b, 1, cc[i->op], RAX, r);
        cg_store_v(g, i->d, RAX);
        return true;
    }
    case IR_CZEQZ: case IR_CZNEZ:
        r = b_in_reg(g, i, RDX);
        cg_load_v(g, RAX, i->a);
        x86_mov_ri(b, RCX, 0);
        x86_test_rr(b, 1, r, r);
        x86_cmov(b, 1, i->op == IR_CZEQZ ? CC_E : CC_NE, RAX, RCX);
        cg_store_v(g, i->d, RAX);
        return true;
    case IR_SEXTB: case IR_SEXTH: case IR_SEXTW: case IR_ZEXTH: case IR_ZEXTW:
    case IR_REV8: case IR_CLZ: case IR_CLZW: case IR_CTZ: case IR_CTZW: case IR_CPOP: case IR_CPOPW:
        if (!g->jc->caps.bitcount && i->op >= IR_CLZ && i->op <= IR_CPOPW) {
            static const void *const fns[] = {
                [IR_CLZ] = (const void *)jit_clz, [IR_CLZW] = (const void *)jit_clzw,
                [IR_CTZ] = (const void *)jit_ctz, [IR_CTZW] = (const void *)jit_ctzw,
                [IR_CPOP] = (const void *)jit_cpop, [IR_CPOPW] = (const void *)jit_cpopw};
            ir_ins c = *i;
            c.op = IR_CALL2;
            c.b = 0;
            c.fn = fns[i->op];
            emit_call2(g, &c);
            return true;
        }
        if (i->op <= IR_ZEXTW) { /* extensions: straight from a's host register into d's */
            static const uint8_t size[] = {[IR_SEXTB] = 1, [IR_SEXTH] = 2, [IR_SEXTW] = 4,
                                           [IR_ZEXTH] = 2, [IR_ZEXTW] = 4};
            work = mapped(g, i->d) ? mapped(g, i->d) : RAX;
            r = mapped(g, i->a);
            if (!r) {
                cg_load_v(g, work, i->a);
                r = work;
            }
            if (i->op <= IR_SEXTW)
                x86_movsx(b, work, r, size[i->op]);
            else
                x86_movzx(b, work, r, size[i->op]);
            finish(g, i, work, false);
            return true;
        }
        cg_load_v(g, RAX, i->a);
        switch (i->op) {
        case IR_REV8: x86_bswap(b, RAX); break;
        case IR_CLZ: x86_bitcount(b, 1, 0xBD, RAX, RAX); break;
        case IR_CLZW: x86_bitcount(b, 0, 0xBD, RAX, RAX); break;
        case IR_CTZ: x86_bitcount(b, 1, 0xBC, RAX, RAX); break;
        case IR_CTZW: x86_bitcount(b, 0, 0xBC, RAX, RAX); break;
        case IR_CPOP: x86_bitcount(b, 1, 0xB8, RAX, RAX); break;
        default: x86_bitcount(b, 0, 0xB8, RAX, RAX); break;
        }
        cg_store_v(g, i->d, RAX);
        return true;
    case IR_CALL2: emit_call2(g, i); return true;
    case IR_FPCALL: cg_emit_fpcall(g, i); return true;
    case IR_LOAD: cg_emit_load(g, i); return true;
    case IR_STORE: cg_emit_store(g, i); return true;
    case IR_BRANCH: cg_emit_branch(g, i); return true;
    case IR_ATOMIC: cg_emit_atomic(g, i); return true;
    case IR_CSR: case IR_SYS: emit_csr(g, i); return true;
    case IR_FFLAGS:
        if (i->size == IR_FFLAGS_FRM) {
            x86_op_rm(b, 0, 0x8B, RAX, CPU_FIELD(frm), false);
            cg_store_v(g, i->d, RAX);
            return true;
        }
        if (g->host_fp)
            cg_host_fp_sync(g); /* inexact results so far are part of the value */
        x86_op_rm(b, 0, 0x8B, RAX, CPU_FIELD(fflags), false);
        x86_alu_ri(b, 0, ALU_AND, RAX, 0x1f);
        if (i->nargs) {
            if (i->flags & IR_BIMM)
                x86_mov_ri(b, RCX, (uint64_t)i->imm);
            else
                cg_load_v(g, RCX, i->b);
            if (i->size == 2)
                x86_not(b, 0, RCX);
            if (i->size != 0)
                x86_alu_rr(b, 0, i->size == 1 ? ALU_OR : ALU_AND, RCX, RAX);
            x86_alu_ri(b, 0, ALU_AND, RCX, 0x1f);
            x86_op_rm(b, 0, 0x89, RCX, CPU_FIELD(fflags), false);
            x86_test_ri32(b, RCX, 1); /* NX cleared: so is MXCSR's (see cg_host_fp_sync) */
            uint8_t *keep = x86_jcc8(b, CC_NE);
            cg_mxcsr_reset(g);
            x86_patch_rel8(b, keep);
            cg_mark_fp_dirty(g);
        }
        cg_store_v(g, i->d, RAX);
        return true;
    case IR_GOTO:
        if (!g->block_left) /* (else the branch before it has left: emit_final_pair) */
            cg_jump_out(g, x86_jmp32(b), (uint64_t)i->imm);
        return true;
    case IR_JUMP:
        cg_load_v(g, RAX, i->a);
        if (i->imm)
            x86_alu_ri(b, 1, ALU_ADD, RAX, (int32_t)i->imm);
        x86_alu_ri(b, 1, ALU_AND, RAX, -2);
        g->leave_op = g->op; /* the block's last: nothing sunk is pending, rax survives */
        cg_leave_block(g, g->dirty);
        cg_emit_indirect_jump(g, true);
        return true;
    case IR_TAIL:
        g->leave_op = g->op;
        cg_leave_block(g, g->dirty);
        x86_alu_ri(b, 1, ALU_SUB, ICOUNT, (int32_t)(g->blk->ninsns - ir_index(i)));
        cg_exit_at_pc(g, (uint64_t)i->imm, JIT_EXIT_INTERP);
        return true;
    }
    return false;
}

#endif /* __x86_64__ */
