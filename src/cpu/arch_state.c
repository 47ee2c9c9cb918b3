/* A hart's architectural state in a snapshot: every field of rv_arch but
 * the derived ones (trig_exec, recomputed) and the LR/SC reservation
 * (dropped: a reservation may be lost at any time, so a restored SC fails
 * and the guest's loop retries), written one by one in a fixed order. */
#include "cpu.h"

#include <string.h>

#include "../state/state_io.h"

/* The 64-bit fields, in the order they are written. */
#define ARCH_U64_FIELDS(X)                                                                                    \
    X(pc) X(misa) X(mstatus) X(medeleg) X(mideleg) X(mie) X(mip) X(mtvec) X(mscratch) X(mepc) X(mcause)      \
    X(mtval) X(mcounteren) X(mcountinhibit) X(menvcfg) X(mhartid) X(stvec) X(sscratch) X(sepc) X(scause)     \
    X(stval) X(satp) X(scounteren) X(senvcfg) X(stimecmp) X(tselect) X(instret) X(mcycle_offset)             \
    X(minstret_offset)

void rv_arch_put(const rv_arch *a, bool wfi, state_w *w)
{
    for (unsigned i = 1; i < 32; i++)
        state_put_u64(w, a->x[i]);
    for (unsigned i = 0; i < 32; i++)
        state_put_u64(w, a->f[i]);
#define PUT(f) state_put_u64(w, a->f);
    ARCH_U64_FIELDS(PUT)
#undef PUT
    state_put_u32(w, a->fflags);
    state_put_u32(w, a->frm);
    state_put_u32(w, (uint32_t)a->priv);
    for (unsigned i = 0; i < 16; i++)
        state_put_u64(w, a->pmpcfg[i]);
    for (unsigned i = 0; i < 64; i++)
        state_put_u64(w, a->pmpaddr[i]);
    for (unsigned i = 0; i < RV_NTRIGGERS; i++) {
        state_put_u64(w, a->tdata1[i]);
        state_put_u64(w, a->tdata2[i]);
    }
    state_put_u8(w, wfi);
}

int rv_arch_get(rv_arch *a, bool *wfi, state_r *r)
{
    memset(a, 0, sizeof(*a));
    for (unsigned i = 1; i < 32; i++)
        a->x[i] = state_get_u64(r);
    for (unsigned i = 0; i < 32; i++)
        a->f[i] = state_get_u64(r);
#define GET(f) a->f = state_get_u64(r);
    ARCH_U64_FIELDS(GET)
#undef GET
    a->fflags = state_get_u32(r);
    a->frm = state_get_u32(r);
    uint32_t priv = state_get_u32(r);
    state_require(r, priv <= RV_PRIV_M);
    a->priv = (int)priv;
    for (unsigned i = 0; i < 16; i++)
        a->pmpcfg[i] = state_get_u64(r);
    for (unsigned i = 0; i < 64; i++)
        a->pmpaddr[i] = state_get_u64(r);
    for (unsigned i = 0; i < RV_NTRIGGERS; i++) {
        a->tdata1[i] = state_get_u64(r);
        a->tdata2[i] = state_get_u64(r);
    }
    uint8_t w = state_get_u8(r);
    state_require(r, w <= 1);
    *wfi = w;
    return state_r_ok(r) ? 0 : -1;
}

void rv_arch_restore(rv_cpu *cpu, const rv_arch *a, bool wfi)
{
    rv_arch_load(cpu, a);
    cpu->x[32] = 0;
    cpu->resv_valid = false;
    rv_trigger_update(cpu);
    cpu->wfi = wfi;
    cpu->stop = RV_STOP_NONE;
    cpu->code_written = false;
    cpu->jit_check_at = 0; /* generated code checks in with the dispatcher at once */
}
