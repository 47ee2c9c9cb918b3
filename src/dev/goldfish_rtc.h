/* google,goldfish-rtc as Linux's rtc-goldfish driver uses it: a 64-bit
 * nanosecond clock (reading TIME_LOW latches TIME_HIGH), settable by the
 * guest as an offset from the board's clock, and one alarm that raises the
 * IRQ line when the board polls past it. Plain state: copyable. */
#ifndef SPLITVM_DEV_GOLDFISH_RTC_H
#define SPLITVM_DEV_GOLDFISH_RTC_H

#include <stdint.h>

#include "irq.h"

#define GOLDFISH_RTC_BASE 0x101000u
#define GOLDFISH_RTC_SIZE 0x1000u
#define GOLDFISH_RTC_IRQ 11

/* Nanoseconds since the Unix epoch (the host's realtime clock, or the
 * embedder's). */
typedef uint64_t (*goldfish_rtc_clock_fn)(void *opaque);

typedef struct goldfish_rtc {
    goldfish_rtc_clock_fn clock; /* wiring, set at init */
    void *clock_opaque;
    irq_line irq;

    uint64_t offset;     /* guest time = clock + offset (mod 2^64) */
    uint64_t alarm;      /* guest time of the alarm */
    uint32_t time_high;  /* latched by the last TIME_LOW read */
    uint8_t alarm_armed; /* ALARM_STATUS */
    uint8_t irq_pending, irq_enabled;
} goldfish_rtc;

void goldfish_rtc_init(goldfish_rtc *r, goldfish_rtc_clock_fn clock, void *clock_opaque, irq_line irq);
/* Fire the alarm if its time has come. The board calls it at (or after)
 * goldfish_rtc_next_event_ns, and may call it any time. */
void goldfish_rtc_poll(goldfish_rtc *r);
/* The clock's time (same domain as the clock callback) at which the armed
 * alarm fires, or UINT64_MAX when none is armed. */
uint64_t goldfish_rtc_next_event_ns(const goldfish_rtc *r);

/* Bus accessors: aligned 32-bit accesses only (others fault, as in QEMU);
 * offsets past CLEAR_INTERRUPT read 0 and ignore writes. */
int goldfish_rtc_read(void *dev, uint64_t off, int size, uint64_t *val);
int goldfish_rtc_write(void *dev, uint64_t off, int size, uint64_t val);

/* Snapshots: the offset from the host clock, the alarm and its interrupt. goldfish_rtc_load fills rtc (a copy of the live device: its
 * wiring is kept) and checks every value is one the device could hold;
 * 0, or -1 for a malformed section. */
struct state_w;
struct state_r;
void goldfish_rtc_save(const goldfish_rtc *rtc, struct state_w *w);
int goldfish_rtc_load(goldfish_rtc *rtc, struct state_r *r);

#endif
