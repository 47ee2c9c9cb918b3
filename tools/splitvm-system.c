/* splitvm-system: boot a system-mode board (like qemu-system-riscv64). */
#include <stdio.h>
#include <string.h>

#include "cli_util.h"
#include "splitvm.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: splitvm-system -M spike [options]\n"
            "  -M spike            Spike-style board with HTIF (tohost/fromhost)\n"
            "  -m SIZE             RAM size (plain number = MiB; K/M/G suffixes)\n"
            "  -bios none          run the kernel directly in M mode\n"
            "  -kernel FILE        ELF loaded at its physical addresses\n"
            "  -nographic          console on stdio (always the case)\n"
            "  -accel jit|interp   execution engine\n"
            "For -M spike the exit status is the HTIF code (tohost >> 1): 0 = pass.\n");
}

int main(int argc, char **argv)
{
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = SVM_MODE_SYSTEM;
    const char *kernel = NULL, *bios = NULL, *machine = NULL;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i] + (argv[i][0] == '-' && argv[i][1] == '-' ? 2 : 1);
        const char *arg = i + 1 < argc ? argv[i + 1] : NULL;
        if (argv[i][0] != '-') {
            cli_error("splitvm-system", "unexpected argument '%s'", argv[i]);
            return 1;
        }
        if (!strcmp(o, "h") || !strcmp(o, "help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(o, "nographic")) {
            continue;
        } else if (!strcmp(o, "version")) {
            printf("splitvm-system %s (API %d)\n", svm_version_string(), svm_api_version());
            return 0;
        }
        if (!arg) {
            cli_error("splitvm-system", "option %s needs an argument", argv[i]);
            return 1;
        }
        i++;
        if (!strcmp(o, "M") || !strcmp(o, "machine")) {
            machine = arg;
        } else if (!strcmp(o, "m")) {
            if (cli_parse_size(arg, &cfg.ram_size)) {
                cli_error("splitvm-system", "bad memory size '%s'", arg);
                return 1;
            }
        } else if (!strcmp(o, "bios")) {
            bios = arg;
        } else if (!strcmp(o, "kernel")) {
            kernel = arg;
        } else if (!strcmp(o, "accel")) {
            if (cli_parse_accel(arg, &cfg)) {
                cli_error("splitvm-system", "unknown accelerator '%s' (use jit or interp)", arg);
                return 1;
            }
        } else if (!strcmp(o, "smp")) {
            if (strcmp(arg, "1")) {
                cli_error("splitvm-system", "only one hart is supported (-smp 1)");
                return 1;
            }
        } else if (!strcmp(o, "append") || !strcmp(o, "drive") || !strcmp(o, "netdev") || !strcmp(o, "serial")) {
            cli_error("splitvm-system", "option -%s is not supported yet", o);
            return 1;
        } else {
            cli_error("splitvm-system", "unknown option '%s' (try -help)", argv[i - 1]);
            return 1;
        }
    }
    if (!machine || strcmp(machine, "spike")) {
        cli_error("splitvm-system", machine ? "machine '%s' is not supported yet (use -M spike)"
                                            : "no machine given (use -M spike)%s", machine ? machine : "");
        return 1;
    }
    cfg.board = SVM_BOARD_SPIKE;
    if (bios && strcmp(bios, "none")) {
        cli_error("splitvm-system", "-bios FILE is not supported on -M spike yet (use -bios none)");
        return 1;
    }
    if (!kernel) {
        cli_error("splitvm-system", "no -kernel given");
        return 1;
    }
    char err[512];
    svm_machine *m;
    if (svm_create(&cfg, &m, err, sizeof(err)) != SVM_OK) {
        cli_error("splitvm-system", "%s", err);
        return 1;
    }
    if (svm_load_kernel(m, kernel) != SVM_OK) {
        cli_error("splitvm-system", "%s", svm_error(m));
        svm_destroy(m);
        return 1;
    }
    svm_stop st;
    int status = 1;
    for (;;) {
        if (svm_run(m, 0, &st) != SVM_OK) {
            cli_error("splitvm-system", "%s", svm_error(m));
            break;
        }
        if (st.reason == SVM_STOP_EXITED) {
            status = st.exit_status;
            break;
        }
        if (st.reason == SVM_STOP_WAITING) {
            cli_error("splitvm-system", "the hart waits for an interrupt that nothing can raise (pc 0x%llx)",
                      (unsigned long long)st.pc);
            break;
        }
        if (st.reason == SVM_STOP_FAULT) {
            cli_error("splitvm-system", "fatal guest fault at pc 0x%llx", (unsigned long long)st.pc);
            break;
        }
    }
    fflush(stdout);
    svm_destroy(m);
    return status;
}
