/* Boards: the generic part (RAM, harts, time, the run loop, ELF loading)
 * and the spike board (a CLINT and HTIF through the kernel's tohost and
 * fromhost symbols). The virt board's devices and boot are in virt.c. */
#include "board.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../jit/jit.h"
#include "../loader/elf.h"
#include "board_impl.h"
#include "mmu.h"

#define RAM_DEFAULT ((uint64_t)128 << 20)
#define RAM_MAX ((uint64_t)64 << 30)
/* Default steps per board_run, and the most one hart runs before the board
 * polls its devices and timers (and the next hart gets its turn). */
#define BOARD_SLICE 100000
#define HART_QUANTUM 20000
#define NS_PER_TICK (1000000000u / CLINT_FREQ_HZ)

static board *board_of(rv_cpu *cpu)
{
    return cpu->env.opaque;
}

/* The RAM page index of a host address, or -1 outside RAM. */
static int64_t ram_page(const board *b, const void *host)
{
    uintptr_t h = (uintptr_t)host, base = (uintptr_t)b->bus.ram;
    if (h < base || h - base >= b->bus.ram_size)
        return -1;
    return (int64_t)((h - base) >> RV_PAGE_SHIFT);
}

static int env_translate(rv_cpu *cpu, uint64_t va, int access, rv_xlate *out)
{
    board *b = board_of(cpu);
    int r = mmu_translate(cpu, &b->bus, va, access, out);
    if (r || access != RV_ACC_W || !out->host_page)
        return r;
    int64_t pg = ram_page(b, out->host_page);
    if (pg >= 0 && b->code_harts[pg]) {
        /* A store to translated code: its harts must drop it at fence.i,
         * and the next store must come here again. */
        for (unsigned h = 0; h < b->nharts; h++)
            if (b->code_harts[pg] & (1u << h))
                b->harts[h]->code_written = true;
        out->cache_prot &= ~RV_ACC_W;
    }
    return 0;
}

static void env_code_page(rv_cpu *cpu, const void *host)
{
    board *b = board_of(cpu);
    int64_t pg = ram_page(b, host);
    uint8_t bit = (uint8_t)(1u << cpu->mhartid);
    if (pg < 0 || (b->code_harts[pg] & bit))
        return; /* ROM, or already known */
    if (!b->code_harts[pg]) {
        /* From now on stores to the page must reach env_translate. */
        const void *page = (const uint8_t *)b->bus.ram + ((uint64_t)pg << RV_PAGE_SHIFT);
        for (unsigned h = 0; h < b->nharts; h++)
            rv_tlb_drop_writes(b->harts[h], page);
    }
    b->code_harts[pg] |= bit;
}

static void env_code_flushed(rv_cpu *cpu)
{
    board *b = board_of(cpu);
    uint8_t keep = (uint8_t)~(1u << cpu->mhartid);
    for (uint64_t pg = 0; pg < b->bus.ram_size >> RV_PAGE_SHIFT; pg++)
        b->code_harts[pg] &= keep;
}

static int env_mmio_read(rv_cpu *cpu, uint64_t pa, int size, uint64_t *val)
{
    return bus_read(&board_of(cpu)->bus, pa, size, val) == 0 ? 0 : RV_EXC_LOAD_ACCESS;
}

static int env_mmio_write(rv_cpu *cpu, uint64_t pa, int size, uint64_t val)
{
    return bus_write(&board_of(cpu)->bus, pa, size, val) == 0 ? 0 : RV_EXC_STORE_ACCESS;
}

static uint64_t env_read_time(rv_cpu *cpu)
{
    board *b = board_of(cpu);
    uint64_t t = clint_mtime(&b->clint);
    /* Keep MTIP fresh for guests that poll the time. */
    uint64_t h = cpu->mhartid;
    if (h < b->clint.nharts && t >= b->clint.mtimecmp[h])
        cpu->mip |= (uint64_t)1 << RV_IRQ_MTI;
    return t;
}

uint64_t board_progress(const board *b)
{
    uint64_t n = 0;
    for (unsigned h = 0; h < b->nharts; h++)
        n += b->harts[h]->instret + b->harts[h]->traps;
    return n;
}

void board_console_write(board_console_fn console, void *opaque, host_ctx *host, const void *buf, size_t len)
{
    if (console) {
        if (len)
            console(opaque, buf, len);
        return;
    }
    const char *p = buf;
    while (len) {
        ssize_t n = host_write(host, STDOUT_FILENO, p, len);
        if (n <= 0)
            return;
        p += n;
        len -= (size_t)n;
    }
}

uint64_t board_instret(const board *b)
{
    uint64_t n = 0;
    for (unsigned h = 0; h < b->nharts; h++)
        n += b->harts[h]->instret;
    return n;
}

void board_jit_stats(const board *b, jit_stats *sum)
{
    *sum = (jit_stats){0};
    for (unsigned h = 0; h < b->nharts; h++) {
        const jit_stats *s = jit_get_stats(b->harts[h]);
        if (!s)
            continue;
        sum->blocks += s->blocks;
        sum->guest_insns += s->guest_insns;
        sum->interp_blocks += s->interp_blocks;
        sum->code_bytes += s->code_bytes;
        sum->translate_ns += s->translate_ns;
        sum->flushes += s->flushes;
        sum->code_limit += s->code_limit;
        sum->code_emitted += s->code_emitted;
        sum->hot_blocks += s->hot_blocks;
    }
}

/* Counted time: one tick per CLINT_INSNS_PER_TICK instructions retired by
 * all harts together (one hart: exactly its instret / 10, as before). */
static uint64_t counted_clock(void *opaque)
{
    return board_instret(opaque) / CLINT_INSNS_PER_TICK;
}

static uint64_t host_clock(void *opaque)
{
    return board_now_ns(opaque) / NS_PER_TICK;
}

uint64_t board_now_ns(const board *b)
{
    return host_monotonic_ns() - b->clock_base_ns;
}


static int setup_spike(board *b)
{
    b->htif_slot = -1;
    b->htif.cpu = b->harts[0];
    b->htif.bus = &b->bus;
    b->htif.host = b->host;
    b->htif.console = b->opts.console;
    b->htif.console_opaque = b->opts.console_opaque;
    return 0;
}

board *board_create(host_ctx *host, rv_cpu *cpu, const board_opts *opts, char *err, size_t errlen)
{
    unsigned nharts = opts->nharts ? opts->nharts : 1;
    if (nharts > BOARD_MAX_HARTS || (opts->kind == BOARD_SPIKE && nharts != 1)) {
        snprintf(err, errlen, "%u harts: the %s board supports 1 to %u", nharts,
                 opts->kind == BOARD_SPIKE ? "spike" : "virt", opts->kind == BOARD_SPIKE ? 1u : BOARD_MAX_HARTS);
        return NULL;
    }
    uint64_t ram = opts->ram_size ? opts->ram_size : RAM_DEFAULT;
    ram = (ram + RV_PAGE_SIZE - 1) & RV_PAGE_MASK;
    if (ram > RAM_MAX || ram < ((uint64_t)1 << 20)) {
        snprintf(err, errlen, "RAM size %llu KiB is out of range (1 MiB to %llu MiB)",
                 (unsigned long long)(ram >> 10), (unsigned long long)(RAM_MAX >> 20));
        return NULL;
    }
    board *b = host_alloc(host, sizeof(*b));
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    b->host = host;
    b->opts = *opts;
    b->nharts = nharts;
    b->clock_base_ns = host_monotonic_ns();
    if (bus_init(&b->bus, host, BOARD_RAM_BASE, ram) != 0) {
        snprintf(err, errlen, "cannot allocate %llu MiB of guest RAM", (unsigned long long)(ram >> 20));
        host_free(host, b);
        return NULL;
    }
    rv_env env = {
        .translate = env_translate,
        .mmio_read = env_mmio_read,
        .mmio_write = env_mmio_write,
        .trap_hook = NULL,
        .read_time = env_read_time,
        .code_page = env_code_page,
        .code_flushed = env_code_flushed,
        .opaque = b,
    };
    b->code_harts = host_alloc(host, (size_t)(ram >> RV_PAGE_SHIFT));
    if (!b->code_harts) {
        snprintf(err, errlen, "out of memory");
        board_destroy(b);
        return NULL;
    }
    for (unsigned h = 0; h < nharts; h++) {
        rv_cpu *c = h ? host_alloc(host, sizeof(*c)) : cpu;
        if (!c) {
            snprintf(err, errlen, "out of memory for hart %u", h);
            board_destroy(b);
            return NULL;
        }
        c->host = host;
        c->jit_no_fault_handler = cpu->jit_no_fault_handler;
        c->jit_baseline_isa = cpu->jit_baseline_isa;
        c->jit_code_size = cpu->jit_code_size;
        c->jit_warm_runs = cpu->jit_warm_runs;
        rv_cpu_init(c, &env, RV_PRIV_M);
        c->mhartid = h;
        c->pc = opts->kind == BOARD_VIRT ? VIRT_ROM_BASE : BOARD_RAM_BASE;
        b->harts[h] = c;
    }
    clint_init(&b->clint, b->harts, nharts, opts->counted_time ? counted_clock : host_clock, b);
    bus_device clint_dev = {"clint", CLINT_BASE, CLINT_SIZE, clint_read, clint_write, &b->clint};
    bus_add_device(&b->bus, &clint_dev);
    if ((opts->kind == BOARD_VIRT ? virt_setup(b, err, errlen) : setup_spike(b)) != 0) {
        board_destroy(b);
        return NULL;
    }
    return b;
}

void board_destroy(board *b)
{
    if (!b)
        return;
    for (unsigned h = 1; h < b->nharts; h++) {
        if (b->harts[h]) {
            rv_engine_destroy(b->harts[h]);
            host_free(b->host, b->harts[h]);
        }
    }
    if (b->opts.kind == BOARD_VIRT)
        virt_free(b);
    host_free(b->host, b->fdt);
    host_free(b->host, b->code_harts);
    host_release(b->host, b->bus.ram);
    host_free(b->host, b);
}

int board_read_image(board *b, const char *what, const char *path, uint8_t **data, size_t *size, char *err,
                     size_t errlen)
{
    int r = host_read_file(b->host, path, data, size);
    if (r < 0) {
        snprintf(err, errlen, "cannot read the %s '%s': %s", what, path, strerror(-r));
        return -1;
    }
    return 0;
}

/* ELF symbols are virtual addresses: map through the segment holding them. */
static int symbol_pa(const elf_image *img, const char *name, uint64_t *pa)
{
    uint64_t v;
    if (elf_symbol(img, name, &v) != 0)
        return -1;
    for (int i = 0; i < img->nsegs; i++) {
        const elf_seg *s = &img->segs[i];
        if (v >= s->vaddr && v - s->vaddr < s->memsz) {
            *pa = s->paddr + (v - s->vaddr);
            return 0;
        }
    }
    *pa = v;
    return 0;
}

static void setup_htif(board *b, const elf_image *img)
{
    uint64_t to, from;
    b->bus.overlay_page = BUS_NO_PAGE;
    if (b->htif_slot >= 0)
        b->bus.devs[b->htif_slot].size = 0; /* disabled until a tohost is found */
    if (symbol_pa(img, "tohost", &to) != 0 || (to & 7) || !bus_ram_ptr(&b->bus, to, 8))
        return;
    if (symbol_pa(img, "fromhost", &from) != 0 || (from & 7) || !bus_ram_ptr(&b->bus, from, 8))
        from = 0;
    b->htif.tohost = to;
    b->htif.fromhost = from;
    bus_device d = {"htif", to, 8, htif_read, htif_write, &b->htif};
    if (b->htif_slot >= 0)
        b->bus.devs[b->htif_slot] = d;
    else
        b->htif_slot = bus_add_device(&b->bus, &d);
    if (b->htif_slot >= 0)
        b->bus.overlay_page = to & RV_PAGE_MASK;
}

static int load_segments(board *b, const elf_image *img, char *err, size_t errlen)
{
    int loaded = 0;
    for (int i = 0; i < img->nsegs; i++) {
        const elf_seg *s = &img->segs[i];
        if (!s->memsz)
            continue;
        if (!bus_ram_ptr(&b->bus, s->paddr, s->memsz)) {
            snprintf(err, errlen, "segment at 0x%llx (%llu bytes) lies outside RAM 0x%llx-0x%llx",
                     (unsigned long long)s->paddr, (unsigned long long)s->memsz,
                     (unsigned long long)b->bus.ram_base,
                     (unsigned long long)(b->bus.ram_base + b->bus.ram_size - 1));
            return -1;
        }
        loaded++;
    }
    if (!loaded) {
        snprintf(err, errlen, "ELF has no loadable segments");
        return -1;
    }
    for (int i = 0; i < img->nsegs; i++) {
        const elf_seg *s = &img->segs[i];
        if (!s->memsz)
            continue;
        uint8_t *dst = bus_ram_ptr(&b->bus, s->paddr, s->memsz);
        memcpy(dst, img->data + s->offset, (size_t)s->filesz);
        memset(dst + s->filesz, 0, (size_t)(s->memsz - s->filesz));
    }
    return 0;
}

int board_load_elf(board *b, const uint8_t *data, size_t size, uint64_t *entry, uint64_t *end, char *err,
                   size_t errlen)
{
    elf_image img;
    if (elf_parse(data, size, &img, err, errlen) != 0 || load_segments(b, &img, err, errlen) != 0)
        return -1;
    /* The entry is a virtual address like the symbols: find it in the
     * segment that holds it (as QEMU does), and refuse one outside RAM
     * rather than let the hart spin on access faults. */
    uint64_t e = img.entry, hi = 0;
    for (int i = 0; i < img.nsegs; i++) {
        const elf_seg *s = &img.segs[i];
        if (s->memsz && s->paddr + s->memsz > hi)
            hi = s->paddr + s->memsz;
    }
    for (int i = 0; i < img.nsegs; i++) {
        const elf_seg *s = &img.segs[i];
        if (s->memsz && e >= s->vaddr && e - s->vaddr < s->memsz) {
            e = s->paddr + (e - s->vaddr);
            break;
        }
    }
    if (!bus_ram_ptr(&b->bus, e, 2)) {
        snprintf(err, errlen, "entry point 0x%llx lies outside RAM 0x%llx-0x%llx", (unsigned long long)e,
                 (unsigned long long)b->bus.ram_base, (unsigned long long)(b->bus.ram_base + b->bus.ram_size - 1));
        return -1;
    }
    if (b->opts.kind == BOARD_SPIKE)
        setup_htif(b, &img);
    *entry = e;
    if (end)
        *end = hi;
    return 0;
}

/* Every hart starts afresh at pc in M mode (code in RAM changed). */
void board_reset_harts(board *b, uint64_t pc)
{
    for (unsigned h = 0; h < b->nharts; h++) {
        rv_cpu *cpu = b->harts[h];
        cpu->pc = pc;
        cpu->priv = RV_PRIV_M;
        cpu->wfi = false;
        rv_tlb_flush(cpu);
        if (cpu->engine)
            rv_engine_flush(cpu);
    }
}

int board_load_kernel(board *b, const char *path, char *err, size_t errlen)
{
    uint8_t *data = NULL;
    size_t size = 0;
    if (board_read_image(b, "kernel", path, &data, &size, err, errlen) != 0)
        return -1;
    uint64_t entry;
    int r = board_load_elf(b, data, size, &entry, NULL, err, errlen);
    host_free(b->host, data);
    if (r != 0)
        return -1;
    board_reset_harts(b, entry);
    return 0;
}

const void *board_fdt(const board *b, size_t *size)
{
    *size = b->fdt_size;
    return b->fdt;
}

int board_read_phys(board *b, uint64_t pa, void *dst, size_t n)
{
    const uint8_t *p = bus_ram_ptr(&b->bus, pa, n);
    if (!p)
        return -1;
    memcpy(dst, p, n);
    return 0;
}

int board_write_phys(board *b, uint64_t pa, const void *src, size_t n)
{
    uint8_t *p = bus_ram_ptr(&b->bus, pa, n);
    if (!p)
        return -1;
    memcpy(p, src, n);
    for (unsigned h = 0; h < b->nharts; h++)
        if (b->harts[h]->engine)
            rv_engine_flush(b->harts[h]); /* the write may have replaced code */
    return 0;
}

/* Devices and timers catch up with the time that passed. */
static void board_poll(board *b)
{
    clint_update(&b->clint);
    if (b->opts.kind == BOARD_VIRT)
        virt_poll(b);
}

static bool hart_runnable(const rv_cpu *cpu)
{
    return !cpu->wfi || (cpu->mip & cpu->mie);
}

/* Counted time: instructions until the next timer compare value, so the
 * slice ends exactly when it fires (UINT64_MAX: none). */
static uint64_t insns_until_timer(board *b)
{
    uint64_t t = clint_next_deadline(&b->clint), now = clint_mtime(&b->clint);
    if (t == UINT64_MAX)
        return UINT64_MAX;
    if (t <= now)
        return 0;
    if (t - now > UINT64_MAX / CLINT_INSNS_PER_TICK)
        return UINT64_MAX;
    return (t - now) * CLINT_INSNS_PER_TICK - board_instret(b) % CLINT_INSNS_PER_TICK;
}

void board_set_debug(board *b, const rv_debug *debug, bool step, int skip_hart, bool flush, bool flush_tlb)
{
    for (unsigned k = 0; k < b->nharts; k++) {
        if (flush)
            rv_interp_flush(b->harts[k]);
        if (flush_tlb)
            rv_tlb_flush(b->harts[k]);
        b->harts[k]->watch_kind = 0;
        b->harts[k]->debug = debug;
        b->harts[k]->debug_skip = debug && (step || (int)k == skip_hart);
        b->harts[k]->debug_step = debug && step;
    }
}

const rv_cpu *board_stop_hart(const board *b, unsigned *index)
{
    *index = b->stop_hart;
    return b->harts[b->stop_hart];
}

rv_stop board_run(board *b, uint64_t max_steps, bool use_jit)
{
    if (!max_steps)
        max_steps = BOARD_SLICE;
    const uint64_t start = board_progress(b);
    for (;;) {
        /* A reset request restarts the board (it powers off if the images
         * cannot be loaded again). */
        if (b->power_kind == 1 + SIFIVE_TEST_RESET && b->opts.kind == BOARD_VIRT &&
            (b->boot.bios || b->boot.kernel) && virt_reboot(b) == 0)
            continue;
        if (b->power_kind)
            return RV_STOP_EXIT;
        uint64_t done = board_progress(b) - start;
        if (done >= max_steps)
            return RV_STOP_BUDGET;
        board_poll(b);
        rv_cpu *cpu = NULL;
        unsigned h = 0;
        for (unsigned k = 0; k < b->nharts && !cpu; k++) {
            h = (b->next_hart + k) % b->nharts;
            if (hart_runnable(b->harts[h]))
                cpu = b->harts[h];
        }
        if (!cpu) {
            if (!b->opts.counted_time)
                return RV_STOP_WAIT; /* the host sleeps until the next event */
            clint_skip_to_timer(&b->clint);
            for (unsigned k = 0; k < b->nharts; k++)
                if (hart_runnable(b->harts[k]))
                    cpu = b->harts[h = k];
            if (!cpu)
                return RV_STOP_WAIT; /* nothing can wake a hart */
        }
        uint64_t quantum = max_steps - done;
        if (quantum > HART_QUANTUM)
            quantum = HART_QUANTUM;
        if (b->opts.counted_time) {
            uint64_t until = insns_until_timer(b);
            if (until > 0 && until < quantum)
                quantum = until;
        }
        rv_stop s = use_jit ? rv_jit_run(cpu, quantum) : rv_interp_run(cpu, quantum);
        b->stop_hart = h;
        /* The next hart may write what this one reserved: an LR/SC pair
         * split across turns fails and the guest retries it. */
        if (b->nharts > 1) {
            cpu->resv_valid = false;
            b->next_hart = (h + 1) % b->nharts;
        }
        switch (s) {
        case RV_STOP_NONE:
        case RV_STOP_BUDGET:
        case RV_STOP_WAIT:
            continue;
        case RV_STOP_EXIT:
            if (b->power_kind)
                continue; /* power-off or reset: seen at the top */
            if (cpu != b->harts[0])
                b->harts[0]->exit_code = cpu->exit_code;
            return s;
        default:
            if (cpu != b->harts[0]) { /* the API reports from hart 0 */
                b->harts[0]->fault_cause = cpu->fault_cause;
                b->harts[0]->fault_tval = cpu->fault_tval;
            }
            return s;
        }
    }
}

void board_wait_hint(board *b, int64_t *wait_ns, int *fd, int *events)
{
    *wait_ns = -1;
    *fd = -1;
    *events = 0;
    uint64_t t = clint_next_deadline(&b->clint);
    if (t != UINT64_MAX) {
        uint64_t now = clint_mtime(&b->clint);
        *wait_ns = t <= now ? 0 : (t - now > (uint64_t)INT64_MAX / NS_PER_TICK ? INT64_MAX : (int64_t)((t - now) * NS_PER_TICK));
    }
    if (b->opts.kind == BOARD_VIRT) {
        uint64_t e = virt_next_event_ns(b);
        if (e != UINT64_MAX) {
            uint64_t now = board_now_ns(b);
            int64_t d = e <= now ? 0 : (int64_t)(e - now);
            if (*wait_ns < 0 || d < *wait_ns)
                *wait_ns = d;
        }
        if (!b->opts.console_read && !b->console_eof) {
            *fd = STDIN_FILENO;
            *events = 1; /* SVM_WAIT_READ */
        }
    }
}

uint64_t board_ram_size(const board *b) { return b->bus.ram_size; }
