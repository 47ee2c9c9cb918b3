/* Guest signals: dispositions, blocked mask, pending set, delivery onto the
 * guest stack with the riscv64 Linux rt_sigframe, and default actions.
 *
 * rt_sigframe (arch/riscv/kernel/signal.c), offsets from the frame start:
 *   0    siginfo_t (128 bytes)
 *   128  struct ucontext: uc_flags 0, uc_link 8, uc_stack 16 (sp, flags, size),
 *        uc_sigmask 40, padding to 1024 bits, uc_mcontext at 176 (16-aligned):
 *        sc_regs {pc, x1..x31} (256 bytes), then the FP union (528 bytes):
 *        f[32] then fcsr (u32), the rest reserved/zero.
 *   1088 end. sp = (sp - 1088) & ~15; a0 = sig, a1 = &info, a2 = &uc.
 * There is no vDSO: ra points at a two-instruction trampoline page
 * (li a7, 139; ecall) mapped on first use. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "syscall.h"
#include "uthread.h"
#include "uprocs.h"

#define FRAME_SIZE 1088u
#define UC_OFF 128u
#define MC_OFF (UC_OFF + 176u)
#define FP_OFF (MC_OFF + 256u)
#define FCSR_OFF (FP_OFF + 256u)

#define SIG_DFL_VA 0
#define SIG_IGN_VA 1
#define SA_SIGINFO_LX 0x4u
#define SA_RESTART_LX 0x10000000u
#define SA_ONSTACK_LX 0x08000000u
#define SA_NOCLDSTOP_LX 0x1u
#define SA_NOCLDWAIT_LX 0x2u
#define SA_NODEFER_LX 0x40000000u
#define SA_RESETHAND_LX 0x80000000u
#define SS_ONSTACK_LX 1
#define SS_DISABLE_LX 2
#define SS_AUTODISARM_LX (1u << 31)

#define BIT(sig) (1ull << ((sig) - 1))
#define UNBLOCKABLE (BIT(LX_SIGKILL) | BIT(LX_SIGSTOP))

struct usig_action {
    uint64_t handler, flags, mask;
};

/* What siginfo_t carries beyond the number, per pending signal. */
struct usig_info {
    int code;
    int32_t f16, f20; /* si_pid, si_uid; or si_timerid, si_overrun */
    uint64_t f24;     /* si_value (timers, sigqueue) */
    int has_f24;
};

struct usig {
    struct usig_action act[LX_NSIG + 1];
    uint64_t pending; /* process-directed (kill, timers, the host) */
    struct usig_info info[LX_NSIG + 1];
    struct usig_thread th; /* the running thread's (uthread.c swaps it) */
    uint64_t trampoline; /* guest VA of the sigreturn code, 0 until mapped */
};

static const char *const sig_names[] = {
    NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
    "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
    "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
    "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
};

void usig_masks(uproc *p, uint64_t *pending, uint64_t *blocked, uint64_t *ignored, uint64_t *caught)
{
    struct usig *s = p->sig;
    *pending = *blocked = *ignored = *caught = 0;
    if (!s)
        return;
    *pending = s->pending;
    *blocked = s->th.blocked;
    for (int sig = 1; sig <= LX_NSIG; sig++) {
        if (s->act[sig].handler == SIG_IGN_VA)
            *ignored |= BIT(sig);
        else if (s->act[sig].handler != SIG_DFL_VA)
            *caught |= BIT(sig);
    }
}

const char *usig_name(int sig)
{
    if (sig > 0 && sig <= LX_SIGSYS)
        return sig_names[sig];
    return sig >= 32 && sig <= LX_NSIG ? "SIGRT" : "?";
}

int usig_init(uproc *p)
{
    struct usig *s = host_alloc(p->host, sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->th.ss_flags = SS_DISABLE_LX;
    p->sig = s;
    return 0;
}

void usig_fini(uproc *p)
{
    host_free(p->host, p->sig);
    p->sig = NULL;
}

/* Signals whose default action is to do nothing (stop signals included:
 * there is no job control to stop us). */
static int default_ignored(int sig)
{
    switch (sig) {
    case LX_SIGCHLD: case LX_SIGCONT: case LX_SIGURG: case LX_SIGWINCH:
    case LX_SIGSTOP: case LX_SIGTSTP: case LX_SIGTTIN: case LX_SIGTTOU:
        return 1;
    default:
        return 0;
    }
}

void usig_terminate(uproc *p, int sig, uint64_t pc, uint64_t addr, int has_addr)
{
    /* Like qemu-user, the death itself says nothing: svm_stop reports the
     * signal, pc and address, and the CLI dies by the same signal (its
     * -d signal prints the line). -strace logs it, as strace does. */
    if (p->opts.strace)
        uproc_log(p, "%d +++ killed by %s (signal %d) at pc 0x%llx%s +++", uthread_tid(p), usig_name(sig), sig,
                  (unsigned long long)pc, has_addr ? ", fault address given" : "");
    p->term_pc = pc;
    p->term_addr = has_addr ? addr : 0;
    p->exited = 1;
    p->term_signal = sig;
    p->exit_status = 128 + sig;
    p->cpu->exit_code = 128 + sig;
    p->cpu->stop = RV_STOP_EXIT;
}

/* fork: the child gets the dispositions and the calling thread's mask and
 * alternate stack (uthread_fork copies them into its one thread), nothing
 * pending. */
int usig_copy(uproc *child, uproc *parent)
{
    *child->sig = *parent->sig;
    child->sig->pending = 0;
    child->sig->th.pending = 0;
    child->sig->th.saved_mask_valid = 0;
    memset(child->sig->info, 0, sizeof(child->sig->info));
    return 0;
}

void usig_exec(uproc *p)
{
    struct usig *s = p->sig;
    for (int i = 1; i <= LX_NSIG; i++)
        if (s->act[i].handler > SIG_IGN_VA)
            s->act[i] = (struct usig_action){0};
    s->th.ss_sp = s->th.ss_size = 0;
    s->th.ss_flags = SS_DISABLE_LX;
    s->th.saved_mask_valid = 0;
    s->trampoline = 0; /* the page went with the old address space */
}

void usig_send(uproc *p, int sig, int si_code, int from_pid)
{
    struct usig *s = p->sig;
    if (!s || p->exited || sig < 1 || sig > LX_NSIG)
        return;
    /* Pending for the process (discarded there if ignored); the thread
     * that takes it has its wait end with EINTR (usig_raise_info). */
    usig_raise_info(p, sig, 0, si_code, from_pid, usys_state(p)->uid, 0, 0);
    uthread_wake_other(p); /* its wait4 / waitid look again */
}

int usig_take_fatal(uproc *p)
{
    struct usig *s = p->sig;
    if (!s)
        return 0;
    uint64_t pend = s->pending | s->th.pending;
    if (pend & BIT(LX_SIGKILL))
        return LX_SIGKILL;
    uint64_t ready = pend & ~s->th.blocked;
    for (int sig = 1; ready; sig++, ready >>= 1)
        if ((ready & 1) && s->act[sig].handler == SIG_DFL_VA && !default_ignored(sig))
            return sig;
    return 0;
}

int usig_stops(uproc *p, int sig)
{
    if (sig == LX_SIGSTOP)
        return 1;
    if (sig != LX_SIGTSTP && sig != LX_SIGTTIN && sig != LX_SIGTTOU)
        return 0;
    const struct usig *s = p->sig;
    return s && s->act[sig].handler == SIG_DFL_VA && !(s->th.blocked & BIT(sig));
}

int usig_no_stop_reports(uproc *p)
{
    return (p->sig->act[LX_SIGCHLD].flags & SA_NOCLDSTOP_LX) != 0;
}

int usig_no_zombies(uproc *p)
{
    const struct usig_action *a = &p->sig->act[LX_SIGCHLD];
    return a->handler == SIG_IGN_VA || (a->flags & SA_NOCLDWAIT_LX);
}

static int on_altstack(const struct usig *s, uint64_t sp)
{
    return !(s->th.ss_flags & SS_DISABLE_LX) && sp > s->th.ss_sp && sp - s->th.ss_sp <= s->th.ss_size;
}

static int ensure_trampoline(uproc *p)
{
    struct usig *s = p->sig;
    if (s->trampoline)
        return 0;
    static const uint8_t code[8] = {
        0x93, 0x08, 0xb0, 0x08, /* addi a7, zero, 139 (rt_sigreturn) */
        0x73, 0x00, 0x00, 0x00, /* ecall */
    };
    uint64_t va;
    int r = umem_map(p, 0, RV_PAGE_SIZE, PROT_READ | PROT_WRITE, 0, &va);
    if (r < 0)
        return r;
    r = umem_write(p, va, code, sizeof(code));
    if (r == 0)
        r = umem_protect(p, va, RV_PAGE_SIZE, PROT_READ | PROT_EXEC);
    if (r < 0) {
        umem_unmap(p, va, RV_PAGE_SIZE);
        return r;
    }
    s->trampoline = va;
    return 0;
}

/* Build the frame and enter the handler. Returns 0, or -1 if the frame could
 * not be written (the caller then kills the process with SIGSEGV). */
static int setup_frame(uproc *p, int sig, const uint8_t info[128])
{
    struct usig *s = p->sig;
    rv_cpu *cpu = p->cpu;
    struct usig_action *a = &s->act[sig];
    uint64_t sp = cpu->x[2];
    int was_on = on_altstack(s, sp);
    if ((a->flags & SA_ONSTACK_LX) && !(s->th.ss_flags & SS_DISABLE_LX) && !was_on)
        sp = s->th.ss_sp + s->th.ss_size;
    if (sp < FRAME_SIZE + 16)
        return -1;
    uint64_t frame = (sp - FRAME_SIZE) & ~15ull;

    uint8_t f[FRAME_SIZE];
    memset(f, 0, sizeof(f));
    memcpy(f, info, 128);
    usys_put64(f, UC_OFF + 16, s->th.ss_sp);
    usys_put32(f, UC_OFF + 24, (uint32_t)((s->th.ss_flags & SS_DISABLE_LX) ? SS_DISABLE_LX
                                          : on_altstack(s, cpu->x[2]) ? SS_ONSTACK_LX : 0));
    usys_put64(f, UC_OFF + 32, s->th.ss_size);
    usys_put64(f, UC_OFF + 40, s->th.saved_mask_valid ? s->th.saved_mask : s->th.blocked);
    usys_put64(f, MC_OFF, cpu->pc);
    for (int i = 1; i < 32; i++)
        usys_put64(f, MC_OFF + 8 * (unsigned)i, cpu->x[i]);
    for (int i = 0; i < 32; i++)
        usys_put64(f, FP_OFF + 8 * (unsigned)i, cpu->f[i]);
    usys_put32(f, FCSR_OFF, (cpu->frm << 5) | (cpu->fflags & 0x1f));
    if (ensure_trampoline(p) < 0 || umem_write(p, frame, f, sizeof(f)) < 0)
        return -1;

    s->th.saved_mask_valid = 0;
    s->th.blocked |= a->mask | ((a->flags & SA_NODEFER_LX) ? 0 : BIT(sig));
    s->th.blocked &= ~UNBLOCKABLE;
    cpu->pc = a->handler;
    cpu->x[1] = s->trampoline;
    cpu->x[2] = frame;
    cpu->x[10] = (uint64_t)sig;
    cpu->x[11] = frame;
    cpu->x[12] = frame + UC_OFF;
    if (a->flags & SA_RESETHAND_LX) {
        a->handler = SIG_DFL_VA;
        a->flags &= ~(uint64_t)SA_SIGINFO_LX;
    }
    return 0;
}

static void make_info(uint8_t info[128], int sig, int code)
{
    memset(info, 0, 128);
    usys_put32(info, 0, (uint32_t)sig);
    usys_put32(info, 8, (uint32_t)code);
}

void usig_fault(uproc *p, uint64_t cause, uint64_t tval)
{
    int sig, code;
    uint64_t addr = tval;
    switch (cause) {
    case RV_EXC_ECALL_U:
        usys_ecall(p);
        return;
    case RV_EXC_INSN_PAGE: case RV_EXC_LOAD_PAGE: case RV_EXC_STORE_PAGE:
    case RV_EXC_INSN_ACCESS: case RV_EXC_LOAD_ACCESS: case RV_EXC_STORE_ACCESS:
        sig = LX_SIGSEGV;
        /* SEGV_ACCERR (2) when the page is mapped but not permitted. */
        code = umem_ptr(p, tval & RV_PAGE_MASK, 1, PROT_NONE) ? 2 : 1;
        break;
    case RV_EXC_INSN_MISALIGNED: case RV_EXC_LOAD_MISALIGNED: case RV_EXC_STORE_MISALIGNED:
        sig = LX_SIGBUS;
        code = 1; /* BUS_ADRALN */
        break;
    case RV_EXC_BREAKPOINT:
        sig = LX_SIGTRAP;
        code = 1; /* TRAP_BRKPT */
        addr = p->cpu->pc;
        break;
    default: /* illegal instruction and anything unexpected */
        sig = LX_SIGILL;
        code = 1; /* ILL_ILLOPC */
        addr = p->cpu->pc;
        break;
    }
    struct usig *s = p->sig;
    struct usig_action *a = &s->act[sig];
    /* A synchronous fault that is blocked or ignored kills, as in Linux. */
    if (a->handler == SIG_DFL_VA || a->handler == SIG_IGN_VA || (s->th.blocked & BIT(sig))) {
        usig_terminate(p, sig, p->cpu->pc, addr, 1);
        return;
    }
    uint8_t info[128];
    make_info(info, sig, code);
    usys_put64(info, 16, addr); /* si_addr */
    if (setup_frame(p, sig, info) < 0)
        usig_terminate(p, LX_SIGSEGV, p->cpu->pc, p->cpu->x[2], 1);
}

static void set_info(struct usig *s, int sig, const struct usig_info *in)
{
    s->info[sig] = *in;
}

/* The info a kill-style signal carries: the sender is this process. */
static struct usig_info sender_info(uproc *p, int code)
{
    struct usig_info in = {code, usys_state(p)->pid, usys_state(p)->uid, 0, 0};
    return in;
}

void usig_raise(uproc *p, int sig, int si_code)
{
    struct usig_info in = sender_info(p, si_code);
    usig_raise_info(p, sig, 0, in.code, in.f16, in.f20, 0, 0);
}

void usig_raise_info(uproc *p, int sig, int tid, int code, int32_t f16, int32_t f20, uint64_t value,
                     int has_value)
{
    struct usig *s = p->sig;
    struct usig_info in = {code, f16, f20, value, has_value};
    if (sig < 1 || sig > LX_NSIG)
        return;
    struct usig_action *a = &s->act[sig];
    /* An ignored signal is dropped when sent, unless it is blocked or a
     * thread waits for it in sigtimedwait (Linux keeps those). */
    if ((a->handler == SIG_IGN_VA || (a->handler == SIG_DFL_VA && default_ignored(sig))) &&
        sig != LX_SIGKILL && !(s->th.blocked & BIT(sig)) && !uthread_wants_signal(p, sig))
        return;
    set_info(s, sig, &in);
    if (!tid)
        s->pending |= BIT(sig);
    else if (!uthread_pend_thread(p, tid, sig))
        s->th.pending |= BIT(sig);
    uthread_signal_wake(p);
}

uint64_t usig_pending_for(uproc *p, const struct usig_thread *th)
{
    return p->sig->pending | th->pending;
}

int usig_deliverable(uproc *p)
{
    struct usig *s = p->sig;
    return s && ((s->pending | s->th.pending) & ~s->th.blocked) != 0;
}

/* Take sig off the pending sets (the thread's first). */
static void dequeue(struct usig *s, int sig)
{
    if (s->th.pending & BIT(sig))
        s->th.pending &= ~BIT(sig);
    else
        s->pending &= ~BIT(sig);
}

static void fill_info(struct usig *s, uint8_t info[128], int sig)
{
    const struct usig_info *in = &s->info[sig];
    make_info(info, sig, in->code);
    usys_put32(info, 16, (uint32_t)in->f16);
    usys_put32(info, 20, (uint32_t)in->f20);
    if (in->has_f24)
        usys_put64(info, 24, in->f24);
}

void usig_deliver_pending(uproc *p)
{
    struct usig *s = p->sig;
    while (!p->exited) {
        uint64_t ready = (s->pending | s->th.pending) & ~s->th.blocked;
        if (!ready)
            break;
        int sig = __builtin_ctzll(ready) + 1;
        dequeue(s, sig);
        struct usig_action *a = &s->act[sig];
        if (sig == LX_SIGKILL || a->handler == SIG_DFL_VA) {
            if (!default_ignored(sig))
                usig_terminate(p, sig, p->cpu->pc, 0, 0);
            continue;
        }
        if (a->handler == SIG_IGN_VA)
            continue;
        uint8_t info[128];
        fill_info(s, info, sig);
        if (setup_frame(p, sig, info) < 0)
            usig_terminate(p, LX_SIGSEGV, p->cpu->pc, p->cpu->x[2], 1);
    }
    if (s->th.saved_mask_valid) { /* rt_sigsuspend / ppoll with nothing delivered */
        s->th.blocked = s->th.saved_mask;
        s->th.saved_mask_valid = 0;
    }
}

int usig_restartable(uproc *p)
{
    struct usig *s = p->sig;
    uint64_t ready = (s->pending | s->th.pending) & ~s->th.blocked;
    if (!ready)
        return 0;
    int sig = __builtin_ctzll(ready) + 1;
    const struct usig_action *a = &s->act[sig];
    /* A signal with a handler restarts the call only with SA_RESTART; one
     * ignored or without a handler (default ignored) restarts it always. */
    if (a->handler == SIG_IGN_VA || (a->handler == SIG_DFL_VA && default_ignored(sig)))
        return 1;
    return a->handler > SIG_IGN_VA && (a->flags & SA_RESTART_LX);
}

int usig_send_host(uproc *p, int sig)
{
    if (sig < 1 || sig > LX_NSIG || p->exited)
        return -EINVAL;
    if (usig_default_stops(p, sig))
        return 1;
    /* SI_USER with sender pid 0, as the kernel reports a signal from
     * another pid namespace. */
    usig_raise_info(p, sig, 0, LX_SI_USER, 0, 0, 0, 0);
    return 0;
}

int usig_default_stops(uproc *p, int sig)
{
    const struct usig_action *a = &p->sig->act[sig];
    return a->handler == SIG_DFL_VA &&
           (sig == LX_SIGTSTP || sig == LX_SIGTTIN || sig == LX_SIGTTOU || sig == LX_SIGSTOP);
}

int usig_take(uproc *p, uint64_t set, uint8_t info[128])
{
    struct usig *s = p->sig;
    uint64_t have = (s->pending | s->th.pending) & set;
    if (!have)
        return 0;
    int sig = __builtin_ctzll(have) + 1;
    dequeue(s, sig);
    fill_info(s, info, sig);
    return sig;
}

struct usig_thread *usig_current(uproc *p)
{
    return &p->sig->th;
}

/* ---- system calls ---- */

static int valid_sig(uint64_t sig)
{
    return sig >= 1 && sig <= LX_NSIG;
}

static int send_to_self(uproc *p, uint64_t sig, int code)
{
    if (sig == 0)
        return 0; /* existence check */
    if (!valid_sig(sig))
        return -EINVAL;
    if (usig_stops(p, (int)sig) || sig == LX_SIGCONT)
        return uprocs_kill(p, usys_state(p)->pid, (int)sig); /* raise(SIGSTOP): stops here */
    usig_raise(p, (int)sig, code);
    return 0; /* delivered when the system call returns */
}

int64_t sys_kill(uproc *p, const uint64_t a[6])
{
    int pid = (int)a[0], self = usys_state(p)->pid;
    if (a[1] > LX_NSIG)
        return -EINVAL;
    if (pid == self)
        return send_to_self(p, a[1], LX_SI_USER);
    if (a[1] > LX_NSIG)
        return -EINVAL;
    return uprocs_kill(p, pid, (int)a[1]);
}

int64_t sys_tkill(uproc *p, const uint64_t a[6])
{
    if ((int)a[0] <= 0 || a[1] > LX_NSIG)
        return -EINVAL;
    /* Signals are per process here: one sent to any live thread is taken
     * by whichever thread next returns from a system call. */
    return uthread_has_tid(p, (int)a[0]) ? send_to_self(p, a[1], LX_SI_TKILL) : -ESRCH;
}

int64_t sys_tgkill(uproc *p, const uint64_t a[6])
{
    int self = usys_state(p)->pid;
    if ((int)a[0] <= 0 || (int)a[1] <= 0 || a[2] > LX_NSIG)
        return -EINVAL;
    return ((int)a[0] == self && uthread_has_tid(p, (int)a[1])) ? send_to_self(p, a[2], LX_SI_TKILL) : -ESRCH;
}

int64_t sys_rt_sigaction(uproc *p, const uint64_t a[6])
{
    struct usig *s = p->sig;
    uint64_t sig = a[0];
    if (a[3] != 8 || !valid_sig(sig))
        return -EINVAL;
    uint8_t nb[24];
    if (a[1]) {
        if (sig == LX_SIGKILL || sig == LX_SIGSTOP)
            return -EINVAL;
        int r = umem_read(p, a[1], nb, sizeof(nb));
        if (r < 0)
            return r;
    }
    if (a[2]) {
        uint8_t ob[24];
        usys_put64(ob, 0, s->act[sig].handler);
        usys_put64(ob, 8, s->act[sig].flags);
        usys_put64(ob, 16, s->act[sig].mask);
        int r = umem_write(p, a[2], ob, sizeof(ob));
        if (r < 0)
            return r;
    }
    if (a[1]) {
        struct usig_action na = { usys_get64(nb, 0), usys_get64(nb, 8), usys_get64(nb, 16) & ~UNBLOCKABLE };
        if (na.handler > SIG_IGN_VA) {
            int r = ensure_trampoline(p);
            if (r < 0)
                return r;
        }
        s->act[sig] = na;
        if (na.handler == SIG_IGN_VA || (na.handler == SIG_DFL_VA && default_ignored((int)sig)))
            s->pending &= ~BIT(sig); /* POSIX: discard what is pending */
    }
    return 0;
}

int64_t sys_rt_sigprocmask(uproc *p, const uint64_t a[6])
{
    struct usig *s = p->sig;
    if (a[3] != 8)
        return -EINVAL;
    uint8_t b[8];
    uint64_t set = 0;
    if (a[1]) {
        if (a[0] > 2)
            return -EINVAL;
        int r = umem_read(p, a[1], b, 8);
        if (r < 0)
            return r;
        set = usys_get64(b, 0);
    }
    if (a[2]) {
        usys_put64(b, 0, s->th.blocked);
        int r = umem_write(p, a[2], b, 8);
        if (r < 0)
            return r;
    }
    if (a[1]) {
        switch (a[0]) {
        case 0: s->th.blocked |= set; break;  /* SIG_BLOCK */
        case 1: s->th.blocked &= ~set; break; /* SIG_UNBLOCK */
        default: s->th.blocked = set; break;  /* SIG_SETMASK */
        }
        s->th.blocked &= ~UNBLOCKABLE;
    }
    return 0;
}

int64_t sys_rt_sigpending(uproc *p, const uint64_t a[6])
{
    if (a[1] > 8)
        return -EINVAL;
    uint8_t b[8];
    usys_put64(b, 0, (p->sig->pending | p->sig->th.pending) & p->sig->th.blocked);
    return umem_write(p, a[0], b, (size_t)a[1]);
}

/* Wait, with the given mask, until a signal can be delivered; it is then
 * delivered with the old mask saved in its frame (usig_deliver_pending
 * restores it on the way out). */
int64_t sys_rt_sigsuspend(uproc *p, const uint64_t a[6])
{
    struct usig *s = p->sig;
    if (a[1] != 8)
        return -EINVAL;
    uint8_t b[8];
    int r = umem_read(p, a[0], b, 8);
    if (r < 0)
        return r;
    s->th.saved_mask = s->th.blocked;
    s->th.saved_mask_valid = 1;
    s->th.blocked = usys_get64(b, 0) & ~UNBLOCKABLE;
    while (!usig_deliverable(p) && !p->exited)
        if (uthread_wait_signal(p, 0, 0) < 0 && !usig_deliverable(p))
            break; /* no scheduler, or nothing can ever come */
    return -EINTR;
}

/* rt_sigtimedwait(set, info, timeout, sigsetsize): take a pending signal of
 * set without running its handler, waiting for one up to timeout. */
int64_t sys_rt_sigtimedwait(uproc *p, const uint64_t a[6])
{
    if (a[3] != 8)
        return -EINVAL;
    uint8_t b[8];
    int r = umem_read(p, a[0], b, 8);
    if (r < 0)
        return r;
    uint64_t set = usys_get64(b, 0) & ~UNBLOCKABLE;
    uint64_t deadline = 0;
    if (a[2]) {
        int64_t sec, nsec;
        if ((r = usys_get_timespec(p, a[2], &sec, &nsec)) < 0)
            return r;
        if (sec < 0 || nsec < 0 || nsec > 999999999)
            return -EINVAL;
        if (sec > 4000000000ll)
            sec = 4000000000ll;
        deadline = host_monotonic_ns() + (uint64_t)sec * 1000000000u + (uint64_t)nsec;
    }
    for (;;) {
        uint8_t info[128];
        int sig = usig_take(p, set, info);
        if (sig) {
            if (a[1] && (r = umem_write(p, a[1], info, sizeof(info))) < 0)
                return r;
            return sig;
        }
        if (usig_deliverable(p))
            return -EINTR; /* another signal interrupts the wait */
        if (a[2] && host_monotonic_ns() >= deadline)
            return -EAGAIN;
        r = uthread_wait_signal(p, set, a[2] ? deadline : 0);
        if (r == -ETIMEDOUT)
            return -EAGAIN;
        if (r < 0 && r != -EINTR)
            return r;
    }
}

int64_t sys_rt_sigreturn(uproc *p, const uint64_t a[6])
{
    (void)a;
    rv_cpu *cpu = p->cpu;
    uint64_t frame = cpu->x[2];
    uint8_t f[FRAME_SIZE];
    if (umem_read(p, frame, f, sizeof(f)) < 0) {
        usig_terminate(p, LX_SIGSEGV, cpu->pc, frame, 1);
        return USYS_NORETURN;
    }
    p->sig->th.blocked = usys_get64(f, UC_OFF + 40) & ~UNBLOCKABLE;
    cpu->pc = usys_get64(f, MC_OFF);
    for (int i = 1; i < 32; i++)
        cpu->x[i] = usys_get64(f, MC_OFF + 8 * (unsigned)i);
    for (int i = 0; i < 32; i++)
        cpu->f[i] = usys_get64(f, FP_OFF + 8 * (unsigned)i);
    uint32_t fcsr = usys_get32(f, FCSR_OFF);
    cpu->fflags = fcsr & 0x1f;
    cpu->frm = (fcsr >> 5) & 7;
    usig_deliver_pending(p); /* the restored mask may unblock something */
    return USYS_NORETURN;
}

int64_t sys_sigaltstack(uproc *p, const uint64_t a[6])
{
    struct usig *s = p->sig;
    int on = on_altstack(s, p->cpu->x[2]);
    uint8_t b[24];
    if (a[1]) {
        memset(b, 0, sizeof(b));
        usys_put64(b, 0, s->th.ss_sp);
        usys_put32(b, 8, (uint32_t)(on ? SS_ONSTACK_LX : s->th.ss_flags));
        usys_put64(b, 16, s->th.ss_size);
        int r = umem_write(p, a[1], b, sizeof(b));
        if (r < 0)
            return r;
    }
    if (a[0]) {
        int r = umem_read(p, a[0], b, sizeof(b));
        if (r < 0)
            return r;
        if (on)
            return -EPERM;
        uint32_t flags = usys_get32(b, 8) & ~SS_AUTODISARM_LX;
        if (flags != 0 && flags != SS_DISABLE_LX && flags != SS_ONSTACK_LX)
            return -EINVAL;
        if (flags == SS_DISABLE_LX) {
            s->th.ss_flags = SS_DISABLE_LX;
            s->th.ss_sp = s->th.ss_size = 0;
        } else {
            uint64_t size = usys_get64(b, 16);
            if (size < 2048) /* MINSIGSTKSZ */
                return -ENOMEM;
            s->th.ss_sp = usys_get64(b, 0);
            s->th.ss_size = size;
            s->th.ss_flags = 0;
        }
    }
    return 0;
}
