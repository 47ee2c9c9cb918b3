/* 16550A UART: registers, receive FIFO, interrupt identification. */
#include "uart16550.h"

#include <string.h>

#include "../state/state_io.h"

enum { REG_RBR_THR = 0, REG_IER = 1, REG_IIR_FCR = 2, REG_LCR = 3, REG_MCR = 4, REG_LSR = 5, REG_MSR = 6,
       REG_SCR = 7 };
enum { IER_RDI = 0x01, IER_THRI = 0x02, IER_RLSI = 0x04, IER_MSI = 0x08 };
enum { IIR_NONE = 0x01, IIR_MSI = 0x00, IIR_THRI = 0x02, IIR_RDI = 0x04, IIR_RLSI = 0x06, IIR_TIMEOUT = 0x0c,
       IIR_FIFO = 0xc0 };
enum { FCR_ENABLE = 0x01, FCR_CLEAR_RX = 0x02, FCR_TRIGGER = 0xc0 };
enum { LCR_DLAB = 0x80 };
enum { MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10 };
enum { LSR_DR = 0x01, LSR_OE = 0x02, LSR_ERRORS = 0x1e, LSR_THRE = 0x20, LSR_TEMT = 0x40, LSR_FIFO_ERR = 0x80 };
enum { MSR_DELTAS = 0x0f, MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80 };

static int fifo_on(const uart16550 *u) { return u->fcr & FCR_ENABLE; }

/* Bytes the receiver holds at most: the FIFO, or the single RBR. */
static unsigned rx_capacity(const uart16550 *u) { return fifo_on(u) ? UART16550_FIFO : 1; }

static unsigned rx_trigger(const uart16550 *u)
{
    static const uint8_t levels[4] = {1, 4, 8, 14};
    return levels[(u->fcr & FCR_TRIGGER) >> 6];
}

static uint8_t iir(const uart16550 *u)
{
    uint8_t id = IIR_NONE;
    if ((u->ier & IER_RLSI) && (u->lsr & LSR_ERRORS))
        id = IIR_RLSI;
    else if ((u->ier & IER_RDI) && u->rx_count)
        /* No character timer: data below the trigger level is reported as a
         * timeout at once, which drivers handle like data available. */
        id = (!fifo_on(u) || u->rx_count >= rx_trigger(u)) ? IIR_RDI : IIR_TIMEOUT;
    else if ((u->ier & IER_THRI) && u->thr_ipending)
        id = IIR_THRI;
    else if ((u->ier & IER_MSI) && (u->msr & MSR_DELTAS))
        id = IIR_MSI;
    return (uint8_t)(id | (fifo_on(u) ? IIR_FIFO : 0));
}

static void update_irq(uart16550 *u)
{
    u->irq_level = !(iir(u) & IIR_NONE);
    irq_set(&u->irq, u->irq_level);
}

static void clear_rx(uart16550 *u)
{
    u->rx_head = 0;
    u->rx_count = 0;
    u->lsr &= (uint8_t)~(LSR_DR | LSR_FIFO_ERR);
}

/* Put one byte in the receiver; a full one overruns (FIFO mode loses the new
 * byte, 16450 mode overwrites the RBR). */
static void rx_push(uart16550 *u, uint8_t byte)
{
    if (u->rx_count == rx_capacity(u)) {
        u->lsr |= LSR_OE;
        if (!fifo_on(u))
            u->rx[u->rx_head] = byte;
        return;
    }
    u->rx[(u->rx_head + u->rx_count) % UART16550_FIFO] = byte;
    u->rx_count++;
    u->lsr |= LSR_DR;
}

static uint8_t rx_pop(uart16550 *u)
{
    if (!u->rx_count)
        return 0;
    uint8_t byte = u->rx[u->rx_head];
    u->rx_head = (uint8_t)((u->rx_head + 1) % UART16550_FIFO);
    if (!--u->rx_count)
        u->lsr &= (uint8_t)~LSR_DR;
    return byte;
}

/* The modem inputs: wired to the MCR outputs in loopback, else a connected
 * peer (CTS, DSR, DCD) as QEMU shows them. */
static uint8_t modem_inputs(const uart16550 *u)
{
    if (!(u->mcr & MCR_LOOP))
        return MSR_CTS | MSR_DSR | MSR_DCD;
    uint8_t m = u->mcr;
    return (uint8_t)(((m & MCR_RTS) ? MSR_CTS : 0) | ((m & MCR_DTR) ? MSR_DSR : 0) | ((m & MCR_OUT1) ? MSR_RI : 0) |
                     ((m & MCR_OUT2) ? MSR_DCD : 0));
}

static void set_modem_inputs(uart16550 *u, uint8_t now)
{
    uint8_t old = u->msr & 0xf0, changed = old ^ now, delta = 0;
    if (changed & MSR_CTS)
        delta |= 0x01;
    if (changed & MSR_DSR)
        delta |= 0x02;
    if ((old & MSR_RI) && !(now & MSR_RI)) /* trailing edge of RI */
        delta |= 0x04;
    if (changed & MSR_DCD)
        delta |= 0x08;
    u->msr = (uint8_t)(now | (u->msr & MSR_DELTAS) | delta);
}

void uart16550_reset(uart16550 *u)
{
    u->ier = u->lcr = u->mcr = u->scr = u->fcr = 0;
    u->dll = u->dlm = 0;
    memset(u->rx, 0, sizeof(u->rx));
    u->rx_head = u->rx_count = 0;
    u->lsr = LSR_THRE | LSR_TEMT;
    u->msr = MSR_CTS | MSR_DSR | MSR_DCD;
    u->thr_ipending = 0;
    update_irq(u);
}

void uart16550_init(uart16550 *u, uart16550_tx_fn tx, void *tx_opaque, irq_line irq)
{
    memset(u, 0, sizeof(*u));
    u->tx = tx;
    u->tx_opaque = tx_opaque;
    u->irq = irq;
    uart16550_reset(u);
}

size_t uart16550_rx_space(const uart16550 *u)
{
    if (u->mcr & MCR_LOOP) /* the receiver listens to the transmitter only */
        return 0;
    return rx_capacity(u) - u->rx_count;
}

size_t uart16550_receive(uart16550 *u, const uint8_t *buf, size_t n)
{
    size_t space = uart16550_rx_space(u), take = n < space ? n : space;
    for (size_t i = 0; i < take; i++)
        rx_push(u, buf[i]);
    if (take)
        update_irq(u);
    return take;
}

static void transmit(uart16550 *u, uint8_t byte)
{
    if (u->mcr & MCR_LOOP)
        rx_push(u, byte);
    else if (u->tx)
        u->tx(u->tx_opaque, &byte, 1);
    u->thr_ipending = 1; /* sent at once: THR is empty again */
}

int uart16550_read(void *dev, uint64_t off, int size, uint64_t *val)
{
    (void)size;
    uart16550 *u = dev;
    int dlab = u->lcr & LCR_DLAB;
    uint8_t v = 0;
    switch (off & 7) {
    case REG_RBR_THR:
        v = dlab ? u->dll : rx_pop(u);
        break;
    case REG_IER:
        v = dlab ? u->dlm : u->ier;
        break;
    case REG_IIR_FCR:
        v = iir(u);
        if ((v & 0x0f) == IIR_THRI) /* reading the identification acknowledges THR empty */
            u->thr_ipending = 0;
        break;
    case REG_LCR:
        v = u->lcr;
        break;
    case REG_MCR:
        v = u->mcr;
        break;
    case REG_LSR:
        v = u->lsr;
        u->lsr &= (uint8_t)~(LSR_ERRORS | LSR_FIFO_ERR);
        break;
    case REG_MSR:
        v = u->msr;
        u->msr &= (uint8_t)~MSR_DELTAS;
        break;
    case REG_SCR:
        v = u->scr;
        break;
    }
    *val = v;
    update_irq(u);
    return 0;
}

static void write_fcr(uart16550 *u, uint8_t v)
{
    if ((v ^ u->fcr) & FCR_ENABLE) /* switching the FIFOs on or off empties them */
        clear_rx(u);
    if (v & FCR_CLEAR_RX)
        clear_rx(u);
    /* Without the enable bit the other bits do not take. */
    u->fcr = (v & FCR_ENABLE) ? (uint8_t)(v & (FCR_ENABLE | FCR_TRIGGER)) : 0;
}

int uart16550_write(void *dev, uint64_t off, int size, uint64_t val)
{
    (void)size;
    uart16550 *u = dev;
    int dlab = u->lcr & LCR_DLAB;
    uint8_t v = (uint8_t)val;
    switch (off & 7) {
    case REG_RBR_THR:
        if (dlab)
            u->dll = v;
        else
            transmit(u, v);
        break;
    case REG_IER:
        if (dlab) {
            u->dlm = v;
            break;
        }
        /* Enabling the THR empty interrupt while THR is empty raises it. */
        if ((v & IER_THRI) && !(u->ier & IER_THRI))
            u->thr_ipending = 1;
        else if (!(v & IER_THRI))
            u->thr_ipending = 0;
        u->ier = v & 0x0f;
        break;
    case REG_IIR_FCR:
        write_fcr(u, v);
        break;
    case REG_LCR:
        u->lcr = v;
        break;
    case REG_MCR:
        u->mcr = v & 0x1f;
        set_modem_inputs(u, modem_inputs(u));
        break;
    case REG_SCR:
        u->scr = v;
        break;
    default: /* LSR and MSR are read-only */
        break;
    }
    update_irq(u);
    return 0;
}

void uart16550_save(const uart16550 *u, state_w *w)
{
    const uint8_t regs[] = {u->ier, u->lcr, u->mcr, u->lsr, u->msr, u->scr, u->fcr, u->dll, u->dlm,
                            u->rx_head, u->rx_count, u->thr_ipending, u->irq_level};
    state_put_bytes(w, regs, sizeof(regs));
    state_put_bytes(w, u->rx, sizeof(u->rx));
}

int uart16550_load(uart16550 *u, state_r *r)
{
    uint8_t regs[13];
    state_get_bytes(r, regs, sizeof(regs));
    u->ier = regs[0], u->lcr = regs[1], u->mcr = regs[2], u->lsr = regs[3], u->msr = regs[4];
    u->scr = regs[5], u->fcr = regs[6], u->dll = regs[7], u->dlm = regs[8];
    u->rx_head = regs[9], u->rx_count = regs[10], u->thr_ipending = regs[11], u->irq_level = regs[12];
    state_get_bytes(r, u->rx, sizeof(u->rx));
    state_require(r, u->rx_head < UART16550_FIFO && u->rx_count <= rx_capacity(u) && u->thr_ipending <= 1);
    /* The line it drives is the one its registers call for. */
    state_require(r, u->irq_level == !(iir(u) & IIR_NONE));
    return state_r_ok(r) ? 0 : -1;
}
