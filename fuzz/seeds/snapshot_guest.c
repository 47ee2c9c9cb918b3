/* The guest in fuzz_snapshot's seed snapshots (virt board, 2 MiB, M mode,
 * no firmware): it drives every device whose state a snapshot holds, so
 * that a fuzzed state is put to use in the 20000 instructions the target
 * runs after a load. Set-up: virtio-blk in the last slot (0x10008000)
 * through feature negotiation to a ready queue of 8 with a three-part read
 * request (header, 512 bytes, status) in RAM, the UART's FIFO on, the PLIC
 * routing the disk's and the UART's lines to hart 0's M context, the CLINT
 * timer every 100 ticks. Each timer interrupt offers the request again and
 * rings the queue, reads the UART (IIR, LSR, RBR), the RTC, and claims and
 * completes whatever the PLIC holds; in between a loop stores over 8 KiB.
 * Absolute addresses only (no data sections): make-seeds.sh turns the
 * code into the words of snapshot_guest.inc. */
#include <stdint.h>

#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define REG64(a) (*(volatile uint64_t *)(uintptr_t)(a))
#define REG8(a) (*(volatile uint8_t *)(uintptr_t)(a))

#define BLK 0x10008000u
#define UART 0x10000000u
#define PLIC 0x0c000000u
#define RTC 0x101000u
#define CLINT_MTIMECMP 0x2004000u
#define CLINT_MTIME 0x200bff8u
#define RING 0x80010000u /* desc (8 x 16 bytes), avail at +0x100, used at +0x200 */
#define REQ 0x80010400u  /* header; data at +0x400, status at +0x600 */
#define LOOP 0x80012000u /* the store loop's 8 KiB */
#define QN 8

static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    REG64(RING + 16 * i) = addr;
    REG32(RING + 16 * i + 8) = len;
    *(volatile uint16_t *)(uintptr_t)(RING + 16 * i + 12) = flags;
    *(volatile uint16_t *)(uintptr_t)(RING + 16 * i + 14) = next;
}

__attribute__((interrupt("machine"), aligned(4))) void trap(void)
{
    REG64(CLINT_MTIMECMP) = REG64(CLINT_MTIME) + 100;
    /* Offer the read request again and ring the queue. */
    volatile uint16_t *avail = (volatile uint16_t *)(uintptr_t)(RING + 0x100);
    uint16_t idx = avail[1];
    avail[2 + idx % QN] = 0;
    avail[1] = (uint16_t)(idx + 1);
    REG32(BLK + 0x050) = 0;
    REG32(BLK + 0x064) = REG32(BLK + 0x060);
    (void)REG8(UART + 2);
    (void)REG8(UART + 5);
    (void)REG8(UART + 0);
    (void)REG32(RTC + 0x00);
    (void)REG32(RTC + 0x04);
    uint32_t claim = REG32(PLIC + 0x200004);
    if (claim)
        REG32(PLIC + 0x200004) = claim;
    REG8(UART) = 'T';
}

__attribute__((noreturn)) void guest_main(void)
{
    /* virtio-blk: ACKNOWLEDGE, DRIVER, VERSION_1, FEATURES_OK, queue 0, DRIVER_OK. */
    REG32(BLK + 0x070) = 1;
    REG32(BLK + 0x070) = 3;
    REG32(BLK + 0x024) = 1;
    REG32(BLK + 0x020) = 1;
    REG32(BLK + 0x070) = 11;
    REG32(BLK + 0x030) = 0;
    REG32(BLK + 0x038) = QN;
    REG32(BLK + 0x080) = RING;
    REG32(BLK + 0x084) = 0;
    REG32(BLK + 0x090) = RING + 0x100;
    REG32(BLK + 0x094) = 0;
    REG32(BLK + 0x0a0) = RING + 0x200;
    REG32(BLK + 0x0a4) = 0;
    REG32(BLK + 0x044) = 1;
    REG32(BLK + 0x070) = 15;
    REG32(REQ) = 0;      /* VIRTIO_BLK_T_IN */
    REG64(REQ + 8) = 1;  /* sector 1 */
    desc(0, REQ, 16, 1, 1);
    desc(1, REQ + 0x400, 512, 3, 2);
    desc(2, REQ + 0x600, 1, 2, 0);
    /* UART: FIFO on, receive and transmit interrupts. PLIC: sources 8 (the
     * last virtio slot) and 10 (UART) to context 0 (hart 0, M mode). */
    REG8(UART + 2) = 1;
    REG8(UART + 1) = 3;
    REG32(PLIC + 4 * 8) = 1;
    REG32(PLIC + 4 * 10) = 1;
    REG32(PLIC + 0x2000) = (1u << 8) | (1u << 10);
    REG32(PLIC + 0x200000) = 0;
    uint64_t tvec = (uint64_t)(uintptr_t)&trap;
    __asm__ volatile("csrw mtvec, %0" ::"r"(tvec));
    REG64(CLINT_MTIMECMP) = REG64(CLINT_MTIME) + 100;
    __asm__ volatile("csrs mie, %0" ::"r"((1ul << 7) | (1ul << 11)));
    __asm__ volatile("csrs mstatus, %0" ::"r"(1ul << 3));
    for (uint64_t n = 0;; n++)
        REG64(LOOP + 8 * (n & 1023)) = n;
}

__attribute__((naked, section(".text.init"))) void _start(void)
{
    __asm__ volatile("li sp, 0x80008000\n\tj guest_main");
}
