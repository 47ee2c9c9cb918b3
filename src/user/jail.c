/* The -L path jail: resolution from directory fds (see jail.h). */
#include "jail.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "syscall.h"

#define MAX_LINKS 40 /* Linux's MAXSYMLINKS */

/* A directory opened only to resolve names under it: no read access needed
 * where the host has a search-only open. */
#if defined(O_PATH)
#define DIR_OPEN (O_PATH | O_DIRECTORY)
#elif defined(O_SEARCH)
#define DIR_OPEN (O_SEARCH | O_DIRECTORY)
#else
#define DIR_OPEN (O_RDONLY | O_DIRECTORY)
#endif

/* Harmless host devices that programs expect, let through by exact path. */
static int host_device(const char *g)
{
    static const char *const devs[] = { "/dev/null", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/tty" };
    for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
        if (!strcmp(g, devs[i]))
            return 1;
    return 0;
}

int jail_init(uproc *p)
{
    p->root_fd = -1;
    if (!p->sysroot)
        return 0;
    /* The embedder's own path: the host may follow links in it. */
    int fd = host_openat(p->host, AT_FDCWD, p->sysroot, DIR_OPEN, 0);
    if (fd < 0)
        return fd;
    p->root_fd = fd;
    return 0;
}

void jail_fini(uproc *p)
{
    if (p->root_fd >= 0)
        host_close(p->host, p->root_fd);
    p->root_fd = -1;
}

/* ---- the walk ---- */

typedef struct walk {
    uproc *p;
    int cur;                 /* directory reached: root_fd or our own fd */
    char res[USYS_PATH_MAX]; /* its components from the root, "/a/b" ("" = the root) */
    size_t rl;
} walk;

static void set_cur(walk *w, int fd)
{
    if (w->cur != w->p->root_fd)
        host_close(w->p->host, w->cur);
    w->cur = fd;
}

static void to_root(walk *w)
{
    set_cur(w, w->p->root_fd);
    w->rl = 0;
    w->res[0] = 0;
}

/* Open directory name under cur, without following a link, and go there. */
static int descend(walk *w, const char *name)
{
    size_t nl = strlen(name);
    if (w->rl + nl + 2 > sizeof(w->res))
        return -ENAMETOOLONG;
    int fd = host_openat(w->p->host, w->cur, name, DIR_OPEN | O_NOFOLLOW, 0);
    if (fd < 0)
        return fd;
    set_cur(w, fd);
    w->res[w->rl++] = '/';
    memcpy(w->res + w->rl, name, nl + 1);
    w->rl += nl;
    return 0;
}

/* "..": one directory up, by walking down again from the root (the host's
 * ".." of a directory moved meanwhile could lead anywhere). At the root, stay. */
static int ascend(walk *w)
{
    if (w->rl == 0)
        return 0;
    char path[USYS_PATH_MAX];
    size_t n = w->rl;
    while (n > 0 && w->res[n - 1] != '/')
        n--;
    if (n > 0)
        n--; /* the '/' before the last component */
    memcpy(path, w->res, n);
    path[n] = 0;
    to_root(w);
    char *save = NULL;
    for (char *c = strtok_r(path, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        int r = descend(w, c);
        if (r < 0)
            return r; /* the tree changed under us: fail, never guess */
    }
    return 0;
}

static void finish(walk *w, jail_at *at, const char *name)
{
    at->dirfd = w->cur;
    at->owned = w->cur != w->p->root_fd;
    at->jailed = 1;
    memcpy(at->buf, name, strlen(name) + 1);
    at->name = at->buf;
}

int jail_walk(uproc *p, const char *guest, int flags, jail_at *at)
{
    at->dirfd = AT_FDCWD;
    at->owned = 0;
    at->jailed = 0;
    at->name = guest;
    if (!guest)
        return -EFAULT;
    if (!p->sysroot || ((flags & JAIL_DEVICES) && host_device(guest)))
        return 0;
    int follow_last = (flags & JAIL_FOLLOW) != 0;
    if (p->root_fd < 0)
        return -ENOENT;
    walk w;
    w.p = p;
    w.cur = p->root_fd;
    w.rl = 0;
    w.res[0] = 0;
    char rest[USYS_PATH_MAX], tmp[USYS_PATH_MAX], name[JAIL_NAME_MAX + 1];
    size_t gl = strlen(guest);
    if (gl >= sizeof(rest))
        return -ENAMETOOLONG;
    memcpy(rest, guest, gl + 1);
    int trailing = gl > 1 && guest[gl - 1] == '/'; /* "dir/": a directory, followed */
    const char *s = rest;
    int links = 0, r;
    for (;;) {
        while (*s == '/')
            s++;
        if (!*s)
            break;
        const char *c = s;
        while (*s && *s != '/')
            s++;
        size_t cl = (size_t)(s - c);
        const char *after = s;
        while (*after == '/')
            after++;
        int last = *after == 0;
        if (cl > JAIL_NAME_MAX) {
            r = -ENAMETOOLONG;
            goto fail;
        }
        memcpy(name, c, cl);
        name[cl] = 0;
        if (!strcmp(name, "."))
            continue;
        if (!strcmp(name, "..")) {
            if ((r = ascend(&w)) < 0)
                goto fail;
            continue;
        }
        int want_dir = !last || trailing;
        if (last && !follow_last && !trailing) {
            finish(&w, at, name);
            return 0;
        }
        if (want_dir) {
            if (!last) {
                if ((r = descend(&w, name)) == 0)
                    continue;
            } else if ((r = host_openat(p->host, w.cur, name, DIR_OPEN | O_NOFOLLOW, 0)) >= 0) {
                host_close(p->host, r); /* "dir/": it is one; the call names it from here */
                finish(&w, at, name);
                return 0;
            }
            if (r == -ENOENT && last) { /* "new/": a directory to make */
                finish(&w, at, name);
                return 0;
            }
            if (r != -ELOOP && r != -ENOTDIR && r != -EMLINK)
                goto fail;
            /* A symlink, or not a directory: readlinkat tells. */
        }
        ssize_t n = host_readlinkat(p->host, w.cur, name, tmp, sizeof(tmp) - 1);
        if (n == -EINVAL || (n == -ENOENT && last)) { /* not a link / a name to create */
            if (n == -EINVAL && want_dir) {
                r = -ENOTDIR;
                goto fail;
            }
            finish(&w, at, name);
            return 0;
        }
        if (n < 0) {
            r = (int)n;
            goto fail;
        }
        if (n == 0 || ++links > MAX_LINKS) {
            r = n == 0 ? -ENOENT : -ELOOP;
            goto fail;
        }
        /* Go on with the link's text + what was left of the path. */
        size_t al = strlen(after);
        if ((size_t)n + al + 3 > sizeof(tmp)) {
            r = -ENAMETOOLONG;
            goto fail;
        }
        tmp[n] = '/';
        memcpy(tmp + n + 1, after, al + 1);
        if (last && !trailing)
            tmp[n] = 0;
        memcpy(rest, tmp, strlen(tmp) + 1);
        s = rest;
        if (rest[0] == '/')
            to_root(&w); /* an absolute target names a guest path */
    }
    finish(&w, at, "."); /* the root, or where a "." or ".." left us */
    return 0;
fail:
    set_cur(&w, p->root_fd);
    return r;
}

void jail_release(uproc *p, jail_at *at)
{
    if (at->owned)
        host_close(p->host, at->dirfd);
    at->owned = 0;
    at->dirfd = AT_FDCWD;
}
