/* Hart reset state and soft-TLB maintenance. */
#include "cpu.h"

#define MISA_EXT(c) ((uint64_t)1 << ((c) - 'A'))

void rv_cpu_init(rv_cpu *cpu, const rv_env *env, int priv)
{
    /* Engines survive a re-initialisation: they only cache code. */
    struct host_ctx *host = cpu->host;
    void *engine = cpu->engine, *jit = cpu->jit;
    void (*hook)(struct rv_cpu *) = cpu->tlb_flush_hook;
    bool jit_failed = cpu->jit_failed;
    memset(cpu, 0, sizeof(*cpu));
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
    rv_tlb_flush(cpu);
}

void rv_tlb_flush(rv_cpu *cpu)
{
    for (unsigned i = 0; i < RV_TLB_SIZE; i++) {
        cpu->tlb[i].tag_r = cpu->tlb[i].tag_w = cpu->tlb[i].tag_x = RV_TLB_INVALID;
        cpu->tlb[i].addend = 0;
    }
    if (cpu->tlb_flush_hook)
        cpu->tlb_flush_hook(cpu);
}
