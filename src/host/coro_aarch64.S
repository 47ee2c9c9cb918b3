/* Context switch for AArch64, AAPCS64 (Linux, BSDs, Apple).
 *
 * void host_coro_switch(host_coro_regs *save, host_coro_regs *load)
 *
 * Saves what the ABI says a called function must preserve: x19-x28, the
 * frame pointer x29, the link register x30, the low 64 bits of v8-v15
 * (d8-d15) and FPCR, in a 176-byte frame on the current stack; stores sp in
 * save->sp, takes load->sp, restores the same frame from there and returns
 * through the restored x30. Frame (see host_coro_regs_init in coro.c), by
 * byte offset: 0 x19..x28, 80 x29, 88 x30, 96 d8..d15, 160 FPCR, 168 pad.
 * x18 (the platform register) is left alone.
 *
 * A new coroutine's first frame "returns" into host_coro_trampoline, which
 * calls host_coro_entry_(co) with co taken from x19; that never returns. */
#if defined(__aarch64__) && !defined(SPLITVM_CORO_PORTABLE)

#if defined(__APPLE__)
#define SYM(name) _##name
#define FUNC_BEGIN(name) .globl SYM(name); .private_extern SYM(name); .p2align 4; SYM(name):
#define FUNC_END(name)
#else
#define SYM(name) name
#define FUNC_BEGIN(name) .globl name; .hidden name; .type name, %function; .p2align 4; name:
#define FUNC_END(name) .size name, . - name
#endif

/* Branch Target Identification landing pad (a NOP on cores without BTI). */
#if defined(__ARM_FEATURE_BTI_DEFAULT)
#define BTI_C hint #34
#else
#define BTI_C
#endif

    .text

FUNC_BEGIN(host_coro_switch)
    BTI_C
    sub     sp, sp, #176
    stp     x19, x20, [sp, #0]
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    stp     d8, d9, [sp, #96]
    stp     d10, d11, [sp, #112]
    stp     d12, d13, [sp, #128]
    stp     d14, d15, [sp, #144]
    mrs     x9, fpcr
    str     x9, [sp, #160]
    mov     x10, sp
    str     x10, [x0]           /* save->sp */
    ldr     x10, [x1]           /* load->sp */
    mov     sp, x10
    ldp     x19, x20, [sp, #0]
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    ldp     d8, d9, [sp, #96]
    ldp     d10, d11, [sp, #112]
    ldp     d12, d13, [sp, #128]
    ldp     d14, d15, [sp, #144]
    ldr     x9, [sp, #160]
    msr     fpcr, x9
    add     sp, sp, #176
    ret
FUNC_END(host_coro_switch)

/* Entered by the ret above with sp 16-byte aligned. */
FUNC_BEGIN(host_coro_trampoline)
    BTI_C
    mov     x0, x19
    bl      SYM(host_coro_entry_)
    brk     #0
FUNC_END(host_coro_trampoline)

/* Tell the linker this object is fit for BTI / return-address signing
 * builds, so it does not switch those off for the whole library. (Nothing
 * here signs x30: each context's own C code signs and checks its return
 * addresses on its own stack.) */
#if defined(__ELF__) && (defined(__ARM_FEATURE_BTI_DEFAULT) || defined(__ARM_FEATURE_PAC_DEFAULT))
#if defined(__ARM_FEATURE_BTI_DEFAULT)
#define CORO_GNU_BTI 1
#else
#define CORO_GNU_BTI 0
#endif
#if defined(__ARM_FEATURE_PAC_DEFAULT)
#define CORO_GNU_PAC 2
#else
#define CORO_GNU_PAC 0
#endif
    .pushsection .note.gnu.property, "a"
    .balign 8
    .long   4                   /* name size */
    .long   16                  /* descriptor size */
    .long   5                   /* NT_GNU_PROPERTY_TYPE_0 */
    .asciz  "GNU"
    .long   0xc0000000          /* GNU_PROPERTY_AARCH64_FEATURE_1_AND */
    .long   4
    .long   CORO_GNU_BTI | CORO_GNU_PAC
    .long   0
    .popsection
#endif

#endif

#if defined(__ELF__)
    .section .note.GNU-stack,"",%progbits
#endif
