/* LR/SC and AMOs. Guest memory is host memory here, so the AMOs are host
 * atomics on the translated address (other harts, i.e. other host threads
 * running guests that share memory, see them as atomic too). */
#include "atomic.h"

#include "alu.h"

/* min/max have no host instruction: compare-and-swap loops. */
#define DEFINE_AMO_CAS(name, type, better)                                        \
    static type name(type *p, type v)                                             \
    {                                                                             \
        type old = __atomic_load_n(p, __ATOMIC_RELAXED);                          \
        for (;;) {                                                                \
            type nv = (better) ? v : old;                                         \
            if (__atomic_compare_exchange_n(p, &old, nv, true, __ATOMIC_SEQ_CST,  \
                                            __ATOMIC_RELAXED))                    \
                return old;                                                       \
        }                                                                         \
    }
DEFINE_AMO_CAS(amo_min_w, uint32_t, (int32_t)v < (int32_t)old)
DEFINE_AMO_CAS(amo_max_w, uint32_t, (int32_t)v > (int32_t)old)
DEFINE_AMO_CAS(amo_minu_w, uint32_t, v < old)
DEFINE_AMO_CAS(amo_maxu_w, uint32_t, v > old)
DEFINE_AMO_CAS(amo_min_d, uint64_t, (int64_t)v < (int64_t)old)
DEFINE_AMO_CAS(amo_max_d, uint64_t, (int64_t)v > (int64_t)old)
DEFINE_AMO_CAS(amo_minu_d, uint64_t, v < old)
DEFINE_AMO_CAS(amo_maxu_d, uint64_t, v > old)
#undef DEFINE_AMO_CAS

static int load_reserved(rv_cpu *cpu, uint64_t va, int size, uint64_t *rd)
{
    uint64_t v;
    if (va & (uint64_t)(size - 1))
        return RV_EXC_LOAD_MISALIGNED;
    int c = size == 4 ? rv_load_u32(cpu, va, &v) : rv_load_u64(cpu, va, &v);
    if (c)
        return c;
    cpu->resv_addr = va;
    cpu->resv_valid = true;
    cpu->resv_val = v;
    *rd = size == 4 ? sx32(v) : v;
    return 0;
}

/* SC succeeds iff the reservation covers the address and memory still
 * holds the value LR read (a CAS, so other harts' stores are noticed). */
static int store_conditional(rv_cpu *cpu, uint64_t va, int size, uint64_t src, uint64_t *rd)
{
    void *p;
    bool ok = false;
    int c = rv_amo_ptr(cpu, va, size, &p);
    if (c)
        return c;
    if (cpu->resv_valid && cpu->resv_addr == va) {
        if (size == 4) {
            uint32_t expect = (uint32_t)cpu->resv_val;
            ok = __atomic_compare_exchange_n((uint32_t *)p, &expect, (uint32_t)src, false,
                                             __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        } else {
            uint64_t expect = cpu->resv_val;
            ok = __atomic_compare_exchange_n((uint64_t *)p, &expect, src, false, __ATOMIC_SEQ_CST,
                                             __ATOMIC_SEQ_CST);
        }
    }
    cpu->resv_valid = false;
    *rd = !ok;
    return 0;
}

static uint32_t amo_w(int op, uint32_t *p, uint32_t v)
{
    switch (op) {
    case RV_OP_AMOSWAP_W: return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
    case RV_OP_AMOADD_W: return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
    case RV_OP_AMOXOR_W: return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);
    case RV_OP_AMOAND_W: return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
    case RV_OP_AMOOR_W: return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
    case RV_OP_AMOMIN_W: return amo_min_w(p, v);
    case RV_OP_AMOMAX_W: return amo_max_w(p, v);
    case RV_OP_AMOMINU_W: return amo_minu_w(p, v);
    default: return amo_maxu_w(p, v);
    }
}

static uint64_t amo_d(int op, uint64_t *p, uint64_t v)
{
    switch (op) {
    case RV_OP_AMOSWAP_D: return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
    case RV_OP_AMOADD_D: return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
    case RV_OP_AMOXOR_D: return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);
    case RV_OP_AMOAND_D: return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
    case RV_OP_AMOOR_D: return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
    case RV_OP_AMOMIN_D: return amo_min_d(p, v);
    case RV_OP_AMOMAX_D: return amo_max_d(p, v);
    case RV_OP_AMOMINU_D: return amo_minu_d(p, v);
    default: return amo_maxu_d(p, v);
    }
}

int rv_atomic(rv_cpu *cpu, int op, uint64_t va, uint64_t src, uint64_t *rd)
{
    bool word = op < RV_OP_LR_D;
    int size = word ? 4 : 8;
    if (op == RV_OP_LR_W || op == RV_OP_LR_D)
        return load_reserved(cpu, va, size, rd);
    if (op == RV_OP_SC_W || op == RV_OP_SC_D)
        return store_conditional(cpu, va, size, src, rd);
    void *p;
    int c = rv_amo_ptr(cpu, va, size, &p);
    if (c)
        return c;
    *rd = word ? sx32(amo_w(op, p, (uint32_t)src)) : amo_d(op, p, src);
    return 0;
}
