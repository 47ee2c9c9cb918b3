/* Translations cached per regime (privilege, satp with its ASID, MXR) stay
 * correct when the hart leaves a regime and comes back: two address spaces
 * with different ASIDs map the same va to different pages, S mode goes
 * through M and back, SUM and MXR are cleared after an access they allowed
 * (SUM also while outside S mode), U mode touches a kernel page S mode just
 * read, a sfence.vma of one va inside a megapage drops the megapage,
 * sfence.vma with an ASID drops that address space's translations even
 * while another one runs, and one indirect call reaches different code at
 * the same va in each address space and after a remap fenced by va (a
 * JIT's inline cache must not carry a target from one to the other), M
 * mode with MPRV (data as S) does not fetch through S's translations, and
 * entries that wait in a regime's bank after the hart came back (they
 * return on a miss) are reached by a fence by va or ASID (a megapage's
 * by another of its pages), by a SUM clear, and a fenced code page's by
 * a new epoch, also after an earlier epoch change left them out. */
#include "priv_test.h"

/* Map code_b at VA_CODE in space a, fence that va alone, and check that
 * the call through it now runs code_b's (which returns 6). */
#define REMAP_CODE_B_BY_VA                                                    \
    la t2, code_b; MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_A);              \
    SET_PTE(l0_a, L0_CODE); li t0, VA_CODE; sfence.vma t0, zero;             \
    jal call_three; CHECK_EQ(a0, 6)

/* With mstatus.SUM cleared, the S-mode load from the user page at a1 traps
 * (resuming at numeric label `at`, then checking cause and that a0 kept 0);
 * with SUM set again (check `next`), the same load reads `value`. */
#define SUM_OFF_ON(at, next, value)                                         \
    li t0, MSTATUS_SUM; csrc sstatus, t0; li a0, 0; EXPECT_TRAP(at##f);     \
    ld a0, 0(a1); j fail;                                                    \
at: CHECK_EQ(s9, CAUSE_LOAD_PAGE); CHECK_EQ(a0, 0);                         \
    li gp, next; li t0, MSTATUS_SUM; csrs sstatus, t0; ld a0, 0(a1);        \
    CHECK_EQ(a0, value)

    .option norelax

#define VA_DATA 0x10000
#define L0_DATA 16
#define VA_UCODE 0x20000
#define L0_UCODE 32
#define VA_XONLY 0x30000
#define L0_XONLY 48
#define VA_CODE 0x50000
#define L0_CODE 80
#define VA_MEGA 0x40000000
#define PA_MEGA1 0x80200000
#define PA_MEGA2 0x80400000
#define DATA_PTE (PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)

/* satp = Sv39 | asid | root's PPN (t0; t1 scratch), no sfence.vma. */
#define SWITCH_TO(root, asid)                \
    la t0, root;                             \
    srli t0, t0, 12;                         \
    li t1, SATP_SV39 | ((asid) << 44);       \
    or t0, t0, t1;                           \
    csrw satp, t0

TEST_HEADER
    /* Known values in the two megapage frames (M mode, no translation). */
    li t0, PA_MEGA1 + 0x1ff000
    li t1, 0xaaaa
    sd t1, 0(t0)
    li t0, PA_MEGA2 + 0x1ff000
    li t1, 0xbbbb
    sd t1, 0(t0)

    SV39_KERNEL_AND_LOW(root_a, l1_a, l0_a)
    SV39_KERNEL_AND_LOW(root_b, l1_b, l0_b)
    la t2, page_a
    MAKE_PTE(t2, DATA_PTE)
    SET_PTE(l0_a, L0_DATA)
    la t2, page_b
    MAKE_PTE(t2, DATA_PTE)
    SET_PTE(l0_b, L0_DATA)
    la t2, ucode
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A)
    SET_PTE(l0_a, L0_UCODE)
    la t2, xonly
    MAKE_PTE(t2, PTE_V | PTE_X | PTE_A)
    SET_PTE(l0_a, L0_XONLY)
    la t2, code_a
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_A)
    SET_PTE(l0_a, L0_CODE)
    la t2, code_b
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_A)
    SET_PTE(l0_b, L0_CODE)
    la t2, l1_mega
    MAKE_PTE(t2, PTE_V)
    SET_PTE(root_a, 1)
    li t2, PA_MEGA1
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
    SET_PTE(l1_mega, 0)
    SWITCH_TO(root_a, 1)
    sfence.vma
    li t0, MSTATUS_SUM
    csrs mstatus, t0
    ENTER_MODE(PRV_S, in_s)

in_s:
    li a1, VA_DATA
    li gp, 1                        /* address space 1 */
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x1111)
    li gp, 2                        /* address space 2: the same va elsewhere */
    SWITCH_TO(root_b, 2)
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x2222)
    li gp, 3                        /* and back */
    SWITCH_TO(root_a, 1)
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x1111)

    li gp, 4                        /* S -> M -> S */
    BACK_TO_M(m_1)
m_1:
    ENTER_MODE(PRV_S, s_1)
s_1:
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x1111)

    li gp, 5                        /* SUM cleared: the user page is out of reach */
    SUM_OFF_ON(5, 6, 0x1111)        /* 6: and set again */

    li gp, 7                        /* execute-only page: no loads without MXR */
    li a2, VA_XONLY
    EXPECT_TRAP(7f)
    ld a0, 0(a2)
    j fail
7:  CHECK_EQ(s9, CAUSE_LOAD_PAGE)
    li gp, 8                        /* with MXR */
    li t0, MSTATUS_MXR
    csrs sstatus, t0
    ld a0, 0(a2)
    CHECK_EQ(a0, 0x5a5a)
    li gp, 9                        /* MXR cleared again */
    csrc sstatus, t0
    EXPECT_TRAP(9f)
    ld a0, 0(a2)
    j fail
9:  CHECK_EQ(s9, CAUSE_LOAD_PAGE)

    li gp, 10                       /* S reads a kernel page ... */
    la a3, kdata
    ld a0, 0(a3)
    CHECK_EQ(a0, 0x6b6b)
    BACK_TO_M(m_2)
m_2:                                /* ... then U mode tries (ucode) */
    li gp, 11
    li a0, 0
    li a4, 0
    li s5, 0
    la t6, ucode_resume             /* resume at its va */
    la t0, ucode
    sub t6, t6, t0
    li t0, VA_UCODE
    add t6, t6, t0
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, VA_UCODE
    csrw mepc, t0
    mret
u_done:                             /* M mode again */
    CHECK_EQ(s5, CAUSE_LOAD_PAGE)
    CHECK_EQ(a0, 0)
    li gp, 12                       /* U read its own page */
    CHECK_EQ(a4, 0x1111)
    ENTER_MODE(PRV_S, s_2)

s_2:
    li gp, 13                       /* the last 4 KiB of a megapage */
    li a2, VA_MEGA + 0x1ff000
    ld a0, 0(a2)
    CHECK_EQ(a0, 0xaaaa)
    li gp, 14                       /* remapped; the fence names its first page */
    li t2, PA_MEGA2
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
    SET_PTE(l1_mega, 0)
    li t0, VA_MEGA
    sfence.vma t0, zero
    ld a0, 0(a2)
    CHECK_EQ(a0, 0xbbbb)

    li gp, 15                       /* sfence.vma of the running ASID */
    la t2, page_c
    MAKE_PTE(t2, DATA_PTE)
    SET_PTE(l0_a, L0_DATA)
    li t0, 1
    sfence.vma zero, t0
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x3333)

    li gp, 16                       /* of a space that is not running */
    SWITCH_TO(root_b, 2)
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x2222)
    la t2, page_a
    MAKE_PTE(t2, DATA_PTE)
    SET_PTE(l0_a, L0_DATA)
    li t0, 1
    sfence.vma zero, t0
    SWITCH_TO(root_a, 1)
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x1111)

    li gp, 17                       /* one va of a space that is not running */
    SWITCH_TO(root_b, 2)
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x2222)
    la t2, page_c
    MAKE_PTE(t2, DATA_PTE)
    SET_PTE(l0_a, L0_DATA)
    li t0, VA_DATA
    li t3, 1
    sfence.vma t0, t3
    SWITCH_TO(root_a, 1)
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x3333)

    li gp, 18                       /* SUM cleared in M mode, outside the regime */
    BACK_TO_M(m_3)
m_3:
    li t0, MSTATUS_SUM
    csrc mstatus, t0
    ENTER_MODE(PRV_S, s_3)
s_3:
    li a0, 0
    EXPECT_TRAP(18f)
    ld a0, 0(a1)
    j fail
18: CHECK_EQ(s9, CAUSE_LOAD_PAGE)
    CHECK_EQ(a0, 0)

    li gp, 19                       /* VA_CODE is code_a (1 per call) ... */
    jal call_three
    CHECK_EQ(a0, 3)
    li gp, 20                       /* ... code_b in space 2 (2 per call) ... */
    SWITCH_TO(root_b, 2)
    jal call_three
    CHECK_EQ(a0, 6)
    li gp, 21                       /* ... and code_a again */
    SWITCH_TO(root_a, 1)
    jal call_three
    CHECK_EQ(a0, 3)

    li gp, 22                       /* remapped to code_b, fenced by va alone */
    REMAP_CODE_B_BY_VA
    li gp, 23                       /* back, fenced by va and ASID */
    la t2, code_a
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_A)
    SET_PTE(l0_a, L0_CODE)
    li t0, VA_CODE
    li t1, 1
    sfence.vma t0, t1
    jal call_three
    CHECK_EQ(a0, 3)
    li gp, 24                       /* a data page fenced: the code still runs */
    li t0, VA_DATA
    sfence.vma t0, zero
    jal call_three
    CHECK_EQ(a0, 3)

    li gp, 25                       /* M mode with MPRV: data as S with the same */
    BACK_TO_M(m_4)                  /* satp, but its fetches are not translated: */
m_4:                                /* VA_CODE is no memory there */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, (PRV_S << 11) | MSTATUS_MPRV
    csrs mstatus, t0
    la a3, kdata                    /* a load through S's translation */
    ld a0, 0(a3)
    CHECK_EQ(a0, 0x6b6b)
    li a0, 0
    li t0, VA_CODE
    EXPECT_TRAP(25f)
    jalr t0
    j fail
25: CHECK_EQ(s9, CAUSE_FETCH_ACCESS)
    CHECK_EQ(a0, 0)

    /* S mode's entries wait in its bank after it came back, until a
     * miss: a fence, SUM and the epoch must reach them there. */
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    li t0, MSTATUS_SUM
    csrs mstatus, t0
    ENTER_MODE(PRV_S, s_4)
s_4:
    li gp, 26                       /* a banked page, remapped and fenced by va */
    li a1, VA_DATA
    ld a0, 0(a1)                    /* page_c since 17 */
    CHECK_EQ(a0, 0x3333)
    jal away
    la t2, page_a
    MAKE_PTE(t2, DATA_PTE)
    SET_PTE(l0_a, L0_DATA)
    sfence.vma a1, zero
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x1111)

    li gp, 27                       /* ... and fenced by its ASID alone */
    jal away
    la t2, page_c
    MAKE_PTE(t2, DATA_PTE)
    SET_PTE(l0_a, L0_DATA)
    li t3, 1
    sfence.vma zero, t3
    ld a0, 0(a1)
    CHECK_EQ(a0, 0x3333)

    li gp, 28                       /* SUM cleared while the user page is banked */
    jal away
    SUM_OFF_ON(28, 29, 0x3333)      /* 29: and set again */

    li gp, 30                       /* a banked megapage, fenced by another of its pages */
    li a2, VA_MEGA + 0x1ff000
    ld a0, 0(a2)                    /* PA_MEGA2 since 14 */
    CHECK_EQ(a0, 0xbbbb)
    jal away
    li t2, PA_MEGA1
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
    SET_PTE(l1_mega, 0)
    li t0, VA_MEGA
    sfence.vma t0, zero
    ld a0, 0(a2)
    CHECK_EQ(a0, 0xaaaa)

    li gp, 31                       /* banked code, remapped and fenced by va */
    jal call_three
    CHECK_EQ(a0, 3)
    jal away
    REMAP_CODE_B_BY_VA

    li gp, 32                       /* a new epoch while the code is banked (a */
    jal away                        /* fence in the gigapage code runs from), */
                                    /* the code back, then remapped */
    la t0, kdata
    sfence.vma t0, zero
    jal call_three
    CHECK_EQ(a0, 6)
    la t2, code_a
    MAKE_PTE(t2, PTE_V | PTE_R | PTE_X | PTE_A)
    SET_PTE(l0_a, L0_CODE)
    li t0, VA_CODE
    sfence.vma t0, zero
    jal call_three
    CHECK_EQ(a0, 3)
    j pass

/* S mode goes to M and back 8 times: the pages S touched before then wait
 * in its bank until a miss (one trip is enough today; 8 also outlast a
 * TLB that brings the entries used lately back with the regime for a few
 * visits). Keeps ra. */
away:
    li a5, 8
1:  BACK_TO_M(2f)
2:  ENTER_MODE(PRV_S, 3f)
3:  addi a5, a5, -1
    bnez a5, 1b
    ret

/* a0 = the sum of three calls to VA_CODE, all from the same jalr. */
call_three:
    mv s4, ra
    li s2, 3
    li s3, 0
1:  li t0, VA_CODE
    jalr t0
    add s3, s3, a0
    addi s2, s2, -1
    bnez s2, 1b
    mv a0, s3
    jr s4

/* U-mode code, mapped at VA_UCODE: reads its own page, then a kernel page
 * (a page fault resumes at ucode_resume), then ecalls back to M. Only
 * pc-relative references within this page. */
    .align 12
ucode:
    ld a4, 0(a1)
    ld a0, 0(a3)
    li a0, 0x77
ucode_resume:
    mv s5, s9
    li s6, 1
    ld t6, ucode_back
    ecall
    .align 3
ucode_back: .dword u_done

    .align 12
xonly: .dword 0x5a5a
    .align 12
code_a:
    li a0, 1
    ret
    .align 12
code_b:
    li a0, 2
    ret

    .data
    .align 12
root_a: .zero 4096
l1_a: .zero 4096
l0_a: .zero 4096
root_b: .zero 4096
l1_b: .zero 4096
l0_b: .zero 4096
l1_mega: .zero 4096
page_a: .dword 0x1111
    .align 12
page_b: .dword 0x2222
    .align 12
page_c: .dword 0x3333
    .align 12
kdata: .dword 0x6b6b
    .align 12
