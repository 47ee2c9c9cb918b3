/* System mode: a board is the physical address map (RAM, MMIO devices)
 * behind one hart, plus its firmware-loading rules. */
#ifndef SPLITVM_BOARD_H
#define SPLITVM_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "../cpu/cpu.h"
#include "../host/host.h"

typedef enum board_kind { BOARD_SPIKE = 0, BOARD_VIRT = 1 } board_kind;

typedef void (*board_console_fn)(void *opaque, const char *buf, size_t len);

typedef struct board_opts {
    board_kind kind;
    uint64_t ram_size;          /* bytes; 0 = default (128 MiB) */
    board_console_fn console;   /* guest console output; NULL = host stdout */
    void *console_opaque;
} board_opts;

typedef struct board board;

/* Create the board and bind cpu to it (installs the system-mode rv_env:
 * Sv39/Sv48 translation, MMIO, architectural traps). NULL with err set. */
board *board_create(host_ctx *host, rv_cpu *cpu, const board_opts *opts, char *err, size_t errlen);
void board_destroy(board *b);
/* Load an ELF at its physical addresses (-bios none -kernel FILE) and set
 * the pc to its entry. 0, or -1 with err set. */
int board_load_kernel(board *b, const char *path, char *err, size_t errlen);
/* Copy guest physical memory (RAM only). 0 or -1. */
int board_read_phys(board *b, uint64_t pa, void *dst, size_t n);
int board_write_phys(board *b, uint64_t pa, const void *src, size_t n);
/* Called by the run loop between slices: devices poll host input, timers. */
void board_poll(board *b);
/* Retired instructions until the next enabled timer interrupt fires
 * (UINT64_MAX if none): the run loop may cap its slice with it. */
uint64_t board_insns_until_event(board *b);
/* Bytes of guest RAM (for svm_get_stats). */
uint64_t board_ram_size(const board *b);

#endif
