/* Sv39/Sv48 page walks (privileged spec 4.3-4.4) and the physical lookup
 * that tells the soft TLB what it may cache. */
#include "mmu.h"

#include "../cpu/csr.h"

static int page_fault(int access)
{
    return access == RV_ACC_W ? RV_EXC_STORE_PAGE : access == RV_ACC_X ? RV_EXC_INSN_PAGE : RV_EXC_LOAD_PAGE;
}

static int access_fault(int access)
{
    return access == RV_ACC_W ? RV_EXC_STORE_ACCESS : access == RV_ACC_X ? RV_EXC_INSN_ACCESS : RV_EXC_LOAD_ACCESS;
}

/* Map a physical address to RAM or MMIO; prot is what the translation
 * allows to be cached for this page. */
static int phys_lookup(bus *b, uint64_t pa, int access, int prot, rv_xlate *out)
{
    uint64_t page = pa & RV_PAGE_MASK;
    out->pa = pa;
    uint8_t *ram = bus_ram_ptr(b, page, RV_PAGE_SIZE);
    if (ram && page == b->overlay_page) {
        /* Loads and stores go through the bus (device overlay); code runs from RAM. */
        if (access == RV_ACC_X) {
            out->host_page = ram;
            out->cache_prot = RV_ACC_X;
        } else {
            out->host_page = NULL;
            out->cache_prot = 0;
        }
        return 0;
    }
    if (ram) {
        out->host_page = ram;
        out->cache_prot = prot;
        return 0;
    }
    const uint8_t *rom = bus_rom_ptr(b, page, RV_PAGE_SIZE);
    if (rom) {
        if (access == RV_ACC_W)
            return access_fault(access);
        out->host_page = (uint8_t *)rom; /* never written: W is not cached */
        out->cache_prot = prot & ~RV_ACC_W;
        return 0;
    }
    if (bus_is_mmio(b, pa) && access != RV_ACC_X) {
        out->host_page = NULL;
        out->cache_prot = 0;
        return 0;
    }
    return access_fault(access);
}

/* Permissions a leaf PTE grants at privilege priv (RV_ACC_* bits). */
static int leaf_perms(uint64_t pte, int priv, uint64_t mstatus)
{
    int p = 0;
    if ((pte & PTE_R) || ((pte & PTE_X) && (mstatus & MSTATUS_MXR)))
        p |= RV_ACC_R;
    if (pte & PTE_W)
        p |= RV_ACC_W;
    if (pte & PTE_X)
        p |= RV_ACC_X;
    if (pte & PTE_U) {
        if (priv == RV_PRIV_S) /* S never executes user pages; data needs SUM */
            p = (mstatus & MSTATUS_SUM) ? p & ~RV_ACC_X : 0;
    } else if (priv == RV_PRIV_U) {
        p = 0;
    }
    return p;
}

static int walk(rv_cpu *cpu, bus *b, uint64_t va, int access, int priv, int levels, rv_xlate *out)
{
    int va_bits = 12 + 9 * levels;
    /* The address must be sign-extended from its top translated bit. */
    int64_t sext = (int64_t)(va << (64 - va_bits)) >> (64 - va_bits);
    if ((uint64_t)sext != va)
        return page_fault(access);

    uint64_t table = (cpu->satp & SATP_PPN_MASK) << RV_PAGE_SHIFT;
    for (int level = levels - 1; level >= 0; level--) {
        uint64_t vpn = (va >> (RV_PAGE_SHIFT + 9 * level)) & 0x1ff;
        uint64_t pte_pa = table + vpn * 8;
        uint8_t *pte_ptr = bus_ram_ptr(b, pte_pa, 8);
        if (!pte_ptr)
            return access_fault(access);
        uint64_t pte;
        memcpy(&pte, pte_ptr, 8);
        if (!(pte & PTE_V) || ((pte & PTE_W) && !(pte & PTE_R)) || (pte & PTE_RESERVED_HI))
            return page_fault(access);
        /* Svpbmt: a memory type only with menvcfg.PBMTE, never the reserved
         * 3; with no caches every type behaves alike, so it is not kept. */
        uint64_t pbmt = (pte & PTE_PBMT) >> PTE_PBMT_SHIFT;
        if (pbmt && (pbmt == 3 || !(cpu->menvcfg & MENVCFG_PBMTE)))
            return page_fault(access);
        uint64_t ppn = (pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK;
        if (!(pte & (PTE_R | PTE_X))) { /* pointer to the next level */
            if (level == 0 || pbmt) /* PBMT is reserved in non-leaf PTEs */
                return page_fault(access);
            table = ppn << RV_PAGE_SHIFT;
            continue;
        }
        /* Leaf. */
        uint64_t span_mask = ((uint64_t)1 << (9 * level)) - 1; /* in pages */
        if (ppn & span_mask)
            return page_fault(access); /* misaligned superpage */
        int perms = leaf_perms(pte, priv, cpu->mstatus);
        if (!(perms & access))
            return page_fault(access);
        uint64_t want = PTE_A | (access == RV_ACC_W ? PTE_D : 0);
        if ((pte & want) != want) {
            pte |= want;
            memcpy(pte_ptr, &pte, 8);
        }
        if (!(pte & PTE_D))
            perms &= ~RV_ACC_W; /* the first store must come back to set D */
        uint64_t pa = ((ppn & ~span_mask) << RV_PAGE_SHIFT) | (va & ((span_mask << RV_PAGE_SHIFT) | 0xfff));
        int r = phys_lookup(b, pa, access, perms, out);
        out->leaf_shift = (uint8_t)(RV_PAGE_SHIFT + 9 * level);
        out->user_page = (pte & PTE_U) != 0;
        return r;
    }
    return page_fault(access);
}

int mmu_translate(rv_cpu *cpu, bus *b, uint64_t va, int access, rv_xlate *out)
{
    int priv = cpu->priv;
    bool borrowed = false;
    if (access != RV_ACC_X && priv == RV_PRIV_M && (cpu->mstatus & MSTATUS_MPRV)) {
        priv = (int)((cpu->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
        borrowed = priv != RV_PRIV_M;
    }
    unsigned mode = (unsigned)(cpu->satp >> SATP_MODE_SHIFT);
    int r;
    if (priv == RV_PRIV_M || mode == SATP_MODE_BARE)
        r = phys_lookup(b, va, access, RV_ACC_R | RV_ACC_W | RV_ACC_X, out);
    else
        r = walk(cpu, b, va, access, priv, mode == SATP_MODE_SV48 ? 4 : 3, out);
    /* Under MPRV data accesses translate differently from fetches: keep the
     * cached kinds apart so one does not answer for the other. */
    if (!r && borrowed)
        out->cache_prot &= RV_ACC_R | RV_ACC_W;
    else if (!r && priv == RV_PRIV_M && (cpu->mstatus & MSTATUS_MPRV) && access == RV_ACC_X)
        out->cache_prot &= RV_ACC_X;
    return r;
}
