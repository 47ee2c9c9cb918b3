/* Hosts without a JIT backend (today everything but x86-64 and AArch64): the backend
 * entry points exist so the engine links, and jit_backend_init says no, so
 * the first -accel jit run notes the JIT as unavailable and the interpreter
 * runs (jit_engine.c: jit_get). */
#include "jit.h"

#if !defined(__x86_64__) && !defined(__aarch64__)

bool jit_backend_init(jit_ctx *jc)
{
    (void)jc;
    return false;
}

size_t jit_backend_work_size(void)
{
    return 1;
}

uintptr_t jit_backend_emit(jit_ctx *jc, const ir_block *blk)
{
    (void)jc;
    (void)blk;
    return 0;
}

void jit_backend_chain(jit_ctx *jc, uintptr_t site, uintptr_t target)
{
    (void)jc;
    (void)site;
    (void)target;
}

void jit_backend_redirect(jit_ctx *jc, uintptr_t from, uintptr_t to)
{
    (void)jc;
    (void)from;
    (void)to;
}

void jit_backend_set_ic(jit_ctx *jc, uintptr_t ic, uint64_t pc, uint64_t epoch, uintptr_t target)
{
    (void)jc;
    (void)ic;
    (void)pc;
    (void)epoch;
    (void)target;
}

#endif
