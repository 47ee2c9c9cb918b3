/* Disk images behind one interface: a format driver (raw, qcow2) turns the
 * guest's byte offsets into reads and writes of an image file, whose bytes
 * come from a blk_io (a host file through the host layer, or the
 * embedder's own storage). Devices (virtio-blk) see only blk_dev.
 *
 * Errors are negative errno values; a malformed image is refused at open
 * with a message naming what is wrong, and a corruption met later (a table
 * pointing outside the file, a cluster that overlaps metadata) fails the
 * request with -EIO and never touches data outside what the image owns. */
#ifndef SPLITVM_BLOCK_H
#define SPLITVM_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "../host/host.h"

/* Where an image's bytes are. */
typedef struct blk_io {
    void *opaque;
    /* Exactly len bytes at off into buf; bytes past the end of the file
     * read as zeros. 0 or -errno. */
    int (*pread)(void *opaque, void *buf, size_t len, uint64_t off);
    /* Exactly len bytes at off (the file grows as needed). 0 or -errno. */
    int (*pwrite)(void *opaque, const void *buf, size_t len, uint64_t off);
    /* Make every completed write durable. 0 or -errno. */
    int (*flush)(void *opaque);
    /* The file's length in bytes. 0 or -errno. */
    int (*length)(void *opaque, uint64_t *len);
} blk_io;

typedef struct blk_dev blk_dev;

/* A format. Offsets and lengths from the device are any byte values with
 * off + len <= size (virtio-blk sends 512-byte sectors). */
typedef struct blk_format {
    const char *name;
    /* Nonzero when the image's first bytes (n of them, n may be short for a
     * tiny file) are this format's. */
    int (*probe)(const uint8_t *head, size_t n);
    /* Read the image's metadata through bd->io, set bd->size and bd->state
     * (allocated with host_alloc on bd->host). 0, or -errno with a message
     * in err (the caller adds the file name). */
    int (*open)(blk_dev *bd, char *err, size_t errlen);
    int (*read)(blk_dev *bd, uint64_t off, void *buf, size_t len);
    int (*write)(blk_dev *bd, uint64_t off, const void *buf, size_t len);
    /* Write back whatever the format holds in memory, then bd->io.flush. */
    int (*flush)(blk_dev *bd);
    /* Free bd->state; called after a final flush. */
    void (*close)(blk_dev *bd);
} blk_format;

struct blk_dev {
    const blk_format *fmt;
    blk_io io;
    host_ctx *host;
    uint64_t size; /* bytes the guest sees */
    int read_only; /* writes fail with -EROFS; the format never writes the file */
    void *state;   /* the format's */
    /* Where a format's one-line diagnostics go (a corrupt table met while
     * running); NULL: stderr. */
    void (*log)(void *opaque, const char *line);
    void *log_opaque;
    /* QEMU's snapshot=on: the guest's writes, kept in memory (overlay.c);
     * NULL: writes go to the image. */
    struct blk_overlay *overlay;
};

extern const blk_format blk_format_raw;
extern const blk_format blk_format_qcow2; /* qcow2.h lists what it supports */

/* Open an image on io. format: "raw", "qcow2", or NULL to take the format
 * from the image's first bytes (qcow2 by its magic, otherwise raw). 0, or
 * -errno with a message in err. */
int blk_open(blk_dev *bd, host_ctx *host, blk_io io, const char *format, int read_only, char *err, size_t errlen);
/* Requests: off + len must lie within bd->size (else -EINVAL). */
int blk_read(blk_dev *bd, uint64_t off, void *buf, size_t len);
int blk_write(blk_dev *bd, uint64_t off, const void *buf, size_t len);
int blk_flush(blk_dev *bd);
/* Flush and free the format's state (the io's owner closes the file). */
void blk_close(blk_dev *bd);

/* snapshot=on (QEMU's -snapshot): on an image opened read-only, let the
 * guest write, into copy-on-write chunks in host memory that blk_read lays
 * over the image's bytes; the image is never written, and the writes are
 * gone when the disk is closed. 0 or -ENOMEM. */
int blk_overlay_attach(blk_dev *bd);
/* Bytes of host memory the overlay holds (0 without one). */
uint64_t blk_overlay_bytes(const blk_dev *bd);
/* overlay.c, for block.c: requests and the end of an overlay. */
int blk_overlay_read(blk_dev *bd, uint64_t off, void *buf, size_t len);
int blk_overlay_write(blk_dev *bd, uint64_t off, const void *buf, size_t len);
void blk_overlay_free(blk_dev *bd);

/* A diagnostic line about the image, printf-style. */
void blk_log(const blk_dev *bd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A blk_io over a host fd (host_pread/host_pwrite/host_fsync/host_fstat). */
typedef struct blk_host_file {
    host_ctx *host;
    int fd;
} blk_host_file;
blk_io blk_io_host_file(blk_host_file *f);

#endif
