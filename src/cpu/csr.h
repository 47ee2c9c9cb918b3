/* Privileged-architecture constants shared by csr.c, trap.c and the MMU:
 * CSR numbers and mstatus/satp/PTE bit layouts (RISC-V privileged spec). */
#ifndef SPLITVM_CSR_H
#define SPLITVM_CSR_H

#include <stdint.h>

#include "cpu.h"

/* mstatus / sstatus fields. */
#define MSTATUS_SIE ((uint64_t)1 << 1)
#define MSTATUS_MIE ((uint64_t)1 << 3)
#define MSTATUS_SPIE ((uint64_t)1 << 5)
#define MSTATUS_UBE ((uint64_t)1 << 6)
#define MSTATUS_MPIE ((uint64_t)1 << 7)
#define MSTATUS_SPP ((uint64_t)1 << 8)
#define MSTATUS_VS ((uint64_t)3 << 9)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP ((uint64_t)3 << MSTATUS_MPP_SHIFT)
#define MSTATUS_FS ((uint64_t)3 << 13)
#define MSTATUS_XS ((uint64_t)3 << 15)
#define MSTATUS_MPRV ((uint64_t)1 << 17)
#define MSTATUS_SUM ((uint64_t)1 << 18)
#define MSTATUS_MXR ((uint64_t)1 << 19)
#define MSTATUS_TVM ((uint64_t)1 << 20)
#define MSTATUS_TW ((uint64_t)1 << 21)
#define MSTATUS_TSR ((uint64_t)1 << 22)
#define MSTATUS_UXL ((uint64_t)3 << 32)
#define MSTATUS_SXL ((uint64_t)3 << 34)
#define MSTATUS_SD ((uint64_t)1 << 63)

/* satp. */
#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE 0
#define SATP_MODE_SV39 8
#define SATP_MODE_SV48 9
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK ((uint64_t)0xffff << SATP_ASID_SHIFT)
#define SATP_PPN_MASK (((uint64_t)1 << 44) - 1)

/* menvcfg. */
#define MENVCFG_FIOM ((uint64_t)1 << 0)
#define MENVCFG_CBIE_SHIFT 4 /* 2 bits: 0 illegal, 1 cbo.inval flushes, 3 invalidates */
#define MENVCFG_CBIE ((uint64_t)3 << MENVCFG_CBIE_SHIFT)
#define MENVCFG_CBCFE ((uint64_t)1 << 6)
#define MENVCFG_CBZE ((uint64_t)1 << 7)
#define MENVCFG_PBMTE ((uint64_t)1 << 62)
#define MENVCFG_STCE ((uint64_t)1 << 63)
/* The fields senvcfg shares with menvcfg. */
#define SENVCFG_WRITABLE (MENVCFG_FIOM | MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE)

/* Page-table entries (Sv39/Sv48). */
#define PTE_V ((uint64_t)1 << 0)
#define PTE_R ((uint64_t)1 << 1)
#define PTE_W ((uint64_t)1 << 2)
#define PTE_X ((uint64_t)1 << 3)
#define PTE_U ((uint64_t)1 << 4)
#define PTE_G ((uint64_t)1 << 5)
#define PTE_A ((uint64_t)1 << 6)
#define PTE_D ((uint64_t)1 << 7)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK (((uint64_t)1 << 44) - 1)
#define PTE_PBMT_SHIFT 61 /* Svpbmt: 0 PMA, 1 NC, 2 IO, 3 reserved */
#define PTE_PBMT ((uint64_t)3 << PTE_PBMT_SHIFT)
#define PTE_RESERVED_HI ((uint64_t)0x27f << 54) /* N (Svnapot) and bits 60-54: not implemented */

/* Interrupt bits in mip/mie. */
#define MIP_SSIP ((uint64_t)1 << 1)
#define MIP_MSIP ((uint64_t)1 << 3)
#define MIP_STIP ((uint64_t)1 << 5)
#define MIP_MTIP ((uint64_t)1 << 7)
#define MIP_SEIP ((uint64_t)1 << 9)
#define MIP_MEIP ((uint64_t)1 << 11)
#define MIP_S_MASK (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define MIP_ALL_MASK (MIP_S_MASK | MIP_MSIP | MIP_MTIP | MIP_MEIP)

/* CSR numbers. */
enum {
    CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003,
    CSR_CYCLE = 0xc00, CSR_TIME = 0xc01, CSR_INSTRET = 0xc02, CSR_HPMCOUNTER3 = 0xc03, CSR_HPMCOUNTER31 = 0xc1f,
    CSR_SSTATUS = 0x100, CSR_SIE = 0x104, CSR_STVEC = 0x105, CSR_SCOUNTEREN = 0x106, CSR_SENVCFG = 0x10a,
    CSR_SSCRATCH = 0x140, CSR_SEPC = 0x141, CSR_SCAUSE = 0x142, CSR_STVAL = 0x143, CSR_SIP = 0x144,
    CSR_STIMECMP = 0x14d, CSR_SATP = 0x180,
    CSR_MSTATUS = 0x300, CSR_MISA = 0x301, CSR_MEDELEG = 0x302, CSR_MIDELEG = 0x303, CSR_MIE = 0x304,
    CSR_MTVEC = 0x305, CSR_MCOUNTEREN = 0x306, CSR_MENVCFG = 0x30a, CSR_MCOUNTINHIBIT = 0x320,
    CSR_MHPMEVENT3 = 0x323, CSR_MHPMEVENT31 = 0x33f,
    CSR_MSCRATCH = 0x340, CSR_MEPC = 0x341, CSR_MCAUSE = 0x342, CSR_MTVAL = 0x343, CSR_MIP = 0x344,
    CSR_PMPCFG0 = 0x3a0, CSR_PMPCFG15 = 0x3af, CSR_PMPADDR0 = 0x3b0, CSR_PMPADDR63 = 0x3ef,
    CSR_TSELECT = 0x7a0, CSR_TDATA1 = 0x7a1, CSR_TDATA2 = 0x7a2, CSR_TDATA3 = 0x7a3, CSR_TINFO = 0x7a4,
    CSR_MCYCLE = 0xb00, CSR_MINSTRET = 0xb02, CSR_MHPMCOUNTER3 = 0xb03, CSR_MHPMCOUNTER31 = 0xb1f,
    CSR_MVENDORID = 0xf11, CSR_MARCHID = 0xf12, CSR_MIMPID = 0xf13, CSR_MHARTID = 0xf14, CSR_MCONFIGPTR = 0xf15,
};

/* Current value of the time CSR (the board's clock, else retired / 10). */
uint64_t rv_time_now(rv_cpu *cpu);
/* Sstc: recompute mip.STIP from stimecmp when menvcfg.STCE is set. */
void rv_sstc_update(rv_cpu *cpu);

#endif
