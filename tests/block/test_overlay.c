/* snapshot=on (src/block/overlay.c): a raw image of an odd size (not a
 * whole number of 4 KiB chunks) opened read-only with an overlay takes
 * 3,000 random requests, two writes in three (1 byte to 20 KiB,
 * chunk-crossing, some up to the last byte), every read compared with a
 * model of the disk; the image file
 * is byte for byte what it was; the overlay holds host memory in
 * proportion to the chunks written; flushes succeed without touching the
 * file; closing frees every block. And a read-only disk without overlay
 * still refuses writes. */
#include <sys/stat.h>
#include <unistd.h>

#include "blk_test.h"

#define DISK_SIZE ((32u << 20) + 1536u) /* 32 MiB and three sectors */

int main(void)
{
    char dir[] = "/tmp/splitvm-overlay.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char path[200];
    snprintf(path, sizeof path, "%s/disk.raw", dir);
    uint64_t seed = 0x5eed;
    uint8_t *image = malloc(DISK_SIZE), *model = malloc(DISK_SIZE), *buf = malloc(32768), *after = malloc(DISK_SIZE);
    if (!image || !model || !buf || !after)
        return 1;
    test_fill(image, DISK_SIZE, &seed);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(image, 1, DISK_SIZE, f) != DISK_SIZE || fclose(f))
        return 1;
    memcpy(model, image, DISK_SIZE);

    test_img t;
    CHECK(test_img_open(&t, path, "raw", 1) == 0, "open: %s", t.err);
    CHECK(blk_write(&t.bd, 0, buf, 512) == -EROFS, "a read-only disk refuses writes");
    CHECK(blk_overlay_bytes(&t.bd) == 0, "no overlay yet");
    CHECK(blk_overlay_attach(&t.bd) == 0, "attach");
    CHECK(!t.bd.read_only, "the guest may write");
    uint64_t empty = blk_overlay_bytes(&t.bd);
    int chunks_seen[(DISK_SIZE + 4095) / 4096] = {0};
    unsigned nchunks = 0;
    for (int i = 0; i < 3000; i++) {
        uint64_t r = test_rand(&seed);
        size_t len = 1 + (size_t)(r % 20480);
        if (i % 7 == 0)
            len = 1 + (size_t)(r % 16);
        uint64_t off = (r >> 20) % (DISK_SIZE - len + 1);
        if (i % 50 == 0)
            off = DISK_SIZE - len; /* up to the last byte */
        if (i % 3) {
            test_fill(buf, len, &seed);
            CHECK(blk_write(&t.bd, off, buf, len) == 0, "write %zu at %llu", len, (unsigned long long)off);
            memcpy(model + off, buf, len);
            for (uint64_t c = off / 4096; c <= (off + len - 1) / 4096; c++)
                if (!chunks_seen[c]++)
                    nchunks++;
        } else {
            CHECK(blk_read(&t.bd, off, buf, len) == 0, "read");
            CHECK(!memcmp(buf, model + off, len), "read %zu at %llu differs from the model", len,
                  (unsigned long long)off);
        }
        if (i % 500 == 0)
            CHECK(blk_flush(&t.bd) == 0, "flush");
    }
    /* The whole disk, in odd pieces. */
    for (uint64_t off = 0; off < DISK_SIZE;) {
        size_t len = DISK_SIZE - off < 12345 ? (size_t)(DISK_SIZE - off) : 12345;
        CHECK(blk_read(&t.bd, off, buf, len) == 0 && !memcmp(buf, model + off, len), "whole-disk read at %llu",
              (unsigned long long)off);
        off += len;
    }
    CHECK(blk_read(&t.bd, DISK_SIZE - 1, buf, 2) == -EINVAL, "a read past the end");
    CHECK(blk_write(&t.bd, DISK_SIZE, buf, 1) == -EINVAL, "a write past the end");
    uint64_t held = blk_overlay_bytes(&t.bd) - empty;
    const uint64_t tables = ((DISK_SIZE / 4096 + 1024) / 1024) * 8192; /* second-level tables, at most */
    CHECK(held >= (uint64_t)nchunks * 4096 && held <= (uint64_t)nchunks * 4096 + tables,
          "overlay holds %llu bytes for %u chunks", (unsigned long long)held, nchunks);
    printf("overlay: %u chunks written, %llu bytes held\n", nchunks, (unsigned long long)held);
    CHECK(test_img_close(&t) == 0, "closing left host memory behind");

    f = fopen(path, "rb");
    CHECK(f && fread(after, 1, DISK_SIZE, f) == DISK_SIZE && !memcmp(after, image, DISK_SIZE),
          "the image file changed");
    if (f)
        fclose(f);
    unlink(path);
    rmdir(dir);
    free(image), free(model), free(buf), free(after);
    if (blk_test_failures) {
        fprintf(stderr, "block.overlay: %d failures\n", blk_test_failures);
        return 1;
    }
    printf("block.overlay: ok\n");
    return 0;
}
