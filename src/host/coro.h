/* The project's own coroutines (DESIGN.md rule 3): stackful coroutines with
 * getcontext/makecontext/swapcontext semantics, switched by a few lines of
 * assembly per host (coro_x86_64.S, coro_aarch64.S) or, elsewhere, by the
 * portable fallback (coro_portable.c). The system ucontext is never used.
 *
 * A coroutine runs fn(arg) on its own stack, taken through the host layer so
 * it is tracked against one machine (host_ctx) and released with it. The
 * coroutine now running is kept per thread, so machines on different threads
 * do not see each other; a coroutine must be resumed on one thread at a time.
 * Coroutines may resume other coroutines (they nest like function calls).
 * host_destroy of the machine releases the stacks of coroutines still alive. */
#ifndef SPLITVM_HOST_CORO_H
#define SPLITVM_HOST_CORO_H

#include <stdbool.h>
#include <stddef.h>

#include "host.h"

/* Which switcher this build uses. SPLITVM_CORO_PORTABLE forces the fallback
 * (for testing it on hosts that have assembly). */
#if !defined(SPLITVM_CORO_PORTABLE) && \
    ((defined(__x86_64__) && !defined(_WIN32)) || defined(__aarch64__))
#define HOST_CORO_ASM 1
#else
#define HOST_CORO_ASM 0
#endif

typedef struct host_coro host_coro;

/* Create a coroutine that will run fn(arg) on a fresh stack of at least
 * stack_size bytes (rounded up to pages; a guard page below it). It does not
 * start until the first host_coro_resume. NULL when out of memory. */
host_coro *host_coro_create(host_ctx *h, void (*fn)(void *arg), void *arg, size_t stack_size);

/* Switch from the current context (the thread, or a coroutine) into co;
 * returns when co yields or finishes. A no-op on a finished coroutine or on
 * one that is already running (resumed and not yet yielded). */
void host_coro_resume(host_coro *co);

/* Inside a coroutine: switch back to whoever resumed it. Called outside any
 * coroutine it does nothing. */
void host_coro_yield(void);

/* The coroutine running on this thread, or NULL on the thread's own stack. */
host_coro *host_coro_current(void);

/* True once fn has returned. */
bool host_coro_finished(const host_coro *co);

/* Free the coroutine and its stack. A suspended coroutine's frames are
 * abandoned (C has no unwinding). Returns 0, or -EBUSY (nothing freed) for a
 * coroutine that is running. */
int host_coro_destroy(host_ctx *h, host_coro *co);

/* Name of the switcher in this build, e.g. "x86_64-asm" (for benches). */
const char *host_coro_backend(void);

/* ---- the switcher (internal to coro*.c and the .S files) ----
 *
 * host_coro_regs is one saved context. host_coro_switch saves the current
 * context into *save and continues the one in *load. host_coro_regs_init
 * prepares *r so that the first switch into it calls host_coro_entry_(co)
 * on the stack [stack_lo, stack_lo + stack_size); that call never returns. */
#if HOST_CORO_ASM
/* The assembly pushes the callee-saved registers and FP control state on the
 * stack it leaves; only the stack pointer is kept here. */
typedef struct host_coro_regs {
    void *sp;
} host_coro_regs;
#else
#include <fenv.h>
#include <setjmp.h>
typedef struct host_coro_regs {
    sigjmp_buf jb;
    int round;        /* fegetround(): setjmp does not keep the FP mode */
    host_coro *owner; /* for the first entry */
} host_coro_regs;
#endif

#if defined(__GNUC__) && !defined(_WIN32)
#define HOST_CORO_HIDDEN __attribute__((visibility("hidden")))
#else
#define HOST_CORO_HIDDEN
#endif

HOST_CORO_HIDDEN int host_coro_regs_init(host_coro_regs *r, void *stack_lo, size_t stack_size,
                                         host_coro *co);
HOST_CORO_HIDDEN void host_coro_switch(host_coro_regs *save, host_coro_regs *load);
HOST_CORO_HIDDEN void host_coro_entry_(host_coro *co);

#endif
