/* 16550A UART: Linux 8250 autoconfig and start-up probes, the ns16550 init
 * and polled I/O of OpenSBI/U-Boot, the receive FIFO and its trigger levels,
 * interrupt identification priorities, loopback and the modem status deltas,
 * and malformed programming (wide, unaligned, aliased, read-only). */
#include <string.h>

#include "../../src/dev/uart16550.h"
#include "dev_check.h"

static uint8_t out[1024];
static size_t nout;

static void tx(void *opaque, const uint8_t *buf, size_t n)
{
    (void)opaque;
    for (size_t i = 0; i < n && nout < sizeof(out); i++)
        out[nout++] = buf[i];
}

static uart16550 u;
static irq_probe probe;

static uint8_t rd(unsigned reg)
{
    uint64_t v = 0xdead;
    CHECK(uart16550_read(&u, reg, 1, &v) == 0, "read reg %u", reg);
    return (uint8_t)v;
}

static void wr(unsigned reg, uint8_t v) { CHECK(uart16550_write(&u, reg, 1, v) == 0, "write reg %u", reg); }

static void fresh(void)
{
    memset(&probe, 0, sizeof(probe));
    nout = 0;
    uart16550_init(&u, tx, NULL, irq_probe_line(&probe, UART16550_IRQ));
}

/* The probes of Linux's 8250 autoconfig(), in its order. */
static void test_linux_autoconfig(void)
{
    fresh();
    /* IER: the low nibble must hold what is written, the high one read 0. */
    wr(1, 0);
    CHECK((rd(1) & 0x0f) == 0, "IER cleared");
    wr(1, 0xff);
    CHECK(rd(1) == 0x0f, "IER keeps 0x0f only, got %#x", rd(1));
    wr(1, 0);
    /* Loopback: MCR = LOOP | OUT2 | RTS gives CTS and DCD. */
    wr(4, 0x1a);
    CHECK((rd(6) & 0xf0) == 0x90, "loopback MSR status %#x", rd(6) & 0xf0);
    wr(4, 0);
    /* EFR probe: LCR 0xbf, write 0 at offset 2 (FCR here), then FIFO on. */
    wr(3, 0xbf);
    wr(2, 0);
    wr(3, 0);
    wr(2, 0x01);
    CHECK((rd(2) >> 6) == 3, "IIR bits 7:6 report a 16550A FIFO");
    /* With DLAB set, offset 2 still reads a non-zero IIR: no ST16C650V1 EFR. */
    wr(3, 0x80);
    CHECK(rd(2) != 0, "no EFR with DLAB");
    wr(3, 0xbf);
    CHECK(rd(2) != 0, "no EFR with LCR 0xbf");
    /* NS SuperIO: IIR bit 4 must not follow MCR's LOOP bit. */
    wr(3, 0);
    wr(4, 0x10);
    wr(3, 0xe0);
    CHECK((rd(2) & 0x10) == 0, "IIR bit 4 stays 0");
    wr(3, 0);
    wr(4, 0);
    /* TI16750: 64-byte FIFO bit (FCR/IIR bit 5) is not implemented. */
    wr(2, 0x21);
    CHECK((rd(2) & 0xe0) == 0xc0, "no 64-byte FIFO bit, IIR %#x", rd(2));
    wr(3, 0x80);
    wr(2, 0x21);
    CHECK((rd(2) & 0xe0) == 0xc0, "no 64-byte FIFO bit with DLAB");
    wr(3, 0);
    /* XScale UUE (IER bit 6) does not stick. */
    wr(1, 0x40);
    CHECK((rd(1) & 0x40) == 0, "no UUE bit");
    wr(1, 0);
    /* size_fifo(): loopback, 256 bytes out, count what came back. */
    wr(2, 0x07);
    wr(4, 0x10);
    wr(3, 0x80);
    wr(0, 1);
    wr(1, 0);
    wr(3, 0x03);
    for (int i = 0; i < 256; i++)
        wr(0, (uint8_t)i);
    CHECK(nout == 0, "loopback output stays inside the chip");
    CHECK(rd(5) & 0x02, "overrun reported");
    int count = 0;
    while ((rd(5) & 0x01) && count < 256) {
        uint8_t b = rd(0);
        CHECK(b == count, "loopback byte %d is %u", count, b);
        count++;
    }
    CHECK(count == UART16550_FIFO, "FIFO size %d", count);
    CHECK((rd(5) & 0x02) == 0, "reading LSR cleared the overrun");
    wr(4, 0);
    /* Start-up: enabling THRI with THR empty raises THRE at once (else the
     * driver flags UART_BUG_TXEN). */
    CHECK(rd(5) != 0xff, "LSR safety check");
    wr(1, 0x02);
    CHECK((rd(5) & 0x40) && (rd(2) & 0x0f) == 0x02, "THRI on enable");
    CHECK(probe.level[UART16550_IRQ] == 0, "IIR read acknowledged THRE");
    wr(1, 0);
}

static void test_ns16550_polled(void)
{
    fresh();
    /* OpenSBI/U-Boot init: divisor, 8N1, FIFO on, MCR 0. */
    wr(3, 0x80);
    wr(0, 0x36);
    wr(1, 0x01);
    CHECK(rd(0) == 0x36 && rd(1) == 0x01, "divisor latch reads back");
    wr(3, 0x03);
    CHECK(rd(1) == 0, "IER separate from DLM");
    wr(2, 0x07);
    wr(4, 0);
    wr(7, 0x5a);
    CHECK(rd(7) == 0x5a, "scratch");
    const char *msg = "OpenSBI\n";
    for (const char *p = msg; *p; p++) {
        CHECK(rd(5) & 0x20, "THRE before each byte");
        wr(0, (uint8_t)*p);
    }
    CHECK(nout == strlen(msg) && memcmp(out, msg, nout) == 0, "output %.*s", (int)nout, out);
    CHECK(!(rd(5) & 0x01), "nothing received");
    CHECK(uart16550_receive(&u, (const uint8_t *)"ab", 2) == 2, "two bytes in");
    CHECK((rd(5) & 0x01) && rd(0) == 'a' && rd(0) == 'b' && !(rd(5) & 0x01), "getc in order");
    CHECK(rd(0) == 0, "RBR of an empty FIFO reads 0");
    CHECK(probe.level[UART16550_IRQ] == 0 && probe.calls > 0, "polled: no interrupt");
}

static void test_rx_fifo_and_irq(void)
{
    fresh();
    wr(3, 0x03);
    wr(2, 0x81); /* FIFO, trigger level 8 (Linux's choice) */
    CHECK(uart16550_rx_space(&u) == UART16550_FIFO, "empty FIFO space");
    wr(1, 0x01); /* RDI */
    CHECK(probe.level[UART16550_IRQ] == 0, "no data, no interrupt");
    uint8_t in[40];
    for (int i = 0; i < 40; i++)
        in[i] = (uint8_t)('A' + i);
    CHECK(uart16550_receive(&u, in, 3) == 3, "3 accepted");
    CHECK(probe.level[UART16550_IRQ] == 1, "line raised on data");
    CHECK(rd(2) == 0xcc, "below trigger: timeout id, IIR %#x", rd(2));
    CHECK(uart16550_receive(&u, in + 3, 37) == 13, "FIFO full at 16");
    CHECK(uart16550_rx_space(&u) == 0 && !(rd(5) & 0x02), "full, host input never overruns");
    CHECK(rd(2) == 0xc4, "at trigger: data available, IIR %#x", rd(2));
    for (int i = 0; i < 16; i++)
        CHECK(rd(0) == in[i], "byte %d", i);
    CHECK(probe.level[UART16550_IRQ] == 0 && rd(2) == 0xc1, "drained: line lowered");
    /* 16450 mode: a single holding register. */
    wr(2, 0x00);
    CHECK(rd(2) == 0x01, "no FIFO bits");
    CHECK(uart16550_receive(&u, in, 5) == 1 && uart16550_rx_space(&u) == 0, "one byte without FIFO");
    CHECK(rd(2) == 0x04, "data available without FIFO");
    /* FCR clear-receiver empties it. */
    wr(2, 0x01);
    CHECK(uart16550_receive(&u, in, 2) == 2, "refill");
    wr(2, 0x03);
    CHECK(!(rd(5) & 0x01) && probe.level[UART16550_IRQ] == 0, "FCR clear RX");
}

static void test_priorities(void)
{
    fresh();
    wr(2, 0x01);
    wr(1, 0x0f); /* every source */
    CHECK((rd(2) & 0x0f) == 0x02, "THRE pending after enable");
    CHECK((rd(2) & 0x0f) == 0x01, "THRE acknowledged by the IIR read");
    wr(0, 'x');
    CHECK((rd(2) & 0x0f) == 0x02 && nout == 1, "THRE again after a byte went out");
    /* Loopback overrun: line status beats data beats THRE. */
    wr(4, 0x10);
    for (int i = 0; i < 17; i++)
        wr(0, (uint8_t)i);
    CHECK((rd(2) & 0x0f) == 0x06, "line status first");
    CHECK(rd(5) & 0x02, "OE");
    CHECK((rd(2) & 0x0f) == 0x04, "then data");
    for (int i = 0; i < 16; i++)
        rd(0);
    CHECK((rd(2) & 0x0f) == 0x02, "then THRE");
    /* Modem status: deltas from MCR in loopback, cleared by reading MSR. */
    CHECK((rd(2) & 0x0f) == 0x00, "entering loopback changed the modem inputs");
    CHECK(rd(6) == 0x0b, "DCTS DDSR DDCD, lines low in loopback");
    CHECK((rd(2) & 0x0f) == 0x01, "idle");
    wr(4, 0x10 | 0x01 | 0x04); /* DTR, OUT1 -> DSR, RI */
    CHECK((rd(2) & 0x0f) == 0x00 && probe.level[UART16550_IRQ] == 1, "modem status interrupt");
    wr(4, 0x10 | 0x01); /* RI falls */
    uint8_t msr = rd(6);
    CHECK(msr == (0x20 | 0x02 | 0x04), "MSR DSR+DDSR+TERI, got %#x", msr);
    CHECK(rd(6) == 0x20 && rd(2) == 0xc1 && probe.level[UART16550_IRQ] == 0, "deltas cleared");
    /* Leaving loopback: the peer's lines again. */
    wr(1, 0);
    wr(4, 0);
    CHECK((rd(6) & 0xf0) == 0xb0, "CTS DSR DCD outside loopback");
    CHECK(uart16550_rx_space(&u) == UART16550_FIFO, "receiver back on the line");
}

static void test_malformed(void)
{
    fresh();
    uint64_t v;
    /* Wide and unaligned accesses act on the byte register at off & 7. */
    CHECK(uart16550_write(&u, 7, 4, 0x12345678) == 0 && rd(7) == 0x78, "wide write: low byte");
    CHECK(uart16550_read(&u, 7, 8, &v) == 0 && v == 0x78, "wide read zero-extends");
    CHECK(uart16550_write(&u, 0x8 + 7, 1, 0x11) == 0 && rd(7) == 0x11, "aliased every 8 bytes");
    CHECK(uart16550_read(&u, 0xff, 1, &v) == 0 && v == 0x11, "top of the window");
    /* Read-only registers ignore writes. */
    uint8_t lsr = rd(5), msr = rd(6);
    wr(5, 0x00);
    wr(6, 0xff);
    CHECK(rd(5) == lsr && rd(6) == msr, "LSR/MSR read-only");
    CHECK(nout == 0, "no stray output");
    /* Receiving nothing, or into a stuck loopback receiver. */
    CHECK(uart16550_receive(&u, NULL, 0) == 0, "empty receive");
    wr(4, 0x10);
    CHECK(uart16550_receive(&u, (const uint8_t *)"z", 1) == 0, "loopback refuses host input");
    /* Reset keeps the wiring. */
    uart16550_reset(&u);
    wr(0, 'k');
    CHECK(nout == 1 && out[0] == 'k' && rd(4) == 0, "reset keeps tx wiring");
    /* Unwired: a UART with no callbacks still works. */
    uart16550 bare;
    irq_line none = {0};
    uart16550_init(&bare, NULL, NULL, none);
    CHECK(uart16550_write(&bare, 1, 1, 0x02) == 0 && uart16550_write(&bare, 0, 1, 'q') == 0, "unwired");
    CHECK(bare.irq_level == 1, "level tracked unwired");
}

int main(void)
{
    test_linux_autoconfig();
    test_ns16550_polled();
    test_rx_fifo_and_irq();
    test_priorities();
    test_malformed();
    return check_report("uart16550");
}
