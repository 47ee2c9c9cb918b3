/* Hart reset state and whole-state loads. */
#include "cpu.h"
#include "csr.h"

#define MISA_EXT(c) ((uint64_t)1 << ((c) - 'A'))

void rv_cpu_init(rv_cpu *cpu, const rv_env *env, int priv)
{
    /* Engines survive a re-initialisation (they only cache code), and so
     * does the user-mode address space's flat region. */
    struct host_ctx *host = cpu->host;
    void *engine = cpu->engine, *jit = cpu->jit;
    void (*hook)(struct rv_cpu *) = cpu->tlb_flush_hook;
    bool jit_failed = cpu->jit_failed, no_fault_handler = cpu->jit_no_fault_handler;
    bool baseline_isa = cpu->jit_baseline_isa;
    size_t code_size = cpu->jit_code_size;
    uint8_t warm_runs = cpu->jit_warm_runs;
    uintptr_t mem_base = cpu->mem_base;
    uint64_t mem_fast_limit = cpu->mem_fast_limit, ic_epoch = cpu->jit_ic_epoch;
    uint64_t epoch_next = cpu->tlb_epoch_next;
    memset(cpu, 0, sizeof(*cpu));
    /* Translated code may hold inline caches filled in these epochs. */
    cpu->jit_ic_epoch = ic_epoch;
    cpu->tlb_epoch_next = epoch_next > ic_epoch ? epoch_next : ic_epoch;
    cpu->mem_base = mem_base;
    rv_set_mem_fast_limit(cpu, mem_fast_limit);
    cpu->jit_no_fault_handler = no_fault_handler;
    cpu->jit_baseline_isa = baseline_isa;
    cpu->jit_code_size = code_size;
    cpu->jit_warm_runs = warm_runs;
    cpu->host = host;
    cpu->engine = engine;
    cpu->jit = jit;
    cpu->tlb_flush_hook = hook;
    cpu->jit_failed = jit_failed;
    cpu->env = *env;
    cpu->priv = priv;
    cpu->misa = ((uint64_t)2 << 62) | MISA_EXT('I') | MISA_EXT('M') | MISA_EXT('A') | MISA_EXT('F') |
                MISA_EXT('D') | MISA_EXT('C') | MISA_EXT('S') | MISA_EXT('U');
    /* UXL = SXL = 2 (64-bit). */
    cpu->mstatus = ((uint64_t)2 << 32) | ((uint64_t)2 << 34);
    /* Svpbmt's PBMTE starts set, as on Spike and QEMU: a kernel told of
     * Svpbmt by the device tree uses PBMT in its I/O mappings even where
     * the firmware does not know menvcfg (OpenSBI 1.1 sets it itself). */
    cpu->menvcfg = MENVCFG_PBMTE;
    rv_trigger_reset(cpu);
    cpu->tlb_log_n = RV_TLB_LOG + 1; /* every entry still to be made invalid */
    rv_tlb_flush(cpu);
}

void rv_set_mem_fast_limit(rv_cpu *cpu, uint64_t limit)
{
    cpu->mem_fast_limit = limit;
    cpu->mem_span_limit = limit > 4095 ? limit - 4095 : 0;
}

/* The union in rv_cpu lays the fields out once; say so where it matters. */
_Static_assert(offsetof(rv_cpu, x) == offsetof(rv_cpu, arch) + offsetof(rv_arch, x), "rv_arch layout");
_Static_assert(offsetof(rv_cpu, resv_valid) == offsetof(rv_cpu, arch) + offsetof(rv_arch, resv_valid),
               "rv_arch layout");

void rv_arch_load(rv_cpu *cpu, const rv_arch *a)
{
    cpu->arch = *a;
    cpu->wfi = false;
    /* Translation and code caches were made for the old privilege and satp. */
    rv_tlb_flush(cpu);
    if (cpu->engine || cpu->jit)
        rv_engine_flush(cpu);
}

void rv_fence_i(rv_cpu *cpu)
{
    if (cpu->env.code_page && !cpu->code_written)
        return; /* nothing this hart translated was written since */
    rv_engine_flush(cpu);
    cpu->code_written = false;
    if (cpu->env.code_flushed)
        cpu->env.code_flushed(cpu);
}
