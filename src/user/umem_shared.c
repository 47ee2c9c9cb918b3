/* Writable MAP_SHARED file mappings, by write-back. Guest memory is one
 * host reservation of private pages, so a shared file mapping is private
 * pages filled from the file (as every file mapping is, sys_mem.c) plus a
 * record here: the range, the file (our own reference: the guest may close
 * its fd right after mmap) and the offset. The pages go back to the file on
 * msync, when the range is unmapped or replaced (munmap, mmap MAP_FIXED,
 * mremap), at exit_group and when the process is destroyed; only the pages
 * that differ from the file are written, and never past its end (a shared
 * mapping does not grow its file). What this does not give: another open
 * of the file seeing the guest's stores before one of those points, or the
 * mapping seeing writes made to the file meanwhile. */
#include "syscall.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "fdtable.h"
#include "uvfs.h"

#define PG RV_PAGE_SIZE

typedef struct shared_map {
    uint64_t va, len; /* page aligned */
    int64_t off;      /* file offset of va */
    int host;         /* our dup of the host fd, or -1 */
    uvfs_file *vf;    /* or our reference to the guest-side file */
} shared_map;

struct ushared {
    shared_map *v;
    int n, cap;
};

int ushared_add(uproc *p, ufd *e, uint64_t va, uint64_t len, int64_t off)
{
    struct usys *s = usys_state(p);
    if (!s)
        return -ENOMEM;
    if (!s->shared && !(s->shared = host_alloc(p->host, sizeof(*s->shared))))
        return -ENOMEM;
    struct ushared *u = s->shared;
    if (u->n == u->cap) {
        int cap = u->cap ? u->cap * 2 : 8;
        shared_map *nv = host_realloc(p->host, u->v, sizeof(*nv) * (size_t)cap);
        if (!nv)
            return -ENOMEM;
        u->v = nv;
        u->cap = cap;
    }
    shared_map m = {va, len, off, -1, NULL};
    if (e->vf) {
        uvfs_file_ref(e->vf);
        m.vf = e->vf;
    } else {
        m.host = host_dup(p->host, e->host);
        if (m.host < 0)
            return m.host;
    }
    u->v[u->n++] = m;
    return 0;
}

/* Write [va, va+len) of m back where it differs from the file. */
static int write_back(uproc *p, const shared_map *m, uint64_t va, uint64_t len)
{
    ufd e = {.host = m->host, .vf = m->vf};
    uvfs_stat st;
    int r = uvfs_fstat(p, &e, &st);
    if (r < 0)
        return r;
    uint8_t disk[PG];
    for (uint64_t at = va; at < va + len; at += PG) {
        int64_t foff = m->off + (int64_t)(at - m->va);
        if (foff >= st.size)
            break;
        size_t n = st.size - foff < (int64_t)PG ? (size_t)(st.size - foff) : PG;
        const uint8_t *mem = umem_ptr(p, at, n, PROT_NONE);
        if (!mem)
            continue; /* unmapped meanwhile: nothing to write */
        int64_t got = uvfs_read(p, &e, disk, n, foff);
        if (got == (int64_t)n && memcmp(disk, mem, n) == 0)
            continue;
        int64_t w = uvfs_write(p, &e, mem, n, foff);
        if (w < 0)
            return (int)w;
    }
    return 0;
}

static void release(uproc *p, shared_map *m)
{
    if (m->host >= 0)
        host_close(p->host, m->host);
    if (m->vf)
        uvfs_file_unref(p, m->vf);
}

int ushared_sync(uproc *p, uint64_t va, uint64_t len, int drop)
{
    struct ushared *u = p->sys ? p->sys->shared : NULL;
    int err = 0;
    if (!u)
        return 0;
    uint64_t end = va + len < va ? UINT64_MAX : va + len;
    for (int i = 0; i < u->n; i++) {
        shared_map *m = &u->v[i];
        uint64_t a = m->va > va ? m->va : va, b = m->va + m->len < end ? m->va + m->len : end;
        if (a >= b)
            continue;
        int r = write_back(p, m, a, b - a);
        if (r < 0 && !err)
            err = r;
        if (!drop)
            continue;
        /* Cut [a, b) out of the record: keep what is left on each side. */
        shared_map left = *m, right = *m;
        left.len = a - m->va;
        right.va = b;
        right.len = m->va + m->len - b;
        right.off = m->off + (int64_t)(b - m->va);
        if (left.len && right.len) { /* a hole in the middle: two records, two references */
            if (u->n == u->cap) {
                shared_map *nv = host_realloc(p->host, u->v, sizeof(*nv) * (size_t)(u->cap * 2));
                if (!nv)
                    return -ENOMEM;
                u->v = nv;
                u->cap *= 2;
                m = &u->v[i];
            }
            if (right.vf)
                uvfs_file_ref(right.vf);
            else if ((right.host = host_dup(p->host, m->host)) < 0)
                right.len = 0; /* keep going; that part is no longer written back */
            *m = left;
            if (right.len)
                u->v[u->n++] = right;
        } else if (left.len) {
            *m = left;
        } else if (right.len) {
            *m = right;
        } else {
            release(p, m);
            u->v[i--] = u->v[--u->n];
        }
    }
    return err;
}

void ushared_fini(uproc *p)
{
    struct ushared *u = p->sys ? p->sys->shared : NULL;
    if (!u)
        return;
    ushared_sync(p, 0, UINT64_MAX, 1);
    host_free(p->host, u->v);
    host_free(p->host, u);
    p->sys->shared = NULL;
}
