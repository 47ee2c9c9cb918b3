/* virtio-net driven as Linux's driver would: both queues, features MAC and
 * STATUS, the MAC and link status in config space; frames sent through
 * chains split every way reach the backend intact, chains that hold no
 * frame are counted and not sent; frames received land after a zero header
 * (num_buffers 1) in one big or several small buffers, or are dropped when
 * nothing fits; a readable receive buffer resets the device; the rings
 * wrap (the 16-bit indices too), and a backend that answers from inside
 * its send (as the user-mode network can) gets through. */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/dev/virtio_net.h"
#include "virtio_driver.h"

#define F_VERSION_1 (1ull << 32)
#define F_MAC (1ull << 5)
#define F_STATUS (1ull << 16)
#define HDR VIRTIO_NET_HDR
#define RXQ 0u
#define TXQ 1u
#define RING 256u
#define BIG (HDR + NET_FRAME_MAX) /* what Linux posts without MRG_RXBUF */

static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static irq_probe probe;
static virtio_net net;

/* The fake backend: every frame's length, the last LOG frames' bytes. */
#define LOG 16
static struct {
    unsigned count;
    size_t len[LOG];
    uint8_t frame[LOG][NET_FRAME_MAX];
    int echo; /* hand each frame straight back to the guest */
} sent;

static void fake_send(void *opaque, const uint8_t *frame, size_t len)
{
    CHECK(opaque == &sent, "the backend's opaque");
    CHECK(len <= NET_FRAME_MAX, "frame of %zu bytes", len);
    unsigned slot = sent.count++ % LOG;
    sent.len[slot] = len;
    memcpy(sent.frame[slot], frame, len < NET_FRAME_MAX ? len : NET_FRAME_MAX);
    if (sent.echo)
        CHECK(virtio_net_receive(&net, frame, len) == 1, "echo delivered");
}

/* Frame bytes that differ between frames and positions. */
static void pattern(uint8_t *p, size_t len, unsigned seed)
{
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)(seed * 31 + i * 7 + (i >> 8));
}

static int sent_is(unsigned n, size_t len, unsigned seed)
{
    uint8_t want[NET_FRAME_MAX];
    pattern(want, len, seed);
    return sent.count > n && sent.len[n % LOG] == len && memcmp(sent.frame[n % LOG], want, len) == 0;
}

static void ack_interrupts(void) { wr(0x064, rd(0x060)); }

static void fresh(void)
{
    memset(ram, 0, RAM_SIZE);
    memset(&probe, 0, sizeof probe);
    memset(&sent, 0, sizeof sent);
    virtio_ram r = {ram, RAM_BASE, RAM_SIZE};
    virtio_mmio_init(&vm, NULL, NULL, r, irq_probe_line(&probe, 5));
    net_backend be = {&sent, fake_send};
    virtio_net_init(&net, &vm, mac, be);
    uint64_t offered = F_VERSION_1 | F_MAC | F_STATUS;
    virtio_driver_setup_queues(VIRTIO_NET_ID, offered, 2, RING, offered);
}

static uint64_t cfg(uint32_t off, int size)
{
    uint64_t v = 0xdeadbeef;
    CHECK(virtio_mmio_read(&vm, VIRTIO_MMIO_CONFIG + off, size, &v) == 0, "config read %u/%d", off, size);
    return v;
}

static void test_config(void)
{
    fresh();
    CHECK(rd(0x008) == 1 && rd(0x070) == 0xf, "virtio-net, live");
    for (uint32_t i = 0; i < 6; i++)
        CHECK(cfg(i, 1) == mac[i], "mac byte %u", i);
    CHECK(cfg(6, 2) == 1, "status: link up");
    CHECK(cfg(8, 2) == 1, "max_virtqueue_pairs 1");
    CHECK(cfg(0, 4) == 0x12005452u, "mac as a 32-bit read");
    CHECK(cfg(10, 2) == 0 && cfg(12, 4) == 0, "past the config space: 0");
    wr(0x030, 2);
    CHECK(rd(0x034) == 0, "no control queue");
    /* A driver that takes only the MAC (the spec's minimal driver). */
    virtio_driver_negotiate(VIRTIO_NET_ID, F_VERSION_1 | F_MAC | F_STATUS, F_VERSION_1 | F_MAC);
    CHECK(rd(0x070) == 0xb && virtio_mmio_features(&vm) == (F_VERSION_1 | F_MAC), "MAC alone accepted");
}

/* Transmit chains, each a list of buffer sizes holding header + frame. */
typedef struct tx_case {
    const char *what;
    size_t frame_len;
    unsigned nbuf;
    uint32_t split[3]; /* bytes of header + frame in each buffer */
} tx_case;

/* Lay out header + frame for chain `head` from descriptor `head` on, in
 * RAM at DATA + 0x2000 * head, the buffers 0x800 apart. */
static void tx_chain(uint16_t head, const uint32_t *split, unsigned nbuf, size_t frame_len, unsigned seed)
{
    uint8_t bytes[HDR + NET_FRAME_MAX + 64];
    memset(bytes, 0xa5, HDR); /* the header's contents do not matter */
    pattern(bytes + HDR, frame_len, seed);
    uint64_t base = DATA + 0x2000ull * head, off = 0;
    for (unsigned b = 0; b < nbuf; b++) {
        uint64_t gpa = base + 0x800ull * b;
        memcpy(at(gpa), bytes + off, split[b]);
        off += split[b];
        put_desc_on(TXQ, (unsigned)head + b, gpa, split[b], b + 1 < nbuf ? 1 : 0, (uint16_t)(head + b + 1));
    }
}

static void test_transmit(void)
{
    fresh();
    static const tx_case cases[] = {
        {"header alone, then the frame", 60, 2, {HDR, 60}},
        {"header and 20 bytes, then the rest", 1000, 2, {HDR + 20, 980}},
        {"header split, a full-size frame in three", NET_FRAME_MAX, 3, {5, 7 + 100, NET_FRAME_MAX - 100}},
        {"header and frame in one buffer", 342, 1, {HDR + 342}},
        {"header of 11 bytes, then 1 + frame", 64, 2, {11, 1 + 64}},
    };
    unsigned n = sizeof cases / sizeof cases[0];
    /* All made available, one notification: the device takes every one. */
    for (unsigned i = 0; i < n; i++) {
        tx_chain((uint16_t)(4 * i), cases[i].split, cases[i].nbuf, cases[i].frame_len, i);
        post_on(TXQ, (uint16_t)(4 * i));
    }
    wr(0x050, TXQ);
    CHECK(sent.count == n && net.tx_frames == n && net.tx_errors == 0, "%u frames sent (%u)", n, sent.count);
    for (unsigned i = 0; i < n; i++) {
        CHECK(sent_is(i, cases[i].frame_len, i), "%s: intact", cases[i].what);
        CHECK(used_id_on(TXQ, (uint16_t)i) == 4 * i && used_len_on(TXQ, (uint16_t)i) == 0, "%s: used, 0 written",
              cases[i].what);
    }
    CHECK(used_idx_on(TXQ) == n && used_idx_on(RXQ) == 0, "used on the transmit queue only");
    CHECK(probe.level[5] == 1 && (rd(0x060) & 1), "interrupt");
    ack_interrupts();
    CHECK(probe.level[5] == 0, "acknowledged");

    /* Chains that hold no frame: counted, not sent, returned. */
    static const tx_case bad[] = {
        {"8 bytes: a short header", 0, 1, {8}},
        {"the header alone", 0, 1, {HDR}},
        {"the header and 13 bytes", 13, 2, {HDR, 13}},
        {"one byte past the largest frame", NET_FRAME_MAX + 1, 2, {HDR, NET_FRAME_MAX + 1}},
        {"a frame of 4000 bytes in three", 4000, 3, {HDR + 1000, 1500, 1500}},
    };
    unsigned nbad = sizeof bad / sizeof bad[0];
    for (unsigned i = 0; i < nbad; i++) {
        uint32_t split[3];
        memcpy(split, bad[i].split, sizeof split);
        uint8_t big[HDR + 4000];
        memset(big, 0x11, sizeof big);
        uint64_t gpa = DATA + 0x2000ull * 20;
        for (unsigned b = 0, off = 0; b < bad[i].nbuf; b++) { /* 4000 bytes do not fit tx_chain's copy */
            memcpy(at(gpa + off), big + off, split[b]);
            put_desc_on(TXQ, 40 + b, gpa + off, split[b], b + 1 < bad[i].nbuf ? 1 : 0, (uint16_t)(41 + b));
            off += split[b];
        }
        offer_on(TXQ, 40);
        CHECK(sent.count == n && net.tx_errors == i + 1, "%s: an error, not sent", bad[i].what);
        CHECK(used_idx_on(TXQ) == n + i + 1 && used_id_on(TXQ, (uint16_t)(n + i)) == 40 &&
                  used_len_on(TXQ, (uint16_t)(n + i)) == 0,
              "%s: returned", bad[i].what);
    }
    CHECK(rd(0x070) == 0xf, "no reset needed");
    /* 14 bytes, the smallest frame (an Ethernet header), goes out. */
    uint32_t split[2] = {HDR, 14};
    tx_chain(0, split, 2, 14, 99);
    offer_on(TXQ, 0);
    CHECK(sent_is(n, 14, 99) && net.tx_frames == n + 1, "a 14-byte frame sent");
}

/* A writable receive buffer of len at gpa as descriptor i, 0xee-filled. */
static void rx_buf(unsigned i, uint64_t gpa, uint32_t len, int more)
{
    memset(at(gpa), 0xee, len + 16);
    put_desc_on(RXQ, i, gpa, len, (uint16_t)(2 | (more ? 1 : 0)), (uint16_t)(i + 1));
}

/* The header Linux expects without offloads: zero but num_buffers = 1. */
static int zero_header(const uint8_t *h)
{
    static const uint8_t want[HDR] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
    return memcmp(h, want, HDR) == 0;
}

static void test_receive(void)
{
    uint8_t frame[NET_FRAME_MAX + 1];

    /* Before the driver sets the device up: dropped, nothing broken. */
    memset(ram, 0, RAM_SIZE);
    virtio_ram r = {ram, RAM_BASE, RAM_SIZE};
    virtio_mmio_init(&vm, NULL, NULL, r, irq_probe_line(&probe, 5));
    net_backend be = {&sent, fake_send};
    virtio_net_init(&net, &vm, mac, be);
    pattern(frame, 60, 1);
    CHECK(virtio_net_receive(&net, frame, 60) == 0 && net.rx_dropped == 1, "no driver: dropped");
    CHECK(rd(0x070) == 0, "no driver: status untouched");

    fresh();
    CHECK(virtio_net_receive(&net, frame, 60) == 0 && net.rx_dropped == 1, "no buffer posted: dropped");
    CHECK(rd(0x070) == 0xf && used_idx_on(RXQ) == 0 && probe.level[5] == 0, "no buffer: nothing used");

    /* One big buffer, as Linux posts them. */
    rx_buf(0, DATA, BIG, 0);
    offer_on(RXQ, 0);
    CHECK(used_idx_on(RXQ) == 0 && probe.level[5] == 0, "posting a buffer uses nothing");
    pattern(frame, 100, 2);
    CHECK(virtio_net_receive(&net, frame, 100) == 1, "delivered");
    CHECK(zero_header(at(DATA)), "zero header, num_buffers 1");
    CHECK(memcmp(at(DATA + HDR), frame, 100) == 0 && *at(DATA + HDR + 100) == 0xee, "the frame, nothing more");
    CHECK(used_idx_on(RXQ) == 1 && used_id_on(RXQ, 0) == 0 && used_len_on(RXQ, 0) == HDR + 100, "used 12 + 100");
    CHECK(probe.level[5] == 1 && net.rx_frames == 1, "interrupt, counted");
    ack_interrupts();
    CHECK(virtio_net_receive(&net, frame, 100) == 0 && net.rx_dropped == 2, "the buffer is used up");

    /* A chain of small buffers: 5, 10, 300, then the rest of a big frame. */
    static const uint32_t small[4] = {5, 10, 300, HDR + NET_FRAME_MAX - 315};
    for (unsigned b = 0; b < 4; b++)
        rx_buf(10 + b, DATA + 0x1000ull * b, small[b], b < 3);
    offer_on(RXQ, 10);
    pattern(frame, NET_FRAME_MAX, 3);
    CHECK(virtio_net_receive(&net, frame, NET_FRAME_MAX) == 1, "a full-size frame delivered");
    uint8_t got[HDR + NET_FRAME_MAX];
    for (unsigned b = 0, off = 0; b < 4; off += small[b], b++)
        memcpy(got + off, at(DATA + 0x1000ull * b), small[b]);
    CHECK(zero_header(got) && memcmp(got + HDR, frame, NET_FRAME_MAX) == 0, "header and frame across 4 buffers");
    CHECK(*at(DATA + small[0]) == 0xee && *at(DATA + 0x1000 + small[1]) == 0xee, "no byte past a buffer");
    CHECK(used_id_on(RXQ, 1) == 10 && used_len_on(RXQ, 1) == HDR + NET_FRAME_MAX, "used 12 + 1518");

    /* Too small, then an exact fit. */
    rx_buf(20, DATA, HDR + 59, 0);
    rx_buf(21, DATA + 0x1000, HDR + 60, 0);
    post_on(RXQ, 20);
    offer_on(RXQ, 21);
    pattern(frame, 60, 4);
    CHECK(virtio_net_receive(&net, frame, 60) == 0 && net.rx_dropped == 3, "buffer too small: dropped");
    CHECK(*at(DATA) == 0xee && used_id_on(RXQ, 2) == 20 && used_len_on(RXQ, 2) == 0, "returned unwritten");
    CHECK(virtio_net_receive(&net, frame, 60) == 1, "the next buffer fits exactly");
    CHECK(zero_header(at(DATA + 0x1000)) && memcmp(at(DATA + 0x1000 + HDR), frame, 60) == 0, "exact fit intact");
    CHECK(used_id_on(RXQ, 3) == 21 && used_len_on(RXQ, 3) == HDR + 60, "used 12 + 60");

    /* Larger than any frame: dropped before any buffer is taken. */
    rx_buf(30, DATA, 4096, 0);
    offer_on(RXQ, 30);
    CHECK(virtio_net_receive(&net, frame, NET_FRAME_MAX + 1) == 0 && used_idx_on(RXQ) == 4, "oversized: dropped");
    CHECK(virtio_net_receive(&net, frame, 60) == 1 && used_id_on(RXQ, 4) == 30, "the buffer still serves");
    CHECK(net.rx_frames == 4 && net.rx_dropped == 4 && rd(0x070) == 0xf, "4 delivered, 4 dropped");

    /* A readable buffer in a receive chain: beyond repair. */
    ack_interrupts();
    put_desc_on(RXQ, 40, DATA, 64, 1, 41);
    rx_buf(41, DATA + 0x1000, BIG, 0);
    offer_on(RXQ, 40);
    CHECK(virtio_net_receive(&net, frame, 60) == 0 && net.rx_dropped == 5, "readable buffer: dropped");
    CHECK((rd(0x070) & 0x40) && (rd(0x060) & 2) && probe.level[5] == 1, "DEVICE_NEEDS_RESET, config interrupt");
    CHECK(used_idx_on(RXQ) == 5 && *at(DATA + 0x1000) == 0xee, "nothing written");
    CHECK(virtio_net_receive(&net, frame, 60) == 0, "a broken device drops");

    /* The driver resets and sets up again: back in business. */
    fresh();
    rx_buf(0, DATA, BIG, 0);
    offer_on(RXQ, 0);
    CHECK(virtio_net_receive(&net, frame, 60) == 1 && rd(0x070) == 0xf, "after a reset: delivered");
}

/* Receive 70000 frames through 32 buffers kept posted: the ring wraps and
 * so does the 16-bit avail/used index. */
static void test_wrap(void)
{
    fresh();
    enum { POSTED = 32, FRAMES = 70000 };
    for (unsigned i = 0; i < POSTED; i++) {
        rx_buf(i, DATA + 0x800ull * i, BIG, 0);
        post_on(RXQ, (uint16_t)i);
    }
    uint8_t frame[NET_FRAME_MAX];
    unsigned bad = 0;
    for (unsigned n = 0; n < FRAMES; n++) {
        size_t len = 14 + (n * 37) % (NET_FRAME_MAX - 13);
        pattern(frame, len, n);
        if (virtio_net_receive(&net, frame, len) != 1) {
            bad++;
            continue;
        }
        uint16_t u = (uint16_t)n;
        uint32_t id = used_id_on(RXQ, u);
        uint64_t gpa = DATA + 0x800ull * id;
        if (id != n % POSTED || used_len_on(RXQ, u) != HDR + len || !zero_header(at(gpa)) ||
            memcmp(at(gpa + HDR), frame, len) != 0)
            bad++;
        post_on(RXQ, (uint16_t)id);
    }
    CHECK(bad == 0, "%u of %u frames received wrongly", bad, FRAMES);
    CHECK(net.rx_frames == FRAMES && used_idx_on(RXQ) == (uint16_t)FRAMES, "all used, index wrapped");

    /* 600 frames sent in batches of 7 chains of two buffers. */
    unsigned done = 0;
    bad = 0;
    while (done < 600) {
        unsigned batch = 600 - done < 7 ? 600 - done : 7;
        for (unsigned k = 0; k < batch; k++) {
            size_t len = 14 + ((done + k) * 101) % (NET_FRAME_MAX - 13);
            uint32_t split[2] = {HDR + 3, (uint32_t)len - 3};
            tx_chain((uint16_t)(2 * k), split, 2, len, done + k);
            post_on(TXQ, (uint16_t)(2 * k));
        }
        wr(0x050, TXQ);
        for (unsigned k = 0; k < batch; k++)
            if (!sent_is(done + k, 14 + ((done + k) * 101) % (NET_FRAME_MAX - 13), done + k))
                bad++;
        done += batch;
    }
    CHECK(bad == 0 && sent.count == 600 && net.tx_frames == 600, "600 frames sent intact (%u bad)", bad);
    CHECK(used_idx_on(TXQ) == 600, "600 used");
}

/* A backend that answers from inside send (the user-mode network replies
 * to ARP at once): the reply lands in the receive queue meanwhile. */
static void test_echo(void)
{
    fresh();
    sent.echo = 1;
    rx_buf(0, DATA + 0x10000, BIG, 0);
    offer_on(RXQ, 0);
    uint32_t split[1] = {HDR + 42};
    tx_chain(0, split, 1, 42, 7);
    offer_on(TXQ, 0);
    CHECK(sent_is(0, 42, 7) && used_idx_on(TXQ) == 1, "sent");
    uint8_t want[42];
    pattern(want, 42, 7);
    CHECK(used_idx_on(RXQ) == 1 && used_len_on(RXQ, 0) == HDR + 42 && memcmp(at(DATA + 0x10000 + HDR), want, 42) == 0,
          "echoed into the receive buffer");
    CHECK(net.tx_frames == 1 && net.rx_frames == 1 && rd(0x070) == 0xf, "counted, healthy");
}

int main(void)
{
    ram = calloc(1, RAM_SIZE);
    test_config();
    test_transmit();
    test_receive();
    test_wrap();
    test_echo();
    free(ram);
    return check_report("virtio_net");
}
