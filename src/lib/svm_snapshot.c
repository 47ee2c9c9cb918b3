/* The public snapshot calls: a board's state to and from a host file or
 * the embedder's own storage (the format: src/machine/snapshot.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "../state/state_io.h"
#include "svm_internal.h"

typedef struct file_io {
    host_ctx *host;
    int fd;
} file_io;

static int64_t file_write(void *opaque, const void *buf, size_t len)
{
    file_io *f = opaque;
    size_t done = 0;
    while (done < len) {
        ssize_t n = host_write(f->host, f->fd, (const uint8_t *)buf + done, len - done);
        if (n < 0 && n != -EINTR)
            return n;
        if (n == 0)
            return -EIO;
        if (n > 0)
            done += (size_t)n;
    }
    return (int64_t)len;
}

static int64_t file_read(void *opaque, void *buf, size_t len)
{
    file_io *f = opaque;
    for (;;) {
        ssize_t n = host_read(f->host, f->fd, buf, len);
        if (n != -EINTR)
            return n;
    }
}

/* The machine can hold a snapshot: a system-mode virt board. */
static int snapshot_machine(svm_machine *m)
{
    if (!m->board || m->cfg.board != SVM_BOARD_VIRT)
        return svm_fail(m, SVM_ERR_UNSUPPORTED, "snapshots need a system-mode machine on the virt board");
    return SVM_OK;
}

static int save(svm_machine *m, state_write_fn write, void *opaque)
{
    if (m->finished)
        return svm_fail(m, SVM_ERR_INVALID, "the guest has powered off: nothing to save");
    if (m->ruined)
        return svm_fail(m, SVM_ERR_INVALID, "no state to save: the last snapshot load failed part way");
    state_out o = {write, opaque, 0, 0};
    char why[400] = "";
    int r = board_snapshot_save(m->board, &o, why, sizeof(why));
    if (r == 0)
        return SVM_OK;
    return svm_fail(m, r == -EIO || o.error ? SVM_ERR_IO : r == -ENOTSUP ? SVM_ERR_UNSUPPORTED : SVM_ERR_INVALID, "%s",
                    why);
}

static int load(svm_machine *m, state_read_fn read, void *opaque)
{
    state_in in;
    state_in_init(&in, m->host, read, opaque);
    bool ruined = false;
    char why[400] = "";
    int r = board_snapshot_load(m->board, &in, &ruined, why, sizeof(why));
    state_in_free(&in);
    if (r != 0) {
        m->ruined = m->ruined || ruined;
        return svm_fail(m, r == -ENOMEM ? SVM_ERR_NOMEM : SVM_ERR_BAD_IMAGE, "%s", why);
    }
    /* The guest runs from the snapshot's moment on: whatever it had done
     * (powered off, stopped at a breakpoint) is gone. */
    m->ruined = 0;
    m->loaded = 1;
    m->finished = 0;
    m->resume_valid = 0;
    return SVM_OK;
}

int svm_snapshot_write(svm_machine *m, svm_snapshot_write_fn write, void *opaque)
{
    if (!m || !write)
        return m ? svm_fail(m, SVM_ERR_INVALID, "svm_snapshot_write: bad arguments") : SVM_ERR_INVALID;
    int r = snapshot_machine(m);
    return r != SVM_OK ? r : save(m, write, opaque);
}

int svm_snapshot_read(svm_machine *m, svm_snapshot_read_fn read, void *opaque)
{
    if (!m || !read)
        return m ? svm_fail(m, SVM_ERR_INVALID, "svm_snapshot_read: bad arguments") : SVM_ERR_INVALID;
    int r = snapshot_machine(m);
    return r != SVM_OK ? r : load(m, read, opaque);
}

int svm_snapshot_save(svm_machine *m, const char *path)
{
    if (!m || !path || !path[0])
        return m ? svm_fail(m, SVM_ERR_INVALID, "svm_snapshot_save: bad arguments") : SVM_ERR_INVALID;
    int r = snapshot_machine(m);
    if (r != SVM_OK)
        return r;
    /* A whole snapshot replaces PATH, or nothing does. */
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
        return svm_fail(m, SVM_ERR_INVALID, "snapshot path too long");
    file_io f = {m->host, host_openat(m->host, AT_FDCWD, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
    if (f.fd < 0)
        return svm_fail(m, SVM_ERR_IO, "%s: cannot create: %s", tmp, strerror(-f.fd));
    r = save(m, file_write, &f);
    int e = 0;
    if (r == SVM_OK && (e = host_fsync(m->host, f.fd)) != 0)
        r = svm_fail(m, SVM_ERR_IO, "%s: %s", tmp, strerror(-e));
    if (host_close(m->host, f.fd) != 0 && r == SVM_OK)
        r = svm_fail(m, SVM_ERR_IO, "%s: write failed", tmp);
    if (r == SVM_OK && (e = host_renameat(m->host, AT_FDCWD, tmp, AT_FDCWD, path)) != 0)
        r = svm_fail(m, SVM_ERR_IO, "%s: %s", path, strerror(-e));
    if (r != SVM_OK) {
        host_unlinkat(m->host, AT_FDCWD, tmp, 0);
        if (r == SVM_ERR_IO && !strstr(m->err, tmp) && !strstr(m->err, path)) {
            char why[sizeof(m->err)];
            snprintf(why, sizeof(why), "%s", m->err);
            svm_fail(m, SVM_ERR_IO, "%s: %s", path, why);
        }
    }
    return r;
}

int svm_snapshot_load(svm_machine *m, const char *path)
{
    if (!m || !path)
        return m ? svm_fail(m, SVM_ERR_INVALID, "svm_snapshot_load: bad arguments") : SVM_ERR_INVALID;
    int r = snapshot_machine(m);
    if (r != SVM_OK)
        return r;
    file_io f = {m->host, host_openat(m->host, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0)};
    if (f.fd < 0)
        return svm_fail(m, SVM_ERR_IO, "%s: cannot open: %s", path, strerror(-f.fd));
    r = load(m, file_read, &f);
    host_close(m->host, f.fd);
    if (r != SVM_OK) {
        char why[sizeof(m->err)];
        snprintf(why, sizeof(why), "%s", m->err);
        svm_fail(m, r, "%s: %s", path, why);
    }
    return r;
}
