/* HTIF command handling for the spike board. */
#include "htif.h"

#include <string.h>
#include <unistd.h>

enum { SYS_WRITE = 64, SYS_EXIT = 93 };
#define ERR_FAULT ((uint64_t)-14)
#define ERR_NOSYS ((uint64_t)-38)

static void console_out(htif *h, const char *buf, size_t len)
{
    board_console_write(h->console, h->console_opaque, h->host, buf, len);
}

static void guest_exit(htif *h, uint64_t code)
{
    if (h->cpu->stop == RV_STOP_EXIT)
        return; /* the first exit request wins until the run loop sees it */
    h->cpu->exit_code = (int)code;
    h->cpu->stop = RV_STOP_EXIT;
}

/* HTIF touches RAM directly (never through devices: no re-entry). */
static int ram_read64(htif *h, uint64_t pa, uint64_t *v)
{
    const uint8_t *p = bus_ram_ptr(h->bus, pa, 8);
    if (!p)
        return -1;
    memcpy(v, p, 8);
    return 0;
}

static void ram_write64(htif *h, uint64_t pa, uint64_t v)
{
    uint8_t *p = bus_ram_ptr(h->bus, pa, 8);
    if (p)
        memcpy(p, &v, 8);
}

static void set_fromhost(htif *h, uint64_t v)
{
    if (h->fromhost)
        ram_write64(h, h->fromhost, v);
}

/* The riscv-tests syscall proxy: magic_mem[0..3] = which, a0, a1, a2. */
static void proxy_syscall(htif *h, uint64_t magic)
{
    uint64_t args[4];
    for (int i = 0; i < 4; i++)
        if (ram_read64(h, magic + 8 * (uint64_t)i, &args[i]) != 0)
            return; /* not in RAM: nothing sensible to answer */
    uint64_t ret = ERR_NOSYS;
    switch (args[0]) {
    case SYS_WRITE: {
        const uint8_t *p = bus_ram_ptr(h->bus, args[2], args[3]);
        if (!p) {
            ret = ERR_FAULT;
            break;
        }
        console_out(h, (const char *)p, (size_t)args[3]);
        ret = args[3];
        break;
    }
    case SYS_EXIT:
        guest_exit(h, args[1]);
        ret = 0;
        break;
    default:
        break;
    }
    ram_write64(h, magic, ret);
    set_fromhost(h, 1);
}

static void handle_command(htif *h, uint64_t v)
{
    unsigned dev = (unsigned)(v >> 56), cmd = (unsigned)(v >> 48) & 0xff;
    uint64_t payload = v & (((uint64_t)1 << 48) - 1);
    if (dev == 0 && cmd == 0) {
        if (payload & 1)
            guest_exit(h, payload >> 1);
        else
            proxy_syscall(h, payload);
    } else if (dev == 1 && cmd == 1) {
        char ch = (char)(payload & 0xff);
        console_out(h, &ch, 1);
        set_fromhost(h, (v >> 48 << 48) | 0x100 | (payload & 0xff));
    }
    /* device 1 cmd 0 (getchar): no input, no answer; others are ignored. */
}

int htif_read(void *dev, uint64_t off, int size, uint64_t *val)
{
    htif *h = dev;
    const uint8_t *word = bus_ram_ptr(h->bus, h->tohost, 8);
    if (!word)
        return -1;
    uint64_t v = 0;
    memcpy(&v, word + off, (size_t)size);
    *val = v;
    return 0;
}

int htif_write(void *dev, uint64_t off, int size, uint64_t val)
{
    htif *h = dev;
    uint8_t *word = bus_ram_ptr(h->bus, h->tohost, 8);
    if (!word)
        return -1;
    memcpy(word + off, &val, (size_t)size);
    /* Like QEMU, act once the upper half is written (sd, or sw low then high). */
    if (off + (uint64_t)size < 8)
        return 0;
    uint64_t v;
    memcpy(&v, word, 8);
    if (!v)
        return 0;
    memset(word, 0, 8); /* the command is consumed: tohost reads 0 */
    handle_command(h, v);
    return 0;
}
