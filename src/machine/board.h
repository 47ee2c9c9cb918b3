/* System mode: a board is the physical address map (RAM, MMIO devices),
 * its harts, and its firmware-loading rules. `spike` (HTIF, bare-metal
 * tests) and `virt` (QEMU's virt board: OpenSBI, U-Boot, Linux). */
#ifndef SPLITVM_BOARD_H
#define SPLITVM_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../cpu/cpu.h"
#include "../host/host.h"

typedef enum board_kind { BOARD_SPIKE = 0, BOARD_VIRT = 1 } board_kind;

#define BOARD_MAX_HARTS 8

typedef void (*board_console_fn)(void *opaque, const char *buf, size_t len);
/* Console input: bytes read (> 0), 0 at end of input, -EAGAIN for none yet. */
typedef int64_t (*board_console_read_fn)(void *opaque, void *buf, size_t len);

typedef struct board_opts {
    board_kind kind;
    uint64_t ram_size;          /* bytes; 0 = default (128 MiB) */
    unsigned nharts;            /* 1..BOARD_MAX_HARTS; 0 = 1 */
    /* Time: 0 follows the host's monotonic clock (virt's default); 1 counts
     * retired instructions (deterministic: spike, and tests). */
    int counted_time;
    board_console_fn console;   /* guest console output; NULL = host stdout */
    void *console_opaque;
    board_console_read_fn console_read; /* NULL = host stdin (fd 0), non-blocking */
    void *console_read_opaque;
} board_opts;

/* What the virt board boots (QEMU's -bios/-kernel/-initrd/-append/-dtb). */
typedef struct board_boot {
    const char *bios;   /* firmware path; NULL = none (the kernel runs in M mode) */
    const char *kernel; /* ELF, Linux Image or raw binary; NULL = none */
    const char *initrd;
    const char *append; /* kernel command line (bootargs) */
    const char *dtb;    /* a device tree to use instead of the generated one */
} board_boot;

typedef struct board board;

/* A disk for the virt board (QEMU's -drive file=F,format=raw|qcow2,if=virtio). */
struct blk_io;
typedef struct board_drive {
    const char *file;          /* host path; ignored when io is set */
    const struct blk_io *io;   /* the embedder's storage instead of a file (copied) */
    const char *format;        /* "raw", "qcow2", NULL = qcow2 by its header, else raw */
    int read_only;
    void (*log)(void *opaque, const char *line); /* the image's diagnostics; NULL: stderr */
    void *log_opaque;
    int snapshot; /* snapshot=on: the image read-only, the guest's writes in memory */
} board_drive;
#define BOARD_MAX_DRIVES 8 /* one per virtio-mmio slot */

/* A network card for the virt board: virtio-net on the user-mode network
 * (QEMU's -netdev user) or on the embedder's own (send set). */
typedef struct board_nic {
    const char *const *hostfwd; /* user-mode network: QEMU's hostfwd rules */
    unsigned nhostfwd;
    uint8_t mac[6];             /* all zero: QEMU's 52:54:00:12:34:56 (+ index) */
    void (*send)(void *opaque, const void *frame, size_t len); /* the embedder's network */
    void *opaque;
} board_nic;
#define BOARD_MAX_NICS 4

/* Guest console output: to console(opaque, ...) when set, else to the host's
 * stdout (through host). Shared by the boards' console devices. */
void board_console_write(board_console_fn console, void *opaque, host_ctx *host, const void *buf, size_t len);

/* Create the board and bind hart 0 to cpu (the other harts are allocated
 * here). Installs the system-mode rv_env: Sv39/Sv48 translation, MMIO,
 * architectural traps. NULL with err set. */
board *board_create(host_ctx *host, rv_cpu *cpu, const board_opts *opts, char *err, size_t errlen);
void board_destroy(board *b);
/* Load an ELF at its physical addresses (-bios none -kernel FILE) and set
 * every hart's pc to its entry. 0, or -1 with err set. */
int board_load_kernel(board *b, const char *path, char *err, size_t errlen);
/* virt: load firmware, kernel, initrd, build (or load) the device tree and
 * the reset vector, as qemu-system-riscv64 -M virt does. 0 or -1 + err. */
int board_boot_virt(board *b, const board_boot *bb, char *err, size_t errlen);
/* virt: attach a disk as a virtio-blk device. As in QEMU, the first drive
 * takes the last virtio-mmio slot (0x10008000), the next one below it, so
 * Linux, probing the device tree top down, calls them vda, vdb, ... 0, or
 * with err set (the image's problem, with its name) -EIO when the file
 * cannot be opened, -EINVAL for anything else (a malformed image, no slot). */
int board_add_drive(board *b, const board_drive *d, char *err, size_t errlen);
/* virt: attach a network card in the next free virtio-mmio slot below the
 * disks'. 0, or with err set -ENOTSUP when the user-mode network is asked
 * for and this build has none, -EINVAL for anything else. */
int board_add_nic(board *b, const board_nic *n, char *err, size_t errlen);
/* virt: attach a virtio-rng device (QEMU's -device virtio-rng-device) in
 * the next free slot, its bytes from source (NULL: the host's random
 * source). 0, or -EINVAL with err set (no slot left, or one already). */
int board_add_rng(board *b, int (*source)(void *opaque, void *buf, size_t n), void *opaque, char *err,
                  size_t errlen);
/* A frame from the embedder's network for card `nic`: 1 taken, 0 dropped
 * (no receive buffer in the guest), -1 no such card or too long. */
int board_nic_receive(board *b, unsigned nic, const void *frame, size_t len);
/* The device tree the guest gets (virt; NULL before board_boot_virt). */
const void *board_fdt(const board *b, size_t *size);
/* Copy guest physical memory (RAM only). 0 or -1. */
int board_read_phys(board *b, uint64_t pa, void *dst, size_t n);
int board_write_phys(board *b, uint64_t pa, const void *src, size_t n);
/* Run the harts round-robin until about max_steps instructions and trap
 * entries have been spent (0 = a default slice), or a stop: RV_STOP_WAIT
 * when every hart waits in wfi and nothing is pending, RV_STOP_EXIT at
 * power-off (hart 0's exit_code holds the status). */
rv_stop board_run(board *b, uint64_t max_steps, bool use_jit);
/* A debugger's breakpoints for every hart (NULL: none; see rv_cpu.debug).
 * step: a single step (each hart runs one instruction at a time and its
 * first one is not checked); else only hart skip_hart's first instruction
 * is not checked (-1: none). flush: the breakpoints changed, drop the
 * predecoded blocks; flush_tlb: the watchpoints changed, empty the TLBs.
 * Forgets the last watchpoint hit of every hart. */
void board_set_debug(board *b, const rv_debug *debug, bool step, int skip_hart, bool flush, bool flush_tlb);
/* The hart that ran last (whose stop board_run returned), and its index. */
const rv_cpu *board_stop_hart(const board *b, unsigned *index);
/* Instructions retired by all harts together. */
uint64_t board_instret(const board *b);
/* The JIT's counters, summed over the harts. */
struct jit_stats;
void board_jit_stats(const board *b, struct jit_stats *sum);
/* Instructions retired plus traps taken, over all harts. */
uint64_t board_progress(const board *b);
/* After RV_STOP_WAIT: how long until the next timer event (ns, -1 none)
 * and the host fd whose input would wake the guest (-1 none). */
void board_wait_hint(board *b, int64_t *wait_ns, int *fd, int *events);
/* Snapshots (virt; snapshot.c, docs/snapshots.md). Save: the disks are
 * flushed, then harts, devices, clock and RAM go to o. 0, or a negative
 * errno with err set (-ENOTSUP: not the virt board). Load: a snapshot of a
 * machine configured as this one; 0, or a negative errno with err set, and
 * *ruined set when the failure came after guest RAM began to change (the
 * board must then not run again). */
struct state_out;
struct state_in;
int board_snapshot_save(board *b, struct state_out *o, char *err, size_t errlen);
int board_snapshot_load(board *b, struct state_in *in, bool *ruined, char *err, size_t errlen);
/* Bytes of guest RAM (for svm_get_stats). */
uint64_t board_ram_size(const board *b);

#endif
