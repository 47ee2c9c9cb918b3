/* Trap entry (exceptions and interrupts, with delegation to S mode), the
 * xRET instructions, wfi and sfence.vma. */
#include "csr.h"

#include "cpu.h"

/* Interrupt priority order (privileged spec 3.1.9). */
static const int irq_priority[] = {RV_IRQ_MEI, RV_IRQ_MSI, RV_IRQ_MTI, RV_IRQ_SEI, RV_IRQ_SSI, RV_IRQ_STI};

static uint64_t tvec_target(uint64_t tvec, uint64_t cause)
{
    uint64_t base = tvec & ~(uint64_t)3;
    if ((tvec & 3) == 1 && (cause & RV_CAUSE_INTERRUPT))
        return base + 4 * (cause & ~RV_CAUSE_INTERRUPT);
    return base;
}

/* Architectural trap entry; cause carries the interrupt bit. */
static void trap_enter(rv_cpu *cpu, uint64_t cause, uint64_t tval)
{
    uint64_t code = cause & ~RV_CAUSE_INTERRUPT;
    uint64_t deleg = (cause & RV_CAUSE_INTERRUPT) ? cpu->mideleg : cpu->medeleg;
    int old = cpu->priv;
    uint64_t st = cpu->mstatus;
    cpu->traps++;

    if (old <= RV_PRIV_S && code < 64 && ((deleg >> code) & 1)) {
        cpu->sepc = cpu->pc;
        cpu->scause = cause;
        cpu->stval = tval;
        st &= ~(MSTATUS_SPIE | MSTATUS_SPP);
        if (st & MSTATUS_SIE)
            st |= MSTATUS_SPIE;
        if (old == RV_PRIV_S)
            st |= MSTATUS_SPP;
        st &= ~MSTATUS_SIE;
        cpu->priv = RV_PRIV_S;
        cpu->pc = tvec_target(cpu->stvec, cause);
    } else {
        cpu->mepc = cpu->pc;
        cpu->mcause = cause;
        cpu->mtval = tval;
        st &= ~(MSTATUS_MPIE | MSTATUS_MPP);
        if (st & MSTATUS_MIE)
            st |= MSTATUS_MPIE;
        st |= (uint64_t)old << MSTATUS_MPP_SHIFT;
        st &= ~MSTATUS_MIE;
        cpu->priv = RV_PRIV_M;
        cpu->pc = tvec_target(cpu->mtvec, cause);
    }
    cpu->mstatus = st;
    cpu->wfi = false;
    rv_tlb_regime_update(cpu); /* privilege, or MPRV's borrowed one (MPP) */
}

void rv_trap(rv_cpu *cpu, uint64_t cause, uint64_t tval)
{
    if (cpu->env.trap_hook) {
        cpu->traps++;
        cpu->env.trap_hook(cpu, cause, tval);
        return;
    }
    trap_enter(cpu, cause, tval);
}

bool rv_take_interrupt(rv_cpu *cpu)
{
    uint64_t pending = cpu->mip & cpu->mie;
    if (!pending)
        return false;
    /* M-level interrupts are always enabled below M; S-level ones (those
     * delegated) below S, and in S when SIE is set; never in M. */
    bool m_on = cpu->priv < RV_PRIV_M || (cpu->mstatus & MSTATUS_MIE);
    bool s_on = cpu->priv < RV_PRIV_S || (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_SIE));
    uint64_t take = m_on ? pending & ~cpu->mideleg : 0;
    if (!take && s_on)
        take = pending & cpu->mideleg;
    if (!take)
        return false;
    for (unsigned i = 0; i < sizeof(irq_priority) / sizeof(irq_priority[0]); i++) {
        int irq = irq_priority[i];
        if ((take >> irq) & 1) {
            trap_enter(cpu, RV_CAUSE_INTERRUPT | (uint64_t)irq, 0);
            return true;
        }
    }
    return false;
}

int rv_mret(rv_cpu *cpu)
{
    if (cpu->priv < RV_PRIV_M)
        return RV_EXC_ILLEGAL;
    uint64_t st = cpu->mstatus;
    int mpp = (int)((st & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
    st &= ~MSTATUS_MIE;
    if (st & MSTATUS_MPIE)
        st |= MSTATUS_MIE;
    st |= MSTATUS_MPIE;
    st &= ~MSTATUS_MPP; /* least-privileged supported mode: U */
    if (mpp != RV_PRIV_M)
        st &= ~MSTATUS_MPRV;
    cpu->mstatus = st;
    cpu->priv = mpp;
    cpu->pc = cpu->mepc;
    rv_tlb_regime_update(cpu);
    return 0;
}

int rv_sret(rv_cpu *cpu)
{
    if (cpu->priv < RV_PRIV_S)
        return RV_EXC_ILLEGAL;
    if (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TSR))
        return RV_EXC_ILLEGAL;
    uint64_t st = cpu->mstatus;
    int spp = (st & MSTATUS_SPP) ? RV_PRIV_S : RV_PRIV_U;
    st &= ~MSTATUS_SIE;
    if (st & MSTATUS_SPIE)
        st |= MSTATUS_SIE;
    st |= MSTATUS_SPIE;
    st &= ~MSTATUS_SPP;
    st &= ~MSTATUS_MPRV; /* the new mode is below M */
    cpu->mstatus = st;
    cpu->priv = spp;
    cpu->pc = cpu->sepc;
    rv_tlb_regime_update(cpu);
    return 0;
}

int rv_wfi(rv_cpu *cpu)
{
    if (cpu->priv == RV_PRIV_U)
        return RV_EXC_ILLEGAL;
    if (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TW))
        return RV_EXC_ILLEGAL;
    if ((cpu->mip & cpu->mie) == 0)
        cpu->wfi = true;
    return 0;
}

int rv_sfence_vma(rv_cpu *cpu, uint64_t va, uint64_t asid)
{
    if (cpu->priv == RV_PRIV_U)
        return RV_EXC_ILLEGAL;
    if (cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TVM))
        return RV_EXC_ILLEGAL;
    /* The engines pass register values, x0 as 0: a zero va or ASID fences
     * every address or address space, a superset of what x0 asks. */
    rv_tlb_sfence(cpu, va, asid);
    return 0;
}

int rv_sfence_inval_order(rv_cpu *cpu)
{
    /* Svinval: unlike sinval.vma, these two ignore mstatus.TVM. This model
     * invalidates at sinval.vma itself, so there is nothing to order. */
    return cpu->priv == RV_PRIV_U ? RV_EXC_ILLEGAL : 0;
}
