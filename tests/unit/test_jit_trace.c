/* The hot tier's traces (src/jit/frontend.c): a hot block follows direct
 * jumps and the taken side of a branch whose target the profile saw
 * entered more, within its page, and closes where it comes back to its
 * start. Checked on the IR the front end hands the backends: which guest
 * instructions it holds in which order, the side exits' conditions and
 * targets, and whether the block loops on itself. What the traces compute
 * is jit_diff --traces' part (tests/jit). */
#include <string.h>

#include "../../src/jit/ir.h"
#include "../../src/jit/jit_plan.h"
#include "../common/host_check.h"

#define BASE 0x10000u
enum { RA = 1, A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, S5 = 21, T3 = 28 };

static _Alignas(4096) uint8_t page[4096];
static ir_block blk;

static uint32_t i_type(int op, int f3, int rd, int rs1, int imm)
{
    return ((uint32_t)imm & 0xfff) << 20 | (uint32_t)rs1 << 15 | (uint32_t)f3 << 12 | (uint32_t)rd << 7 | (uint32_t)op;
}
static uint32_t addi(int rd, int rs1, int imm) { return i_type(0x13, 0, rd, rs1, imm); }
static uint32_t lw(int rd, int rs1, int imm) { return i_type(0x03, 2, rd, rs1, imm); }
static uint32_t ret(void) { return i_type(0x67, 0, 0, RA, 0); }
/* Branches and jal from `at` to `to` (page offsets). */
static uint32_t branch(int f3, int rs1, int rs2, uint32_t at, uint32_t to)
{
    uint32_t o = to - at;
    return ((o >> 12) & 1) << 31 | ((o >> 5) & 0x3f) << 25 | (uint32_t)rs2 << 20 | (uint32_t)rs1 << 15 |
           (uint32_t)f3 << 12 | ((o >> 1) & 0xf) << 8 | ((o >> 11) & 1) << 7 | 0x63;
}
static uint32_t jal(int rd, uint32_t at, uint32_t to)
{
    uint32_t o = to - at;
    return ((o >> 20) & 1) << 31 | ((o >> 1) & 0x3ff) << 21 | ((o >> 11) & 1) << 20 | ((o >> 12) & 0xff) << 12 |
           (uint32_t)rd << 7 | 0x6f;
}
#define BEQ 0
#define BNE 1

static void put(uint32_t off, uint32_t insn) { memcpy(page + off, &insn, 4); }

/* The profile: samples by guest pc. */
static struct { uint64_t pc; unsigned n; } prof[8];
static int nprof;
static unsigned samples(void *ctx, uintptr_t code, uint64_t pc)
{
    CHECK((uintptr_t)page + (pc - BASE) == code, "host address of %#llx", (unsigned long long)pc);
    (void)ctx;
    for (int k = 0; k < nprof; k++)
        if (prof[k].pc == pc)
            return prof[k].n;
    return 0;
}
static void profile(uint32_t off, unsigned n)
{
    prof[nprof].pc = BASE + off;
    prof[nprof++].n = n;
}

static bool lower(uint32_t off, bool hot)
{
    blk.hot = hot;
    blk.entry_samples = samples;
    blk.profile_ctx = NULL;
    blk.straddle_host = 0;
    return jit_frontend_lower(&blk, page + off, sizeof(page) - off, BASE + off);
}

/* The block's guest instructions (page offsets, in order) and its exits:
 * "b<cond>:<target offset>" for side exits, "g:<offset>" for a direct end,
 * "j" for an indirect one, written into out. */
static const char *shape(char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (uint32_t k = 0; k < blk.n && n + 24 < cap; k++) {
        const ir_ins *i = &blk.ops[k];
        uint32_t off = (uint32_t)((uint64_t)i->imm - BASE);
        if (i->op == IR_INSN)
            n += (size_t)snprintf(out + n, cap - n, "%x ", off);
        else if (i->op == IR_BRANCH)
            n += (size_t)snprintf(out + n, cap - n, "b%d:%x ", i->size, off);
        else if (i->op == IR_GOTO)
            n += (size_t)snprintf(out + n, cap - n, "g:%x ", off);
        else if (i->op == IR_JUMP)
            n += (size_t)snprintf(out + n, cap - n, "j ");
    }
    return out;
}

#define SHAPE_IS(want)                                                                  \
    do {                                                                                \
        char got_[512];                                                                 \
        CHECK(!strcmp(shape(got_, sizeof got_), want), "shape: got \"%s\", want \"%s\"", \
              got_, want);                                                              \
    } while (0)

int main(void)
{
    /* An inner loop entered in its middle, as minisat's literal search:
     * X: a4++, a1 += 4, exit if a4 == t3; H (the hot block): a3 = *a1,
     * a5 = a3, back to X if a5 == s5, else F: a0++, return. */
    put(0x100, addi(A4, A4, 1));
    put(0x104, addi(A1, A1, 4));
    put(0x108, branch(BEQ, A4, T3, 0x108, 0x200));
    put(0x10c, lw(A3, A1, 0));
    put(0x110, addi(A5, A3, 0));
    put(0x114, branch(BEQ, A5, S5, 0x114, 0x100));
    put(0x118, addi(A0, A0, 1));
    put(0x11c, ret());

    /* X entered twice as often as H: the trace takes the branch, leaves on
     * its inverse to F, and ends at H, its own start: a loop. */
    profile(0x10c, 4);
    profile(0x100, 8);
    CHECK(lower(0x10c, true), "lowered");
    CHECK(blk.traced, "traced");
    CHECK(jit_plan_self_loop(&blk), "the trace loops on itself");
    CHECK(blk.ninsns == 6, "six instructions, got %u", blk.ninsns);
    SHAPE_IS("10c 110 114 b1:118 100 104 108 b0:200 g:10c ");

    /* The same code cold: fall-throughs only, whatever the profile. */
    CHECK(lower(0x10c, false), "lowered");
    CHECK(!blk.traced && !jit_plan_self_loop(&blk), "cold: no trace");
    SHAPE_IS("10c 110 114 b0:100 118 11c j ");

    /* Hot, but the target seen too rarely: under 2 samples, or under half
     * the block's own. */
    nprof = 0;
    profile(0x10c, 4);
    profile(0x100, 1);
    CHECK(lower(0x10c, true) && !blk.traced, "a target sampled once is not followed");
    nprof = 0;
    profile(0x10c, 8);
    profile(0x100, 3);
    CHECK(lower(0x10c, true) && !blk.traced, "a target sampled under half as often is not followed");
    /* ... or the fall-through seen as often. */
    nprof = 0;
    profile(0x10c, 4);
    profile(0x100, 8);
    profile(0x118, 8);
    CHECK(lower(0x10c, true) && !blk.traced, "a fall-through as hot as the target is kept");
    SHAPE_IS("10c 110 114 b0:100 118 11c j ");

    /* Direct jumps in the page are followed (a call's link still written). */
    nprof = 0;
    put(0x300, addi(A0, A0, 1));
    put(0x304, jal(RA, 0x304, 0x404));
    put(0x404, addi(A1, A1, 2));
    put(0x408, ret());
    CHECK(lower(0x300, true) && blk.traced, "jal followed");
    SHAPE_IS("300 304 404 408 j ");
    bool link = false;
    for (uint32_t k = 0; k < blk.n; k++)
        if (blk.ops[k].op == IR_MOV && blk.ops[k].d == IR_X(RA) && (blk.ops[k].flags & IR_BIMM))
            link = blk.ops[k].imm == BASE + 0x308;
    CHECK(link, "the followed call still writes ra");

    /* Not out of the page. */
    put(0xff0, addi(A0, A0, 1));
    put(0xff4, jal(0, 0xff4, 0x1010));
    CHECK(lower(0xff0, true) && !blk.traced, "a jump out of the page is not followed");
    SHAPE_IS("ff0 ff4 g:1010 ");

    /* Not back into the stretch being lowered (an inner loop that does not
     * pass the block's start), however hot. */
    put(0x500, addi(A0, A0, 1));
    put(0x504, addi(A1, A1, 1));
    put(0x508, branch(BNE, A1, A2, 0x508, 0x504));
    put(0x50c, ret());
    profile(0x500, 4);
    profile(0x504, 100);
    CHECK(lower(0x500, true) && !blk.traced, "an inner loop is left as an exit");
    SHAPE_IS("500 504 508 b1:504 50c j ");

    /* A trace that runs into code it lowered before ends there. X2 -> H2
     * -> X2's loop as above, but entered at X2 with H2's branch preferring
     * X2: X2 is the block start, so H2's branch to it closes the loop (and
     * is unrolled, hot loops being unrolled). */
    put(0x600, jal(0, 0x600, 0x700));
    put(0x700, addi(A4, A4, 1));
    put(0x704, branch(BNE, A4, T3, 0x704, 0x600));
    put(0x708, ret());
    nprof = 0;
    profile(0x600, 4);
    CHECK(lower(0x600, true) && blk.traced && jit_plan_self_loop(&blk), "jump then a branch back to the start: a loop");
    CHECK(blk.unrolled, "and unrolled as hot loops are");

    return check_report("unit.jit_trace");
}
