/* The hart's architectural state is one struct (rv_arch) inside rv_cpu:
 * the engines' field names and cpu->arch are the same bytes, a copy moves
 * every register, CSR, counter and the reservation, and loading one drops
 * the TLB entries made for the state it replaces. */
#include <string.h>

#include "../../src/cpu/cpu.h"
#include "../../src/host/host.h"
#include "../common/host_check.h"

static uint8_t page[4096];

/* Every virtual page is the one host page, readable. */
static int no_translate(rv_cpu *cpu, uint64_t va, int access, rv_xlate *out)
{
    (void)cpu, (void)access;
    out->host_page = page;
    out->pa = va;
    out->cache_prot = RV_ACC_R;
    return 0;
}

int main(void)
{
    host_ctx *h = host_create();
    rv_cpu *a = host_alloc(h, sizeof(*a)), *b = host_alloc(h, sizeof(*b));
    rv_env env = {.translate = no_translate};
    a->host = b->host = h;
    rv_cpu_init(a, &env, RV_PRIV_M);
    rv_cpu_init(b, &env, RV_PRIV_M);

    a->x[5] = 42;
    a->f[3] = 0x4009000000000000ull;
    a->pc = 0x80001234;
    a->priv = RV_PRIV_S;
    a->satp = (8ull << 60) | 0x81234;
    a->mstatus |= 1u << 1;
    a->stimecmp = 99;
    a->pmpaddr[63] = 0x1234;
    a->instret = 1000;
    a->resv_addr = 0x80002000;
    a->resv_valid = true;
    CHECK(a->arch.x[5] == 42 && a->arch.pc == 0x80001234 && a->arch.instret == 1000,
          "field names and cpu->arch are the same state");

    /* A copy carries everything to another hart. */
    uint64_t v;
    CHECK(rv_load_u64(b, 0x3000, &v) == 0 && b->tlb[3].tag_r == 0x3000, "a TLB entry filled");
    rv_arch_load(b, &a->arch);
    CHECK(memcmp(&a->arch, &b->arch, sizeof(rv_arch)) == 0, "the whole state copied");
    CHECK(b->x[5] == 42 && b->priv == RV_PRIV_S && b->satp == a->satp && b->pmpaddr[63] == 0x1234 &&
              b->resv_valid && b->stimecmp == 99,
          "registers, CSRs, PMP, reservation arrive");
    CHECK(b->tlb[3].tag_r == RV_TLB_INVALID, "the TLB made for the old state is dropped");
    CHECK(b->host == h && b->env.translate == no_translate, "host pointers and the environment stay");

    /* Save, change, restore: a snapshot round trip. */
    rv_arch saved = a->arch;
    a->x[5] = 7;
    a->priv = RV_PRIV_U;
    a->mepc = 0xdead;
    rv_arch_load(a, &saved);
    CHECK(a->x[5] == 42 && a->priv == RV_PRIV_S && a->mepc == saved.mepc, "restored");
    CHECK(sizeof(rv_arch) < sizeof(rv_cpu) / 8, "rv_arch (%zu bytes) leaves the TLB out", sizeof(rv_arch));

    host_destroy(h);
    return check_report("unit.arch");
}
