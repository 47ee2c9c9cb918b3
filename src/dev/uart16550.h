/* A 16550A UART (byte registers at offsets 0..7, reg-shift 0, aliased every
 * 8 bytes across its window as QEMU does), as Linux's 8250 driver and the
 * ns16550 drivers of OpenSBI and U-Boot program it. Transmission is
 * immediate: a byte written to THR goes to the tx callback at once (or, in
 * loopback mode, into the receive FIFO), so THR is always empty again by the
 * next access. Plain state: it can be copied whole. */
#ifndef SPLITVM_DEV_UART16550_H
#define SPLITVM_DEV_UART16550_H

#include <stddef.h>
#include <stdint.h>

#include "irq.h"

#define UART16550_BASE 0x10000000u
#define UART16550_SIZE 0x100u
#define UART16550_IRQ 10
/* A real 16550A's receive FIFO. Not larger: Linux's autoconfig sizes the
 * FIFO through loopback and a 64-byte one would make it a U6_16550A. */
#define UART16550_FIFO 16

/* Bytes the guest transmitted (one at a time). */
typedef void (*uart16550_tx_fn)(void *opaque, const uint8_t *buf, size_t n);

typedef struct uart16550 {
    uart16550_tx_fn tx; /* wiring, set at init */
    void *tx_opaque;
    irq_line irq;

    uint8_t ier, lcr, mcr, lsr, msr, scr, fcr; /* fcr: the last value written */
    uint8_t dll, dlm;
    uint8_t rx[UART16550_FIFO]; /* ring: head is the oldest byte */
    uint8_t rx_head, rx_count;
    uint8_t thr_ipending; /* THR empty interrupt pending (cleared by IIR read / THR write) */
    uint8_t irq_level;    /* the level last driven on irq */
} uart16550;

void uart16550_init(uart16550 *u, uart16550_tx_fn tx, void *tx_opaque, irq_line irq);
/* Back to the power-on state (the wiring stays). */
void uart16550_reset(uart16550 *u);
/* Host input: queue up to n bytes; returns how many were accepted. */
size_t uart16550_receive(uart16550 *u, const uint8_t *buf, size_t n);
/* Bytes uart16550_receive would accept now. */
size_t uart16550_rx_space(const uart16550 *u);

/* Bus accessors. Any size is accepted: the access acts on the byte register
 * at (off & 7) with the value's low byte, a read zero-extends. */
int uart16550_read(void *dev, uint64_t off, int size, uint64_t *val);
int uart16550_write(void *dev, uint64_t off, int size, uint64_t val);

/* Snapshots: the registers and the receive FIFO. uart16550_load fills u (a copy of the live device: its
 * wiring is kept) and checks every value is one the device could hold;
 * 0, or -1 for a malformed section. */
struct state_w;
struct state_r;
void uart16550_save(const uart16550 *u, struct state_w *w);
int uart16550_load(uart16550 *u, struct state_r *r);

#endif
