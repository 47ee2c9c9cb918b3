/* The JIT dispatcher: finds or translates the block at pc, runs generated
 * code until it exits, and handles the exit (chaining a direct jump, a trap,
 * a block or tail instruction for the interpreter, the periodic check).
 *
 * The periodic check mirrors the interpreter's: stop requests, the budget
 * and interrupts are looked at when instret reaches cpu->jit_check_at
 * (every JIT_CHECK_INTERVAL instructions, or the budget's end) and
 * after every trap or interpreted block. Every exit from generated code
 * leaves precise state at an instruction boundary, so a run may switch
 * engine between any two calls. */
#include <string.h>

#include "../cpu/decode.h"
#include "../engine/block_cache.h"
#include "../host/host.h"
#include "jit.h"

#if defined(__x86_64__) || defined(__aarch64__)
#define JIT_HOST_SUPPORTED 1
#else
#define JIT_HOST_SUPPORTED 0
#endif

/* The live TLB changed regime or lost entries: the pc-keyed jump cache
 * follows (inline caches check the regime's epoch, src/cpu/tlb.c). */
static void tlb_flushed(rv_cpu *cpu)
{
    jit_ctx *jc = cpu->jit;
    if (jc)
        jit_jc_switch(jc, cpu);
}

/* Drop every translation (only at a safe point: no generated code running).
 * New code goes on after the dropped code while the buffer has room, and
 * starts over at its start only when it is full: code at a fresh address
 * is also seen by an emulator that keeps its translations of our code by
 * address and ignores the instruction cache maintenance (qemu-user, where
 * the AArch64 cross build's tests run; on hardware either is correct). */
static void jit_reset(jit_ctx *jc)
{
    memset(jc->hash, 0, sizeof(jc->hash));
    jc->ntbs = 0;
    jc->nsites = 0;
    if (jc->size - jc->used < 2 * JIT_BLOCK_ROOM)
        jc->used = jc->code_start;
    jc->gen_start = jc->used;
    jit_jc_reset(jc);
    jc->flush_pending = false;
    jc->stats.flushes++;
}

/* The translation context, created on first use; NULL when this host has no
 * backend or no mirrored buffer (said once; the interpreter runs then). */
static jit_ctx *jit_get(rv_cpu *cpu)
{
    jit_ctx *jc = cpu->jit;
    if (jc)
        return jc;
    if (!JIT_HOST_SUPPORTED || cpu->jit_failed)
        return NULL;
    jc = host_alloc(cpu->host, sizeof(*jc));
    if (!jc)
        return NULL;
    /* (a mapping of its own: 5 MiB per hart taken from the heap did not
     * all come back to the system, e.g. under qemu-user's small brk room) */
    jc->tbs = host_map_anon(cpu->host, JIT_MAX_TBS * sizeof(jit_tb));
    jc->backend_work = host_alloc(cpu->host, jit_backend_work_size());
    if (!jc->tbs || !jc->backend_work || !jit_codebuf_init(jc, cpu->host, jit_codebuf_size(cpu)) ||
        !jit_backend_init(jc)) {
        jit_codebuf_free(jc, cpu->host);
        host_free(cpu->host, jc->backend_work);
        if (jc->tbs)
            host_release(cpu->host, jc->tbs);
        host_free(cpu->host, jc);
        cpu->jit_failed = true;
        return NULL;
    }
    if (cpu->jit_baseline_isa)
        jc->caps = (jit_caps){0};
    jc->jc_log_n = JIT_JC_LOG + 1; /* every slot still to be made empty */
    jit_jc_clear(jc);
    jc->jc_epoch = cpu->jit_ic_epoch;
    jc->stats.code_limit = jc->size;
    jc->gen_start = jc->code_start;
    jc->host = cpu->host;
    jit_code_hash_init(jc);
    cpu->jit = jc;
    cpu->tlb_flush_hook = tlb_flushed;
    return jc;
}

/* ---- direct guest accesses in user mode ---- */

/* The catcher: a host fault at a direct access resumes at its slow path. */
static uintptr_t fault_resume_at(void *opaque, uintptr_t pc)
{
    const jit_ctx *jc = opaque;
    if (pc < (uintptr_t)jc->rx || pc >= (uintptr_t)jc->rx + jc->used)
        return 0;
    uint32_t at = (uint32_t)(pc - (uintptr_t)jc->rx);
    size_t lo = 0, hi = jc->nsites;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (jc->sites[mid].at < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < jc->nsites && jc->sites[lo].at == at ? (uintptr_t)jc->rx + jc->sites[lo].resume : 0;
}

/* Decided on the first run, once the user-mode address space exists: with
 * a flat region and the host's fault handler, generated code accesses
 * guest memory directly (the embedder may forbid taking the handler). */
static void decide_fastmem(rv_cpu *cpu, jit_ctx *jc)
{
    jc->fastmem_decided = true;
    if (!cpu->mem_base || cpu->jit_no_fault_handler || host_fault_hold(cpu->host) != 0)
        return;
    jc->catcher = (host_fault_catcher){fault_resume_at, jc};
    jc->fastmem = true;
}

/* Room in the fault-site table for every access of a block of n IR ops
 * (without it, the backend has the block use the soft TLB). */
static void reserve_sites(jit_ctx *jc, size_t n)
{
    if (jc->nsites + n <= jc->sites_cap)
        return;
    size_t cap = jc->sites_cap ? jc->sites_cap : 4096;
    while (cap < jc->nsites + n)
        cap *= 2;
    jit_fault_site *s = host_realloc(jc->host, jc->sites, cap * sizeof(*s));
    if (s) {
        jc->sites = s;
        jc->sites_cap = cap;
    }
}

bool rv_jit_available(rv_cpu *cpu) { return jit_get(cpu) != NULL; }

void jit_flush(rv_cpu *cpu)
{
    jit_ctx *jc = cpu->jit;
    if (!jc)
        return;
    if (jc->in_code)
        jc->flush_pending = true;
    else
        jit_reset(jc);
}

void jit_destroy(rv_cpu *cpu)
{
    jit_ctx *jc = cpu->jit;
    if (!jc)
        return;
    jit_code_hash_report(jc);
    jit_codebuf_free(jc, cpu->host);
    host_release(cpu->host, jc->tbs);
    host_free(cpu->host, jc->backend_work);
    host_free(cpu->host, jc->sites);
    host_free(cpu->host, jc);
    cpu->jit = NULL;
    cpu->tlb_flush_hook = NULL;
}

const jit_stats *jit_get_stats(const rv_cpu *cpu)
{
    const jit_ctx *jc = cpu->jit;
    return jc ? &jc->stats : NULL;
}

static unsigned tb_hash(uintptr_t key) { return (unsigned)(((uint64_t)key * 0x9e3779b97f4a7c15ull) >> (64 - JIT_HASH_BITS)); }

static jit_tb *tb_find(jit_ctx *jc, uintptr_t key, uint64_t pc)
{
    for (jit_tb *t = jc->hash[tb_hash(key)]; t; t = t->hnext)
        if (t->key == key && t->pc == pc)
            return t;
    return NULL;
}

/* How often the periodic check stopped at the entry of the block at pc
 * (host code at `code`): the front end's profile for hot traces (ctx: the
 * hart). */
static unsigned entry_samples(void *ctx, uintptr_t code, uint64_t pc)
{
    const rv_cpu *cpu = ctx;
    if (cpu->jit_trace_test) /* every other target looks hot, by a hash of its pc */
        return (pc * 0x9e3779b97f4a7c15ull) >> 63 ? 1000 : 0;
    const jit_tb *t = tb_find(cpu->jit, code, pc);
    return t ? t->samples : 0;
}

/* Lower the block at pc into jc->ir: hot (loops unrolled, the path traced
 * by the samples) or compact. */
static bool lower_block(rv_cpu *cpu, jit_ctx *jc, const uint8_t *code, size_t avail, uint64_t pc, bool hot)
{
    jc->ir.hot = hot;
    jc->ir.entry_samples = hot ? entry_samples : NULL;
    jc->ir.profile_ctx = cpu;
    return jit_frontend_lower(&jc->ir, code, avail, pc);
}

/* Translate the block at pc (host code at `code`; for a first instruction
 * that straddles the page end, `key2` is the next page's code and `code` a
 * copy of the instruction). A block left to the interpreter is recorded
 * too, with no code, so it is not tried again. */
static jit_tb *translate(rv_cpu *cpu, jit_ctx *jc, const uint8_t *code, size_t avail, uint64_t pc,
                         uintptr_t key, uintptr_t key2)
{
    if (jc->ntbs >= JIT_MAX_TBS || jc->size - jc->used < JIT_BLOCK_ROOM)
        jit_reset(jc);
    uint64_t t0 = host_monotonic_ns();
    uintptr_t entry = 0;
    size_t used0 = jc->used;
    uint64_t flushes0 = jc->stats.flushes;
    rv_note_code(cpu, (const void *)key);
    if (key2)
        rv_note_code(cpu, (const void *)key2);
    jc->ir.straddle_host = key2;
    /* jit_diff --traces: every block is lowered hot, as a trace (not one
     * that straddles the page end: its code is a copy of one instruction) */
    if (lower_block(cpu, jc, code, avail, pc, cpu->jit_trace_test && !key2)) {
        if (jc->fastmem)
            reserve_sites(jc, jc->ir.n);
        entry = jit_backend_emit(jc, &jc->ir);
        if (!entry) { /* out of room after all: start over once */
            jit_reset(jc);
            jc->used = jc->gen_start = jc->code_start;
            entry = jit_backend_emit(jc, &jc->ir);
        }
    }
    jit_tb *t = &jc->tbs[jc->ntbs++];
    t->pc = pc;
    t->key = key;
    t->key2 = key2;
    t->code = entry;
    t->samples = 0;
    t->hot = cpu->jit_trace_test;
    unsigned h = tb_hash(t->key);
    t->hnext = jc->hash[h];
    jc->hash[h] = t;
    jc->stats.translate_ns += host_monotonic_ns() - t0;
    /* The warm-up's cold stretches stop here from now on: 36M of the 73M
     * instructions they interpreted in the in-guest benchmark were in
     * blocks translated already. (Not where the code at once hands its
     * first instruction back to the interpreter.) */
    if (entry && !key2 && !(jc->ir.n >= 2 && jc->ir.ops[1].op == IR_TAIL))
        rv_interp_note_translated(cpu, key);
    if (entry) {
        jc->stats.code_emitted += jc->used - (jc->stats.flushes == flushes0 ? used0 : jc->code_start);
        jc->stats.blocks++;
        jc->stats.guest_insns += jc->ir.ninsns;
        jc->stats.code_bytes = jc->used - jc->gen_start;
    } else {
        jc->stats.interp_blocks++;
    }
    return t;
}

/* The periodic check stopped at the entry of the block at cpu->pc: count a
 * sample for it, and at JIT_HOT_SAMPLES translate it again as hot. The
 * new code is used only when it differs (a loop unrolled, a trace) and fits
 * without a flush; either way the block is not translated again. */
static void profile_sample(rv_cpu *cpu, jit_ctx *jc)
{
    const uint8_t *code;
    size_t avail;
    if (rv_fetch_ptr(cpu, cpu->pc, &code, &avail))
        return;
    jit_tb *t = tb_find(jc, (uintptr_t)code, cpu->pc);
    if (!t || !t->code || t->key2)
        return;
    if (t->samples < UINT16_MAX) /* counted on past hot: traces compare blocks by it */
        t->samples++;
    if (t->hot || t->samples < JIT_HOT_SAMPLES)
        return;
    t->hot = true;
    if (jc->size - jc->used < JIT_BLOCK_ROOM)
        return;
    uint64_t t0 = host_monotonic_ns();
    jc->ir.straddle_host = 0;
    if (lower_block(cpu, jc, code, avail, cpu->pc, true) && (jc->ir.unrolled || jc->ir.traced)) {
        if (jc->fastmem)
            reserve_sites(jc, jc->ir.n);
        size_t used0 = jc->used;
        uintptr_t entry = jit_backend_emit(jc, &jc->ir);
        if (entry) {
            jit_backend_redirect(jc, t->code, entry);
            t->code = entry;
            jit_jc_retarget(jc, t->pc, entry);
            jc->stats.hot_blocks++;
            jc->stats.guest_insns += jc->ir.ninsns;
            jc->stats.code_emitted += jc->used - used0;
            jc->stats.code_bytes = jc->used - jc->code_start;
        }
    }
    jc->stats.translate_ns += host_monotonic_ns() - t0;
}

/* The block at pc whose first instruction straddles the page end: its
 * upper half comes from the next page, whose mapping may change on its
 * own, so the block is checked against it here and, when entered by a
 * chained jump or the jump cache, by its own entry code (a stale one is
 * left to the interpreter). NULL when the next page cannot be fetched (the
 * interpreter raises the fault). */
/* Whether the instruction at code (avail bytes up to the page end, at
 * least 2: pcs are 2-byte aligned) goes on into the next page. */
static bool first_insn_straddles(const uint8_t *code, size_t avail)
{
    return avail < 4 && rv_insn_len((uint32_t)(code[0] | code[1] << 8)) == 4;
}

static jit_tb *lookup_straddling(rv_cpu *cpu, jit_ctx *jc, uint64_t pc, const uint8_t *code)
{
    const uint8_t *code2;
    size_t avail2;
    if (rv_fetch_ptr(cpu, pc + 2, &code2, &avail2))
        return NULL;
    jit_tb *t = tb_find(jc, (uintptr_t)code, pc);
    if (t) {
        if (t->key2 != (uintptr_t)code2)
            t->code = 0;
        return t;
    }
    uint8_t insn[4];
    memcpy(insn, code, 2);
    memcpy(insn + 2, code2, 2);
    return translate(cpu, jc, insn, 4, pc, (uintptr_t)code, (uintptr_t)code2);
}

/* Translate a block only once the dispatcher has come to it
 * cpu->jit_warm_runs times (the interpreter runs it until then): code that
 * runs a few times (a boot, a program's start-up) costs more to translate
 * than to interpret. Counters are shared by hash; a collision only
 * translates a block sooner. */
static bool warm_enough(const rv_cpu *cpu, jit_ctx *jc, uintptr_t key, uint64_t pc)
{
    if (cpu->jit_warm_runs <= 1)
        return true;
    uint8_t *n = &jc->warmth[(unsigned)((key ^ (pc << 7)) * 0x9e3779b1u) >> (32 - JIT_WARM_BITS)];
    if (*n + 1 < cpu->jit_warm_runs) {
        ++*n;
        return false;
    }
    *n = 0;
    return true;
}

/* Block at pc: from the jump cache, else through instruction fetch and the
 * hash table, else translated once warm (else NULL: interpret it). *c gets
 * a fetch fault cause. */
static jit_tb *lookup(rv_cpu *cpu, jit_ctx *jc, uint64_t pc, int *c)
{
    const uint8_t *code;
    size_t avail;
    jc->span_checks = jc->fastmem && cpu->mem_span_limit != 0; /* for what gets translated now */
    *c = rv_fetch_ptr(cpu, pc, &code, &avail);
    if (*c)
        return NULL;
    jit_tb *t;
    if (first_insn_straddles(code, avail)) {
        t = lookup_straddling(cpu, jc, pc, code);
    } else {
        t = tb_find(jc, (uintptr_t)code, pc);
        if (!t && !warm_enough(cpu, jc, (uintptr_t)code, pc)) {
            jc->cold = true; /* the interpreter runs it (and what follows) this time */
            return NULL;
        }
        if (!t)
            t = translate(cpu, jc, code, avail, pc, (uintptr_t)code, 0);
    }
    if (t && t->code)
        jit_jc_fill(jc, pc, t->code);
    return t;
}

/* Called from generated code on its way out to the dispatcher for pc (a
 * jump-cache miss, an inline cache to fill), with every guest register
 * stored: the code for pc if it is translated already, else 0 (the caller
 * leaves for the dispatcher, which translates). Fills the jump cache and
 * the inline cache ic (when not 0), as the dispatcher would, without the
 * way out and back in: a kernel switching address spaces makes its inline
 * caches (valid per translation epoch) miss 14 times a switch, 1.9 million
 * times in the in-guest benchmark. */
uintptr_t jit_find_code(rv_cpu *cpu, uint64_t pc, uintptr_t ic)
{
    jit_ctx *jc = cpu->jit;
    const uint8_t *code;
    size_t avail;
    if (jc->flush_pending || cpu->trig_exec || rv_fetch_ptr(cpu, pc, &code, &avail))
        return 0;
    if (first_insn_straddles(code, avail))
        return 0; /* the dispatcher's lookup_straddling */
    jit_tb *t = tb_find(jc, (uintptr_t)code, pc);
    if (!t || !t->code)
        return 0;
    jit_jc_fill(jc, pc, t->code);
    if (ic)
        jit_backend_set_ic(jc, ic, pc, cpu->jit_ic_epoch, t->code);
    return t->code;
}

/* One interpreted block (a block the JIT does not translate, or the tail
 * instruction of one). Returns RV_STOP_NONE to go on. */
static rv_stop interp_one(rv_cpu *cpu)
{
    rv_stop r = rv_interp_run(cpu, 1);
    return r == RV_STOP_BUDGET ? RV_STOP_NONE : r;
}

rv_stop rv_jit_run(rv_cpu *cpu, uint64_t max_insns)
{
    jit_ctx *jc = jit_get(cpu);
    if (!jc)
        return rv_interp_run(cpu, max_insns);
    const uint64_t budget_end =
        max_insns && max_insns < UINT64_MAX - cpu->instret ? cpu->instret + max_insns : UINT64_MAX;
    jit_enter_fn enter = (jit_enter_fn)jc->enter;
    const uint64_t traps0 = cpu->traps; /* trap entries count against the budget too */
    rv_stop r;
    if (!jc->fastmem_decided)
        decide_fastmem(cpu, jc);
    const host_fault_catcher *catcher = jc->fastmem ? &jc->catcher : NULL;

    if (cpu->wfi) {
        if (!(cpu->mip & cpu->mie))
            return RV_STOP_WAIT;
        cpu->wfi = false;
    }
    cpu->jit_exit_site = cpu->jit_exit_ic = 0;
    for (;;) {
        /* Full check. */
        if (jc->flush_pending) {
            jit_reset(jc);
            cpu->jit_exit_site = cpu->jit_exit_ic = 0; /* the code to patch went with it */
        }
        if (cpu->stop != RV_STOP_NONE) {
            r = cpu->stop;
            cpu->stop = RV_STOP_NONE;
            return r;
        }
        if (cpu->instret + (cpu->traps - traps0) >= budget_end)
            return RV_STOP_BUDGET;
        if (atomic_load_explicit(&cpu->exit_request, memory_order_relaxed))
            return RV_STOP_INTERRUPT;
        if ((cpu->mip & cpu->mie) && rv_take_interrupt(cpu))
            cpu->jit_exit_site = cpu->jit_exit_ic = 0; /* pc moved: the exit is chained another time */
        cpu->jit_check_at = cpu->instret + JIT_CHECK_INTERVAL < budget_end
                                ? cpu->instret + JIT_CHECK_INTERVAL
                                : budget_end;
        /* svm_interrupt may have zeroed jit_check_at just before the store
         * above: look again so its request waits for no full interval. */
        if (atomic_load_explicit(&cpu->exit_request, memory_order_relaxed))
            return RV_STOP_INTERRUPT;
        /* Run blocks until something needs the full check again. */
        for (;;) {
            int c;
            if (unlikely(cpu->trig_exec)) {
                /* Sdtrig: the interpreter checks the armed execute triggers
                 * before each instruction; generated code does not. */
                if ((r = interp_one(cpu)) != RV_STOP_NONE)
                    return r;
                break;
            }
            uintptr_t site = cpu->jit_exit_site, ic = cpu->jit_exit_ic;
            uint64_t flushes = jc->stats.flushes;
            cpu->jit_exit_site = cpu->jit_exit_ic = 0;
            jit_tb *t = lookup(cpu, jc, cpu->pc, &c);
            if (jc->stats.flushes != flushes)
                site = ic = 0; /* the code to patch went with the flush */
            if (c) {
                rv_trap(cpu, (uint64_t)c, cpu->pc);
                break;
            }
            if (!t && jc->cold) {
                /* Cold code: the interpreter runs a stretch of it, which
                 * costs less than entering it once per block. */
                jc->cold = false;
                uint64_t left = cpu->jit_check_at > cpu->instret ? cpu->jit_check_at - cpu->instret : 1;
                r = rv_interp_run(cpu, left < JIT_COLD_STRETCH ? left : JIT_COLD_STRETCH);
                if (r != RV_STOP_BUDGET && r != RV_STOP_NONE)
                    return r;
                break;
            }
            if (!t || !t->code) {
                if ((r = interp_one(cpu)) != RV_STOP_NONE)
                    return r;
                break;
            }
            if (site)
                jit_backend_chain(jc, site, t->code);
            if (ic)
                jit_backend_set_ic(jc, ic, cpu->pc, cpu->jit_ic_epoch, t->code);
            jc->in_code = true;
            const host_fault_catcher *outer = catcher ? host_fault_catch(catcher) : NULL;
            int ex = enter(cpu, t->code);
            if (catcher)
                host_fault_catch(outer);
            jc->in_code = false;
            if (ex == JIT_EXIT_LOOKUP && !jc->flush_pending && cpu->instret < cpu->jit_check_at)
                continue;
            /* A way out to chain or an inline cache to fill (only LOOKUP
             * exits name one) stays through the full check unless that moves
             * pc (an interrupt) or drops the code: a block whose CSR write
             * asks for the check every time (the kernel's trap entry clearing
             * sstatus.SUM) would otherwise never get its exit chained. */
            if (ex == JIT_EXIT_LOOKUP) {
            } else if (ex == JIT_EXIT_CHECK) {
                profile_sample(cpu, jc);
            } else if (ex == JIT_EXIT_TRAP) {
                rv_trap(cpu, cpu->jit_exc, cpu->jit_tval);
            } else if (ex == JIT_EXIT_INTERP) {
                if ((r = interp_one(cpu)) != RV_STOP_NONE)
                    return r;
            }
            break;
        }
    }
}
