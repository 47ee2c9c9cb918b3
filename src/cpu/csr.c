/* Control and status registers: privilege and read-only checks, WARL
 * legalisation, masked supervisor views of machine registers. */
#include "csr.h"

#include <stdio.h>

#include "cpu.h"

#define MISA_EXT(c) ((uint64_t)1 << ((c) - 'A'))
#define MISA_DEFAULT                                                                                          \
    (((uint64_t)2 << 62) | MISA_EXT('I') | MISA_EXT('M') | MISA_EXT('A') | MISA_EXT('F') | MISA_EXT('D') |   \
     MISA_EXT('C') | MISA_EXT('S') | MISA_EXT('U'))

#define MSTATUS_WRITABLE                                                                                      \
    (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP | MSTATUS_FS |         \
     MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_READABLE                                                                                      \
    (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | MSTATUS_VS | MSTATUS_FS | MSTATUS_XS |          \
     MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define SSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR)

/* Exceptions that may be delegated to S mode (everything but ecall from M). */
#define MEDELEG_WRITABLE 0xb3ffu
#define MIE_WRITABLE MIP_ALL_MASK
#define PMPADDR_MASK (((uint64_t)1 << 54) - 1)
/* Time advances once per this many retired instructions when the board
 * gives no clock (deterministic fallback). */
#define FALLBACK_INSNS_PER_TICK 10

enum { CNT_CY = 0, CNT_TM = 1, CNT_IR = 2 };

uint64_t rv_time_now(rv_cpu *cpu)
{
    return cpu->env.read_time ? cpu->env.read_time(cpu) : cpu->instret / FALLBACK_INSNS_PER_TICK;
}

void rv_sstc_update(rv_cpu *cpu)
{
    if (!(cpu->menvcfg & MENVCFG_STCE))
        return;
    if (rv_time_now(cpu) >= cpu->stimecmp)
        cpu->mip |= MIP_STIP;
    else
        cpu->mip &= ~MIP_STIP;
}

/* Recompute the read-only parts of mstatus (SD summary, fixed XLENs). */
static uint64_t mstatus_legal(uint64_t v)
{
    v &= ~(MSTATUS_SD | MSTATUS_UXL | MSTATUS_SXL | MSTATUS_VS | MSTATUS_XS | MSTATUS_UBE);
    v |= ((uint64_t)2 << 32) | ((uint64_t)2 << 34);
    if ((v & MSTATUS_FS) == MSTATUS_FS)
        v |= MSTATUS_SD;
    return v;
}

static void mstatus_write(rv_cpu *cpu, uint64_t val, uint64_t mask)
{
    uint64_t old = cpu->mstatus;
    uint64_t v = (old & ~mask) | (val & mask);
    if (((v & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == 2) /* WARL: 2 is reserved, keep the old mode */
        v = (v & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
    v = mstatus_legal(v);
    cpu->mstatus = v;
    uint64_t changed = old ^ v;
    if ((changed & MSTATUS_SUM) && !(v & MSTATUS_SUM))
        rv_tlb_sum_cleared(cpu);
    if (changed & (MSTATUS_MPRV | MSTATUS_MXR | MSTATUS_MPP))
        rv_tlb_regime_update(cpu);
}

static void fs_dirty(rv_cpu *cpu)
{
    cpu->mstatus |= MSTATUS_FS | MSTATUS_SD;
}

static bool fs_off(const rv_cpu *cpu)
{
    return (cpu->mstatus & MSTATUS_FS) == 0;
}

/* cycle/time/instret/hpmcounterN from S or U: gated by [ms]counteren. */
static bool counter_allowed(const rv_cpu *cpu, unsigned idx)
{
    if (cpu->priv == RV_PRIV_M)
        return true;
    if (!((cpu->mcounteren >> idx) & 1))
        return false;
    return cpu->priv == RV_PRIV_S || ((cpu->scounteren >> idx) & 1);
}

static bool stimecmp_allowed(const rv_cpu *cpu)
{
    if (cpu->priv == RV_PRIV_M)
        return true;
    return (cpu->menvcfg & MENVCFG_STCE) && ((cpu->mcounteren >> CNT_TM) & 1);
}

static uint64_t mip_writable(const rv_cpu *cpu)
{
    uint64_t m = MIP_S_MASK;
    if (cpu->menvcfg & MENVCFG_STCE)
        m &= ~MIP_STIP; /* driven by stimecmp */
    return m;
}

static bool satp_trapped(const rv_cpu *cpu)
{
    return cpu->priv == RV_PRIV_S && (cpu->mstatus & MSTATUS_TVM);
}

int rv_csr_read(rv_cpu *cpu, unsigned csr, uint64_t *val)
{
    csr &= 0xfff;
    if (((csr >> 8) & 3) > (unsigned)cpu->priv)
        return RV_EXC_ILLEGAL;
    if (csr >= CSR_HPMCOUNTER3 && csr <= CSR_HPMCOUNTER31) {
        if (!counter_allowed(cpu, csr - CSR_CYCLE))
            return RV_EXC_ILLEGAL;
        *val = 0;
        return 0;
    }
    if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) || (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31)) {
        *val = 0;
        return 0;
    }
    if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15) {
        if (csr & 1) /* odd pmpcfg registers do not exist on RV64 */
            return RV_EXC_ILLEGAL;
        *val = cpu->pmpcfg[csr - CSR_PMPCFG0];
        return 0;
    }
    if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
        *val = cpu->pmpaddr[csr - CSR_PMPADDR0];
        return 0;
    }
    if (csr >= CSR_TSELECT && csr <= CSR_TINFO)
        return rv_trigger_csr_read(cpu, csr, val);
    switch (csr) {
    case CSR_FFLAGS:
        if (fs_off(cpu))
            return RV_EXC_ILLEGAL;
        *val = cpu->fflags & 0x1f;
        return 0;
    case CSR_FRM:
        if (fs_off(cpu))
            return RV_EXC_ILLEGAL;
        *val = cpu->frm & 7;
        return 0;
    case CSR_FCSR:
        if (fs_off(cpu))
            return RV_EXC_ILLEGAL;
        *val = ((cpu->frm & 7) << 5) | (cpu->fflags & 0x1f);
        return 0;
    case CSR_CYCLE:
        if (!counter_allowed(cpu, CNT_CY))
            return RV_EXC_ILLEGAL;
        *val = cpu->instret + cpu->mcycle_offset;
        return 0;
    case CSR_TIME:
        if (!counter_allowed(cpu, CNT_TM))
            return RV_EXC_ILLEGAL;
        *val = rv_time_now(cpu);
        return 0;
    case CSR_INSTRET:
        if (!counter_allowed(cpu, CNT_IR))
            return RV_EXC_ILLEGAL;
        *val = cpu->instret + cpu->minstret_offset;
        return 0;
    case CSR_SSTATUS:
        *val = mstatus_legal(cpu->mstatus) & SSTATUS_READABLE;
        return 0;
    case CSR_SIE:
        *val = cpu->mie & cpu->mideleg;
        return 0;
    case CSR_STVEC:
        *val = cpu->stvec;
        return 0;
    case CSR_SCOUNTEREN:
        *val = cpu->scounteren;
        return 0;
    case CSR_SENVCFG:
        *val = cpu->senvcfg;
        return 0;
    case CSR_SSCRATCH:
        *val = cpu->sscratch;
        return 0;
    case CSR_SEPC:
        *val = cpu->sepc;
        return 0;
    case CSR_SCAUSE:
        *val = cpu->scause;
        return 0;
    case CSR_STVAL:
        *val = cpu->stval;
        return 0;
    case CSR_SIP:
        *val = cpu->mip & cpu->mideleg;
        return 0;
    case CSR_STIMECMP:
        if (!stimecmp_allowed(cpu))
            return RV_EXC_ILLEGAL;
        *val = cpu->stimecmp;
        return 0;
    case CSR_SATP:
        if (satp_trapped(cpu))
            return RV_EXC_ILLEGAL;
        *val = cpu->satp;
        return 0;
    case CSR_MSTATUS:
        *val = mstatus_legal(cpu->mstatus);
        return 0;
    case CSR_MISA:
        *val = cpu->misa ? cpu->misa : MISA_DEFAULT;
        return 0;
    case CSR_MEDELEG:
        *val = cpu->medeleg;
        return 0;
    case CSR_MIDELEG:
        *val = cpu->mideleg;
        return 0;
    case CSR_MIE:
        *val = cpu->mie;
        return 0;
    case CSR_MTVEC:
        *val = cpu->mtvec;
        return 0;
    case CSR_MCOUNTEREN:
        *val = cpu->mcounteren;
        return 0;
    case CSR_MENVCFG:
        *val = cpu->menvcfg;
        return 0;
    case CSR_MCOUNTINHIBIT:
        *val = cpu->mcountinhibit;
        return 0;
    case CSR_MSCRATCH:
        *val = cpu->mscratch;
        return 0;
    case CSR_MEPC:
        *val = cpu->mepc;
        return 0;
    case CSR_MCAUSE:
        *val = cpu->mcause;
        return 0;
    case CSR_MTVAL:
        *val = cpu->mtval;
        return 0;
    case CSR_MIP:
        *val = cpu->mip;
        return 0;
    case CSR_MCYCLE:
        *val = cpu->instret + cpu->mcycle_offset;
        return 0;
    case CSR_MINSTRET:
        *val = cpu->instret + cpu->minstret_offset;
        return 0;
    case CSR_MVENDORID:
    case CSR_MARCHID:
    case CSR_MIMPID:
    case CSR_MCONFIGPTR:
        *val = 0;
        return 0;
    case CSR_MHARTID:
        *val = cpu->mhartid;
        return 0;
    default:
        return RV_EXC_ILLEGAL;
    }
}

static void satp_write(rv_cpu *cpu, uint64_t val)
{
    uint64_t mode = val >> SATP_MODE_SHIFT;
    if (mode != SATP_MODE_BARE && mode != SATP_MODE_SV39 && mode != SATP_MODE_SV48)
        return; /* WARL: unsupported modes leave satp unchanged */
    uint64_t v = val & (((uint64_t)0xf << SATP_MODE_SHIFT) | SATP_ASID_MASK | SATP_PPN_MASK);
    if (v != cpu->satp) {
        cpu->satp = v;
        rv_tlb_regime_update(cpu);
    }
}

/* Vectored (1) and direct (0) modes only; other modes leave xtvec alone. */
/* CBIE's reserved value 2 reads back as 0 (cbo.inval illegal). */
static uint64_t envcfg_legal(uint64_t v)
{
    if (((v & MENVCFG_CBIE) >> MENVCFG_CBIE_SHIFT) == 2)
        v &= ~MENVCFG_CBIE;
    return v;
}

static void tvec_write(uint64_t *reg, uint64_t val)
{
    if ((val & 3) < 2)
        *reg = val;
}

int rv_csr_write(rv_cpu *cpu, unsigned csr, uint64_t val)
{
    csr &= 0xfff;
    if (((csr >> 8) & 3) > (unsigned)cpu->priv)
        return RV_EXC_ILLEGAL;
    if (((csr >> 10) & 3) == 3) /* read-only space */
        return RV_EXC_ILLEGAL;
    if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) || (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31))
        return 0; /* hardwired to zero */
    if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15) {
        if (csr & 1)
            return RV_EXC_ILLEGAL;
        cpu->pmpcfg[csr - CSR_PMPCFG0] = val;
        return 0;
    }
    if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
        cpu->pmpaddr[csr - CSR_PMPADDR0] = val & PMPADDR_MASK;
        return 0;
    }
    if (csr >= CSR_TSELECT && csr <= CSR_TINFO)
        return rv_trigger_csr_write(cpu, csr, val);
    switch (csr) {
    case CSR_FFLAGS:
        if (fs_off(cpu))
            return RV_EXC_ILLEGAL;
        cpu->fflags = (uint32_t)val & 0x1f;
        fs_dirty(cpu);
        return 0;
    case CSR_FRM:
        if (fs_off(cpu))
            return RV_EXC_ILLEGAL;
        cpu->frm = (uint32_t)val & 7;
        fs_dirty(cpu);
        return 0;
    case CSR_FCSR:
        if (fs_off(cpu))
            return RV_EXC_ILLEGAL;
        cpu->fflags = (uint32_t)val & 0x1f;
        cpu->frm = (uint32_t)(val >> 5) & 7;
        fs_dirty(cpu);
        return 0;
    case CSR_SSTATUS:
        mstatus_write(cpu, val, SSTATUS_WRITABLE);
        return 0;
    case CSR_SIE: {
        uint64_t m = cpu->mideleg & MIP_S_MASK;
        cpu->mie = (cpu->mie & ~m) | (val & m);
        return 0;
    }
    case CSR_STVEC:
        tvec_write(&cpu->stvec, val);
        return 0;
    case CSR_SCOUNTEREN:
        cpu->scounteren = val & 0xffffffffu;
        return 0;
    case CSR_SENVCFG:
        cpu->senvcfg = envcfg_legal(val & SENVCFG_WRITABLE);
        return 0;
    case CSR_SSCRATCH:
        cpu->sscratch = val;
        return 0;
    case CSR_SEPC:
        cpu->sepc = val & ~(uint64_t)1;
        return 0;
    case CSR_SCAUSE:
        cpu->scause = val;
        return 0;
    case CSR_STVAL:
        cpu->stval = val;
        return 0;
    case CSR_SIP: {
        uint64_t m = cpu->mideleg & MIP_SSIP; /* only SSIP is writable through sip */
        cpu->mip = (cpu->mip & ~m) | (val & m);
        return 0;
    }
    case CSR_STIMECMP:
        if (!stimecmp_allowed(cpu))
            return RV_EXC_ILLEGAL;
        cpu->stimecmp = val;
        rv_sstc_update(cpu);
        return 0;
    case CSR_SATP:
        if (satp_trapped(cpu))
            return RV_EXC_ILLEGAL;
        satp_write(cpu, val);
        return 0;
    case CSR_MSTATUS:
        mstatus_write(cpu, val, MSTATUS_WRITABLE);
        return 0;
    case CSR_MISA: /* fixed */
        return 0;
    case CSR_MEDELEG:
        cpu->medeleg = val & MEDELEG_WRITABLE;
        return 0;
    case CSR_MIDELEG:
        cpu->mideleg = val & MIP_S_MASK;
        return 0;
    case CSR_MIE:
        cpu->mie = val & MIE_WRITABLE;
        return 0;
    case CSR_MTVEC:
        tvec_write(&cpu->mtvec, val);
        return 0;
    case CSR_MCOUNTEREN:
        cpu->mcounteren = val & 0xffffffffu;
        return 0;
    case CSR_MENVCFG:
        if ((val ^ cpu->menvcfg) & MENVCFG_PBMTE)
            rv_tlb_flush(cpu); /* cached translations were checked against the old PBMTE */
        cpu->menvcfg = envcfg_legal(val & (SENVCFG_WRITABLE | MENVCFG_PBMTE | MENVCFG_STCE));
        rv_sstc_update(cpu);
        return 0;
    case CSR_MCOUNTINHIBIT:
        cpu->mcountinhibit = val & 0xfffffffdu; /* bit 1 (time) is hardwired to zero */
        return 0;
    case CSR_MSCRATCH:
        cpu->mscratch = val;
        return 0;
    case CSR_MEPC:
        cpu->mepc = val & ~(uint64_t)1;
        return 0;
    case CSR_MCAUSE:
        cpu->mcause = val;
        return 0;
    case CSR_MTVAL:
        cpu->mtval = val;
        return 0;
    case CSR_MIP: {
        uint64_t m = mip_writable(cpu);
        cpu->mip = (cpu->mip & ~m) | (val & m);
        return 0;
    }
    case CSR_MCYCLE:
        cpu->mcycle_offset = val - cpu->instret;
        return 0;
    case CSR_MINSTRET:
        cpu->minstret_offset = val - cpu->instret;
        return 0;
    default:
        return RV_EXC_ILLEGAL;
    }
}

int rv_arch_check(const rv_arch *a, const rv_arch *fresh, char *why, size_t len)
{
    const uint64_t satp_mode = a->satp >> SATP_MODE_SHIFT;
    const uint64_t satp_bits = ((uint64_t)0xf << SATP_MODE_SHIFT) | SATP_ASID_MASK | SATP_PPN_MASK;
    const uint64_t menvcfg_bits = SENVCFG_WRITABLE | MENVCFG_PBMTE | MENVCFG_STCE;
    struct {
        bool ok;
        const char *name;
    } rule[] = {
        {a->x[0] == 0, "x0"},
        {a->priv == RV_PRIV_M || a->priv == RV_PRIV_S || a->priv == RV_PRIV_U, "privilege mode"},
        {!(a->pc & 1), "pc"},
        {a->fflags <= 0x1f && a->frm <= 7, "fcsr"},
        {a->misa == fresh->misa, "misa"},
        {a->mhartid == fresh->mhartid, "mhartid"},
        {a->mstatus == mstatus_legal(a->mstatus) && !(a->mstatus & ~(MSTATUS_WRITABLE | MSTATUS_SD | MSTATUS_UXL | MSTATUS_SXL)) &&
             ((a->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) != 2,
         "mstatus"},
        {!(a->medeleg & ~(uint64_t)MEDELEG_WRITABLE), "medeleg"},
        {!(a->mideleg & ~MIP_S_MASK), "mideleg"},
        {!(a->mie & ~MIE_WRITABLE), "mie"},
        {!(a->mip & ~MIP_ALL_MASK), "mip"},
        {(a->mtvec & 3) < 2 && (a->stvec & 3) < 2, "mtvec/stvec"},
        {!(a->mepc & 1) && !(a->sepc & 1), "mepc/sepc"},
        {a->mcounteren <= 0xffffffffu && a->scounteren <= 0xffffffffu, "mcounteren/scounteren"},
        {!(a->mcountinhibit & ~(uint64_t)0xfffffffdu), "mcountinhibit"},
        {a->menvcfg == envcfg_legal(a->menvcfg & menvcfg_bits), "menvcfg"},
        {a->senvcfg == envcfg_legal(a->senvcfg & SENVCFG_WRITABLE), "senvcfg"},
        {(satp_mode == SATP_MODE_BARE || satp_mode == SATP_MODE_SV39 || satp_mode == SATP_MODE_SV48) &&
             !(a->satp & ~satp_bits),
         "satp"},
        {rv_trigger_legal(a), "tselect/tdata1"},
    };
    for (size_t i = 0; i < sizeof(rule) / sizeof(rule[0]); i++) {
        if (!rule[i].ok) {
            snprintf(why, len, "%s holds a value this hart cannot", rule[i].name);
            return -1;
        }
    }
    for (unsigned i = 0; i < 16; i++) {
        if ((i & 1) && a->pmpcfg[i]) {
            snprintf(why, len, "pmpcfg%u does not exist on RV64", i);
            return -1;
        }
    }
    for (unsigned i = 0; i < 64; i++) {
        if (a->pmpaddr[i] & ~PMPADDR_MASK) {
            snprintf(why, len, "pmpaddr%u holds a value this hart cannot", i);
            return -1;
        }
    }
    return 0;
}
