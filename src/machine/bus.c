/* Physical bus: RAM plus a short list of MMIO devices. */
#include "bus.h"

#include <string.h>

int bus_init(bus *b, host_ctx *host, uint64_t ram_base, uint64_t ram_size)
{
    memset(b, 0, sizeof(*b));
    b->overlay_page = BUS_NO_PAGE;
    if (ram_size == 0 || ram_size > SIZE_MAX)
        return -1;
    b->ram = host_map_anon(host, (size_t)ram_size);
    if (!b->ram)
        return -1;
    b->ram_base = ram_base;
    b->ram_size = ram_size;
    return 0;
}

int bus_add_device(bus *b, const bus_device *d)
{
    if (b->ndevs >= BUS_MAX_DEVICES)
        return -1;
    b->devs[b->ndevs] = *d;
    return b->ndevs++;
}

uint8_t *bus_ram_ptr(const bus *b, uint64_t pa, uint64_t len)
{
    if (pa < b->ram_base)
        return NULL;
    uint64_t off = pa - b->ram_base;
    if (off > b->ram_size || len > b->ram_size - off)
        return NULL;
    return b->ram + off;
}

const uint8_t *bus_rom_ptr(const bus *b, uint64_t pa, uint64_t len)
{
    if (!b->rom_size || pa < b->rom_base)
        return NULL;
    uint64_t off = pa - b->rom_base;
    if (off > b->rom_size || len > b->rom_size - off)
        return NULL;
    return b->rom + off;
}

/* The device holding [pa, pa+size), or NULL. */
static const bus_device *find_device(const bus *b, uint64_t pa, uint64_t size)
{
    for (int i = 0; i < b->ndevs; i++) {
        const bus_device *d = &b->devs[i];
        if (pa >= d->base && pa - d->base < d->size && size <= d->size - (pa - d->base))
            return d;
    }
    return NULL;
}

bool bus_is_mmio(const bus *b, uint64_t pa)
{
    return find_device(b, pa, 1) != NULL;
}

bool bus_mapped(const bus *b, uint64_t pa)
{
    return bus_ram_ptr(b, pa, 1) != NULL || bus_rom_ptr(b, pa, 1) != NULL || bus_is_mmio(b, pa);
}

int bus_read(bus *b, uint64_t pa, int size, uint64_t *val)
{
    const bus_device *d = find_device(b, pa, (uint64_t)size);
    if (d)
        return d->read ? d->read(d->dev, pa - d->base, size, val) : -1;
    const uint8_t *p = bus_ram_ptr(b, pa, (uint64_t)size);
    if (!p)
        p = bus_rom_ptr(b, pa, (uint64_t)size);
    if (!p)
        return -1;
    uint64_t v = 0;
    memcpy(&v, p, (size_t)size); /* little-endian host */
    *val = v;
    return 0;
}

int bus_write(bus *b, uint64_t pa, int size, uint64_t val)
{
    const bus_device *d = find_device(b, pa, (uint64_t)size);
    if (d)
        return d->write ? d->write(d->dev, pa - d->base, size, val) : -1;
    uint8_t *p = bus_ram_ptr(b, pa, (uint64_t)size);
    if (!p)
        return -1;
    memcpy(p, &val, (size_t)size);
    return 0;
}
