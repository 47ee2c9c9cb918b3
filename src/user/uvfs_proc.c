/* The guest's own /proc, in front of the host's or the proxy's file system.
 *
 * A program asking its own /proc (/proc/self/maps, /proc/self/exe, ...) must
 * see itself, the guest, not splitvm: the host's /proc/self would show the
 * emulator's mappings, executable and descriptors (and, inside a -L jail,
 * there is no /proc at all). These entries are made here from the process's
 * own state; every other path, /proc's other entries included, goes to the
 * file system below (uvfs.base) unchanged.
 *
 *   /proc/self            link to "<pid>"
 *   /proc/<pid>/          directory of the entries below
 *   /proc/<pid>/maps      the guest mappings (umem), [heap] and [stack] named
 *   /proc/<pid>/status    name, ids, memory, threads, signal masks
 *   /proc/<pid>/comm      the name prctl(PR_SET_NAME) sets
 *   /proc/<pid>/exe       link to the guest path of the program
 *   /proc/<pid>/fd/       one link per open guest fd, to its guest path
 *   /proc/cpuinfo         the emulated hart
 *
 * Files are generated when opened (a snapshot, as Linux's seq files are at
 * the first read) and are read-only. */
#include "uvfs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "syscall.h"
#include "uthread.h"

#define BASE(p) ((p)->vfs->base)
#define PROC_DEV 0x16 /* what Linux's proc shows as its device (0:22) */

enum proc_kind { P_SELF, P_PID_DIR, P_FD_DIR, P_MAPS, P_STATUS, P_COMM, P_EXE, P_FD_LINK, P_CPUINFO };

typedef struct proc_node {
    enum proc_kind kind;
    int fd; /* P_FD_LINK */
} proc_node;

static int is_dir(enum proc_kind k) { return k == P_PID_DIR || k == P_FD_DIR; }
static int is_link(enum proc_kind k) { return k == P_SELF || k == P_EXE || k == P_FD_LINK; }

static int self_pid(uproc *p)
{
    struct usys *s = usys_state(p);
    return s ? s->pid : 0;
}

/* Parse a decimal number that is the whole of [s, end): -1 if it is not. */
static long parse_num(const char *s, const char *end)
{
    if (s == end || end - s > 9)
        return -1;
    long v = 0;
    for (; s < end; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

/* 1 and *n for one of our entries; 0 for a path the base serves; -ENOENT
 * for a name inside our pid's directory that does not exist. */
static int classify(uproc *p, const char *path, proc_node *n)
{
    if (strncmp(path, "/proc/", 6) != 0)
        return 0;
    const char *rest = path + 6;
    if (!strcmp(rest, "cpuinfo")) {
        n->kind = P_CPUINFO;
        return 1;
    }
    const char *slash = strchr(rest, '/');
    const char *end = slash ? slash : rest + strlen(rest);
    if ((size_t)(end - rest) == 4 && !strncmp(rest, "self", 4)) {
        if (!slash) {
            n->kind = P_SELF;
            return 1;
        }
    } else if (parse_num(rest, end) != self_pid(p)) {
        return 0; /* another process, or another /proc entry */
    }
    if (!slash || !slash[1]) {
        n->kind = P_PID_DIR;
        return 1;
    }
    const char *name = slash + 1;
    static const struct { const char *name; enum proc_kind kind; } files[] = {
        {"maps", P_MAPS}, {"status", P_STATUS}, {"comm", P_COMM}, {"exe", P_EXE}, {"fd", P_FD_DIR},
    };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        if (!strcmp(name, files[i].name)) {
            n->kind = files[i].kind;
            return 1;
        }
    if (!strncmp(name, "fd/", 3)) {
        const char *num = name + 3, *nend = num + strlen(num);
        long fd = parse_num(num, nend);
        if (fd >= 0 && ufds_get(p, fd)) {
            n->kind = P_FD_LINK;
            n->fd = (int)fd;
            return 1;
        }
    }
    return -ENOENT;
}

/* ---- generated text ---- */

typedef struct text {
    uproc *p;
    char *s;
    size_t len, cap;
    int oom;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(text *t, const char *fmt, ...)
{
    for (int tries = 0; tries < 2 && !t->oom; tries++) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->oom = 1;
            return;
        }
        if (t->s && t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap ? t->cap : 1024;
        while (cap <= t->len + (size_t)n)
            cap *= 2;
        char *ns = host_realloc(t->p->host, t->s, cap);
        if (!ns) {
            t->oom = 1;
            return;
        }
        t->s = ns;
        t->cap = cap;
    }
}

static void gen_maps(uproc *p, text *t)
{
    uint64_t va = 0, start, end;
    int prot;
    while (umem_next_map(p, va, &start, &end, &prot)) {
        const char *name = NULL;
        if (end == p->va_size)
            name = "[stack]";
        else if (p->brk_cur > p->brk_start && start >= p->brk_start && end <= ((p->brk_cur + RV_PAGE_SIZE - 1) & RV_PAGE_MASK))
            name = "[heap]";
        size_t before = t->len;
        add(t, "%08llx-%08llx %c%c%cp 00000000 00:00 0 ", (unsigned long long)start, (unsigned long long)end,
            (prot & PROT_READ) ? 'r' : '-', (prot & PROT_WRITE) ? 'w' : '-', (prot & PROT_EXEC) ? 'x' : '-');
        if (name) /* Linux pads the name to column 73 */
            add(t, "%*s%s", (int)(t->len - before < 73 ? 73 - (t->len - before) : 0), "", name);
        add(t, "\n");
        va = end;
    }
}

static uint64_t mapped_bytes(uproc *p)
{
    uint64_t va = 0, start, end, total = 0;
    int prot;
    while (umem_next_map(p, va, &start, &end, &prot)) {
        total += end - start;
        va = end;
    }
    return total;
}

static void gen_status(uproc *p, text *t)
{
    struct usys *s = usys_state(p);
    uint64_t pend = 0, blk = 0, ign = 0, cgt = 0;
    usig_masks(p, &pend, &blk, &ign, &cgt);
    unsigned long long vm = (unsigned long long)(mapped_bytes(p) >> 10);
    unsigned long long rss = (unsigned long long)(umem_committed(p) >> 10);
    add(t, "Name:\t%s\nUmask:\t%04o\nState:\tR (running)\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n",
        s->comm, (unsigned)p->fds->umask, s->pid, s->pid, s->ppid);
    add(t, "Uid:\t%d\t%d\t%d\t%d\nGid:\t%d\t%d\t%d\t%d\nFDSize:\t%d\nGroups:\t\n", s->uid, s->euid, s->euid, s->euid,
        s->gid, s->egid, s->egid, s->egid, UFDS_MAX);
    add(t, "VmPeak:\t%8llu kB\nVmSize:\t%8llu kB\nVmRSS:\t%8llu kB\nThreads:\t%d\n", vm, vm, rss, uthread_count(p));
    add(t, "SigQ:\t0/%llu\nSigPnd:\t%016llx\nShdPnd:\t%016llx\nSigBlk:\t%016llx\nSigIgn:\t%016llx\nSigCgt:\t%016llx\n",
        (unsigned long long)s->rlim_cur[11], 0ull, (unsigned long long)pend, (unsigned long long)blk,
        (unsigned long long)ign, (unsigned long long)cgt);
    add(t, "Cpus_allowed:\t1\nCpus_allowed_list:\t0\n");
}

static void gen_cpuinfo(text *t)
{
    /* One hart (sched_getaffinity says so too), RV64GC. */
    add(t, "processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc_zicsr_zifencei\nmmu\t\t: sv39\n"
           "uarch\t\t: splitvm\nmvendorid\t: 0x0\nmarchid\t\t: 0x0\nmimpid\t\t: 0x0\n\n");
}

/* The text of a link. */
static int64_t link_text(uproc *p, const proc_node *n, char *buf, size_t cap)
{
    int len;
    if (n->kind == P_SELF) {
        len = snprintf(buf, cap, "%d", self_pid(p));
    } else if (n->kind == P_EXE) {
        len = snprintf(buf, cap, "%s", p->exe_path);
    } else {
        ufd *e = ufds_get(p, n->fd);
        if (!e)
            return -ENOENT;
        uvfs_stat st;
        if (e->path) {
            len = snprintf(buf, cap, "%s", e->path);
        } else if (uvfs_fstat(p, e, &st) == 0 && (st.mode & UVFS_S_IFMT) == 0010000) {
            len = snprintf(buf, cap, "pipe:[%llu]", (unsigned long long)st.ino);
        } else if (uvfs_fstat(p, e, &st) == 0 && (st.mode & UVFS_S_IFMT) == 0140000) {
            len = snprintf(buf, cap, "socket:[%llu]", (unsigned long long)st.ino);
        } else if (e->host >= 0 && usys_is_tty(p, e->host) == 0) {
            len = snprintf(buf, cap, "/dev/tty");
        } else {
            len = snprintf(buf, cap, "anon_inode:[%d]", n->fd);
        }
    }
    return len < 0 || (size_t)len >= cap ? -ENAMETOOLONG : len;
}

/* ---- open files ---- */

typedef struct proc_file {
    proc_node node;
    text t; /* file contents */
} proc_file;

static int64_t pf_read(uproc *p, uvfs_file *f, void *buf, size_t n, int64_t off)
{
    (void)p;
    proc_file *pf = f->handle;
    if (is_dir(pf->node.kind))
        return -EISDIR;
    uint64_t at = off >= 0 ? (uint64_t)off : f->dirpos;
    size_t got = 0;
    if (at < pf->t.len) {
        got = pf->t.len - (size_t)at < n ? pf->t.len - (size_t)at : n;
        memcpy(buf, pf->t.s + at, got);
    }
    if (off < 0)
        f->dirpos = at + got;
    return (int64_t)got;
}

static int64_t pf_write(uproc *p, uvfs_file *f, const void *buf, size_t n, int64_t off)
{
    (void)p, (void)f, (void)buf, (void)n, (void)off;
    return -EACCES;
}

static int64_t pf_seek(uproc *p, uvfs_file *f, int64_t off, int whence)
{
    (void)p;
    proc_file *pf = f->handle;
    int64_t base = whence == 0 ? 0 : whence == 1 ? (int64_t)f->dirpos : whence == 2 ? (int64_t)pf->t.len : -1;
    if (base < 0 || (off < 0 && -off > base))
        return -EINVAL;
    f->dirpos = (uint64_t)(base + off);
    return (int64_t)f->dirpos;
}

static void node_stat(uproc *p, const proc_node *n, uvfs_stat *st)
{
    memset(st, 0, sizeof(*st));
    st->dev = PROC_DEV;
    st->ino = ((uint64_t)self_pid(p) << 16) | ((uint64_t)n->kind << 12) | (uint64_t)(n->fd & 0xfff);
    st->mode = is_dir(n->kind) ? UVFS_S_IFDIR | 0555 : is_link(n->kind) ? UVFS_S_IFLNK | 0777 : UVFS_S_IFREG | 0444;
    st->nlink = is_dir(n->kind) ? 2 : 1;
    struct usys *s = usys_state(p);
    st->uid = (uint32_t)s->euid;
    st->gid = (uint32_t)s->egid;
    st->blksize = 1024;
    int64_t sec = 0, nsec = 0;
    uvfs_clock_gettime(p, 0, &sec, &nsec);
    st->atime = st->mtime = st->ctime = sec;
}

static int pf_fstat(uproc *p, uvfs_file *f, uvfs_stat *st)
{
    node_stat(p, &((proc_file *)f->handle)->node, st);
    return 0;
}

/* One linux_dirent64 record; 0 when it does not fit. */
static size_t put_dirent(uint8_t *buf, size_t room, uint64_t ino, uint64_t next, int type, const char *name)
{
    size_t nl = strlen(name), reclen = (19 + nl + 1 + 7) & ~(size_t)7;
    if (reclen > room)
        return 0;
    memset(buf, 0, reclen);
    usys_put64(buf, 0, ino);
    usys_put64(buf, 8, next);
    usys_put16(buf, 16, (uint16_t)reclen);
    buf[18] = (uint8_t)type;
    memcpy(buf + 19, name, nl);
    return reclen;
}

static int pf_getdents(uproc *p, uvfs_file *f, uint8_t *buf, size_t n)
{
    proc_file *pf = f->handle;
    enum { DT_DIR = 4, DT_REG = 8, DT_LNK = 10 };
    static const struct { const char *name; int type; } pid_entries[] = {
        {".", DT_DIR}, {"..", DT_DIR}, {"comm", DT_REG}, {"exe", DT_LNK}, {"fd", DT_DIR}, {"maps", DT_REG},
        {"status", DT_REG},
    };
    if (!is_dir(pf->node.kind))
        return -ENOTDIR;
    size_t used = 0;
    uint64_t base_ino = (uint64_t)self_pid(p) << 16;
    for (;;) {
        uint64_t i = f->dirpos;
        char name[16];
        int type;
        if (pf->node.kind == P_PID_DIR) {
            if (i >= sizeof(pid_entries) / sizeof(pid_entries[0]))
                break;
            snprintf(name, sizeof(name), "%s", pid_entries[i].name);
            type = pid_entries[i].type;
        } else if (i < 2) { /* the fd directory: ".", "..", then each open fd */
            snprintf(name, sizeof(name), "%s", i ? ".." : ".");
            type = DT_DIR;
        } else {
            int fd = (int)(i - 2);
            while (fd < UFDS_MAX && !ufds_get(p, fd))
                fd++;
            if (fd >= UFDS_MAX)
                break;
            i = (uint64_t)fd + 2;
            snprintf(name, sizeof(name), "%d", fd);
            type = DT_LNK;
        }
        size_t r = put_dirent(buf + used, n - used, base_ino | i, i + 1, type, name);
        if (!r)
            return used ? (int)used : -EINVAL;
        used += r;
        f->dirpos = i + 1;
    }
    return (int)used;
}

static int pf_ftruncate(uproc *p, uvfs_file *f, int64_t len)
{
    (void)p, (void)f, (void)len;
    return -EACCES;
}

static void pf_close(uproc *p, uvfs_file *f)
{
    proc_file *pf = f->handle;
    if (pf) {
        host_free(p->host, pf->t.s);
        host_free(p->host, pf);
    }
}

static const uvfs_file_ops proc_file_ops = {
    .read = pf_read, .write = pf_write, .seek = pf_seek, .fstat = pf_fstat,
    .getdents = pf_getdents, .ftruncate = pf_ftruncate, .close = pf_close,
};

/* ---- path operations ---- */

static int pr_open(uproc *p, const char *path, uint64_t lxflags, int mode, int *host, uvfs_file **vf)
{
    proc_node n = {0};
    int r = classify(p, path, &n);
    if (r <= 0)
        return r < 0 ? r : BASE(p)->open(p, path, lxflags, mode, host, vf);
    if (n.kind == P_SELF)
        n.kind = P_PID_DIR;
    if (n.kind == P_EXE)
        return BASE(p)->open(p, p->exe_path, lxflags, mode, host, vf);
    if (n.kind == P_FD_LINK) {
        /* Opening the link opens what the fd has open: a new open of its
         * path, or the same open file when it has no path (pipes). */
        ufd *e = ufds_get(p, n.fd);
        if (e->path)
            return BASE(p)->open(p, e->path, lxflags, mode, host, vf);
        if (e->vf) {
            uvfs_file_ref(e->vf);
            *host = -1;
            *vf = e->vf;
            return 0;
        }
        int fd = host_dup(p->host, e->host);
        if (fd < 0)
            return fd;
        *host = fd;
        return 0;
    }
    if ((lxflags & LX_O_ACCMODE) != 0 || (lxflags & (LX_O_CREAT | LX_O_TRUNC)))
        return is_dir(n.kind) ? -EISDIR : -EACCES;
    if ((lxflags & LX_O_DIRECTORY) && !is_dir(n.kind))
        return -ENOTDIR;
    proc_file *pf = host_alloc(p->host, sizeof(*pf));
    if (!pf)
        return -ENOMEM;
    pf->node = n;
    pf->t.p = p;
    if (n.kind == P_MAPS)
        gen_maps(p, &pf->t);
    else if (n.kind == P_STATUS)
        gen_status(p, &pf->t);
    else if (n.kind == P_COMM)
        add(&pf->t, "%s\n", usys_state(p)->comm);
    else if (n.kind == P_CPUINFO)
        gen_cpuinfo(&pf->t);
    uvfs_file *f = pf->t.oom ? NULL : uvfs_file_new(p, &proc_file_ops, lxflags & (LX_O_ACCMODE | LX_O_NONBLOCK));
    if (!f) {
        host_free(p->host, pf->t.s);
        host_free(p->host, pf);
        return -ENOMEM;
    }
    f->handle = pf;
    *host = -1;
    *vf = f;
    return 0;
}

static int pr_stat(uproc *p, const char *path, int nofollow, uvfs_stat *st)
{
    proc_node n = {0};
    int r = classify(p, path, &n);
    if (r <= 0)
        return r < 0 ? r : BASE(p)->stat(p, path, nofollow, st);
    if (!nofollow) {
        if (n.kind == P_SELF)
            n.kind = P_PID_DIR;
        else if (n.kind == P_EXE)
            return BASE(p)->stat(p, p->exe_path, 0, st);
        else if (n.kind == P_FD_LINK)
            return uvfs_fstat(p, ufds_get(p, n.fd), st);
    }
    node_stat(p, &n, st);
    return 0;
}

static int64_t pr_readlink(uproc *p, const char *path, char *buf, size_t cap)
{
    proc_node n = {0};
    int r = classify(p, path, &n);
    if (r <= 0)
        return r < 0 ? r : BASE(p)->readlink(p, path, buf, cap);
    if (!is_link(n.kind))
        return -EINVAL;
    char text[USYS_PATH_MAX + 1];
    int64_t len = link_text(p, &n, text, sizeof(text));
    if (len < 0)
        return len;
    if ((size_t)len > cap)
        len = (int64_t)cap;
    memcpy(buf, text, (size_t)len);
    return len;
}

static int pr_access(uproc *p, const char *path, int mode, int eaccess, int nofollow)
{
    proc_node n = {0};
    int r = classify(p, path, &n);
    if (r <= 0)
        return r < 0 ? r : BASE(p)->access(p, path, mode, eaccess, nofollow);
    if (n.kind == P_EXE && !nofollow)
        return BASE(p)->access(p, p->exe_path, mode, eaccess, 0);
    if (mode & 2 /* W_OK */)
        return -EACCES;
    if ((mode & 1 /* X_OK */) && !is_dir(n.kind) && !is_link(n.kind))
        return -EACCES;
    return 0;
}

/* Changes to the tree: ours are read-only; the rest is the base's. */
static int ours(uproc *p, const char *path)
{
    proc_node n = {0};
    return classify(p, path, &n) != 0;
}

static int pr_mkdir(uproc *p, const char *path, int mode)
{
    return ours(p, path) ? -EACCES : BASE(p)->mkdir(p, path, mode);
}

static int pr_unlink(uproc *p, const char *path, int is_dir_)
{
    return ours(p, path) ? -EACCES : BASE(p)->unlink(p, path, is_dir_);
}

static int pr_rename(uproc *p, const char *from, const char *to)
{
    return ours(p, from) || ours(p, to) ? -EACCES : BASE(p)->rename(p, from, to);
}

static int pr_symlink(uproc *p, const char *target, const char *path)
{
    return ours(p, path) ? -EACCES : BASE(p)->symlink(p, target, path);
}

static int pr_link(uproc *p, const char *from, const char *to, int follow)
{
    return ours(p, from) || ours(p, to) ? -EACCES : BASE(p)->link(p, from, to, follow);
}

static int pr_chmod(uproc *p, const char *path, int mode)
{
    return ours(p, path) ? -EPERM : BASE(p)->chmod(p, path, mode);
}

static int pr_utimens(uproc *p, const char *path, const struct timespec ts[2], int nofollow)
{
    return ours(p, path) ? -EPERM : BASE(p)->utimens(p, path, ts, nofollow);
}

const uvfs_ops uvfs_proc_ops = {
    .open = pr_open, .stat = pr_stat, .readlink = pr_readlink, .access = pr_access, .mkdir = pr_mkdir,
    .unlink = pr_unlink, .rename = pr_rename, .symlink = pr_symlink, .link = pr_link, .chmod = pr_chmod,
    .utimens = pr_utimens,
};
