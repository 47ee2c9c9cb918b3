/* virtio-mmio transport and split virtqueues, with a small echo backend
 * (queue 0 requests: the readable bytes are copied into the writable ones)
 * over RAM owned by the test. A driver written from the spec probes, resets,
 * negotiates features, sets up the queue and sends requests; then malformed
 * queues (buffers outside RAM, descriptor loops, huge and wrapping lengths,
 * bad indices, bad ring setup) must put the device in DEVICE_NEEDS_RESET
 * with a config interrupt, and malformed MMIO accesses fault or are ignored. */
#include <stdlib.h>
#include <string.h>

#include "../../src/dev/virtio_mmio.h"
#include "dev_check.h"
#include "virtio_driver.h"

#define ECHO_ID 0x2a

static irq_probe probe;

/* The echo backend: config = {u32 requests (read-only), u32 scratch}. */
typedef struct echo {
    uint32_t requests, scratch, resets;
} echo;
static echo dev;

static void echo_notify(void *opaque, virtio_mmio *v, unsigned q)
{
    echo *e = opaque;
    virtq_elem el;
    uint8_t buf[4096];
    while (virtio_mmio_pop(v, q, &el) == 1) {
        size_t n = virtq_read_out(&v->ram, &el, 0, buf, sizeof(buf));
        uint32_t w = (uint32_t)virtq_write_in(&v->ram, &el, 0, buf, n);
        e->requests++;
        virtio_mmio_push(v, q, &el, w);
    }
}

static uint64_t echo_config_read(void *opaque, uint32_t off, int size)
{
    echo *e = opaque;
    uint8_t cfg[8];
    memcpy(cfg, &e->requests, 4);
    memcpy(cfg + 4, &e->scratch, 4);
    uint64_t v = 0;
    memcpy(&v, cfg + off, (size_t)size);
    return v;
}

static void echo_config_write(void *opaque, uint32_t off, int size, uint64_t val)
{
    echo *e = opaque;
    if (off == 4 && size == 4)
        e->scratch = (uint32_t)val;
}

static void echo_reset(void *opaque) { ((echo *)opaque)->resets++; }

static const virtio_backend echo_backend = {
    .device_id = ECHO_ID,
    .features = 1ull << 5,
    .num_queues = 1,
    .queue_num_max = 256,
    .config_size = 8,
    .config_read = echo_config_read,
    .config_write = echo_config_write,
    .notify = echo_notify,
    .reset = echo_reset,
};

static void fresh_device(const virtio_backend *be)
{
    memset(ram, 0, RAM_SIZE);
    memset(&probe, 0, sizeof(probe));
    memset(&dev, 0, sizeof(dev));
    virtio_ram r = {ram, RAM_BASE, RAM_SIZE};
    virtio_mmio_init(&vm, be, &dev, r, irq_probe_line(&probe, 3));
}

static void driver_setup(uint32_t num, uint64_t features)
{
    virtio_driver_setup(ECHO_ID, (1ull << 32) | (1ull << 5), num, features);
}

static void test_empty_slot(void)
{
    fresh_device(NULL);
    CHECK(rd(0x000) == 0x74726976 && rd(0x004) == 2 && rd(0x00c) == 0x554d4551, "empty slot identity");
    CHECK(rd(0x008) == 0 && rd(0x034) == 0 && rd(0x070) == 0 && rd(0x100) == 0, "DeviceID 0, rest 0");
    wr(0x070, 0xf);
    wr(0x050, 0);
    CHECK(rd(0x070) == 0 && probe.level[3] == 0, "writes ignored");
    virtq_elem e;
    CHECK(virtio_mmio_pop(&vm, 0, &e) == 0, "no queues to pop");
}

static void test_echo(void)
{
    fresh_device(&echo_backend);
    driver_setup(8, (1ull << 32) | (1ull << 5));
    CHECK(rd(0x070) == 0xf && rd(0x044) == 1, "live, queue ready");
    CHECK(virtio_mmio_features(&vm) == ((1ull << 32) | (1ull << 5)), "negotiated");
    /* Out: "hello " + "virtio" in two buffers; in: 4 + 100 bytes. */
    memcpy(at(DATA), "hello ", 6);
    memcpy(at(DATA + 0x100), "virtio", 6);
    put_desc(3, DATA, 6, 1, 5);
    put_desc(5, DATA + 0x100, 6, 1, 0);
    put_desc(0, DATA + 0x200, 4, 1 | 2, 7);
    put_desc(7, DATA + 0x300, 100, 2, 0);
    offer(3);
    CHECK(dev.requests == 1 && get16(USED + 2) == 1, "one used");
    CHECK(get32(USED + 4) == 3 && get32(USED + 8) == 12, "used id 3 len 12");
    CHECK(memcmp(at(DATA + 0x200), "hell", 4) == 0 && memcmp(at(DATA + 0x300), "o virtio", 8) == 0, "echoed across");
    CHECK(rd(0x060) == 1 && probe.level[3] == 1, "used-buffer interrupt");
    wr(0x064, 1);
    CHECK(rd(0x060) == 0 && probe.level[3] == 0, "acknowledged");
    /* Twenty more through a ring of 8: indices wrap. */
    for (int i = 0; i < 20; i++) {
        at(DATA)[0] = (uint8_t)i;
        put_desc(1, DATA, 1, 1, 2);
        put_desc(2, DATA + 0x400 + (uint64_t)i, 1, 2, 0);
        offer(1);
    }
    CHECK(dev.requests == 21 && get16(USED + 2) == 21, "21 used");
    int ok = 1;
    for (int i = 0; i < 20; i++)
        ok &= at(DATA + 0x400)[i] == i;
    CHECK(ok, "wrapped requests echoed");
    /* Several at once, one notify. */
    put_desc(1, DATA, 2, 1, 2);
    put_desc(4, DATA, 2, 1, 6);
    put_desc(6, DATA + 0x600, 2, 2, 0);
    put16(AVAIL + 4 + 2 * (uint64_t)(avail_idx++ % qnum), 1);
    put16(AVAIL + 4 + 2 * (uint64_t)(avail_idx++ % qnum), 4);
    put16(AVAIL + 2, avail_idx);
    wr(0x050, 0);
    CHECK(dev.requests == 23, "batch of two");
    /* NO_INTERRUPT suppresses the used-buffer interrupt. */
    wr(0x064, 3);
    put16(AVAIL, 1);
    offer(1);
    CHECK(dev.requests == 24 && rd(0x060) == 0 && probe.level[3] == 0, "suppressed");
    put16(AVAIL, 0);
    /* Gather and scatter at offsets. */
    virtq_elem e = {0};
    e.n_out = 2;
    e.buf[0] = (virtq_buf){DATA, 6};
    e.buf[1] = (virtq_buf){DATA + 0x100, 6};
    e.n_in = 1;
    e.buf[2] = (virtq_buf){DATA + 0x500, 3};
    char got[16] = {0};
    CHECK(virtq_read_out(&vm.ram, &e, 4, got, 16) == 8 && memcmp(got, "o virtio", 8) == 0, "read at offset");
    CHECK(virtq_write_in(&vm.ram, &e, 1, "xyz", 3) == 2 && memcmp(at(DATA + 0x501), "xy", 2) == 0, "write clipped");
    /* Config space. */
    CHECK(rd(0x100) == 24, "config: requests");
    wr(0x104, 0x55aa);
    uint64_t b = 0;
    CHECK(virtio_mmio_read(&vm, 0x104, 1, &b) == 0 && b == 0xaa, "config byte read");
    CHECK(virtio_mmio_read(&vm, 0x100, 8, &b) == 0 && b == ((uint64_t)0x55aa << 32 | 24), "config 64-bit");
    CHECK(rd(0x108) == 0 && rd(0xffc) == 0, "past the config space: 0");
    CHECK(virtio_mmio_read(&vm, 0x101, 2, &b) == -1, "unaligned config read faults");
    /* Reset: status 0 clears everything and tells the backend. */
    wr(0x070, 0);
    CHECK(rd(0x070) == 0 && rd(0x044) == 0 && dev.resets >= 2 && probe.level[3] == 0, "reset");
}

static void test_features(void)
{
    fresh_device(&echo_backend);
    wr(0x070, 3);
    wr(0x024, 0);
    wr(0x020, 1u << 6); /* not offered */
    wr(0x024, 1);
    wr(0x020, 1);
    wr(0x070, 3 | 8);
    CHECK(!(rd(0x070) & 8), "unoffered feature: FEATURES_OK refused");
    wr(0x024, 0);
    wr(0x020, 0);
    wr(0x024, 1);
    wr(0x020, 0);
    wr(0x070, 3 | 8);
    CHECK(!(rd(0x070) & 8), "no VERSION_1: refused");
    wr(0x020, 1);
    wr(0x070, 3 | 8);
    CHECK(rd(0x070) & 8, "VERSION_1 alone: accepted");
    wr(0x020, 0);
    CHECK(virtio_mmio_features(&vm) == 1ull << 32, "features frozen after FEATURES_OK");
    wr(0x014, 7);
    CHECK(rd(0x010) == 0, "feature word 7 is 0");
}

typedef void (*corrupt_fn)(void);

static void bad_outside_ram(void) { put_desc(0, RAM_BASE + RAM_SIZE, 16, 2, 0); }
static void bad_below_ram(void) { put_desc(0, RAM_BASE - 8, 16, 2, 0); }
static void bad_straddle(void) { put_desc(0, RAM_BASE + RAM_SIZE - 8, 16, 2, 0); }
static void bad_loop(void)
{
    put_desc(0, DATA, 4, 1, 1);
    put_desc(1, DATA, 4, 1, 0);
}
static void bad_self_loop(void) { put_desc(0, DATA, 4, 1, 0); }
static void bad_huge_len(void) { put_desc(0, DATA, 0xffffffffu, 2, 0); }
static void bad_wrap(void) { put_desc(0, 0xfffffffffffffff0ull, 0x20, 2, 0); }
static void bad_next(void) { put_desc(0, DATA, 4, 1, 200); }
static void bad_order(void)
{
    put_desc(0, DATA, 4, 2 | 1, 1);
    put_desc(1, DATA, 4, 0, 0);
}
static void bad_indirect(void) { put_desc(0, DATA, 16, 4, 0); }

static void check_broken(const char *what, int head_bad, int idx_jump)
{
    fresh_device(&echo_backend);
    driver_setup(8, 1ull << 32);
    memset(at(DESC), 0, 16 * 8);
    if (idx_jump) {
        put_desc(0, DATA, 4, 2, 0);
        put16(AVAIL + 2, 100); /* 100 new entries in a ring of 8 */
        wr(0x050, 0);
    } else {
        offer(head_bad ? 8 : 0);
    }
    CHECK(rd(0x070) & 0x40, "%s: DEVICE_NEEDS_RESET", what);
    CHECK((rd(0x060) & 2) && probe.level[3] == 1, "%s: config interrupt", what);
    CHECK(get16(USED + 2) == 0 && dev.requests == 0, "%s: nothing used", what);
    /* Dead until reset: notifications ignored, status keeps the bit. */
    wr(0x064, 3);
    wr(0x070, 0xf);
    wr(0x050, 0);
    CHECK(rd(0x070) == (0xf | 0x40) && rd(0x060) == 0, "%s: stays broken", what);
    driver_setup(8, 1ull << 32);
    memcpy(at(DATA), "ok", 2);
    put_desc(0, DATA, 2, 1, 1);
    put_desc(1, DATA + 8, 2, 2, 0);
    offer(0);
    CHECK(rd(0x070) == 0xf && dev.requests == 1 && memcmp(at(DATA + 8), "ok", 2) == 0, "%s: works after reset", what);
}

static void test_malformed_queues(void)
{
    static const struct {
        const char *what;
        corrupt_fn fn;
    } cases[] = {
        {"buffer outside RAM", bad_outside_ram}, {"buffer below RAM", bad_below_ram},
        {"buffer straddling RAM's end", bad_straddle}, {"descriptor loop", bad_loop},
        {"self loop", bad_self_loop}, {"huge length", bad_huge_len}, {"address wraps", bad_wrap},
        {"next out of range", bad_next}, {"readable after writable", bad_order}, {"indirect", bad_indirect},
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fresh_device(&echo_backend);
        driver_setup(8, 1ull << 32);
        cases[i].fn();
        offer(0);
        CHECK(rd(0x070) & 0x40, "%s: DEVICE_NEEDS_RESET", cases[i].what);
        CHECK(rd(0x060) == 2 && probe.level[3] == 1, "%s: config interrupt", cases[i].what);
        CHECK(get16(USED + 2) == 0 && dev.requests == 0, "%s: nothing used", cases[i].what);
    }
    check_broken("head out of range", 1, 0);
    check_broken("avail index jump", 0, 1);
}

static void test_long_chain(void)
{
    fresh_device(&echo_backend);
    driver_setup(256, 1ull << 32);
    for (unsigned i = 0; i < VIRTQ_MAX_CHAIN; i++)
        put_desc(i, DATA + i, 1, 1, (uint16_t)(i + 1));
    put_desc(VIRTQ_MAX_CHAIN - 1, DATA + 0x1000, 1, 2, 0);
    offer(0);
    CHECK(dev.requests == 1 && rd(0x070) == 0xf, "chain of VIRTQ_MAX_CHAIN is fine");
    put_desc(VIRTQ_MAX_CHAIN - 1, DATA, 1, 1, VIRTQ_MAX_CHAIN);
    put_desc(VIRTQ_MAX_CHAIN, DATA + 0x1000, 1, 2, 0);
    offer(0);
    CHECK(dev.requests == 1 && (rd(0x070) & 0x40), "one longer is malformed");
}

static void test_bad_queue_setup(void)
{
    static const struct {
        const char *what;
        uint32_t num;
        uint64_t desc, avail, used;
    } cases[] = {
        {"ring outside RAM", 8, RAM_BASE + RAM_SIZE, AVAIL, USED},
        {"used ring straddles RAM's end", 8, DESC, AVAIL, RAM_BASE + RAM_SIZE - 16},
        {"desc unaligned", 8, DESC + 8, AVAIL, USED},
        {"used unaligned", 8, DESC, AVAIL, USED + 2},
        {"num not a power of two", 6, DESC, AVAIL, USED},
        {"num above max", 512, DESC, AVAIL, USED},
        {"num 0", 0, DESC, AVAIL, USED},
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fresh_device(&echo_backend);
        wr(0x070, 3);
        wr(0x024, 1);
        wr(0x020, 1);
        wr(0x070, 3 | 8);
        wr(0x030, 0);
        wr(0x038, cases[i].num);
        wr(0x080, (uint32_t)cases[i].desc);
        wr(0x084, (uint32_t)(cases[i].desc >> 32));
        wr(0x090, (uint32_t)cases[i].avail);
        wr(0x094, (uint32_t)(cases[i].avail >> 32));
        wr(0x0a0, (uint32_t)cases[i].used);
        wr(0x0a4, (uint32_t)(cases[i].used >> 32));
        wr(0x044, 1);
        CHECK(rd(0x044) == 0 && (rd(0x070) & 0x40), "%s: not ready, needs reset", cases[i].what);
        CHECK(probe.level[3] == 0, "%s: no interrupt before DRIVER_OK", cases[i].what);
        wr(0x070, 0xf);
        CHECK(rd(0x060) == 2 && probe.level[3] == 1, "%s: config interrupt at DRIVER_OK", cases[i].what);
    }
}

static void test_malformed_mmio(void)
{
    fresh_device(&echo_backend);
    driver_setup(8, 1ull << 32);
    uint64_t v = 0;
    CHECK(virtio_mmio_read(&vm, 0x070, 1, &v) == -1 && virtio_mmio_read(&vm, 0x070, 2, &v) == -1, "narrow reg read");
    CHECK(virtio_mmio_read(&vm, 0x070, 8, &v) == -1, "64-bit reg read");
    CHECK(virtio_mmio_read(&vm, 0x072, 4, &v) == -1 && virtio_mmio_write(&vm, 0x051, 4, 0) == -1, "unaligned");
    CHECK(virtio_mmio_write(&vm, 0x070, 3, 0) == -1 && virtio_mmio_read(&vm, 0x100, 3, &v) == -1, "size 3");
    CHECK(rd(0x070) == 0xf, "status untouched by faulting accesses");
    wr(0x000, 0);
    wr(0x008, 7);
    CHECK(rd(0x000) == 0x74726976 && rd(0x008) == ECHO_ID, "read-only identity");
    CHECK(rd(0x0f8) == 0 && rd(0x040) == 0 && rd(0x0b0) == 0xffffffff, "holes 0, no shared memory");
    /* Live queue registers ignore writes. */
    wr(0x038, 2);
    wr(0x080, 0);
    CHECK(vm.queue[0].num == 8 && vm.queue[0].desc == DESC, "live queue kept");
    /* Queues the device lacks. */
    wr(0x030, 9);
    CHECK(rd(0x034) == 0 && rd(0x044) == 0, "queue 9 absent");
    wr(0x038, 8);
    wr(0x044, 1);
    CHECK(rd(0x044) == 0 && !(rd(0x070) & 0x40), "absent queue ignores setup");
    wr(0x050, 9);
    wr(0x050, 0xffffffff);
    CHECK(dev.requests == 0 && rd(0x070) == 0xf, "notify of absent queues ignored");
    virtq_elem e;
    CHECK(virtio_mmio_pop(&vm, 5, &e) == 0, "pop of an absent queue");
    /* Notify before DRIVER_OK does not run the backend. */
    wr(0x070, 0);
    wr(0x050, 0);
    CHECK(dev.requests == 0, "no work while reset");
    /* A backend that cannot work is an empty slot. */
    virtio_backend none = echo_backend;
    none.num_queues = 0;
    fresh_device(&none);
    CHECK(rd(0x008) == 0, "zero-queue backend is an empty slot");
    none = echo_backend;
    none.queue_num_max = 100;
    fresh_device(&none);
    CHECK(rd(0x008) == 0, "a queue size that is not a power of two: empty slot");
}

int main(void)
{
    ram = calloc(1, RAM_SIZE);
    if (!ram)
        return 1;
    test_empty_slot();
    test_echo();
    test_features();
    test_malformed_queues();
    test_long_chain();
    test_bad_queue_setup();
    test_malformed_mmio();
    free(ram);
    return check_report("virtio_mmio");
}
