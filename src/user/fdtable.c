/* Guest fd table: see fdtable.h. */
#include "fdtable.h"

#include <errno.h>
#include <string.h>

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

static void release(uproc *p, ufd *e)
{
    if (e->owned)
        host_close(p->host, e->host);
    host_free(p->host, e->path);
    e->host = -1;
    e->owned = 0;
    e->cloexec = 0;
    e->path = NULL;
}

void ufds_fini(uproc *p)
{
    struct ufds *t = T(p);
    if (!t)
        return;
    for (int i = 0; i < t->cap; i++)
        if (t->v[i].host >= 0)
            release(p, &t->v[i]);
    host_free(p->host, t->v);
    host_free(p->host, t);
    p->fds = NULL;
}

ufd *ufds_get(uproc *p, int64_t gfd)
{
    struct ufds *t = T(p);
    if (!t || gfd < 0 || gfd >= t->cap || t->v[gfd].host < 0)
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
    }
    t->v = nv;
    t->cap = ncap;
    return 0;
}

static int fill(uproc *p, int gfd, int host, int owned, int cloexec, const char *path)
{
    ufd *e = &T(p)->v[gfd];
    e->path = path ? host_strdup(p->host, path) : NULL;
    if (path && !e->path)
        return -ENOMEM;
    e->host = host;
    e->owned = owned;
    e->cloexec = cloexec;
    return gfd;
}

int ufds_add(uproc *p, int minfd, int host, int owned, int cloexec, const char *path)
{
    struct ufds *t = T(p);
    int r = -EMFILE;
    if (minfd < 0)
        minfd = 0;
    for (int i = minfd; i < UFDS_MAX; i++) {
        if (i >= t->cap && (r = grow(p, i)) < 0)
            break;
        if (t->v[i].host < 0) {
            r = fill(p, i, host, owned, cloexec, path);
            break;
        }
    }
    if (r < 0 && owned)
        host_close(p->host, host);
    return r;
}

int ufds_set(uproc *p, int gfd, int host, int owned, int cloexec, const char *path)
{
    int r = gfd < 0 ? -EBADF : grow(p, gfd);
    if (r == 0) {
        ufd *e = &T(p)->v[gfd];
        if (e->host >= 0)
            release(p, e);
        r = fill(p, gfd, host, owned, cloexec, path);
    }
    if (r < 0 && owned)
        host_close(p->host, host);
    return r;
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
        /* Start where the host is, as qemu-user does; paths still go
         * through uproc_host_path, so -L applies to them. */
        if (host_getcwd(p->host, t->cwd, sizeof(t->cwd)) < 0 || t->cwd[0] != '/')
            strcpy(t->cwd, "/");
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
