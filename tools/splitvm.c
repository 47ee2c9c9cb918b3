/* splitvm: run a riscv64 Linux program (user mode, like qemu-riscv64). */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_util.h"
#include "splitvm.h"

extern char **environ;

/* Every guest thread waits: sleep until its fd is ready or its deadline,
 * never spin. */
static void wait_for_guest(const svm_stop *st)
{
    if (st->wait_fd >= 0) {
        struct pollfd pf = {.fd = st->wait_fd, .events = 0, .revents = 0};
        if (st->wait_events & SVM_WAIT_READ)
            pf.events |= POLLIN;
        if (st->wait_events & SVM_WAIT_WRITE)
            pf.events |= POLLOUT;
        int64_t ms = st->wait_ns < 0 ? -1 : (st->wait_ns + 999999) / 1000000;
        if (ms > 1000000000)
            ms = 1000000000;
        poll(&pf, 1, (int)ms);
    } else if (st->wait_ns > 0) {
        struct timespec ts = {.tv_sec = (time_t)(st->wait_ns / 1000000000), .tv_nsec = (long)(st->wait_ns % 1000000000)};
        nanosleep(&ts, NULL);
    } else if (st->wait_ns < 0) {
        /* Waiting for embedder input: the CLI has no proxy, so this only
         * happens on a bug; do not spin. */
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 10000000};
        nanosleep(&ts, NULL);
    }
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: splitvm [options] program [arguments...]\n"
            "  -accel jit|interp   execution engine (default: jit where available)\n"
            "  -accel jit,fastmem=off\n"
            "                      check every guest access in software instead of\n"
            "                      taking the host's SIGSEGV/SIGBUS handler\n"
            "  -accel jit,tb-size=MiB\n"
            "                      size of the JIT's code buffer (default 32)\n"
            "  -m size             most memory the guest may commit (default 1G; a\n"
            "                      plain number is MiB, K/M/G suffixes); past it\n"
            "                      the guest's mmap/brk fail with ENOMEM\n"
            "  -R size             the same (QEMU's reserved size; plain = bytes)\n"
            "  -L prefix           the guest sees only this tree, as its /\n"
            "  -E var=value        set a variable in the guest environment\n"
            "  -U var              remove a variable from the guest environment\n"
            "  -strace             log every guest system call\n"
            "  -d what             debug output at exit: 'jit' (translation statistics),\n"
            "                      'mem' (guest memory committed, host memory held)\n"
            "  -version            print the version\n"
            "The guest's exit status is splitvm's; a guest killed by a signal\n"
            "gives 128+signal, as a shell reports it.\n");
}

/* Guest environment: the host's, edited by -E / -U in order. */
typedef struct env_list {
    char **v;
    int n, cap;
} env_list;

static int env_set(env_list *e, const char *kv, int remove)
{
    size_t klen = remove ? strlen(kv) : (size_t)(strchr(kv, '=') - kv);
    for (int i = 0; i < e->n; i++) {
        if (!strncmp(e->v[i], kv, klen) && e->v[i][klen] == '=') {
            if (remove) {
                e->v[i] = e->v[--e->n];
                e->v[e->n] = NULL;
            } else {
                e->v[i] = (char *)kv;
            }
            return 0;
        }
    }
    if (remove)
        return 0;
    if (e->n + 2 > e->cap) {
        int cap = e->cap ? e->cap * 2 : 64;
        char **nv = realloc(e->v, (size_t)cap * sizeof(char *));
        if (!nv)
            return -1;
        e->v = nv;
        e->cap = cap;
    }
    e->v[e->n++] = (char *)kv;
    e->v[e->n] = NULL;
    return 0;
}

/* A command line splitvm cannot run: the message is out; status 1. */
static int bad_command_line(env_list *env)
{
    free(env->v);
    return 1;
}

int main(int argc, char **argv)
{
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = SVM_MODE_USER;
    env_list env = {0};
    for (char **p = environ; *p; p++)
        if (env_set(&env, *p, 0))
            return 1;

    int debug_jit = 0, debug_mem = 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *o = argv[i] + (argv[i][1] == '-' ? 2 : 1);
        const char *arg = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "h") || !strcmp(o, "help")) {
            usage(stdout);
            free(env.v);
            return 0;
        } else if (!strcmp(o, "version")) {
            printf("splitvm %s (API %d)\n", svm_version_string(), svm_api_version());
            free(env.v);
            return 0;
        } else if (!strcmp(o, "strace")) {
            cfg.strace = 1;
        } else if (!strcmp(o, "accel") || !strcmp(o, "L") || !strcmp(o, "E") || !strcmp(o, "U") ||
                   !strcmp(o, "d") || !strcmp(o, "g") || !strcmp(o, "cpu") || !strcmp(o, "m") ||
                   !strcmp(o, "R")) {
            if (!arg) {
                cli_error("splitvm", "option -%s needs an argument", o);
                return bad_command_line(&env);
            }
            i++;
            if (!strcmp(o, "accel") && cli_parse_accel(arg, &cfg)) {
                cli_error("splitvm", "unknown accelerator '%s' (use jit or interp)", arg);
                return bad_command_line(&env);
            } else if ((!strcmp(o, "m") || !strcmp(o, "R")) &&
                       cli_parse_size_unit(arg, o[0] == 'm' ? 20 : 0, &cfg.mem_limit)) {
                cli_error("splitvm", "bad memory size '%s' for -%s (a positive number, optionally with a K, M or G "
                          "suffix: 512M, 2G)", arg, o);
                return bad_command_line(&env);
            } else if (!strcmp(o, "L")) {
                cfg.sysroot = arg;
            } else if (!strcmp(o, "E") && (!strchr(arg, '=') || env_set(&env, arg, 0))) {
                cli_error("splitvm", "-E needs var=value");
                return bad_command_line(&env);
            } else if (!strcmp(o, "U")) {
                env_set(&env, arg, 1);
            } else if (!strcmp(o, "d")) {
                debug_jit = strstr(arg, "jit") != NULL;
                debug_mem = strstr(arg, "mem") != NULL;
            } else if (!strcmp(o, "g")) {
                cli_error("splitvm", "the gdb stub (-g) is not implemented yet");
                return bad_command_line(&env);
            }
        } else {
            cli_error("splitvm", "unknown option '%s' (try -help)", argv[i]);
            return bad_command_line(&env);
        }
    }
    if (i >= argc) {
        usage(stderr);
        return bad_command_line(&env);
    }

    char err[512];
    svm_machine *m;
    if (svm_create(&cfg, &m, err, sizeof(err)) != SVM_OK) {
        cli_error("splitvm", "%s", err);
        return bad_command_line(&env);
    }
    if (svm_load_program(m, argv[i], argc - i, argv + i, env.v) != SVM_OK) {
        cli_error("splitvm", "%s", svm_error(m));
        svm_destroy(m);
        free(env.v);
        return 1;
    }
    free(env.v);
    svm_stop st;
    int status;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        if (svm_run(m, 0, &st) != SVM_OK) {
            cli_error("splitvm", "%s", svm_error(m));
            status = 1;
            break;
        }
        if (st.reason == SVM_STOP_EXITED) {
            status = st.exit_status;
            break;
        }
        if (st.reason == SVM_STOP_FAULT) {
            cli_error("splitvm", "guest fault: cause %llu at pc 0x%llx, address 0x%llx",
                      (unsigned long long)st.cause, (unsigned long long)st.pc, (unsigned long long)st.tval);
            status = 128 + 11;
            break;
        }
        if (st.reason == SVM_STOP_WAITING)
            wait_for_guest(&st);
        /* BUDGET: keep running. */
    }
    fflush(stdout);
    if (debug_jit) {
        svm_stats s;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double run_ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
        svm_get_stats(m, &s);
        fprintf(stderr,
                "splitvm: jit %s: %llu blocks (%llu guest insns) translated, %llu hot, %llu left to the interpreter, "
                "%llu KiB code (buffer %llu KiB), %.1f bytes per guest insn, %llu flushes; translation %.1f ms = %.0f ns per guest insn = %.2f%% of %.0f ms; "
                "%llu insns retired\n",
                s.jit ? "on" : "off", (unsigned long long)s.jit_blocks, (unsigned long long)s.jit_guest_insns,
                (unsigned long long)s.jit_hot_blocks, (unsigned long long)s.jit_interp_blocks, (unsigned long long)(s.jit_code_bytes >> 10),
                (unsigned long long)(s.jit_code_limit >> 10),
                s.jit_guest_insns ? (double)s.jit_code_emitted / (double)s.jit_guest_insns : 0.0, (unsigned long long)s.jit_flushes, (double)s.jit_translate_ns / 1e6,
                s.jit_guest_insns ? (double)s.jit_translate_ns / (double)s.jit_guest_insns : 0.0,
                run_ns > 0 ? 100.0 * (double)s.jit_translate_ns / run_ns : 0.0, run_ns / 1e6,
                (unsigned long long)s.instret);
    }
    if (debug_mem) {
        svm_stats s;
        svm_get_stats(m, &s);
        fprintf(stderr, "splitvm: memory: guest %llu KiB committed of %llu KiB allowed; host %llu KiB held\n",
                (unsigned long long)(s.guest_mem_committed >> 10), (unsigned long long)(s.guest_mem_limit >> 10),
                (unsigned long long)(s.host_mem_bytes >> 10));
    }
    svm_destroy(m);
    return status;
}
