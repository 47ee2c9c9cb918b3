/* Block cache storage of the interpreter, and the flush / destroy entry
 * points of both engines (the JIT's caches go with the interpreter's).
 * Block cache storage: one bump-allocated arena plus a hash table, both
 * allocated through the machine's host layer. A flush drops everything at
 * once (fence.i, unmapped code, or a full arena). */
#include "block_cache.h"

#include <string.h>

#include "../host/host.h"
#include "../jit/jit.h"

/* Room for the page-straddling scratch block: one instruction + terminator. */
#define SCRATCH_SIZE (sizeof(interp_block) + 2 * sizeof(interp_insn) + 16)

interp_engine *interp_engine_get(rv_cpu *cpu)
{
    interp_engine *eng = cpu->engine;
    if (eng)
        return eng;
    eng = host_alloc(cpu->host, sizeof(*eng));
    if (!eng)
        return NULL;
    eng->arena = host_alloc(cpu->host, INTERP_ARENA_SIZE);
    eng->scratch = host_alloc(cpu->host, SCRATCH_SIZE);
    if (!eng->arena || !eng->scratch) {
        host_free(cpu->host, eng->arena);
        host_free(cpu->host, eng->scratch);
        host_free(cpu->host, eng);
        return NULL;
    }
    interp_engine_reset(eng); /* an empty jump cache */
    cpu->engine = eng;
    return eng;
}

void *interp_arena_alloc(interp_engine *eng, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (eng->arena_used + size > INTERP_ARENA_SIZE)
        return NULL;
    void *p = eng->arena + eng->arena_used;
    eng->arena_used += size;
    return p;
}

void interp_block_insert(interp_engine *eng, interp_block *b)
{
    interp_block **head = &eng->hash[interp_hash(b->key)];
    b->hnext = *head;
    *head = b;
}

/* Forget every block: later lookups rebuild from guest memory. */
static void drop_blocks(interp_engine *eng)
{
    memset(eng->hash, 0, sizeof(eng->hash));
    for (size_t i = 0; i < sizeof(eng->jc) / sizeof(eng->jc[0]); i++)
        eng->jc[i] = (interp_target){1, 0, NULL};
    eng->gen++;
    eng->dummy_succ = NULL;
    eng->scratch->succ[0] = eng->scratch->succ[1] = (interp_target){1, 0, NULL};
}

void interp_engine_reset(interp_engine *eng)
{
    drop_blocks(eng);
    eng->arena_used = 0;
    eng->reset_pending = false;
}

void rv_interp_note_translated(rv_cpu *cpu, uintptr_t host)
{
    interp_engine *eng = cpu->engine;
    interp_block *b = eng && eng->stop_handler ? interp_block_find(eng, host) : NULL;
    if (!b || (b->stat & INTERP_JITTED))
        return;
    /* Only this block's entry pays for the check: the interpreter's own
     * runs (-accel interp) never come to it. */
    b->h0 = b->insns[0].h;
    b->insns[0].h = eng->stop_handler;
    b->stat |= INTERP_JITTED;
}

/* Callable from anywhere, including device or trap callbacks that run in
 * the middle of a block: the running block stays readable because its
 * memory is only reused once the run loop reaches a safe point. */
void rv_engine_flush(rv_cpu *cpu)
{
    jit_flush(cpu);
    rv_interp_flush(cpu);
}

void rv_interp_flush(rv_cpu *cpu)
{
    interp_engine *eng = cpu->engine;
    if (!eng)
        return;
    if (eng->running) {
        drop_blocks(eng);
        eng->reset_pending = true;
    } else {
        interp_engine_reset(eng);
    }
}

void rv_engine_destroy(rv_cpu *cpu)
{
    interp_engine *eng = cpu->engine;
    jit_destroy(cpu);
    if (!eng)
        return;
    host_free(cpu->host, eng->arena);
    host_free(cpu->host, eng->scratch);
    host_free(cpu->host, eng);
    cpu->engine = NULL;
}
