/* Spike's host-target interface: the guest writes commands to the `tohost`
 * word in RAM and reads answers from `fromhost`. Supported: device 0
 * (exit, and the riscv-tests syscall proxy: write and exit) and device 1
 * (console putchar; getchar has no input). */
#ifndef SPLITVM_HTIF_H
#define SPLITVM_HTIF_H

#include <stdint.h>

#include "board.h"
#include "bus.h"

typedef struct htif {
    rv_cpu *cpu;
    bus *bus;
    host_ctx *host;
    uint64_t tohost, fromhost; /* physical addresses; fromhost 0 = absent */
    board_console_fn console;  /* NULL: host stdout */
    void *console_opaque;
} htif;

/* Bus accessors for the 8-byte tohost word (it stays backed by RAM). */
int htif_read(void *dev, uint64_t off, int size, uint64_t *val);
int htif_write(void *dev, uint64_t off, int size, uint64_t val);

#endif
