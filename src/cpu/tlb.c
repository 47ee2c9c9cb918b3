/* Soft-TLB maintenance: fills, flushes, sfence.vma, and the banked regimes.
 *
 * The live TLB (cpu->tlb) serves one translation regime: the privilege
 * fetches run at, the one data accesses run at (MPRV), MXR and satp (mode,
 * ASID, root). When the regime changes (a trap, an xRET, a satp switch to
 * another address space) the entries filled since the last change (the
 * log) go to the regime's bank and the live TLB is emptied. The new
 * regime's bank, if it has one, becomes the live one, and its entries go
 * back into the live TLB one by one, when an access misses there
 * (rv_tlb_reload, before any page walk). A switch so costs what the
 * regimes use, not all they ever cached, and the generated code's TLB
 * probes stay as they are. (Bringing back at once the entries a regime
 * used in its last visits cost more than the misses it saved: see
 * docs/tuning.md.)
 * Invariant: an entry of the live regime is either in the live TLB or in
 * its bank, never both, and a live slot in use has no banked entry. A
 * regime whose log overflowed keeps only its bank.
 *
 * mstatus.SUM is not part of the regime: setting it only adds rights, and
 * clearing it moves the user pages the live entries hold into the bank,
 * whose user pages an S-mode data regime takes back only while SUM is set.
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

/* The page an entry maps (any valid tag; tags are page aligned, and a
 * fill of another page drops the old tags). */
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

/* Note a live slot that becomes valid. */
static void log_slot(rv_cpu *cpu, unsigned idx)
{
    if (cpu->tlb_log_n < RV_TLB_LOG)
        cpu->tlb_log[cpu->tlb_log_n] = (uint16_t)idx;
    if (cpu->tlb_log_n <= RV_TLB_LOG)
        cpu->tlb_log_n++;
}

static void regime_now(const rv_cpu *cpu, uint64_t *satp, uint32_t *regime);

/* Only mappings of pages no code was fetched from changed (the caller
 * knows: user mode's map records which allow execution). Every cached
 * translation goes, but the pcs the jump caches and inline caches remember
 * still fetch what they did: the epoch stays, and an embedded program's
 * malloc returning memory (brk, munmap) no longer empties them. */
void rv_tlb_flush_data(rv_cpu *cpu)
{
    clear_live(cpu);
    for (unsigned i = 0; i < RV_TLB_BANKS; i++)
        cpu->tlb_banks[i].regime = 0;
    cpu->tlb_bank = NULL;
}

void rv_tlb_flush(rv_cpu *cpu)
{
    rv_tlb_flush_data(cpu);
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
 * starts again from the executable ones (all bits when unknown). Banked
 * entries mark theirs when they come back (rv_tlb_reload). */
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

/* ---- banks (sparse sets over the live TLB's slots) ---- */

_Static_assert(RV_TLB_BANK_SIZE <= 256, "bank positions are bytes");

/* Where the bank holds slot's entry, or -1. */
static int bank_find(const rv_tlb_bank *b, unsigned slot)
{
    unsigned p = b->pos[slot];
    return p < b->n && b->idx[p] == slot ? (int)p : -1;
}

/* Drop the entry at p (the last one takes its place). */
static void bank_remove(rv_tlb_bank *b, uint32_t p)
{
    uint32_t last = --b->n;
    if (p == last)
        return;
    b->idx[p] = b->idx[last];
    b->info[p] = b->info[last];
    b->e[p] = b->e[last];
    b->pos[b->idx[p]] = (uint8_t)p;
}

/* Hold a live slot's entry (dropped when the bank is full). */
static void bank_put(rv_tlb_bank *b, unsigned slot, uint8_t info, const rv_tlb_entry *e)
{
    int p = bank_find(b, slot);
    if (p < 0) {
        if (b->n >= RV_TLB_BANK_SIZE)
            return;
        p = (int)b->n++;
        b->idx[p] = (uint16_t)slot;
        b->pos[slot] = (uint8_t)p;
    }
    b->info[p] = info;
    b->e[p] = *e;
    if (info_shift(info) > RV_PAGE_SHIFT)
        xpages_add(b->leaves, entry_page(e), info_shift(info));
}

static void bank_empty(rv_tlb_bank *b)
{
    b->n = 0;
    memset(b->leaves, 0, sizeof(b->leaves));
}

/* Drop a bank's entries from leaves that map va: the one in va's slot,
 * and any of the larger leaves (when the filter says one may). */
static void bank_fence_va(rv_tlb_bank *b, uint64_t va)
{
    int p = bank_find(b, (unsigned)RV_TLB_IDX(va));
    if (p >= 0 && entry_covers(&b->e[p], b->info[p], va))
        bank_remove(b, (uint32_t)p);
    if (!leaves_cover(b->leaves, va))
        return;
    for (uint32_t j = b->n; j-- > 0;) /* downwards: a removal moves a checked entry */
        if (info_shift(b->info[j]) > RV_PAGE_SHIFT && entry_covers(&b->e[j], b->info[j], va))
            bank_remove(b, j);
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
        log_slot(cpu, idx);
        int p = cpu->tlb_bank ? bank_find(cpu->tlb_bank, idx) : -1;
        if (p >= 0) /* superseded (rv_tlb_reload already took it, normally) */
            bank_remove(cpu->tlb_bank, (uint32_t)p);
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

/* A bank for the live regime, which has none: a free one or the least
 * recently used. */
static rv_tlb_bank *new_bank(rv_cpu *cpu)
{
    rv_tlb_bank *b = &cpu->tlb_banks[0];
    for (unsigned i = 0; i < RV_TLB_BANKS && b->regime; i++) {
        rv_tlb_bank *c = &cpu->tlb_banks[i];
        if (!c->regime || c->last_used < b->last_used)
            b = c;
    }
    bank_empty(b);
    b->satp = cpu->tlb_satp;
    b->regime = cpu->tlb_regime;
    return b;
}

/* The hart leaves the live regime: its live entries (when the log knows
 * them) join its bank, which keeps the regime's epoch, and the live TLB
 * is emptied. */
static void save_live(rv_cpu *cpu)
{
    rv_tlb_bank *b = cpu->tlb_bank;
    cpu->tlb_bank = NULL;
    if (cpu->tlb_log_n > RV_TLB_LOG || !cpu->tlb_log_n) {
        clear_live(cpu); /* nothing to add (or unknown entries: lost) */
    } else {
        if (!b)
            b = new_bank(cpu);
        else if (b->n + cpu->tlb_log_n > RV_TLB_BANK_SIZE)
            bank_empty(b); /* room for what this visit used; the rest goes */
        for (uint32_t i = 0; i < cpu->tlb_log_n; i++) {
            unsigned idx = cpu->tlb_log[i];
            rv_tlb_entry *e = &cpu->tlb[idx];
            if (!entry_valid(e))
                continue; /* dropped since, or logged twice */
            bank_put(b, idx, cpu->tlb_info[idx], e);
            reset_entry(e);
        }
        cpu->tlb_log_n = 0;
        memset(cpu->tlb_leaves, 0, sizeof(cpu->tlb_leaves));
    }
    if (!b)
        return;
    if (!b->n) {
        b->regime = 0;
        return;
    }
    b->epoch = cpu->jit_ic_epoch;
    b->last_used = ++cpu->tlb_clock;
    memcpy(b->xpages, cpu->tlb_xpages, sizeof(b->xpages));
}

/* Whether a banked entry holds in the live regime now: a user page S
 * mode reached while SUM was set does so only while it is. */
static bool bank_entry_usable(const rv_cpu *cpu, uint8_t info)
{
    return !(info & RV_TLB_INFO_USER) || !regime_data_s(cpu->tlb_regime) || (cpu->mstatus & MSTATUS_SUM);
}

/* Move the bank's entry at p into its (empty) live slot. */
static void bank_to_live(rv_cpu *cpu, rv_tlb_bank *b, uint32_t p)
{
    unsigned idx = b->idx[p];
    const rv_tlb_entry *e = &b->e[p];
    uint64_t page = entry_page(e);
    unsigned shift = info_shift(b->info[p]);
    cpu->tlb[idx] = *e;
    cpu->tlb_info[idx] = b->info[p];
    log_slot(cpu, idx);
    if (shift > RV_PAGE_SHIFT)
        xpages_add(cpu->tlb_leaves, page, shift);
    if (e->tag_x != RV_TLB_INVALID) /* fetches hit it now without a fill */
        xpages_add(cpu->tlb_xpages, page, shift);
    bank_remove(b, p);
}

/* The regime comes back: its bank becomes the live one (its entries
 * come back on a miss). */
static void bank_attach(rv_cpu *cpu, rv_tlb_bank *b)
{
    cpu->tlb_bank = b;
    cpu->jit_ic_epoch = b->epoch;
    memcpy(cpu->tlb_xpages, b->xpages, sizeof(cpu->tlb_xpages));
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
        bank_attach(cpu, found);
    else
        new_empty_epoch(cpu);
    live_changed(cpu);
}

bool rv_tlb_reload(rv_cpu *cpu, uint64_t va, int access, rv_xlate *x)
{
    rv_tlb_bank *b = cpu->tlb_bank;
    unsigned idx = (unsigned)RV_TLB_IDX(va);
    if (!b || entry_valid(&cpu->tlb[idx]))
        return false;
    int p = bank_find(b, idx);
    if (p < 0)
        return false;
    uint64_t page = va & RV_PAGE_MASK;
    if (entry_page(&b->e[p]) != page || !bank_entry_usable(cpu, b->info[p])) {
        bank_remove(b, (uint32_t)p); /* the walk replaces it, or faults */
        return false;
    }
    rv_tlb_entry e = b->e[p];
    uint8_t info = b->info[p];
    bank_to_live(cpu, b, (uint32_t)p);
    unsigned shift = info_shift(info);
    x->host_page = (uint8_t *)(e.addend + (uintptr_t)page);
    x->pa = 0; /* not needed: RAM */
    x->cache_prot = (e.tag_r != RV_TLB_INVALID ? RV_ACC_R : 0) | (e.tag_w != RV_TLB_INVALID ? RV_ACC_W : 0) |
                    (e.tag_x != RV_TLB_INVALID ? RV_ACC_X : 0);
    x->leaf_shift = (uint8_t)shift;
    x->user_page = (info & RV_TLB_INFO_USER) != 0;
    return (x->cache_prot & access) != 0; /* else the walk adds the right or faults */
}

bool rv_tlb_epoch_saved(const rv_cpu *cpu, uint64_t epoch)
{
    for (unsigned i = 0; i < RV_TLB_BANKS; i++) {
        const rv_tlb_bank *b = &cpu->tlb_banks[i];
        if (b->regime && b != cpu->tlb_bank && b->epoch == epoch)
            return true; /* (the live bank's epoch is the live one) */
    }
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
    /* The user pages wait in the bank until SUM is set again. */
    rv_tlb_bank *b = cpu->tlb_bank;
    for (uint32_t i = 0; i < cpu->tlb_log_n; i++) {
        unsigned idx = cpu->tlb_log[i];
        rv_tlb_entry *e = &cpu->tlb[idx];
        if (!(cpu->tlb_info[idx] & RV_TLB_INFO_USER) || !entry_valid(e))
            continue;
        if (b)
            bank_put(b, idx, cpu->tlb_info[idx], e);
        reset_entry(e);
    }
}

/* ---- sfence.vma ---- */

static bool asid_matches(uint64_t satp, uint32_t regime, uint64_t asid)
{
    if (!(regime & REGIME_TRANSLATED))
        return false; /* physical accesses: nothing to fence */
    return asid == 0 || ((satp & SATP_ASID_MASK) >> SATP_ASID_SHIFT) == (asid & 0xffff);
}

void rv_tlb_sfence(rv_cpu *cpu, uint64_t va, uint64_t asid)
{
    if (va == 0 && asid == 0) {
        rv_tlb_flush(cpu);
        return;
    }
    for (unsigned i = 0; i < RV_TLB_BANKS; i++) {
        rv_tlb_bank *b = &cpu->tlb_banks[i];
        if (!b->regime || b == cpu->tlb_bank || !asid_matches(b->satp, b->regime, asid))
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
    if (va == 0 && cpu->tlb_bank) {
        cpu->tlb_bank->regime = 0;
        cpu->tlb_bank = NULL;
    }
    if (cpu->tlb_bank)
        bank_fence_va(cpu->tlb_bank, va);
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
    for (unsigned i = 0; i < RV_TLB_BANKS; i++) { /* the live regime's bank too */
        rv_tlb_bank *b = &cpu->tlb_banks[i];
        for (uint32_t j = 0; b->regime && j < b->n; j++) {
            rv_tlb_entry *e = &b->e[j];
            if (e->tag_w != RV_TLB_INVALID && e->addend + (uintptr_t)(e->tag_w & RV_PAGE_MASK) == (uintptr_t)host_page)
                e->tag_w = RV_TLB_INVALID;
        }
    }
}
