/* Helpers called from generated code (see jit_helpers.h). Semantics follow
 * the RISC-V specification exactly as the interpreter implements them. */
#include "jit_helpers.h"

#include "../cpu/alu.h"
#include "../cpu/atomic.h"
#include "../cpu/csr.h"
#include "../cpu/decode.h"
#include "../cpu/fpu.h"

uint64_t jit_div(uint64_t a, uint64_t b) { return (uint64_t)div64((int64_t)a, (int64_t)b); }
uint64_t jit_divu(uint64_t a, uint64_t b) { return b ? a / b : UINT64_MAX; }
uint64_t jit_rem(uint64_t a, uint64_t b) { return (uint64_t)rem64((int64_t)a, (int64_t)b); }
uint64_t jit_remu(uint64_t a, uint64_t b) { return b ? a % b : a; }
uint64_t jit_divw(uint64_t a, uint64_t b) { return divw(a, b); }
uint64_t jit_divuw(uint64_t a, uint64_t b) { return (uint32_t)b ? sx32((uint32_t)a / (uint32_t)b) : UINT64_MAX; }
uint64_t jit_remw(uint64_t a, uint64_t b) { return remw(a, b); }
uint64_t jit_remuw(uint64_t a, uint64_t b) { return (uint32_t)b ? sx32((uint32_t)a % (uint32_t)b) : sx32(a); }
uint64_t jit_mulhsu(uint64_t a, uint64_t b) { return (uint64_t)(((__int128)(int64_t)a * (__int128)b) >> 64); }
uint64_t jit_clmul(uint64_t a, uint64_t b) { return clmul_lo(a, b); }
uint64_t jit_clmulh(uint64_t a, uint64_t b) { return clmul_hi(a, b); }
uint64_t jit_clmulr(uint64_t a, uint64_t b) { return clmul_rev(a, b); }
uint64_t jit_orc_b(uint64_t a, uint64_t b) { (void)b; return orc_b(a); }
uint64_t jit_brev8(uint64_t a, uint64_t b) { (void)b; return brev8(a); }
uint64_t jit_pack(uint64_t a, uint64_t b) { return pack64(a, b); }
uint64_t jit_packh(uint64_t a, uint64_t b) { return packh64(a, b); }
uint64_t jit_packw(uint64_t a, uint64_t b) { return packw64(a, b); }
uint64_t jit_xperm4(uint64_t a, uint64_t b) { return xperm64(a, b, 2); }
uint64_t jit_xperm8(uint64_t a, uint64_t b) { return xperm64(a, b, 3); }

uint64_t jit_fmv_w_x(uint64_t a, uint64_t b)
{
    (void)b;
    return rv_fmv_w_x(a);
}

uint64_t jit_fmv_h_x(uint64_t a, uint64_t b)
{
    (void)b;
    return rv_fmv_h_x(a);
}

/* Bit counts for hosts without lzcnt/tzcnt/popcnt. */
uint64_t jit_clz(uint64_t a, uint64_t b) { (void)b; return a ? (uint64_t)__builtin_clzll(a) : 64; }
uint64_t jit_clzw(uint64_t a, uint64_t b) { (void)b; return (uint32_t)a ? (uint64_t)__builtin_clz((uint32_t)a) : 32; }
uint64_t jit_ctz(uint64_t a, uint64_t b) { (void)b; return a ? (uint64_t)__builtin_ctzll(a) : 64; }
uint64_t jit_ctzw(uint64_t a, uint64_t b) { (void)b; return (uint32_t)a ? (uint64_t)__builtin_ctz((uint32_t)a) : 32; }
uint64_t jit_cpop(uint64_t a, uint64_t b) { (void)b; return (uint64_t)__builtin_popcountll(a); }
uint64_t jit_cpopw(uint64_t a, uint64_t b) { (void)b; return (uint64_t)__builtin_popcount((uint32_t)a); }

/* A device access may raise an interrupt or stop the machine (HTIF): make
 * the next block entry's check fire, rather than wait out
 * JIT_CHECK_INTERVAL instructions. */
static void notice_interrupts(rv_cpu *cpu)
{
    if ((cpu->mip & cpu->mie) || cpu->stop != RV_STOP_NONE)
        cpu->jit_check_at = 0;
}

/* The trap, if any, of an access at va: recorded for the exit stub. */
static uint64_t note_fault(rv_cpu *cpu, uint64_t va, int c)
{
    if (c) {
        cpu->jit_exc = (uint64_t)c;
        cpu->jit_tval = va;
    }
    return (uint64_t)c;
}

jit_load_result jit_load_slow(rv_cpu *cpu, uint64_t va, uint64_t size)
{
    jit_load_result r = {0, 0};
    int c = rv_load_slow(cpu, va, (int)size, &r.val);
    notice_interrupts(cpu);
    r.cause = note_fault(cpu, va, c);
    return r;
}

uint64_t jit_store_slow(rv_cpu *cpu, uint64_t va, uint64_t val, uint64_t size)
{
    int c = rv_store_slow(cpu, va, (int)size, val);
    notice_interrupts(cpu);
    return note_fault(cpu, va, c);
}

jit_load_result jit_atomic(rv_cpu *cpu, uint64_t va, uint64_t src, uint64_t op)
{
    jit_load_result r = {0, 0};
    r.cause = note_fault(cpu, va, rv_atomic(cpu, (int)op, va, src, &r.val));
    return r;
}

/* Whether generated code may go on after a CSR write without the
 * dispatcher's full check. The trap-handling registers change nothing it
 * relies on. A write to sstatus/mstatus (the kernel clears and sets SUM and
 * FS at every trap) switches the live TLB itself (mstatus_write), FP state
 * is checked at each block's entry and the block ends at the write, so only
 * an interrupt that may now be taken needs the check; the same for the
 * interrupt enable and pending registers. Anything else (satp, envcfg, the
 * timer compare, ...) is checked. */
static bool csr_write_is_plain(const rv_cpu *cpu, unsigned csr)
{
    switch (csr) {
    case CSR_SSCRATCH: case CSR_SEPC: case CSR_SCAUSE: case CSR_STVAL: case CSR_STVEC:
    case CSR_MSCRATCH: case CSR_MEPC: case CSR_MCAUSE: case CSR_MTVAL: case CSR_MTVEC:
        return true;
    case CSR_SSTATUS: case CSR_MSTATUS: case CSR_SIE: case CSR_MIE: case CSR_SIP: case CSR_MIP:
        return !(cpu->mip & cpu->mie);
    }
    return false;
}

/* An illegal CSR or system instruction: its bits (`packed`'s top half) as tval. */
static jit_load_result illegal_insn(rv_cpu *cpu, uint64_t packed)
{
    cpu->jit_exc = RV_EXC_ILLEGAL;
    cpu->jit_tval = packed >> JIT_CSR_BITS_SHIFT;
    return (jit_load_result){0, 1};
}

jit_load_result jit_csr(rv_cpu *cpu, uint64_t packed, uint64_t src, uint64_t instret)
{
    unsigned csr = packed & 0xfff, kind = (packed >> JIT_CSR_KIND_SHIFT) & 3;
    if (packed & JIT_CSR_UIMM)
        src = (packed >> JIT_CSR_UIMM_SHIFT) & 31;
    uint64_t old = 0, saved = cpu->instret;
    cpu->instret = instret;
    int cause = (packed & JIT_CSR_READ) ? rv_csr_read(cpu, csr, &old) : 0;
    if (!cause && (packed & JIT_CSR_WRITE))
        cause = rv_csr_write(cpu, csr, kind == 0 ? src : kind == 1 ? old | src : old & ~src);
    cpu->instret = saved;
    if (cause)
        return illegal_insn(cpu, packed);
    if ((packed & JIT_CSR_WRITE) && !csr_write_is_plain(cpu, csr))
        cpu->jit_check_at = 0;
    return (jit_load_result){old, 0};
}

jit_load_result jit_system(rv_cpu *cpu, uint64_t packed, uint64_t a, uint64_t b)
{
    unsigned op = packed & 0xffff;
    bool xret = op == RV_OP_SRET || op == RV_OP_MRET;
    int cause = op == RV_OP_SRET ? rv_sret(cpu) : op == RV_OP_MRET ? rv_mret(cpu) : rv_sfence_vma(cpu, a, b);
    if (cause)
        return illegal_insn(cpu, packed);
    if (xret && (cpu->mip & cpu->mie))
        cpu->jit_check_at = 0; /* an interrupt the return may have enabled */
    return (jit_load_result){xret ? cpu->pc : 0, 0};
}
