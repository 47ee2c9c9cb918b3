/* Program loader for user mode: map a riscv64 ELF (static, static-pie, or
 * dynamically linked: then its PT_INTERP, the dynamic loader, is mapped too,
 * read through the guest's file system and so through the -L jail), build
 * the initial stack exactly as Linux does (argc, argv, envp, auxv, strings at
 * the top) and set pc/sp. */
#include "uproc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "../loader/elf.h"
#include "fdtable.h"
#include "jail.h"
#include "syscall.h"
#include "uvfs.h"

#define DYN_BASE 0x2aaaaaa000ull              /* static-pie load address */
#define STACK_SIZE ((uint64_t)8 << 20)        /* like RLIMIT_STACK's default */
#define STACK_MMAP_GAP ((uint64_t)128 << 20)  /* Linux's minimum gap below the stack */
#define ARG_LIMIT (STACK_SIZE / 4)            /* Linux: args may use 1/4 of the stack */

/* Auxiliary vector tags (linux/auxvec.h). */
enum {
    AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8,
    AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_HWCAP = 16,
    AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_EXECFN = 31,
};

/* Single-letter extensions the hart implements: IMAFDC. */
#define HWCAP_RV64GC                                                                               \
    ((1u << ('i' - 'a')) | (1u << ('m' - 'a')) | (1u << ('a' - 'a')) | (1u << ('f' - 'a')) |        \
     (1u << ('d' - 'a')) | (1u << ('c' - 'a')))

static uint64_t page_down(uint64_t v) { return v & RV_PAGE_MASK; }
static uint64_t page_up(uint64_t v) { return (v + RV_PAGE_SIZE - 1) & RV_PAGE_MASK; }

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int seg_prot(uint32_t flags)
{
    return ((flags & ELF_PF_R) ? PROT_READ : 0) | ((flags & ELF_PF_W) ? PROT_WRITE : 0) |
           ((flags & ELF_PF_X) ? PROT_EXEC : 0);
}

/* Choose the load bias and check that every segment fits below the stack. */
static int place_image(uproc *p, const elf_image *img, uint64_t limit, uint64_t *bias, char *err,
                       size_t errlen)
{
    uint64_t lo = page_down(img->lo), span = page_up(img->hi) - lo;
    *bias = 0;
    if (img->is_dyn) {
        uint64_t base = DYN_BASE;
        if (span > limit || base > limit - span) /* small address space: lower third */
            base = page_down(p->va_size / 3);
        *bias = base - lo;
    }
    uint64_t start = lo + *bias;
    if (start < RV_PAGE_SIZE || span > limit || start > limit - span)
        return fail(err, errlen, "program image 0x%llx-0x%llx does not fit in the guest address space",
                    (unsigned long long)(img->lo + *bias), (unsigned long long)(img->hi + *bias));
    return 0;
}

/* Bytes of guest pages the segments cover (pages shared by two counted once). */
static uint64_t image_pages(const elf_image *img)
{
    uint64_t lo[ELF_MAX_SEGS], hi[ELF_MAX_SEGS];
    int n = 0;
    for (int i = 0; i < img->nsegs; i++) { /* insertion sort by start */
        uint64_t a = page_down(img->segs[i].vaddr), b = page_up(img->segs[i].vaddr + img->segs[i].memsz);
        int k = n++;
        for (; k > 0 && lo[k - 1] > a; k--) {
            lo[k] = lo[k - 1];
            hi[k] = hi[k - 1];
        }
        lo[k] = a;
        hi[k] = b;
    }
    uint64_t total = 0, reach = 0;
    for (int i = 0; i < n; i++) {
        uint64_t a = lo[i] > reach ? lo[i] : reach;
        if (hi[i] > a)
            total += hi[i] - a;
        if (hi[i] > reach)
            reach = hi[i];
    }
    return total;
}

static unsigned long long mib_up(uint64_t bytes) { return (unsigned long long)((bytes + (1u << 20) - 1) >> 20); }
static unsigned long long mib_near(uint64_t bytes) { return (unsigned long long)((bytes + (1u << 19)) >> 20); }

/* The memory the program takes before it runs a single instruction: its
 * segments, the stack, and the thread-local storage block its C library
 * allocates at start-up (from brk). Past the guest memory limit the program
 * could not even start: refuse it here with a clear message. */
static int check_memory(uproc *p, const elf_image *img, const elf_image *interp, char *err, size_t errlen)
{
    const uint64_t huge = (uint64_t)1 << 60; /* caps the terms: no overflow in the sum */
    uint64_t segs = image_pages(img), tls = 0;
    if (interp)
        segs += image_pages(interp) < huge ? image_pages(interp) : huge;
    if (img->tls_memsz)
        tls = img->tls_memsz > huge || img->tls_align > huge ? huge : page_up(img->tls_memsz + img->tls_align);
    if (segs > huge)
        segs = huge;
    uint64_t need = segs + STACK_SIZE + tls, limit = umem_limit(p);
    if (need <= limit)
        return 0;
    return fail(err, errlen,
                "program needs %llu MiB of memory (segments %llu MiB, thread-local storage %llu MiB, "
                "stack %llu MiB), more than the guest memory limit of %llu MiB (-m)",
                mib_up(need), mib_near(segs), mib_near(tls), mib_near(STACK_SIZE), mib_up(limit));
}

/* Map every PT_LOAD writable, copy its file bytes, then set final
 * protections. Pages shared by two segments get the union of both. */
static int load_segments(uproc *p, const elf_image *img, uint64_t bias, char *err, size_t errlen)
{
    int n = img->nsegs;
    for (int i = 0; i < n; i++) {
        const elf_seg *s = &img->segs[i];
        uint64_t a = page_down(s->vaddr + bias), b = page_up(s->vaddr + bias + s->memsz);
        /* Map only the pages no earlier segment has mapped (they hold its
         * data). Stepped by mapping, not by page: a 1 KB file may claim a
         * segment of hundreds of GiB. */
        for (uint64_t pg = a; pg < b;) {
            uint64_t change, at;
            int mapped = umem_extent(p, pg, &change);
            uint64_t run = change < b ? change : b;
            if (!mapped) {
                int r = umem_map(p, pg, run - pg, PROT_READ | PROT_WRITE, 1, &at);
                if (r)
                    return fail(err, errlen, "cannot map segment at 0x%llx: %s",
                                (unsigned long long)(s->vaddr + bias), strerror(-r));
            }
            pg = run;
        }
        /* Like Linux's file mapping, the bytes before vaddr in its first page
         * come from the file too (the ELF header shows at the image start),
         * unless another segment owns them. */
        uint64_t va = s->vaddr + bias, from = page_down(va);
        for (int j = 0; j < n; j++) {
            uint64_t jend = img->segs[j].vaddr + bias + img->segs[j].memsz;
            if (j != i && img->segs[j].vaddr + bias < va && jend > from)
                from = jend < va ? jend : va;
        }
        uint64_t lead = va - from, off = s->offset, len = s->filesz;
        if (lead && (s->offset & (RV_PAGE_SIZE - 1)) == (va & (RV_PAGE_SIZE - 1)) && off >= lead) {
            off -= lead;
            len += lead;
            va = from;
        }
        if (len && umem_write(p, va, img->data + off, (size_t)len))
            return fail(err, errlen, "cannot load segment at 0x%llx", (unsigned long long)va);
    }
    for (int i = 0; i < n; i++) {
        const elf_seg *s = &img->segs[i];
        uint64_t a = page_down(s->vaddr + bias), b = page_up(s->vaddr + bias + s->memsz);
        if (umem_protect(p, a, b - a, seg_prot(s->flags)))
            return fail(err, errlen, "cannot protect segment at 0x%llx", (unsigned long long)a);
    }
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            const elf_seg *s = &img->segs[i], *t = &img->segs[j];
            uint64_t a1 = page_down(s->vaddr + bias), b1 = page_up(s->vaddr + bias + s->memsz);
            uint64_t a2 = page_down(t->vaddr + bias), b2 = page_up(t->vaddr + bias + t->memsz);
            uint64_t a = a1 > a2 ? a1 : a2, b = b1 < b2 ? b1 : b2;
            if (a < b && umem_protect(p, a, b - a, seg_prot(s->flags | t->flags)))
                return fail(err, errlen, "cannot protect segment at 0x%llx", (unsigned long long)a);
        }
    return 0;
}

/* The guest-visible program path: the sysroot prefix stripped, made absolute. */
static void record_exe_path(uproc *p, const char *path, char *execfn, size_t execfn_len)
{
    const char *g = path;
    size_t rl = p->sysroot ? strlen(p->sysroot) : 0;
    if (rl && strncmp(path, p->sysroot, rl) == 0 && path[rl] == '/')
        g = path + rl;
    snprintf(execfn, execfn_len, "%s", g);
    char full[8192];
    if (g[0] == '/') {
        snprintf(full, sizeof(full), "%s", g);
    } else {
        /* Relative to the guest's working directory: the host's, seen from
         * inside the -L tree. */
        snprintf(full, sizeof(full), "%s/%s", ufds_cwd(p), g);
    }
    if (uproc_normalize(full, p->exe_path, sizeof(p->exe_path)))
        snprintf(p->exe_path, sizeof(p->exe_path), "%s", execfn);
}

typedef struct stack_builder {
    uproc *p;
    uint64_t sp;
    uint64_t floor; /* lowest address the initial data may use */
    int bad;
} stack_builder;

/* Push bytes below sp (optionally aligning sp down first); returns their address. */
static uint64_t push_bytes(stack_builder *sb, const void *src, size_t n, uint64_t align)
{
    if (sb->bad || sb->sp - sb->floor < n + align) {
        sb->bad = 1;
        return 0;
    }
    sb->sp = (sb->sp - n) & ~(align - 1);
    if (n && umem_write(sb->p, sb->sp, src, n))
        sb->bad = 1;
    return sb->sp;
}

static void put64(stack_builder *sb, uint64_t va, uint64_t v)
{
    if (!sb->bad && umem_write(sb->p, va, &v, 8))
        sb->bad = 1;
}

static size_t count_strings(char *const v[], int limit)
{
    size_t n = 0;
    if (v)
        while ((limit < 0 || (int)n < limit) && v[n])
            n++;
    return n;
}

/* Map the stack at the top of the address space; mmap hands out addresses
 * below it, past a guard gap. */
static int map_stack(uproc *p, const elf_image *img, uint64_t bias, char *err, size_t errlen)
{
    uint64_t bottom = p->va_size - STACK_SIZE, at;
    int r = umem_map(p, bottom, STACK_SIZE, PROT_READ | PROT_WRITE, 1, &at);
    if (r)
        return fail(err, errlen, "cannot map the stack: %s", strerror(-r));
    uint64_t img_end = page_up(img->hi + bias);
    p->mmap_base = bottom - STACK_MMAP_GAP > img_end && bottom > STACK_MMAP_GAP ? bottom - STACK_MMAP_GAP
                                                                                 : bottom - 256 * RV_PAGE_SIZE;
    return 0;
}

static int build_stack(uproc *p, const elf_image *img, uint64_t bias, uint64_t interp_base, int argc,
                       char *const argv[], char *const envp[], const char *execfn, uint64_t *sp_out,
                       char *err, size_t errlen)
{
    uint64_t top = p->va_size, bottom = top - STACK_SIZE;

    size_t nargs = (size_t)(argc > 0 ? argc : 0);
    if (count_strings(argv, (int)nargs) < nargs)
        nargs = count_strings(argv, (int)nargs);
    size_t nenv = count_strings(envp, -1);
    size_t total = strlen(execfn) + 1;
    for (size_t i = 0; i < nargs; i++)
        total += strlen(argv[i]) + 1 + 8;
    for (size_t i = 0; i < nenv; i++)
        total += strlen(envp[i]) + 1 + 8;
    if (total > ARG_LIMIT)
        return fail(err, errlen, "argument list too long");

    stack_builder sb = {p, top, bottom, 0};
    /* From the top down: an 8-byte end marker, the program name, the
     * argument and environment strings (argv first in memory), then
     * AT_RANDOM's bytes and the pointer tables. */
    uint64_t zero = 0;
    push_bytes(&sb, &zero, 8, 1);
    uint64_t execfn_va = push_bytes(&sb, execfn, strlen(execfn) + 1, 1);
    uint64_t strings = 0;
    for (size_t i = 0; i < nargs; i++)
        strings += strlen(argv[i]) + 1;
    for (size_t i = 0; i < nenv; i++)
        strings += strlen(envp[i]) + 1;
    if (sb.bad || sb.sp - sb.floor < strings + 64)
        sb.bad = 1;
    else
        sb.sp -= strings;
    uint64_t str_va = sb.sp;

    uint8_t rnd[16];
    if (uvfs_random(p, rnd, sizeof(rnd)) < 0)
        memset(rnd, 0x5a, sizeof(rnd));
    uint64_t random_va = push_bytes(&sb, rnd, sizeof(rnd), 16);

    /* AT_PHDR must point at the program headers in guest memory; when no
     * segment holds them, a copy goes on the stack. */
    uint64_t phdr = 0, phlen = (uint64_t)img->phnum * img->phentsize;
    if (img->phdr_vaddr && umem_ptr(p, img->phdr_vaddr + bias, (size_t)phlen, PROT_READ))
        phdr = img->phdr_vaddr + bias;
    else
        phdr = push_bytes(&sb, img->data + img->phoff, (size_t)phlen, 8);

    host_ids ids;
    host_get_ids(p->host, &ids);
    /* The order Linux's create_elf_tables uses. */
    uint64_t auxv[][2] = {
        {AT_HWCAP, HWCAP_RV64GC},
        {AT_PAGESZ, RV_PAGE_SIZE},
        {AT_CLKTCK, 100},
        {AT_PHDR, phdr},
        {AT_PHENT, img->phentsize},
        {AT_PHNUM, img->phnum},
        {AT_BASE, interp_base},
        {AT_FLAGS, 0},
        {AT_ENTRY, img->entry + bias},
        {AT_UID, (uint64_t)(uint32_t)ids.uid},
        {AT_EUID, (uint64_t)(uint32_t)ids.euid},
        {AT_GID, (uint64_t)(uint32_t)ids.gid},
        {AT_EGID, (uint64_t)(uint32_t)ids.egid},
        {AT_SECURE, 0},
        {AT_RANDOM, random_va},
        {AT_EXECFN, execfn_va},
        {AT_NULL, 0},
    };
    size_t naux = sizeof(auxv) / sizeof(auxv[0]);
    uint64_t words = 1 + (nargs + 1) + (nenv + 1) + 2 * naux;
    if (sb.bad || sb.sp - sb.floor < words * 8 + 16)
        return fail(err, errlen, "argument list too long");
    sb.sp = (sb.sp - words * 8) & ~(uint64_t)15;
    uint64_t w = sb.sp;

    /* Strings first (argv then envp), pointers as we go. */
    put64(&sb, w, nargs);
    w += 8;
    uint64_t s = str_va;
    for (size_t i = 0; i < nargs; i++, w += 8) {
        size_t len = strlen(argv[i]) + 1;
        if (!sb.bad && umem_write(p, s, argv[i], len))
            sb.bad = 1;
        put64(&sb, w, s);
        s += len;
    }
    put64(&sb, w, 0);
    w += 8;
    for (size_t i = 0; i < nenv; i++, w += 8) {
        size_t len = strlen(envp[i]) + 1;
        if (!sb.bad && umem_write(p, s, envp[i], len))
            sb.bad = 1;
        put64(&sb, w, s);
        s += len;
    }
    put64(&sb, w, 0);
    w += 8;
    for (size_t i = 0; i < naux; i++, w += 16) {
        put64(&sb, w, auxv[i][0]);
        put64(&sb, w + 8, auxv[i][1]);
    }
    if (sb.bad)
        return fail(err, errlen, "cannot build the initial stack");
    *sp_out = sb.sp;
    return 0;
}

/* The program is a host path from the embedder. One inside the jail's tree
 * is opened through the jail, so that a guest sharing the tree cannot swap a
 * directory on its way for a link out of it while the loader reads it. */
static int read_program(uproc *p, const char *path, uint8_t **data, size_t *size)
{
    size_t rl = p->sysroot ? strlen(p->sysroot) : 0;
    if (!rl || strncmp(path, p->sysroot, rl) != 0 || path[rl] != '/')
        return host_read_file(p->host, path, data, size);
    jail_at at;
    int r = jail_walk(p, path + rl, JAIL_FOLLOW, &at);
    if (r < 0)
        return r;
    int fd = host_openat(p->host, at.dirfd, at.name, O_RDONLY | O_NOFOLLOW, 0);
    jail_release(p, &at);
    if (fd < 0)
        return fd;
    r = host_read_fd(p->host, fd, data, size);
    host_close(p->host, fd);
    return r;
}

/* Read a file the guest names (the dynamic loader) the way the guest would
 * open it: through its file system, so inside the -L jail, or from the
 * embedder's proxy. */
static int read_guest_file(uproc *p, const char *guest, uint8_t **data, size_t *size)
{
    char abs[USYS_PATH_MAX];
    if (guest[0] != '/' || uproc_normalize(guest, abs, sizeof(abs)))
        return -ENOENT;
    int hfd = -1;
    uvfs_file *vf = NULL;
    int r = p->vfs->ops->open(p, abs, 0 /* O_RDONLY */, 0, &hfd, &vf);
    if (r < 0)
        return r;
    if (hfd >= 0) {
        r = host_read_fd(p->host, hfd, data, size);
        host_close(p->host, hfd);
        return r;
    }
    ufd e = {.host = -1, .vf = vf};
    uvfs_stat st;
    r = uvfs_fstat(p, &e, &st);
    if (r == 0 && (st.size < 0 || (uint64_t)st.size > ((uint64_t)1 << 30)))
        r = -EFBIG;
    uint8_t *buf = r == 0 ? host_alloc(p->host, (size_t)st.size + 1) : NULL;
    if (r == 0 && !buf)
        r = -ENOMEM;
    size_t got = 0;
    while (r == 0 && got < (size_t)st.size) {
        int64_t n = uvfs_read(p, &e, buf + got, (size_t)st.size - got, (int64_t)got);
        if (n < 0)
            r = (int)n;
        else if (n == 0)
            break;
        else
            got += (size_t)n;
    }
    uvfs_file_unref(p, vf);
    if (r < 0) {
        host_free(p->host, buf);
        return r;
    }
    *data = buf;
    *size = got;
    return 0;
}

/* The dynamic loader named by PT_INTERP: read, parse and check it. */
static int read_interp(uproc *p, const elf_image *img, uint8_t **data, elf_image *interp, char *err,
                       size_t errlen)
{
    size_t size = 0;
    int r = read_guest_file(p, img->interp, data, &size);
    if (r < 0)
        return fail(err, errlen, "cannot read the dynamic loader %s%s: %s", p->sysroot ? "(-L) " : "",
                    img->interp, strerror(-r));
    char why[200];
    if (elf_parse(*data, size, interp, why, sizeof(why)))
        return fail(err, errlen, "dynamic loader %s: %s", img->interp, why);
    if (interp->has_interp || !interp->is_dyn)
        return fail(err, errlen, "dynamic loader %s is not a shared object", img->interp);
    return 0;
}

/* The dynamic loader goes where mmap would put it (below the stack's gap),
 * as Linux maps it. */
static int place_interp(uproc *p, const elf_image *interp, uint64_t *bias, char *err, size_t errlen)
{
    uint64_t lo = page_down(interp->lo), span = page_up(interp->hi) - lo, at;
    int r = umem_map(p, 0, span, PROT_NONE, 0, &at);
    if (r)
        return fail(err, errlen, "no room for the dynamic loader: %s", strerror(-r));
    umem_unmap(p, at, span);
    *bias = at - lo;
    return 0;
}

static int entry_in_exec_segment(const elf_image *img)
{
    for (int i = 0; i < img->nsegs; i++) {
        const elf_seg *s = &img->segs[i];
        if ((s->flags & ELF_PF_X) && img->entry >= s->vaddr && img->entry - s->vaddr < s->memsz)
            return 1;
    }
    return 0;
}

int uproc_load(uproc *p, const char *path, int argc, char *const argv[], char *const envp[], char *err,
               size_t errlen)
{
    if (err && errlen)
        err[0] = 0;
    if (!p || !path)
        return fail(err, errlen, "no program given");
    uint8_t *data = NULL;
    size_t size = 0;
    int r = read_program(p, path, &data, &size);
    if (r < 0)
        return fail(err, errlen, "cannot read the program: %s", strerror(-r));
    char execfn[4096];
    record_exe_path(p, path, execfn, sizeof(execfn));
    int errnum;
    int rc = uproc_load_image(p, data, size, execfn, argc, argv, envp, &errnum, err, errlen);
    host_free(p->host, data);
    return rc;
}

int uproc_load_image(uproc *p, const uint8_t *data, size_t size, const char *execfn, int argc,
                     char *const argv[], char *const envp[], int *errnum, char *err, size_t errlen)
{
    elf_image img, interp;
    uint8_t *interp_data = NULL;
    char why[200];
    int rc = -1;
    uint64_t bias = 0, interp_bias = 0, sp = 0;
    *errnum = ENOEXEC;
    if (elf_parse(data, size, &img, why, sizeof(why))) {
        fail(err, errlen, "%s", why);
        goto out;
    }
    if (!entry_in_exec_segment(&img)) {
        fail(err, errlen, "entry point 0x%llx is not in an executable segment", (unsigned long long)img.entry);
        goto out;
    }
    if (img.has_interp) {
        if (read_interp(p, &img, &interp_data, &interp, err, errlen))
            goto out;
        if (!entry_in_exec_segment(&interp)) {
            fail(err, errlen, "dynamic loader %s: entry point not in an executable segment", img.interp);
            goto out;
        }
    }
    *errnum = ENOMEM;
    if (p->va_size <= STACK_SIZE + STACK_MMAP_GAP / 16) {
        fail(err, errlen, "guest address space too small");
        goto out;
    }
    uint64_t limit = p->va_size - STACK_SIZE - 16 * RV_PAGE_SIZE;
    const elf_image *ip = img.has_interp ? &interp : NULL;
    if (check_memory(p, &img, ip, err, errlen) || place_image(p, &img, limit, &bias, err, errlen) ||
        load_segments(p, &img, bias, err, errlen) || map_stack(p, &img, bias, err, errlen))
        goto out;
    if (ip && (place_interp(p, ip, &interp_bias, err, errlen) || load_segments(p, ip, interp_bias, err, errlen)))
        goto out;
    p->brk_start = p->brk_cur = page_up(img.hi + bias);
    *errnum = E2BIG;
    uint64_t interp_base = ip ? page_down(ip->lo) + interp_bias : 0;
    if (build_stack(p, &img, bias, interp_base, argc, argv, envp, execfn, &sp, err, errlen))
        goto out;

    rv_cpu *cpu = p->cpu;
    memset(cpu->x, 0, sizeof(cpu->x));
    memset(cpu->f, 0, sizeof(cpu->f));
    cpu->fflags = 0;
    cpu->frm = 0;
    cpu->x[2] = sp;
    cpu->pc = ip ? ip->entry + interp_bias : img.entry + bias;
    rv_tlb_flush(cpu);
    *errnum = 0;
    rc = 0;
out:
    host_free(p->host, interp_data);
    return rc;
}
