/* Sdtrig: a minimal trigger module of RV_NTRIGGERS address-match triggers
 * of type 2 (mcontrol) or 6 (mcontrol6), execute only, action 0 (breakpoint
 * exception), match 0 (equal), any size. No Debug Mode: dmode stays 0. No
 * tcontrol: to keep a trap handler from re-entering itself, a trigger does
 * not fire in M mode while mstatus.MIE is clear, nor in S mode while
 * sstatus.SIE is clear if breakpoints are delegated to S (as Spike). */
#include "csr.h"

#define TDATA1_TYPE_SHIFT 60
enum { TRIG_MCONTROL = 2, TRIG_MCONTROL6 = 6, TRIG_DISABLED = 15 };
/* Bits shared by mcontrol and mcontrol6 that this model implements. */
#define MCTL_M ((uint64_t)1 << 6)
#define MCTL_S ((uint64_t)1 << 4)
#define MCTL_U ((uint64_t)1 << 3)
#define MCTL_EXECUTE ((uint64_t)1 << 2)
#define MCTL_WRITABLE (MCTL_M | MCTL_S | MCTL_U | MCTL_EXECUTE)
/* tinfo: the types supported, and version 1 (Sdtrig 1.0) in bits 31:24. */
#define TINFO_VALUE \
    (((uint64_t)1 << TRIG_MCONTROL) | ((uint64_t)1 << TRIG_MCONTROL6) | ((uint64_t)1 << TRIG_DISABLED) | \
     ((uint64_t)1 << 24))

static unsigned trig_type(uint64_t tdata1) { return (unsigned)(tdata1 >> TDATA1_TYPE_SHIFT); }

void rv_trigger_update(rv_cpu *cpu)
{
    cpu->trig_exec = false;
    for (unsigned i = 0; i < RV_NTRIGGERS; i++) {
        uint64_t t = cpu->tdata1[i];
        unsigned type = trig_type(t);
        if ((type == TRIG_MCONTROL || type == TRIG_MCONTROL6) && (t & MCTL_EXECUTE) &&
            (t & (MCTL_M | MCTL_S | MCTL_U)))
            cpu->trig_exec = true;
    }
}

int rv_trigger_csr_read(rv_cpu *cpu, unsigned csr, uint64_t *val)
{
    unsigned i = (unsigned)cpu->tselect;
    switch (csr) {
    case CSR_TSELECT: *val = cpu->tselect; return 0;
    case CSR_TDATA1: *val = cpu->tdata1[i]; return 0;
    case CSR_TDATA2: *val = cpu->tdata2[i]; return 0;
    case CSR_TDATA3: *val = 0; return 0; /* no textra matching */
    case CSR_TINFO: *val = TINFO_VALUE; return 0;
    }
    return RV_EXC_ILLEGAL;
}

int rv_trigger_csr_write(rv_cpu *cpu, unsigned csr, uint64_t val)
{
    unsigned i = (unsigned)cpu->tselect;
    switch (csr) {
    case CSR_TSELECT:
        if (val < RV_NTRIGGERS) /* WARL: a trigger that does not exist is not selected */
            cpu->tselect = val;
        return 0;
    case CSR_TDATA1: {
        unsigned type = trig_type(val);
        if (type == TRIG_MCONTROL || type == TRIG_MCONTROL6)
            cpu->tdata1[i] = ((uint64_t)type << TDATA1_TYPE_SHIFT) | (val & MCTL_WRITABLE);
        else /* unsupported types (0 included) leave the trigger disabled */
            cpu->tdata1[i] = (uint64_t)TRIG_DISABLED << TDATA1_TYPE_SHIFT;
        rv_trigger_update(cpu);
        return 0;
    }
    case CSR_TDATA2: cpu->tdata2[i] = val; return 0;
    case CSR_TDATA3: return 0;
    case CSR_TINFO: return 0; /* read only (writes ignored, as the spec allows) */
    }
    return RV_EXC_ILLEGAL;
}

void rv_trigger_reset(rv_cpu *cpu)
{
    /* mcontrol6 with no mode enabled: present, matching nothing. */
    cpu->tselect = 0;
    for (unsigned i = 0; i < RV_NTRIGGERS; i++) {
        cpu->tdata1[i] = (uint64_t)TRIG_MCONTROL6 << TDATA1_TYPE_SHIFT;
        cpu->tdata2[i] = 0;
    }
    cpu->trig_exec = false;
}

bool rv_trigger_exec(const rv_cpu *cpu, uint64_t pc)
{
    uint64_t mode = cpu->priv == RV_PRIV_M ? MCTL_M : cpu->priv == RV_PRIV_S ? MCTL_S : MCTL_U;
    if (cpu->priv == RV_PRIV_M && !(cpu->mstatus & MSTATUS_MIE))
        return false;
    if (cpu->priv == RV_PRIV_S && ((cpu->medeleg >> RV_EXC_BREAKPOINT) & 1) && !(cpu->mstatus & MSTATUS_SIE))
        return false;
    for (unsigned i = 0; i < RV_NTRIGGERS; i++) {
        uint64_t t = cpu->tdata1[i];
        unsigned type = trig_type(t);
        if ((type == TRIG_MCONTROL || type == TRIG_MCONTROL6) && (t & MCTL_EXECUTE) && (t & mode) &&
            cpu->tdata2[i] == pc)
            return true;
    }
    return false;
}

bool rv_trigger_legal(const rv_arch *a)
{
    if (a->tselect >= RV_NTRIGGERS)
        return false;
    for (unsigned i = 0; i < RV_NTRIGGERS; i++) {
        uint64_t t = a->tdata1[i];
        unsigned type = trig_type(t);
        bool ok = type == TRIG_MCONTROL || type == TRIG_MCONTROL6
                      ? (t & ~((uint64_t)0xf << TDATA1_TYPE_SHIFT) & ~MCTL_WRITABLE) == 0
                      : t == (uint64_t)TRIG_DISABLED << TDATA1_TYPE_SHIFT;
        if (!ok)
            return false;
    }
    return true;
}
