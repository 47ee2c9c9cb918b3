/* Goldfish RTC: clock registers, the alarm and its interrupt. */
#include "goldfish_rtc.h"

#include <string.h>

#include "../state/state_io.h"

enum { TIME_LOW = 0x00, TIME_HIGH = 0x04, ALARM_LOW = 0x08, ALARM_HIGH = 0x0c, IRQ_ENABLED = 0x10,
       CLEAR_ALARM = 0x14, ALARM_STATUS = 0x18, CLEAR_INTERRUPT = 0x1c };

static uint64_t guest_now(const goldfish_rtc *r)
{
    return (r->clock ? r->clock(r->clock_opaque) : 0) + r->offset;
}

static void update_irq(goldfish_rtc *r) { irq_set(&r->irq, r->irq_pending && r->irq_enabled); }

static void fire(goldfish_rtc *r)
{
    r->alarm_armed = 0;
    r->irq_pending = 1;
    update_irq(r);
}

void goldfish_rtc_init(goldfish_rtc *r, goldfish_rtc_clock_fn clock, void *clock_opaque, irq_line irq)
{
    memset(r, 0, sizeof(*r));
    r->clock = clock;
    r->clock_opaque = clock_opaque;
    r->irq = irq;
    update_irq(r);
}

void goldfish_rtc_poll(goldfish_rtc *r)
{
    if (r->alarm_armed && guest_now(r) >= r->alarm)
        fire(r);
}

uint64_t goldfish_rtc_next_event_ns(const goldfish_rtc *r)
{
    if (!r->alarm_armed)
        return UINT64_MAX;
    uint64_t clock = r->clock ? r->clock(r->clock_opaque) : 0, now = clock + r->offset;
    if (r->alarm <= now)
        return clock;
    uint64_t wait = r->alarm - now;
    return wait > UINT64_MAX - clock ? UINT64_MAX - 1 : clock + wait;
}

int goldfish_rtc_read(void *dev, uint64_t off, int size, uint64_t *val)
{
    goldfish_rtc *r = dev;
    if (size != 4 || (off & 3))
        return -1;
    uint64_t v = 0;
    switch (off) {
    case TIME_LOW: {
        uint64_t now = guest_now(r);
        r->time_high = (uint32_t)(now >> 32);
        v = (uint32_t)now;
        break;
    }
    case TIME_HIGH:
        v = r->time_high;
        break;
    case ALARM_LOW:
        v = (uint32_t)r->alarm;
        break;
    case ALARM_HIGH:
        v = r->alarm >> 32;
        break;
    case IRQ_ENABLED:
        v = r->irq_enabled;
        break;
    case ALARM_STATUS:
        v = r->alarm_armed;
        break;
    }
    *val = v;
    return 0;
}

/* Move guest time so that its bits under mask become those of `bits`. */
static void set_time_bits(goldfish_rtc *r, uint64_t mask, uint64_t bits)
{
    uint64_t now = guest_now(r), want = (now & ~mask) | (bits & mask);
    r->offset += want - now;
}

int goldfish_rtc_write(void *dev, uint64_t off, int size, uint64_t val)
{
    goldfish_rtc *r = dev;
    if (size != 4 || (off & 3))
        return -1;
    uint64_t v = (uint32_t)val;
    switch (off) {
    case TIME_LOW:
        set_time_bits(r, 0xffffffffu, v);
        break;
    case TIME_HIGH:
        set_time_bits(r, ~(uint64_t)0xffffffffu, v << 32);
        break;
    case ALARM_LOW: /* arms the alarm; one already due fires at once */
        r->alarm = (r->alarm & ~(uint64_t)0xffffffffu) | v;
        r->alarm_armed = 1;
        goldfish_rtc_poll(r);
        break;
    case ALARM_HIGH:
        r->alarm = (r->alarm & 0xffffffffu) | v << 32;
        break;
    case IRQ_ENABLED:
        r->irq_enabled = v & 1;
        update_irq(r);
        break;
    case CLEAR_ALARM:
        r->alarm_armed = 0;
        break;
    case CLEAR_INTERRUPT:
        r->irq_pending = 0;
        update_irq(r);
        break;
    }
    return 0;
}

void goldfish_rtc_save(const goldfish_rtc *rtc, state_w *w)
{
    state_put_u64(w, rtc->offset);
    state_put_u64(w, rtc->alarm);
    state_put_u32(w, rtc->time_high);
    state_put_u8(w, rtc->alarm_armed);
    state_put_u8(w, rtc->irq_pending);
    state_put_u8(w, rtc->irq_enabled);
}

int goldfish_rtc_load(goldfish_rtc *rtc, state_r *r)
{
    rtc->offset = state_get_u64(r);
    rtc->alarm = state_get_u64(r);
    rtc->time_high = state_get_u32(r);
    rtc->alarm_armed = state_get_u8(r);
    rtc->irq_pending = state_get_u8(r);
    rtc->irq_enabled = state_get_u8(r);
    state_require(r, rtc->alarm_armed <= 1 && rtc->irq_pending <= 1 && rtc->irq_enabled <= 1);
    return state_r_ok(r) ? 0 : -1;
}
