/* x86-64 backend: IR blocks to host code. This header: the code
 * generator's state (cg), the operand helpers every part uses, and the
 * functions the backend's files share:
 *   backend.c  a block's entry, body and out-of-line parts in order; set-up
 *   ops.c      one IR operation's code and the operand moves it is built of
 *   mem.c      guest loads, stores and atomics, and their slow paths
 *   fp.c       host and soft floating point, MXCSR, the FP state's mark
 *   exits.c    stubs, exits, chaining, inline caches, the trampolines
 *   alloc.c    which guest registers live in host registers; spills
 *   values.c   lazy sign extension, the value in rax, renamed cpu->x slots
 *
 * Register use inside generated code:
 *   r15        the rv_cpu pointer plus CPU_BIAS
 *   r14        cpu->instret (stored at the common exit and before helper
 *              calls, reloaded after them: the per-block count and budget
 *              check stay in registers)
 *   rax        scratch
 *   rcx rdx    scratch (rdx also the high half of wide multiplies), or two
 *              more guest registers in blocks whose code leaves them alone
 *   10 others  hold the guest registers a block uses most (chosen per block,
 *              callee-saved host registers for the busiest). A register is
 *              loaded at block entry when the block reads it before writing
 *              it, and stored back at every exit once written (dirty);
 *              around helper calls the caller-saved ones are spilled to
 *              cpu->x and reloaded.
 *   xmm0-2     scratch for host floating point
 *   xmm3-12    the F registers a block uses most, in blocks with host
 *              double-precision arithmetic (cg_allocate_f): loaded at entry,
 *              stored back at exits once written, and around helper calls
 *              (which may change every xmm register) stored and reloaded.
 *   [rsp+0..31] IR temporaries, [rsp+32] saved fflags.
 *
 * Each block: an entry check (instret against cpu->jit_check_at, FP state
 * when the block uses FP), instret += n, the body, then the out-of-line
 * parts: memory slow paths, exits (chainable jumps for targets in the same
 * guest page, the jump cache for the others) and trap stubs that make pc
 * and instret precise before returning to the dispatcher. What every way
 * out ends with (store the pc, the exit code, the chaining site) is shared
 * code at the buffer's start (jc->exit_pc, jc->exit_chain, ...); the stores
 * of a block's exits to the interpreter are one ladder per block
 * (cg_emit_exit_ladder), and a conditional branch that ends the block
 * stores once for both its exits (emit_final_pair, exits.c). */
#ifndef SPLITVM_JIT_X86_64_CG_H
#define SPLITVM_JIT_X86_64_CG_H

#include <stddef.h>
#include <string.h>

#include "../../cpu/fpu.h"
#include "../jit.h"
#include "../jit_helpers.h"
#include "../jit_plan.h"
#include "x86_emit.h"

#define CPU R15
/* r15 points CPU_BIAS bytes into rv_cpu, so that the fields generated code
 * reads most (the memory limits, jit_check_at, x0-x26) are within a signed
 * 8-bit displacement: 3 bytes less per access than disp32 (the guest
 * register stores of every exit and slow path, the loads at block entry). */
#define CPU_BIAS 128
#define ICOUNT R14
#define FRAME 72
#define SLOT_T(n) (8 * (n))
#define SLOT_FFLAGS 32
#define SLOT_MXCSR 40      /* scratch for stmxcsr / ldmxcsr */
#define SLOT_HOST_MXCSR 48 /* the host's MXCSR, restored on exit */
#define SLOT_SWAP 56       /* one cpu->x value while slots are permuted */
#define MXCSR_DEFAULT 0x1F80 /* all exceptions masked, round to nearest, flags clear */
#define MSTATUS_FS ((uint64_t)3 << 13)
#define MSTATUS_DIRTY (MSTATUS_FS | ((uint64_t)1 << 63))

_Static_assert(sizeof(rv_tlb_entry) == 32, "the TLB index computation assumes 32-byte entries");

/* In user mode, blocks with guest memory accesses may keep cpu->mem_base
 * here instead of a guest register (callee-saved: helper calls leave it
 * alone; see cg_allocate). */
#define MEMBASE R12

static inline x86_mem cpu_field(size_t off) { return x86_at(CPU, (int32_t)off - CPU_BIAS); }
/* dst = the rv_cpu pointer (for helper calls). */
static inline void cpu_ptr_to(x86_buf *b, int dst) { x86_lea(b, dst, x86_at(CPU, -CPU_BIAS)); }
#define CPU_FIELD(f) cpu_field(offsetof(rv_cpu, f))

/* ---- out-of-line parts, emitted after the block body ---- */
enum { STUB_LOAD_SLOW, STUB_STORE_SLOW, STUB_EXIT, STUB_CHECK, STUB_INTERP, STUB_FP_SLOW, STUB_TRAP,
       STUB_BACK_EDGE };

/* How a user-mode access (with MEMBASE) checks its guest address:
 * ACCESS_* (jit_plan.h), planned by jit_plan_span_checks. */

typedef struct stub {
    uint8_t kind;
    uint32_t dirty;    /* guest registers to write back on the way out */
    uint16_t index;    /* guest instruction index (trap bookkeeping) */
    uint8_t *site;     /* RW address of the rel32 that jumps to the stub (NULL: only a host fault leads there) */
    uint8_t *resume;   /* RW address the slow path returns to */
    const ir_ins *ins; /* slow paths: the memory operation */
    uint64_t target;   /* exits: guest pc */
} stub;

#define MAX_STUBS (IR_MAX_OPS + 16)
#define SLOT_MAPS 256

/* The shared part of ways out that leave the same state behind (see
 * emit_exit_at): what they store and how, and where that code is. */
typedef struct exit_tail {
    uint32_t dirty, fdirty;
    uint8_t slots, code;
    uint8_t *at; /* RW */
} exit_tail;
#define MAX_EXIT_TAILS 16
/* The stores of a block's exits to the interpreter (see cg_emit_exit_ladder):
 * entry j stores the registers of set j, each set containing the one
 * before. */
#define MAX_LADDER 32
/* A way out into the ladder of a block below 2^32 leaves eax = its pc's
 * offset in the block's page (a trace may run code before its start) |
 * instructions not run << EXIT_PACKED, the ladder ecx = the page's
 * address, and jc->exit_interp_packed unpacks them: one instruction a way
 * out instead of two. */
#define EXIT_PACKED 22
typedef struct exit_ladder {
    int n;
    uint32_t dirty[MAX_LADDER], fdirty[MAX_LADDER];
    uint8_t *at[MAX_LADDER]; /* RW */
    bool packed; /* its ways out leave EXIT_PACKED eax */
} exit_ladder;

typedef struct cg {
    jit_ctx *jc;
    x86_buf b;
    const ir_block *blk;
    int index;   /* current guest instruction index */
    uint8_t alloc[32]; /* guest register -> host register (0: lives in cpu->x) */
    uint8_t slot[32];  /* guest register -> the cpu->x slot its value is in (see slot renaming, values.c) */
    uint32_t dirty;    /* allocated guest registers written so far */
    uint8_t falloc[32]; /* F register -> xmm register (0: lives in cpu->f) */
    uint32_t fdirty;    /* allocated F registers written so far */
    uint32_t loop_fdirty; /* self-looping blocks: allocated F registers the block writes */
    uint8_t *loop_head;  /* RW address of the loop head (self-looping blocks), else NULL */
    uint32_t loop_dirty; /* self-looping blocks: allocated registers the block writes */
    uint32_t sext32;     /* guest registers known to hold a sign-extended 32-bit value */
    uint32_t lazy;       /* of those, the ones whose host register's upper half is not yet
                          * the sign extension (W results: done when something needs it) */
    bool made_lazy;      /* the current operation left its result lazy */
    int rax_v;           /* a guest register (in cpu->x) whose whole value rax holds, -1: none */
    int rax_stored;      /* the one the current operation stored from rax, -1: none */
    bool fs_dirty;       /* the main path so far has made mstatus.FS Dirty */
    bool in_stubs;       /* emitting the out-of-line parts */
    bool block_left;     /* the block's last exits are emitted (emit_final_pair) */
    bool sinking;        /* computing sunk definitions on a way out (no allocation then) */
    bool host_fp;      /* the block uses host FP: exits fold MXCSR's inexact flag into fflags */
    bool fastmem;      /* guest loads and stores go straight to the flat user-mode region */
    bool membase;      /* ... addressed through MEMBASE (else rax gets mem_base added) */
    uint32_t op;       /* index of the operation being emitted */
    uint32_t leave_op; /* the operation a way out being emitted belongs to */
    uint16_t sunk[IR_MAX_OPS]; /* the block's sunk operations, in order */
    uint32_t nsunk;
    uint8_t access_check[IR_MAX_OPS]; /* per LOAD/STORE operation: ACCESS_* */
    stub stubs[MAX_STUBS];
    uint8_t *fault_at[MAX_STUBS]; /* slow paths of direct accesses: RW address of the access */
    uint32_t lazy_at[MAX_STUBS];  /* g->lazy when the stub was made: sign-extended on the way in */
    uint16_t op_at[MAX_STUBS];    /* the operation it was made for */
    uint32_t fdirty_at[MAX_STUBS]; /* g->fdirty when the stub was made */
    uint8_t slots_at[MAX_STUBS];   /* g->slot then: an entry of slot_maps (0: every value in its own) */
    uint8_t slot_maps[SLOT_MAPS][32];
    int nslot_maps;
    exit_tail tails[MAX_EXIT_TAILS];
    int ntails;
    exit_ladder ladder;
    bool share_reload;  /* the out-of-line helper calls share one reload (cg_reload) */
    uint8_t *reload_at; /* RW: that reload, once made */
    int nstubs;
    bool overflow;
} cg;

/* The executable (RX) address of a place written through the RW view. */
static inline uintptr_t rx_of(const cg *g, const uint8_t *rw) { return (uintptr_t)rw - (uintptr_t)g->b.diff; }

/* ---- operands ---- */
static inline int mapped(const cg *g, uint8_t v) { return IR_IS_X(v) && v != 0 ? g->alloc[v] : 0; }

static inline x86_mem xslot(int v) { return cpu_field(offsetof(rv_cpu, x) + 8u * (unsigned)v); }

/* Where operand v's value is in memory: an X register's in the cpu->x slot
 * it is in now (see slot renaming, values.c), F registers' in cpu->f, temporaries'
 * on the stack. */
static inline x86_mem vmem(const cg *g, uint8_t v)
{
    if (IR_IS_X(v))
        return xslot(g->slot[v]);
    if (IR_IS_F(v))
        return cpu_field(offsetof(rv_cpu, f) + 8u * (v - 32));
    return x86_at(RSP, SLOT_T(v - 64));
}

/* The xmm register holding F register v (an IR_F operand), 0: none. */
static inline int fmapped(const cg *g, uint8_t v) { return IR_IS_F(v) ? g->falloc[v - 32] : 0; }

/* An SSE instruction (mandatory prefix, 0F opcode) on two registers or a
 * register and memory; the moves of F values built on them. */
static inline void sse_rr(cg *g, uint8_t prefix, int w, uint32_t op, int reg, int rm)
{
    x86_byte(&g->b, prefix);
    x86_op_rr(&g->b, w, op, reg, rm, false);
}
static inline void sse_rm(cg *g, uint8_t prefix, uint32_t op, int reg, x86_mem m)
{
    x86_byte(&g->b, prefix);
    x86_op_rm(&g->b, 0, op, reg, m, false);
}
static inline void movq_xmm_gpr(cg *g, int x, int r) { sse_rr(g, 0x66, 1, 0x0F6E, x, r); }
static inline void movq_gpr_xmm(cg *g, int r, int x) { sse_rr(g, 0x66, 1, 0x0F7E, x, r); }
static inline void movq_xmm_mem(cg *g, int x, x86_mem m) { sse_rm(g, 0xF3, 0x0F7E, x, m); }
static inline void movq_mem_xmm(cg *g, x86_mem m, int x) { sse_rm(g, 0x66, 0x0FD6, x, m); }
static inline void movaps_xmm(cg *g, int dst, int src)
{
    if (dst != src)
        x86_op_rr(&g->b, 0, 0x0F28, dst, src, false);
}

static inline bool is_caller_saved(int r)
{
    return r == RCX || r == RDX || r == RSI || r == RDI || (r >= R8 && r <= R11);
}

/* How an FP operation runs on the host (SSE or FMA3; fp.c). */
typedef struct host_fp_op {
    uint8_t opcode; /* SSE opcode (0F xx), or FMA3 opcode (0F38 xx) */
    bool fma, dbl;
} host_fp_op;

/* ---- sign-extended values ---- */

static inline bool makes_sext32(const cg *g, const ir_ins *i) { return ir_makes_sext32(i, g->sext32); }

static inline uint32_t reg_bit(uint8_t v) { return IR_IS_X(v) && v ? 1u << v : 0; }
/* The guest registers i reads as its two sources. */
static inline uint32_t src_bits(const ir_ins *i) { return reg_bit(i->a) | ((i->flags & IR_BIMM) ? 0 : reg_bit(i->b)); }

/* ---- functions the files share ---- */
/* exits.c */
void cg_add_stub(cg *g, stub s);
void cg_add_stub_sites(cg *g, stub s, uint8_t *const *sites, int n);
void cg_add_access_stub(cg *g, stub s, uint8_t *access);
bool cg_is_back_edge(const cg *g, uint64_t target);
void cg_leave_block(cg *g, uint32_t dirty);
void cg_jump_out(cg *g, uint8_t *site, uint64_t target);
void cg_emit_branch(cg *g, const ir_ins *i);
/* Leave with exit code `code` at guest pc `pc` (a shared tail stores it). */
void cg_exit_at_pc(cg *g, uint64_t pc, int code);
void cg_emit_indirect_jump(cg *g, bool computed);
void cg_emit_exit_at(cg *g, const stub *s, int code);
void cg_emit_exit_ladder(cg *g);
void cg_emit_stub(cg *g, const stub *s);
size_t cg_emit_trampolines(jit_ctx *jc);
/* ops.c */
void cg_load_v_mode(cg *g, int dst, uint8_t v, bool spilled);
void cg_load_v(cg *g, int dst, uint8_t v);
void cg_store_v(cg *g, uint8_t v, int src);
void cg_alu_v(cg *g, int w, int alu, int dst, uint8_t v);
int cg_work_reg(const cg *g, const ir_ins *i);
bool cg_emit_op(cg *g, const ir_ins *i);
/* fp.c */
void cg_mark_fp_dirty(cg *g);
void cg_emit_fpcall(cg *g, const ir_ins *i);
void cg_emit_fpcall_slow(cg *g, const ir_ins *i, uint32_t dirty);
const host_fp_op *cg_host_fp_lookup(const cg *g, const ir_ins *i);
void cg_mxcsr_reset(cg *g);
void cg_host_fp_sync(cg *g);
/* mem.c */
void cg_emit_load(cg *g, const ir_ins *i);
void cg_emit_store(cg *g, const ir_ins *i);
void cg_emit_atomic(cg *g, const ir_ins *i);
void cg_emit_access_slow(cg *g, const stub *s);
void cg_plan_span_checks(cg *g);
/* alloc.c */
void cg_writeback(cg *g, uint32_t mask, bool caller_saved_only);
void cg_writeback_f(cg *g, uint32_t mask);
void cg_load_f(cg *g, uint32_t mask);
void cg_spill(cg *g, uint32_t dirty);
void cg_reload(cg *g);
void cg_plan_shared_reload(cg *g);
uint32_t cg_allocate(cg *g, unsigned min_uses, const unsigned count[32], uint32_t live_in);
uint32_t cg_allocate_f(cg *g, unsigned min_uses, const unsigned count[32], uint32_t live_in);
/* values.c */
void cg_sign_extend_regs(cg *g, uint32_t mask);
void cg_materialize(cg *g, uint32_t mask);
uint32_t cg_needs_whole(const cg *g, const ir_ins *i);
bool cg_lazy_operand(const cg *g, const ir_ins *i);
bool cg_keeps_rax(const cg *g, const ir_ins *i);
bool cg_slot_copy(cg *g, const ir_ins *i);
bool cg_slot_place(cg *g, ir_ins *i);
void cg_move_slots(cg *g, int tmp);
void cg_track_sext32(cg *g, const ir_ins *i);

#endif
