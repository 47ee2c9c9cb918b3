/* splitvm: run a riscv64 Linux program (user mode, like qemu-riscv64). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli_util.h"
#include "gdbstub.h"
#include "guest_signals.h"
#include "splitvm.h"

extern char **environ;

/* Every guest thread waits: sleep until its fd is ready, its deadline, or a
 * host signal for the guest, never spin. */
static void wait_for_guest(const svm_stop *st)
{
    struct pollfd pf[2];
    nfds_t n = 0;
    if (st->wait_fd >= 0) {
        pf[n].fd = st->wait_fd;
        pf[n].events = 0;
        pf[n].revents = 0;
        if (st->wait_events & SVM_WAIT_READ)
            pf[n].events |= POLLIN;
        if (st->wait_events & SVM_WAIT_WRITE)
            pf[n].events |= POLLOUT;
        n++;
    }
    if (guest_signals_fd() >= 0) {
        pf[n].fd = guest_signals_fd();
        pf[n].events = POLLIN;
        pf[n].revents = 0;
        n++;
    }
    /* With neither an fd nor a deadline the guest waits for a signal
     * (pause): only a host signal can end that. */
    int64_t ms = st->wait_ns < 0 ? -1 : (st->wait_ns + 999999) / 1000000;
    if (ms > 1000000000)
        ms = 1000000000;
    if (n)
        poll(pf, n, (int)ms);
    else if (ms > 0) {
        struct timespec ts = {.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000};
        nanosleep(&ts, NULL);
    }
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: splitvm [options] [--] program [arguments...]\n"
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
            "  -L prefix           the guest sees only this tree, as its / (and\n"
            "                      loads a dynamic program's libraries from it)\n"
            "  -E var=value[,...]  set variables in the guest environment\n"
            "  -U var[,...]        remove variables from the guest environment\n"
            "  -0 argv0            the guest's argv[0] (default: the program path)\n"
            "  -cpu model          the hart (-cpu help lists them)\n"
            "  -strace             log every guest system call\n"
            "  -d item[,...]       debug output (-d help lists the items)\n"
            "  -g port             wait for gdb on 127.0.0.1:port before the first\n"
            "                      instruction (gdb: target remote :port)\n"
            "  -version            print the version\n"
            "Environment, as qemu-user reads it (the options win): QEMU_LD_PREFIX (-L),\n"
            "QEMU_SET_ENV (-E), QEMU_UNSET_ENV (-U), QEMU_ARGV0 (-0), QEMU_CPU (-cpu),\n"
            "QEMU_STRACE (-strace), QEMU_LOG (-d), QEMU_RESERVED_VA (-R), QEMU_GDB (-g).\n"
            "The guest's exit status is splitvm's; a guest killed by a signal\n"
            "kills splitvm with the same signal, as qemu-user does.\n");
}

/* -d items: what each shows. */
static const struct { const char *name, *help; } debug_items[] = {
    {"jit", "at exit, one line of JIT statistics"},
    {"mem", "at exit, guest memory committed and host memory held"},
    {"signal", "one line when a signal kills the guest (pc, fault address)"},
    {"strace", "log every guest system call (as -strace)"},
};
#define NDEBUG_ITEMS (sizeof(debug_items) / sizeof(debug_items[0]))
enum { D_JIT = 1, D_MEM = 2, D_SIGNAL = 4, D_STRACE = 8 };

/* "-d a,b": the item bits, or -1 (the message is out) for an unknown one.
 * "help" lists them and gives -2. */
static int parse_debug(const char *arg)
{
    int bits = 0;
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", arg);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (!strcmp(tok, "help") || !strcmp(tok, "?")) {
            printf("Log items (comma separated):\n");
            for (size_t i = 0; i < NDEBUG_ITEMS; i++)
                printf("%-10s %s\n", debug_items[i].name, debug_items[i].help);
            return -2;
        }
        size_t i = 0;
        while (i < NDEBUG_ITEMS && strcmp(tok, debug_items[i].name))
            i++;
        if (i == NDEBUG_ITEMS) {
            cli_error("splitvm", "unknown -d item '%s' (-d help lists them)", tok);
            return -1;
        }
        bits |= 1 << i;
    }
    return bits;
}

/* -cpu: every model name is the one RV64GC hart splitvm has. */
static const char *const cpu_models[] = {"any", "max", "rv64"};

static int parse_cpu(const char *arg)
{
    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        printf("Available CPUs:\n");
        for (size_t i = 0; i < sizeof(cpu_models) / sizeof(cpu_models[0]); i++)
            printf("  %s\n", cpu_models[i]);
        printf("(each is RV64GC: RV64IMAFDC with Zicsr and Zifencei)\n");
        return 1;
    }
    char name[64];
    snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg, ","), arg); /* properties after ',' */
    for (size_t i = 0; i < sizeof(cpu_models) / sizeof(cpu_models[0]); i++)
        if (!strcmp(name, cpu_models[i]))
            return 0;
    cli_error("splitvm", "unknown CPU model '%s' (-cpu help lists them)", name);
    return -1;
}

/* Guest environment: the host's, edited by -E / -U in order. The strings
 * -E splits off are owned here. */
typedef struct env_list {
    char **v;
    int n, cap;
    char **owned;
    int nowned;
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

/* "a=1,b=2" (-E, QEMU_SET_ENV) or "a,b" (-U, QEMU_UNSET_ENV), as qemu-user
 * splits them. 0, or -1 for a -E item without '='. */
static int env_edit_list(env_list *e, const char *list, int remove)
{
    char *copy = strdup(list);
    char **no = copy ? realloc(e->owned, (size_t)(e->nowned + 1) * sizeof(char *)) : NULL;
    if (!no) {
        free(copy);
        return -1;
    }
    e->owned = no;
    e->owned[e->nowned++] = copy;
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
        if (!remove && !strchr(tok, '='))
            return -1;
        if (env_set(e, tok, remove))
            return -1;
    }
    return 0;
}

static void env_free(env_list *e)
{
    for (int i = 0; i < e->nowned; i++)
        free(e->owned[i]);
    free(e->owned);
    free(e->v);
}

typedef struct cli {
    svm_config cfg;
    env_list env;
    const char *argv0; /* -0 */
    int debug;         /* D_* */
    int gdb_port;      /* -g (0: none) */
} cli;

/* One option (from the command line or a QEMU_* variable). Returns 0, 1
 * when splitvm is done (help printed: status 0), or -1 (message printed:
 * status 1). */
static int apply_option(cli *c, const char *o, const char *arg)
{
    if (!strcmp(o, "accel") && cli_parse_accel(arg, &c->cfg)) {
        cli_error("splitvm", "unknown accelerator '%s' (use jit or interp)", arg);
        return -1;
    } else if ((!strcmp(o, "m") || !strcmp(o, "R")) &&
               cli_parse_size_unit(arg, o[0] == 'm' ? 20 : 0, &c->cfg.mem_limit)) {
        cli_error("splitvm", "bad memory size '%s' for -%s (a positive number, optionally with a K, M or G "
                  "suffix: 512M, 2G)", arg, o);
        return -1;
    } else if (!strcmp(o, "L")) {
        struct stat st;
        if (stat(arg, &st) < 0 || !S_ISDIR(st.st_mode)) {
            cli_error("splitvm", "-L %s: %s", arg, stat(arg, &st) < 0 ? strerror(errno) : "not a directory");
            return -1;
        }
        c->cfg.sysroot = arg;
    } else if (!strcmp(o, "E") && env_edit_list(&c->env, arg, 0)) {
        cli_error("splitvm", "-E needs var=value[,var=value...]");
        return -1;
    } else if (!strcmp(o, "U") && env_edit_list(&c->env, arg, 1)) {
        cli_error("splitvm", "out of memory");
        return -1;
    } else if (!strcmp(o, "0")) {
        c->argv0 = arg;
    } else if (!strcmp(o, "cpu")) {
        return parse_cpu(arg);
    } else if (!strcmp(o, "d")) {
        int bits = parse_debug(arg);
        if (bits < 0)
            return bits == -2 ? 1 : -1;
        c->debug |= bits;
        if (bits & D_STRACE)
            c->cfg.strace = 1;
    } else if (!strcmp(o, "g")) {
        c->gdb_port = gdbstub_parse_device(arg);
        if (c->gdb_port < 0) {
            cli_error("splitvm", "-g needs a TCP port number, not '%s'", arg);
            return -1;
        }
    }
    return 0;
}

/* The variables qemu-user reads, as the options they stand for. */
static int apply_environment(cli *c)
{
    static const struct { const char *var, *opt; } vars[] = {
        {"QEMU_LD_PREFIX", "L"}, {"QEMU_SET_ENV", "E"}, {"QEMU_UNSET_ENV", "U"}, {"QEMU_ARGV0", "0"},
        {"QEMU_CPU", "cpu"}, {"QEMU_LOG", "d"}, {"QEMU_RESERVED_VA", "R"}, {"QEMU_GDB", "g"},
    };
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        const char *v = getenv(vars[i].var);
        if (v && *v) {
            int r = apply_option(c, vars[i].opt, v);
            if (r)
                return r;
        }
    }
    if (getenv("QEMU_STRACE"))
        c->cfg.strace = 1;
    return 0;
}

static int takes_argument(const char *o)
{
    static const char *const with_arg[] = {"accel", "L", "E", "U", "d", "g", "cpu", "m", "R", "0"};
    for (size_t i = 0; i < sizeof(with_arg) / sizeof(with_arg[0]); i++)
        if (!strcmp(o, with_arg[i]))
            return 1;
    return 0;
}

static void print_stats(svm_machine *m, int debug, const struct timespec *t0)
{
    svm_stats s;
    svm_get_stats(m, &s);
    if (debug & D_JIT) {
        struct timespec t1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        cli_print_jit_stats("splitvm", m, (double)(t1.tv_sec - t0->tv_sec) * 1e9 + (double)(t1.tv_nsec - t0->tv_nsec));
    }
    if (debug & D_MEM)
        fprintf(stderr, "splitvm: memory: guest %llu KiB committed of %llu KiB allowed; host %llu KiB held\n",
                (unsigned long long)(s.guest_mem_committed >> 10), (unsigned long long)(s.guest_mem_limit >> 10),
                (unsigned long long)(s.host_mem_bytes >> 10));
}

int main(int argc, char **argv)
{
    cli c;
    memset(&c, 0, sizeof(c));
    svm_config_init(&c.cfg);
    c.cfg.mode = SVM_MODE_USER;
    for (char **p = environ; *p; p++)
        if (env_set(&c.env, *p, 0))
            return 1;
    int r = apply_environment(&c);
    if (r) {
        env_free(&c.env);
        return r < 0 ? 1 : 0;
    }

    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--")) { /* the program comes next, even if it starts with '-' */
            i++;
            break;
        }
        const char *o = argv[i] + (argv[i][1] == '-' ? 2 : 1);
        const char *arg = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "h") || !strcmp(o, "help")) {
            usage(stdout);
            env_free(&c.env);
            return 0;
        } else if (!strcmp(o, "version")) {
            printf("splitvm %s (API %d)\n", svm_version_string(), svm_api_version());
            env_free(&c.env);
            return 0;
        } else if (!strcmp(o, "strace")) {
            c.cfg.strace = 1;
        } else if (takes_argument(o)) {
            if (!arg) {
                cli_error("splitvm", "option -%s needs an argument", o);
                env_free(&c.env);
                return 1;
            }
            i++;
            r = apply_option(&c, o, arg);
            if (r) {
                env_free(&c.env);
                return r < 0 ? 1 : 0;
            }
        } else {
            cli_error("splitvm", "unknown option '%s' (try -help)", argv[i]);
            env_free(&c.env);
            return 1;
        }
    }
    if (i >= argc) {
        usage(stderr);
        env_free(&c.env);
        return 1;
    }

    char err[512];
    svm_machine *m;
    if (svm_create(&c.cfg, &m, err, sizeof(err)) != SVM_OK) {
        cli_error("splitvm", "%s", err);
        env_free(&c.env);
        return 1;
    }
    /* -0: the guest's argv[0] in place of the program path. */
    char **gargv = malloc((size_t)(argc - i + 1) * sizeof(char *));
    if (!gargv) {
        svm_destroy(m);
        env_free(&c.env);
        return 1;
    }
    for (int k = i; k <= argc; k++)
        gargv[k - i] = k < argc ? argv[k] : NULL;
    if (c.argv0)
        gargv[0] = (char *)c.argv0;
    int loaded = svm_load_program(m, argv[i], argc - i, gargv, c.env.v);
    free(gargv);
    env_free(&c.env);
    if (loaded != SVM_OK) {
        cli_error("splitvm", "%s", svm_error(m));
        svm_destroy(m);
        return 1;
    }
    svm_stop st;
    int status = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* -g: gdb drives the guest from its first instruction until it ends,
     * kills it or detaches (then the guest runs on by itself). Meanwhile
     * host signals keep their default actions (Ctrl-C ends a splitvm that
     * waits for gdb); they go to the guest once it runs on its own. */
    int done = c.gdb_port ? gdbstub_session("splitvm", c.gdb_port, m, &st, &status) : 0;
    if (!done && guest_signals_start(m) < 0)
        cli_error("splitvm", "host signals will not reach the guest: %s", strerror(errno));
    while (!done) {
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
        guest_signals_forward(m); /* Ctrl-C and friends, for the guest's handlers */
        /* BUDGET, INTERRUPTED: keep running. */
    }
    fflush(stdout);
    print_stats(m, c.debug, &t0);
    svm_destroy(m);
    if (st.reason == SVM_STOP_EXITED && st.signal) {
        if (c.debug & D_SIGNAL) {
            if (st.tval)
                cli_error("splitvm", "guest terminated by signal %d (%s) at pc 0x%llx, address 0x%llx", st.signal,
                          guest_signal_name(st.signal), (unsigned long long)st.pc, (unsigned long long)st.tval);
            else
                cli_error("splitvm", "guest terminated by signal %d (%s) at pc 0x%llx", st.signal,
                          guest_signal_name(st.signal), (unsigned long long)st.pc);
        }
        fflush(stderr);
        guest_signals_die(st.signal); /* as qemu-user: the same death, for the shell to see */
    }
    return status;
}
