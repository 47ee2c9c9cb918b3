/* C functions that generated code calls: operations not worth inlining
 * (division, carry-less multiply, ...) and the memory slow paths. Pure
 * helpers take and return plain 64-bit values; memory helpers take the cpu
 * and report a trap through cpu->jit_exc / cpu->jit_tval. */
#ifndef SPLITVM_JIT_HELPERS_H
#define SPLITVM_JIT_HELPERS_H

#include <stdint.h>

#include "../cpu/cpu.h"

uint64_t jit_div(uint64_t a, uint64_t b);
uint64_t jit_divu(uint64_t a, uint64_t b);
uint64_t jit_rem(uint64_t a, uint64_t b);
uint64_t jit_remu(uint64_t a, uint64_t b);
uint64_t jit_divw(uint64_t a, uint64_t b);
uint64_t jit_divuw(uint64_t a, uint64_t b);
uint64_t jit_remw(uint64_t a, uint64_t b);
uint64_t jit_remuw(uint64_t a, uint64_t b);
uint64_t jit_mulhsu(uint64_t a, uint64_t b);
uint64_t jit_clmul(uint64_t a, uint64_t b);
uint64_t jit_clmulh(uint64_t a, uint64_t b);
uint64_t jit_clmulr(uint64_t a, uint64_t b);
uint64_t jit_orc_b(uint64_t a, uint64_t b);
uint64_t jit_brev8(uint64_t a, uint64_t b);
uint64_t jit_pack(uint64_t a, uint64_t b);
uint64_t jit_packh(uint64_t a, uint64_t b);
uint64_t jit_packw(uint64_t a, uint64_t b);
uint64_t jit_xperm4(uint64_t a, uint64_t b);
uint64_t jit_xperm8(uint64_t a, uint64_t b);
uint64_t jit_fmv_w_x(uint64_t a, uint64_t b);
uint64_t jit_fmv_h_x(uint64_t a, uint64_t b);
uint64_t jit_clz(uint64_t a, uint64_t b);
uint64_t jit_clzw(uint64_t a, uint64_t b);
uint64_t jit_ctz(uint64_t a, uint64_t b);
uint64_t jit_ctzw(uint64_t a, uint64_t b);
uint64_t jit_cpop(uint64_t a, uint64_t b);
uint64_t jit_cpopw(uint64_t a, uint64_t b);

/* Memory slow paths (TLB miss, misaligned, MMIO, fault). A load returns the
 * raw value zero-extended in `val`; cause != 0 means the access trapped
 * (cpu->jit_exc/jit_tval are set). */
typedef struct jit_load_result {
    uint64_t val;
    uint64_t cause;
} jit_load_result;
jit_load_result jit_load_slow(rv_cpu *cpu, uint64_t va, uint64_t size);
uint64_t jit_store_slow(rv_cpu *cpu, uint64_t va, uint64_t val, uint64_t size);
/* LR/SC/AMO `op` (an RV_OP_ value): the value for rd, or cause != 0. */
jit_load_result jit_atomic(rv_cpu *cpu, uint64_t va, uint64_t src, uint64_t op);

/* A CSR instruction (csrr[wsc][i], not on the FP CSRs, whose flags the
 * host's MXCSR may still hold): `packed` as JIT_CSR_* below, `src` the
 * source register's value, `instret` the count before this instruction
 * (what counter reads see). The old value for rd, or cause != 0 (an
 * illegal instruction, cpu->jit_exc / jit_tval set). A write that may
 * change what generated code assumes (interrupts to take, the translation
 * regime, the FP state) zeroes cpu->jit_check_at: the next block's entry
 * check sends the hart to the dispatcher's full check, as the interpreter
 * goes to it after every CSR instruction. */
#define JIT_CSR_KIND_SHIFT 12 /* 0 csrrw, 1 csrrs, 2 csrrc */
#define JIT_CSR_READ ((uint64_t)1 << 14)
#define JIT_CSR_WRITE ((uint64_t)1 << 15)
#define JIT_CSR_UIMM ((uint64_t)1 << 16) /* the source is bits 17-21 */
#define JIT_CSR_UIMM_SHIFT 17
#define JIT_CSR_BITS_SHIFT 32 /* the instruction (the trap's tval) */
jit_load_result jit_csr(rv_cpu *cpu, uint64_t packed, uint64_t src, uint64_t instret);
/* sret, mret, sfence.vma or sinval.vma (`packed`: the RV_OP_ value, the
 * instruction's bits from JIT_CSR_BITS_SHIFT up) with rs1 = a, rs2 = b:
 * the pc to go on at (an xRET's return address; 0 after a fence: the next
 * instruction), or cause != 0 (illegal: cpu->jit_exc / jit_tval set). An
 * xRET that enables an interrupt already pending zeroes jit_check_at. */
jit_load_result jit_system(rv_cpu *cpu, uint64_t packed, uint64_t a, uint64_t b);

#endif
