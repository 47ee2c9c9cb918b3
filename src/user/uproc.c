/* A user-mode guest process: creation, the user-mode rv_env (translation
 * through umem, traps to the system-call and signal layers), diagnostics and
 * the -L sysroot path mapping. */
#include "uproc.h"
#include "syscall.h"
#include "uthread.h"
#include "jail.h"
#include "uvfs.h"
#include "uprocs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define MSTATUS_FS_INITIAL ((uint64_t)1 << 13)
#define MSTATUS_FS_MASK ((uint64_t)3 << 13)

/* ---- the user-mode environment ---- */

static void user_trap(rv_cpu *cpu, uint64_t cause, uint64_t tval)
{
    uproc *p = cpu->env.opaque;
    if (cause == RV_EXC_ECALL_U)
        usys_ecall(p);
    else
        usig_fault(p, cause, tval);
}

/* The time CSR: a 10 MHz timebase, as on common RISC-V boards (from the
 * embedder's clock when it supplies one). */
static uint64_t user_time(rv_cpu *cpu)
{
    return uvfs_monotonic_ns(cpu->env.opaque) / 100;
}

static rv_env user_env(uproc *p)
{
    rv_env env = {
        .translate = umem_translate,
        .mmio_read = NULL,
        .mmio_write = NULL,
        .trap_hook = user_trap,
        .read_time = user_time,
        .opaque = p,
    };
    return env;
}

static void install_env(uproc *p)
{
    rv_cpu *cpu = p->cpu;
    rv_env env = user_env(p);
    /* Reset the hart (misa, UXL, TLB) as the boards do; keep any engine state. */
    void *engine = cpu->engine;
    rv_cpu_init(cpu, &env, RV_PRIV_U);
    cpu->engine = engine;
    cpu->mstatus = (cpu->mstatus & ~MSTATUS_FS_MASK) | MSTATUS_FS_INITIAL;
    /* User code may read cycle, time and instret (and the hpm counters). */
    cpu->mcounteren = 0xffffffffu;
    cpu->scounteren = 0xffffffffu;
}

/* ---- paths ---- */

int uproc_normalize(const char *path, char *out, size_t outlen)
{
    if (!path || !out || outlen < 2)
        return -ENAMETOOLONG;
    int absolute = path[0] == '/';
    size_t n = 0;
    if (absolute)
        out[n++] = '/';
    size_t root = n; /* ".." never removes what lies before this */
    const char *s = path;
    while (*s) {
        while (*s == '/')
            s++;
        const char *e = s;
        while (*e && *e != '/')
            e++;
        size_t len = (size_t)(e - s);
        if (len == 0)
            break;
        if (len == 1 && s[0] == '.') {
            /* skip */
        } else if (len == 2 && s[0] == '.' && s[1] == '.' &&
                   (absolute || (n > root && !(n >= root + 2 && out[n - 1] == '.' && out[n - 2] == '.' &&
                                               (n == root + 2 || out[n - 3] == '/'))))) {
            /* Drop the last component (at the root of an absolute path, stay). */
            while (n > root && out[n - 1] != '/')
                n--;
            if (n > root)
                n--; /* the separator before it */
        } else {
            if (n > root && out[n - 1] != '/') {
                if (n + 1 >= outlen)
                    return -ENAMETOOLONG;
                out[n++] = '/';
            }
            if (n + len >= outlen)
                return -ENAMETOOLONG;
            memcpy(out + n, s, len);
            n += len;
        }
        s = e;
    }
    if (n == 0)
        out[n++] = '.';
    out[n] = 0;
    return 0;
}

/* Owned absolute copy of the sysroot without trailing slashes; NULL for "/". */
static int set_sysroot(uproc *p, const char *root)
{
    char buf[4096], norm[4096];
    size_t n = 0;
    if (root[0] != '/') {
        int r = host_getcwd(p->host, buf, sizeof(buf));
        if (r < 0)
            return r;
        n = strlen(buf);
        if (n + 1 >= sizeof(buf))
            return -ENAMETOOLONG;
        buf[n++] = '/';
    }
    if (n + strlen(root) >= sizeof(buf))
        return -ENAMETOOLONG;
    strcpy(buf + n, root);
    int r = uproc_normalize(buf, norm, sizeof(norm));
    if (r)
        return r;
    if (strcmp(norm, "/") == 0)
        return 0;
    p->sysroot = host_strdup(p->host, norm);
    if (!p->sysroot)
        return -ENOMEM;
    p->opts.sysroot = p->sysroot;
    return 0;
}

/* ---- lifetime ---- */

uproc *uproc_create(host_ctx *host, rv_cpu *cpu, const uproc_opts *opts)
{
    if (!host || !cpu)
        return NULL;
    uproc *p = host_alloc(host, sizeof(*p));
    if (!p)
        return NULL;
    p->host = host;
    p->cpu = cpu;
    if (opts)
        p->opts = *opts;
    p->opts.sysroot = NULL;
    p->root_fd = -1;
    if (opts && opts->sysroot && opts->sysroot[0] && set_sysroot(p, opts->sysroot))
        goto fail_sysroot;
    /* A root that cannot be opened leaves the guest an empty tree (every
     * path -ENOENT), as a missing -L directory did before. */
    jail_init(p);
    if (umem_init(p, p->opts.va_size))
        goto fail_sysroot;
    if (ufds_init(p))
        goto fail_mem;
    if (uvfs_init(p))
        goto fail_fds;
    if (usig_init(p))
        goto fail_fds;
    install_env(p);
    if (uprocs_init(p))
        goto fail_fds;
    return p;

fail_fds:
    ufds_fini(p);
    uvfs_fini(p);
fail_mem:
    umem_fini(p);
fail_sysroot:
    jail_fini(p);
    host_free(host, p->sysroot);
    host_free(host, p);
    return NULL;
}

void uproc_destroy(uproc *p)
{
    if (!p)
        return;
    uprocs_fini(p); /* the first process takes every other one with it */
    uproc_release(p);
    host_free(p->host, p);
}

void uproc_release(uproc *p)
{
    uthread_fini(p); /* coroutine stacks, suspended threads included */
    usig_fini(p);
    ushared_fini(p); /* shared file mappings go back to their files */
    ufds_fini(p); /* may call the embedder's close: before uvfs_fini */
    uvfs_fini(p);
    usys_fini(p);
    umem_fini(p);
    /* The hart must not keep translations into the released reservation. */
    if (p->cpu && p->cpu->env.opaque == p) {
        p->cpu->env = (rv_env){0};
        rv_tlb_flush(p->cpu);
    }
    jail_fini(p);
    host_free(p->host, p->sysroot);
    p->sysroot = NULL;
}

uproc *uproc_fork_copy(uproc *parent, int share_memory)
{
    host_ctx *host = parent->host;
    rv_cpu *cpu = parent->cpu;
    uproc *p = host_alloc(host, sizeof(*p));
    if (!p)
        return NULL;
    p->host = host;
    p->cpu = cpu;
    p->opts = parent->opts;
    p->opts.sysroot = NULL;
    p->root_fd = -1;
    if (parent->sysroot) {
        p->sysroot = host_strdup(host, parent->sysroot);
        if (!p->sysroot) {
            host_free(host, p);
            return NULL;
        }
        p->opts.sysroot = p->sysroot;
    }
    jail_init(p);
    /* umem_init points the cpu at the new space: the parent keeps it. */
    uintptr_t base = cpu->mem_base;
    uint64_t fast = cpu->mem_fast_limit;
    int r = 0;
    if (share_memory) {
        umem_share(p, parent); /* the parent's space: its base and limit as they are */
    } else {
        r = umem_init(p, parent->va_size);
    }
    p->saved_mem_base = share_memory ? base : cpu->mem_base;
    p->saved_mem_fast_limit = share_memory ? fast : cpu->mem_fast_limit;
    cpu->mem_base = base;
    rv_set_mem_fast_limit(cpu, fast);
    if (fast == 0)
        p->saved_mem_fast_limit = 0; /* execute-only pages (umem.c note_prot): checked accesses, as in the parent */
    if (r || (!share_memory && umem_copy(p, parent)) || ufds_init(p) || uvfs_init(p) || ufds_copy(p, parent) ||
        usig_init(p) || usig_copy(p, parent))
        goto fail;
    p->sys = host_alloc(host, sizeof(*p->sys));
    if (!p->sys)
        goto fail;
    *p->sys = *usys_state(parent);
    /* Not inherited: timers (POSIX), the Unix socket names the parent bound,
     * and its shared file mappings' write-back records (the child's copy
     * of such a mapping is private: see docs/processes.md). */
    p->sys->timers = NULL;
    p->sys->net = NULL;
    p->sys->shared = NULL;
    p->sys->start_ns = host_monotonic_ns();
    p->brk_start = parent->brk_start;
    p->brk_cur = parent->brk_cur;
    p->mmap_base = parent->mmap_base;
    memcpy(p->exe_path, parent->exe_path, sizeof(p->exe_path));
    p->pgid = parent->pgid;
    p->sid = parent->sid;
    return p;
fail:
    uproc_release(p);
    host_free(host, p);
    return NULL;
}

void uproc_activate(uproc *p, uproc *prev)
{
    rv_cpu *cpu = p->cpu;
    if (prev) {
        uthread_unload(prev);
        prev->saved_mem_base = cpu->mem_base;
        prev->saved_mem_fast_limit = cpu->mem_fast_limit;
    }
    cpu->env = user_env(p);
    cpu->mem_base = p->saved_mem_base;
    rv_set_mem_fast_limit(cpu, p->saved_mem_fast_limit);
    cpu->resv_valid = false;
    /* Translations belong to one address space; translated code stays (it
     * is keyed by host address: see uprocs.h). The TLB flush also drops the
     * JIT's caches keyed by guest pc (jump cache, inline caches). */
    rv_tlb_flush(cpu);
}

void uproc_log(uproc *p, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof(line) - 2 ? (size_t)n : sizeof(line) - 2;
    while (len && line[len - 1] == '\n') /* one line, whatever the caller passed */
        len--;
    line[len] = 0;
    if (p->opts.log) {
        p->opts.log(p->opts.log_opaque, line);
        return;
    }
    line[len] = '\n';
    host_write(p->host, 2, line, len + 1);
}
