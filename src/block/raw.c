/* Raw images: the guest's bytes are the file's bytes. The disk's size is
 * the file's, rounded down to whole 512-byte sectors, as QEMU shows it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "block.h"

static int raw_probe(const uint8_t *head, size_t n)
{
    (void)head;
    (void)n;
    return 1; /* anything is a raw image */
}

static int raw_open(blk_dev *bd, char *err, size_t errlen)
{
    uint64_t len;
    int r = bd->io.length(bd->io.opaque, &len);
    if (r < 0) {
        snprintf(err, errlen, "cannot size the image: %s", strerror(-r));
        return r;
    }
    bd->size = len & ~(uint64_t)511;
    if (!bd->size) {
        snprintf(err, errlen, "the image holds no whole 512-byte sector (%llu bytes)", (unsigned long long)len);
        return -EINVAL;
    }
    return 0;
}

static int raw_read(blk_dev *bd, uint64_t off, void *buf, size_t len)
{
    return bd->io.pread(bd->io.opaque, buf, len, off);
}

static int raw_write(blk_dev *bd, uint64_t off, const void *buf, size_t len)
{
    return bd->io.pwrite(bd->io.opaque, buf, len, off);
}

static int raw_flush(blk_dev *bd)
{
    return bd->io.flush(bd->io.opaque);
}

static void raw_close(blk_dev *bd)
{
    (void)bd;
}

const blk_format blk_format_raw = {"raw", raw_probe, raw_open, raw_read, raw_write, raw_flush, raw_close};
