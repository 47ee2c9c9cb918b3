/* System-mode boards. `spike`: RAM at 0x80000000, a CLINT, and HTIF
 * through the kernel's tohost/fromhost symbols. `virt` is not built yet. */
#include "board.h"

#include <stdio.h>
#include <string.h>

#include "../loader/elf.h"
#include "bus.h"
#include "clint.h"
#include "htif.h"
#include "mmu.h"

#define RAM_BASE 0x80000000u
#define RAM_DEFAULT ((uint64_t)128 << 20)
#define RAM_MAX ((uint64_t)64 << 30)

struct board {
    host_ctx *host;
    rv_cpu *cpu;
    board_opts opts;
    bus bus;
    clint clint;
    htif htif;
    int htif_slot; /* bus slot of the tohost overlay, -1 until a kernel has one */
};

static board *board_of(rv_cpu *cpu)
{
    return cpu->env.opaque;
}

static int env_translate(rv_cpu *cpu, uint64_t va, int access, rv_xlate *out)
{
    return mmu_translate(cpu, &board_of(cpu)->bus, va, access, out);
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
    clint *c = &board_of(cpu)->clint;
    uint64_t t = clint_mtime(c);
    /* Keep MTIP fresh for guests that poll the time. */
    if (t >= c->mtimecmp)
        cpu->mip |= (uint64_t)1 << RV_IRQ_MTI;
    return t;
}

board *board_create(host_ctx *host, rv_cpu *cpu, const board_opts *opts, char *err, size_t errlen)
{
    if (opts->kind != BOARD_SPIKE) {
        snprintf(err, errlen, "machine 'virt' is not supported yet (use -M spike)");
        return NULL;
    }
    uint64_t ram = opts->ram_size ? opts->ram_size : RAM_DEFAULT;
    ram = (ram + RV_PAGE_SIZE - 1) & RV_PAGE_MASK;
    if (ram > RAM_MAX) {
        snprintf(err, errlen, "RAM size %llu MiB is too large (at most %llu MiB)",
                 (unsigned long long)(ram >> 20), (unsigned long long)(RAM_MAX >> 20));
        return NULL;
    }
    board *b = host_alloc(host, sizeof(*b));
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    b->host = host;
    b->cpu = cpu;
    b->opts = *opts;
    b->htif_slot = -1;
    if (bus_init(&b->bus, host, RAM_BASE, ram) != 0) {
        snprintf(err, errlen, "cannot allocate %llu MiB of guest RAM", (unsigned long long)(ram >> 20));
        host_free(host, b);
        return NULL;
    }
    bus_device clint_dev = {"clint", CLINT_BASE, CLINT_SIZE, clint_read, clint_write, &b->clint};
    bus_add_device(&b->bus, &clint_dev);

    rv_env env = {
        .translate = env_translate,
        .mmio_read = env_mmio_read,
        .mmio_write = env_mmio_write,
        .trap_hook = NULL,
        .read_time = env_read_time,
        .opaque = b,
    };
    cpu->host = host;
    rv_cpu_init(cpu, &env, RV_PRIV_M);
    cpu->pc = RAM_BASE;
    clint_init(&b->clint, cpu);

    b->htif.cpu = cpu;
    b->htif.bus = &b->bus;
    b->htif.host = host;
    b->htif.console = opts->console;
    b->htif.console_opaque = opts->console_opaque;
    return b;
}

void board_destroy(board *b)
{
    if (!b)
        return;
    host_release(b->host, b->bus.ram);
    host_free(b->host, b);
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

int board_load_kernel(board *b, const char *path, char *err, size_t errlen)
{
    uint8_t *data = NULL;
    size_t size = 0;
    int r = host_read_file(b->host, path, &data, &size);
    if (r < 0) {
        snprintf(err, errlen, "cannot read the kernel: %s", strerror(-r));
        return -1;
    }
    elf_image img;
    if (elf_parse(data, size, &img, err, errlen) != 0 || load_segments(b, &img, err, errlen) != 0) {
        host_free(b->host, data);
        return -1;
    }
    setup_htif(b, &img);
    rv_cpu *cpu = b->cpu;
    cpu->pc = img.entry;
    cpu->priv = RV_PRIV_M;
    cpu->wfi = false;
    rv_tlb_flush(cpu);
    if (cpu->engine)
        rv_engine_flush(cpu); /* new code in RAM */
    host_free(b->host, data);
    return 0;
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
    if (b->cpu->engine)
        rv_engine_flush(b->cpu); /* the write may have replaced code */
    return 0;
}

void board_poll(board *b)
{
    clint_skip_to_timer(&b->clint);
}

uint64_t board_insns_until_event(board *b)
{
    return clint_insns_until_timer(&b->clint);
}

uint64_t board_ram_size(const board *b) { return b->bus.ram_size; }
