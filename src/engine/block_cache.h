/* Predecoded-block cache of the interpreter.
 *
 * A block is a straight run of up to INTERP_BLOCK_MAX guest instructions
 * from one page, keyed by the HOST address of its first instruction, so it
 * is shared by every virtual mapping of that code and survives satp
 * switches. Blocks are position independent: pc-relative values are
 * computed from the block's entry pc at run time. Each predecoded
 * instruction holds the address of its handler (threaded dispatch). */
#ifndef SPLITVM_ENGINE_BLOCK_CACHE_H
#define SPLITVM_ENGINE_BLOCK_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "../cpu/cpu.h"

#define INTERP_BLOCK_MAX 64
#define INTERP_HASH_BITS 14
#ifndef INTERP_ARENA_SIZE
#define INTERP_ARENA_SIZE ((size_t)32 << 20) /* when full, everything is flushed */
#endif
/* Interrupts, stop requests and the budget are looked at least this often
 * (in instructions), and after every trap, CSR or system instruction. */
#define INTERP_CHECK_INTERVAL 1024

/* One predecoded instruction (16 bytes). Field use per handler:
 * imm: immediate; for branches/jal the target offset from the block entry
 * pc; for auipc imm | offset-in-block (the low 12 bits of imm are zero);
 * the CSR number for Zicsr; rm for FP arithmetic. rs3: fma third source. */
typedef struct interp_insn {
    const void *h;
    int32_t imm;
    uint8_t rd, rs1, rs2, rs3;
} interp_insn;

/* "Guest pc runs this block", which holds only in the translation epoch it
 * was seen in (cpu->jit_ic_epoch changes whenever the fetch translation of
 * any pc may have), so a hit needs no soft-TLB probe. Used by the exits
 * that leave the page and by the jump cache; a flush of the blocks drops
 * them all. */
typedef struct interp_target {
    uint64_t pc; /* 1 (odd: no instruction's pc) when empty */
    uint64_t epoch;
    struct interp_block *blk;
} interp_target;

/* Jump cache: for exits whose target varies (jalr, and the lookups after a
 * trap, a system instruction or the periodic check). */
#define INTERP_JC_BITS 10
#define INTERP_JC_IDX(pc) (((pc) >> 1) & ((1u << INTERP_JC_BITS) - 1))

/* interp_block.stat: the JIT has translated code at this block's start
 * (rv_interp_note_translated): its first handler is the stretch stop
 * (L_JITTED in run_loop), the block's own is in h0. */
#define INTERP_JITTED 4

typedef struct interp_block {
    uintptr_t key;                /* host address of the first instruction */
    struct interp_block *hnext;   /* hash chain */
    interp_target succ[2];        /* last successor seen: [0] taken/jump, [1] fall-through */
    struct interp_block *link[2]; /* successor through a same-page direct exit: always valid */
    uint32_t n;                   /* guest instructions (the terminator excluded) */
    uint16_t end_off;             /* bytes from the entry pc to the end of the block */
    uint8_t stat;                 /* bit i: exit i is a direct jump within the same page; INTERP_JITTED */
    uint16_t *offs;               /* cold: pc offset of each instruction */
    uint32_t *bits;               /* cold: raw encoding of each instruction (mtval) */
    const void *h0;               /* INTERP_JITTED: the first instruction's handler */
    interp_insn insns[];          /* n instructions, then a terminator when needed */
} interp_block;

typedef struct interp_engine {
    interp_block *hash[1u << INTERP_HASH_BITS];
    interp_target jc[1u << INTERP_JC_BITS];
    uint8_t *arena;
    size_t arena_used;
    uint64_t gen;             /* bumped by every flush */
    interp_block *dummy_succ; /* successor slot used when no block is linkable */
    interp_block *scratch;    /* uncached block for page-straddling instructions */
    const void *stop_handler; /* run_loop's L_JITTED (set by its first run) */
    bool running;             /* inside rv_interp_run */
    bool reset_pending;       /* flushed while running: reuse the arena at the next safe point */
} interp_engine;

interp_engine *interp_engine_get(rv_cpu *cpu);
/* Drop every block and reuse the arena now (only where no block pointer is live). */
void interp_engine_reset(interp_engine *eng);
/* Room for a block of `size` bytes, or NULL if the arena is full. */
void *interp_arena_alloc(interp_engine *eng, size_t size);
void interp_block_insert(interp_engine *eng, interp_block *b);

static inline unsigned interp_hash(uintptr_t key)
{
    return (unsigned)(((uint64_t)key * 0x9e3779b97f4a7c15ull) >> (64 - INTERP_HASH_BITS));
}

static inline interp_block *interp_block_find(const interp_engine *eng, uintptr_t key)
{
    interp_block *b = eng->hash[interp_hash(key)];
    while (b && b->key != key)
        b = b->hnext;
    return b;
}

#endif
