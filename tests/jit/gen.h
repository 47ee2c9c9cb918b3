/* Random RV64GC program generator for the JIT differential tester.
 *
 * A program is a list of groups (one to a few instructions that belong
 * together: auipc+addi+jalr, an lr/sc pair, a code patch). Control flow only
 * goes forward, to the start of a later group, so every program ends at the
 * final `ecall`. Shrinking replaces whole groups by nops of the same sizes,
 * which keeps every offset valid. */
#ifndef SPLITVM_TESTS_JIT_GEN_H
#define SPLITVM_TESTS_JIT_GEN_H

#include <stdint.h>

#include "cpu/cpu.h"
#include "cpu/decode.h"

/* Guest layout: flat code and data regions; everything else is unmapped. */
#define GEN_CODE_BASE 0x10000u
#define GEN_CODE_SIZE 0x10000u
#define GEN_DATA_BASE 0x200000u
#define GEN_DATA_SIZE 0x10000u
/* One writable and executable page for self-modifying code. */
#define GEN_PATCH_BASE 0x30000u
#define GEN_PATCH_SIZE 0x1000u
#define GEN_PATCH_SLOTS (GEN_PATCH_SIZE / 8)

#define GEN_MAX_LEN 2000    /* --len limit: the program must fit the code region */
#define GEN_MAX_INSNS 16384

#define GEN_NOP32 0x00000013u /* addi x0, x0, 0 */
#define GEN_NOP16 0x0001u     /* c.nop */

typedef struct gen_rng {
    uint64_t s;
} gen_rng;

void gen_seed(gen_rng *r, uint64_t seed, uint64_t stream);
uint64_t gen_next(gen_rng *r);
/* Uniform in [0, n). */
uint32_t gen_below(gen_rng *r, uint32_t n);

typedef struct gen_insn {
    uint32_t bits;
    uint8_t len;    /* 2 or 4 */
    uint8_t fix;    /* gen.c's pending fixup kind (resolved before use) */
    uint16_t group;
    int32_t target; /* fixups: group distance, or instruction index (code patch) */
    int32_t anchor; /* fixups: index of the auipc the offset is measured from */
    uint32_t off;   /* byte offset from the program entry */
} gen_insn;

typedef struct gen_prog {
    uint32_t n;         /* instructions */
    uint32_t ngroups;
    uint32_t entry_off; /* program start, relative to GEN_CODE_BASE */
    uint32_t size;      /* bytes */
    uint32_t budget;    /* max_insns per engine call (1: one block per call) */
    uint32_t npatch;    /* patch page slots used */
    uint32_t patch[GEN_PATCH_SLOTS][2];
    gen_insn insn[GEN_MAX_INSNS];
} gen_prog;

/* Generate about `len` instructions (plus the final ecall) from `seed`. */
void gen_program(gen_prog *p, uint64_t seed, int len);
/* Fill the code region (GEN_CODE_SIZE bytes): ecalls around the program. */
void gen_write_code(const gen_prog *p, uint8_t *code);
/* Initial contents of the patch page (GEN_PATCH_SIZE bytes). */
void gen_write_patch_page(const gen_prog *p, uint8_t *page);
/* Replace group g by nops of the same sizes. */
void gen_nop_group(gen_prog *p, uint32_t g);
/* True if every instruction of group g is a nop. */
int gen_group_is_nop(const gen_prog *p, uint32_t g);

/* Initial architectural state for `seed`: registers (x2/x3/x4/x8 point into
 * the data region and are never written by generated code), FP registers,
 * frm/fflags, mstatus.FS, counter enables, and the data region contents
 * (GEN_DATA_SIZE bytes). cpu must be rv_cpu_init'ed (priv U). */
void gen_initial_state(rv_cpu *cpu, uint8_t *data, uint64_t seed);

/* Bitmap of rv_op values the generator produced so far (coverage report). */
extern uint8_t gen_op_seen[RV_OP_COUNT];
/* Nonzero: also generate Zbkb / Zbkx / Zfh operations (jit_diff --ext;
 * off by default so that the other seeds keep generating their programs). */
extern int gen_ext_ops;

#endif
