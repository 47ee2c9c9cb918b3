/* Guest fd table: see fdtable.h. */
#include "fdtable.h"

#include <errno.h>
#include <string.h>

#include "uvfs.h"

static struct ufds *T(uproc *p) { return p->fds; }

int ufds_init(uproc *p)
{
    struct ufds *t = host_alloc(p->host, sizeof(*t));
    if (!t)
        return -ENOMEM;
    t->cap = 16;
    t->v = host_alloc(p->host, sizeof(ufd) * (size_t)t->cap);
    if (!t->v) {
        host_free(p->host, t);
        return -ENOMEM;
    }
    for (int i = 0; i < t->cap; i++)
        t->v[i].host = -1;
    for (int i = 0; i < 3; i++)
        t->v[i].host = i; /* the host's stdio, borrowed */
    t->umask = 022;
    p->fds = t;
    return 0;
}

static int used(const ufd *e)
{
    return e->host >= 0 || e->vf;
}

static void release(uproc *p, ufd *e)
{
    if (e->owned && e->host >= 0)
        host_close(p->host, e->host);
    host_free(p->host, e->path);
    uvfs_file *vf = e->vf;
    e->host = -1;
    e->owned = 0;
    e->cloexec = 0;
    e->path = NULL;
    e->vf = NULL;
    uvfs_file_unref(p, vf); /* may call the embedder: the slot is consistent first */
}

void ufds_fini(uproc *p)
{
    struct ufds *t = T(p);
    if (!t)
        return;
    for (int i = 0; i < t->cap; i++)
        if (used(&t->v[i]))
            release(p, &t->v[i]);
    host_free(p->host, t->v);
    host_free(p->host, t);
    p->fds = NULL;
}

ufd *ufds_get(uproc *p, int64_t gfd)
{
    struct ufds *t = T(p);
    if (!t || gfd < 0 || gfd >= t->cap || !used(&t->v[gfd]))
        return NULL;
    return &t->v[gfd];
}

static int grow(uproc *p, int need)
{
    struct ufds *t = T(p);
    if (need < t->cap)
        return 0;
    if (need >= UFDS_MAX)
        return -EMFILE;
    int ncap = t->cap;
    while (ncap <= need)
        ncap *= 2;
    if (ncap > UFDS_MAX)
        ncap = UFDS_MAX;
    ufd *nv = host_realloc(p->host, t->v, sizeof(ufd) * (size_t)ncap);
    if (!nv)
        return -ENOMEM;
    for (int i = t->cap; i < ncap; i++) {
        nv[i].host = -1;
        nv[i].owned = nv[i].cloexec = 0;
        nv[i].path = NULL;
        nv[i].vf = NULL;
    }
    t->v = nv;
    t->cap = ncap;
    return 0;
}

static int fill(uproc *p, int gfd, int host, uvfs_file *vf, int owned, int cloexec, const char *path)
{
    ufd *e = &T(p)->v[gfd];
    e->path = path ? host_strdup(p->host, path) : NULL;
    if (path && !e->path)
        return -ENOMEM;
    e->host = host;
    e->owned = owned;
    e->cloexec = cloexec;
    e->vf = vf;
    e->never_waits = -1;
    if (vf)
        uvfs_file_ref(vf);
    return gfd;
}

static int add_at_lowest(uproc *p, int minfd, int host, uvfs_file *vf, int owned, int cloexec, const char *path)
{
    struct ufds *t = T(p);
    int r = -EMFILE;
    if (minfd < 0)
        minfd = 0;
    for (int i = minfd; i < UFDS_MAX; i++) {
        if (i >= t->cap && (r = grow(p, i)) < 0)
            break;
        if (!used(&t->v[i])) {
            r = fill(p, i, host, vf, owned, cloexec, path);
            break;
        }
    }
    return r;
}

static int set_exact(uproc *p, int gfd, int host, uvfs_file *vf, int owned, int cloexec, const char *path)
{
    int r = gfd < 0 ? -EBADF : grow(p, gfd);
    if (r == 0) {
        ufd *e = &T(p)->v[gfd];
        if (used(e))
            release(p, e);
        r = fill(p, gfd, host, vf, owned, cloexec, path);
    }
    return r;
}

int ufds_add(uproc *p, int minfd, int host, int owned, int cloexec, const char *path)
{
    int r = add_at_lowest(p, minfd, host, NULL, owned, cloexec, path);
    if (r < 0 && owned)
        host_close(p->host, host);
    return r;
}

int ufds_set(uproc *p, int gfd, int host, int owned, int cloexec, const char *path)
{
    int r = set_exact(p, gfd, host, NULL, owned, cloexec, path);
    if (r < 0 && owned)
        host_close(p->host, host);
    return r;
}

int ufds_add_vf(uproc *p, int minfd, uvfs_file *vf, int cloexec, const char *path)
{
    return add_at_lowest(p, minfd, -1, vf, 0, cloexec, path);
}

int ufds_set_vf(uproc *p, int gfd, uvfs_file *vf, int cloexec, const char *path)
{
    return set_exact(p, gfd, -1, vf, 0, cloexec, path);
}

int ufds_close(uproc *p, int64_t gfd)
{
    ufd *e = ufds_get(p, gfd);
    if (!e)
        return -EBADF;
    release(p, e);
    return 0;
}

const char *ufds_cwd(uproc *p)
{
    struct ufds *t = T(p);
    if (!t->cwd[0]) {
        /* Start where the host is, as qemu-user does. In the -L jail that is
         * the same place seen from inside the tree, or its root when the host
         * is elsewhere; with the embedder's files, the root. */
        char host[sizeof(t->cwd)];
        size_t rl = p->sysroot ? strlen(p->sysroot) : 0;
        strcpy(t->cwd, "/");
        if (p->vfs && p->vfs->base != &uvfs_host_ops)
            return t->cwd;
        if (host_getcwd(p->host, host, sizeof(host)) < 0 || host[0] != '/')
            return t->cwd;
        if (!rl)
            memcpy(t->cwd, host, strlen(host) + 1);
        else if (!strncmp(host, p->sysroot, rl) && host[rl] == '/')
            memcpy(t->cwd, host + rl, strlen(host + rl) + 1);
    }
    return t->cwd;
}

int ufds_set_cwd(uproc *p, const char *guest_abs)
{
    size_t n = strlen(guest_abs);
    if (n + 1 > sizeof(T(p)->cwd))
        return -ENAMETOOLONG;
    memcpy(T(p)->cwd, guest_abs, n + 1);
    return 0;
}

int ufds_copy(uproc *child, uproc *parent)
{
    struct ufds *c = T(child), *t = T(parent);
    for (int i = 0; i < c->cap; i++)
        if (used(&c->v[i]))
            release(child, &c->v[i]);
    int r = grow(child, t->cap - 1);
    if (r < 0)
        return r;
    for (int i = 0; i < t->cap; i++) {
        const ufd *e = &t->v[i];
        if (!used(e))
            continue;
        /* An owned host fd is duplicated (the same open file description,
         * offset included, as after a fork); borrowed stdio stays borrowed. */
        int host = e->host;
        if (host >= 0 && e->owned && (host = host_dup(child->host, e->host)) < 0)
            return host;
        r = fill(child, i, host, e->vf, e->owned, e->cloexec, e->path);
        if (r < 0) {
            if (host >= 0 && e->owned)
                host_close(child->host, host);
            return r;
        }
        c->v[i].never_waits = e->never_waits;
    }
    memcpy(c->cwd, t->cwd, sizeof(c->cwd));
    c->umask = t->umask;
    return 0;
}

void ufds_close_on_exec(uproc *p)
{
    struct ufds *t = T(p);
    for (int i = 0; i < t->cap; i++)
        if (used(&t->v[i]) && t->v[i].cloexec)
            release(p, &t->v[i]);
}
