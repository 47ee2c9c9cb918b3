/* Bare-metal guest for the snapshot tests (virt board, M mode, no
 * firmware): counts machine timer interrupts from the CLINT, dirties 3 MiB
 * of RAM with a pseudo-random mix over ROUNDS rounds, prints one line per
 * round and a final "done" line on the 16550 UART, and powers off through
 * the sifive_test device with a status taken from its hash. With counted
 * time (-icount) every line, the tick counts included, is the same on every
 * run; the hash does not depend on the clock at all. */
#include <stdint.h>

#define UART ((volatile uint8_t *)0x10000000)
#define UART_LSR_THR_EMPTY 0x20
#define CLINT_MTIMECMP0 ((volatile uint64_t *)0x2004000)
#define CLINT_MTIME ((volatile uint64_t *)0x200bff8)
#define SIFIVE_TEST ((volatile uint32_t *)0x100000)

#define TICK 500 /* timer ticks between interrupts: 5000 instructions counted */
#define WORDS ((3u << 20) / 8)
#define ROUNDS 12
#define STEPS 32768

static uint64_t ram[WORDS];
static volatile uint64_t ticks;

static void power_off(uint32_t code)
{
    *SIFIVE_TEST = code ? (code << 16) | 0x3333 : 0x5555;
    for (;;)
        ;
}

__attribute__((interrupt("machine"), aligned(4))) void trap(void)
{
    uint64_t cause;
    __asm__ volatile("csrr %0, mcause" : "=r"(cause));
    if (cause != ((1ull << 63) | 7))
        power_off(255); /* nothing else is expected */
    ticks++;
    *CLINT_MTIMECMP0 = *CLINT_MTIME + TICK;
}

static void put_char(char c)
{
    while (!(UART[5] & UART_LSR_THR_EMPTY))
        ;
    UART[0] = (uint8_t)c;
}

static void put_str(const char *s)
{
    while (*s)
        put_char(*s++);
}

static void put_hex(uint64_t v)
{
    for (int i = 60; i >= 0; i -= 4)
        put_char("0123456789abcdef"[(v >> i) & 15]);
}

static void put_dec(uint64_t v)
{
    char d[24];
    int n = 0;
    do
        d[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n)
        put_char(d[--n]);
}

int main(void)
{
    __asm__ volatile("csrw mtvec, %0" ::"r"(&trap));
    *CLINT_MTIMECMP0 = *CLINT_MTIME + TICK;
    __asm__ volatile("csrs mie, %0" ::"r"(1ul << 7));    /* MTIE */
    __asm__ volatile("csrs mstatus, %0" ::"r"(1ul << 3)); /* MIE */
    uint64_t x = 0x9e3779b97f4a7c15ull, hash = 0xcbf29ce484222325ull;
    for (uint64_t r = 0; r < ROUNDS; r++) {
        for (unsigned i = 0; i < STEPS; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            uint64_t *w = &ram[(x >> 16) % WORDS];
            *w = *w * 0x100000001b3ull + x + r;
            hash = (hash ^ *w) * 0x100000001b3ull;
        }
        put_str("round ");
        put_dec(r);
        put_str(" hash ");
        put_hex(hash);
        put_str(" ticks ");
        put_dec(ticks);
        put_char('\n');
    }
    __asm__ volatile("csrc mstatus, %0" ::"r"(1ul << 3));
    put_str("done hash=");
    put_hex(hash);
    put_str(" ticks=");
    put_dec(ticks);
    put_char('\n');
    power_off(1 + (uint32_t)(hash % 100));
    return 0;
}
