/* The physical address map of a board: one RAM range plus MMIO devices.
 * Devices are looked up before RAM, so a device may overlay RAM words
 * (HTIF's tohost lives inside RAM). */
#ifndef SPLITVM_BUS_H
#define SPLITVM_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../host/host.h"

#define BUS_MAX_DEVICES 16
#define BUS_NO_PAGE (~(uint64_t)0)

/* Device accessors: off is relative to the device base, size 1/2/4/8, the
 * access lies inside the device. Return 0, or -1 for an access fault. */
typedef int (*bus_read_fn)(void *dev, uint64_t off, int size, uint64_t *val);
typedef int (*bus_write_fn)(void *dev, uint64_t off, int size, uint64_t val);

typedef struct bus_device {
    const char *name;
    uint64_t base, size;
    bus_read_fn read;
    bus_write_fn write;
    void *dev;
} bus_device;

typedef struct bus {
    uint8_t *ram;
    uint64_t ram_base, ram_size;
    bus_device devs[BUS_MAX_DEVICES];
    int ndevs;
    /* Read-only memory (the virt board's reset vector): executable and
     * readable like RAM, a store to it faults. rom_size 0: none. */
    const uint8_t *rom;
    uint64_t rom_base, rom_size;
    /* A RAM page whose loads and stores must reach bus_read/bus_write
     * (it holds a device overlay such as tohost), or BUS_NO_PAGE. */
    uint64_t overlay_page;
} bus;

/* Map ram_size bytes of RAM (tracked by host) at ram_base. 0 or -1. */
int bus_init(bus *b, host_ctx *host, uint64_t ram_base, uint64_t ram_size);
/* Register a device; returns its slot or -1 when the table is full. */
int bus_add_device(bus *b, const bus_device *d);
/* Host pointer to [pa, pa+len) if it lies entirely in RAM, else NULL. */
uint8_t *bus_ram_ptr(const bus *b, uint64_t pa, uint64_t len);
/* Host pointer to [pa, pa+len) if it lies entirely in the ROM, else NULL. */
const uint8_t *bus_rom_ptr(const bus *b, uint64_t pa, uint64_t len);
/* True if pa is backed by RAM or a device. */
bool bus_mapped(const bus *b, uint64_t pa);
/* True if pa lies in a device (not RAM). */
bool bus_is_mmio(const bus *b, uint64_t pa);
/* Physical accesses, devices first, then RAM. 0 or -1 (unmapped). */
int bus_read(bus *b, uint64_t pa, int size, uint64_t *val);
int bus_write(bus *b, uint64_t pa, int size, uint64_t val);

#endif
