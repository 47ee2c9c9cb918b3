/* Zicbom / Zicboz (cache-block operations). This model has no caches, so
 * clean, flush and invalidate only make their architectural checks; zero
 * writes the 64-byte block. Zicbop's prefetches are ORI hints (decoder). */
#include "csr.h"

/* Whether the envcfg enable bit `bit` lets the current mode run the
 * instruction: M always; S needs menvcfg; U needs menvcfg and senvcfg. */
static bool cbo_enabled(const rv_cpu *cpu, uint64_t bit)
{
    if (cpu->priv == RV_PRIV_M)
        return true;
    if (!(cpu->menvcfg & bit))
        return false;
    return cpu->priv == RV_PRIV_S || (cpu->senvcfg & bit);
}

/* Loads and stores that fail on a block make a CBO fail with a store
 * fault of the same kind (CMO spec: store page / access fault). */
static int as_store_fault(int cause)
{
    switch (cause) {
    case RV_EXC_LOAD_PAGE: return RV_EXC_STORE_PAGE;
    case RV_EXC_LOAD_ACCESS: return RV_EXC_STORE_ACCESS;
    }
    return cause;
}

int rv_cbo(rv_cpu *cpu, int kind, uint64_t va)
{
    uint64_t base = va & ~(uint64_t)(RV_CBO_BLOCK - 1);
    switch (kind) {
    case RV_CBO_ZERO:
        if (!cbo_enabled(cpu, MENVCFG_CBZE))
            return RV_EXC_ILLEGAL;
        /* The block lies in one page: the first store faults or none does. */
        for (uint64_t off = 0; off < RV_CBO_BLOCK; off += 8) {
            int c = rv_store_u64(cpu, base + off, 0);
            if (c)
                return c;
        }
        return 0;
    case RV_CBO_CLEAN:
    case RV_CBO_FLUSH:
        if (!cbo_enabled(cpu, MENVCFG_CBCFE))
            return RV_EXC_ILLEGAL;
        break;
    default: /* inval: a CBIE field of 0 (or the reserved 2, never stored) is illegal */
        if (cpu->priv != RV_PRIV_M && !(cpu->menvcfg & MENVCFG_CBIE))
            return RV_EXC_ILLEGAL;
        if (cpu->priv == RV_PRIV_U && !(cpu->senvcfg & MENVCFG_CBIE))
            return RV_EXC_ILLEGAL;
        break;
    }
    /* Management operations are permitted where a load or a store is; a
     * readable page is enough (no writable page lacks read permission),
     * and a read does not set the D bit as a store would. */
    rv_xlate xl;
    return as_store_fault(cpu->env.translate(cpu, base, RV_ACC_R, &xl));
}
