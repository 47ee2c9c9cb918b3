/* Coroutines: stacks, the per-thread "current" coroutine, and the
 * AddressSanitizer fiber annotations, over the switcher of this build
 * (host_coro_switch in assembly, or the portable one in coro_portable.c). */
#include "coro.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#endif
#ifndef CORO_ASAN
#define CORO_ASAN 0
#endif

#if CORO_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

typedef enum { CORO_READY, CORO_RUNNING, CORO_SUSPENDED, CORO_FINISHED } coro_state;

struct host_coro {
    host_coro_regs regs; /* this coroutine, while it is not running */
    host_coro_regs back; /* whoever resumed it, while it runs */
    host_coro *resumer;  /* the coroutine that resumed it (NULL: the thread) */
    void (*fn)(void *arg);
    void *arg;
    coro_state state;
    void *map;         /* the reservation: guard page, then the stack */
    void *stack_lo;    /* lowest usable stack byte */
    size_t stack_size; /* usable bytes */
#if CORO_ASAN
    const void *back_bottom; /* the resumer's stack, for ASan */
    size_t back_size;
#endif
};

/* The coroutine running on this thread. */
static _Thread_local host_coro *current;

/* ---- ASan: tell it which stack we are about to run on ---- */

#if CORO_ASAN
static void fiber_leave(void **fake, const void *bottom, size_t size)
{
    __sanitizer_start_switch_fiber(fake, bottom, size);
}
static void fiber_arrive(void *fake, const void **bottom_old, size_t *size_old)
{
    __sanitizer_finish_switch_fiber(fake, bottom_old, size_old);
}
#define BACK_BOTTOM(co) (&(co)->back_bottom)
#define BACK_SIZE(co) (&(co)->back_size)
#define BACK_BOTTOM_V(co) ((co)->back_bottom)
#define BACK_SIZE_V(co) ((co)->back_size)
#else
static void fiber_leave(void **fake, const void *bottom, size_t size)
{
    (void)fake, (void)bottom, (void)size;
}
static void fiber_arrive(void *fake, const void **bottom_old, size_t *size_old)
{
    (void)fake, (void)bottom_old, (void)size_old;
}
#define BACK_BOTTOM(co) NULL
#define BACK_SIZE(co) NULL
#define BACK_BOTTOM_V(co) NULL
#define BACK_SIZE_V(co) 0
#endif

/* ---- first entry: runs on the coroutine's own stack ---- */

void host_coro_entry_(host_coro *co)
{
    fiber_arrive(NULL, BACK_BOTTOM(co), BACK_SIZE(co));
    co->fn(co->arg);
    co->state = CORO_FINISHED;
    current = co->resumer;
    /* Last switch out: NULL tells ASan to drop this stack's fake frames. */
    fiber_leave(NULL, BACK_BOTTOM_V(co), BACK_SIZE_V(co));
    host_coro_switch(&co->regs, &co->back);
    /* Never resumed again: host_coro_resume refuses finished coroutines. */
    for (;;) {
    }
}

/* ---- the assembly switchers' first frame ---- */

#if HOST_CORO_ASM
extern HOST_CORO_HIDDEN void host_coro_trampoline(void);

#if defined(__x86_64__)
/* Layout popped by coro_x86_64.S, lowest address first: MXCSR (4 bytes) and
 * x87 control word (2) in one 8-byte slot, r15, r14, r13, r12, rbx, rbp, return
 * address. The trampoline finds co in rbx. */
enum { FRAME_WORDS = 8, FRAME_RBX = 5, FRAME_RBP = 6, FRAME_RET = 7 };
#define MXCSR_DEFAULT 0x1f80u /* all exceptions masked, round to nearest */
#define X87_CW_DEFAULT 0x037fu
#elif defined(__aarch64__)
/* Layout popped by coro_aarch64.S: x19..x28, x29, x30, d8..d15, FPCR, pad.
 * The trampoline finds co in x19. */
enum { FRAME_WORDS = 22, FRAME_X19 = 0, FRAME_X29 = 10, FRAME_X30 = 11, FRAME_FPCR = 20 };
#endif

int host_coro_regs_init(host_coro_regs *r, void *stack_lo, size_t stack_size, host_coro *co)
{
    uintptr_t top = ((uintptr_t)stack_lo + stack_size) & ~(uintptr_t)15;
    uint64_t *frame;
#if defined(__x86_64__)
    /* 16 bytes left above so that rsp is 16-aligned at the trampoline's call. */
    frame = (uint64_t *)(top - 16 - FRAME_WORDS * 8);
    memset(frame, 0, FRAME_WORDS * 8 + 16);
    frame[0] = MXCSR_DEFAULT | ((uint64_t)X87_CW_DEFAULT << 32);
    frame[FRAME_RBX] = (uint64_t)(uintptr_t)co;
    frame[FRAME_RBP] = 0; /* ends frame-pointer backtraces */
    frame[FRAME_RET] = (uint64_t)(uintptr_t)&host_coro_trampoline;
#else
    frame = (uint64_t *)(top - FRAME_WORDS * 8);
    memset(frame, 0, FRAME_WORDS * 8);
    frame[FRAME_X19] = (uint64_t)(uintptr_t)co;
    frame[FRAME_X29] = 0;
    frame[FRAME_X30] = (uint64_t)(uintptr_t)&host_coro_trampoline;
    frame[FRAME_FPCR] = 0; /* round to nearest, no traps, no flush-to-zero */
#endif
    r->sp = frame;
    return 0;
}

const char *host_coro_backend(void)
{
#if defined(__x86_64__)
    return "x86_64-asm";
#else
    return "aarch64-asm";
#endif
}
#endif

/* ---- the public API ---- */

host_coro *host_coro_create(host_ctx *h, void (*fn)(void *arg), void *arg, size_t stack_size)
{
    size_t page = host_page_size();
    if (stack_size < 16 * 1024)
        stack_size = 16 * 1024;
    if (stack_size > SIZE_MAX / 2)
        return NULL;
    stack_size = (stack_size + page - 1) & ~(page - 1);

    host_coro *co = host_alloc(h, sizeof(*co));
    if (!co)
        return NULL;
    /* Guard page at the low end, where a downward-growing stack overflows. */
    uint8_t *map = host_map_stack(h, stack_size, page);
    if (!map)
        goto fail_co;
    co->fn = fn;
    co->arg = arg;
    co->state = CORO_READY;
    co->map = map;
    co->stack_lo = map + page;
    co->stack_size = stack_size;
    if (host_coro_regs_init(&co->regs, co->stack_lo, co->stack_size, co) < 0)
        goto fail_map;
    return co;

fail_map:
    host_release(h, map);
fail_co:
    host_free(h, co);
    return NULL;
}

void host_coro_resume(host_coro *co)
{
    if (co->state != CORO_READY && co->state != CORO_SUSPENDED)
        return;
    co->resumer = current;
    co->state = CORO_RUNNING;
    current = co;
    void *fake = NULL;
    fiber_leave(&fake, co->stack_lo, co->stack_size);
    host_coro_switch(&co->back, &co->regs);
    fiber_arrive(fake, NULL, NULL);
}

void host_coro_yield(void)
{
    host_coro *co = current;
    if (!co)
        return;
    co->state = CORO_SUSPENDED;
    current = co->resumer;
    void *fake = NULL;
    fiber_leave(&fake, BACK_BOTTOM_V(co), BACK_SIZE_V(co));
    host_coro_switch(&co->regs, &co->back);
    /* Resumed, perhaps by someone else on another stack: learn that stack. */
    fiber_arrive(fake, BACK_BOTTOM(co), BACK_SIZE(co));
}

host_coro *host_coro_current(void)
{
    return current;
}

bool host_coro_finished(const host_coro *co)
{
    return co->state == CORO_FINISHED;
}

int host_coro_destroy(host_ctx *h, host_coro *co)
{
    if (!co)
        return 0;
    if (co->state == CORO_RUNNING)
        return -EBUSY;
#if CORO_ASAN
    /* Frames abandoned on this stack leave poisoned shadow behind. */
    __asan_unpoison_memory_region(co->stack_lo, co->stack_size);
#endif
    host_release(h, co->map);
    host_free(h, co);
    return 0;
}
