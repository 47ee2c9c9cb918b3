/* PLIC: priorities and thresholds per context, claim order (priority, then
 * lowest id), the level-triggered gateway across claim and complete, M and
 * S contexts of several harts, and malformed programming (sizes, alignment,
 * source 0, read-only pending bits, out-of-range contexts and words). */
#include <string.h>

#include "../../src/dev/plic.h"
#include "dev_check.h"

static plic p;
static irq_probe probe; /* probe line n = context n */

static uint32_t rd(uint64_t off) { return dev_rd32(plic_read, &p, off); }

static void wr(uint64_t off, uint32_t v) { dev_wr32(plic_write, &p, off, v); }

static uint64_t enable_off(unsigned ctx, unsigned src) { return 0x2000 + 0x80 * ctx + src / 32 * 4; }
static uint64_t threshold_off(unsigned ctx) { return 0x200000 + 0x1000 * ctx; }
static uint64_t claim_off(unsigned ctx) { return threshold_off(ctx) + 4; }

static void enable(unsigned ctx, unsigned src)
{
    wr(enable_off(ctx, src), rd(enable_off(ctx, src)) | 1u << (src % 32));
}

static void fresh(unsigned harts)
{
    memset(&probe, 0, sizeof(probe));
    plic_init(&p, harts);
    for (unsigned c = 0; c < 2 * harts; c++)
        plic_connect(&p, c, irq_probe_line(&probe, c));
}

static void test_claim_order(void)
{
    fresh(1);
    unsigned s = 1; /* S-mode context of hart 0 */
    wr(4 * 10, 1);
    wr(4 * 1, 3);
    wr(4 * 2, 3);
    wr(4 * 33, 7);
    CHECK(rd(4 * 33) == 7 && rd(4 * 10) == 1, "priorities read back");
    enable(s, 10);
    enable(s, 1);
    enable(s, 2);
    enable(s, 33);
    CHECK(rd(enable_off(s, 33)) == 2 && rd(enable_off(s, 1)) == 0x406, "enable words");
    plic_set_irq(&p, 10, 1);
    CHECK(probe.level[1] == 1 && probe.level[0] == 0, "S context raised, M not (not enabled)");
    CHECK(rd(0x1000) == 1u << 10, "pending bit 10");
    plic_set_irq(&p, 2, 1);
    plic_set_irq(&p, 1, 1);
    plic_set_irq(&p, 33, 1);
    CHECK(rd(0x1004) == 2, "pending bit 33");
    CHECK(rd(claim_off(s)) == 33, "highest priority first");
    CHECK(rd(claim_off(s)) == 1, "tie: lowest id");
    CHECK(rd(claim_off(s)) == 2, "then 2");
    CHECK(rd(claim_off(s)) == 10, "then the lowest priority");
    CHECK(rd(claim_off(s)) == 0 && probe.level[1] == 0, "all claimed: 0, line low");
    CHECK(rd(0x1000) == 0 && rd(0x1004) == 0, "claims cleared pending");
    /* Lines still high: completion re-pends them. */
    wr(claim_off(s), 10);
    CHECK(probe.level[1] == 1 && rd(0x1000) == 1u << 10, "complete re-pends a high line");
    plic_set_irq(&p, 1, 0);
    wr(claim_off(s), 1);
    CHECK(!(rd(0x1000) & 2), "complete with the line low: not pending");
}

static void test_threshold_and_gateway(void)
{
    fresh(1);
    wr(4 * 5, 2);
    enable(0, 5);
    plic_set_irq(&p, 5, 1);
    CHECK(probe.level[0] == 1, "M context raised");
    wr(threshold_off(0), 2);
    CHECK(rd(threshold_off(0)) == 2 && probe.level[0] == 0, "priority == threshold masks");
    CHECK(rd(claim_off(0)) == 0, "nothing claimable at the threshold");
    CHECK(rd(0x1000) == 1u << 5, "still pending");
    wr(threshold_off(0), 1);
    CHECK(probe.level[0] == 1, "threshold lowered: raised again");
    /* Level follows the line while not claimed. */
    plic_set_irq(&p, 5, 0);
    CHECK(rd(0x1000) == 0 && probe.level[0] == 0, "line low before claim: not pending");
    plic_set_irq(&p, 5, 1);
    CHECK(rd(claim_off(0)) == 5, "claim 5");
    plic_set_irq(&p, 5, 0);
    plic_set_irq(&p, 5, 1);
    CHECK(rd(0x1000) == 0 && probe.level[0] == 0, "claimed: gateway closed");
    wr(claim_off(0), 5);
    CHECK(rd(0x1000) == 1u << 5 && probe.level[0] == 1, "completed: pending again");
    /* Priority 0 never interrupts. */
    wr(4 * 5, 0);
    CHECK(probe.level[0] == 0 && rd(claim_off(0)) == 0, "priority 0 is off");
}

static void test_contexts(void)
{
    fresh(4);
    CHECK(p.ncontexts == 8, "two contexts per hart");
    wr(4 * 7, 1);
    enable(5, 7); /* hart 2, S mode */
    enable(6, 7); /* hart 3, M mode */
    plic_set_irq(&p, 7, 1);
    CHECK(probe.level[5] && probe.level[6] && !probe.level[4] && !probe.level[7], "only the enabling contexts");
    CHECK(rd(claim_off(6)) == 7, "hart 3 M claims");
    CHECK(!probe.level[5] && !probe.level[6], "claimed for everyone");
    CHECK(rd(claim_off(5)) == 0, "hart 2 S gets nothing");
    /* Completing from a context that does not enable the source: ignored. */
    wr(claim_off(4), 7);
    CHECK(rd(0x1000) == 0, "foreign completion ignored");
    wr(claim_off(5), 7);
    CHECK(rd(0x1000) == 1u << 7 && probe.level[5], "completion by another enabling context");
    CHECK(PLIC_SIZE(16) == 0x210000, "window for 8 harts");
}

static void test_malformed(void)
{
    fresh(2);
    uint64_t v = 0;
    CHECK(plic_read(&p, 4, 2, &v) == -1 && plic_read(&p, 4, 8, &v) == -1, "non-32-bit read faults");
    CHECK(plic_write(&p, 4, 1, 1) == -1 && plic_write(&p, 6, 4, 1) == -1, "byte/unaligned write faults");
    CHECK(plic_read(&p, 0x1002, 4, &v) == -1, "unaligned read faults");
    wr(0, 7);
    CHECK(rd(0) == 0, "source 0 priority hardwired");
    wr(4 * 3, 0xffffffff);
    CHECK(rd(4 * 3) == 7, "priority WARL to 3 bits");
    wr(0x2000, 0xffffffff);
    CHECK(rd(0x2000) == 0xfffffffe, "source 0 cannot be enabled");
    wr(0x1000, 0xffffffff);
    CHECK(rd(0x1000) == 0, "pending read-only");
    wr(threshold_off(1), 0x100);
    CHECK(rd(threshold_off(1)) == 0, "threshold WARL");
    /* Beyond the contexts and the implemented words: 0, ignored. */
    wr(enable_off(4, 0), 0xffffffff);
    CHECK(rd(enable_off(4, 0)) == 0, "enable of a missing context");
    wr(0x2000 + 0x7c, 0xffffffff);
    CHECK(rd(0x2000 + 0x7c) == 0, "enable word beyond source 95");
    CHECK(rd(claim_off(4)) == 0 && rd(0x600000 - 4) == 0, "claim of a missing context / far word");
    wr(claim_off(0), 0);
    wr(claim_off(0), 1000);
    wr(claim_off(0), 3); /* not claimed, not enabled */
    plic_set_irq(&p, 0, 1);
    plic_set_irq(&p, 96, 1);
    plic_set_irq(&p, 4000000000u, 1);
    CHECK(rd(0x1000) == 0 && rd(0x1008) == 0, "bad source ids ignored");
    plic_init(&p, 100);
    CHECK(p.ncontexts == 2 * PLIC_MAX_HARTS, "harts clamped");
    plic_set_irq(&p, 3, 1); /* unwired outputs */
    CHECK(rd(0x1000) == 8, "works unwired");
}

int main(void)
{
    test_claim_order();
    test_threshold_and_gateway();
    test_contexts();
    test_malformed();
    return check_report("plic");
}
