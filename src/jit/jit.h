/* The JIT's translation context (one per hart), shared by the dispatcher
 * (jit_engine.c), the code buffer (codebuf.c) and the host backend.
 *
 * Generated code lives in a mirrored buffer: it runs from the RX view and
 * is written only through the RW view, at rw = rx + diff. Translated blocks
 * are keyed by (host address of the guest code, guest pc), so they stay
 * valid across address-space switches that keep the code mapped, and a
 * full buffer (or a flush) drops everything at once at a safe point. */
#ifndef SPLITVM_JIT_H
#define SPLITVM_JIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../cpu/cpu.h"
#include "../host/host.h"
#include "ir.h"

/* The code buffer's size: the bound on the host memory generated code takes
 * (its mirror views share one memory object). rv_cpu.jit_code_size
 * (svm_config.jit_code_size) overrides it within [JIT_CODE_MIN, JIT_CODE_MAX].
 * When fewer than JIT_BLOCK_ROOM bytes are left (or JIT_MAX_TBS blocks are
 * recorded), every translation is dropped at once before the next block is
 * translated, which happens only in the dispatcher, never while generated
 * code runs; a chained jump being patched is given up with it. */
#ifndef JIT_CODE_SIZE
#define JIT_CODE_SIZE ((size_t)32 << 20)
#endif
#define JIT_CODE_MIN ((size_t)1 << 20)
#define JIT_CODE_MAX ((size_t)1 << 30)
#define JIT_HASH_BITS 15
#define JIT_MAX_TBS ((size_t)1 << 17)
#define JIT_JC_BITS 12 /* jump cache entries (indirect jumps), keyed by guest pc */
#define JIT_JC_LOG 256
/* System mode's default for cpu->jit_warm_runs: a boot runs most of its
 * code a few times only, and translating costs more than interpreting it
 * (Linux boot, 1 hart: 0.31 s CPU translating everything, 0.15 s so). */
#define JIT_WARM_RUNS_SYSTEM 16
/* User mode's: most of a real program's code also runs only a few times
 * (sqlite3's shell on bench/real.sh: 7,691 blocks translated at once, 2,128
 * with a warm-up of 4; translation 5.5% -> 1.2% of the run), while its hot
 * loops reach any small threshold at once. */
#define JIT_WARM_RUNS_USER 4
#define JIT_WARM_BITS 14
#define JIT_COLD_STRETCH 512 /* instructions the interpreter runs from a cold block */
/* The hot tier: blocks are first translated compact (ir_block.hot unset:
 * no loop unrolling). The periodic check doubles as a sampling profiler:
 * it stops at a block's entry about once every JIT_CHECK_INTERVAL guest
 * instructions, so where it stops is where time goes. A block it stops at
 * JIT_HOT_SAMPLES times is translated again as hot (its loops unrolled, its
 * path traced through the page by the other blocks' samples: frontend.c),
 * and the old code's entry is pointed at the new code (jit_backend_redirect). */
#define JIT_HOT_SAMPLES 4
/* Instructions between returns to the dispatcher for the periodic check. */
#define JIT_CHECK_INTERVAL 65536
/* Room kept free for one block; a block that needs more is retried after a flush. */
#define JIT_BLOCK_ROOM ((size_t)64 << 10)

/* Why generated code returned to the dispatcher (the enter function's result). */
enum {
    JIT_EXIT_LOOKUP = 1, /* continue at cpu->pc; cpu->jit_exit_site names a jump to chain */
    JIT_EXIT_CHECK,      /* instret reached jit_check_at: stop, budget, interrupts */
    JIT_EXIT_TRAP,       /* raise cpu->jit_exc / jit_tval at cpu->pc (instret precise) */
    JIT_EXIT_INTERP,     /* the interpreter runs one block at cpu->pc */
};

typedef struct jit_tb {
    uint64_t pc;
    uintptr_t key;  /* host address of the guest code */
    uintptr_t code; /* RX entry, or 0: the interpreter runs this block */
    /* A block whose first instruction straddles the page end: the host
     * address of the next page's code it was translated from (checked on
     * every lookup, and by the block's entry code), else 0. */
    uintptr_t key2;
    struct jit_tb *hnext;
    uint16_t samples; /* periodic checks that stopped at its entry (the hot tier's profile) */
    bool hot;         /* re-translated as hot (or found to gain nothing from it) */
} jit_tb;

typedef struct jit_jc_entry {
    uint64_t pc;
    uintptr_t code;
} jit_jc_entry;

/* The jump cache entries of a translation regime the hart left. */
#define JIT_JC_BANKS 8
typedef struct jit_jc_bank {
    uint64_t epoch; /* the regime's epoch; 0: free */
    uint64_t last_used;
    uint32_t n;
    uint16_t idx[JIT_JC_LOG];
    jit_jc_entry e[JIT_JC_LOG];
} jit_jc_bank;

/* The jump cache is two-way: a pc has the pair of slots starting at
 * jit_jc_index(pc) (even), the one filled last first. Direct-mapped, two
 * hot returns on one slot (Lua: lua_seti's and index2value's, by chance of
 * which caller filled their inline caches) sent both out to the dispatcher
 * on every call, 135,000 times a run. Bits above the index are folded in,
 * so code 32 KiB apart (a program's hot loops often are) does not collide. */
#define JIT_JC_SETS (1u << (JIT_JC_BITS - 1))
static inline unsigned jit_jc_index(uint64_t pc)
{
    return ((unsigned)((pc >> 1) ^ (pc >> JIT_JC_BITS)) & (JIT_JC_SETS - 1)) << 1;
}

/* A guest load or store done directly in the flat user-mode region: where
 * a host fault at its access instruction resumes (offsets from rx). */
typedef struct jit_fault_site {
    uint32_t at, resume;
} jit_fault_site;

typedef struct jit_stats {
    uint64_t blocks, guest_insns, interp_blocks, code_bytes, translate_ns, flushes;
    uint64_t code_limit; /* the buffer's size */
    uint64_t code_emitted; /* bytes of code written, flushes included (code per guest insn) */
    uint64_t hot_blocks;   /* blocks re-translated by the hot tier */
} jit_stats;

/* Optional host instructions the backend may use, declared by its
 * jit_backend_init from what the host CPU has; a --baseline run (jit_diff)
 * clears them all so the fallback code is tested. */
typedef struct jit_caps {
    bool bitcount; /* one-instruction clz/ctz/cpop (x86-64: LZCNT/TZCNT/POPCNT) */
    bool fma;      /* fused multiply-add in host FP registers (x86-64: FMA3) */
    bool bmi2;     /* shifts and rotates by a register count into any register,
                      and-not (x86-64: BMI2 and BMI1: shlx/shrx/sarx, rorx, andn) */
} jit_caps;

typedef struct jit_ctx {
    /* Code buffer: RX and RW views of the same memory. */
    uint8_t *rx, *rw;
    intptr_t diff; /* rw - rx */
    size_t size, used, code_start;
    size_t gen_start; /* where the code since the last flush starts */
    uintptr_t enter;       /* RX: int enter(rv_cpu *, uintptr_t code) */
    uintptr_t exit;        /* RX: common epilogue (exit code in eax) */
    uintptr_t jc_lookup;   /* RX: indirect jump through the jump cache (pc in rax) */
    /* x86-64: RX, shared tails of the ways out of blocks (backend.c) */
    uintptr_t exit_pc[JIT_EXIT_INTERP + 1]; /* store the pc in rax, leave with that exit code */
    uintptr_t exit_interp_packed;           /* ... JIT_EXIT_INTERP, from a packed pc (cg.h: EXIT_PACKED) */
    uintptr_t exit_chain;                   /* an unchained exit (called: see chain_exit) */
    uintptr_t exit_chain32;                 /* ... whose guest pc is below 2^32 (4 bytes of data) */
    uintptr_t exit_ic;                      /* an inline cache to fill (called: emit_indirect_jump; AArch64 too, branched to) */
    uintptr_t exit_ic_const;                /* ... that of a constant target (emit_const_ic) */
    jit_caps caps;         /* what the backend may use (jit_backend_init) */

    jit_tb *hash[1u << JIT_HASH_BITS];
    jit_tb *tbs;
    size_t ntbs;
    jit_jc_entry jc[1u << JIT_JC_BITS];
    /* Jump cache slots filled since the last clear, so that a clear (a
     * switch of translation regime: each trap and return in system mode)
     * resets only those; more than JIT_JC_LOG: reset all. */
    uint8_t warmth[1u << JIT_WARM_BITS]; /* interpreted runs of untranslated blocks, by hash */
    bool cold; /* lookup left the block at pc to the interpreter: it is not warm yet */
    uint16_t jc_log[JIT_JC_LOG];
    uint32_t jc_log_n;
    /* The live jump cache holds for the regime epoch jc_epoch (see
     * src/cpu/tlb.c); those of regimes left lately wait in jc_banks
     * (jump_cache.c). */
    uint64_t jc_epoch;
    jit_jc_bank jc_banks[JIT_JC_BANKS];
    uint64_t jc_clock;
    bool flush_pending;
    bool in_code;

    /* User mode with the host's fault handler: guest loads and stores go
     * straight to cpu->mem_base + va (see rv_cpu.mem_fast_limit); a host
     * fault at one resumes at its slow path, found in sites (sorted by at). */
    bool fastmem, fastmem_decided;
    /* ... and a block may check a base register once for several accesses
     * off it (rv_cpu.mem_span_limit), exiting to the interpreter if it fails. */
    bool span_checks;
    host_fault_catcher catcher;
    jit_fault_site *sites;
    size_t nsites, sites_cap;
    struct host_ctx *host;

    ir_block ir; /* scratch for the block being translated */
    void *backend_work; /* the backend's, jit_backend_work_size() bytes (too big for a coroutine's stack) */
    jit_stats stats;
    /* code_hash.c (SPLITVM_JIT_HASH): the emitted blocks' hash. */
    bool hash_code, hash_each;
    uint64_t code_hash, hashed_blocks, hashed_bytes;
} jit_ctx;

/* jump_cache.c: the pc-keyed jump cache's maintenance. */
void jit_jc_clear(jit_ctx *jc);
/* Note a slot filled by the dispatcher. */
uintptr_t jit_find_code(rv_cpu *cpu, uint64_t pc, uintptr_t ic);
void jit_jc_fill(jit_ctx *jc, uint64_t pc, uintptr_t code);
void jit_jc_retarget(jit_ctx *jc, uint64_t pc, uintptr_t code);
/* The live TLB changed (src/cpu/tlb.c): keep the live entries for the old
 * regime when its epoch is still saved, bring back the new one's. */
void jit_jc_switch(jit_ctx *jc, const rv_cpu *cpu);
/* Forget every entry, saved ones too (the code they point to is gone). */
void jit_jc_reset(jit_ctx *jc);

/* codebuf.c: the mirrored buffer and cache maintenance. */
bool jit_codebuf_init(jit_ctx *jc, struct host_ctx *host, size_t size);
/* The buffer size a cpu asks for (rv_cpu.jit_code_size), clamped and page-rounded. */
size_t jit_codebuf_size(const rv_cpu *cpu);
void jit_codebuf_free(jit_ctx *jc, struct host_ctx *host);
/* Make [rw, rw+len) visible to instruction fetch at its RX alias. */
void jit_cache_sync(const jit_ctx *jc, const uint8_t *rw, size_t len);
/* A block of len bytes emitted at rw (the buffer's free start): synced,
 * taken from the free room (16-byte aligned); returns its RX entry. */
uintptr_t jit_codebuf_commit(jit_ctx *jc, const uint8_t *rw, size_t len);

/* code_hash.c: the debugging hash of emitted code (SPLITVM_JIT_HASH). */
void jit_code_hash_init(jit_ctx *jc);
void jit_code_hash_block(jit_ctx *jc, const uint8_t *rw, size_t len);
void jit_code_hash_report(const jit_ctx *jc);

/* The host backend (one folder per host: x86_64/, ...). */
bool jit_backend_init(jit_ctx *jc);      /* trampolines at the buffer start */
size_t jit_backend_work_size(void);      /* bytes of jc->backend_work */
uintptr_t jit_backend_emit(jit_ctx *jc, const ir_block *blk); /* RX entry, 0 if no room */
void jit_backend_chain(jit_ctx *jc, uintptr_t site, uintptr_t target); /* site: RX of a rel jump field */
/* Fill the inline cache at RX address ic (from cpu->jit_exit_ic): guest pc
 * goes to host code target while cpu->jit_ic_epoch is epoch. */
void jit_backend_set_ic(jit_ctx *jc, uintptr_t ic, uint64_t pc, uint64_t epoch, uintptr_t target);
/* Send every later entry of the block at RX `from` to RX `to` (its hot
 * re-translation, profile_sample in jit_engine.c); only while no generated code runs. */
void jit_backend_redirect(jit_ctx *jc, uintptr_t from, uintptr_t to);
#define JIT_REDIRECT_BYTES 5 /* bytes at a block's entry the redirect overwrites */
typedef int (*jit_enter_fn)(rv_cpu *cpu, uintptr_t code);

/* Engine glue for the interpreter's flush / destroy. */
void jit_flush(rv_cpu *cpu);
void jit_destroy(rv_cpu *cpu);
const jit_stats *jit_get_stats(const rv_cpu *cpu);

#endif
