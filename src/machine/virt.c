/* The virt board, as qemu-system-riscv64 -M virt lays it out: a reset ROM
 * at 0x1000, the sifive test finisher, the goldfish RTC, the CLINT, the
 * PLIC, a 16550A UART and eight virtio-mmio slots, RAM at 0x80000000.
 * Boot follows QEMU: firmware at the start of RAM, the kernel at the next
 * 2 MiB boundary after it, the initrd further up, the device tree at the
 * top of RAM, and the ROM's reset vector handing over in a0/a1/a2
 * (OpenSBI's fw_dynamic). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../cpu/csr.h"
#include "../cpu/le.h"
#include "board_impl.h"

#define MIB ((uint64_t)1 << 20)
#define FW_DYNAMIC_MAGIC 0x4942534fu /* "OSBI" */
#define FW_DYNAMIC_VERSION 2
#define FW_DYNAMIC_NEXT_MODE_S 1
#define ROM_START_ADDR 24 /* offsets in the ROM: the words the reset code loads */
#define ROM_FDT_ADDR 32
#define ROM_FW_DYNAMIC 40

/* A PLIC context's output drives MEIP (even contexts) or SEIP (odd) of its hart. */
static void plic_to_hart(void *opaque, unsigned ctx, int level)
{
    board *b = opaque;
    unsigned h = ctx / 2;
    if (h >= b->nharts)
        return;
    uint64_t bit = (ctx & 1) ? MIP_SEIP : MIP_MEIP;
    if (level)
        b->harts[h]->mip |= bit;
    else
        b->harts[h]->mip &= ~bit;
}

static void uart_tx(void *opaque, const uint8_t *buf, size_t n)
{
    board *b = opaque;
    board_console_write(b->opts.console, b->opts.console_opaque, b->host, buf, n);
}

static void power(void *opaque, sifive_test_kind kind, uint32_t code)
{
    board *b = opaque;
    if (b->power_kind)
        return; /* the first request wins */
    b->power_kind = 1 + (int)kind;
    b->harts[0]->exit_code = kind == SIFIVE_TEST_FAIL ? (int)(code ? code : 1) : 0;
    for (unsigned h = 0; h < b->nharts; h++)
        b->harts[h]->stop = RV_STOP_EXIT; /* leave the engine at the next block */
}

static uint64_t rtc_clock(void *opaque)
{
    board *b = opaque;
    struct timespec ts;
    host_clock_gettime(b->host, CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int virt_setup(board *b, char *err, size_t errlen)
{
    plic_init(&b->plic, b->nharts);
    for (unsigned ctx = 0; ctx < 2 * b->nharts; ctx++)
        plic_connect(&b->plic, ctx, (irq_line){plic_to_hart, b, ctx});
    uart16550_init(&b->uart, uart_tx, b, (irq_line){plic_set_irq, &b->plic, UART16550_IRQ});
    sifive_test_init(&b->test, power, b);
    goldfish_rtc_init(&b->rtc, rtc_clock, b, (irq_line){plic_set_irq, &b->plic, GOLDFISH_RTC_IRQ});
    virtio_ram ram = {b->bus.ram, b->bus.ram_base, b->bus.ram_size};
    b->bus.rom = b->rom;
    b->bus.rom_base = VIRT_ROM_BASE;
    b->bus.rom_size = VIRT_ROM_SIZE;
    const bus_device devs[] = {
        {"test", SIFIVE_TEST_BASE, SIFIVE_TEST_SIZE, sifive_test_read, sifive_test_write, &b->test},
        {"rtc", GOLDFISH_RTC_BASE, GOLDFISH_RTC_SIZE, goldfish_rtc_read, goldfish_rtc_write, &b->rtc},
        {"plic", PLIC_BASE, PLIC_SIZE(2 * PLIC_MAX_HARTS), plic_read, plic_write, &b->plic},
        {"uart", UART16550_BASE, UART16550_SIZE, uart16550_read, uart16550_write, &b->uart},
    };
    for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
        if (bus_add_device(&b->bus, &devs[i]) < 0)
            goto full;
    for (unsigned i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
        virtio_mmio_init(&b->virtio[i], NULL, NULL, ram, (irq_line){plic_set_irq, &b->plic, VIRTIO_MMIO_IRQ + i});
        bus_device d = {"virtio-mmio", VIRTIO_MMIO_BASE + i * VIRTIO_MMIO_SIZE, VIRTIO_MMIO_SIZE, virtio_mmio_read,
                        virtio_mmio_write, &b->virtio[i]};
        if (bus_add_device(&b->bus, &d) < 0)
            goto full;
    }
    return 0;
full:
    snprintf(err, errlen, "internal error: the bus has no room for the virt board's devices");
    return -1;
}

/* Console input into the UART, as much as its FIFO takes. */
static void poll_console(board *b)
{
    if (b->console_eof)
        return;
    size_t space = uart16550_rx_space(&b->uart);
    if (!space)
        return;
    uint8_t buf[UART16550_FIFO];
    if (space > sizeof(buf))
        space = sizeof(buf);
    int64_t n;
    if (b->opts.console_read) {
        n = b->opts.console_read(b->opts.console_read_opaque, buf, space);
    } else {
        struct pollfd p = {STDIN_FILENO, POLLIN, 0};
        if (host_poll(b->host, &p, 1, 0) <= 0)
            return;
        n = host_read(b->host, STDIN_FILENO, buf, space);
        if (n < 0 && (n == -EAGAIN || n == -EINTR))
            return;
    }
    if (n == 0 || (n < 0 && n != -EAGAIN))
        b->console_eof = 1;
    if (n > 0)
        uart16550_receive(&b->uart, buf, (size_t)n);
}

void virt_poll(board *b)
{
    poll_console(b);
    goldfish_rtc_poll(&b->rtc);
    virt_poll_nics(b);
}

/* The user-mode network's sockets are polled, not waited on: an idle guest
 * with one wakes every NIC_POLL_NS to serve them. */
#define NIC_POLL_NS 2000000u

uint64_t virt_next_event_ns(board *b)
{
    uint64_t next = b->nnics ? board_now_ns(b) + NIC_POLL_NS : UINT64_MAX;
    uint64_t e = goldfish_rtc_next_event_ns(&b->rtc);
    if (e == UINT64_MAX)
        return next;
    uint64_t now = rtc_clock(b), rtc = board_now_ns(b) + (e > now ? e - now : 0);
    return rtc < next ? rtc : next;
}

/* The reset vector (QEMU's): a0 = mhartid, a1 = the device tree, a2 = the
 * fw_dynamic info, then jump to the firmware (or the kernel without one). */
static void write_rom(board *b, uint64_t start, uint64_t fdt, uint64_t next)
{
    static const uint32_t code[] = {
        0x00000297, /* auipc t0, 0 */
        0x02828613, /* addi  a2, t0, 40 (ROM_FW_DYNAMIC) */
        0xf1402573, /* csrr  a0, mhartid */
        0x0202b583, /* ld    a1, 32(t0) (ROM_FDT_ADDR) */
        0x0182b283, /* ld    t0, 24(t0) (ROM_START_ADDR) */
        0x00028067, /* jr    t0 */
    };
    memset(b->rom, 0, sizeof(b->rom));
    for (size_t i = 0; i < sizeof(code) / sizeof(code[0]); i++)
        for (int k = 0; k < 4; k++)
            b->rom[4 * i + (size_t)k] = (uint8_t)(code[i] >> (8 * k));
    rv_put_le(b->rom + ROM_START_ADDR, start, 8);
    rv_put_le(b->rom + ROM_FDT_ADDR, fdt, 8);
    uint8_t *fw = b->rom + ROM_FW_DYNAMIC;
    rv_put_le(fw, FW_DYNAMIC_MAGIC, 8);
    rv_put_le(fw + 8, FW_DYNAMIC_VERSION, 8);
    rv_put_le(fw + 16, next, 8);
    rv_put_le(fw + 24, FW_DYNAMIC_NEXT_MODE_S, 8);
    rv_put_le(fw + 32, 0, 8); /* options */
    rv_put_le(fw + 40, 0, 8); /* boot hart: OpenSBI picks with its lottery */
}

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* Put an image at pa, or say why it does not fit. */
static int place(board *b, const char *what, uint64_t pa, const uint8_t *data, size_t size, char *err, size_t errlen)
{
    uint8_t *dst = bus_ram_ptr(&b->bus, pa, size);
    if (!dst) {
        snprintf(err, errlen, "the %s (%zu bytes at 0x%llx) does not fit in RAM (0x%llx-0x%llx): use a larger -m",
                 what, size, (unsigned long long)pa, (unsigned long long)b->bus.ram_base,
                 (unsigned long long)(b->bus.ram_base + b->bus.ram_size - 1));
        return -1;
    }
    memcpy(dst, data, size);
    return 0;
}

static int is_elf(const uint8_t *d, size_t n)
{
    return n >= 4 && d[0] == 0x7f && d[1] == 'E' && d[2] == 'L' && d[3] == 'F';
}

/* Load firmware or a kernel: an ELF at its physical addresses, anything
 * else (a Linux Image, U-Boot's binary) as raw bytes at pa. */
static int load_image(board *b, const char *what, const char *path, uint64_t pa, uint64_t *entry, uint64_t *end,
                      char *err, size_t errlen)
{
    uint8_t *data;
    size_t size;
    if (board_read_image(b, what, path, &data, &size, err, errlen) != 0)
        return -1;
    int r;
    if (is_elf(data, size)) {
        char why[300];
        r = board_load_elf(b, data, size, entry, end, why, sizeof(why));
        if (r)
            snprintf(err, errlen, "%s '%s': %s", what, path, why);
    } else if (size == 0) {
        snprintf(err, errlen, "the %s '%s' is empty", what, path);
        r = -1;
    } else {
        r = place(b, what, pa, data, size, err, errlen);
        *entry = pa;
        *end = pa + size;
    }
    host_free(b->host, data);
    return r;
}

static char *dup_or_null(host_ctx *h, const char *s) { return s ? host_strdup(h, s) : NULL; }

static void free_boot(board *b)
{
    host_free(b->host, (void *)b->boot.bios);
    host_free(b->host, (void *)b->boot.kernel);
    host_free(b->host, (void *)b->boot.initrd);
    host_free(b->host, (void *)b->boot.append);
    host_free(b->host, (void *)b->boot.dtb);
    memset(&b->boot, 0, sizeof(b->boot));
}

static int boot_images(board *b, const board_boot *bb, char *err, size_t errlen);

int board_boot_virt(board *b, const board_boot *bb, char *err, size_t errlen)
{
    if (boot_images(b, bb, err, errlen))
        return -1;
    free_boot(b); /* kept for reboots */
    b->boot.bios = dup_or_null(b->host, bb->bios);
    b->boot.kernel = dup_or_null(b->host, bb->kernel);
    b->boot.initrd = dup_or_null(b->host, bb->initrd);
    b->boot.append = dup_or_null(b->host, bb->append);
    b->boot.dtb = dup_or_null(b->host, bb->dtb);
    return 0;
}

void virt_free(board *b)
{
    virt_close_drives(b);
    virt_close_nics(b);
    free_boot(b);
}

int virt_reboot(board *b)
{
    plic_init(&b->plic, b->nharts);
    for (unsigned ctx = 0; ctx < 2 * b->nharts; ctx++)
        plic_connect(&b->plic, ctx, (irq_line){plic_to_hart, b, ctx});
    uart16550_reset(&b->uart);
    for (unsigned i = 0; i < VIRTIO_MMIO_SLOTS; i++)
        virtio_mmio_reset(&b->virtio[i]);
    for (unsigned h = 0; h < b->nharts; h++) {
        rv_cpu *cpu = b->harts[h];
        rv_env env = cpu->env;
        rv_cpu_init(cpu, &env, RV_PRIV_M);
        cpu->mhartid = h;
    }
    for (unsigned h = 0; h < b->nharts; h++)
        b->clint.mtimecmp[h] = UINT64_MAX, b->clint.msip[h] = 0;
    b->power_kind = 0;
    b->reboots++;
    char err[256];
    board_boot bb = b->boot;
    return boot_images(b, &bb, err, sizeof(err));
}

static int boot_images(board *b, const board_boot *bb, char *err, size_t errlen)
{
    const uint64_t ram = b->bus.ram_base, ram_end = ram + b->bus.ram_size;
    uint64_t start = ram, fw_end = ram, kernel = 0, kernel_end = 0;
    if (bb->bios) {
        if (load_image(b, "firmware", bb->bios, ram, &start, &fw_end, err, errlen))
            return -1;
    }
    if (bb->kernel) {
        /* After firmware the kernel goes to the next 2 MiB boundary (RV64's
         * kernel alignment); without firmware it owns the start of RAM. */
        uint64_t at = bb->bios ? align_up(fw_end, 2 * MIB) : ram;
        if (load_image(b, "kernel", bb->kernel, at, &kernel, &kernel_end, err, errlen))
            return -1;
        if (!bb->bios)
            start = kernel;
    } else if (!bb->bios) {
        snprintf(err, errlen, "nothing to boot: give -bios and/or -kernel");
        return -1;
    }
    uint64_t initrd_start = 0, initrd_end = 0;
    if (bb->initrd) {
        if (!bb->kernel) {
            snprintf(err, errlen, "-initrd needs -kernel");
            return -1;
        }
        uint8_t *data;
        size_t size;
        if (board_read_image(b, "initrd", bb->initrd, &data, &size, err, errlen))
            return -1;
        /* QEMU's rule: far enough above the kernel that it may unpack
         * itself, but low: half of RAM, at most 128 MiB above it. */
        uint64_t gap = b->bus.ram_size / 2 < 128 * MIB ? b->bus.ram_size / 2 : 128 * MIB;
        initrd_start = align_up(kernel + gap, RV_PAGE_SIZE);
        if (initrd_start < kernel_end)
            initrd_start = align_up(kernel_end, RV_PAGE_SIZE);
        int r = place(b, "initrd", initrd_start, data, size, err, errlen);
        host_free(b->host, data);
        if (r)
            return -1;
        initrd_end = initrd_start + size;
    }
    if (bb->dtb) {
        uint8_t *data;
        size_t size;
        if (board_read_image(b, "device tree", bb->dtb, &data, &size, err, errlen))
            return -1;
        /* A corrupt blob is refused here rather than handed to the guest. */
        if (size < 40 || data[0] != 0xd0 || data[1] != 0x0d || data[2] != 0xfe || data[3] != 0xed ||
            (((size_t)data[4] << 24) | ((size_t)data[5] << 16) | ((size_t)data[6] << 8) | data[7]) > size) {
            host_free(b->host, data);
            snprintf(err, errlen, "'%s' is not a valid device tree blob", bb->dtb);
            return -1;
        }
        host_free(b->host, b->fdt);
        b->fdt = data;
        b->fdt_size = size;
    } else if (virt_fdt_build(b, bb->append, initrd_start, initrd_end, err, errlen)) {
        return -1;
    }
    /* The device tree at the top of RAM (below 3 GiB), 2 MiB aligned. */
    uint64_t top = ram_end < ram + 3072 * MIB ? ram_end : ram + 3072 * MIB;
    if (b->fdt_size > top - ram) {
        snprintf(err, errlen, "the device tree does not fit in RAM");
        return -1;
    }
    uint64_t fdt = (top - b->fdt_size) & ~(2 * MIB - 1);
    if (fdt < ram || (initrd_end && fdt < initrd_end) || fdt < kernel_end || fdt < fw_end) {
        snprintf(err, errlen, "RAM is too small for the images and the device tree: use a larger -m");
        return -1;
    }
    if (place(b, "device tree", fdt, b->fdt, b->fdt_size, err, errlen))
        return -1;
    write_rom(b, start, fdt, kernel ? kernel : 0);
    board_reset_harts(b, VIRT_ROM_BASE);
    return 0;
}
