/* Drive a system-mode guest through its serial console, as a person would:
 * wait for a text, type a line, and so on; then expect the guest to power
 * off with a given status. Built on the public API with the proxy's console
 * group (the embedder's own console), so it also tests that path.
 *
 * usage: console_expect [options] [EXPECT SEND]... [EXPECT]
 *   --accel jit|interp  --warm N (the JIT's jit_warm_runs)  --smp N  -m MIB  --bios FILE|none|default
 *   --kernel FILE  --initrd FILE  --append ARGS  --timeout SECONDS
 *   --drive FILE / --drive-ro FILE / --drive-snapshot FILE  a disk (format
 *                  from its header; read-only; snapshot=on), repeatable
 *   --nic RULE     a network card on the user-mode network with one hostfwd
 *                  rule (QEMU's syntax; "none" for no rule)
 *   --rng          a virtio-rng device (svm_config.rng)
 *   --nic-echo     a network card on this program's own network (svm_nic's
 *                  send and svm_nic_receive) that answers ARP requests for
 *                  any address and ICMP echo requests (ping)
 *   --memdisk KIB  a raw disk in this program's memory (svm_drive's callbacks),
 *                  byte i of sector s holding (s * 7 + i) & 0xff
 *   --memdisk-check SECTOR:BYTE  after svm_destroy, that sector must hold
 *                  BYTE throughout and the disk must have been flushed
 *   --status N    the power-off status expected (default 0)
 *   --max-wall S  fail if power-off comes later than S seconds after start
 *   --snapshot FILE  where the snapshot SENDs below save and load
 *   --bare-reopen  @reopen makes the new machine without firmware or kernel
 * SEND strings are typed followed by a newline; an empty one types nothing.
 * These SENDs act instead of typing (snapshots, API 6):
 *   @save    svm_snapshot_save; the guest goes on
 *   @load    svm_snapshot_load into the same machine (back in time)
 *   @reopen  @save, svm_destroy, svm_create with the same configuration,
 *            svm_snapshot_load: the guest goes on in the new machine */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "splitvm.h"

static char out[1 << 22];
static size_t out_len, match_from;
static const char *typing; /* what is left to type */
static const char *action;  /* a snapshot SEND the main loop carries out */

static int64_t con_write(void *opaque, int stream, const void *buf, size_t len)
{
    (void)opaque, (void)stream;
    fwrite(buf, 1, len, stdout);
    size_t n = len < sizeof(out) - 1 - out_len ? len : sizeof(out) - 1 - out_len;
    memcpy(out + out_len, buf, n);
    out_len += n;
    out[out_len] = 0;
    return (int64_t)len;
}

static int64_t con_read(void *opaque, void *buf, size_t len)
{
    (void)opaque;
    if (!typing || !*typing)
        return -11; /* -EAGAIN */
    size_t n = strlen(typing);
    if (n > len)
        n = len;
    memcpy(buf, typing, n);
    typing += n;
    return (int64_t)n;
}

/* The embedder's disk: plain memory. */
static uint8_t *memdisk;
static uint64_t memdisk_size;
static int memdisk_flushes;

static int mem_read(void *opaque, void *buf, size_t len, uint64_t off)
{
    (void)opaque;
    memset(buf, 0, len);
    if (off < memdisk_size)
        memcpy(buf, memdisk + off, len < memdisk_size - off ? len : memdisk_size - off);
    return 0;
}

static int mem_write(void *opaque, const void *buf, size_t len, uint64_t off)
{
    (void)opaque;
    if (off > memdisk_size || len > memdisk_size - off)
        return -28; /* -ENOSPC: the memory disk does not grow */
    memcpy(memdisk + off, buf, len);
    return 0;
}

static int mem_flush(void *opaque)
{
    (void)opaque;
    memdisk_flushes++;
    return 0;
}

static int mem_length(void *opaque, uint64_t *len)
{
    (void)opaque;
    *len = memdisk_size;
    return 0;
}

/* The embedder's network for --nic-echo: frames the guest sent are
 * answered after svm_run returns (svm_nic_receive is not called from
 * inside svm_run). */
static uint8_t echo_reply[8][1518];
static size_t echo_len[8];
static int echo_n, echo_sent, echo_taken;
static const uint8_t echo_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void nic_send(void *opaque, const void *frame, size_t len)
{
    (void)opaque;
    const uint8_t *f = frame;
    echo_sent++;
    if (echo_n == 8 || len < 42 || len > sizeof echo_reply[0])
        return;
    uint8_t *r = echo_reply[echo_n];
    if (f[12] == 0x08 && f[13] == 0x06 && f[20] == 0 && f[21] == 1) { /* ARP request */
        memcpy(r, f + 6, 6);
        memcpy(r + 6, echo_mac, 6);
        memcpy(r + 12, f + 12, 8);
        r[20] = 0, r[21] = 2;       /* reply (the buffer may hold an earlier frame) */
        memcpy(r + 22, echo_mac, 6); /* sender: us, with the address asked for */
        memcpy(r + 28, f + 38, 4);
        memcpy(r + 32, f + 22, 10); /* target: the asker */
        echo_len[echo_n++] = 42;
    } else if (f[12] == 0x08 && f[13] == 0x00 && f[23] == 1 && len >= 14 + 20 + 8 &&
               f[14 + ((f[14] & 15) * 4)] == 8) { /* ICMP echo request */
        size_t ihl = (size_t)(f[14] & 15) * 4;
        memcpy(r, f, len);
        memcpy(r, f + 6, 6);
        memcpy(r + 6, echo_mac, 6);
        memcpy(r + 26, f + 30, 4); /* swap the addresses */
        memcpy(r + 30, f + 26, 4);
        r[24] = r[25] = 0;
        uint16_t c = ip_checksum(r + 14, ihl);
        r[24] = (uint8_t)(c >> 8), r[25] = (uint8_t)c;
        uint8_t *icmp = r + 14 + ihl;
        icmp[0] = 0; /* echo reply */
        icmp[2] = icmp[3] = 0;
        size_t ilen = len - 14 - ihl;
        c = ip_checksum(icmp, ilen);
        icmp[2] = (uint8_t)(c >> 8), icmp[3] = (uint8_t)c;
        echo_len[echo_n++] = len;
    }
}

static void nic_deliver(svm_machine *m)
{
    for (int k = 0; k < echo_n; k++)
        echo_taken += svm_nic_receive(m, 0, echo_reply[k], echo_len[k]) == SVM_OK;
    echo_n = 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Past every expected text the output holds now, typing the line that
 * follows each; returns the index of the next text to wait for. */
static int advance(int argc, char **argv, int step)
{
    static char line[4096];
    while (step < argc && strstr(out + match_from, argv[step])) {
        match_from = (size_t)(strstr(out + match_from, argv[step]) - out) + strlen(argv[step]);
        if (step + 1 < argc && argv[step + 1][0] == '@') {
            action = argv[step + 1];
            return step + 2; /* the action first, then what follows */
        }
        if (step + 1 < argc && argv[step + 1][0]) { /* an empty SEND types nothing */
            snprintf(line, sizeof line, "%s\n", argv[step + 1]);
            typing = line;
        }
        step += 2;
    }
    return step;
}

/* A snapshot SEND (@save, @load, @reopen). 0, or -1 after saying why. */
static int snapshot_action(svm_machine **m, const svm_config *cfg, const char *a, const char *file, int bare)
{
    double t0 = now_s();
    if (!file) {
        fprintf(stderr, "\nFAIL: %s needs --snapshot FILE\n", a);
        return -1;
    }
    int r = SVM_OK;
    if (!strcmp(a, "@save") || !strcmp(a, "@reopen"))
        r = svm_snapshot_save(*m, file);
    if (r == SVM_OK && !strcmp(a, "@reopen")) {
        svm_destroy(*m);
        *m = NULL;
        svm_config c = *cfg;
        if (bare)
            c.firmware = c.kernel = c.initrd = c.cmdline = NULL;
        char err[512];
        if (svm_create(&c, m, err, sizeof err) != SVM_OK) {
            fprintf(stderr, "\nFAIL: svm_create for %s: %s\n", a, err);
            return -1;
        }
    }
    if (r == SVM_OK && (!strcmp(a, "@load") || !strcmp(a, "@reopen")))
        r = svm_snapshot_load(*m, file);
    else if (r == SVM_OK && strcmp(a, "@save")) {
        fprintf(stderr, "\nFAIL: unknown action %s\n", a);
        return -1;
    }
    if (r != SVM_OK) {
        fprintf(stderr, "\nFAIL: %s: %s\n", a, svm_error(*m));
        return -1;
    }
    fprintf(stderr, "\nconsole_expect: %s done in %.3f s\n", a, now_s() - t0);
    return 0;
}

int main(int argc, char **argv)
{
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = SVM_MODE_SYSTEM;
    cfg.board = SVM_BOARD_VIRT;
    cfg.firmware = "default";
    double timeout = 300, max_wall = 0;
    int want_status = 0, i = 1, check_sector = -1, check_byte = 0, bare_reopen = 0;
    const char *snapshot = NULL;
    static svm_drive drives[8];
    static svm_nic nics[4];
    static const char *rules[4];
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i += 2) {
        const char *o = argv[i], *a = i + 1 < argc ? argv[i + 1] : NULL;
        if (!a)
            return fprintf(stderr, "option %s needs an argument\n", o), 2;
        if (!strcmp(o, "--accel"))
            cfg.engine = !strcmp(a, "jit") ? SVM_ENGINE_JIT : SVM_ENGINE_INTERP;
        else if (!strcmp(o, "--warm"))
            cfg.jit_warm_runs = (unsigned)atoi(a);
        else if (!strcmp(o, "--smp"))
            cfg.harts = (unsigned)atoi(a);
        else if (!strcmp(o, "-m"))
            cfg.ram_size = (uint64_t)atoll(a) << 20;
        else if (!strcmp(o, "--bios"))
            cfg.firmware = !strcmp(a, "none") ? NULL : a;
        else if (!strcmp(o, "--kernel"))
            cfg.kernel = a;
        else if (!strcmp(o, "--initrd"))
            cfg.initrd = a;
        else if (!strcmp(o, "--append"))
            cfg.cmdline = a;
        else if ((!strcmp(o, "--drive") || !strcmp(o, "--drive-ro") || !strcmp(o, "--drive-snapshot")) &&
                 cfg.ndrives < 8)
            drives[cfg.ndrives++] =
                (svm_drive){.file = a, .read_only = !strcmp(o, "--drive-ro"), .snapshot = !strcmp(o, "--drive-snapshot")};
        else if (!strcmp(o, "--nic") && cfg.nnics < 4) {
            rules[cfg.nnics] = a;
            nics[cfg.nnics] = (svm_nic){.hostfwd = &rules[cfg.nnics], .nhostfwd = strcmp(a, "none") != 0};
            cfg.nnics++;
        } else if (!strcmp(o, "--rng")) {
            cfg.rng = 1;
            i--; /* takes no argument */
        } else if (!strcmp(o, "--nic-echo") && cfg.nnics < 4) {
            nics[cfg.nnics++] = (svm_nic){.send = nic_send};
            i--; /* takes no argument */
        } else if (!strcmp(o, "--memdisk") && cfg.ndrives < 8) {
            memdisk_size = (uint64_t)atoll(a) << 10;
            memdisk = malloc(memdisk_size);
            for (uint64_t k = 0; memdisk && k < memdisk_size; k++)
                memdisk[k] = (uint8_t)((k >> 9) * 7 + (k & 511));
            drives[cfg.ndrives++] = (svm_drive){.format = "raw", .read = mem_read, .write = mem_write,
                                                .flush = mem_flush, .length = mem_length};
        } else if (!strcmp(o, "--memdisk-check") && sscanf(a, "%d:%i", &check_sector, &check_byte) != 2)
            return fprintf(stderr, "--memdisk-check SECTOR:BYTE\n"), 2;
        else if (!strcmp(o, "--memdisk-check"))
            continue;
        else if (!strcmp(o, "--timeout"))
            timeout = atof(a);
        else if (!strcmp(o, "--max-wall"))
            max_wall = atof(a);
        else if (!strcmp(o, "--status"))
            want_status = atoi(a);
        else if (!strcmp(o, "--snapshot"))
            snapshot = a;
        else if (!strcmp(o, "--bare-reopen")) {
            bare_reopen = 1;
            i--; /* takes no argument */
        }
        else
            return fprintf(stderr, "unknown option %s\n", o), 2;
    }
    static const svm_proxy proxy = {.console_write = con_write, .console_read = con_read};
    cfg.proxy = &proxy;
    cfg.drives = drives;
    cfg.nics = nics;
    svm_machine *m;
    char err[512];
    if (svm_create(&cfg, &m, err, sizeof err) != SVM_OK) {
        fprintf(stderr, "FAIL: svm_create: %s\n", err);
        return 1;
    }
    double start = now_s();
    int step = i, rc = 1;
    for (;;) {
        step = advance(argc, argv, step);
        if (now_s() - start > timeout) {
            fprintf(stderr, "\nFAIL: timeout after %.0f s waiting for '%s'\n", timeout,
                    step < argc ? argv[step] : "power-off");
            break;
        }
        if (action) {
            const char *a = action;
            action = NULL;
            if (snapshot_action(&m, &cfg, a, snapshot, bare_reopen) != 0)
                break;
            continue;
        }
        svm_stop st;
        nic_deliver(m);
        if (svm_run(m, 2000000, &st) != SVM_OK) {
            fprintf(stderr, "\nFAIL: svm_run: %s\n", svm_error(m));
            break;
        }
        if (st.reason == SVM_STOP_WAITING) {
            long ns = st.wait_ns < 0 || st.wait_ns > 10000000 ? 10000000 : (long)st.wait_ns;
            struct timespec ts = {0, ns};
            nanosleep(&ts, NULL);
            continue;
        }
        if (st.reason == SVM_STOP_EXITED) {
            double wall = now_s() - start;
            step = advance(argc, argv, step); /* the last texts may have come with the power-off */
            if (step < argc)
                fprintf(stderr, "\nFAIL: powered off before '%s' appeared\n", argv[step]);
            else if (st.exit_status != want_status)
                fprintf(stderr, "\nFAIL: power-off status %d, expected %d\n", st.exit_status, want_status);
            else if (max_wall > 0 && wall > max_wall)
                fprintf(stderr, "\nFAIL: took %.1f s, more than %.1f\n", wall, max_wall);
            else
                rc = 0;
            fprintf(stderr, "\nconsole_expect: powered off after %.2f s, %llu instructions%s\n", wall,
                    (unsigned long long)svm_instret(m), rc ? "" : ": ok");
            break;
        }
        if (st.reason != SVM_STOP_BUDGET) {
            fprintf(stderr, "\nFAIL: stop reason %d at pc 0x%llx\n", (int)st.reason, (unsigned long long)st.pc);
            break;
        }
    }
    svm_destroy(m); /* NULL after a failed @reopen */
    if (check_sector >= 0 && memdisk && (uint64_t)check_sector < memdisk_size >> 9) {
        int same = 1;
        for (int k = 0; k < 512; k++)
            same &= memdisk[(uint64_t)check_sector * 512 + (uint64_t)k] == (uint8_t)check_byte;
        if (!same || !memdisk_flushes) {
            fprintf(stderr, "FAIL: memory disk sector %d %s 0x%02x throughout; %d flushes\n", check_sector,
                    same ? "holds" : "does not hold", check_byte, memdisk_flushes);
            rc = 1;
        }
    }
    free(memdisk);
    if (echo_sent)
        fprintf(stderr, "console_expect: the guest sent %d frames, took %d answers\n", echo_sent, echo_taken);
    return rc;
}
