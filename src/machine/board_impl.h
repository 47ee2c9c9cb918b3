/* The board's parts, shared by the generic board code (board.c) and the
 * board-specific setup (spike in board.c, virt in virt.c, its device tree
 * in virt_fdt.c). Device state lives in plain structs, so a board can be
 * saved and restored later. */
#ifndef SPLITVM_BOARD_IMPL_H
#define SPLITVM_BOARD_IMPL_H

#include "../dev/goldfish_rtc.h"
#include "../dev/plic.h"
#include "../dev/sifive_test.h"
#include "../dev/uart16550.h"
#include "../dev/virtio_blk.h"
#include "../dev/virtio_net.h"
#include "../dev/virtio_rng.h"
#include "../net/net_user.h"
#include "../dev/virtio_mmio.h"
#include "board.h"
#include "bus.h"
#include "clint.h"
#include "htif.h"

#define BOARD_RAM_BASE 0x80000000u
#define VIRT_ROM_BASE 0x1000u
#define VIRT_ROM_SIZE 0xf000u

struct board {
    host_ctx *host;
    board_opts opts;
    rv_cpu *harts[BOARD_MAX_HARTS]; /* harts[0] is the machine's own cpu */
    unsigned nharts;
    unsigned next_hart;             /* round-robin position */
    unsigned stop_hart;             /* the hart that ran last (whose stop board_run returned) */
    bus bus;
    clint clint;
    uint64_t clock_base_ns;         /* host time at power-on (host clock mode) */
    int power_kind;                 /* 0 running; 1 + sifive_test_kind once the guest powered off or reset */
    /* spike */
    htif htif;
    int htif_slot; /* bus slot of the tohost overlay, -1 until a kernel has one */
    /* virt */
    plic plic;
    uart16550 uart;
    sifive_test test;
    goldfish_rtc rtc;
    virtio_mmio virtio[VIRTIO_MMIO_SLOTS];
    /* Disks: drive i is virtio-blk in slot VIRTIO_MMIO_SLOTS - 1 - i. */
    unsigned ndrives;
    blk_dev drive[BOARD_MAX_DRIVES];
    blk_host_file drive_file[BOARD_MAX_DRIVES]; /* fd -1: the embedder's io */
    virtio_blk vblk[BOARD_MAX_DRIVES];
    /* Network cards, in the slots below the disks'. */
    unsigned nnics;
    virtio_net vnet[BOARD_MAX_NICS];
    net_user *nuser[BOARD_MAX_NICS];   /* the user-mode network, or NULL */
    board_nic nic_cfg[BOARD_MAX_NICS]; /* the embedder's send callback */
    /* A virtio-rng device, in the next slot below the cards' (0: none). */
    int has_rng;
    virtio_rng vrng;
    int (*rng_source)(void *opaque, void *buf, size_t n); /* NULL: the host's */
    void *rng_opaque;
    uint8_t rom[VIRT_ROM_SIZE];
    uint8_t *fdt;                   /* host_alloc'ed blob */
    size_t fdt_size;
    int console_eof;                /* console input reached its end */
    /* Per RAM page, the harts (bit h) holding translated code from it:
     * stores to such a page are not cached in TLBs and mark those harts'
     * code as written, so fence.i drops code only when it may be stale. */
    uint8_t *code_harts;
    board_boot boot;                /* what board_boot_virt loaded (owned copies), for reboots */
    unsigned reboots;
};

/* virt.c */
int virt_setup(board *b, char *err, size_t errlen);
void virt_poll(board *b);
/* The guest asked for a reset: devices and harts back to power-on, the
 * images loaded again. 0, or -1 when they cannot be (then it powers off). */
int virt_reboot(board *b);
void virt_free(board *b);
/* virt_drives.c: flush and close the disks (power-off, destroy). */
void virt_close_drives(board *b);
/* virt_nics.c: serve the network backends; shut them down. */
void virt_poll_nics(board *b);
void virt_close_nics(board *b);
uint64_t virt_next_event_ns(board *b);
/* virt_fdt.c: build the device tree for the board's configuration. */
int virt_fdt_build(board *b, const char *bootargs, uint64_t initrd_start, uint64_t initrd_end, char *err,
                   size_t errlen);

/* board.c, for the board-specific parts */
/* Load an ELF image at its physical addresses; *entry (physical) and *end
 * (highest loaded address + 1, may be NULL). 0 or -1 + err. */
int board_load_elf(board *b, const uint8_t *data, size_t size, uint64_t *entry, uint64_t *end, char *err,
                   size_t errlen);
/* Every hart restarts at pc in M mode (engines and TLBs flushed). */
void board_reset_harts(board *b, uint64_t pc);
uint64_t board_now_ns(const board *b); /* the board's clock, ns since power-on */
int board_read_image(board *b, const char *what, const char *path, uint8_t **data, size_t *size, char *err,
                     size_t errlen);

#endif
