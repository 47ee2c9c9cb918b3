/* The JIT's pc-keyed jump cache (indirect jumps and dispatcher lookups):
 * filling, clearing, and keeping it per translation regime.
 *
 * An entry says "guest pc runs this code", which holds only as long as the
 * fetch translation that led to it: each regime has an epoch (src/cpu/tlb.c)
 * that changes whenever that translation may have. When the hart leaves a
 * regime, the slots filled since the last clear (the log) are saved with
 * the regime's epoch while the TLB keeps that regime too; coming back to
 * the same epoch puts them back, so a system call or an interrupt does not
 * cost a dispatcher lookup per return afterwards. */
#include "jit.h"

static void reset_slot(jit_jc_entry *e) { *e = (jit_jc_entry){1, 0}; /* odd pc: never a valid one */ }

void jit_jc_clear(jit_ctx *jc)
{
    if (jc->jc_log_n <= JIT_JC_LOG) {
        for (uint32_t i = 0; i < jc->jc_log_n; i++)
            reset_slot(&jc->jc[jc->jc_log[i]]);
    } else {
        for (size_t i = 0; i < (1u << JIT_JC_BITS); i++)
            reset_slot(&jc->jc[i]);
    }
    jc->jc_log_n = 0;
}

/* Note a slot that becomes non-empty (for jit_jc_clear and the banks). */
static void log_slot(jit_ctx *jc, unsigned i)
{
    if (jc->jc_log_n <= JIT_JC_LOG) {
        if (jc->jc_log_n < JIT_JC_LOG)
            jc->jc_log[jc->jc_log_n] = (uint16_t)i;
        jc->jc_log_n++;
    }
}

/* The pc's entry goes first in its pair; the one there moves to second. */
void jit_jc_fill(jit_ctx *jc, uint64_t pc, uintptr_t code)
{
    unsigned i = jit_jc_index(pc);
    jit_jc_entry *e = &jc->jc[i];
    if (e[0].pc != pc && e[0].pc != 1) {
        if (e[1].pc == 1)
            log_slot(jc, i + 1);
        e[1] = e[0]; /* (over the pc's own entry, if there) */
    }
    if (e[0].pc == 1)
        log_slot(jc, i);
    e[0] = (jit_jc_entry){pc, code};
}

/* A new translation of pc's block: the entry that names it follows. */
void jit_jc_retarget(jit_ctx *jc, uint64_t pc, uintptr_t code)
{
    jit_jc_entry *e = &jc->jc[jit_jc_index(pc)];
    for (int k = 0; k < 2; k++)
        if (e[k].pc == pc)
            e[k].code = code;
}

/* Save the live entries under the live epoch (when the log knows them). */
static void save_live(jit_ctx *jc)
{
    if (jc->jc_log_n == 0 || jc->jc_log_n > JIT_JC_LOG)
        return;
    jit_jc_bank *b = &jc->jc_banks[0];
    for (unsigned i = 0; i < JIT_JC_BANKS && b->epoch; i++) {
        jit_jc_bank *c = &jc->jc_banks[i];
        if (!c->epoch || c->last_used < b->last_used)
            b = c;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < jc->jc_log_n; i++) {
        unsigned idx = jc->jc_log[i];
        if (jc->jc[idx].pc == 1)
            continue;
        b->idx[n] = (uint16_t)idx;
        b->e[n++] = jc->jc[idx];
    }
    b->n = n;
    b->epoch = n ? jc->jc_epoch : 0;
    b->last_used = ++jc->jc_clock;
}

void jit_jc_switch(jit_ctx *jc, const rv_cpu *cpu)
{
    uint64_t epoch = cpu->jit_ic_epoch;
    if (epoch == jc->jc_epoch)
        return;
    /* Banks of epochs the TLB dropped (a flush, a fence) are of no use. */
    for (unsigned i = 0; i < JIT_JC_BANKS; i++) {
        uint64_t e = jc->jc_banks[i].epoch;
        if (e && e != epoch && !rv_tlb_epoch_saved(cpu, e))
            jc->jc_banks[i].epoch = 0;
    }
    if (rv_tlb_epoch_saved(cpu, jc->jc_epoch))
        save_live(jc);
    jit_jc_clear(jc);
    jc->jc_epoch = epoch;
    for (unsigned i = 0; i < JIT_JC_BANKS; i++) {
        jit_jc_bank *b = &jc->jc_banks[i];
        if (b->epoch != epoch)
            continue;
        for (uint32_t j = 0; j < b->n; j++) {
            jc->jc[b->idx[j]] = b->e[j];
            jc->jc_log[j] = b->idx[j];
        }
        jc->jc_log_n = b->n;
        b->epoch = 0;
        break;
    }
}

void jit_jc_reset(jit_ctx *jc)
{
    jit_jc_clear(jc);
    for (unsigned i = 0; i < JIT_JC_BANKS; i++)
        jc->jc_banks[i].epoch = 0;
}
