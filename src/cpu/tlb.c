/* Soft-TLB maintenance: fills, flushes, sfence.vma, and the saved regimes.
 *
 * The live TLB (cpu->tlb) serves one translation regime: the privilege
 * fetches run at, the one data accesses run at (MPRV), MXR and satp (mode,
 * ASID, root). When the regime changes (a trap, an xRET, a satp switch to
 * another address space) the entries filled since the last change (the
 * log) go to a bank, and the new regime's bank, if one was saved, comes
 * back: a system call costs a few dozen entry copies instead of a page walk
 * per page touched afterwards, and the generated code's TLB probes stay as
 * they are. A regime whose log overflowed is not saved (it refills).
 *
 * mstatus.SUM is not part of the regime: setting it only adds rights, and
 * clearing it drops the user pages the live entries hold (the banks keep
 * whether they were saved with it set).
 *
 * Each regime has its own epoch for the JIT's inline caches, which the
 * bank keeps: an inline cache filled in one regime holds in no other, and
 * still holds when the hart comes back. Epochs are never reused (a wrap
 * drops all translated code). */
#include "cpu.h"
#include "csr.h"

/* cpu->tlb_regime bits. */
#define REGIME_VALID 1u       /* 0 marks a free bank */
#define REGIME_TRANSLATED 2u  /* satp translates some accesses */
#define REGIME_PRIV_SHIFT 2   /* fetch privilege */
#define REGIME_DPRIV_SHIFT 4  /* data privilege (MPRV) */
#define REGIME_MXR 0x40u

static void reset_entry(rv_tlb_entry *e)
{
    e->tag_r = e->tag_w = e->tag_x = RV_TLB_INVALID;
    e->addend = 0;
}

static bool entry_valid(const rv_tlb_entry *e)
{
    return e->tag_r != RV_TLB_INVALID || e->tag_w != RV_TLB_INVALID || e->tag_x != RV_TLB_INVALID;
}

/* The page an entry maps (any valid tag; tags are page aligned). */
static uint64_t entry_page(const rv_tlb_entry *e)
{
    return e->tag_r != RV_TLB_INVALID ? e->tag_r : e->tag_w != RV_TLB_INVALID ? e->tag_w : e->tag_x;
}

static unsigned info_shift(uint8_t info);

/* Whether a cached translation came from a leaf that also maps va. */
static bool entry_covers(const rv_tlb_entry *e, uint8_t info, uint64_t va)
{
    unsigned shift = info_shift(info);
    return entry_valid(e) && (entry_page(e) >> shift) == (va >> shift);
}

/* An epoch never handed out before. At the wrap, translated code may hold
 * inline caches of any earlier epoch: it all goes. */
static uint64_t fresh_epoch(rv_cpu *cpu)
{
    if (++cpu->tlb_epoch_next >= INT32_MAX) {
        cpu->tlb_epoch_next = 1;
        for (unsigned i = 0; i < RV_TLB_BANKS; i++)
            cpu->tlb_banks[i].epoch = cpu->tlb_epoch_next++;
        if (cpu->engine || cpu->jit)
            rv_engine_flush(cpu);
    }
    return cpu->tlb_epoch_next;
}

static void new_epoch(rv_cpu *cpu) { cpu->jit_ic_epoch = fresh_epoch(cpu); }

/* A new epoch for a regime that starts empty. */
static void new_empty_epoch(rv_cpu *cpu)
{
    new_epoch(cpu);
    memset(cpu->tlb_xpages, 0, sizeof(cpu->tlb_xpages));
}

/* The live entries no longer hold for the pcs they held for: the JIT drops
 * its pc-keyed jump cache. */
static void live_changed(rv_cpu *cpu)
{
    if (cpu->tlb_flush_hook)
        cpu->tlb_flush_hook(cpu);
}

/* Empty the live TLB (without a new epoch or the hook). */
static void clear_live(rv_cpu *cpu)
{
    if (cpu->tlb_log_n <= RV_TLB_LOG) {
        for (uint32_t i = 0; i < cpu->tlb_log_n; i++)
            reset_entry(&cpu->tlb[cpu->tlb_log[i]]);
    } else {
        for (unsigned i = 0; i < RV_TLB_SIZE; i++)
            reset_entry(&cpu->tlb[i]);
    }
    cpu->tlb_log_n = 0;
    memset(cpu->tlb_leaves, 0, sizeof(cpu->tlb_leaves));
}

static void regime_now(const rv_cpu *cpu, uint64_t *satp, uint32_t *regime);

void rv_tlb_flush(rv_cpu *cpu)
{
    clear_live(cpu);
    for (unsigned i = 0; i < RV_TLB_BANKS; i++)
        cpu->tlb_banks[i].regime = 0;
    regime_now(cpu, &cpu->tlb_satp, &cpu->tlb_regime);
    new_empty_epoch(cpu);
    live_changed(cpu);
}

/* ---- executed pages ----
 * The JIT's jump caches hold targets fetched in the regime's epoch. Each
 * fetch that refills the TLB marks its leaf (keyed by the leaf's size) in
 * a Bloom filter; a sfence.vma of a va whose leaf, of any size, is not in
 * it cannot have changed a cached target, so the epoch stays. */
static unsigned xpage_bit(uint64_t va, unsigned shift)
{
    return (unsigned)((((va >> shift) + shift) * 0x9e3779b97f4a7c15ull) >> (64 - 10)) & (RV_TLB_XBLOOM - 1);
}

static void xpages_add(uint64_t *bloom, uint64_t va, unsigned shift)
{
    unsigned bit = xpage_bit(va, shift);
    bloom[bit / 64] |= (uint64_t)1 << (bit % 64);
}

static bool xpages_may_hold(const uint64_t *bloom, uint64_t va)
{
    for (unsigned shift = RV_PAGE_SHIFT; shift <= 39; shift += 9) {
        unsigned bit = xpage_bit(va, shift);
        if (bloom[bit / 64] & ((uint64_t)1 << (bit % 64)))
            return true;
    }
    return false;
}

static unsigned info_shift(uint8_t info)
{
    unsigned shift = info & RV_TLB_INFO_SHIFT;
    return shift < RV_PAGE_SHIFT || shift > 39 ? RV_PAGE_SHIFT : shift;
}

/* The live regime's epoch changes but its entries stay: the filter
 * starts again from the executable ones (all bits when unknown). */
static void xpages_from_live(rv_cpu *cpu)
{
    bool known = cpu->tlb_log_n <= RV_TLB_LOG;
    memset(cpu->tlb_xpages, known ? 0 : 0xff, sizeof(cpu->tlb_xpages));
    for (uint32_t i = 0; known && i < cpu->tlb_log_n; i++) {
        unsigned idx = cpu->tlb_log[i];
        if (cpu->tlb[idx].tag_x != RV_TLB_INVALID)
            xpages_add(cpu->tlb_xpages, cpu->tlb[idx].tag_x, info_shift(cpu->tlb_info[idx]));
    }
}

/* ---- larger leaves ---- */

/* Whether va may lie in one of the larger leaves a filter holds. */
static bool leaves_cover(const uint64_t *bloom, uint64_t va)
{
    for (unsigned shift = RV_PAGE_SHIFT + 9; shift <= 39; shift += 9) {
        unsigned bit = xpage_bit(va, shift);
        if (bloom[bit / 64] & ((uint64_t)1 << (bit % 64)))
            return true;
    }
    return false;
}

void rv_tlb_fill(rv_cpu *cpu, uint64_t va, int access, const rv_xlate *x)
{
    if (access == RV_ACC_X) /* cached or not, a fetch the JIT may remember */
        xpages_add(cpu->tlb_xpages, va, x->leaf_shift);
    if (!x->host_page)
        return;
    uint64_t page = va & RV_PAGE_MASK;
    unsigned idx = (unsigned)RV_TLB_IDX(va);
    rv_tlb_entry *e = &cpu->tlb[idx];
    uintptr_t addend = (uintptr_t)x->host_page - (uintptr_t)page;
    if (!entry_valid(e)) { /* a valid one is in the log already */
        if (cpu->tlb_log_n < RV_TLB_LOG)
            cpu->tlb_log[cpu->tlb_log_n] = (uint16_t)idx;
        if (cpu->tlb_log_n <= RV_TLB_LOG)
            cpu->tlb_log_n++;
    }
    if (e->addend != addend || (e->tag_r != page && e->tag_w != page && e->tag_x != page))
        e->tag_r = e->tag_w = e->tag_x = RV_TLB_INVALID;
    e->addend = addend;
    cpu->tlb_info[idx] = (uint8_t)((x->leaf_shift & RV_TLB_INFO_SHIFT) | (x->user_page ? RV_TLB_INFO_USER : 0));
    if (x->leaf_shift > RV_PAGE_SHIFT)
        xpages_add(cpu->tlb_leaves, va, x->leaf_shift);
    if (x->cache_prot & RV_ACC_R)
        e->tag_r = page;
    if (x->cache_prot & RV_ACC_W)
        e->tag_w = page;
    if (x->cache_prot & RV_ACC_X)
        e->tag_x = page;
}

/* ---- regimes ---- */

static void regime_now(const rv_cpu *cpu, uint64_t *satp, uint32_t *regime)
{
    int priv = cpu->priv, dpriv = priv;
    if (priv == RV_PRIV_M && (cpu->mstatus & MSTATUS_MPRV))
        dpriv = (int)((cpu->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    bool bare = (cpu->satp >> SATP_MODE_SHIFT) == SATP_MODE_BARE;
    if (bare || (priv == RV_PRIV_M && dpriv == RV_PRIV_M)) {
        /* Every privilege sees physical memory the same way. */
        *satp = 0;
        *regime = REGIME_VALID;
        return;
    }
    *satp = cpu->satp;
    *regime = REGIME_VALID | REGIME_TRANSLATED | (uint32_t)priv << REGIME_PRIV_SHIFT |
              (uint32_t)dpriv << REGIME_DPRIV_SHIFT | ((cpu->mstatus & MSTATUS_MXR) ? REGIME_MXR : 0);
}

/* Whether data accesses of the regime run in S mode (where SUM counts). */
static bool regime_data_s(uint32_t regime)
{
    return (regime & REGIME_TRANSLATED) && ((regime >> REGIME_DPRIV_SHIFT) & 3) == RV_PRIV_S;
}

/* Save the live entries (when the log knows them all) into the free or
 * least recently used bank, and empty the live TLB. */
static void save_live(rv_cpu *cpu)
{
    if (cpu->tlb_log_n <= RV_TLB_LOG && cpu->tlb_log_n) {
        rv_tlb_bank *b = &cpu->tlb_banks[0];
        for (unsigned i = 0; i < RV_TLB_BANKS && b->regime; i++) {
            rv_tlb_bank *c = &cpu->tlb_banks[i];
            if (!c->regime || c->last_used < b->last_used)
                b = c;
        }
        b->satp = cpu->tlb_satp;
        b->regime = cpu->tlb_regime;
        b->epoch = cpu->jit_ic_epoch;
        b->last_used = ++cpu->tlb_clock;
        b->sum = (cpu->mstatus & MSTATUS_SUM) != 0;
        memcpy(b->xpages, cpu->tlb_xpages, sizeof(b->xpages));
        /* Entries of larger leaves first, then the others with a map of
         * their slots: a fence of one va looks at few of them. */
        uint32_t n = 0;
        memset(b->slots, 0, sizeof(b->slots));
        for (int pass = 0; pass < 2; pass++) {
            for (uint32_t i = 0; i < cpu->tlb_log_n; i++) {
                unsigned idx = cpu->tlb_log[i];
                rv_tlb_entry *e = &cpu->tlb[idx];
                bool small = info_shift(cpu->tlb_info[idx]) == RV_PAGE_SHIFT;
                if (!entry_valid(e) || small != (pass == 1))
                    continue; /* dropped since, logged twice, or the other pass's */
                b->idx[n] = (uint16_t)idx;
                b->info[n] = cpu->tlb_info[idx];
                b->e[n++] = *e;
                reset_entry(e);
                if (small)
                    b->slots[(idx & 255) / 64] |= (uint64_t)1 << (idx % 64);
            }
            if (pass == 0)
                b->nsuper = n;
        }
        b->n = n;
        memcpy(b->leaves, cpu->tlb_leaves, sizeof(b->leaves));
        cpu->tlb_log_n = 0;
        memset(cpu->tlb_leaves, 0, sizeof(cpu->tlb_leaves));
        if (!n)
            b->regime = 0;
        return;
    }
    clear_live(cpu);
}

/* Put a saved regime's entries back into the (empty) live TLB. */
static void restore_bank(rv_cpu *cpu, rv_tlb_bank *b)
{
    bool drop_user = b->sum && !(cpu->mstatus & MSTATUS_SUM) && regime_data_s(b->regime);
    uint32_t n = 0;
    for (uint32_t i = 0; i < b->n; i++) {
        if (drop_user && (b->info[i] & RV_TLB_INFO_USER))
            continue;
        unsigned idx = b->idx[i];
        cpu->tlb[idx] = b->e[i];
        cpu->tlb_info[idx] = b->info[i];
        cpu->tlb_log[n++] = (uint16_t)idx;
    }
    memcpy(cpu->tlb_leaves, b->leaves, sizeof(cpu->tlb_leaves));
    cpu->tlb_log_n = n;
    cpu->jit_ic_epoch = b->epoch;
    memcpy(cpu->tlb_xpages, b->xpages, sizeof(cpu->tlb_xpages));
    b->regime = 0;
}

void rv_tlb_regime_update(rv_cpu *cpu)
{
    uint64_t satp;
    uint32_t regime;
    regime_now(cpu, &satp, &regime);
    if (satp == cpu->tlb_satp && regime == cpu->tlb_regime)
        return;
    save_live(cpu);
    cpu->tlb_satp = satp;
    cpu->tlb_regime = regime;
    rv_tlb_bank *found = NULL;
    for (unsigned i = 0; i < RV_TLB_BANKS; i++) {
        rv_tlb_bank *b = &cpu->tlb_banks[i];
        if (b->regime == regime && b->satp == satp)
            found = b;
    }
    if (found)
        restore_bank(cpu, found);
    else
        new_empty_epoch(cpu);
    live_changed(cpu);
}

bool rv_tlb_epoch_saved(const rv_cpu *cpu, uint64_t epoch)
{
    for (unsigned i = 0; i < RV_TLB_BANKS; i++)
        if (cpu->tlb_banks[i].regime && cpu->tlb_banks[i].epoch == epoch)
            return true;
    return false;
}

void rv_tlb_sum_cleared(rv_cpu *cpu)
{
    if (!regime_data_s(cpu->tlb_regime))
        return; /* no live entry was filled for S-mode data */
    if (cpu->tlb_log_n > RV_TLB_LOG) {
        clear_live(cpu); /* user pages unknown: drop all (fetches map as before) */
        return;
    }
    for (uint32_t i = 0; i < cpu->tlb_log_n; i++) {
        unsigned idx = cpu->tlb_log[i];
        if (cpu->tlb_info[idx] & RV_TLB_INFO_USER)
            reset_entry(&cpu->tlb[idx]);
    }
}

/* ---- sfence.vma ---- */

static bool asid_matches(uint64_t satp, uint32_t regime, uint64_t asid)
{
    if (!(regime & REGIME_TRANSLATED))
        return false; /* physical accesses: nothing to fence */
    return asid == 0 || ((satp & SATP_ASID_MASK) >> SATP_ASID_SHIFT) == (asid & 0xffff);
}

/* Drop a bank's entries from leaves that map va: any of the larger leaves,
 * and 4 KiB ones only in va's slot (when the slot map says one may be). */
static void bank_fence_va(rv_tlb_bank *b, uint64_t va)
{
    uint16_t slot = (uint16_t)RV_TLB_IDX(va);
    bool slot_used = (b->slots[(slot & 255) / 64] >> (slot % 64)) & 1;
    uint32_t start = leaves_cover(b->leaves, va) ? 0 : b->nsuper;
    uint32_t end = slot_used ? b->n : b->nsuper;
    uint32_t n = start, nsuper = b->nsuper;
    for (uint32_t j = start; j < end; j++) {
        bool super = j < b->nsuper;
        if ((super || b->idx[j] == slot) && entry_covers(&b->e[j], b->info[j], va)) {
            nsuper -= super;
            continue;
        }
        b->idx[n] = b->idx[j];
        b->info[n] = b->info[j];
        b->e[n++] = b->e[j];
    }
    if (n == end)
        return; /* nothing dropped: the rest stays where it is */
    for (uint32_t j = end; j < b->n; j++) {
        b->idx[n] = b->idx[j];
        b->info[n] = b->info[j];
        b->e[n++] = b->e[j];
    }
    b->n = n;
    b->nsuper = nsuper;
}

void rv_tlb_sfence(rv_cpu *cpu, uint64_t va, uint64_t asid)
{
    if (va == 0 && asid == 0) {
        rv_tlb_flush(cpu);
        return;
    }
    for (unsigned i = 0; i < RV_TLB_BANKS; i++) {
        rv_tlb_bank *b = &cpu->tlb_banks[i];
        if (!b->regime || !asid_matches(b->satp, b->regime, asid))
            continue;
        if (va == 0) {
            b->regime = 0;
            continue;
        }
        bank_fence_va(b, va);
        if (xpages_may_hold(b->xpages, va))
            b->epoch = fresh_epoch(cpu); /* fetches may map elsewhere now */
    }
    if (!asid_matches(cpu->tlb_satp, cpu->tlb_regime, asid))
        return;
    if (va == 0 || cpu->tlb_log_n > RV_TLB_LOG) {
        clear_live(cpu);
        new_empty_epoch(cpu);
        live_changed(cpu);
        return;
    }
    unsigned slot = (unsigned)RV_TLB_IDX(va);
    if (entry_covers(&cpu->tlb[slot], cpu->tlb_info[slot], va))
        reset_entry(&cpu->tlb[slot]);
    /* A larger leaf holding va may have filled any slot. */
    uint32_t n = leaves_cover(cpu->tlb_leaves, va) ? cpu->tlb_log_n : 0;
    for (uint32_t i = 0; i < n; i++) {
        unsigned idx = cpu->tlb_log[i];
        if (entry_covers(&cpu->tlb[idx], cpu->tlb_info[idx], va))
            reset_entry(&cpu->tlb[idx]);
    }
    if (xpages_may_hold(cpu->tlb_xpages, va)) {
        new_epoch(cpu);
        xpages_from_live(cpu);
        live_changed(cpu);
    }
}

void rv_tlb_drop_writes(rv_cpu *cpu, const void *host_page)
{
    for (unsigned i = 0; i < RV_TLB_SIZE; i++) {
        rv_tlb_entry *e = &cpu->tlb[i];
        if (e->tag_w != RV_TLB_INVALID && e->addend + (uintptr_t)(e->tag_w & RV_PAGE_MASK) == (uintptr_t)host_page)
            e->tag_w = RV_TLB_INVALID;
    }
    for (unsigned i = 0; i < RV_TLB_BANKS; i++) {
        rv_tlb_bank *b = &cpu->tlb_banks[i];
        for (uint32_t j = 0; b->regime && j < b->n; j++) {
            rv_tlb_entry *e = &b->e[j];
            if (e->tag_w != RV_TLB_INVALID && e->addend + (uintptr_t)(e->tag_w & RV_PAGE_MASK) == (uintptr_t)host_page)
                e->tag_w = RV_TLB_INVALID;
        }
    }
}
