/* Host signals of the user-mode CLI (see guest_signals.h). A handler only
 * records the signal, writes a byte to a pipe (so a host poll wakes up) and
 * asks the machine to return from svm_run; the main loop then sends it to
 * the guest. Signal numbers differ between hosts: the guest gets Linux's. */
#include "guest_signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Host signal and its Linux number. */
static const struct { int host, lx; } forwarded[] = {
    {SIGHUP, 1}, {SIGINT, 2}, {SIGQUIT, 3}, {SIGUSR1, 10}, {SIGUSR2, 12}, {SIGALRM, 14},
    {SIGTERM, 15}, {SIGCONT, 18}, {SIGTSTP, 20}, {SIGWINCH, 28},
};
#define NFORWARDED (sizeof(forwarded) / sizeof(forwarded[0]))

/* Every Linux signal the host also has, for dying by it. */
static const struct { int host, lx; } deadly[] = {
    {SIGHUP, 1}, {SIGINT, 2}, {SIGQUIT, 3}, {SIGILL, 4}, {SIGTRAP, 5}, {SIGABRT, 6}, {SIGBUS, 7},
    {SIGFPE, 8}, {SIGKILL, 9}, {SIGUSR1, 10}, {SIGSEGV, 11}, {SIGUSR2, 12}, {SIGPIPE, 13},
    {SIGALRM, 14}, {SIGTERM, 15}, {SIGXCPU, 24}, {SIGXFSZ, 25}, {SIGVTALRM, 26}, {SIGPROF, 27},
    {SIGSYS, 31},
};

static volatile sig_atomic_t arrived[NFORWARDED];
static svm_machine *machine;
static int wake_pipe[2] = {-1, -1};

static void on_host_signal(int sig)
{
    int saved = errno;
    for (size_t i = 0; i < NFORWARDED; i++)
        if (forwarded[i].host == sig)
            arrived[i] = 1;
    if (wake_pipe[1] >= 0) {
        char b = 0;
        ssize_t r = write(wake_pipe[1], &b, 1); /* full pipe: already awake */
        (void)r;
    }
    if (machine)
        svm_interrupt(machine);
    errno = saved;
}

int guest_signals_start(svm_machine *m)
{
    machine = m;
    if (pipe(wake_pipe) < 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(wake_pipe[i], F_SETFL, fcntl(wake_pipe[i], F_GETFL) | O_NONBLOCK);
        fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_host_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (size_t i = 0; i < NFORWARDED; i++)
        if (sigaction(forwarded[i].host, &sa, NULL) < 0)
            return -1;
    return 0;
}

int guest_signals_fd(void)
{
    return wake_pipe[0];
}

/* Stop splitvm itself, then carry on once continued. SIGSTOP, as qemu-user
 * does: a SIGTSTP with its default action would be discarded in an orphaned
 * process group, and it is the emulator, not the guest, that must stop. */
static void stop_self(void)
{
    raise(SIGSTOP);
}

void guest_signals_forward(svm_machine *m)
{
    char drain[64];
    while (wake_pipe[0] >= 0 && read(wake_pipe[0], drain, sizeof(drain)) > 0) {
    }
    for (size_t i = 0; i < NFORWARDED; i++) {
        if (!arrived[i])
            continue;
        arrived[i] = 0;
        if (svm_signal(m, forwarded[i].lx) == 1)
            stop_self();
    }
}

const char *guest_signal_name(int lx_sig)
{
    static const char *const names[] = {
        NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    };
    if (lx_sig > 0 && lx_sig < (int)(sizeof(names) / sizeof(names[0])))
        return names[lx_sig];
    return "SIGRT";
}

void guest_signals_die(int lx_sig)
{
    int host_sig = 0;
    for (size_t i = 0; i < sizeof(deadly) / sizeof(deadly[0]); i++)
        if (deadly[i].lx == lx_sig)
            host_sig = deadly[i].host;
    if (host_sig) {
        /* A core file would be the emulator's, not the guest's. */
        struct rlimit none = {0, 0};
        setrlimit(RLIMIT_CORE, &none);
        signal(host_sig, SIG_DFL);
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, host_sig);
        sigprocmask(SIG_UNBLOCK, &s, NULL);
        raise(host_sig);
    }
    _exit(128 + lx_sig);
}
