/* The public API: a machine is a host_ctx (every resource), one hart, and
 * either a user-mode process or a system-mode board. */
#include "splitvm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h> /* getenv */
#include <string.h>
#include <unistd.h> /* STDERR_FILENO, R_OK */

#include "../cpu/cpu.h"
#include "../host/host.h"
#include "../jit/jit.h"
#include "../block/block.h"
#include "../machine/board.h"
#include "../user/uproc.h"
#include "../user/uthread.h"
#include "../user/uprocs.h"
#include "svm_internal.h"

int svm_api_version(void) { return SPLITVM_API_VERSION; }
const char *svm_version_string(void) { return SPLITVM_VERSION_STRING; }

int svm_fail(svm_machine *m, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->err, sizeof(m->err), fmt, ap);
    va_end(ap);
    return code;
}

const char *svm_error(const svm_machine *m) { return m ? m->err : "no machine"; }

void svm_config_init(svm_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->mode = SVM_MODE_USER;
    cfg->engine = SVM_ENGINE_DEFAULT;
    cfg->board = SVM_BOARD_SPIKE;
}

/* Route user-mode diagnostics (one line each) to the embedder's log sink. */
static void user_log(void *opaque, const char *line)
{
    svm_machine *m = opaque;
    if (m->cfg.log) {
        m->cfg.log(m->cfg.log_opaque, line, strlen(line));
    } else {
        char buf[1024];
        int n = snprintf(buf, sizeof(buf), "%s\n", line);
        if (n > 0)
            host_write(m->host, STDERR_FILENO, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
    }
}

/* The serial console through the proxy's console group. */
static void proxy_console_out(void *opaque, const char *buf, size_t len)
{
    svm_machine *m = opaque;
    m->cfg.proxy->console_write(m->cfg.proxy_opaque, 1, buf, len);
}

static int64_t proxy_console_in(void *opaque, void *buf, size_t len)
{
    svm_machine *m = opaque;
    return m->cfg.proxy->console_read(m->cfg.proxy_opaque, buf, len);
}

/* OpenSBI's generic fw_dynamic.bin: $SPLITVM_BIOS, else where Debian's
 * opensbi package (or the build's -DSPLITVM_DEFAULT_BIOS) puts it. */
#ifndef SPLITVM_DEFAULT_BIOS
#define SPLITVM_DEFAULT_BIOS "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
#endif
static const char *default_bios(svm_machine *m)
{
    const char *env = getenv("SPLITVM_BIOS");
    const char *path = env && env[0] ? env : SPLITVM_DEFAULT_BIOS;
    if (host_faccessat(m->host, AT_FDCWD, path, R_OK, 0) != 0) {
        svm_fail(m, SVM_ERR_IO,
             "no default firmware: %s is missing (install Debian's opensbi package, set SPLITVM_BIOS, or give a file)",
             path);
        return NULL;
    }
    return path;
}

static int create_board(svm_machine *m)
{
    const svm_config *cfg = &m->cfg;
    board_opts o = {0};
    o.kind = cfg->board == SVM_BOARD_VIRT ? BOARD_VIRT : BOARD_SPIKE;
    o.ram_size = cfg->ram_size;
    o.nharts = cfg->harts;
    o.counted_time = o.kind == BOARD_SPIKE || cfg->counted_time;
    o.console = cfg->console;
    o.console_opaque = cfg->console_opaque;
    if (cfg->proxy && cfg->proxy->console_write && !cfg->console) {
        o.console = proxy_console_out;
        o.console_opaque = m;
    }
    if (cfg->proxy && cfg->proxy->console_read) {
        o.console_read = proxy_console_in;
        o.console_read_opaque = m;
    }
    m->board = board_create(m->host, m->cpu, &o, m->err, sizeof(m->err));
    if (!m->board)
        return SVM_ERR_INVALID;
    if (cfg->ndrives && (o.kind != BOARD_VIRT || !cfg->drives || cfg->ndrives > BOARD_MAX_DRIVES))
        return svm_fail(m, SVM_ERR_INVALID, "disks need the virt board (at most %d)", BOARD_MAX_DRIVES);
    for (unsigned i = 0; i < cfg->ndrives; i++) {
        const svm_drive *sd = &cfg->drives[i];
        board_drive d = {sd->file, NULL, sd->format, sd->read_only, user_log, m, sd->snapshot};
        blk_io io = {sd->opaque, sd->read, sd->write, sd->flush, sd->length};
        if (sd->read || sd->write || sd->flush || sd->length) {
            if (!sd->read || !sd->flush || !sd->length || (!sd->write && !sd->read_only && !sd->snapshot))
                return svm_fail(m, SVM_ERR_INVALID, "disk %u: the embedder's storage needs read, flush, length (and write unless read-only)", i);
            d.io = &io;
        }
        char why[400] = "";
        int r = board_add_drive(m->board, &d, why, sizeof(why));
        if (r != 0)
            return svm_fail(m, r == -EIO ? SVM_ERR_IO : SVM_ERR_BAD_IMAGE, "%s", why);
    }
    if (cfg->nnics && (o.kind != BOARD_VIRT || !cfg->nics || cfg->nnics > BOARD_MAX_NICS))
        return svm_fail(m, SVM_ERR_INVALID, "network cards need the virt board (at most %d)", BOARD_MAX_NICS);
    for (unsigned i = 0; i < cfg->nnics; i++) {
        const svm_nic *sn = &cfg->nics[i];
        board_nic n = {sn->hostfwd, sn->nhostfwd, {0}, sn->send, sn->opaque};
        memcpy(n.mac, sn->mac, sizeof n.mac);
        char why[400] = "";
        int r = board_add_nic(m->board, &n, why, sizeof(why));
        if (r != 0)
            return svm_fail(m, r == -ENOTSUP ? SVM_ERR_UNSUPPORTED : SVM_ERR_INVALID, "%s", why);
    }
    if (cfg->rng) {
        int (*source)(void *, void *, size_t) = cfg->proxy && cfg->proxy->random ? cfg->proxy->random : NULL;
        char why[200] = "";
        if (board_add_rng(m->board, source, cfg->proxy_opaque, why, sizeof(why)) != 0)
            return svm_fail(m, SVM_ERR_INVALID, "%s", why);
    }
    if (o.kind == BOARD_SPIKE || (!cfg->firmware && !cfg->kernel)) {
        if (cfg->initrd || cfg->cmdline || cfg->dtb)
            return svm_fail(m, SVM_ERR_INVALID, "-initrd, -append and -dtb need the virt board and a kernel or firmware");
        return SVM_OK; /* svm_load_kernel follows */
    }
    board_boot bb = {cfg->firmware, cfg->kernel, cfg->initrd, cfg->cmdline, cfg->dtb};
    if (bb.bios && !strcmp(bb.bios, "default") && !(bb.bios = default_bios(m)))
        return SVM_ERR_IO;
    char why[400] = "";
    if (board_boot_virt(m->board, &bb, why, sizeof(why)) != 0)
        return svm_fail(m, SVM_ERR_BAD_IMAGE, "%s", why);
    m->loaded = 1;
    return SVM_OK;
}

int svm_nic_receive(svm_machine *m, unsigned nic, const void *frame, size_t len)
{
    if (!m || !m->board || !frame)
        return SVM_ERR_INVALID;
    int r = board_nic_receive(m->board, nic, frame, len);
    return r > 0 ? SVM_OK : r == 0 ? SVM_ERR_NOMEM : SVM_ERR_INVALID;
}

const void *svm_get_dtb(const svm_machine *m, size_t *size)
{
    size_t n = 0;
    const void *p = m && m->board ? board_fdt(m->board, &n) : NULL;
    if (size)
        *size = n;
    return p;
}

int svm_create(const svm_config *cfg, svm_machine **out, char *err, size_t errlen)
{
    *out = NULL;
    char local[512] = "";
    host_ctx *host = host_create();
    if (!host) {
        snprintf(err ? err : local, err ? errlen : sizeof(local), "out of memory");
        return SVM_ERR_NOMEM;
    }
    svm_machine *m = host_alloc(host, sizeof(*m));
    rv_cpu *cpu = m ? host_alloc(host, sizeof(*cpu)) : NULL;
    if (!cpu) {
        host_destroy(host);
        snprintf(err ? err : local, err ? errlen : sizeof(local), "out of memory");
        return SVM_ERR_NOMEM;
    }
    m->cfg = *cfg;
    m->host = host;
    m->cpu = cpu;
    cpu->host = host;
    cpu->jit_no_fault_handler = cfg->jit_no_fault_handler != 0;
    cpu->jit_code_size = cfg->jit_code_size > JIT_CODE_MAX ? JIT_CODE_MAX : (size_t)cfg->jit_code_size;
    unsigned warm = cfg->jit_warm_runs ? cfg->jit_warm_runs : cfg->mode == SVM_MODE_SYSTEM ? JIT_WARM_RUNS_SYSTEM : JIT_WARM_RUNS_USER;
    cpu->jit_warm_runs = (uint8_t)(warm > 255 ? 255 : warm);

    /* The JIT is the default where a W^X code buffer can be made. */
    m->use_jit = cfg->engine != SVM_ENGINE_INTERP && rv_jit_available(cpu);
    if (cfg->engine == SVM_ENGINE_JIT && !m->use_jit)
        user_log(m, "splitvm: no JIT here (no backend for this host, or no W^X code buffer); using the interpreter");

    int code = SVM_OK;
    if (cfg->mode == SVM_MODE_USER) {
        uproc_opts o = {0};
        if (cfg->sysroot) {
            m->sysroot = host_strdup(host, cfg->sysroot);
            o.sysroot = m->sysroot;
        }
        o.strace = cfg->strace;
        o.proxy = cfg->proxy;
        o.proxy_opaque = cfg->proxy_opaque;
        const uint64_t most = (uint64_t)1 << 48; /* more than any guest address space */
        o.mem_limit = cfg->mem_limit > most ? most : (cfg->mem_limit + RV_PAGE_SIZE - 1) & RV_PAGE_MASK;
        o.log = user_log;
        o.log_opaque = m;
        m->proc = uproc_create(host, cpu, &o);
        if (!m->proc)
            code = svm_fail(m, SVM_ERR_NOMEM, "cannot create the guest process (address space reservation failed)");
    } else if (cfg->mode == SVM_MODE_SYSTEM) {
        code = create_board(m);
    } else {
        code = svm_fail(m, SVM_ERR_INVALID, "unknown machine mode %d", (int)cfg->mode);
    }
    if (code != SVM_OK) {
        if (err)
            snprintf(err, errlen, "%s", m->err);
        svm_destroy(m);
        return code;
    }
    *out = m;
    return SVM_OK;
}

void svm_destroy(svm_machine *m)
{
    if (!m)
        return;
    host_ctx *host = m->host;
    if (m->proc)
        uproc_destroy(m->proc);
    if (m->board)
        board_destroy(m->board);
    rv_engine_destroy(m->cpu);
    /* Whatever the parts above missed, the host layer still releases. */
    host_destroy(host);
}

int svm_load_program(svm_machine *m, const char *path, int argc, char *const argv[], char *const envp[])
{
    if (!m || !path || !argv || argc < 1)
        return m ? svm_fail(m, SVM_ERR_INVALID, "svm_load_program: bad arguments") : SVM_ERR_INVALID;
    if (!m->proc)
        return svm_fail(m, SVM_ERR_INVALID, "svm_load_program needs a user-mode machine");
    if (m->loaded)
        return svm_fail(m, SVM_ERR_INVALID, "a program is already loaded");
    char *const empty[] = {NULL};
    char why[400] = "";
    if (uproc_load(m->proc, path, argc, argv, envp ? envp : empty, why, sizeof(why)) != 0) {
        int r = host_faccessat(m->host, AT_FDCWD, path, R_OK, 0) == 0 ? SVM_ERR_BAD_IMAGE : SVM_ERR_IO;
        return svm_fail(m, r, "%s: %s", path, why);
    }
    m->loaded = 1;
    return SVM_OK;
}

int svm_load_kernel(svm_machine *m, const char *path)
{
    if (!m || !path)
        return m ? svm_fail(m, SVM_ERR_INVALID, "svm_load_kernel: bad arguments") : SVM_ERR_INVALID;
    if (!m->board)
        return svm_fail(m, SVM_ERR_INVALID, "svm_load_kernel needs a system-mode machine");
    char why[400] = "";
    if (board_load_kernel(m->board, path, why, sizeof(why)) != 0)
        return svm_fail(m, SVM_ERR_BAD_IMAGE, "%s: %s", path, why);
    m->loaded = 1;
    return SVM_OK;
}

/* Instructions retired plus trap entries, over every hart. */
static uint64_t progress(const svm_machine *m)
{
    return m->board ? board_progress(m->board) : m->cpu->instret + m->cpu->traps;
}

static void fill_stop(svm_machine *m, svm_stop *st, svm_stop_reason reason)
{
    memset(st, 0, sizeof(*st));
    st->reason = reason;
    st->pc = m->cpu->pc;
    st->wait_ns = -1;
    st->wait_fd = -1;
    if (reason == SVM_STOP_WAITING && m->proc)
        uprocs_wait_hint(m->proc, &st->wait_ns, &st->wait_fd, &st->wait_events);
    if (reason == SVM_STOP_WAITING && m->board)
        board_wait_hint(m->board, &st->wait_ns, &st->wait_fd, &st->wait_events);
    if (reason == SVM_STOP_EXITED) {
        st->exit_status = m->cpu->exit_code;
        st->signal = m->proc ? m->proc->term_signal : 0;
        if (st->signal) {
            st->pc = m->proc->term_pc;
            st->tval = m->proc->term_addr;
        }
    } else if (reason == SVM_STOP_FAULT) {
        st->cause = m->cpu->fault_cause;
        st->tval = m->cpu->fault_tval;
    }
    if (reason == SVM_STOP_BREAKPOINT) {
        unsigned h = 0;
        const rv_cpu *c = m->board ? board_stop_hart(m->board, &h) : m->cpu;
        st->pc = c->pc;
        st->hart = h;
        if (c->watch_kind) {
            st->watch_kind = (c->watch_kind & RV_ACC_R ? SVM_WATCH_READ : 0) | (c->watch_kind & RV_ACC_W ? SVM_WATCH_WRITE : 0);
            st->watch_addr = c->watch_addr;
        }
    }
}

static int same_breakpoints(const rv_debug *a, const rv_debug *b)
{
    if (a->n != b->n)
        return 0;
    for (unsigned i = 0; i < a->n; i++)
        if (!rv_debug_has(b, a->addr[i]))
            return 0;
    return 1;
}

/* While a debugger has breakpoints set or steps, the interpreter runs and
 * checks them (rv_cpu.debug). A step's instruction is not checked, nor the
 * first one of a run that resumes where the last one stopped at a
 * breakpoint (or ended a step). Returns whether that is the case. */
static int debug_begin(svm_machine *m)
{
    int on = m->debug.n > 0 || m->debug.nwatch > 0 || m->stepping;
    /* Pages the new watchpoints touch may sit in the TLBs: empty them. */
    int flush_tlb = m->watch_changed;
    m->watch_changed = 0;
    int resume = m->resume_valid;
    m->resume_valid = 0;
    /* Blocks end before breakpoints: new ones need blocks cut anew (gdb
     * takes its breakpoints out at every stop and puts them back). A step
     * makes no blocks, so one with none set leaves them alone. */
    int flush = m->debug.n > 0 && !same_breakpoints(&m->debug, &m->built);
    if (flush)
        m->built = m->debug;
    if (!on)
        m->built.n = 0; /* blocks made now are not cut at all */
    if (m->board) {
        const rv_cpu *h = NULL;
        unsigned idx = 0;
        if (resume)
            h = board_stop_hart(m->board, &idx);
        int skip_hart = resume && idx == m->resume_hart && h->pc == m->resume_pc ? (int)idx : -1;
        board_set_debug(m->board, on ? &m->debug : NULL, m->stepping, skip_hart, flush, flush_tlb);
    } else {
        if (flush)
            rv_interp_flush(m->cpu);
        if (flush_tlb)
            rv_tlb_flush(m->cpu);
        m->cpu->watch_kind = 0;
        m->cpu->debug = on ? &m->debug : NULL;
        m->cpu->debug_skip = on && (m->stepping || (resume && m->cpu->pc == m->resume_pc));
        m->cpu->debug_step = m->stepping;
    }
    return on;
}

static void note_break(svm_machine *m, const svm_stop *st)
{
    m->resume_valid = 1;
    m->resume_pc = st->pc;
    m->resume_hart = st->hart;
}

int svm_run(svm_machine *m, uint64_t max_insns, svm_stop *stop)
{
    svm_stop dummy;
    if (!stop)
        stop = &dummy;
    if (!m)
        return SVM_ERR_INVALID;
    if (!m->loaded) {
        fill_stop(m, stop, SVM_STOP_ERROR);
        return svm_fail(m, SVM_ERR_INVALID, "nothing loaded to run");
    }
    if (m->ruined) {
        fill_stop(m, stop, SVM_STOP_ERROR);
        return svm_fail(m, SVM_ERR_INVALID, "a snapshot load failed part way: load one that is whole, or destroy the machine");
    }
    if (m->finished) {
        *stop = m->last_stop;
        return SVM_OK;
    }
    rv_cpu *cpu = m->cpu;
    /* Progress is instructions retired plus trap entries (see cpu->traps). */
    uint64_t start = progress(m);
    const int debugging = debug_begin(m);
    const int use_jit = m->use_jit && !debugging;
    for (;;) {
        uint64_t slice = 0;
        if (atomic_exchange(&cpu->exit_request, 0)) {
            fill_stop(m, stop, SVM_STOP_INTERRUPTED);
            return SVM_OK;
        }
        if (max_insns) {
            uint64_t done = progress(m) - start;
            if (done >= max_insns) {
                fill_stop(m, stop, SVM_STOP_BUDGET);
                return SVM_OK;
            }
            slice = max_insns - done;
        }
        if (m->board && (slice == 0 || slice > SYSTEM_SLICE))
            slice = SYSTEM_SLICE;
        /* User mode: the guest's processes and their threads, scheduled as
         * coroutines (uprocs.c, uthread.c); system mode: the board's harts,
         * round-robin. */
        rv_stop s = m->proc ? uprocs_run(m->proc, slice, use_jit) : board_run(m->board, slice, use_jit);
        switch (s) {
        case RV_STOP_NONE:
        case RV_STOP_BUDGET:
            continue;
        case RV_STOP_WAIT:
            fill_stop(m, stop, SVM_STOP_WAITING);
            return SVM_OK;
        case RV_STOP_EXIT:
            fill_stop(m, stop, SVM_STOP_EXITED);
            m->finished = 1;
            m->last_stop = *stop;
            return SVM_OK;
        case RV_STOP_INTERRUPT:
            continue; /* reported at the top, which clears the request */
        case RV_STOP_BREAK:
            fill_stop(m, stop, SVM_STOP_BREAKPOINT);
            note_break(m, stop);
            return SVM_OK;
        case RV_STOP_FAULT:
            fill_stop(m, stop, SVM_STOP_FAULT);
            return SVM_OK;
        case RV_STOP_ERROR:
            fill_stop(m, stop, SVM_STOP_ERROR);
            if (m->proc && uprocs_error(m->proc)[0])
                svm_fail(m, SVM_ERR_INVALID, "%s", uprocs_error(m->proc));
            else if (!m->err[0])
                svm_fail(m, SVM_ERR_INVALID, "emulator error at pc 0x%llx", (unsigned long long)cpu->pc);
            return SVM_ERR_INVALID;
        }
    }
}

int svm_signal(svm_machine *m, int sig)
{
    if (!m || !m->proc)
        return SVM_ERR_INVALID;
    int r = uprocs_send_host(m->proc, sig);
    return r < 0 ? SVM_ERR_INVALID : r; /* 1: the embedder stops (no job control in here) */
}

void svm_interrupt(svm_machine *m)
{
    if (!m)
        return;
    atomic_store(&m->cpu->exit_request, 1);
    /* Generated code looks at jit_check_at on every block entry: zero sends
     * it back to the run loop, which sees the request. */
    __atomic_store_n(&m->cpu->jit_check_at, 0, __ATOMIC_RELAXED);
}

int svm_step(svm_machine *m, svm_stop *stop)
{
    svm_stop dummy;
    if (!stop)
        stop = &dummy;
    if (!m)
        return SVM_ERR_INVALID;
    m->stepping = 1;
    int r = svm_run(m, 1, stop);
    m->stepping = 0;
    if (r == SVM_OK && stop->reason == SVM_STOP_BUDGET) {
        fill_stop(m, stop, SVM_STOP_BREAKPOINT); /* the step's end, on the hart that ran it */
        note_break(m, stop);
    }
    return r;
}

int svm_set_breakpoint(svm_machine *m, uint64_t addr)
{
    if (!m)
        return SVM_ERR_INVALID;
    if (rv_debug_has(&m->debug, addr))
        return SVM_OK;
    if (m->debug.n >= RV_DEBUG_MAX_BREAKPOINTS)
        return svm_fail(m, SVM_ERR_NOMEM, "no room for another breakpoint (%d set)", RV_DEBUG_MAX_BREAKPOINTS);
    m->debug.addr[m->debug.n++] = addr;
    return SVM_OK;
}

int svm_clear_breakpoint(svm_machine *m, uint64_t addr)
{
    if (!m)
        return SVM_ERR_INVALID;
    for (unsigned i = 0; i < m->debug.n; i++)
        if (m->debug.addr[i] == addr) {
            m->debug.addr[i] = m->debug.addr[--m->debug.n];
            return SVM_OK;
        }
    return svm_fail(m, SVM_ERR_INVALID, "no breakpoint at 0x%llx", (unsigned long long)addr);
}

static int watch_kind_acc(int kind)
{
    return (kind & SVM_WATCH_READ ? RV_ACC_R : 0) | (kind & SVM_WATCH_WRITE ? RV_ACC_W : 0);
}

/* The watchpoint in the table equal to w (field by field: the struct has
 * padding), or -1. */
static int find_watch(const rv_debug *d, const rv_watch *w)
{
    for (unsigned i = 0; i < d->nwatch; i++)
        if (d->watch[i].addr == w->addr && d->watch[i].len == w->len && d->watch[i].kind == w->kind)
            return (int)i;
    return -1;
}

int svm_set_watchpoint(svm_machine *m, uint64_t addr, uint64_t len, int kind)
{
    if (!m)
        return SVM_ERR_INVALID;
    if (kind < SVM_WATCH_WRITE || kind > SVM_WATCH_ACCESS || len == 0 || len > ((uint64_t)1 << 32) ||
        addr + len < addr)
        return svm_fail(m, SVM_ERR_INVALID, "bad watchpoint (kind %d, %llu bytes at 0x%llx)", kind,
                        (unsigned long long)len, (unsigned long long)addr);
    rv_watch w = {addr, len, watch_kind_acc(kind)};
    if (find_watch(&m->debug, &w) >= 0)
        return SVM_OK;
    if (m->debug.nwatch >= RV_DEBUG_MAX_WATCHPOINTS)
        return svm_fail(m, SVM_ERR_NOMEM, "no room for another watchpoint (%d set)", RV_DEBUG_MAX_WATCHPOINTS);
    m->debug.watch[m->debug.nwatch++] = w;
    m->watch_changed = 1;
    return SVM_OK;
}

int svm_clear_watchpoint(svm_machine *m, uint64_t addr, uint64_t len, int kind)
{
    if (!m)
        return SVM_ERR_INVALID;
    rv_watch w = {addr, len, watch_kind_acc(kind)};
    int i = find_watch(&m->debug, &w);
    if (i >= 0) {
        m->debug.watch[i] = m->debug.watch[--m->debug.nwatch];
        return SVM_OK;
    }
    return svm_fail(m, SVM_ERR_INVALID, "no such watchpoint at 0x%llx", (unsigned long long)addr);
}

int svm_get_reg(const svm_machine *m, int reg, uint64_t *value)
{
    if (!m || !value)
        return SVM_ERR_INVALID;
    if (reg >= 0 && reg < 32)
        *value = m->cpu->x[reg];
    else if (reg >= SVM_REG_F0 && reg < SVM_REG_F0 + 32)
        *value = m->cpu->f[reg - SVM_REG_F0];
    else if (reg == SVM_REG_PC)
        *value = m->cpu->pc;
    else if (reg == SVM_REG_FCSR)
        *value = m->cpu->fflags | (uint64_t)m->cpu->frm << 5;
    else
        return SVM_ERR_INVALID;
    return SVM_OK;
}

int svm_set_reg(svm_machine *m, int reg, uint64_t value)
{
    if (!m)
        return SVM_ERR_INVALID;
    if (reg > 0 && reg < 32)
        m->cpu->x[reg] = value;
    else if (reg == 0)
        return SVM_OK; /* x0 stays zero */
    else if (reg >= SVM_REG_F0 && reg < SVM_REG_F0 + 32)
        m->cpu->f[reg - SVM_REG_F0] = value;
    else if (reg == SVM_REG_PC)
        m->cpu->pc = value;
    else if (reg == SVM_REG_FCSR) {
        m->cpu->fflags = (uint32_t)value & 0x1f;
        m->cpu->frm = (uint32_t)(value >> 5) & 7;
    } else
        return svm_fail(m, SVM_ERR_INVALID, "no register %d", reg);
    return SVM_OK;
}

int svm_read_mem(svm_machine *m, uint64_t addr, void *buf, size_t len)
{
    if (!m || (!buf && len))
        return SVM_ERR_INVALID;
    int r = m->proc ? umem_read(m->proc, addr, buf, len) : board_read_phys(m->board, addr, buf, len);
    return r ? svm_fail(m, SVM_ERR_INVALID, "guest address 0x%llx (+%zu) is not readable", (unsigned long long)addr, len)
             : SVM_OK;
}

int svm_write_mem(svm_machine *m, uint64_t addr, const void *buf, size_t len)
{
    if (!m || (!buf && len))
        return SVM_ERR_INVALID;
    int r = m->proc ? umem_write(m->proc, addr, buf, len) : board_write_phys(m->board, addr, buf, len);
    if (r)
        return svm_fail(m, SVM_ERR_INVALID, "guest address 0x%llx (+%zu) is not writable", (unsigned long long)addr, len);
    rv_engine_flush(m->cpu); /* the write may have replaced code */
    return SVM_OK;
}

/* Retired instructions of every hart (system mode) or guest thread. */
static uint64_t total_instret(const svm_machine *m)
{
    return m->board ? board_instret(m->board) : m->cpu->instret;
}

uint64_t svm_instret(const svm_machine *m) { return m ? total_instret(m) : 0; }

int svm_get_stats(const svm_machine *m, svm_stats *out)
{
    if (!m || !out)
        return SVM_ERR_INVALID;
    memset(out, 0, sizeof(*out));
    out->instret = total_instret(m);
    out->jit = m->use_jit;
    jit_stats harts;
    const jit_stats *js = jit_get_stats(m->cpu);
    if (m->board) {
        board_jit_stats(m->board, &harts);
        js = &harts;
    }
    if (js) {
        out->jit_blocks = js->blocks;
        out->jit_guest_insns = js->guest_insns;
        out->jit_interp_blocks = js->interp_blocks;
        out->jit_code_bytes = js->code_bytes;
        out->jit_translate_ns = js->translate_ns;
        out->jit_flushes = js->flushes;
        out->jit_code_limit = js->code_limit;
        out->jit_code_emitted = js->code_emitted;
        out->jit_hot_blocks = js->hot_blocks;
    }
    if (m->proc) {
        out->guest_mem_committed = umem_committed(m->proc);
        out->guest_mem_limit = umem_limit(m->proc);
    } else if (m->board) {
        out->guest_mem_committed = out->guest_mem_limit = board_ram_size(m->board);
    }
    out->host_mem_bytes = host_mem_bytes(m->host) + (m->proc ? out->guest_mem_committed : 0);
    return SVM_OK;
}
