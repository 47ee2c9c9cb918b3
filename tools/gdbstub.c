/* The GDB remote stub (see gdbstub.h): a TCP connection, the packets of
 * the remote serial protocol (gdb_packet.c frames them) and a run loop
 * that polls the connection for Ctrl-C between run slices. */
#include "gdbstub.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli_util.h"
#include "gdb_packet.h"

/* A closed connection must not raise SIGPIPE: Linux says so per send,
 * Darwin per socket (SO_NOSIGPIPE). */
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

/* Guest instructions between looks at the connection while the guest runs. */
#define RUN_SLICE 200000

/* Register numbers of the target description (gdb's regnums). */
#define REG_PC 32
#define REG_F0 33
#define REG_FFLAGS 66
#define REG_FRM 67
#define REG_FCSR 68

struct gdbstub {
    int listen_fd, fd;
    int noack;        /* QStartNoAckMode accepted */
    int eof;          /* gdb closed the connection */
    gdb_reader rd;
    unsigned char in[512];
    size_t in_pos, in_len;
    char last[2 * GDB_PACKET_MAX + 8]; /* the last packet sent, for a '-' */
    size_t last_len;
    char *xml;        /* the target description */
    size_t xml_len;
    int multiprocess; /* gdb takes "pPID.TID" thread ids (its qSupported offered them) */
    char thread[32];  /* the one thread's id, as gdb is told it */
    int pid;          /* the process gdb sees: splitvm's own, as qemu-user's */
    uint64_t bps[64]; /* breakpoints gdb set (cleared when it detaches) */
    unsigned nbps;
    struct {
        uint64_t addr, len;
        int kind; /* SVM_WATCH_* */
    } wps[16];       /* watchpoints gdb set (likewise) */
    unsigned nwps;
};

typedef enum action { ACT_NONE, ACT_CONTINUE, ACT_STEP, ACT_KILL, ACT_DETACH } action;

/* ---- the connection ---- */

static void send_raw(gdbstub *g, const char *p, size_t n)
{
    while (n && !g->eof) {
        ssize_t w = send(g->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            g->eof = 1;
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

static void send_packet_len(gdbstub *g, const char *body, size_t len)
{
    g->last_len = gdb_frame(body, len, g->last, sizeof(g->last));
    send_raw(g, g->last, g->last_len);
}

static void send_packet(gdbstub *g, const char *body)
{
    send_packet_len(g, body, strlen(body));
}

/* The next received byte; waits up to timeout_ms (-1: forever). -1 when
 * none came (or the connection ended: g->eof). */
static int next_byte(gdbstub *g, int timeout_ms)
{
    if (g->in_pos == g->in_len) {
        struct pollfd pf = {.fd = g->fd, .events = POLLIN};
        int r = poll(&pf, 1, timeout_ms);
        if (r < 0 && errno == EINTR)
            return -1;
        if (r <= 0)
            return -1;
        ssize_t n = recv(g->fd, g->in, sizeof(g->in), 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            return -1;
        if (n <= 0) {
            g->eof = 1;
            return -1;
        }
        g->in_pos = 0;
        g->in_len = (size_t)n;
    }
    return g->in[g->in_pos++];
}

/* Wait for the next packet (acknowledging it); 0 when the connection ended. */
static int read_packet(gdbstub *g)
{
    while (!g->eof) {
        int c = next_byte(g, -1);
        if (c < 0)
            continue;
        switch (gdb_reader_feed(&g->rd, (unsigned char)c)) {
        case GDB_EV_PACKET:
            if (!g->noack)
                send_raw(g, "+", 1);
            return 1;
        case GDB_EV_BAD:
            if (!g->noack)
                send_raw(g, "-", 1);
            break;
        case GDB_EV_NAK:
            send_raw(g, g->last, g->last_len);
            break;
        default: /* an interrupt while stopped, acks: nothing to do */
            break;
        }
    }
    return 0;
}

/* While the guest runs: whether gdb sent Ctrl-C (or went away). */
static int interrupted(gdbstub *g)
{
    for (int c; (c = next_byte(g, 0)) >= 0;)
        if (gdb_reader_feed(&g->rd, (unsigned char)c) == GDB_EV_INTERRUPT)
            return 1;
    return g->eof;
}

/* ---- the target description ---- */

static int build_xml(gdbstub *g)
{
    static const char *const x[32] = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0",
                                      "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
                                      "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
    static const char *const f[32] = {"ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7",
                                      "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
                                      "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
                                      "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};
    size_t cap = 8192, n = 0;
    char *s = malloc(cap);
    if (!s)
        return -1;
#define ADD(...) n += (size_t)snprintf(s + n, n < cap ? cap - n : 0, __VA_ARGS__)
    ADD("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n"
        "<architecture>riscv:rv64</architecture>\n<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
    for (int i = 0; i < 32; i++)
        ADD("<reg name=\"%s\" bitsize=\"64\" type=\"%s\" regnum=\"%d\"/>\n", x[i],
            i == 1 ? "code_ptr" : (i == 2 || i == 3 || i == 4 || i == 8) ? "data_ptr" : "int", i);
    ADD("<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"%d\"/>\n</feature>\n", REG_PC);
    ADD("<feature name=\"org.gnu.gdb.riscv.fpu\">\n<union id=\"riscv_double\">"
        "<field name=\"float\" type=\"ieee_single\"/><field name=\"double\" type=\"ieee_double\"/></union>\n");
    for (int i = 0; i < 32; i++)
        ADD("<reg name=\"%s\" bitsize=\"64\" type=\"riscv_double\" regnum=\"%d\"/>\n", f[i], REG_F0 + i);
    ADD("<reg name=\"fflags\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n"
        "<reg name=\"frm\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n"
        "<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n</feature>\n</target>\n",
        REG_FFLAGS, REG_FRM, REG_FCSR);
#undef ADD
    if (n >= cap) {
        free(s);
        return -1;
    }
    g->xml = s;
    g->xml_len = n;
    return 0;
}

/* ---- registers ---- */

/* gdb's register regno: its value and size in bytes (0: no such register). */
static size_t reg_get(svm_machine *m, unsigned long long regno, uint64_t *v)
{
    uint64_t fcsr = 0;
    if (regno < 32)
        return svm_get_reg(m, (int)regno, v) == SVM_OK ? 8 : 0;
    if (regno == REG_PC)
        return svm_get_reg(m, SVM_REG_PC, v) == SVM_OK ? 8 : 0;
    if (regno >= REG_F0 && regno < REG_F0 + 32)
        return svm_get_reg(m, SVM_REG_F0 + (int)(regno - REG_F0), v) == SVM_OK ? 8 : 0;
    if (regno < REG_FFLAGS || regno > REG_FCSR || svm_get_reg(m, SVM_REG_FCSR, &fcsr) != SVM_OK)
        return 0;
    *v = regno == REG_FFLAGS ? (fcsr & 0x1f) : regno == REG_FRM ? (fcsr >> 5) & 7 : fcsr & 0xff;
    return 4;
}

static int reg_set(svm_machine *m, unsigned long long regno, uint64_t v)
{
    uint64_t fcsr = 0;
    if (regno < 32)
        return svm_set_reg(m, (int)regno, v);
    if (regno == REG_PC)
        return svm_set_reg(m, SVM_REG_PC, v);
    if (regno >= REG_F0 && regno < REG_F0 + 32)
        return svm_set_reg(m, SVM_REG_F0 + (int)(regno - REG_F0), v);
    if (regno < REG_FFLAGS || regno > REG_FCSR || svm_get_reg(m, SVM_REG_FCSR, &fcsr) != SVM_OK)
        return SVM_ERR_INVALID;
    if (regno == REG_FFLAGS)
        fcsr = (fcsr & ~(uint64_t)0x1f) | (v & 0x1f);
    else if (regno == REG_FRM)
        fcsr = (fcsr & 0x1f) | (v & 7) << 5;
    else
        fcsr = v & 0xff;
    return svm_set_reg(m, SVM_REG_FCSR, fcsr);
}

static void le_bytes(uint64_t v, unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t from_le(const unsigned char *b, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

/* 'g': x0-x31, pc, f0-f31 (fflags, frm and fcsr come by 'p'). */
static void read_all_regs(gdbstub *g, svm_machine *m, char *out)
{
    size_t o = 0;
    for (unsigned r = 0; r < REG_F0 + 32; r++) {
        uint64_t v = 0;
        unsigned char b[8];
        reg_get(m, r, &v);
        le_bytes(v, b, 8);
        gdb_bytes_to_hex(b, 8, out + o);
        o += 16;
    }
    send_packet(g, out);
}

static void write_all_regs(gdbstub *g, svm_machine *m, const char *hex, size_t len)
{
    for (unsigned r = 0; r < REG_F0 + 32 && len >= 16 * (r + 1); r++) {
        unsigned char b[8];
        if (!gdb_hex_to_bytes(hex + 16 * r, b, 8)) {
            send_packet(g, "E01");
            return;
        }
        reg_set(m, r, from_le(b, 8));
    }
    send_packet(g, "OK");
}

/* ---- memory ---- */

/* "ADDR,LEN" then sep; 0 on a malformed request. */
static int parse_addr_len(const char **s, unsigned long long *addr, unsigned long long *len, char sep)
{
    if (!gdb_parse_hex(s, addr) || **s != ',')
        return 0;
    (*s)++;
    if (!gdb_parse_hex(s, len) || **s != sep)
        return 0;
    (*s)++;
    return 1;
}

static void read_memory(gdbstub *g, svm_machine *m, const char *args, char *out)
{
    unsigned long long addr, len;
    unsigned char buf[GDB_PACKET_MAX / 2 - 8];
    if (!gdb_parse_hex(&args, &addr) || *args++ != ',' || !gdb_parse_hex(&args, &len) || *args) {
        send_packet(g, "E01");
        return;
    }
    if (len > sizeof(buf))
        len = sizeof(buf); /* gdb asks for the rest next */
    size_t got = (size_t)len;
    if (svm_read_mem(m, addr, buf, got) != SVM_OK) {
        /* The readable start of it (a read that ends on an unmapped page). */
        for (got = 0; got < len && svm_read_mem(m, addr + got, buf + got, 1) == SVM_OK; got++)
            ;
    }
    if (!got && len) {
        send_packet(g, "E14");
        return;
    }
    gdb_bytes_to_hex(buf, got, out);
    send_packet(g, out);
}

/* 'M' (hex data) and 'X' (binary data, already unescaped). */
static void write_memory(gdbstub *g, svm_machine *m, const char *args, size_t args_len, int binary)
{
    const char *s = args;
    unsigned long long addr, len;
    unsigned char buf[GDB_PACKET_MAX];
    if (!parse_addr_len(&s, &addr, &len, ':') || len > sizeof(buf)) {
        send_packet(g, "E01");
        return;
    }
    size_t have = args_len - (size_t)(s - args);
    if (binary ? have != len : (have != 2 * len || !gdb_hex_to_bytes(s, buf, (size_t)len))) {
        send_packet(g, "E01");
        return;
    }
    if (binary)
        memcpy(buf, s, (size_t)len);
    send_packet(g, !len || svm_write_mem(m, addr, buf, (size_t)len) == SVM_OK ? "OK" : "E14");
}

/* ---- queries ---- */

static void xfer_features(gdbstub *g, const char *args, char *out)
{
    static const char prefix[] = "target.xml:";
    unsigned long long off, len;
    const char *s = args + sizeof(prefix) - 1;
    if (strncmp(args, prefix, sizeof(prefix) - 1)) {
        send_packet(g, "E00");
        return;
    }
    if (!gdb_parse_hex(&s, &off) || *s++ != ',' || !gdb_parse_hex(&s, &len) || *s) {
        send_packet(g, "E01");
        return;
    }
    if (off >= g->xml_len) {
        send_packet(g, "l");
        return;
    }
    size_t n = g->xml_len - (size_t)off;
    if (len > GDB_PACKET_MAX - 2)
        len = GDB_PACKET_MAX - 2;
    out[0] = n > len ? 'm' : 'l';
    if (n > len)
        n = (size_t)len;
    memcpy(out + 1, g->xml + off, n);
    send_packet_len(g, out, n + 1);
}

static const char *breakpoint_set(gdbstub *g, svm_machine *m, uint64_t addr)
{
    if (g->nbps == sizeof(g->bps) / sizeof(g->bps[0]) || svm_set_breakpoint(m, addr) != SVM_OK)
        return "E0e";
    g->bps[g->nbps++] = addr;
    return "OK";
}

static const char *breakpoint_clear(gdbstub *g, svm_machine *m, uint64_t addr)
{
    for (unsigned i = 0; i < g->nbps; i++)
        if (g->bps[i] == addr) {
            g->bps[i] = g->bps[--g->nbps];
            return svm_clear_breakpoint(m, addr) == SVM_OK ? "OK" : "E01";
        }
    return "E01";
}

/* Z2 / Z3 / Z4 (write, read, access watchpoints) as SVM_WATCH_* kinds. */
static int watch_kind(char z)
{
    return z == '2' ? SVM_WATCH_WRITE : z == '3' ? SVM_WATCH_READ : SVM_WATCH_ACCESS;
}

static const char *watchpoint_set(gdbstub *g, svm_machine *m, uint64_t addr, uint64_t len, int kind)
{
    if (g->nwps == sizeof(g->wps) / sizeof(g->wps[0]) || svm_set_watchpoint(m, addr, len, kind) != SVM_OK)
        return "E0e";
    g->wps[g->nwps].addr = addr;
    g->wps[g->nwps].len = len;
    g->wps[g->nwps++].kind = kind;
    return "OK";
}

static const char *watchpoint_clear(gdbstub *g, svm_machine *m, uint64_t addr, uint64_t len, int kind)
{
    for (unsigned i = 0; i < g->nwps; i++)
        if (g->wps[i].addr == addr && g->wps[i].len == len && g->wps[i].kind == kind) {
            g->wps[i] = g->wps[--g->nwps];
            return svm_clear_watchpoint(m, addr, len, kind) == SVM_OK ? "OK" : "E01";
        }
    return "E01";
}

/* A stop; a watchpoint's says which and the address it saw accessed. */
static void stop_reply_at(gdbstub *g, int sig, const svm_stop *st)
{
    char r[96];
    int n = snprintf(r, sizeof(r), "T%02x", sig);
    if (st && st->watch_kind) {
        const char *what = st->watch_kind == SVM_WATCH_WRITE ? "watch" : st->watch_kind == SVM_WATCH_READ ? "rwatch" : "awatch";
        n += snprintf(r + n, sizeof(r) - (size_t)n, "%s:%llx;", what, (unsigned long long)st->watch_addr);
    }
    snprintf(r + n, sizeof(r) - (size_t)n, "thread:%s;", g->thread);
    send_packet(g, r);
}

static void stop_reply(gdbstub *g, int sig) { stop_reply_at(g, sig, NULL); }

/* One packet. Returns what the machine should do next. */
static action handle(gdbstub *g, svm_machine *m, char *out)
{
    /* Queries with one answer: attached to a running process (so quitting
     * gdb detaches; "qAttached:PID" with multiprocess), and its one thread. */
    static const char *const fixed[][2] = {{"qAttached", "1"}, {"qsThreadInfo", "l"}};
    const char *p = g->rd.body;
    size_t len = g->rd.len;
    unsigned long long a, b;
    const char *s;
    switch (p[0]) {
    case '?':
        stop_reply(g, 5);
        return ACT_NONE;
    case 'g':
        read_all_regs(g, m, out);
        return ACT_NONE;
    case 'G':
        write_all_regs(g, m, p + 1, len - 1);
        return ACT_NONE;
    case 'p': {
        uint64_t v = 0;
        unsigned char bytes[8];
        size_t n;
        s = p + 1;
        if (!gdb_parse_hex(&s, &a) || *s || !(n = reg_get(m, a, &v))) {
            send_packet(g, "E45");
            return ACT_NONE;
        }
        le_bytes(v, bytes, n);
        gdb_bytes_to_hex(bytes, n, out);
        send_packet(g, out);
        return ACT_NONE;
    }
    case 'P': {
        unsigned char bytes[8];
        s = p + 1;
        size_t n;
        if (!gdb_parse_hex(&s, &a) || *s++ != '=' || (n = strlen(s)) == 0 || n > 16 || n % 2 ||
            !gdb_hex_to_bytes(s, bytes, n / 2) || reg_set(m, a, from_le(bytes, n / 2)) != SVM_OK) {
            send_packet(g, "E45");
            return ACT_NONE;
        }
        send_packet(g, "OK");
        return ACT_NONE;
    }
    case 'm':
        read_memory(g, m, p + 1, out);
        return ACT_NONE;
    case 'M':
        write_memory(g, m, p + 1, len - 1, 0);
        return ACT_NONE;
    case 'X':
        write_memory(g, m, p + 1, len - 1, 1);
        return ACT_NONE;
    case 'c':
    case 's':
        s = p + 1;
        if (*s && gdb_parse_hex(&s, &a))
            svm_set_reg(m, SVM_REG_PC, a); /* "c ADDR": resume there */
        return p[0] == 'c' ? ACT_CONTINUE : ACT_STEP;
    case 'C': /* with a signal: splitvm's stop was not a guest signal, so none is due */
        return ACT_CONTINUE;
    case 'S':
        return ACT_STEP;
    case 'Z':
    case 'z':
        /* Z0 / Z1,ADDR,KIND[;cond...]: both are the emulator's breakpoints;
         * Z2 / Z3 / Z4,ADDR,LENGTH: write, read and access watchpoints. */
        if (p[1] < '0' || p[1] > '4') {
            send_packet(g, "");
            return ACT_NONE;
        }
        s = p + 2;
        if (*s++ != ',' || !gdb_parse_hex(&s, &a) || *s++ != ',' || !gdb_parse_hex(&s, &b) || (*s && *s != ';')) {
            send_packet(g, "E01");
            return ACT_NONE;
        }
        if (p[1] >= '2')
            send_packet(g, p[0] == 'Z' ? watchpoint_set(g, m, a, b, watch_kind(p[1]))
                                       : watchpoint_clear(g, m, a, b, watch_kind(p[1])));
        else
            send_packet(g, p[0] == 'Z' ? breakpoint_set(g, m, a) : breakpoint_clear(g, m, a));
        return ACT_NONE;
    case 'H':
    case 'T':
        send_packet(g, "OK");
        return ACT_NONE;
    case 'k':
        return ACT_KILL;
    case 'D':
        send_packet(g, "OK");
        return ACT_DETACH;
    case 'v':
        if (!strcmp(p, "vCont?")) {
            send_packet(g, "vCont;c;C;s;S");
            return ACT_NONE;
        }
        if (!strncmp(p, "vCont;", 6))
            return p[6] == 's' || p[6] == 'S' ? ACT_STEP : ACT_CONTINUE; /* one thread: its first action */
        if (!strncmp(p, "vKill", 5)) {
            send_packet(g, "OK");
            return ACT_KILL;
        }
        break;
    case 'q':
        if (!strncmp(p, "qSupported", 10)) {
            g->multiprocess = strstr(p, "multiprocess+") != NULL;
            if (g->multiprocess)
                snprintf(g->thread, sizeof(g->thread), "p%x.1", g->pid);
            snprintf(out, 128, "PacketSize=%x;qXfer:features:read+;QStartNoAckMode+;vContSupported+%s",
                     GDB_PACKET_MAX, g->multiprocess ? ";multiprocess+" : "");
            send_packet(g, out);
            return ACT_NONE;
        }
        if (!strncmp(p, "qXfer:features:read:", 20)) {
            xfer_features(g, p + 20, out);
            return ACT_NONE;
        }
        if (!strcmp(p, "qC") || !strcmp(p, "qfThreadInfo")) {
            snprintf(out, 64, "%s%s", p[1] == 'C' ? "QC" : "m", g->thread);
            send_packet(g, out);
            return ACT_NONE;
        }
        for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
            if (!strncmp(p, fixed[i][0], strlen(fixed[i][0])) && (!p[strlen(fixed[i][0])] || p[strlen(fixed[i][0])] == ':')) {
                send_packet(g, fixed[i][1]);
                return ACT_NONE;
            }
        break;
    case 'Q':
        if (!strcmp(p, "QStartNoAckMode")) {
            send_packet(g, "OK");
            g->noack = 1;
            return ACT_NONE;
        }
        break;
    default:
        break;
    }
    send_packet(g, ""); /* not supported */
    return ACT_NONE;
}

/* ---- running ---- */

/* Sleep until the waiting guest may go on, or gdb sends something. */
static void wait_guest_or_gdb(gdbstub *g, const svm_stop *st)
{
    struct pollfd pf[2] = {{.fd = g->fd, .events = POLLIN}, {.fd = st->wait_fd, .events = 0}};
    if (st->wait_events & SVM_WAIT_READ)
        pf[1].events |= POLLIN;
    if (st->wait_events & SVM_WAIT_WRITE)
        pf[1].events |= POLLOUT;
    if (g->in_pos < g->in_len)
        return; /* bytes from gdb already wait */
    int64_t ms = st->wait_ns < 0 ? -1 : (st->wait_ns + 999999) / 1000000;
    if (ms > 1000)
        ms = 1000; /* look again now and then: a host-input wait has no fd */
    if (ms < 0)
        ms = 1000;
    poll(pf, st->wait_fd >= 0 ? 2 : 1, (int)ms);
}

typedef enum outcome { OUT_STOPPED, OUT_ENDED, OUT_FAILED } outcome;

/* Tell gdb how the guest ended. */
static void report_end(gdbstub *g, const svm_stop *st)
{
    char r[64];
    int n = snprintf(r, sizeof(r), st->signal ? "X%02x" : "W%02x", (st->signal ? st->signal : st->exit_status) & 0xff);
    if (g->multiprocess)
        snprintf(r + n, sizeof(r) - (size_t)n, ";process:%x", g->pid);
    send_packet(g, r);
}

/* Continue or step until a stop gdb must hear of; answers it. */
static outcome run(gdbstub *g, svm_machine *m, svm_stop *st, int step)
{
    for (;;) {
        int r = step ? svm_step(m, st) : svm_run(m, RUN_SLICE, st);
        if (r != SVM_OK) {
            send_packet(g, "X06"); /* an emulator error ends the guest: SIGABRT */
            return OUT_FAILED;
        }
        switch (st->reason) {
        case SVM_STOP_BREAKPOINT:
            stop_reply_at(g, 5, st);
            return OUT_STOPPED;
        case SVM_STOP_EXITED:
            report_end(g, st);
            return OUT_ENDED;
        case SVM_STOP_FAULT:
            stop_reply(g, 11); /* SIGSEGV: gdb shows where */
            return OUT_STOPPED;
        case SVM_STOP_ERROR:
            send_packet(g, "X06");
            return OUT_FAILED;
        case SVM_STOP_WAITING:
            wait_guest_or_gdb(g, st);
            break;
        default: /* budget, interrupted: go on */
            break;
        }
        if (interrupted(g)) {
            if (g->eof)
                return OUT_STOPPED; /* the caller sees the connection gone */
            stop_reply(g, 2); /* SIGINT */
            return OUT_STOPPED;
        }
    }
}

gdbstub_end gdbstub_serve(gdbstub *g, svm_machine *m, svm_stop *st)
{
    char *out = malloc(2 * GDB_PACKET_MAX + 8);
    gdbstub_end end = GDBSTUB_DETACHED;
    memset(st, 0, sizeof(*st));
    st->wait_fd = -1;
    if (!out)
        return GDBSTUB_FAILED;
    while (read_packet(g)) {
        action a = handle(g, m, out);
        if (a == ACT_KILL) {
            end = GDBSTUB_KILLED;
            break;
        }
        if (a == ACT_DETACH)
            break;
        if (a == ACT_CONTINUE || a == ACT_STEP) {
            outcome o = run(g, m, st, a == ACT_STEP);
            if (o == OUT_ENDED) {
                end = GDBSTUB_EXITED;
                break;
            }
            if (o == OUT_FAILED) {
                end = GDBSTUB_FAILED;
                break;
            }
        }
    }
    /* Detached or gone: no breakpoint may stop the guest any more. */
    while (g->nbps)
        svm_clear_breakpoint(m, g->bps[--g->nbps]);
    while (g->nwps) {
        g->nwps--;
        svm_clear_watchpoint(m, g->wps[g->nwps].addr, g->wps[g->nwps].len, g->wps[g->nwps].kind);
    }
    free(out);
    return end;
}

/* ---- setup ---- */

gdbstub *gdbstub_accept(int port, char *err, size_t errlen)
{
    gdbstub *g = calloc(1, sizeof(*g));
    if (g && build_xml(g)) {
        free(g);
        g = NULL;
    }
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    g->fd = -1;
    g->listen_fd = -1;
    g->pid = (int)getpid();
    snprintf(g->thread, sizeof(g->thread), "01");
    gdb_reader_init(&g->rd);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int one = 1;
    g->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (g->listen_fd < 0 || fcntl(g->listen_fd, F_SETFD, FD_CLOEXEC) ||
        setsockopt(g->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
        bind(g->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(g->listen_fd, 1)) {
        snprintf(err, errlen, "gdb port %d: %s", port, strerror(errno));
        gdbstub_close(g);
        return NULL;
    }
    do
        g->fd = accept(g->listen_fd, NULL, NULL);
    while (g->fd < 0 && errno == EINTR);
    if (g->fd < 0) {
        snprintf(err, errlen, "gdb port %d: %s", port, strerror(errno));
        gdbstub_close(g);
        return NULL;
    }
    close(g->listen_fd); /* one gdb: the port is free again */
    g->listen_fd = -1;
    fcntl(g->fd, F_SETFD, FD_CLOEXEC);
    setsockopt(g->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
#ifdef SO_NOSIGPIPE
    setsockopt(g->fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one));
#endif
    return g;
}

void gdbstub_close(gdbstub *g)
{
    if (!g)
        return;
    if (g->fd >= 0)
        close(g->fd);
    if (g->listen_fd >= 0)
        close(g->listen_fd);
    free(g->xml);
    free(g);
}

int gdbstub_parse_device(const char *dev)
{
    const char *port = dev;
    if (!strncmp(dev, "tcp:", 4)) {
        port = strrchr(dev + 4, ':');
        if (!port)
            return -1;
        port++;
    }
    char *end;
    long v = strtol(port, &end, 10);
    return *port && !*end && v > 0 && v < 65536 ? (int)v : -1;
}

int gdbstub_session(const char *tool, int port, svm_machine *m, svm_stop *st, int *status)
{
    char err[256];
    gdbstub *g = gdbstub_accept(port, err, sizeof(err));
    if (!g) {
        cli_error(tool, "%s", err);
        memset(st, 0, sizeof(*st));
        st->reason = SVM_STOP_ERROR;
        *status = 1;
        return 1;
    }
    gdbstub_end end = gdbstub_serve(g, m, st);
    gdbstub_close(g);
    switch (end) {
    case GDBSTUB_EXITED:
        *status = st->exit_status;
        return 1;
    case GDBSTUB_KILLED:
        *status = 0;
        break;
    case GDBSTUB_FAILED:
        if (st->reason == SVM_STOP_FAULT)
            cli_error(tool, "guest fault: cause %llu at pc 0x%llx", (unsigned long long)st->cause,
                      (unsigned long long)st->pc);
        else
            cli_error(tool, "%s", svm_error(m));
        *status = 1;
        break;
    default:
        return 0;
    }
    st->reason = SVM_STOP_ERROR; /* ended here: no signal for the tool to die of */
    st->signal = 0;
    return 1;
}
