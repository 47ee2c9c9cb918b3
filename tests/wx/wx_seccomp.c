/* Kernel-enforced platform rules: run a riscv64 program through the public
 * API with a seccomp filter that kills this process if anything in it maps
 * or mprotects memory writable and executable at once, or spawns a process.
 *
 * usage: wx_seccomp [-accel jit|interp] program [arguments...]
 *          runs the program (default engine: jit) and exits with its status
 *        wx_seccomp --self-check rwx-mmap|rwx-mprotect|fork|sys-fork|execve|allowed
 *          installs the filter and then breaks the named rule itself: the
 *          process must die of SIGSYS ("allowed" only does permitted things
 *          and must exit 0, so the filter is known not to be too broad).
 *
 * The filter allows everything by default; killed are:
 *   mmap, mprotect, pkey_mprotect with PROT_WRITE and PROT_EXEC both in prot;
 *   fork, vfork, execve, execveat always;
 *   clone without CLONE_VM (glibc's fork() is such a clone; threads and
 *   posix_spawn's vfork-style clone keep CLONE_VM, the exec after it dies).
 * clone3 passes its flags in memory, which seccomp cannot read: it fails
 * with ENOSYS so libc falls back to clone, which is checked. System calls of
 * another ABI (int 0x80, x32) are killed by libseccomp's bad-arch default. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "splitvm.h"

extern char **environ;

/* Instructions per svm_run call: the loop also exercises budget stops. */
#define SLICE_INSNS 5000000ull

static int add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned cnt, const struct scmp_arg_cmp *cmp)
{
    int rc = seccomp_rule_add_array(ctx, action, nr, cnt, cmp);
    if (rc < 0)
        fprintf(stderr, "wx_seccomp: seccomp rule for syscall %d: %s\n", nr, strerror(-rc));
    return rc;
}

static int install_filter(void)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) {
        fprintf(stderr, "wx_seccomp: seccomp_init failed\n");
        return -1;
    }
    const uint32_t kill = SCMP_ACT_KILL_PROCESS;
    const struct scmp_arg_cmp wx = SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_WRITE | PROT_EXEC, PROT_WRITE | PROT_EXEC);
    const struct scmp_arg_cmp no_vm = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_VM, 0);
    int rc = 0;
    rc |= add_rule(ctx, kill, SCMP_SYS(mmap), 1, &wx);
    rc |= add_rule(ctx, kill, SCMP_SYS(mprotect), 1, &wx);
    rc |= add_rule(ctx, kill, SCMP_SYS(pkey_mprotect), 1, &wx);
    rc |= add_rule(ctx, kill, SCMP_SYS(fork), 0, NULL);
    rc |= add_rule(ctx, kill, SCMP_SYS(vfork), 0, NULL);
    rc |= add_rule(ctx, kill, SCMP_SYS(execve), 0, NULL);
    rc |= add_rule(ctx, kill, SCMP_SYS(execveat), 0, NULL);
    rc |= add_rule(ctx, kill, SCMP_SYS(clone), 1, &no_vm);
    rc |= add_rule(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0, NULL);
    if (rc == 0) {
        rc = seccomp_load(ctx); /* libseccomp sets no_new_privs first */
        if (rc < 0)
            fprintf(stderr, "wx_seccomp: seccomp_load: %s\n", strerror(-rc));
    }
    seccomp_release(ctx);
    return rc ? -1 : 0;
}

static void *thread_main(void *arg)
{
    return arg;
}

/* Each case returns only if the filter let the forbidden call through. */
static int self_check(const char *what)
{
    if (install_filter())
        return 2;
    if (!strcmp(what, "rwx-mmap")) {
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        fprintf(stderr, "wx_seccomp: RWX mmap was allowed (%p)\n", p);
        return 1;
    }
    if (!strcmp(what, "rwx-mprotect")) {
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            perror("wx_seccomp: RW mmap");
            return 2;
        }
        int rc = mprotect(p, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
        fprintf(stderr, "wx_seccomp: mprotect to RWX was allowed (rc %d)\n", rc);
        return 1;
    }
    if (!strcmp(what, "fork") || !strcmp(what, "sys-fork")) {
        pid_t pid = !strcmp(what, "fork") ? fork() : (pid_t)syscall(SYS_fork);
        if (pid == 0)
            _exit(0);
        if (pid > 0)
            waitpid(pid, NULL, 0);
        fprintf(stderr, "wx_seccomp: %s was allowed (pid %d)\n", what, (int)pid);
        return 1;
    }
    if (!strcmp(what, "execve")) {
        char *const argv[] = {"true", NULL};
        execve("/bin/true", argv, environ);
        fprintf(stderr, "wx_seccomp: execve was allowed and failed: %s\n", strerror(errno));
        return 1;
    }
    if (!strcmp(what, "allowed")) {
        /* What the JIT and the host layer legitimately do. */
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED || mprotect(p, 4096, PROT_READ | PROT_EXEC) || mprotect(p, 4096, PROT_NONE) ||
            munmap(p, 4096)) {
            perror("wx_seccomp: permitted mapping calls");
            return 1;
        }
        /* A thread is a clone with CLONE_VM (after clone3's ENOSYS). */
        pthread_t t;
        void *ret = NULL;
        int rc = pthread_create(&t, NULL, thread_main, p);
        if (rc || pthread_join(t, &ret) || ret != p) {
            fprintf(stderr, "wx_seccomp: pthread_create under the filter: %s\n", strerror(rc));
            return 1;
        }
        fprintf(stderr, "wx_seccomp: permitted calls ran under the filter\n");
        return 0;
    }
    fprintf(stderr, "wx_seccomp: unknown self-check '%s'\n", what);
    return 2;
}

static int run_program(svm_engine engine, int argc, char **argv)
{
    if (install_filter())
        return 2;
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = SVM_MODE_USER;
    cfg.engine = engine;
    char err[512];
    svm_machine *m;
    if (svm_create(&cfg, &m, err, sizeof(err)) != SVM_OK) {
        fprintf(stderr, "wx_seccomp: svm_create: %s\n", err);
        return 2;
    }
    if (svm_load_program(m, argv[0], argc, argv, environ) != SVM_OK) {
        fprintf(stderr, "wx_seccomp: %s: %s\n", argv[0], svm_error(m));
        svm_destroy(m);
        return 2;
    }
    int status = 2;
    unsigned long slices = 0;
    svm_stop st;
    for (;;) {
        slices++;
        if (svm_run(m, SLICE_INSNS, &st) != SVM_OK) {
            fprintf(stderr, "wx_seccomp: svm_run: %s\n", svm_error(m));
            break;
        }
        if (st.reason == SVM_STOP_EXITED) {
            status = st.exit_status;
            break;
        }
        if (st.reason == SVM_STOP_FAULT) {
            fprintf(stderr, "wx_seccomp: guest fault: cause %llu at pc 0x%llx\n", (unsigned long long)st.cause,
                    (unsigned long long)st.pc);
            break;
        }
        if (st.reason != SVM_STOP_BUDGET && st.reason != SVM_STOP_WAITING) {
            fprintf(stderr, "wx_seccomp: unexpected stop reason %d\n", (int)st.reason);
            break;
        }
    }
    fflush(stdout);
    fprintf(stderr, "wx_seccomp: %s exited with status %d under the W^X filter (%s engine, %llu instructions, %lu slices)\n",
            argv[0], status, engine == SVM_ENGINE_JIT ? "jit" : "interp", (unsigned long long)svm_instret(m), slices);
    svm_destroy(m);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--self-check"))
        return self_check(argv[2]);
    svm_engine engine = SVM_ENGINE_JIT;
    int i = 1;
    if (i + 1 < argc && !strcmp(argv[i], "-accel")) {
        if (!strcmp(argv[i + 1], "jit"))
            engine = SVM_ENGINE_JIT;
        else if (!strcmp(argv[i + 1], "interp"))
            engine = SVM_ENGINE_INTERP;
        else {
            fprintf(stderr, "wx_seccomp: unknown accelerator '%s'\n", argv[i + 1]);
            return 2;
        }
        i += 2;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: wx_seccomp [-accel jit|interp] program [args...]\n"
                        "       wx_seccomp --self-check rwx-mmap|rwx-mprotect|fork|sys-fork|execve|allowed\n");
        return 2;
    }
    return run_program(engine, argc - i, argv + i);
}
