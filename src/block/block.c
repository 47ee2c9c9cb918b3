/* The block layer's common part: format choice, bounds, host-file io. */
#include "block.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Probed in order: raw, which takes anything, last. */
static const blk_format *const formats[] = {&blk_format_qcow2, &blk_format_raw};

int blk_open(blk_dev *bd, host_ctx *host, blk_io io, const char *format, int read_only, char *err, size_t errlen)
{
    memset(bd, 0, sizeof *bd);
    bd->io = io;
    bd->host = host;
    bd->read_only = read_only;
    if (format) {
        for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
            if (!strcmp(format, formats[i]->name))
                bd->fmt = formats[i];
        if (!bd->fmt) {
            snprintf(err, errlen, "unknown image format '%s' (raw or qcow2)", format);
            return -EINVAL;
        }
    } else {
        /* Guess as QEMU does: a qcow2 header wins, anything else is raw. */
        uint8_t head[512];
        uint64_t len = 0;
        int r = io.length(io.opaque, &len);
        if (r < 0 || (r = io.pread(io.opaque, head, sizeof head, 0)) < 0) {
            snprintf(err, errlen, "cannot read the image: %s", strerror(-r));
            return r;
        }
        size_t n = len < sizeof head ? (size_t)len : sizeof head;
        for (size_t i = 0; i < sizeof formats / sizeof formats[0] && !bd->fmt; i++)
            if (formats[i]->probe(head, n))
                bd->fmt = formats[i];
    }
    int r = bd->fmt->open(bd, err, errlen);
    if (r < 0)
        bd->fmt = NULL;
    return r;
}

static int in_bounds(const blk_dev *bd, uint64_t off, size_t len)
{
    return off <= bd->size && len <= bd->size - off;
}

int blk_read(blk_dev *bd, uint64_t off, void *buf, size_t len)
{
    if (!in_bounds(bd, off, len))
        return -EINVAL;
    if (!len)
        return 0;
    return bd->overlay ? blk_overlay_read(bd, off, buf, len) : bd->fmt->read(bd, off, buf, len);
}

int blk_write(blk_dev *bd, uint64_t off, const void *buf, size_t len)
{
    if (bd->read_only)
        return -EROFS;
    if (!in_bounds(bd, off, len))
        return -EINVAL;
    if (!len)
        return 0;
    return bd->overlay ? blk_overlay_write(bd, off, buf, len) : bd->fmt->write(bd, off, buf, len);
}

int blk_flush(blk_dev *bd)
{
    /* An overlay has nothing to make durable, and the image is read-only. */
    return bd->read_only || bd->overlay ? 0 : bd->fmt->flush(bd);
}

void blk_close(blk_dev *bd)
{
    if (!bd->fmt)
        return;
    blk_flush(bd);
    blk_overlay_free(bd);
    bd->fmt->close(bd);
    bd->fmt = NULL;
}

void blk_log(const blk_dev *bd, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (bd->log)
        bd->log(bd->log_opaque, line);
    else
        fprintf(stderr, "%s\n", line);
}

/* ---- io over a host fd ---- */
static int host_file_pread(void *opaque, void *buf, size_t len, uint64_t off)
{
    blk_host_file *f = opaque;
    uint8_t *p = buf;
    while (len) {
        ssize_t n = host_pread(f->host, f->fd, p, len, (int64_t)off);
        if (n == -EINTR)
            continue;
        if (n < 0)
            return (int)n;
        if (n == 0) { /* past the end of the file */
            memset(p, 0, len);
            return 0;
        }
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

static int host_file_pwrite(void *opaque, const void *buf, size_t len, uint64_t off)
{
    blk_host_file *f = opaque;
    const uint8_t *p = buf;
    while (len) {
        ssize_t n = host_pwrite(f->host, f->fd, p, len, (int64_t)off);
        if (n == -EINTR)
            continue;
        if (n < 0)
            return (int)n;
        if (n == 0)
            return -EIO;
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

static int host_file_flush(void *opaque)
{
    blk_host_file *f = opaque;
    return host_fsync(f->host, f->fd);
}

static int host_file_length(void *opaque, uint64_t *len)
{
    blk_host_file *f = opaque;
    struct stat st;
    int r = host_fstat(f->host, f->fd, &st);
    if (r < 0)
        return r;
    *len = (uint64_t)st.st_size;
    return 0;
}

blk_io blk_io_host_file(blk_host_file *f)
{
    return (blk_io){f, host_file_pread, host_file_pwrite, host_file_flush, host_file_length};
}
