/* virtio-blk on a raw image in a scratch file, driven as Linux's driver
 * would: identity, features and config; writes and reads through chains
 * split in several ways (checked against the file itself); flush and
 * GET_ID; then requests a hostile or buggy driver sends (past the end,
 * partial sectors, short headers, unknown types, no status byte, writes to
 * a read-only disk) must get an error status or a device reset, never touch
 * the file. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../src/block/block.h"
#include "../../src/dev/virtio_blk.h"
#include "virtio_driver.h"

#define SECTORS 64
#define F_VERSION_1 (1ull << 32)
#define F_SEG_MAX (1ull << 2)
#define F_RO (1ull << 5)
#define F_BLK_SIZE (1ull << 6)
#define F_FLUSH (1ull << 9)

static irq_probe probe;
static host_ctx *host;
static char path[64];
static blk_host_file file;
static blk_dev disk;
static virtio_blk blk;

static void file_bytes(uint64_t off, void *buf, size_t n)
{
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0 && pread(fd, buf, n, (off_t)off) == (ssize_t)n, "read back the image");
    close(fd);
}

static void fresh_disk(int read_only)
{
    if (disk.fmt)
        blk_close(&disk);
    if (file.fd > 0)
        host_close(host, file.fd);
    /* The image: sector s holds bytes (s * 7 + i) & 0xff. */
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    for (unsigned s = 0; s < SECTORS; s++) {
        uint8_t sec[512];
        for (unsigned i = 0; i < 512; i++)
            sec[i] = (uint8_t)(s * 7 + i);
        CHECK(write(fd, sec, 512) == 512, "fill the image");
    }
    close(fd);
    file.host = host;
    file.fd = host_openat(host, AT_FDCWD, path, read_only ? O_RDONLY : O_RDWR, 0);
    char err[200] = "";
    CHECK(blk_open(&disk, host, blk_io_host_file(&file), NULL, read_only, err, sizeof err) == 0, "open: %s", err);
    CHECK(disk.fmt == &blk_format_raw && disk.size == SECTORS * 512, "raw, %d sectors", SECTORS);
    memset(ram, 0, RAM_SIZE);
    memset(&probe, 0, sizeof(probe));
    virtio_ram r = {ram, RAM_BASE, RAM_SIZE};
    virtio_mmio_init(&vm, NULL, NULL, r, irq_probe_line(&probe, 3));
    virtio_blk_init(&blk, &vm, &disk, "splitvm-test");
    uint64_t offered = F_VERSION_1 | F_SEG_MAX | F_BLK_SIZE | F_FLUSH | (read_only ? F_RO : 0);
    virtio_driver_setup(VIRTIO_BLK_ID, offered, 16, offered);
}

static void header(uint64_t gpa, uint32_t type, uint64_t sector)
{
    memset(at(gpa), 0, 16);
    memcpy(at(gpa), &type, 4);
    memcpy(at(gpa + 8), &sector, 8);
}

/* The status byte request `head` got, and the used length. */
static uint8_t status_at(uint64_t gpa) { return *at(gpa); }
static uint32_t last_used_len(void) { return get32(USED + 4 + 8 * (uint64_t)((get16(USED + 2) - 1) % qnum) + 4); }

static void test_config(void)
{
    fresh_disk(0);
    CHECK(rd(0x008) == 2 && rd(0x070) == 0xf, "virtio-blk, live");
    uint64_t cap = rd(0x100) | (uint64_t)rd(0x104) << 32;
    CHECK(cap == SECTORS, "capacity %llu sectors", (unsigned long long)cap);
    CHECK(rd(0x10c) == VIRTQ_MAX_CHAIN - 2, "seg_max");
    CHECK(rd(0x114) == 512, "blk_size");
}

static void test_write_read(void)
{
    fresh_disk(0);
    /* Write 3 sectors at sector 5: the header and the first 700 bytes in one
     * buffer (as legacy drivers lay them out), the rest in a second. */
    uint8_t data[1536];
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 13 + 1);
    header(DATA, 1, 5);
    memcpy(at(DATA + 16), data, 700);
    memcpy(at(DATA + 0x1000), data + 700, sizeof data - 700);
    put_desc(0, DATA, 16 + 700, 1, 1);
    put_desc(1, DATA + 0x1000, sizeof data - 700, 1, 2);
    put_desc(2, DATA + 0x2000, 1, 2, 0);
    *at(DATA + 0x2000) = 0xee;
    offer(0);
    CHECK(status_at(DATA + 0x2000) == 0 && last_used_len() == 1, "write ok, used 1");
    uint8_t back[1536 + 1024];
    file_bytes(4 * 512, back, sizeof back);
    CHECK(memcmp(back + 512, data, sizeof data) == 0, "the file holds the written sectors");
    CHECK(back[0] == (uint8_t)(4 * 7) && back[511] == (uint8_t)(4 * 7 + 511), "sector 4 untouched");
    CHECK(back[2048] == (uint8_t)(8 * 7) && back[2559] == (uint8_t)(8 * 7 + 511), "sector 8 untouched");
    CHECK(probe.level[3] == 1, "interrupt");
    wr(0x064, 1);

    /* Read sectors 4..8 into two buffers, the status in a third. */
    header(DATA, 0, 4);
    put_desc(3, DATA, 16, 1, 4);
    put_desc(4, DATA + 0x3000, 1000, 1 | 2, 5);
    put_desc(5, DATA + 0x4000, 5 * 512 - 1000, 1 | 2, 6);
    put_desc(6, DATA + 0x5000, 1, 2, 0);
    *at(DATA + 0x5000) = 0xee;
    offer(3);
    CHECK(status_at(DATA + 0x5000) == 0 && last_used_len() == 5 * 512 + 1, "read ok, used %u", last_used_len());
    uint8_t got[5 * 512];
    memcpy(got, at(DATA + 0x3000), 1000);
    memcpy(got + 1000, at(DATA + 0x4000), sizeof got - 1000);
    CHECK(memcmp(got, back, sizeof got) == 0, "read matches the file");

    /* Flush and GET_ID. */
    header(DATA, 4, 0);
    put_desc(7, DATA, 16, 1, 8);
    put_desc(8, DATA + 0x5000, 1, 2, 0);
    offer(7);
    CHECK(status_at(DATA + 0x5000) == 0 && blk.flushes == 1, "flush ok");
    header(DATA, 8, 0);
    memset(at(DATA + 0x6000), 0, 32);
    put_desc(9, DATA, 16, 1, 10);
    put_desc(10, DATA + 0x6000, 20, 1 | 2, 11);
    put_desc(11, DATA + 0x5000, 1, 2, 0);
    offer(9);
    CHECK(status_at(DATA + 0x5000) == 0 && !memcmp(at(DATA + 0x6000), "splitvm-test", 13), "GET_ID gives the serial");
    CHECK(blk.reads == 1 && blk.writes == 1 && blk.errors == 0, "counted");
}

/* A one-buffer-out, data, status request of `type` at `sector` with `len`
 * data bytes; returns the status byte. */
static uint8_t request(uint32_t type, uint64_t sector, uint32_t len)
{
    header(DATA, type, sector);
    memset(at(DATA + 0x10000), 0x5a, len);
    *at(DATA + 0x2000) = 0xee;
    put_desc(0, DATA, 16, 1, 1);
    put_desc(1, DATA + 0x10000, len, (uint16_t)(1 | (type == 0 ? 2 : 0)), 2);
    put_desc(2, DATA + 0x2000, 1, 2, 0);
    offer(0);
    return status_at(DATA + 0x2000);
}

static void test_bad_requests(void)
{
    fresh_disk(0);
    uint8_t before[SECTORS * 512], after[SECTORS * 512];
    file_bytes(0, before, sizeof before);
    CHECK(request(1, SECTORS - 1, 1024) == 1, "write past the end: IOERR");
    CHECK(request(0, SECTORS - 1, 1024) == 1, "read past the end: IOERR");
    CHECK(request(1, SECTORS, 512) == 1, "write at capacity: IOERR");
    CHECK(request(1, 1ull << 63, 512) == 1, "huge sector: IOERR");
    CHECK(request(1, ~0ull, 512) == 1, "sector -1: IOERR");
    CHECK(request(1, 3, 100) == 1, "partial sector write: IOERR");
    CHECK(request(0, 3, 700) == 1, "partial sector read: IOERR");
    CHECK(request(99, 0, 512) == 2, "unknown type: UNSUPP");
    CHECK(request(0, SECTORS - 1, 512) == 0, "the last sector reads");
    /* A header of 8 bytes. */
    put_desc(0, DATA, 8, 1, 1);
    put_desc(1, DATA + 0x2000, 1, 2, 0);
    *at(DATA + 0x2000) = 0xee;
    offer(0);
    CHECK(status_at(DATA + 0x2000) == 1 && rd(0x070) == 0xf, "short header: IOERR");
    CHECK(blk.errors == 8, "8 errors counted (%llu)", (unsigned long long)blk.errors);
    file_bytes(0, after, sizeof after);
    CHECK(memcmp(before, after, sizeof before) == 0, "the file is untouched");
    /* No writable byte for the status: the device needs a reset. */
    header(DATA, 1, 0);
    put_desc(0, DATA, 16 + 512, 1, 0);
    offer(0);
    CHECK(rd(0x070) & 0x40, "no status byte: DEVICE_NEEDS_RESET");
    file_bytes(0, after, sizeof after);
    CHECK(memcmp(before, after, sizeof before) == 0, "the file is still untouched");
}

static void test_read_only(void)
{
    fresh_disk(1);
    uint8_t before[SECTORS * 512], after[SECTORS * 512];
    file_bytes(0, before, sizeof before);
    CHECK(request(1, 0, 512) == 1, "write to a read-only disk: IOERR");
    CHECK(request(0, 2, 512) == 0 && *at(DATA + 0x10000) == (uint8_t)(2 * 7), "reads work");
    CHECK(request(4, 0, 0) == 0, "flush of a read-only disk: ok");
    file_bytes(0, after, sizeof after);
    CHECK(memcmp(before, after, sizeof before) == 0, "the file is untouched");
}

int main(void)
{
    ram = calloc(1, RAM_SIZE);
    host = host_create();
    snprintf(path, sizeof path, "/tmp/splitvm-vblk-%d.img", (int)getpid());
    test_config();
    test_write_read();
    test_bad_requests();
    test_read_only();
    blk_close(&disk);
    host_destroy(host);
    unlink(path);
    free(ram);
    return check_report("virtio_blk");
}
