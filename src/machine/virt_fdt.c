/* The virt board's device tree, built with libfdt from the board's actual
 * configuration (RAM, harts, ISA, devices, bootargs, initrd), with QEMU's
 * node names, compatible strings and interrupt numbers so that unmodified
 * OpenSBI, U-Boot and Linux find their devices. */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "board_impl.h"

/* What the harts implement, exactly (see README "ISA"). */
#define VIRT_ISA "rv64imafdc_zicond_zicsr_zifencei_zba_zbb_zbc_zbs_sstc"
#define PHANDLE_CPU(h) (1u + 2u * (h))
#define PHANDLE_INTC(h) (2u + 2u * (h))
#define PHANDLE_PLIC 0x40u
#define PHANDLE_TEST 0x41u
#define FDT_ROOM (64 * 1024)

/* libfdt's sequential writer: every call returns 0 or a negative code;
 * keep the first error and skip the rest. */
typedef struct fdt_writer {
    void *buf;
    int err;
} fdt_writer;

static void w_check(fdt_writer *w, int r)
{
    if (r < 0 && !w->err)
        w->err = r;
}
static void begin(fdt_writer *w, const char *name) { if (!w->err) w_check(w, fdt_begin_node(w->buf, name)); }
static void end(fdt_writer *w) { if (!w->err) w_check(w, fdt_end_node(w->buf)); }
static void prop_u32(fdt_writer *w, const char *name, uint32_t v) { if (!w->err) w_check(w, fdt_property_u32(w->buf, name, v)); }
static void prop_str(fdt_writer *w, const char *name, const char *v) { if (!w->err) w_check(w, fdt_property_string(w->buf, name, v)); }
static void prop_empty(fdt_writer *w, const char *name) { if (!w->err) w_check(w, fdt_property(w->buf, name, NULL, 0)); }
static void prop_cells(fdt_writer *w, const char *name, const uint32_t *cells, int n)
{
    fdt32_t be[64];
    for (int i = 0; i < n && i < 64; i++)
        be[i] = cpu_to_fdt32(cells[i]);
    if (!w->err)
        w_check(w, fdt_property(w->buf, name, be, (int)(sizeof(be[0]) * (size_t)n)));
}
/* A string list ("a\0b\0"), len bytes with the NULs. */
static void prop_strs(fdt_writer *w, const char *name, const char *v, int len) { if (!w->err) w_check(w, fdt_property(w->buf, name, v, len)); }
static void prop_reg(fdt_writer *w, uint64_t base, uint64_t size)
{
    uint32_t c[4] = {(uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32), (uint32_t)size};
    prop_cells(w, "reg", c, 4);
}

static void node_name(char *buf, size_t n, const char *name, uint64_t addr)
{
    snprintf(buf, n, "%s@%llx", name, (unsigned long long)addr);
}

static void add_cpus(fdt_writer *w, const board *b)
{
    char name[64];
    begin(w, "cpus");
    prop_u32(w, "#address-cells", 1);
    prop_u32(w, "#size-cells", 0);
    prop_u32(w, "timebase-frequency", CLINT_FREQ_HZ);
    for (unsigned h = 0; h < b->nharts; h++) {
        snprintf(name, sizeof name, "cpu@%u", h);
        begin(w, name);
        prop_u32(w, "phandle", PHANDLE_CPU(h));
        prop_str(w, "device_type", "cpu");
        prop_u32(w, "reg", h);
        prop_str(w, "status", "okay");
        prop_str(w, "compatible", "riscv");
        prop_str(w, "riscv,isa", VIRT_ISA);
        prop_str(w, "mmu-type", "riscv,sv48");
        begin(w, "interrupt-controller");
        prop_u32(w, "#interrupt-cells", 1);
        prop_empty(w, "interrupt-controller");
        prop_str(w, "compatible", "riscv,cpu-intc");
        prop_u32(w, "phandle", PHANDLE_INTC(h));
        end(w);
        end(w);
    }
    begin(w, "cpu-map");
    begin(w, "cluster0");
    for (unsigned h = 0; h < b->nharts; h++) {
        snprintf(name, sizeof name, "core%u", h);
        begin(w, name);
        prop_u32(w, "cpu", PHANDLE_CPU(h));
        end(w);
    }
    end(w);
    end(w);
    end(w);
}

static void add_soc(fdt_writer *w, const board *b)
{
    char name[64];
    uint32_t cells[4 * BOARD_MAX_HARTS];
    begin(w, "soc");
    prop_u32(w, "#address-cells", 2);
    prop_u32(w, "#size-cells", 2);
    prop_str(w, "compatible", "simple-bus");
    prop_empty(w, "ranges");

    node_name(name, sizeof name, "rtc", GOLDFISH_RTC_BASE);
    begin(w, name);
    prop_u32(w, "interrupts", GOLDFISH_RTC_IRQ);
    prop_u32(w, "interrupt-parent", PHANDLE_PLIC);
    prop_reg(w, GOLDFISH_RTC_BASE, GOLDFISH_RTC_SIZE);
    prop_str(w, "compatible", "google,goldfish-rtc");
    end(w);

    node_name(name, sizeof name, "serial", UART16550_BASE);
    begin(w, name);
    prop_u32(w, "interrupts", UART16550_IRQ);
    prop_u32(w, "interrupt-parent", PHANDLE_PLIC);
    prop_u32(w, "clock-frequency", 0x384000);
    prop_reg(w, UART16550_BASE, UART16550_SIZE);
    prop_str(w, "compatible", "ns16550a");
    end(w);

    node_name(name, sizeof name, "test", SIFIVE_TEST_BASE);
    begin(w, name);
    prop_u32(w, "phandle", PHANDLE_TEST);
    prop_reg(w, SIFIVE_TEST_BASE, SIFIVE_TEST_SIZE);
    static const char test_compat[] = "sifive,test1\0sifive,test0\0syscon";
    prop_strs(w, "compatible", test_compat, sizeof(test_compat));
    end(w);

    for (int i = VIRTIO_MMIO_SLOTS - 1; i >= 0; i--) { /* QEMU lists them top down */
        uint64_t base = VIRTIO_MMIO_BASE + (uint64_t)i * VIRTIO_MMIO_SIZE;
        node_name(name, sizeof name, "virtio_mmio", base);
        begin(w, name);
        prop_u32(w, "interrupts", VIRTIO_MMIO_IRQ + (uint32_t)i);
        prop_u32(w, "interrupt-parent", PHANDLE_PLIC);
        prop_reg(w, base, VIRTIO_MMIO_SIZE);
        prop_str(w, "compatible", "virtio,mmio");
        end(w);
    }

    node_name(name, sizeof name, "plic", PLIC_BASE);
    begin(w, name);
    prop_u32(w, "phandle", PHANDLE_PLIC);
    prop_u32(w, "riscv,ndev", PLIC_SOURCES - 1);
    prop_reg(w, PLIC_BASE, PLIC_SIZE(2 * PLIC_MAX_HARTS));
    for (unsigned h = 0; h < b->nharts; h++) {
        cells[4 * h] = PHANDLE_INTC(h);
        cells[4 * h + 1] = RV_IRQ_MEI;
        cells[4 * h + 2] = PHANDLE_INTC(h);
        cells[4 * h + 3] = RV_IRQ_SEI;
    }
    prop_cells(w, "interrupts-extended", cells, (int)(4 * b->nharts));
    prop_empty(w, "interrupt-controller");
    static const char plic_compat[] = "sifive,plic-1.0.0\0riscv,plic0";
    prop_strs(w, "compatible", plic_compat, sizeof(plic_compat));
    prop_u32(w, "#address-cells", 0);
    prop_u32(w, "#interrupt-cells", 1);
    end(w);

    node_name(name, sizeof name, "clint", CLINT_BASE);
    begin(w, name);
    for (unsigned h = 0; h < b->nharts; h++) {
        cells[4 * h] = PHANDLE_INTC(h);
        cells[4 * h + 1] = RV_IRQ_MSI;
        cells[4 * h + 2] = PHANDLE_INTC(h);
        cells[4 * h + 3] = RV_IRQ_MTI;
    }
    prop_cells(w, "interrupts-extended", cells, (int)(4 * b->nharts));
    prop_reg(w, CLINT_BASE, CLINT_SIZE);
    static const char clint_compat[] = "sifive,clint0\0riscv,clint0";
    prop_strs(w, "compatible", clint_compat, sizeof(clint_compat));
    end(w);

    end(w);
}

static void add_syscon(fdt_writer *w, const char *node, const char *compat, uint32_t value)
{
    begin(w, node);
    prop_u32(w, "value", value);
    prop_u32(w, "offset", 0);
    prop_u32(w, "regmap", PHANDLE_TEST);
    prop_str(w, "compatible", compat);
    end(w);
}

int virt_fdt_build(board *b, const char *bootargs, uint64_t initrd_start, uint64_t initrd_end, char *err,
                   size_t errlen)
{
    size_t room = FDT_ROOM + (bootargs ? strlen(bootargs) : 0);
    fdt_writer w = {host_alloc(b->host, room), 0};
    if (!w.buf) {
        snprintf(err, errlen, "out of memory for the device tree");
        return -1;
    }
    w_check(&w, fdt_create(w.buf, (int)room));
    w_check(&w, fdt_finish_reservemap(w.buf));
    begin(&w, "");
    prop_u32(&w, "#address-cells", 2);
    prop_u32(&w, "#size-cells", 2);
    prop_str(&w, "compatible", "riscv-virtio");
    prop_str(&w, "model", "riscv-virtio,qemu");

    begin(&w, "chosen");
    if (bootargs && bootargs[0])
        prop_str(&w, "bootargs", bootargs);
    char path[64];
    snprintf(path, sizeof path, "/soc/serial@%x", UART16550_BASE);
    prop_str(&w, "stdout-path", path);
    if (initrd_end > initrd_start) {
        uint32_t s[2] = {(uint32_t)(initrd_start >> 32), (uint32_t)initrd_start};
        uint32_t e[2] = {(uint32_t)(initrd_end >> 32), (uint32_t)initrd_end};
        prop_cells(&w, "linux,initrd-start", s, 2);
        prop_cells(&w, "linux,initrd-end", e, 2);
    }
    end(&w);

    char name[64];
    node_name(name, sizeof name, "memory", b->bus.ram_base);
    begin(&w, name);
    prop_str(&w, "device_type", "memory");
    prop_reg(&w, b->bus.ram_base, b->bus.ram_size);
    end(&w);

    add_cpus(&w, b);
    add_soc(&w, b);
    add_syscon(&w, "poweroff", "syscon-poweroff", 0x5555);
    add_syscon(&w, "reboot", "syscon-reboot", 0x7777);
    end(&w);
    if (!w.err)
        w_check(&w, fdt_finish(w.buf));
    if (!w.err)
        w_check(&w, fdt_pack(w.buf));
    if (w.err) {
        snprintf(err, errlen, "cannot build the device tree: %s", fdt_strerror(w.err));
        host_free(b->host, w.buf);
        return -1;
    }
    host_free(b->host, b->fdt);
    b->fdt = w.buf;
    b->fdt_size = fdt_totalsize(w.buf);
    return 0;
}
