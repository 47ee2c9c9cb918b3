/* Host resource tracking: heap blocks, address-space reservations and file
 * descriptors, each recorded against one host_ctx (one machine). */
#include "host.h"
#include "host_fault.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Heap blocks carry a header linking them into the owner's list. */
typedef struct host_block {
    struct host_block *prev, *next;
    size_t size;
    size_t pad; /* keeps the payload 16-byte aligned */
} host_block;

typedef struct host_map {
    struct host_map *next;
    void *addr;
    size_t size;
    size_t backed; /* bytes it may make resident: 0 for a reservation, or
                      for the second view of a memory object */
} host_map;

struct host_ctx {
    host_block blocks; /* circular list sentinel */
    size_t nblocks;
    host_map *maps;
    size_t nmaps;
    size_t mem_bytes; /* heap blocks (with headers) plus backed maps */
    uint8_t *fd_open; /* fd_open[fd] != 0: this machine owns fd */
    int fd_cap;
    size_t nfds;
    int fault_held; /* holds the process's fault handler */
};

host_ctx *host_create(void)
{
    host_ctx *h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    h->blocks.prev = h->blocks.next = &h->blocks;
    return h;
}

void host_counts(const host_ctx *h, size_t *fds, size_t *maps, size_t *blocks)
{
    if (fds)
        *fds = h->nfds;
    if (maps)
        *maps = h->nmaps;
    if (blocks)
        *blocks = h->nblocks;
}

size_t host_mem_bytes(const host_ctx *h) { return h->mem_bytes; }

void host_destroy(host_ctx *h)
{
    if (!h)
        return;
    for (int fd = 0; fd < h->fd_cap; fd++)
        if (h->fd_open[fd])
            close(fd);
    free(h->fd_open);
    while (h->maps) {
        host_map *m = h->maps;
        h->maps = m->next;
        munmap(m->addr, m->size);
        free(m);
    }
    if (h->fault_held)
        host_fault_uninstall();
    host_block *b = h->blocks.next;
    while (b != &h->blocks) {
        host_block *n = b->next;
        free(b);
        b = n;
    }
    free(h);
}

/* ---- heap ---- */

void *host_alloc(host_ctx *h, size_t size)
{
    if (size > SIZE_MAX - sizeof(host_block))
        return NULL;
    host_block *b = calloc(1, sizeof(host_block) + size);
    if (!b)
        return NULL;
    b->size = size;
    h->mem_bytes += sizeof(host_block) + size;
    b->next = h->blocks.next;
    b->prev = &h->blocks;
    b->next->prev = b;
    h->blocks.next = b;
    h->nblocks++;
    return b + 1;
}

void host_free(host_ctx *h, void *p)
{
    if (!p)
        return;
    host_block *b = (host_block *)p - 1;
    b->prev->next = b->next;
    b->next->prev = b->prev;
    h->nblocks--;
    h->mem_bytes -= sizeof(host_block) + b->size;
    free(b);
}

void *host_realloc(host_ctx *h, void *p, size_t size)
{
    if (!p)
        return host_alloc(h, size);
    host_block *old = (host_block *)p - 1;
    void *n = host_alloc(h, size);
    if (!n)
        return NULL;
    memcpy(n, p, old->size < size ? old->size : size);
    host_free(h, p);
    return n;
}

char *host_strdup(host_ctx *h, const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = host_alloc(h, n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* ---- address space ---- */

static void *track_map(host_ctx *h, void *addr, size_t size, size_t backed)
{
    host_map *m = malloc(sizeof(*m));
    if (!m) {
        munmap(addr, size);
        return NULL;
    }
    m->addr = addr;
    m->size = size;
    m->backed = backed;
    h->mem_bytes += backed;
    m->next = h->maps;
    h->maps = m;
    h->nmaps++;
    return addr;
}

void *host_reserve(host_ctx *h, size_t size)
{
    void *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : track_map(h, p, size, 0);
}

void *host_map_anon(host_ctx *h, size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : track_map(h, p, size, size);
}

void *host_map_stack(host_ctx *h, size_t size, size_t guard)
{
    if (size > SIZE_MAX - guard)
        return NULL;
    uint8_t *p = mmap(NULL, size + guard, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    if (mprotect(p + guard, size, PROT_READ | PROT_WRITE)) {
        munmap(p, size + guard);
        return NULL;
    }
    return track_map(h, p, size + guard, size);
}

/* The JIT's code buffer: one memory object seen through two views, RX for
 * running and RW for writing, so no page is ever writable and executable
 * at once (W^X by mirroring). */
#if defined(__APPLE__)
#include <mach/mach.h>
#include <mach/mach_vm.h>
/* Darwin: allocate the region, make it RX, then remap it into an RW alias.
 * Compiled only on Apple hosts and not tested here: there is no Darwin
 * machine in this project's CI. */
int host_map_mirror(host_ctx *h, size_t size, void **rx, void **rw)
{
    mach_vm_address_t x = 0, w = 0;
    vm_prot_t cur, max;
    if (mach_vm_allocate(mach_task_self(), &x, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
        return -ENOMEM;
    if (mach_vm_protect(mach_task_self(), x, size, 0, VM_PROT_READ | VM_PROT_EXECUTE) != KERN_SUCCESS ||
        mach_vm_remap(mach_task_self(), &w, size, 0, VM_FLAGS_ANYWHERE, mach_task_self(), x, 0, &cur, &max,
                      VM_INHERIT_NONE) != KERN_SUCCESS ||
        mach_vm_protect(mach_task_self(), w, size, 0, VM_PROT_READ | VM_PROT_WRITE) != KERN_SUCCESS) {
        mach_vm_deallocate(mach_task_self(), x, size);
        if (w)
            mach_vm_deallocate(mach_task_self(), w, size);
        return -EPERM;
    }
    if (!track_map(h, (void *)x, size, size))
        return -ENOMEM;
    if (!track_map(h, (void *)w, size, 0)) /* the same memory again */
        return -ENOMEM;
    *rx = (void *)x;
    *rw = (void *)w;
    return 0;
}
#else
int host_map_mirror(host_ctx *h, size_t size, void **rx, void **rw)
{
    int fd = (int)syscall(SYS_memfd_create, "splitvm-jit", 1u /* MFD_CLOEXEC */);
    if (fd < 0)
        return -errno;
    if (ftruncate(fd, (off_t)size) != 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    void *x = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    void *w = x == MAP_FAILED ? MAP_FAILED : mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int e = w == MAP_FAILED ? -errno : 0;
    close(fd); /* the mappings keep the memory object alive */
    if (e) {
        if (x != MAP_FAILED)
            munmap(x, size);
        return e;
    }
    if (!track_map(h, x, size, size)) {
        munmap(w, size);
        return -ENOMEM;
    }
    if (!track_map(h, w, size, 0)) { /* the same memory again */
        host_release(h, x);
        return -ENOMEM;
    }
    *rx = x;
    *rw = w;
    return 0;
}
#endif

int host_fault_hold(host_ctx *h)
{
    if (h->fault_held)
        return 0;
    int r = host_fault_install();
    if (!r)
        h->fault_held = 1;
    return r;
}

size_t host_page_size(void)
{
    static size_t cached;
    if (!cached) {
        long v = sysconf(_SC_PAGESIZE);
        cached = v > 0 ? (size_t)v : 4096;
    }
    return cached;
}

/* True if [addr, addr+len) lies inside one tracked map. */
static int inside_map(const host_ctx *h, void *addr, size_t len)
{
    uintptr_t a = (uintptr_t)addr;
    for (const host_map *m = h->maps; m; m = m->next) {
        uintptr_t b = (uintptr_t)m->addr;
        if (a >= b && len <= m->size && a - b <= m->size - len)
            return 1;
    }
    return 0;
}

int host_protect(host_ctx *h, void *addr, size_t len, int prot)
{
    if (!inside_map(h, addr, len))
        return -EINVAL;
    return mprotect(addr, len, prot) ? -errno : 0;
}

int host_zero_fill(host_ctx *h, void *addr, size_t len, int prot)
{
    if (!inside_map(h, addr, len))
        return -EINVAL;
    void *p = mmap(addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? -errno : 0;
}

int host_release(host_ctx *h, void *addr)
{
    for (host_map **pp = &h->maps; *pp; pp = &(*pp)->next) {
        host_map *m = *pp;
        if (m->addr == addr) {
            *pp = m->next;
            munmap(m->addr, m->size);
            h->mem_bytes -= m->backed;
            free(m);
            h->nmaps--;
            return 0;
        }
    }
    return -EINVAL;
}

/* ---- fd tracking (used by host_fs.c) ---- */

int host_track_fd(host_ctx *h, int fd);
int host_untrack_fd(host_ctx *h, int fd);

int host_track_fd(host_ctx *h, int fd)
{
    if (fd < 0)
        return fd;
    if (fd >= h->fd_cap) {
        int cap = h->fd_cap ? h->fd_cap : 64;
        while (cap <= fd)
            cap *= 2;
        uint8_t *n = realloc(h->fd_open, (size_t)cap);
        if (!n) {
            close(fd);
            return -ENOMEM;
        }
        memset(n + h->fd_cap, 0, (size_t)(cap - h->fd_cap));
        h->fd_open = n;
        h->fd_cap = cap;
    }
    if (!h->fd_open[fd]) {
        h->fd_open[fd] = 1;
        h->nfds++;
    }
    return fd;
}

/* Returns 1 if fd was tracked by h (and forgets it), else 0. */
int host_untrack_fd(host_ctx *h, int fd)
{
    if (fd < 0 || fd >= h->fd_cap || !h->fd_open[fd])
        return 0;
    h->fd_open[fd] = 0;
    h->nfds--;
    return 1;
}
