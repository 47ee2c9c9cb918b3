/* splitvm-system: boot a system-mode board (like qemu-system-riscv64).
 * The serial console is this program's stdin/stdout: a terminal is put in
 * raw mode (restored on every way out) and Ctrl-A x quits, as in QEMU;
 * Ctrl-A c switches to the monitor (cli_monitor.c). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli_drive.h"
#include "cli_monitor.h"
#include "cli_net.h"
#include "cli_util.h"
#include "gdbstub.h"
#include "splitvm.h"

static const char *tool = "splitvm-system";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: splitvm-system -M virt|spike [options]\n"
            "  -M virt             QEMU's virt board: OpenSBI, U-Boot, Linux\n"
            "  -M spike            Spike-style board with HTIF (tohost/fromhost)\n"
            "  -m SIZE             RAM size (plain number = MiB; K/M/G suffixes)\n"
            "  -smp N              harts (virt: 1 to 8)\n"
            "  -bios default|none|FILE  firmware (default: OpenSBI's fw_dynamic.bin)\n"
            "  -kernel FILE        Linux Image, U-Boot binary or ELF\n"
            "  -initrd FILE        initial RAM disk (virt)\n"
            "  -append ARGS        kernel command line (virt)\n"
            "  -dtb FILE           use this device tree (virt)\n"
            "  -drive file=IMG[,format=raw|qcow2][,readonly=on][,snapshot=on][,if=virtio|none][,id=ID]\n"
            "                      a virtio-blk disk (virt; the first is Linux's vda)\n"
            "  -device virtio-blk-device,drive=ID  attach an if=none drive\n"
            "  -snapshot           every disk as snapshot=on: the guest's writes stay in memory\n"
            "  -netdev user,id=ID[,hostfwd=[tcp|udp]:[haddr]:hport-[gaddr]:gport]...\n"
            "  -device virtio-net-device,netdev=ID[,mac=MAC]  a network card (virt)\n"
            "  -nic user[,hostfwd=...][,mac=MAC]  both at once\n"
            "  -device virtio-rng-device  random bytes for the guest, from the host\n"
            "  -machine dumpdtb=FILE  write the device tree and exit\n"
            "  -nographic          console on stdio (always the case)\n"
            "  -serial stdio|mon:stdio|none  where the serial console goes\n"
            "  -icount shift=N|auto  time follows retired instructions (deterministic)\n"
            "  -accel jit|interp   execution engine\n"
            "  -d jit              at exit: the JIT's counters (all harts)\n"
            "  -gdb tcp::PORT      wait for gdb on 127.0.0.1:PORT, halted (-s: port 1234)\n"
            "  -S                  start halted: until gdb continues, or the monitor's 'cont'\n"
            "  -incoming file:PATH  start from a snapshot the monitor's 'migrate file:PATH'\n"
            "                      saved (virt; the same options as the machine it was saved on)\n"
            "The console quits with Ctrl-A x; Ctrl-A c switches to the monitor and back\n"
            "(on a terminal, or with -serial mon:stdio). For -M spike the exit status is\n"
            "the HTIF code (tohost >> 1): 0 = pass; for virt the guest's power-off status.\n");
}

/* ---- the console: stdin in raw mode, Ctrl-A escapes ---- */

static struct termios saved_tio;
static int tio_saved;
static int quit_requested;
static int serial_none;
static int serial_mux; /* -serial mon:stdio: Ctrl-A escapes even when stdin is no terminal */
static int stdin_eof; /* stdin ended: stop polling it */
static svm_machine *running;
static monitor mon;

static void restore_terminal(void)
{
    if (tio_saved)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
    tio_saved = 0;
}

static void on_fatal_signal(int sig)
{
    restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void raw_terminal(void)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tio) != 0)
        return;
    tio_saved = 1;
    atexit(restore_terminal);
    signal(SIGTERM, on_fatal_signal);
    signal(SIGHUP, on_fatal_signal);
    signal(SIGINT, on_fatal_signal);
    struct termios t = saved_tio;
    cfmakeraw(&t);
    t.c_oflag |= OPOST | ONLCR; /* keep the host's newline handling for output */
    tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

static void mux_help(void)
{
    printf("\nC-a h    print this help\n"
           "C-a x    exit emulator\n"
           "C-a c    switch between console and monitor\n"
           "C-a C-a  sends C-a\n");
    fflush(stdout);
}

/* Console input: stdin without blocking, through the Ctrl-A escapes (on a
 * terminal or with -serial mon:stdio: x quits, c switches to the monitor
 * and back, h helps, Ctrl-A twice sends one). Bytes for the guest go to
 * out (up to len; 0 when there is nowhere for them); keys for the monitor
 * go to it, and a finished monitor line makes the run return so that the
 * main loop carries it out; bytes after it wait for the next call. */
static size_t console_input(unsigned char *out, size_t len)
{
    static unsigned char stash[256];
    static size_t stash_at, stash_n;
    static int escape;
    if (stash_at == stash_n) {
        stash_at = stash_n = 0;
        struct pollfd p = {STDIN_FILENO, POLLIN, 0};
        if (stdin_eof || poll(&p, 1, 0) <= 0)
            return 0;
        ssize_t n = read(STDIN_FILENO, stash, sizeof(stash));
        if (n < 0)
            return 0;
        if (n == 0) {
            stdin_eof = 1;
            return 0;
        }
        stash_n = (size_t)n;
    }
    size_t k = 0;
    while (stash_at < stash_n && (len == 0 || k < len)) {
        unsigned char c = stash[stash_at++];
        if (escape) {
            escape = 0;
            if (c == 'x') {
                quit_requested = 1;
                svm_interrupt(running);
                break;
            }
            if (c == 'c')
                monitor_toggle(&mon);
            else if (c == 'h')
                mux_help();
            else if (c == 1 && len && !mon.active)
                out[k++] = 1;
            continue;
        }
        if (c == 1 && (tio_saved || serial_mux)) {
            escape = 1;
            continue;
        }
        if (mon.active) {
            if (monitor_key(&mon, c)) {
                svm_interrupt(running);
                break;
            }
        } else if (len) {
            out[k++] = c;
        }
    }
    return k;
}

static int64_t console_read(void *opaque, void *buf, size_t len)
{
    (void)opaque;
    if (serial_none || quit_requested)
        return -EAGAIN;
    int was_eof = stdin_eof;
    size_t k = console_input(buf, len);
    if (k)
        return (int64_t)k;
    return stdin_eof && !was_eof ? 0 : -EAGAIN;
}

static int64_t console_write(void *opaque, int stream, const void *buf, size_t len)
{
    (void)opaque;
    (void)stream;
    if (serial_none)
        return (int64_t)len;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(STDOUT_FILENO, (const char *)buf + done, len - done);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            break;
        }
        done += (size_t)n;
    }
    return (int64_t)len;
}

static const svm_proxy console_proxy = {
    .console_write = console_write,
    .console_read = console_read,
};

static int write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(data, 1, n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* "-machine virt,dumpdtb=FILE" / "-machine dumpdtb=FILE": the machine name
 * and the properties splitvm knows. */
static int parse_machine(const char *arg, const char **machine, const char **dumpdtb)
{
    /* The names point into these (no heap: nothing to free on any exit). */
    static char bufs[4][1024];
    static int nbufs;
    if (nbufs == 4 || strlen(arg) >= sizeof(bufs[0]))
        return cli_error(tool, "too many or too long -machine options"), -1;
    char *buf = bufs[nbufs++];
    snprintf(buf, sizeof(bufs[0]), "%s", arg);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (!strncmp(tok, "dumpdtb=", 8))
            *dumpdtb = tok + 8;
        else if (strchr(tok, '='))
            return cli_error(tool, "unsupported machine property '%s'", tok), -1;
        else
            *machine = tok;
    }
    return 0;
}

int main(int argc, char **argv)
{
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = SVM_MODE_SYSTEM;
    const char *kernel = NULL, *bios = NULL, *machine = NULL, *dumpdtb = NULL;
    const char *initrd = NULL, *append = NULL, *dtb = NULL;
    int debug_jit = 0;
    int gdb_port = 0, start_halted = 0, snapshot_disks = 0;
    const char *incoming = NULL;
    static cli_drives drives;
    static cli_net nets;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i] + (argv[i][0] == '-' && argv[i][1] == '-' ? 2 : 1);
        const char *arg = i + 1 < argc ? argv[i + 1] : NULL;
        if (argv[i][0] != '-') {
            cli_error(tool, "unexpected argument '%s'", argv[i]);
            return 1;
        }
        if (!strcmp(o, "h") || !strcmp(o, "help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(o, "nographic")) {
            continue;
        } else if (!strcmp(o, "s")) {
            gdb_port = 1234; /* -gdb tcp::1234 */
            continue;
        } else if (!strcmp(o, "S")) {
            start_halted = 1;
            continue;
        } else if (!strcmp(o, "snapshot")) {
            snapshot_disks = 1; /* every disk as snapshot=on */
            continue;
        } else if (!strcmp(o, "version")) {
            printf("splitvm-system %s (API %d)\n", svm_version_string(), svm_api_version());
            return 0;
        }
        if (!arg) {
            cli_error(tool, "option %s needs an argument", argv[i]);
            return 1;
        }
        i++;
        if ((!strcmp(o, "M") || !strcmp(o, "machine")) && (!strcmp(arg, "help") || !strcmp(arg, "?"))) {
            /* QEMU's listing: "Supported machines are:" then name and description. */
            printf("Supported machines are:\n"
                   "spike                Spike-style board: RAM, CLINT, HTIF tohost/fromhost\n"
                   "virt                 RISC-V VirtIO board (QEMU's virt: CLINT, PLIC, 16550A UART, RTC, virtio-mmio)\n");
            return 0;
        } else if (!strcmp(o, "M") || !strcmp(o, "machine")) {
            if (parse_machine(arg, &machine, &dumpdtb))
                return 1;
        } else if (!strcmp(o, "m")) {
            if (cli_parse_size(arg, &cfg.ram_size)) {
                cli_error(tool, "bad memory size '%s'", arg);
                return 1;
            }
        } else if (!strcmp(o, "smp")) {
            char *end;
            long n = strtol(arg, &end, 10);
            if (!strncmp(end, ",", 1) || !*end) {
                if (n < 1 || n > 8) {
                    cli_error(tool, "-smp %s: 1 to 8 harts", arg);
                    return 1;
                }
                cfg.harts = (unsigned)n;
            } else {
                cli_error(tool, "bad -smp '%s'", arg);
                return 1;
            }
        } else if (!strcmp(o, "bios")) {
            bios = arg;
        } else if (!strcmp(o, "kernel")) {
            kernel = arg;
        } else if (!strcmp(o, "initrd")) {
            initrd = arg;
        } else if (!strcmp(o, "append")) {
            append = arg;
        } else if (!strcmp(o, "dtb")) {
            dtb = arg;
        } else if (!strcmp(o, "d")) {
            if (strcmp(arg, "jit")) {
                cli_error(tool, "-d %s: unknown item (splitvm-system knows 'jit')", arg);
                return 1;
            }
            debug_jit = 1;
        } else if (!strcmp(o, "icount")) {
            cfg.counted_time = 1;
        } else if (!strcmp(o, "serial")) {
            if (!strcmp(arg, "none") || !strcmp(arg, "null"))
                serial_none = 1;
            else if (!strcmp(arg, "mon:stdio"))
                serial_mux = 1;
            else if (strcmp(arg, "stdio")) {
                cli_error(tool, "-serial %s is not supported (use stdio or none)", arg);
                return 1;
            }
        } else if (!strcmp(o, "accel")) {
            if (cli_parse_accel(arg, &cfg)) {
                cli_error(tool, "unknown accelerator '%s' (use jit or interp)", arg);
                return 1;
            }
        } else if (!strcmp(o, "drive")) {
            if (cli_drive_option(&drives, tool, arg))
                return 1;
        } else if (!strcmp(o, "device") && !strncmp(arg, "virtio-rng", 10)) {
            /* virtio-rng-device / -pci, with or without rng=ID: the host's random source */
            cfg.rng = 1;
        } else if (!strcmp(o, "object") && (!strncmp(arg, "rng-random", 10) || !strncmp(arg, "rng-builtin", 11))) {
            /* the backend a virtio-rng names: always the host's random source here */
        } else if (!strcmp(o, "device") && !strncmp(arg, "virtio-net", 10)) {
            if (cli_net_device_option(&nets, tool, arg))
                return 1;
        } else if (!strcmp(o, "device")) {
            if (cli_device_option(&drives, tool, arg))
                return 1;
        } else if (!strcmp(o, "netdev")) {
            if (cli_netdev_option(&nets, tool, arg))
                return 1;
        } else if (!strcmp(o, "nic")) {
            if (cli_nic_option(&nets, tool, arg))
                return 1;
        } else if (!strcmp(o, "incoming")) {
            if (strncmp(arg, "file:", 5) || !arg[5]) {
                cli_error(tool, "-incoming %s: splitvm restores from a file only (-incoming file:PATH)", arg);
                return 1;
            }
            incoming = arg + 5;
        } else if (!strcmp(o, "gdb")) {
            gdb_port = gdbstub_parse_device(arg);
            if (gdb_port < 0) {
                cli_error(tool, "-gdb %s: use tcp::PORT", arg);
                return 1;
            }
        } else {
            cli_error(tool, "unknown option '%s' (try -help)", argv[i - 1]);
            return 1;
        }
    }
    if (!machine || (strcmp(machine, "spike") && strcmp(machine, "virt"))) {
        if (machine)
            cli_error(tool, "unknown machine '%s' (use -M virt or -M spike)", machine);
        else
            cli_error(tool, "no machine given (use -M virt or -M spike)");
        return 1;
    }
    if (start_halted && !gdb_port) {
        /* As QEMU: stopped until the monitor's cont, which needs the escapes. */
        if (!isatty(STDIN_FILENO) && !serial_mux) {
            cli_error(tool, "-S without -gdb waits for the monitor's 'cont': give a terminal or -serial mon:stdio");
            return 1;
        }
        mon.paused = 1;
    }
    if (cli_drives_done(&drives, tool) || cli_net_done(&nets, tool))
        return 1;
    int virt = !strcmp(machine, "virt");
    cfg.board = virt ? SVM_BOARD_VIRT : SVM_BOARD_SPIKE;
    if (!virt) {
        if (bios && strcmp(bios, "none")) {
            cli_error(tool, "-bios FILE is not supported on -M spike (use -bios none)");
            return 1;
        }
        if (initrd || append || dtb || dumpdtb || cfg.harts > 1 || drives.n || nets.n || incoming || cfg.rng) {
            cli_error(tool, "-initrd, -append, -dtb, -drive, -nic, -incoming, dumpdtb and -smp above 1 need -M virt");
            return 1;
        }
        if (!kernel) {
            cli_error(tool, "no -kernel given");
            return 1;
        }
    } else {
        cfg.firmware = !bios ? "default" : strcmp(bios, "none") ? bios : NULL;
        cfg.kernel = kernel;
        cfg.initrd = initrd;
        cfg.cmdline = append;
        cfg.dtb = dtb;
        for (unsigned i = 0; i < drives.n && snapshot_disks; i++)
            drives.drive[i].snapshot = 1;
        cfg.drives = drives.drive;
        cfg.ndrives = drives.n;
        cfg.nics = nets.nic;
        cfg.nnics = nets.n;
        if (!cfg.firmware && !cfg.kernel && !incoming) {
            cli_error(tool, "-bios none needs -kernel");
            return 1;
        }
    }
    cfg.proxy = &console_proxy;
    char err[512];
    svm_machine *m;
    if (svm_create(&cfg, &m, err, sizeof(err)) != SVM_OK) {
        cli_error(tool, "%s", err);
        return 1;
    }
    if (dumpdtb) {
        size_t n;
        const void *fdt = svm_get_dtb(m, &n);
        int r = fdt && write_file(dumpdtb, fdt, n) == 0 ? 0 : 1;
        if (r)
            cli_error(tool, "cannot write the device tree to '%s'", dumpdtb);
        svm_destroy(m);
        return r;
    }
    if (!virt && svm_load_kernel(m, kernel) != SVM_OK) {
        cli_error(tool, "%s", svm_error(m));
        svm_destroy(m);
        return 1;
    }
    if (incoming && svm_snapshot_load(m, incoming) != SVM_OK) {
        cli_error(tool, "%s", svm_error(m));
        svm_destroy(m);
        return 1;
    }
    running = m;
    svm_stop st;
    int status = 1;
    /* -gdb: gdb drives the machine from its first instruction until it
     * powers off, is killed or gdb detaches (then it runs on). */
    int done = gdb_port ? gdbstub_session(tool, gdb_port, m, &st, &status) : 0;
    if (virt && !done)
        raw_terminal();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (!done) {
        monitor_run(&mon, m);
        if (mon.quit) {
            restore_terminal();
            status = 0;
            break;
        }
        if (mon.paused && !quit_requested) {
            /* Stopped from the monitor: only the console's keys matter. */
            if (stdin_eof) {
                restore_terminal();
                fprintf(stderr, "\n%s: the console's input ended while the guest is stopped\n", tool);
                status = 0;
                break;
            }
            struct pollfd p = {STDIN_FILENO, POLLIN, 0};
            if (poll(&p, 1, 100) > 0)
                console_input(NULL, 0);
            continue;
        }
        if (svm_run(m, 0, &st) != SVM_OK) {
            restore_terminal();
            cli_error(tool, "%s", svm_error(m));
            break;
        }
        if (st.reason == SVM_STOP_EXITED) {
            status = st.exit_status;
            break;
        }
        if (st.reason == SVM_STOP_INTERRUPTED && quit_requested) {
            restore_terminal();
            fprintf(stderr, "\n%s: terminating on Ctrl-A x\n", tool);
            status = 0;
            break;
        }
        if (st.reason == SVM_STOP_WAITING) {
            if (!virt || (st.wait_ns < 0 && st.wait_fd < 0 && serial_none)) {
                restore_terminal();
                cli_error(tool, "the hart waits for an interrupt that nothing can raise (pc 0x%llx)",
                          (unsigned long long)st.pc);
                break;
            }
            /* Sleep until the next timer or console input (ours: the proxy). */
            int ms = st.wait_ns < 0 ? 1000 : (int)((st.wait_ns + 999999) / 1000000);
            if (ms > 1000)
                ms = 1000;
            struct pollfd p = {STDIN_FILENO, POLLIN, 0};
            poll(&p, serial_none || stdin_eof ? 0 : 1, ms);
            continue;
        }
        if (st.reason == SVM_STOP_FAULT) {
            restore_terminal();
            cli_error(tool, "fatal guest fault at pc 0x%llx", (unsigned long long)st.pc);
            break;
        }
    }
    restore_terminal();
    fflush(stdout);
    if (debug_jit) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        cli_print_jit_stats(tool, m, (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec));
    }
    svm_destroy(m);
    return status;
}
