/* Memory system calls over umem (the guest address space).
 * File mappings are private copies: MAP_PRIVATE reads the file into fresh
 * pages; a MAP_SHARED mapping is served the same way, and a writable one is
 * also recorded so its pages go back to the file (umem_shared.c: on msync,
 * munmap, replacement, exit). Host files and the embedder's (proxy) files
 * are read the same way, through uvfs. */
#include "syscall.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>

#include "fdtable.h"
#include "uvfs.h"

#define PG RV_PAGE_SIZE
#define LX_MAP_SHARED 0x01
#define LX_MAP_PRIVATE 0x02
#define LX_MAP_SHARED_VALIDATE 0x03
#define LX_MAP_FIXED 0x10
#define LX_MAP_ANONYMOUS 0x20
#define LX_MAP_FIXED_NOREPLACE 0x100000
#define MOVE_CHUNK ((uint64_t)1 << 20) /* mremap copies and frees this much at a time */

static int host_prot(uint64_t lx)
{
    int p = PROT_NONE;
    if (lx & LX_PROT_READ)
        p |= PROT_READ;
    if (lx & LX_PROT_WRITE)
        p |= PROT_WRITE;
    if (lx & LX_PROT_EXEC)
        p |= PROT_EXEC;
    return p;
}

/* Round len up to pages; 0 when it overflows. */
static uint64_t page_len(uint64_t len)
{
    if (len > UINT64_MAX - (PG - 1))
        return 0;
    return (len + PG - 1) & RV_PAGE_MASK;
}

int64_t sys_brk(uproc *p, const uint64_t a[6])
{
    return (int64_t)umem_brk(p, a[0]);
}

/* Fill a fresh read/write mapping from the file, then set its protection. */
static int fill_from_file(uproc *p, ufd *e, uint64_t va, uint64_t len, int64_t off, int prot)
{
    uint8_t *dst = umem_ptr(p, va, len, PROT_WRITE);
    if (!dst)
        return -EFAULT;
    uint64_t got = 0;
    while (got < len) {
        size_t chunk = len - got > (1u << 30) ? (1u << 30) : (size_t)(len - got);
        int64_t n = uvfs_read(p, e, dst + got, chunk, off + (int64_t)got);
        if (n < 0)
            return (int)n;
        if (n == 0)
            break; /* past the end of the file: the rest stays zero */
        got += (uint64_t)n;
    }
    return umem_protect(p, va, len, prot);
}

int64_t sys_mmap(uproc *p, const uint64_t a[6])
{
    uint64_t addr = a[0], flags = a[3];
    int64_t off = (int64_t)a[5];
    uint64_t len = page_len(a[1]);
    if (a[1] == 0 || (off & (int64_t)(PG - 1)) || off < 0)
        return -EINVAL;
    if (len == 0)
        return -ENOMEM;
    uint64_t type = flags & 0xf;
    if (type != LX_MAP_SHARED && type != LX_MAP_PRIVATE && type != LX_MAP_SHARED_VALIDATE)
        return -EINVAL;
    int fixed = (flags & LX_MAP_FIXED) != 0;
    int noreplace = !fixed && (flags & LX_MAP_FIXED_NOREPLACE);
    if ((fixed || noreplace) && (addr & (PG - 1)))
        return -EINVAL;
    int prot = host_prot(a[2]);
    int anon = (flags & LX_MAP_ANONYMOUS) != 0;
    ufd *e = NULL;
    if (!anon) {
        e = ufds_get(p, (int64_t)a[4]);
        if (!e)
            return -EBADF;
        int64_t fl = uvfs_getfl(p, e);
        if (fl < 0)
            return fl;
        uvfs_stat st;
        if (e->vf && (uvfs_fstat(p, e, &st) < 0 || (st.mode & UVFS_S_IFMT) != UVFS_S_IFREG))
            return -ENODEV; /* eventfd, epoll, the proxied console...: nothing to map */
        if ((fl & LX_O_ACCMODE) == 1 /* O_WRONLY */)
            return -EACCES;
        if (type != LX_MAP_PRIVATE && (a[2] & LX_PROT_WRITE) && (fl & LX_O_ACCMODE) != 2 /* O_RDWR */)
            return -EACCES;
    }
    /* A shared file mapping is written back when it may later be written:
     * shared and the file open for writing (mprotect may add PROT_WRITE). */
    int write_back = !anon && type != LX_MAP_PRIVATE && (uvfs_getfl(p, e) & LX_O_ACCMODE) == 2;
    if (fixed)
        ushared_sync(p, addr, len, 1); /* what it replaces goes back first */

    uint64_t out = 0;
    int r = umem_map(p, addr, len, anon ? prot : (PROT_READ | PROT_WRITE), fixed, &out);
    if (r < 0)
        return r;
    if (noreplace && out != addr) {
        umem_unmap(p, out, len);
        return -EEXIST;
    }
    if (!anon) {
        r = fill_from_file(p, e, out, len, off, prot);
        if (r == 0 && write_back)
            r = ushared_add(p, e, out, len, off);
        if (r < 0) {
            umem_unmap(p, out, len);
            return r;
        }
    }
    return (int64_t)out;
}

int64_t sys_munmap(uproc *p, const uint64_t a[6])
{
    uint64_t len = page_len(a[1]);
    if ((a[0] & (PG - 1)) || a[1] == 0 || len == 0)
        return -EINVAL;
    ushared_sync(p, a[0], len, 1);
    return umem_unmap(p, a[0], len);
}

int64_t sys_mprotect(uproc *p, const uint64_t a[6])
{
    uint64_t len = page_len(a[1]);
    if ((a[0] & (PG - 1)) || (a[1] && len == 0))
        return -EINVAL;
    if (a[2] & ~(uint64_t)(LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC | 0x03000000 /* GROWSDOWN/UP */))
        return -EINVAL;
    if (len == 0)
        return 0;
    return umem_protect(p, a[0], len, host_prot(a[2]));
}

int64_t sys_madvise(uproc *p, const uint64_t a[6])
{
    uint64_t len = page_len(a[1]);
    /* Linux: a range that wraps past the top is invalid (before this check
     * MADV_DONTNEED went on from address 0 and cleared the guest's own pages). */
    if ((a[0] & (PG - 1)) || (a[1] && len == 0) || a[0] + len < a[0])
        return -EINVAL;
    if (len == 0)
        return 0;
    if (a[2] == 4) /* MADV_DONTNEED: private pages read back as zero */
        return umem_discard(p, a[0], len);
    return 0; /* every other advice is only a hint */
}

int64_t sys_msync(uproc *p, const uint64_t a[6])
{
    if ((a[0] & (PG - 1)) || (a[2] & ~7ull) || ((a[2] & 1) && (a[2] & 4))) /* MS_ASYNC with MS_SYNC */
        return -EINVAL;
    uint64_t len = page_len(a[1]);
    if (a[1] && !len)
        return -ENOMEM;
    if (len && !umem_ptr(p, a[0], len, PROT_NONE))
        return -ENOMEM; /* Linux: part of the range is not mapped */
    return ushared_sync(p, a[0], len, 0);
}

/* Protection of the page at va, probed through umem_ptr. */
static int probe_prot(uproc *p, uint64_t va)
{
    int prot = PROT_NONE;
    if (umem_ptr(p, va, 1, PROT_READ))
        prot |= PROT_READ;
    if (umem_ptr(p, va, 1, PROT_WRITE))
        prot |= PROT_WRITE;
    if (umem_ptr(p, va, 1, PROT_EXEC))
        prot |= PROT_EXEC;
    return prot;
}

int64_t sys_mremap(uproc *p, const uint64_t a[6])
{
    uint64_t old = a[0], flags = a[3];
    uint64_t oldlen = page_len(a[1]), newlen = page_len(a[2]);
    const uint64_t MAYMOVE = 1, FIXED = 2;
    if ((old & (PG - 1)) || a[2] == 0 || newlen == 0 || (flags & ~(MAYMOVE | FIXED)))
        return -EINVAL;
    if ((flags & FIXED) && !(flags & MAYMOVE))
        return -EINVAL;
    if (oldlen == 0)
        return -EINVAL; /* duplicating a shared mapping: not supported */
    if (!umem_ptr(p, old, oldlen, PROT_NONE))
        return -EFAULT;
    int prot = probe_prot(p, old);
    /* A shared file mapping that moves or shrinks goes back to its file
     * and, from here on, is private memory. */
    ushared_sync(p, old, oldlen, 1);

    if (!(flags & FIXED)) {
        if (newlen <= oldlen) {
            if (newlen < oldlen) {
                int r = umem_unmap(p, old + newlen, oldlen - newlen);
                if (r < 0)
                    return r;
            }
            return (int64_t)old;
        }
        /* Grow in place when the pages after the mapping are free. */
        uint64_t got;
        if (umem_map(p, old + oldlen, newlen - oldlen, prot, 0, &got) == 0) {
            if (got == old + oldlen)
                return (int64_t)old;
            umem_unmap(p, got, newlen - oldlen);
        }
        if (!(flags & MAYMOVE))
            return -ENOMEM;
    }

    /* Move: a fresh mapping, a copy, then the old one goes. The old range's
     * charge is not held against the new one, and each chunk of it is
     * unmapped once copied, so the host never holds both copies whole. */
    uint64_t dst;
    if (flags & FIXED) {
        if ((a[4] & (PG - 1)) || (a[4] < old + oldlen && old < a[4] + newlen))
            return -EINVAL;
    }
    uint64_t credit = umem_charged(p, old, oldlen);
    int r = umem_map_credit(p, (flags & FIXED) ? a[4] : 0, newlen, PROT_READ | PROT_WRITE, (flags & FIXED) != 0,
                            credit, &dst);
    if (r < 0)
        return r;
    uint64_t n = oldlen < newlen ? oldlen : newlen;
    for (uint64_t done = 0; done < n; done += MOVE_CHUNK) {
        uint64_t c = n - done < MOVE_CHUNK ? n - done : MOVE_CHUNK;
        const uint8_t *src = umem_ptr(p, old + done, c, PROT_READ);
        uint8_t *to = umem_ptr(p, dst + done, c, PROT_WRITE);
        if (src && to)
            memcpy(to, src, c);
        umem_unmap(p, old + done, c);
    }
    umem_protect(p, dst, newlen, prot);
    umem_unmap(p, old, oldlen);
    return (int64_t)dst;
}
