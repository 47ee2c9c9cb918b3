/* JIT front end: guest RISC-V instructions (from the shared decoder) to IR.
 *
 * Blocks are scanned as the interpreter scans them (the shared
 * rv_block_next: same ending operations, same page rule; the length cap,
 * IR_BLOCK_MAX_INSNS, is eight times the interpreter's), except that a JIT block
 * may run on past a few conditional branches, which become side exits (a
 * superblock); a hot block may follow jumps and the taken side of branches
 * within its page (a trace, see below). Every exit is at an instruction
 * boundary with precise state, so the engines can hand over at any block
 * start. Operations the JIT does not translate make the block end before
 * them (at the fall-through of the last branch run past), or, in the first
 * interpreter block, make that block run in the interpreter; system
 * instructions and CSR accesses, which always end a block, are handed to
 * the interpreter as the block's tail (IR_TAIL). */
#include <string.h>

#include "../cpu/atomic.h"
#include "../cpu/csr.h"
#include "../cpu/decode.h"
#include "../cpu/fpu.h"
#include "ir.h"
#include "jit_helpers.h"

typedef struct lower_ctx {
    ir_block *blk;
    bool ok;
} lower_ctx;

static ir_ins *emit(lower_ctx *c, uint8_t op, uint8_t d, uint8_t a, uint8_t b)
{
    ir_block *blk = c->blk;
    if (blk->n >= IR_MAX_OPS) {
        c->ok = false;
        return &blk->ops[0];
    }
    ir_ins *i = &blk->ops[blk->n++];
    memset(i, 0, sizeof(*i));
    i->op = op;
    i->d = d;
    i->a = a;
    i->b = b;
    return i;
}

static void emit_imm(lower_ctx *c, uint8_t op, uint8_t d, uint8_t a, int64_t imm)
{
    ir_ins *i = emit(c, op, d, a, 0);
    i->flags |= IR_BIMM;
    i->imm = imm;
}

static void emit_call2(lower_ctx *c, uint8_t d, uint8_t a, uint8_t b, const void *fn)
{
    ir_ins *i = emit(c, IR_CALL2, d, a, b);
    i->fn = fn;
}

/* What an FP instruction computes, for the backends' host FP (ir.h). */
static uint8_t fp_opcode(unsigned op)
{
    switch (op) {
    case RV_OP_FADD_S: return IR_FP_ADD;     case RV_OP_FADD_D: return IR_FP_ADD | IR_FP_D;
    case RV_OP_FSUB_S: return IR_FP_SUB;     case RV_OP_FSUB_D: return IR_FP_SUB | IR_FP_D;
    case RV_OP_FMUL_S: return IR_FP_MUL;     case RV_OP_FMUL_D: return IR_FP_MUL | IR_FP_D;
    case RV_OP_FDIV_S: return IR_FP_DIV;     case RV_OP_FDIV_D: return IR_FP_DIV | IR_FP_D;
    case RV_OP_FSQRT_S: return IR_FP_SQRT;   case RV_OP_FSQRT_D: return IR_FP_SQRT | IR_FP_D;
    case RV_OP_FMADD_S: return IR_FP_MADD;   case RV_OP_FMADD_D: return IR_FP_MADD | IR_FP_D;
    case RV_OP_FMSUB_S: return IR_FP_MSUB;   case RV_OP_FMSUB_D: return IR_FP_MSUB | IR_FP_D;
    case RV_OP_FNMSUB_S: return IR_FP_NMSUB; case RV_OP_FNMSUB_D: return IR_FP_NMSUB | IR_FP_D;
    case RV_OP_FNMADD_S: return IR_FP_NMADD; case RV_OP_FNMADD_D: return IR_FP_NMADD | IR_FP_D;
    }
    return IR_FP_OTHER;
}

static void emit_fp(lower_ctx *c, uint8_t d, const void *fn, int nargs, uint8_t a, uint8_t b, uint8_t cc,
                    int rm, unsigned rvop)
{
    ir_ins *i = emit(c, IR_FPCALL, d, a, b);
    i->c = cc;
    i->fn = fn;
    i->fpop = fp_opcode(rvop);
    i->nargs = (uint8_t)nargs;
    i->size = (uint8_t)rm;
}

/* Destination operand: the decoder maps rd = x0 to 32 (discard). */
static uint8_t xd(const rv_insn *d) { return d->rd >= 32 ? IR_X(0) : IR_X(d->rd); }

static int rr_op(unsigned op)
{
    switch (op) {
    case RV_OP_ADD: return IR_ADD;   case RV_OP_SUB: return IR_SUB;
    case RV_OP_AND: return IR_AND;   case RV_OP_OR: return IR_OR;
    case RV_OP_XOR: return IR_XOR;   case RV_OP_SLL: return IR_SHL;
    case RV_OP_SRL: return IR_SHR;   case RV_OP_SRA: return IR_SAR;
    case RV_OP_ADDW: return IR_ADDW; case RV_OP_SUBW: return IR_SUBW;
    case RV_OP_SLLW: return IR_SHLW; case RV_OP_SRLW: return IR_SHRW;
    case RV_OP_SRAW: return IR_SARW; case RV_OP_SLT: return IR_SLT;
    case RV_OP_SLTU: return IR_SLTU; case RV_OP_MUL: return IR_MUL;
    case RV_OP_MULW: return IR_MULW; case RV_OP_MULH: return IR_MULH;
    case RV_OP_MULHU: return IR_MULHU;
    case RV_OP_ANDN: return IR_ANDN; case RV_OP_ORN: return IR_ORN;
    case RV_OP_XNOR: return IR_XNOR; case RV_OP_MIN: return IR_MIN;
    case RV_OP_MAX: return IR_MAX;   case RV_OP_MINU: return IR_MINU;
    case RV_OP_MAXU: return IR_MAXU; case RV_OP_ROL: return IR_ROL;
    case RV_OP_ROR: return IR_ROR;   case RV_OP_ROLW: return IR_ROLW;
    case RV_OP_RORW: return IR_RORW;
    case RV_OP_CZERO_EQZ: return IR_CZEQZ;
    case RV_OP_CZERO_NEZ: return IR_CZNEZ;
    }
    return -1;
}

static int ri_op(unsigned op)
{
    switch (op) {
    case RV_OP_ADDI: return IR_ADD;   case RV_OP_ANDI: return IR_AND;
    case RV_OP_ORI: return IR_OR;     case RV_OP_XORI: return IR_XOR;
    case RV_OP_SLLI: return IR_SHL;   case RV_OP_SRLI: return IR_SHR;
    case RV_OP_SRAI: return IR_SAR;   case RV_OP_ADDIW: return IR_ADDW;
    case RV_OP_SLLIW: return IR_SHLW; case RV_OP_SRLIW: return IR_SHRW;
    case RV_OP_SRAIW: return IR_SARW; case RV_OP_SLTI: return IR_SLT;
    case RV_OP_SLTIU: return IR_SLTU; case RV_OP_RORI: return IR_ROR;
    case RV_OP_RORIW: return IR_RORW;
    }
    return -1;
}

static int unary_op(unsigned op)
{
    switch (op) {
    case RV_OP_SEXT_B: return IR_SEXTB; case RV_OP_SEXT_H: return IR_SEXTH;
    case RV_OP_ZEXT_H: return IR_ZEXTH; case RV_OP_CLZ: return IR_CLZ;
    case RV_OP_CLZW: return IR_CLZW;    case RV_OP_CTZ: return IR_CTZ;
    case RV_OP_CTZW: return IR_CTZW;    case RV_OP_CPOP: return IR_CPOP;
    case RV_OP_CPOPW: return IR_CPOPW;  case RV_OP_REV8: return IR_REV8;
    }
    return -1;
}

/* Pure two-operand helpers (jit_helpers.c). */
static const void *call2_fn(unsigned op)
{
    switch (op) {
    case RV_OP_DIV: return (const void *)jit_div;    case RV_OP_DIVU: return (const void *)jit_divu;
    case RV_OP_REM: return (const void *)jit_rem;    case RV_OP_REMU: return (const void *)jit_remu;
    case RV_OP_DIVW: return (const void *)jit_divw;  case RV_OP_DIVUW: return (const void *)jit_divuw;
    case RV_OP_REMW: return (const void *)jit_remw;  case RV_OP_REMUW: return (const void *)jit_remuw;
    case RV_OP_MULHSU: return (const void *)jit_mulhsu;
    case RV_OP_CLMUL: return (const void *)jit_clmul;
    case RV_OP_CLMULH: return (const void *)jit_clmulh;
    case RV_OP_CLMULR: return (const void *)jit_clmulr;
    case RV_OP_ORC_B: return (const void *)jit_orc_b;
    case RV_OP_BREV8: return (const void *)jit_brev8;
    case RV_OP_PACK: return (const void *)jit_pack;
    case RV_OP_PACKH: return (const void *)jit_packh;
    case RV_OP_PACKW: return (const void *)jit_packw;
    case RV_OP_XPERM4: return (const void *)jit_xperm4;
    case RV_OP_XPERM8: return (const void *)jit_xperm8;
    }
    return NULL;
}

static int branch_cond(unsigned op)
{
    switch (op) {
    case RV_OP_BEQ: return IR_EQ;   case RV_OP_BNE: return IR_NE;
    case RV_OP_BLT: return IR_LT;   case RV_OP_BGE: return IR_GE;
    case RV_OP_BLTU: return IR_LTU; case RV_OP_BGEU: return IR_GEU;
    }
    return -1;
}

/* Conditional branch at pc: to its target when taken, else on to the next
 * operation (the caller decides what follows). */
static void emit_branch(lower_ctx *c, const rv_insn *d, uint64_t pc)
{
    ir_ins *i = emit(c, IR_BRANCH, 0, IR_X(d->rs1), IR_X(d->rs2));
    i->size = (uint8_t)branch_cond(d->op);
    i->imm = (int64_t)(pc + (uint64_t)d->imm);
}

/* FP operations: helper, value arguments, kind of sources/destination. */
enum { FPK_FFF, FPK_FF, FPK_F, FPK_XF, FPK_FX, FPK_F3 };
typedef struct fp_desc {
    const void *fn;
    uint8_t kind;    /* sources (F or X) and destination */
    bool with_cpu;   /* fn(cpu, ...) rather than fn(a, b) */
    bool dest_x;     /* integer destination */
} fp_desc;

static bool fp_lookup(unsigned op, fp_desc *o)
{
#define FP(name, f, k, cpu_, dx) case RV_OP_##name: *o = (fp_desc){(const void *)(f), k, cpu_, dx}; return true;
    switch (op) {
        FP(FMADD_S, rv_fmadd_s, FPK_F3, 1, 0) FP(FMSUB_S, rv_fmsub_s, FPK_F3, 1, 0)
        FP(FNMSUB_S, rv_fnmsub_s, FPK_F3, 1, 0) FP(FNMADD_S, rv_fnmadd_s, FPK_F3, 1, 0)
        FP(FADD_S, rv_fadd_s, FPK_FF, 1, 0) FP(FSUB_S, rv_fsub_s, FPK_FF, 1, 0)
        FP(FMUL_S, rv_fmul_s, FPK_FF, 1, 0) FP(FDIV_S, rv_fdiv_s, FPK_FF, 1, 0)
        FP(FSQRT_S, rv_fsqrt_s, FPK_F, 1, 0)
        FP(FSGNJ_S, rv_fsgnj_s, FPK_FF, 0, 0) FP(FSGNJN_S, rv_fsgnjn_s, FPK_FF, 0, 0)
        FP(FSGNJX_S, rv_fsgnjx_s, FPK_FF, 0, 0)
        FP(FMIN_S, rv_fmin_s, FPK_FF, 1, 0) FP(FMAX_S, rv_fmax_s, FPK_FF, 1, 0)
        FP(FCVT_W_S, rv_fcvt_w_s, FPK_F, 1, 1) FP(FCVT_WU_S, rv_fcvt_wu_s, FPK_F, 1, 1)
        FP(FCVT_L_S, rv_fcvt_l_s, FPK_F, 1, 1) FP(FCVT_LU_S, rv_fcvt_lu_s, FPK_F, 1, 1)
        FP(FEQ_S, rv_feq_s, FPK_FF, 1, 1) FP(FLT_S, rv_flt_s, FPK_FF, 1, 1)
        FP(FLE_S, rv_fle_s, FPK_FF, 1, 1) FP(FCLASS_S, rv_fclass_s, FPK_F, 0, 1)
        FP(FCVT_S_W, rv_fcvt_s_w, FPK_FX, 1, 0) FP(FCVT_S_WU, rv_fcvt_s_wu, FPK_FX, 1, 0)
        FP(FCVT_S_L, rv_fcvt_s_l, FPK_FX, 1, 0) FP(FCVT_S_LU, rv_fcvt_s_lu, FPK_FX, 1, 0)
        FP(FMV_W_X, jit_fmv_w_x, FPK_FX, 0, 0)
        FP(FMADD_D, rv_fmadd_d, FPK_F3, 1, 0) FP(FMSUB_D, rv_fmsub_d, FPK_F3, 1, 0)
        FP(FNMSUB_D, rv_fnmsub_d, FPK_F3, 1, 0) FP(FNMADD_D, rv_fnmadd_d, FPK_F3, 1, 0)
        FP(FADD_D, rv_fadd_d, FPK_FF, 1, 0) FP(FSUB_D, rv_fsub_d, FPK_FF, 1, 0)
        FP(FMUL_D, rv_fmul_d, FPK_FF, 1, 0) FP(FDIV_D, rv_fdiv_d, FPK_FF, 1, 0)
        FP(FSQRT_D, rv_fsqrt_d, FPK_F, 1, 0)
        FP(FSGNJ_D, rv_fsgnj_d, FPK_FF, 0, 0) FP(FSGNJN_D, rv_fsgnjn_d, FPK_FF, 0, 0)
        FP(FSGNJX_D, rv_fsgnjx_d, FPK_FF, 0, 0)
        FP(FMIN_D, rv_fmin_d, FPK_FF, 1, 0) FP(FMAX_D, rv_fmax_d, FPK_FF, 1, 0)
        FP(FCVT_S_D, rv_fcvt_s_d, FPK_F, 1, 0) FP(FCVT_D_S, rv_fcvt_d_s, FPK_F, 1, 0)
        FP(FCVT_W_D, rv_fcvt_w_d, FPK_F, 1, 1) FP(FCVT_WU_D, rv_fcvt_wu_d, FPK_F, 1, 1)
        FP(FCVT_L_D, rv_fcvt_l_d, FPK_F, 1, 1) FP(FCVT_LU_D, rv_fcvt_lu_d, FPK_F, 1, 1)
        FP(FEQ_D, rv_feq_d, FPK_FF, 1, 1) FP(FLT_D, rv_flt_d, FPK_FF, 1, 1)
        FP(FLE_D, rv_fle_d, FPK_FF, 1, 1) FP(FCLASS_D, rv_fclass_d, FPK_F, 0, 1)
        FP(FCVT_D_W, rv_fcvt_d_w, FPK_FX, 1, 0) FP(FCVT_D_WU, rv_fcvt_d_wu, FPK_FX, 1, 0)
        FP(FCVT_D_L, rv_fcvt_d_l, FPK_FX, 1, 0) FP(FCVT_D_LU, rv_fcvt_d_lu, FPK_FX, 1, 0)
        FP(FCVT_S_H, rv_fcvt_s_h, FPK_F, 1, 0) FP(FCVT_H_S, rv_fcvt_h_s, FPK_F, 1, 0)
        FP(FCVT_D_H, rv_fcvt_d_h, FPK_F, 1, 0) FP(FCVT_H_D, rv_fcvt_h_d, FPK_F, 1, 0)
        FP(FMV_H_X, jit_fmv_h_x, FPK_FX, 0, 0)
        FP(FMADD_H, rv_fmadd_h, FPK_F3, 1, 0) FP(FMSUB_H, rv_fmsub_h, FPK_F3, 1, 0)
        FP(FNMSUB_H, rv_fnmsub_h, FPK_F3, 1, 0) FP(FNMADD_H, rv_fnmadd_h, FPK_F3, 1, 0)
        FP(FADD_H, rv_fadd_h, FPK_FF, 1, 0) FP(FSUB_H, rv_fsub_h, FPK_FF, 1, 0)
        FP(FMUL_H, rv_fmul_h, FPK_FF, 1, 0) FP(FDIV_H, rv_fdiv_h, FPK_FF, 1, 0)
        FP(FSQRT_H, rv_fsqrt_h, FPK_F, 1, 0)
        FP(FSGNJ_H, rv_fsgnj_h, FPK_FF, 0, 0) FP(FSGNJN_H, rv_fsgnjn_h, FPK_FF, 0, 0)
        FP(FSGNJX_H, rv_fsgnjx_h, FPK_FF, 0, 0)
        FP(FMIN_H, rv_fmin_h, FPK_FF, 1, 0) FP(FMAX_H, rv_fmax_h, FPK_FF, 1, 0)
        FP(FCVT_W_H, rv_fcvt_w_h, FPK_F, 1, 1) FP(FCVT_WU_H, rv_fcvt_wu_h, FPK_F, 1, 1)
        FP(FCVT_L_H, rv_fcvt_l_h, FPK_F, 1, 1) FP(FCVT_LU_H, rv_fcvt_lu_h, FPK_F, 1, 1)
        FP(FEQ_H, rv_feq_h, FPK_FF, 1, 1) FP(FLT_H, rv_flt_h, FPK_FF, 1, 1)
        FP(FLE_H, rv_fle_h, FPK_FF, 1, 1) FP(FCLASS_H, rv_fclass_h, FPK_F, 0, 1)
        FP(FCVT_H_W, rv_fcvt_h_w, FPK_FX, 1, 0) FP(FCVT_H_WU, rv_fcvt_h_wu, FPK_FX, 1, 0)
        FP(FCVT_H_L, rv_fcvt_h_l, FPK_FX, 1, 0) FP(FCVT_H_LU, rv_fcvt_h_lu, FPK_FX, 1, 0)
    }
#undef FP
    return false;
}

/* Lower one FP instruction. */
static bool lower_fp(lower_ctx *c, const rv_insn *d)
{
    ir_block *blk = c->blk;
    fp_desc o;
    uint8_t fd = IR_F(d->rd & 31), f1 = IR_F(d->rs1), f2 = IR_F(d->rs2), f3 = IR_F(d->rs3);
    blk->uses_fp = true;
    switch (d->op) {
    case RV_OP_FLW: case RV_OP_FLD: {
        ir_ins *i = emit(c, IR_LOAD, fd, IR_X(d->rs1), 0);
        i->imm = d->imm;
        i->size = d->op == RV_OP_FLW ? 4 : 8;
        i->flags = d->op == RV_OP_FLW ? IR_FP32 : 0;
        return true;
    }
    case RV_OP_FSW: case RV_OP_FSD: {
        ir_ins *i = emit(c, IR_STORE, 0, IR_X(d->rs1), f2);
        i->imm = d->imm;
        i->size = d->op == RV_OP_FSW ? 4 : 8;
        return true;
    }
    case RV_OP_FMV_X_W: emit(c, IR_SEXTW, xd(d), f1, 0); return true;
    case RV_OP_FMV_X_H: emit(c, IR_SEXTH, xd(d), f1, 0); return true;
    case RV_OP_FMV_X_D: emit(c, IR_MOV, xd(d), 0, f1); return true;
    case RV_OP_FMV_D_X: emit(c, IR_MOV, fd, 0, IR_X(d->rs1)); return true;
    }
    if (!fp_lookup(d->op, &o))
        return false;
    int rm = -1;
    if (rv_op_flags(d->op) & RV_OPF_RM) {
        if (d->rm == RV_RM_DYN)
            blk->uses_dyn_rm = true;
        else if (d->rm > RV_RM_RMM)
            return false; /* illegal: the interpreter raises it precisely */
        rm = d->rm;
    }
    uint8_t dst = o.dest_x ? xd(d) : fd;
    if (!o.with_cpu) {
        emit_call2(c, dst, o.kind == FPK_FX ? IR_X(d->rs1) : f1, f2, o.fn);
        return true;
    }
    switch (o.kind) {
    case FPK_F3: emit_fp(c, dst, o.fn, 3, f1, f2, f3, rm, d->op); break;
    case FPK_FF: emit_fp(c, dst, o.fn, 2, f1, f2, 0, rm, d->op); break;
    case FPK_F: emit_fp(c, dst, o.fn, 1, f1, 0, 0, rm, d->op); break;
    case FPK_FX: emit_fp(c, dst, o.fn, 1, IR_X(d->rs1), 0, 0, rm, d->op); break;
    default: return false;
    }
    return true;
}

static bool lower_insn(lower_ctx *c, const rv_insn *d, uint64_t pc)
{
    unsigned op = d->op;
    uint8_t rd = xd(d), r1 = IR_X(d->rs1), r2 = IR_X(d->rs2);
    int k;
    const void *fn;

    if ((k = rr_op(op)) >= 0) {
        if ((k == IR_ADD || k == IR_OR || k == IR_XOR) && (r1 == 0 || r2 == 0))
            emit(c, IR_MOV, rd, 0, r1 == 0 ? r2 : r1); /* mv (c.mv is add rd, x0, rs) */
        else
            emit(c, (uint8_t)k, rd, r1, r2);
        return true;
    }
    if ((k = ri_op(op)) >= 0) {
        if ((k == IR_ADD || k == IR_OR || k == IR_XOR) && r1 == 0)
            emit_imm(c, IR_MOV, rd, 0, d->imm); /* li */
        else if ((k == IR_ADD || k == IR_OR || k == IR_XOR) && d->imm == 0)
            emit(c, IR_MOV, rd, 0, r1); /* mv */
        else
            emit_imm(c, (uint8_t)k, rd, r1, d->imm);
        return true;
    }
    if ((k = unary_op(op)) >= 0) {
        emit(c, (uint8_t)k, rd, r1, 0);
        return true;
    }
    if ((fn = call2_fn(op)) != NULL) {
        emit_call2(c, rd, r1, r2, fn);
        return true;
    }
    if (rv_is_atomic(op)) {
        emit(c, IR_ATOMIC, rd, r1, r2)->imm = op;
        return true;
    }
    if (branch_cond(op) >= 0) {
        emit_branch(c, d, pc);
        emit_imm(c, IR_GOTO, 0, 0, (int64_t)(pc + d->len));
        return true;
    }
    switch (op) {
    case RV_OP_LUI: emit_imm(c, IR_MOV, rd, 0, d->imm); return true;
    case RV_OP_AUIPC: emit_imm(c, IR_MOV, rd, 0, (int64_t)(pc + (uint64_t)d->imm)); return true;
    case RV_OP_JAL:
        emit_imm(c, IR_MOV, rd, 0, (int64_t)(pc + d->len));
        emit_imm(c, IR_GOTO, 0, 0, (int64_t)(pc + (uint64_t)d->imm));
        return true;
    case RV_OP_JALR: {
        uint8_t base = r1;
        if (rd == r1 && rd != 0) { /* the link overwrites the base: jump from a copy */
            emit(c, IR_MOV, IR_T(0), 0, r1);
            base = IR_T(0);
        }
        emit_imm(c, IR_MOV, rd, 0, (int64_t)(pc + d->len));
        emit_imm(c, IR_JUMP, 0, base, d->imm);
        return true;
    }
    case RV_OP_LB: case RV_OP_LH: case RV_OP_LW: case RV_OP_LD:
    case RV_OP_LBU: case RV_OP_LHU: case RV_OP_LWU: {
        static const uint8_t size[] = {1, 2, 4, 8, 1, 2, 4};
        unsigned idx = op - RV_OP_LB;
        ir_ins *i = emit(c, IR_LOAD, rd, r1, 0);
        i->imm = d->imm;
        i->size = size[idx];
        i->flags = idx < 4 ? IR_SIGN : 0;
        return true;
    }
    case RV_OP_SB: case RV_OP_SH: case RV_OP_SW: case RV_OP_SD: {
        ir_ins *i = emit(c, IR_STORE, 0, r1, r2);
        i->imm = d->imm;
        i->size = (uint8_t)(1u << (op - RV_OP_SB));
        return true;
    }
    case RV_OP_FENCE: return true;
    /* Zba */
    case RV_OP_ADD_UW:
        emit(c, IR_ZEXTW, IR_T(0), r1, 0);
        emit(c, IR_ADD, rd, IR_T(0), r2);
        return true;
    case RV_OP_SH1ADD: case RV_OP_SH2ADD: case RV_OP_SH3ADD:
        emit_imm(c, IR_SHL, IR_T(0), r1, op - RV_OP_SH1ADD + 1);
        emit(c, IR_ADD, rd, IR_T(0), r2);
        return true;
    case RV_OP_SH1ADD_UW: case RV_OP_SH2ADD_UW: case RV_OP_SH3ADD_UW:
        emit(c, IR_ZEXTW, IR_T(0), r1, 0);
        emit_imm(c, IR_SHL, IR_T(0), IR_T(0), op - RV_OP_SH1ADD_UW + 1);
        emit(c, IR_ADD, rd, IR_T(0), r2);
        return true;
    case RV_OP_SLLI_UW:
        emit(c, IR_ZEXTW, IR_T(0), r1, 0);
        emit_imm(c, IR_SHL, rd, IR_T(0), d->imm);
        return true;
    /* Zbs */
    case RV_OP_BCLR: case RV_OP_BSET: case RV_OP_BINV:
        emit_imm(c, IR_MOV, IR_T(0), 0, 1);
        emit(c, IR_SHL, IR_T(0), IR_T(0), r2);
        emit(c, op == RV_OP_BCLR ? IR_ANDN : op == RV_OP_BSET ? IR_OR : IR_XOR, rd, r1, IR_T(0));
        return true;
    case RV_OP_BEXT:
        emit(c, IR_SHR, IR_T(0), r1, r2);
        emit_imm(c, IR_AND, rd, IR_T(0), 1);
        return true;
    case RV_OP_BCLRI: emit_imm(c, IR_AND, rd, r1, (int64_t)~((uint64_t)1 << d->imm)); return true;
    case RV_OP_BSETI: emit_imm(c, IR_OR, rd, r1, (int64_t)((uint64_t)1 << d->imm)); return true;
    case RV_OP_BINVI: emit_imm(c, IR_XOR, rd, r1, (int64_t)((uint64_t)1 << d->imm)); return true;
    case RV_OP_BEXTI:
        emit_imm(c, IR_SHR, IR_T(0), r1, d->imm);
        emit_imm(c, IR_AND, rd, IR_T(0), 1);
        return true;
    }
    if (rv_op_flags(op) & RV_OPF_FP)
        return lower_fp(c, d);
    return false;
}

/* A CSR instruction's kind (0 csrrw, 1 csrrs, 2 csrrc; -1: not one) and
 * whether its source is the 5-bit immediate. */
static int csr_kind(const rv_insn *d, bool *uimm)
{
    *uimm = d->op == RV_OP_CSRRWI || d->op == RV_OP_CSRRSI || d->op == RV_OP_CSRRCI;
    switch (d->op) {
    case RV_OP_CSRRW: case RV_OP_CSRRWI: return 0;
    case RV_OP_CSRRS: case RV_OP_CSRRSI: return 1;
    case RV_OP_CSRRC: case RV_OP_CSRRCI: return 2;
    }
    return -1;
}

/* frflags / fsflags / csrr[swc][i] on fflags (FP code reads and restores
 * the flags around quiet compares) and frrm: inline, since they cannot trap
 * once the block's entry has checked that FP is on. (sqlite3 left each of
 * libgcc's long double routines to the interpreter at its frrm: 336,000
 * exits from generated code in a run.) */
static bool lower_fflags(lower_ctx *c, const rv_insn *d)
{
    bool uimm;
    int kind = csr_kind(d, &uimm);
    if (kind < 0)
        return false;
    if (d->csr == CSR_FRM && kind != 0 && d->rs1 == 0) { /* frrm (soft-float routines start with it) */
        ir_ins *i = emit(c, IR_FFLAGS, xd(d), 0, 0);
        i->size = IR_FFLAGS_FRM;
        c->blk->uses_fp = true;
        return true;
    }
    if (d->csr != CSR_FFLAGS)
        return false;
    ir_ins *i = emit(c, IR_FFLAGS, xd(d), 0, uimm ? 0 : IR_X(d->rs1));
    if (uimm) {
        i->flags |= IR_BIMM;
        i->imm = d->rs1;
    }
    i->size = (uint8_t)kind;
    i->nargs = kind == 0 || d->rs1 != 0; /* csrrs/csrrc with x0 / 0 only read */
    c->blk->uses_fp = true;
    return true;
}

/* Other CSR instructions (the kernel's sstatus, sepc and sscratch at every
 * trap and interrupt toggle): a helper call (jit_csr) instead of leaving the
 * block for the interpreter, which cost a way out of generated code and
 * back each (1.7 million in the in-guest benchmark's 2.7 s). A read goes on
 * in the block; a write ends it (the block goes to the next instruction,
 * whose entry check stops if the write asked the dispatcher to look). The
 * FP CSRs stay with lower_fflags and the interpreter: host MXCSR flags may
 * still be due to fflags. Returns whether the instruction writes. */
static bool lower_csr(lower_ctx *c, const rv_insn *d, bool *writes)
{
    bool uimm;
    int kind = csr_kind(d, &uimm);
    if (kind < 0 || d->csr == CSR_FFLAGS || d->csr == CSR_FRM || d->csr == CSR_FCSR)
        return false;
    *writes = kind == 0 || d->rs1 != 0;
    ir_ins *i = emit(c, IR_CSR, xd(d), uimm ? 0 : IR_X(d->rs1), 0);
    i->imm = (int64_t)((uint64_t)(d->csr & 0xfff) | (uint64_t)kind << JIT_CSR_KIND_SHIFT |
                       (kind != 0 || d->rd != 0 ? JIT_CSR_READ : 0) | (*writes ? JIT_CSR_WRITE : 0) |
                       (uimm ? JIT_CSR_UIMM | (uint64_t)d->rs1 << JIT_CSR_UIMM_SHIFT : 0) |
                       (uint64_t)d->bits << JIT_CSR_BITS_SHIFT);
    return true;
}

/* A JIT block may run on past a conditional branch (taken: a side exit;
 * not taken: the next instruction), up to this many branches, so that small
 * loops of several interpreter blocks become one block that loops on itself. */
/* An IR_INSN or IR_TAIL for guest instruction `index` of the block (see ir_index). */
static ir_ins *emit_indexed(lower_ctx *c, uint8_t op, uint32_t index)
{
    return emit(c, op, 0, (uint8_t)index, (uint8_t)(index >> 8));
}

#define SUPERBLOCK_BRANCHES 4
/* A small loop body is lowered up to UNROLL_COPIES times in a row (the
 * back edge, not taken, leaves from between copies; taken, it goes on to
 * the next copy), so the entry check and instret update are paid once per
 * several iterations, as long as the block stays within IR_BLOCK_MAX_INSNS.
 * Bodies of UNROLL_LARGE_BODY instructions or more (whose last copy pays
 * more: values the loop head needs whole) get up to UNROLL_COPIES_LARGE;
 * more copies of short bodies only made more code (qsort's strcmp loop
 * 4% slower at eight). Only hot blocks are unrolled (blk->hot, see
 * profile_sample in jit_engine.c): in code that runs rarely the copies only cost room. */
#define UNROLL_COPIES 4
#define UNROLL_COPIES_LARGE 8
#define UNROLL_LARGE_BODY 32

/* Hot traces: a hot block (with a profile) follows direct jumps, and the
 * taken side of branches whose target the profile saw entered more than the
 * fall-through, anywhere in the block's guest page, each place once, and
 * ends where it comes back to a place it has lowered: a loop of several
 * blocks becomes one block that loops on itself, whose guest registers stay
 * in host registers across iterations (bzip2's sort loops cross three
 * blocks per iteration, each following the rare side of a branch). */
#define TRACE_STRETCHES 16
#define TRACE_MIN_SAMPLES 2

typedef struct trace {
    const ir_block *blk;
    uintptr_t page;     /* host address of the page start (0: no trace) */
    uint64_t base;      /* its guest address */
    size_t avail;       /* bytes readable from the page start */
    uint32_t from;      /* where the stretch being lowered starts (offset in the page) */
    uint32_t seen[TRACE_STRETCHES][2]; /* stretches lowered before it: [from, to) */
    int nseen;
    unsigned head_samples; /* the block's own */
} trace;

static bool trace_in_page(const trace *t, uint64_t pc) { return pc >= t->base && pc - t->base < t->avail; }

static unsigned trace_samples(const trace *t, uint64_t pc)
{
    if (!trace_in_page(t, pc))
        return 0;
    return t->blk->entry_samples(t->blk->profile_ctx, t->page + (uintptr_t)(pc - t->base), pc);
}

/* Whether page offset off is in a stretch lowered before the current one. */
static bool trace_seen(const trace *t, uint32_t off)
{
    for (int k = 0; k < t->nseen; k++)
        if (off >= t->seen[k][0] && off < t->seen[k][1])
            return true;
    return false;
}

/* Whether the trace may go on at guest pc `to`, the current stretch having
 * reached page offset `now`: in the page, and not lowered yet (a jump back
 * into the current stretch is an inner loop, left as an exit). */
static bool trace_can_go(const trace *t, uint64_t to, uint32_t now)
{
    if (!t->page || !trace_in_page(t, to) || t->nseen == TRACE_STRETCHES)
        return false;
    uint32_t off = (uint32_t)(to - t->base);
    return !(off >= t->from && off < now) && !trace_seen(t, off);
}

/* Whether the profile says the branch at hand is mostly taken: its target
 * entered at least half as often as the block itself, and more often than
 * its fall-through (which, inside a block, is rarely a block start of its
 * own unless something jumps there). */
static bool trace_prefers_taken(const trace *t, uint64_t taken, uint64_t fall)
{
    unsigned st = trace_samples(t, taken);
    return st >= TRACE_MIN_SAMPLES && 2 * st >= t->head_samples && st > trace_samples(t, fall);
}

/* Go on lowering at guest pc `to`. */
static void trace_go(trace *t, rv_block_scan *scan, uint64_t to)
{
    t->seen[t->nseen][0] = t->from;
    t->seen[t->nseen][1] = scan->off;
    t->nseen++;
    t->from = scan->off = (uint32_t)(to - t->base);
    scan->ended = false;
}

/* A place the block can end at if what follows cannot be translated. */
typedef struct lower_cut {
    uint32_t nops, ninsns, off;
    bool valid;
} lower_cut;

static lower_cut cut_here(const ir_block *blk, const rv_block_scan *scan)
{
    return (lower_cut){blk->n, scan->n, scan->off, true};
}

bool jit_frontend_lower(ir_block *blk, const uint8_t *code, size_t avail, uint64_t pc)
{
    lower_ctx c = {blk, true};
    /* A trace scans its page: offsets count from the page start. */
    trace tr = {0};
    uint32_t start = 0;
    if (blk->hot && blk->entry_samples) {
        start = (uint32_t)(pc & (RV_PAGE_SIZE - 1));
        code -= start;
        avail += start;
        tr = (trace){blk, (uintptr_t)code, pc - start, avail, start, {{0}}, 0, 0};
        tr.head_samples = trace_samples(&tr, pc);
    }
    const uint64_t base = pc - start;
    rv_block_scan scan = {code, avail, IR_BLOCK_MAX_INSNS, start, 0, false};
    rv_insn d;
    uint32_t off;
    /* After a branch we ran past (or a jump a trace followed): where to cut
     * if what follows cannot be translated (the block then ends where that
     * branch or jump goes on). */
    lower_cut cut = {0, 0, 0, false};
    int branches = 0, branch_limit = SUPERBLOCK_BRANCHES;
    int copies = 1;
    uint32_t body_insns = 0, body_ops = 0, body_branches = 0;

    bool failed = false;
    blk->pc = pc;
    blk->n = 0;
    blk->uses_fp = blk->uses_dyn_rm = blk->unrolled = blk->traced = false;
    const int most_copies = blk->hot ? UNROLL_COPIES_LARGE : 1;
    for (;;) {
        /* A trace that comes back to a place it lowered jumps there. */
        if (tr.nseen && !scan.ended && trace_seen(&tr, scan.off))
            break;
        if (!rv_block_next(&scan, &d, &off))
            break;
        uint64_t ipc = base + off;
        ir_ins *mark = emit_indexed(&c, IR_INSN, scan.n - 1);
        mark->imm = (int64_t)ipc;
        if (!scan.ended) {
            if (!lower_insn(&c, &d, ipc)) {
                failed = true;
                break;
            }
            continue;
        }
        const int cond = branch_cond(d.op);
        const uint64_t target = ipc + (uint64_t)d.imm, fall = ipc + d.len;
        /* A trace goes on at a branch's target that runs more than its
         * fall-through (the fall-through becomes the side exit), and at a
         * direct jump's. */
        if (cond >= 0 && target != pc && branches < branch_limit && scan.n < scan.max &&
            trace_can_go(&tr, target, scan.off) && trace_prefers_taken(&tr, target, fall)) {
            ir_ins *exit = emit(&c, IR_BRANCH, 0, IR_X(d.rs1), IR_X(d.rs2));
            exit->size = (uint8_t)(cond ^ 1); /* the inverse condition */
            exit->imm = (int64_t)fall;
            branches++;
            trace_go(&tr, &scan, target);
            blk->traced = true;
            cut = cut_here(blk, &scan);
            continue;
        }
        if (d.op == RV_OP_JAL && target != pc && scan.n < scan.max && trace_can_go(&tr, target, scan.off)) {
            emit_imm(&c, IR_MOV, xd(&d), 0, (int64_t)fall);
            trace_go(&tr, &scan, target);
            blk->traced = true;
            cut = cut_here(blk, &scan);
            continue;
        }
        /* A branch back to the block start stays its end: the block is a loop. */
        if (cond >= 0 && branches < branch_limit && scan.n < scan.max && target != pc) {
            emit_branch(&c, &d, ipc);
            branches++;
            cut = cut_here(blk, &scan);
            scan.ended = false;
            continue;
        }
        if (cond >= 0 && target == pc && copies < most_copies) {
            if (copies == 1) {
                body_insns = scan.n;
                body_ops = blk->n;
                body_branches = (uint32_t)branches;
            }
            int most = body_insns >= UNROLL_LARGE_BODY ? UNROLL_COPIES_LARGE : UNROLL_COPIES;
            /* Another copy: the same instructions lower to the same number
             * of operations, so it fits whenever this check passes. */
            if (copies < most && scan.n + body_insns <= IR_BLOCK_MAX_INSNS && blk->n + body_ops + 8 <= IR_MAX_OPS) {
                ir_ins *exit = emit(&c, IR_BRANCH, 0, IR_X(d.rs1), IR_X(d.rs2));
                exit->size = (uint8_t)(cond ^ 1); /* the inverse condition */
                exit->imm = (int64_t)fall;
                copies++;
                blk->unrolled = true;
                branch_limit += (int)body_branches;
                scan.off = tr.from = start; /* a trace makes the same choices again */
                tr.nseen = 0;
                scan.ended = false;
                continue;
            }
        }
        if (lower_fflags(&c, &d)) { /* fflags accesses do not end a JIT block */
            scan.ended = false;
            continue;
        }
        bool writes;
        if (lower_csr(&c, &d, &writes)) {
            if (writes)
                emit_imm(&c, IR_GOTO, 0, 0, (int64_t)fall);
            else
                scan.ended = false;
            continue;
        }
        switch (d.op) {
        case RV_OP_JAL: case RV_OP_JALR: case RV_OP_BEQ: case RV_OP_BNE: case RV_OP_BLT:
        case RV_OP_BGE: case RV_OP_BLTU: case RV_OP_BGEU:
            failed = !lower_insn(&c, &d, ipc);
            break;
        case RV_OP_SRET: case RV_OP_MRET: case RV_OP_SFENCE_VMA: case RV_OP_SINVAL_VMA: {
            /* A helper, then on through the inline cache and the jump cache
             * (valid per translation epoch, which the instruction may have
             * changed): the kernel's return to user mode and its fences. */
            bool fence = d.op == RV_OP_SFENCE_VMA || d.op == RV_OP_SINVAL_VMA;
            ir_ins *sys = emit(&c, IR_SYS, fence ? IR_X(0) : IR_T(0), IR_X(d.rs1), IR_X(d.rs2));
            sys->imm = (int64_t)((uint64_t)d.op | (uint64_t)d.bits << JIT_CSR_BITS_SHIFT);
            if (fence)
                emit_imm(&c, IR_MOV, IR_T(0), 0, (int64_t)fall);
            emit(&c, IR_JUMP, 0, IR_T(0), 0);
            break;
        }
        default: { /* system, CSR, illegal: the interpreter runs it */
            ir_ins *t = emit_indexed(&c, IR_TAIL, scan.n - 1);
            t->imm = (int64_t)ipc;
            break;
        }
        }
    }
    if (failed || !c.ok) {
        if (!cut.valid)
            return false;
        /* End where the last branch run past or jump followed goes on. */
        blk->n = cut.nops;
        scan.n = cut.ninsns;
        scan.off = cut.off;
        scan.ended = false;
        c.ok = true;
    }
    uint32_t n = scan.n;
    off = scan.off;
    if (n == 0)
        return false; /* the first instruction straddles the page end */
    if (!scan.ended)
        emit_imm(&c, IR_GOTO, 0, 0, (int64_t)(base + off));
    blk->ninsns = n;
    if (c.ok)
        ir_optimize(blk);
    return c.ok;
}
