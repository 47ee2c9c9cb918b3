/* Goldfish RTC with a fake clock: reading time as rtc-goldfish does (LOW
 * latches HIGH), setting it (HIGH then LOW), the alarm armed by ALARM_LOW,
 * fired by polls at next_event_ns, the interrupt gated by IRQ_ENABLED and
 * cleared by CLEAR_INTERRUPT, an alarm in the past, and malformed accesses. */
#include "../../src/dev/goldfish_rtc.h"
#include "dev_check.h"

static uint64_t host_ns;

static uint64_t fake_clock(void *opaque)
{
    (void)opaque;
    return host_ns;
}

static goldfish_rtc r;
static irq_probe probe;

static uint32_t rd(uint64_t off) { return dev_rd32(goldfish_rtc_read, &r, off); }

static void wr(uint64_t off, uint32_t v) { dev_wr32(goldfish_rtc_write, &r, off, v); }

static uint64_t read_time(void)
{
    uint64_t low = rd(0x00);
    host_ns += 0x100000000ull; /* the clock moves between the two reads */
    return (uint64_t)rd(0x04) << 32 | low;
}

static void set_alarm(uint64_t t)
{
    wr(0x0c, (uint32_t)(t >> 32));
    wr(0x08, (uint32_t)t);
    wr(0x10, 1);
}

int main(void)
{
    host_ns = 1700000000ull * 1000000000ull + 0xfffffff0u;
    goldfish_rtc_init(&r, fake_clock, NULL, irq_probe_line(&probe, GOLDFISH_RTC_IRQ));
    uint64_t t0 = host_ns;
    CHECK(read_time() == t0, "HIGH latched by the LOW read");
    CHECK(probe.level[GOLDFISH_RTC_IRQ] == 0 && rd(0x18) == 0 && goldfish_rtc_next_event_ns(&r) == UINT64_MAX,
          "no alarm at start");

    /* Guest sets the time (HIGH then LOW, as the driver does). */
    uint64_t want = 1234567890ull * 1000000000ull;
    wr(0x04, (uint32_t)(want >> 32));
    wr(0x00, (uint32_t)want);
    uint64_t base = host_ns;
    CHECK(read_time() == want, "time set");
    host_ns = base + 5000;
    CHECK(read_time() == want + 5000, "and runs with the clock");

    /* Alarm 1 s ahead. */
    host_ns = base;
    set_alarm(want + 1000000000ull);
    CHECK(rd(0x18) == 1 && rd(0x10) == 1, "armed, irq enabled");
    CHECK(rd(0x08) == (uint32_t)(want + 1000000000ull) && rd(0x0c) == (want + 1000000000ull) >> 32, "alarm reads back");
    CHECK(goldfish_rtc_next_event_ns(&r) == base + 1000000000ull, "next event in the clock's domain");
    host_ns = base + 999999999ull;
    goldfish_rtc_poll(&r);
    CHECK(probe.level[GOLDFISH_RTC_IRQ] == 0 && rd(0x18) == 1, "not yet");
    host_ns = base + 1000000000ull;
    goldfish_rtc_poll(&r);
    CHECK(probe.level[GOLDFISH_RTC_IRQ] == 1 && rd(0x18) == 0, "fired and disarmed");
    CHECK(goldfish_rtc_next_event_ns(&r) == UINT64_MAX, "nothing next");
    wr(0x1c, 1);
    CHECK(probe.level[GOLDFISH_RTC_IRQ] == 0, "CLEAR_INTERRUPT lowers");

    /* IRQ_ENABLED gates the line, not the pending state. */
    wr(0x10, 0);
    set_alarm(0); /* long past: fires at once */
    wr(0x10, 0);
    CHECK(rd(0x18) == 0 && probe.level[GOLDFISH_RTC_IRQ] == 0, "past alarm fired, line gated");
    wr(0x10, 1);
    CHECK(probe.level[GOLDFISH_RTC_IRQ] == 1, "enabling shows the pending interrupt");
    wr(0x1c, 1);

    /* Disarm as the driver does. */
    set_alarm(want + 60000000000ull);
    if (rd(0x18))
        wr(0x14, 1);
    host_ns += 120000000000ull;
    goldfish_rtc_poll(&r);
    CHECK(rd(0x18) == 0 && probe.level[GOLDFISH_RTC_IRQ] == 0 && goldfish_rtc_next_event_ns(&r) == UINT64_MAX,
          "cleared alarm never fires");

    /* Time set far ahead: the alarm's wait does not overflow. */
    set_alarm(UINT64_MAX);
    CHECK(goldfish_rtc_next_event_ns(&r) >= host_ns, "far alarm");

    /* Malformed: sizes, alignment, unknown offsets, read-only status. */
    uint64_t v = 7;
    CHECK(goldfish_rtc_read(&r, 0, 8, &v) == -1 && goldfish_rtc_read(&r, 2, 4, &v) == -1, "bad reads fault");
    CHECK(goldfish_rtc_write(&r, 0, 1, 0) == -1 && goldfish_rtc_write(&r, 0x11, 4, 0) == -1, "bad writes fault");
    uint64_t before = read_time();
    wr(0x18, 0);
    wr(0x20, 0xffffffff);
    wr(0xffc, 0xffffffff);
    CHECK(rd(0x18) == 1 && rd(0x20) == 0 && rd(0xffc) == 0, "status read-only, unknown offsets 0");
    CHECK(read_time() - before == 0x100000000ull, "time untouched by stray writes");
    goldfish_rtc_init(&r, NULL, NULL, (irq_line){0});
    set_alarm(5);
    CHECK(rd(0x18) == 1 && goldfish_rtc_next_event_ns(&r) == 5, "no clock: time 0");
    return check_report("goldfish_rtc");
}
