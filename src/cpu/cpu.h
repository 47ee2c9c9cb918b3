/* Guest RISC-V hart state, shared by every engine (interpreter, later JIT).
 * Memory is reached through a soft TLB: the fast path is inline here, the
 * refill (user-mode page table or Sv39/Sv48 walk) lives behind rv_env. */
#ifndef SPLITVM_CPU_H
#define SPLITVM_CPU_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define RV_PAGE_SHIFT 12
#define RV_PAGE_SIZE ((uint64_t)1 << RV_PAGE_SHIFT)
#define RV_PAGE_MASK (~(RV_PAGE_SIZE - 1))

/* Whether a guest page holds only zeros (memory never written: fork and
 * snapshots skip it). The C library's memcmp finds that several times
 * faster than a loop over words. */
static inline bool rv_page_is_zero(const uint8_t *page)
{
    static const uint8_t zero[RV_PAGE_SIZE];
    return memcmp(page, zero, RV_PAGE_SIZE) == 0;
}
/* 8192 entries cover 32 MiB of guest memory: the working set of real
 * programs fits, and refills (a C call chain) stay rare. A flush resets
 * only the entries filled since the last one (see tlb_log) unless many. */
#define RV_TLB_BITS 13
#define RV_TLB_LOG 256
#define RV_TLB_SIZE (1u << RV_TLB_BITS)
/* A tag no access can match: real tags are page aligned, with at most the
 * low bits of a misalignment set (bits 3-11 are always zero). */
#define RV_TLB_INVALID (~(uint64_t)0)

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

enum { RV_PRIV_U = 0, RV_PRIV_S = 1, RV_PRIV_M = 3 };

/* Sdtrig triggers (address match, execute only). */
#define RV_NTRIGGERS 2

/* Access kinds, also used as permission bits. */
enum { RV_ACC_R = 1, RV_ACC_W = 2, RV_ACC_X = 4 };

/* Synchronous exception causes (mcause values, interrupt bit clear). */
enum {
    RV_EXC_INSN_MISALIGNED = 0,
    RV_EXC_INSN_ACCESS = 1,
    RV_EXC_ILLEGAL = 2,
    RV_EXC_BREAKPOINT = 3,
    RV_EXC_LOAD_MISALIGNED = 4,
    RV_EXC_LOAD_ACCESS = 5,
    RV_EXC_STORE_MISALIGNED = 6,
    RV_EXC_STORE_ACCESS = 7,
    RV_EXC_ECALL_U = 8,
    RV_EXC_ECALL_S = 9,
    RV_EXC_ECALL_M = 11,
    RV_EXC_INSN_PAGE = 12,
    RV_EXC_LOAD_PAGE = 13,
    RV_EXC_STORE_PAGE = 15,
};
#define RV_CAUSE_INTERRUPT ((uint64_t)1 << 63)
/* Interrupt numbers (bit positions in mip/mie). */
enum { RV_IRQ_SSI = 1, RV_IRQ_MSI = 3, RV_IRQ_STI = 5, RV_IRQ_MTI = 7, RV_IRQ_SEI = 9, RV_IRQ_MEI = 11 };

/* Why an engine's run loop returned. */
typedef enum rv_stop {
    RV_STOP_NONE = 0,
    RV_STOP_BUDGET,     /* instruction budget spent */
    RV_STOP_EXIT,       /* guest asked to exit; cpu->exit_code holds the status */
    RV_STOP_WAIT,       /* wfi with nothing pending, or guest I/O would block */
    RV_STOP_FAULT,      /* fatal guest fault (user mode: no handler); fault_* set */
    RV_STOP_BREAK,      /* breakpoint / debugger request */
    RV_STOP_ERROR,      /* emulator-side error; message in the machine */
    RV_STOP_INTERRUPT,  /* the host asked the run to return (exit_request) */
} rv_stop;

typedef struct rv_tlb_entry {
    uint64_t tag_r, tag_w, tag_x; /* guest page VA, or RV_TLB_INVALID */
    uintptr_t addend;             /* host address = addend + guest VA */
} rv_tlb_entry;

/* Result of a guest-virtual translation (one page). */
typedef struct rv_xlate {
    uint8_t *host_page; /* host address of the page start; NULL for MMIO */
    uint64_t pa;        /* guest physical address of the accessed byte */
    int cache_prot;     /* RV_ACC_* bits that may be cached in the TLB */
    /* The leaf's size (log2 bytes: 12, 21, 30, 39) and whether it is a
     * user page; the TLB keeps both for sfence.vma and SUM (refill sets
     * 12 and false before asking the environment). */
    uint8_t leaf_shift;
    bool user_page;
} rv_xlate;

/* Per-entry facts the TLB keeps beside the entries (tlb.c). */
#define RV_TLB_INFO_SHIFT 0x3f /* the leaf's size, log2 bytes */
#define RV_TLB_INFO_USER 0x80  /* a user page (U set) */

/* A translation regime's TLB entries outside the live TLB: those of a
 * regime the hart left, and those of the live regime not used since it
 * came back (an entry goes back into the live TLB when an access misses
 * there), so traps, xRETs and satp switches between address spaces (ASIDs)
 * neither refill from page walks nor copy entries the regime does not use.
 * A sparse set over the live TLB's slots: pos[slot] is where the slot's
 * entry sits, if idx[pos[slot]] says so (pos is never cleared). See tlb.c. */
#define RV_TLB_BANKS 8
#define RV_TLB_BANK_SIZE 256 /* entries a bank holds (positions fit pos[]) */
#define RV_TLB_XBLOOM 1024 /* bits of the executed-pages filter */
typedef struct rv_tlb_bank {
    uint64_t satp;          /* satp of the regime (0: no translation) */
    uint32_t regime;        /* see tlb.c; 0: the slot is free */
    uint32_t n;             /* entries held */
    uint64_t epoch;         /* jit_ic_epoch of the regime (when not live) */
    uint64_t last_used;     /* for replacement */
    uint64_t leaves[RV_TLB_XBLOOM / 64]; /* the larger leaves held (see tlb_leaves) */
    uint64_t xpages[RV_TLB_XBLOOM / 64]; /* see tlb_xpages (when not live) */
    uint16_t idx[RV_TLB_BANK_SIZE];
    uint8_t info[RV_TLB_BANK_SIZE];
    rv_tlb_entry e[RV_TLB_BANK_SIZE];
    uint8_t pos[RV_TLB_SIZE];
} rv_tlb_bank;

struct rv_cpu;

/* What the environment (user-mode process or system board) provides. */
typedef struct rv_env {
    /* Translate va for one access kind. Returns 0 or an exception cause. */
    int (*translate)(struct rv_cpu *cpu, uint64_t va, int access, rv_xlate *out);
    /* Non-RAM physical accesses (system mode). Return 0 or exception cause. */
    int (*mmio_read)(struct rv_cpu *cpu, uint64_t pa, int size, uint64_t *val);
    int (*mmio_write)(struct rv_cpu *cpu, uint64_t pa, int size, uint64_t val);
    /* Every synchronous exception (ecall included) goes here when set (user
     * mode). The hook may change pc and registers, or set cpu->stop. When
     * NULL, the architectural trap is taken (system mode). */
    void (*trap_hook)(struct rv_cpu *cpu, uint64_t cause, uint64_t tval);
    /* System mode: an engine made a block from the guest code at host
     * address `host` (the board then notices stores to that page), and
     * this hart dropped all its translated code (fence.i after such a
     * store). NULL (user mode): every fence.i drops everything. */
    void (*code_page)(struct rv_cpu *cpu, const void *host);
    void (*code_flushed)(struct rv_cpu *cpu);
    /* Value of the `time` CSR (and mtime). */
    uint64_t (*read_time)(struct rv_cpu *cpu);
    void *opaque; /* the owning process or board */
} rv_env;

/* The hart's architectural state: registers, CSRs, pc, privilege, counters
 * and reservation, apart from engine caches, the TLB and host pointers.
 * rv_cpu holds it in place (the engines address its fields directly) and
 * as one rv_arch (cpu->arch), so it can be copied whole: harts, snapshots,
 * a debugger. */
#define RV_ARCH_FIELDS \
    uint64_t x[33]; /* x[32] is a sink: the decoder maps rd=x0 to it */ \
    uint64_t f[32]; /* raw bits; single precision values are NaN-boxed */ \
    uint64_t pc; \
    uint32_t fflags; /* accrued exceptions, 5 bits */ \
    uint32_t frm;    /* dynamic rounding mode, 3 bits */ \
    int priv; \
    /* Machine and supervisor CSRs. */ \
    uint64_t misa, mstatus, medeleg, mideleg, mie, mip, mtvec, mscratch, mepc, mcause, mtval; \
    uint64_t mcounteren, mcountinhibit, menvcfg, mhartid; \
    uint64_t stvec, sscratch, sepc, scause, stval, satp, scounteren, senvcfg; \
    uint64_t stimecmp; /* Sstc; 0 = unused */ \
    uint64_t pmpcfg[16], pmpaddr[64]; /* stored, not enforced */ \
    /* Sdtrig: tselect and each trigger's tdata1 / tdata2 (trigger.c). */ \
    uint64_t tselect, tdata1[RV_NTRIGGERS], tdata2[RV_NTRIGGERS]; \
    /* Some trigger may match an instruction fetch: the engines then check \
     * every instruction's address before running it (rv_trigger_exec; \
     * derived from the triggers, copied with them). */ \
    bool trig_exec; \
    uint64_t instret; /* retired instructions (also cycle) */ \
    uint64_t mcycle_offset, minstret_offset; /* writes to counters */ \
    /* LR/SC reservation. */ \
    uint64_t resv_addr; \
    uint64_t resv_val; /* value LR read (SC compares against it) */ \
    bool resv_valid;

typedef struct rv_arch {
    RV_ARCH_FIELDS
} rv_arch;

/* Breakpoints and watchpoints a debugger set (owned by the machine,
 * shared by its harts). A watchpoint covers [addr, addr + len) of guest
 * virtual memory for the accesses in kind (RV_ACC_R, RV_ACC_W or both):
 * while any is set, the TLB caches no data access to a page one touches,
 * so every such access takes the slow path, which looks (rv_watch_access);
 * and instructions run one at a time, so a hit stops the run right after
 * the instruction that made it. */
#define RV_DEBUG_MAX_BREAKPOINTS 64
#define RV_DEBUG_MAX_WATCHPOINTS 16
typedef struct rv_watch {
    uint64_t addr, len;
    int kind;
} rv_watch;
typedef struct rv_debug {
    unsigned n;
    uint64_t addr[RV_DEBUG_MAX_BREAKPOINTS];
    unsigned nwatch;
    rv_watch watch[RV_DEBUG_MAX_WATCHPOINTS];
} rv_debug;

/* Whether a watchpoint covers part of the page holding va. */
static inline bool rv_debug_watches_page(const rv_debug *d, uint64_t va)
{
    const uint64_t page = va & ~(uint64_t)4095;
    for (unsigned i = 0; i < d->nwatch; i++)
        if (d->watch[i].addr < page + 4096 && page < d->watch[i].addr + d->watch[i].len)
            return true;
    return false;
}

static inline bool rv_debug_has(const rv_debug *d, uint64_t pc)
{
    for (unsigned i = 0; i < d->n; i++)
        if (d->addr[i] == pc)
            return true;
    return false;
}

/* The bytes of a block that starts at pc may span (avail: to the end of
 * its page) so that it ends before the page offset of any breakpoint
 * (never less than the first instruction, first_len bytes). */
static inline size_t rv_debug_block_limit(const rv_debug *d, uint64_t pc, size_t avail, size_t first_len)
{
    const uint64_t mask = RV_PAGE_SIZE - 1;
    size_t limit = avail;
    for (unsigned i = 0; i < d->n; i++) {
        uint64_t ahead = ((d->addr[i] & mask) - (pc & mask)) & mask; /* 0: at pc */
        if (ahead >= first_len && ahead < limit)
            limit = (size_t)ahead;
    }
    return limit;
}

typedef struct rv_cpu {
    /* What generated code reads at every block entry or guest access comes
     * first, next to x[]: behind the 256 KiB soft TLB these loads made the
     * Lua benchmark 1.6x slower (a host memory-ordering effect, measured). */
    /* User mode: guest va v lives at host address mem_base + v (0: no flat
     * region), and for every va below mem_fast_limit the host MMU refuses
     * exactly the accesses the guest's permissions refuse, so the JIT may
     * access it directly and let a host fault lead to the slow path, which
     * raises the guest's fault (0: every access goes through the soft TLB). */
    uintptr_t mem_base;
    uint64_t mem_fast_limit;
    /* mem_fast_limit - 4095 (0 below that): when v - 2048 is below it
     * (unsigned), every access at v plus a 12-bit offset is below
     * mem_fast_limit, so a JIT block checks a base register once for all
     * its accesses off it. Set both with rv_set_mem_fast_limit. */
    uint64_t mem_span_limit;
    uint64_t jit_check_at; /* JIT blocks return to the dispatcher when instret reaches it */
    /* The translation regime's epoch, new at every TLB flush (tlb.c): an
     * indirect jump's inline cache holds only for the epoch it was filled
     * in (kept below 2^31: compared as imm32). */
    uint64_t jit_ic_epoch;
    /* The architectural state (see RV_ARCH_FIELDS), by field or whole. */
    union {
        rv_arch arch;
        struct {
            RV_ARCH_FIELDS
        };
    };

    /* Soft TLB. */
    rv_tlb_entry tlb[RV_TLB_SIZE];
    uint16_t tlb_log[RV_TLB_LOG]; /* entries filled since the last flush */
    uint32_t tlb_log_n;           /* > RV_TLB_LOG: too many, flush all */
    uint8_t tlb_info[RV_TLB_SIZE]; /* RV_TLB_INFO_* of each entry */
    /* The leaves larger than a page that live entries came from since the
     * live TLB was last emptied (a Bloom filter, as tlb_xpages): a
     * sfence.vma of a va outside them need not look beyond the va's slot. */
    uint64_t tlb_leaves[RV_TLB_XBLOOM / 64];
    uint64_t tlb_satp;            /* the live entries' regime (tlb.c) */
    uint32_t tlb_regime;
    uint64_t tlb_epoch_next;      /* epochs handed out so far */
    uint64_t tlb_clock;           /* bank use counter */
    /* Pages code was fetched from in the live regime's epoch (a Bloom
     * filter, keyed by leaf): a sfence.vma of a va outside them leaves
     * the epoch, and so the JIT's jump caches, alone (tlb.c). */
    uint64_t tlb_xpages[RV_TLB_XBLOOM / 64];
    rv_tlb_bank tlb_banks[RV_TLB_BANKS];
    /* The live regime's bank (NULL: none yet): its entries not in the
     * live TLB, which rv_tlb_reload puts back on a miss. */
    rv_tlb_bank *tlb_bank;

    rv_env env;

    /* Run control. */
    rv_stop stop;           /* set to stop the run loop at the next block boundary */
    int exit_code;          /* valid for RV_STOP_EXIT */
    uint64_t fault_cause, fault_tval; /* valid for RV_STOP_FAULT */
    bool wfi;               /* hart is waiting for an interrupt */
    /* A page this hart translated code from was written since (set by the
     * board): the next fence.i must drop the translated code. */
    bool code_written;
    /* Trap entries (exceptions and interrupts). A trap retires nothing, so
     * the engines count these against the run budget too: a guest that
     * traps forever (mtvec unmapped) still ends its slice. */
    uint64_t traps;
    /* Set from any thread or a signal handler (svm_interrupt): the running
     * engine returns RV_STOP_INTERRUPT at its next check. Engines leave it
     * set; the API clears it when it reports the stop. */
    atomic_int exit_request;
    /* Debugger (svm_set_breakpoint, svm_step): while set, the interpreter
     * looks at every block entry and stops with RV_STOP_BREAK before an
     * instruction whose pc is in the table, except at its first check when
     * debug_skip is set (it clears it), so a run resumes from a
     * breakpoint. Blocks it predecodes meanwhile end before any address
     * whose page offset is a breakpoint's (whatever the virtual mapping
     * the code is run through), so every breakpoint starts a block; flush
     * them (rv_interp_flush) when the table changes. With debug_step every
     * instruction runs alone (a budget of 1 is then exact). The JIT is not
     * used meanwhile (the caller's choice). */
    const struct rv_debug *debug;
    bool debug_skip;
    bool debug_step;
    /* The last watchpoint hit (rv_watch_access): the access's address and
     * kind (RV_ACC_R / RV_ACC_W; 0: none since the API last looked). */
    uint64_t watch_addr;
    int watch_kind;

    /* JIT run-time state that generated code reaches through the cpu. */
    uint64_t jit_exc, jit_tval; /* trap raised inside generated code */
    uintptr_t jit_exit_site;    /* patchable jump that led to the last exit (0: none) */
    uintptr_t jit_exit_ic;      /* inline cache that asked to be filled on the last exit (0: none) */
    /* Called by rv_tlb_flush (the JIT drops its pc-keyed jump cache). */
    void (*tlb_flush_hook)(struct rv_cpu *cpu);

    /* Engine-private state (block cache etc.), allocated through host. */
    void *engine;
    void *jit; /* the JIT's translation context (src/jit) */
    bool jit_failed; /* no JIT here (no backend or no W^X buffer) */
    bool jit_no_fault_handler; /* the JIT may not take the host's fault handler */
    bool jit_baseline_isa; /* the JIT emits baseline x86-64 only (tests the paths of older hosts) */
    /* Tests (jit_diff --traces): every block is lowered as the hot tier
     * lowers hot ones, its trace taking the side of each branch that a hash
     * of the target picks: the hot tier's traces on code with no profile. */
    bool jit_trace_test;
    size_t jit_code_size;  /* the JIT's code buffer in bytes; 0 = JIT_CODE_SIZE (src/jit/jit.h) */
    uint8_t jit_warm_runs; /* times a block runs in the interpreter before it is translated (0, 1: at once) */
    struct host_ctx *host; /* the owning machine's resource tracker */
} rv_cpu;

/* ---- cpu.c ---- */
void rv_cpu_init(rv_cpu *cpu, const rv_env *env, int priv);
void rv_set_mem_fast_limit(rv_cpu *cpu, uint64_t limit);
/* Replace the hart's whole architectural state (cpu->arch = *a), dropping
 * what the TLB and the engines cached for the old one. */
void rv_arch_load(rv_cpu *cpu, const rv_arch *a);

/* ---- tlb.c: soft-TLB maintenance ---- */
/* Drop every cached translation, of every regime. */
void rv_tlb_flush(rv_cpu *cpu);
/* ... where no code was fetched from: the fetch translations stay valid. */
void rv_tlb_flush_data(rv_cpu *cpu);
/* Privilege, satp, MPRV/MPP or MXR may have changed: switch the live
 * entries to the regime now in force (banking the old one's). */
void rv_tlb_regime_update(rv_cpu *cpu);
/* mstatus.SUM went from 1 to 0: S mode may no longer use user pages. */
void rv_tlb_sum_cleared(rv_cpu *cpu);
/* sfence.vma: va 0 means every address, asid 0 every address space. */
void rv_tlb_sfence(rv_cpu *cpu, uint64_t va, uint64_t asid);
/* Whether a regime left with this epoch is saved (and may come back). */
bool rv_tlb_epoch_saved(const rv_cpu *cpu, uint64_t epoch);
/* Before a page walk for va (mem.c): put the live regime's banked entry
 * for va's page back into the live TLB. True when it allows `access` (x
 * then describes the page, as a walk would). */
bool rv_tlb_reload(rv_cpu *cpu, uint64_t va, int access, rv_xlate *x);
/* Record a refill of the entry for va (mem.c); `access` is the refill's. */
void rv_tlb_fill(rv_cpu *cpu, uint64_t va, int access, const rv_xlate *x);
/* Stop caching writes to the host page (an engine now holds code from it):
 * the TLB entries that allow them go, in every regime. */
void rv_tlb_drop_writes(rv_cpu *cpu, const void *host_page);

/* ---- mem.c: slow paths (TLB refill, misaligned, page-crossing, MMIO) ----
 * All return 0 or an exception cause; they never trap by themselves. */
int rv_load_slow(rv_cpu *cpu, uint64_t va, int size, uint64_t *val);
int rv_store_slow(rv_cpu *cpu, uint64_t va, int size, uint64_t val);
/* A debugger's watchpoints: an access of kind (RV_ACC_R / RV_ACC_W) to
 * [va, va + size) was made; a watchpoint it touches stops the run (after
 * this instruction) with RV_STOP_BREAK and cpu->watch_addr / watch_kind. */
void rv_watch_access(rv_cpu *cpu, uint64_t va, int size, int kind);
/* Host pointer to `size` naturally aligned bytes that are readable and
 * writable RAM (for AMOs and LR/SC). Misaligned -> *_MISALIGNED cause. */
int rv_amo_ptr(rv_cpu *cpu, uint64_t va, int size, void **ptr);
/* Host pointer to the instruction page holding va (for fetch / block keys);
 * *avail = bytes readable from there to the end of the page. */
int rv_fetch_ptr(rv_cpu *cpu, uint64_t va, const uint8_t **ptr, size_t *avail);

/* Fast paths: one compare against the TLB tag (which also rejects
 * misaligned addresses, sending them to the slow path). Always inlined: in
 * the interpreter's one big function GCC otherwise may call an out-of-line
 * copy from every store handler (11% more host instructions, measured). */
#define RV_TLB_IDX(va) (((va) >> RV_PAGE_SHIFT) & (RV_TLB_SIZE - 1))

#define RV_DEFINE_LOAD(name, type, size)                                      \
    static inline __attribute__((always_inline)) int name(rv_cpu *cpu, uint64_t va, uint64_t *val) \
    {                                                                         \
        const rv_tlb_entry *e = &cpu->tlb[RV_TLB_IDX(va)];                    \
        if (likely(e->tag_r == (va & (RV_PAGE_MASK | (size - 1))))) {         \
            type v;                                                           \
            memcpy(&v, (const void *)(e->addend + (uintptr_t)va), size);      \
            *val = (uint64_t)v;                                               \
            return 0;                                                         \
        }                                                                     \
        return rv_load_slow(cpu, va, size, val);                              \
    }
RV_DEFINE_LOAD(rv_load_u8, uint8_t, 1)
RV_DEFINE_LOAD(rv_load_u16, uint16_t, 2)
RV_DEFINE_LOAD(rv_load_u32, uint32_t, 4)
RV_DEFINE_LOAD(rv_load_u64, uint64_t, 8)
#undef RV_DEFINE_LOAD

#define RV_DEFINE_STORE(name, type, size)                                     \
    static inline __attribute__((always_inline)) int name(rv_cpu *cpu, uint64_t va, uint64_t val) \
    {                                                                         \
        const rv_tlb_entry *e = &cpu->tlb[RV_TLB_IDX(va)];                    \
        if (likely(e->tag_w == (va & (RV_PAGE_MASK | (size - 1))))) {         \
            type v = (type)val;                                               \
            memcpy((void *)(e->addend + (uintptr_t)va), &v, size);            \
            return 0;                                                         \
        }                                                                     \
        return rv_store_slow(cpu, va, size, val);                             \
    }
RV_DEFINE_STORE(rv_store_u8, uint8_t, 1)
RV_DEFINE_STORE(rv_store_u16, uint16_t, 2)
RV_DEFINE_STORE(rv_store_u32, uint32_t, 4)
RV_DEFINE_STORE(rv_store_u64, uint64_t, 8)
#undef RV_DEFINE_STORE

/* ---- csr.c / trap.c (privileged architecture) ---- */
/* CSR access with privilege and read-only checks; return 0 or RV_EXC_ILLEGAL.
 * The engine calls read then write as the CSR instruction requires (no read
 * for csrrw with rd=x0, no write for csrrs/csrrc with rs1=x0 / uimm=0). */
int rv_csr_read(rv_cpu *cpu, unsigned csr, uint64_t *val);
int rv_csr_write(rv_cpu *cpu, unsigned csr, uint64_t val);
/* Take a synchronous exception at cpu->pc (the faulting instruction's pc):
 * calls env.trap_hook when set, otherwise the architectural trap entry with
 * medeleg delegation. */
void rv_trap(rv_cpu *cpu, uint64_t cause, uint64_t tval);
/* xRET: return 0 and set pc, or RV_EXC_ILLEGAL. */
int rv_mret(rv_cpu *cpu);
int rv_sret(rv_cpu *cpu);
/* wfi: 0, or RV_EXC_ILLEGAL (mstatus.TW in S/U mode). */
int rv_wfi(rv_cpu *cpu);
/* sfence.vma (and Svinval's sinval.vma): 0 or RV_EXC_ILLEGAL (U mode, or
 * TVM in S mode). */
int rv_sfence_vma(rv_cpu *cpu, uint64_t va, uint64_t asid);
/* Svinval's sfence.w.inval / sfence.inval.ir: 0 or RV_EXC_ILLEGAL (U mode). */
int rv_sfence_inval_order(rv_cpu *cpu);

/* ---- cmo.c: Zicbom / Zicboz on the 64-byte block holding va ----
 * Returns 0, RV_EXC_ILLEGAL (disabled by menvcfg / senvcfg) or a store
 * page / access fault cause (tval: va). */
enum { RV_CBO_INVAL, RV_CBO_CLEAN, RV_CBO_FLUSH, RV_CBO_ZERO };
#define RV_CBO_BLOCK 64
int rv_cbo(rv_cpu *cpu, int kind, uint64_t va);

/* ---- trigger.c: Sdtrig ---- */
void rv_trigger_reset(rv_cpu *cpu);
/* tselect / tdata1-3 / tinfo: 0 or RV_EXC_ILLEGAL (csr is 0x7a0-0x7a4). */
int rv_trigger_csr_read(rv_cpu *cpu, unsigned csr, uint64_t *val);
int rv_trigger_csr_write(rv_cpu *cpu, unsigned csr, uint64_t val);
/* Whether a trigger fires on fetching the instruction at pc in the current
 * mode (then the engine raises a breakpoint exception with tval = pc
 * before the instruction runs). Call only when cpu->trig_exec is set. */
bool rv_trigger_exec(const rv_cpu *cpu, uint64_t pc);
/* Recompute cpu->trig_exec from the triggers (after they are restored). */
void rv_trigger_update(rv_cpu *cpu);
/* Whether tselect and every tdata1 hold values a CSR write could leave. */
bool rv_trigger_legal(const rv_arch *a);

/* ---- restoring a hart (snapshots) ---- */
/* Whether a holds only values this hart could reach (fresh: the hart as
 * made, for misa and mhartid): 0, or -1 with the first offending field
 * named in why. */
int rv_arch_check(const rv_arch *a, const rv_arch *fresh, char *why, size_t len);
struct state_w;
struct state_r;
/* arch_state.c: the architectural state (and wfi), field by field. */
void rv_arch_put(const rv_arch *a, bool wfi, struct state_w *w);
int rv_arch_get(rv_arch *a, bool *wfi, struct state_r *r);
/* rv_arch_load, then what a snapshot does not carry: wfi as given, no
 * reservation, the trigger summary recomputed, a dispatcher check due. */
void rv_arch_restore(rv_cpu *cpu, const rv_arch *a, bool wfi);
/* Take the highest-priority pending and enabled interrupt, if any
 * (sets pc to the handler). Returns true if one was taken. */
bool rv_take_interrupt(rv_cpu *cpu);

/* ---- engine entry points ---- */
/* Run until a stop condition or until max_insns more instructions retire. */
rv_stop rv_interp_run(rv_cpu *cpu, uint64_t max_insns);
/* The JIT (src/jit): same contract as rv_interp_run; both engines share
 * this state and may hand over between calls. Without a W^X code buffer
 * (rv_jit_available false) rv_jit_run runs the interpreter. */
bool rv_jit_available(rv_cpu *cpu);
rv_stop rv_jit_run(rv_cpu *cpu, uint64_t max_insns);
/* Drop all translated/predecoded code (fence.i, code unmapped). */
void rv_engine_flush(rv_cpu *cpu);
/* Drop the interpreter's predecoded blocks only (the breakpoints changed:
 * blocks end before them, see rv_cpu.debug). */
void rv_interp_flush(rv_cpu *cpu);
/* The JIT translated the code at host address `host`: a stretch of cold
 * code the JIT hands the interpreter ends when it comes there (after the
 * stretch's first block), so code that has become hot runs translated. */
void rv_interp_note_translated(rv_cpu *cpu, uintptr_t host);
/* fence.i: drop the translated code when it may be stale (always in user
 * mode; on a board only after a store to a page it came from). */
void rv_fence_i(rv_cpu *cpu);
/* Tell the environment an engine made a block from code at host address
 * host (no-op without env.code_page). */
static inline void rv_note_code(rv_cpu *cpu, const void *host)
{
    if (cpu->env.code_page)
        cpu->env.code_page(cpu, host);
}
/* Free the engine's state. */
void rv_engine_destroy(rv_cpu *cpu);

#endif
