/* Context switch for x86-64, System V ABI (Linux, BSDs, macOS).
 *
 * void host_coro_switch(host_coro_regs *save, host_coro_regs *load)
 *
 * Pushes what the ABI says a called function must preserve: rbx, rbp,
 * r12-r15, and the control state of the FP units (the MXCSR control bits and
 * the x87 control word), stores rsp in save->sp, takes load->sp and pops the
 * same frame from there. The frame (see host_coro_regs_init in coro.c),
 * lowest address first: MXCSR (4 bytes) + x87 CW (2) in one 8-byte slot,
 * r15, r14, r13, r12, rbx, rbp, return address.
 *
 * A new coroutine's first frame "returns" into host_coro_trampoline, which
 * calls host_coro_entry_(co) with co taken from rbx; that never returns.
 *
 * The switch returns into another stack, which a CET shadow stack would
 * reject; the object carries no CET property note, so the linker leaves
 * shadow stacks off for binaries that contain it. */
#if defined(__x86_64__) && !defined(_WIN32) && !defined(SPLITVM_CORO_PORTABLE)

#if defined(__APPLE__)
#define SYM(name) _##name
#define FUNC_BEGIN(name) .globl SYM(name); .private_extern SYM(name); .p2align 4; SYM(name):
#define FUNC_END(name)
#else
#define SYM(name) name
#define FUNC_BEGIN(name) .globl name; .hidden name; .type name, @function; .p2align 4; name:
#define FUNC_END(name) .size name, . - name
#endif

    .text

FUNC_BEGIN(host_coro_switch)
    pushq   %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    subq    $8, %rsp
    stmxcsr (%rsp)
    fnstcw  4(%rsp)
    movq    %rsp, (%rdi)        /* save->sp */
    movq    (%rsi), %rsp        /* load->sp */
    ldmxcsr (%rsp)
    fldcw   4(%rsp)
    addq    $8, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret
FUNC_END(host_coro_switch)

/* Entered by the ret above with rsp 16-byte aligned. */
FUNC_BEGIN(host_coro_trampoline)
    movq    %rbx, %rdi
    call    SYM(host_coro_entry_)
    ud2
FUNC_END(host_coro_trampoline)

#endif

#if defined(__ELF__)
    .section .note.GNU-stack,"",%progbits
#endif
