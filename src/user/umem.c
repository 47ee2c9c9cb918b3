/* The user-mode guest address space: one host reservation (guest VA v at
 * host base + v) plus a sorted array of mappings with their PROT_* bits.
 *
 * Guest permissions are enforced by the bookkeeping (umem_translate and the
 * umem_read/write family); host protections only back them up. The host may
 * have pages larger than the guest's 4 KiB (16 KiB on Apple silicon), so host
 * protection is kept per host granule as the union of the guest pages in it.
 * Host pages are never executable: guest code is only read by the engines.
 *
 * Commit accounting (the guest memory limit): like Linux with overcommit
 * off, a mapping is charged its whole size when it is made writable (mmap,
 * brk, a private file copy, mprotect adding PROT_WRITE) and keeps the
 * charge until it is unmapped; past the limit those calls fail with
 * -ENOMEM. Read-only and PROT_NONE anonymous mappings cost the host nothing
 * (never-written pages are not backed) and are not charged. */
#include "uproc.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#define UMEM_MIN_VA_SIZE ((uint64_t)1 << 30)
#define UMEM_DEFAULT_VA_SIZE ((uint64_t)1 << 38) /* Sv39 user space: 256 GiB */
#define UMEM_MIN_FIXED 0x1000u                   /* nothing may be mapped at page 0 */
#define UMEM_MIN_SEARCH 0x10000u                 /* mmap_min_addr for placed mappings */
#define UMEM_MAX_MAPS 65530u                     /* Linux's default max_map_count */
#define UMEM_PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)

typedef struct umap {
    uint64_t start, end; /* [start, end), page aligned */
    int prot;            /* PROT_* */
    int charged;         /* counted in committed (made writable at some point) */
} umap;

struct umem {
    umap *v; /* sorted by start, non-overlapping */
    size_t n, cap;
    size_t last;   /* index of the last lookup hit (translate fast path) */
    uint64_t gran; /* host protection granule (>= guest page) */
    uint64_t committed; /* bytes charged: charged mappings plus umem_charge */
    uint64_t limit;     /* committed may not grow past it */
    int refs;           /* processes using it (a vfork / CLONE_VM child shares it) */
};

static uint64_t page_up(uint64_t v) { return (v + RV_PAGE_SIZE - 1) & RV_PAGE_MASK; }

/* Guest access bits a protection allows: like Linux, write implies read. */
static int acc_bits(int prot)
{
    int a = 0;
    if (prot & (PROT_READ | PROT_WRITE))
        a |= RV_ACC_R;
    if (prot & PROT_WRITE)
        a |= RV_ACC_W;
    if (prot & PROT_EXEC)
        a |= RV_ACC_X;
    return a;
}

/* Host protection backing a guest protection (never host-executable). */
static int host_prot(int prot)
{
    if (prot & PROT_WRITE)
        return PROT_READ | PROT_WRITE;
    return (prot & (PROT_READ | PROT_EXEC)) ? PROT_READ : PROT_NONE;
}

/* ---- the sorted mapping array ---- */

/* Index of the first mapping that ends above va. */
static size_t lower_bound(const struct umem *m, uint64_t va)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->v[mid].end <= va)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static umap *find(struct umem *m, uint64_t va)
{
    if (m->last < m->n) {
        umap *e = &m->v[m->last];
        if (va >= e->start && va < e->end)
            return e;
    }
    size_t i = lower_bound(m, va);
    if (i < m->n && m->v[i].start <= va) {
        m->last = i;
        return &m->v[i];
    }
    return NULL;
}

static int reserve_slots(uproc *p, size_t extra)
{
    struct umem *m = p->mem;
    if (m->n + extra <= m->cap)
        return 0;
    if (m->n + extra > UMEM_MAX_MAPS)
        return -ENOMEM;
    size_t cap = m->cap ? m->cap * 2 : 64;
    while (cap < m->n + extra)
        cap *= 2;
    umap *v = host_realloc(p->host, m->v, cap * sizeof(*v));
    if (!v)
        return -ENOMEM;
    m->v = v;
    m->cap = cap;
    return 0;
}

/* Bytes of charged mappings inside [a, b). */
static uint64_t charged_bytes(const struct umem *m, uint64_t a, uint64_t b)
{
    uint64_t sum = 0;
    for (size_t i = lower_bound(m, a); i < m->n && m->v[i].start < b; i++) {
        if (!m->v[i].charged)
            continue;
        uint64_t lo = m->v[i].start > a ? m->v[i].start : a, hi = m->v[i].end < b ? m->v[i].end : b;
        sum += hi - lo;
    }
    return sum;
}

/* Remove [a, b) from the array, splitting mappings at the edges. Needs one
 * spare slot (reserve_slots). Sets *had_exec if any removed page was
 * executable. */
static void carve(struct umem *m, uint64_t a, uint64_t b, int *had_exec)
{
    m->committed -= charged_bytes(m, a, b);
    size_t i = lower_bound(m, a);
    if (i < m->n && m->v[i].start < a && m->v[i].end > b) {
        /* Hole in the middle of one mapping: split it in two. */
        if (m->v[i].prot & PROT_EXEC)
            *had_exec = 1;
        memmove(&m->v[i + 1], &m->v[i], (m->n - i) * sizeof(umap));
        m->n++;
        m->v[i].end = a;
        m->v[i + 1].start = b;
        m->last = 0;
        return;
    }
    if (i < m->n && m->v[i].start < a) {
        if (m->v[i].prot & PROT_EXEC)
            *had_exec = 1;
        m->v[i].end = a;
        i++;
    }
    size_t j = i;
    while (j < m->n && m->v[j].end <= b) {
        if (m->v[j].prot & PROT_EXEC)
            *had_exec = 1;
        j++;
    }
    if (j < m->n && m->v[j].start < b) {
        if (m->v[j].prot & PROT_EXEC)
            *had_exec = 1;
        m->v[j].start = b;
    }
    memmove(&m->v[i], &m->v[j], (m->n - j) * sizeof(umap));
    m->n -= j - i;
    m->last = 0;
}

static int same_kind(const umap *e, int prot, int charged) { return e->prot == prot && e->charged == charged; }

/* Insert [a, b) (which must be free), merging with equal neighbours. Needs
 * one spare slot. A writable mapping is charged. */
static void insert(struct umem *m, uint64_t a, uint64_t b, int prot)
{
    int charged = (prot & PROT_WRITE) != 0;
    if (charged)
        m->committed += b - a;
    size_t i = lower_bound(m, a);
    int join_prev = i > 0 && m->v[i - 1].end == a && same_kind(&m->v[i - 1], prot, charged);
    int join_next = i < m->n && m->v[i].start == b && same_kind(&m->v[i], prot, charged);
    if (join_prev && join_next) {
        m->v[i - 1].end = m->v[i].end;
        memmove(&m->v[i], &m->v[i + 1], (m->n - i - 1) * sizeof(umap));
        m->n--;
    } else if (join_prev) {
        m->v[i - 1].end = b;
    } else if (join_next) {
        m->v[i].start = a;
    } else {
        memmove(&m->v[i + 1], &m->v[i], (m->n - i) * sizeof(umap));
        m->v[i] = (umap){a, b, prot, charged};
        m->n++;
    }
    m->last = 0;
}

/* Split the mapping that contains va strictly inside it, if any. Needs one
 * spare slot. */
static void split_at(struct umem *m, uint64_t va)
{
    size_t i = lower_bound(m, va);
    if (i >= m->n || m->v[i].start >= va)
        return;
    memmove(&m->v[i + 1], &m->v[i], (m->n - i) * sizeof(umap));
    m->n++;
    m->v[i].end = va;
    m->v[i + 1].start = va;
    m->last = 0;
}

/* Join touching equal neighbours among entries lo..hi (inclusive). */
static void merge_range(struct umem *m, size_t lo, size_t hi)
{
    if (lo >= m->n)
        return;
    if (hi >= m->n)
        hi = m->n ? m->n - 1 : 0;
    size_t out = lo;
    for (size_t k = lo + 1; k <= hi; k++) {
        umap *prev = &m->v[out];
        if (prev->end == m->v[k].start && same_kind(prev, m->v[k].prot, m->v[k].charged))
            prev->end = m->v[k].end;
        else
            m->v[++out] = m->v[k];
    }
    size_t removed = hi - out;
    if (removed) {
        memmove(&m->v[out + 1], &m->v[hi + 1], (m->n - hi - 1) * sizeof(umap));
        m->n -= removed;
    }
    m->last = 0;
}

/* True if no mapping overlaps [a, b). */
static int range_free(struct umem *m, uint64_t a, uint64_t b)
{
    size_t i = lower_bound(m, a);
    return i >= m->n || m->v[i].start >= b;
}

/* True if [a, b) is fully mapped; *any_exec set if some page is executable. */
static int range_mapped(struct umem *m, uint64_t a, uint64_t b, int *any_exec)
{
    size_t i = lower_bound(m, a);
    for (uint64_t cur = a; cur < b; i++) {
        if (i >= m->n || m->v[i].start > cur)
            return 0;
        if (m->v[i].prot & PROT_EXEC)
            *any_exec = 1;
        cur = m->v[i].end;
    }
    return 1;
}

/* ---- host protection ---- */

enum { SYNC_FRESH, SYNC_UNMAP, SYNC_PROTECT };

/* Host protection for the granule at g: union over its mapped guest pages,
 * or -1 when nothing in it is mapped. */
static int granule_prot(struct umem *m, uint64_t g)
{
    int hp = -1;
    for (size_t i = lower_bound(m, g); i < m->n && m->v[i].start < g + m->gran; i++)
        hp = (hp < 0 ? 0 : hp) | host_prot(m->v[i].prot);
    return hp;
}

/* Bring the host pages of one partially covered granule up to date. */
static int sync_edge(uproc *p, uint64_t g, uint64_t a, uint64_t b, int kind)
{
    struct umem *m = p->mem;
    uint8_t *hg = p->base + g;
    int r;
    if (kind == SYNC_FRESH) {
        /* Other guest pages share this host page: zero just ours. */
        r = host_protect(p->host, hg, m->gran, PROT_READ | PROT_WRITE);
        if (r)
            return r;
        uint64_t lo = a > g ? a : g, hi = b < g + m->gran ? b : g + m->gran;
        memset(p->base + lo, 0, hi - lo);
    }
    int hp = granule_prot(m, g);
    if (hp < 0) /* wholly unmapped now: drop the memory, leave zeroes */
        return host_zero_fill(p->host, hg, m->gran, PROT_NONE);
    return host_protect(p->host, hg, m->gran, hp);
}

/* Make host pages match the array after [a, b) changed. */
static int sync_host(uproc *p, uint64_t a, uint64_t b, int kind, int prot)
{
    struct umem *m = p->mem;
    uint64_t G = m->gran;
    uint64_t ia = (a + G - 1) & ~(G - 1), ib = b & ~(G - 1);
    int r = 0;
    if (ia < ib) {
        size_t len = (size_t)(ib - ia);
        if (kind == SYNC_FRESH)
            r = host_zero_fill(p->host, p->base + ia, len, host_prot(prot));
        else if (kind == SYNC_UNMAP)
            r = host_zero_fill(p->host, p->base + ia, len, PROT_NONE);
        else
            r = host_protect(p->host, p->base + ia, len, host_prot(prot));
        if (r)
            return r;
    }
    if (a < ia || ia > ib) /* head granule, partially covered */
        r = sync_edge(p, a & ~(G - 1), a, b, kind);
    if (!r && b > ib && ib >= ia && ib >= a) /* tail granule, distinct from the head */
        r = sync_edge(p, ib, a, b, kind);
    return r;
}

/* After a mapping got prot: an execute-only page stays host-readable (the
 * engines fetch guest code from host memory), so from the first one on the
 * host MMU no longer refuses all the guest does: generated code then checks
 * every access in software (mem_fast_limit 0). */
static void note_prot(uproc *p, int prot)
{
    if ((prot & PROT_EXEC) && !(prot & (PROT_READ | PROT_WRITE)) && p->cpu->mem_fast_limit) {
        rv_set_mem_fast_limit(p->cpu, 0);
        rv_engine_flush(p->cpu); /* blocks that check a base register once would now always fail it */
    }
}

static void flush_cpu(uproc *p, int code_changed)
{
    if (!p->cpu)
        return;
    if (code_changed) {
        rv_engine_flush(p->cpu);
        rv_tlb_flush(p->cpu);
    } else {
        rv_tlb_flush_data(p->cpu);
    }
}

/* ---- setup ---- */

int umem_init(uproc *p, uint64_t va_size)
{
    /* With no size asked for, take the largest reservation the host grants
     * (valgrind, iOS and RLIMIT_AS allow far less than 256 GiB). */
    int shrink = !va_size;
    if (!va_size)
        va_size = UMEM_DEFAULT_VA_SIZE;
    uint64_t gran = host_page_size();
    if (gran < RV_PAGE_SIZE)
        gran = RV_PAGE_SIZE;
    if ((gran & (gran - 1)) || (va_size & (gran - 1)) || (va_size & (RV_PAGE_SIZE - 1)) ||
        va_size < 16 * gran || va_size > ((uint64_t)1 << 47))
        return -EINVAL;
    struct umem *m = host_alloc(p->host, sizeof(*m));
    if (!m)
        return -ENOMEM;
    m->gran = gran;
    m->refs = 1;
    uint8_t *base = host_reserve(p->host, (size_t)va_size);
    while (!base && shrink && va_size > UMEM_MIN_VA_SIZE) {
        va_size /= 2;
        base = host_reserve(p->host, (size_t)va_size);
    }
    if (!base) {
        host_free(p->host, m);
        return -ENOMEM;
    }
    p->mem = m;
    p->base = base;
    p->va_size = va_size;
    /* Host protections match the guest's page by page only when the host
     * page is the guest's 4 KiB (not on 16 KiB Apple silicon pages). The
     * limit keeps an 8-byte access at the last va inside the region. */
    if (gran == RV_PAGE_SIZE) {
        p->cpu->mem_base = (uintptr_t)base;
        rv_set_mem_fast_limit(p->cpu, va_size - 7);
    }
    p->mmap_base = va_size; /* the loader lowers it below the stack */
    m->limit = p->opts.mem_limit ? p->opts.mem_limit : UPROC_DEFAULT_MEM_LIMIT;
    p->brk_start = p->brk_cur = 0;
    return 0;
}

void umem_fini(uproc *p)
{
    if (!p->mem)
        return;
    if (--p->mem->refs > 0) { /* another process still runs in it */
        p->mem = NULL;
        p->base = NULL;
        return;
    }
    p->cpu->mem_base = 0;
    rv_set_mem_fast_limit(p->cpu, 0);
    if (p->base) {
        host_release(p->host, p->base);
        /* Translated code is keyed by host address: a later reservation
         * (another process's, or this one's after execve) may get the same
         * addresses with other code. */
        rv_engine_flush(p->cpu);
    }
    host_free(p->host, p->mem->v);
    host_free(p->host, p->mem);
    p->mem = NULL;
    p->base = NULL;
}

/* ---- mmap / munmap / mprotect / brk ---- */

/* Highest x with [x, x+len) free, lo <= x and x + len <= hi. */
static int find_free(struct umem *m, uint64_t lo, uint64_t hi, uint64_t len, uint64_t *out)
{
    if (hi < lo || hi - lo < len)
        return -1;
    uint64_t ceil = hi;
    size_t k = lower_bound(m, hi);
    if (k < m->n)
        k++; /* that one may straddle hi */
    while (k-- > 0) {
        const umap *e = &m->v[k];
        if (e->start >= ceil)
            continue;
        if (e->end < ceil) {
            uint64_t floor = e->end > lo ? e->end : lo;
            if (ceil >= floor && ceil - floor >= len) {
                *out = ceil - len;
                return 0;
            }
        }
        ceil = e->start;
        if (ceil <= lo || ceil - lo < len)
            return -1;
    }
    *out = ceil - len;
    return 0;
}

static int pick_address(uproc *p, uint64_t hint, uint64_t len, uint64_t *out)
{
    struct umem *m = p->mem;
    hint = page_up(hint);
    if (hint >= UMEM_MIN_SEARCH && hint < p->va_size && len <= p->va_size - hint &&
        range_free(m, hint, hint + len)) {
        *out = hint;
        return 0;
    }
    uint64_t top = p->mmap_base < p->va_size ? p->mmap_base : p->va_size;
    if (find_free(m, UMEM_MIN_SEARCH, top, len, out) == 0)
        return 0;
    return find_free(m, UMEM_MIN_SEARCH, p->va_size, len, out) == 0 ? 0 : -ENOMEM;
}

int umem_map(uproc *p, uint64_t va, uint64_t len, int prot, int fixed, uint64_t *out)
{
    return umem_map_credit(p, va, len, prot, fixed, 0, out);
}

int umem_map_credit(uproc *p, uint64_t va, uint64_t len, int prot, int fixed, uint64_t credit, uint64_t *out)
{
    struct umem *m = p->mem;
    if (len == 0 || (prot & ~UMEM_PROT_ALL))
        return -EINVAL;
    if (len > p->va_size)
        return -ENOMEM;
    len = page_up(len);
    if (fixed) {
        if (va & ~RV_PAGE_MASK)
            return -EINVAL;
        if (va > p->va_size || len > p->va_size - va)
            return -ENOMEM;
        if (va < UMEM_MIN_FIXED)
            return -EPERM;
        if (fixed == 2 && !range_free(m, va, va + len)) /* MAP_FIXED_NOREPLACE */
            return -EEXIST;
    } else {
        int r = pick_address(p, va, len, &va);
        if (r)
            return r;
    }
    /* The charge is checked before anything changes; pages it replaces give
     * their charge back. */
    if ((prot & PROT_WRITE) && m->committed + len > m->limit + charged_bytes(m, va, va + len) + credit)
        return -ENOMEM;
    int r = reserve_slots(p, 3); /* carve, insert, and carve again on failure */
    if (r)
        return r;
    int had_exec = 0, replaced = !range_free(m, va, va + len);
    if (replaced)
        carve(m, va, va + len, &had_exec);
    insert(m, va, va + len, prot);
    note_prot(p, prot);
    r = sync_host(p, va, va + len, SYNC_FRESH, prot);
    if (r) {
        int dummy = 0;
        carve(m, va, va + len, &dummy);
        sync_host(p, va, va + len, SYNC_UNMAP, 0);
    }
    if (replaced || r)
        flush_cpu(p, had_exec);
    if (r)
        return r == -EINVAL ? -ENOMEM : r;
    *out = va;
    return 0;
}

int umem_unmap(uproc *p, uint64_t va, uint64_t len)
{
    struct umem *m = p->mem;
    if ((va & ~RV_PAGE_MASK) || len == 0 || va > p->va_size || len > p->va_size - va)
        return -EINVAL;
    len = page_up(len);
    if (len > p->va_size - va)
        len = p->va_size - va;
    if (range_free(m, va, va + len))
        return 0;
    int r = reserve_slots(p, 1);
    if (r)
        return r;
    int had_exec = 0;
    carve(m, va, va + len, &had_exec);
    r = sync_host(p, va, va + len, SYNC_UNMAP, 0);
    flush_cpu(p, had_exec);
    return r;
}

int umem_protect(uproc *p, uint64_t va, uint64_t len, int prot)
{
    struct umem *m = p->mem;
    if (va & ~RV_PAGE_MASK)
        return -EINVAL;
    if (prot & ~UMEM_PROT_ALL)
        return -EINVAL;
    if (len == 0)
        return 0;
    if (va > p->va_size || len > p->va_size - va)
        return -ENOMEM;
    len = page_up(len);
    if (len > p->va_size - va)
        return -ENOMEM;
    int had_exec = 0;
    if (!range_mapped(m, va, va + len, &had_exec))
        return -ENOMEM;
    /* Making pages writable charges those not charged yet. */
    uint64_t extra = (prot & PROT_WRITE) ? len - charged_bytes(m, va, va + len) : 0;
    if (extra && m->committed + extra > m->limit)
        return -ENOMEM;
    int r = reserve_slots(p, 2);
    if (r)
        return r;
    split_at(m, va);
    split_at(m, va + len);
    size_t first = lower_bound(m, va), k = first;
    for (; k < m->n && m->v[k].start < va + len; k++) {
        m->v[k].prot = prot;
        if ((prot & PROT_WRITE) && !m->v[k].charged) {
            m->v[k].charged = 1;
            m->committed += m->v[k].end - m->v[k].start;
        }
    }
    merge_range(m, first ? first - 1 : 0, k);
    note_prot(p, prot);
    r = sync_host(p, va, va + len, SYNC_PROTECT, prot);
    flush_cpu(p, had_exec);
    return r;
}

/* Whether va is mapped, and where that changes: the end of the contiguous
 * mapped run holding va, or the start of the next mapping (UINT64_MAX if
 * none). Lets callers step over a range by mappings, not by pages. */
int umem_extent(uproc *p, uint64_t va, uint64_t *change)
{
    struct umem *m = p->mem;
    size_t i = lower_bound(m, va);
    if (i >= m->n || m->v[i].start > va) {
        *change = i < m->n ? m->v[i].start : UINT64_MAX;
        return 0;
    }
    uint64_t end = m->v[i].end;
    while (i + 1 < m->n && m->v[i + 1].start == end)
        end = m->v[++i].end;
    *change = end;
    return 1;
}

/* MADV_DONTNEED: the writable pages mapped in [va, va+len) read back as
 * zero. Walks the mappings, not the pages, so a huge range costs no more
 * than the mappings in it. -ENOMEM when part of the range is unmapped (the
 * mapped parts are still cleared, as Linux does). */
int umem_discard(uproc *p, uint64_t va, uint64_t len)
{
    struct umem *m = p->mem;
    if (va >= p->va_size)
        return -ENOMEM;
    uint64_t end = len > p->va_size - va ? p->va_size : va + len;
    int r = len > p->va_size - va ? -ENOMEM : 0, code_changed = 0;
    uint64_t cur = va;
    for (size_t i = lower_bound(m, va); i < m->n && m->v[i].start < end; i++) {
        uint64_t a = m->v[i].start > va ? m->v[i].start : va;
        uint64_t b = m->v[i].end < end ? m->v[i].end : end;
        if (a > cur)
            r = -ENOMEM;
        cur = b;
        if (!(m->v[i].prot & PROT_WRITE))
            continue;
        if (m->v[i].prot & PROT_EXEC)
            code_changed = 1;
        int e = sync_host(p, a, b, SYNC_FRESH, m->v[i].prot);
        if (e)
            return e;
    }
    if (cur < end)
        r = -ENOMEM;
    if (code_changed)
        flush_cpu(p, 1);
    return r;
}

uint64_t umem_brk(uproc *p, uint64_t newbrk)
{
    if (!p->brk_start || newbrk < p->brk_start || newbrk > p->va_size)
        return p->brk_cur;
    uint64_t old_end = page_up(p->brk_cur), new_end = page_up(newbrk);
    if (new_end > old_end) {
        uint64_t at;
        /* Linux refuses to grow into (or right up against) another mapping. */
        uint64_t guard = new_end + RV_PAGE_SIZE <= p->va_size ? new_end + RV_PAGE_SIZE : new_end;
        if (!range_free(p->mem, old_end, guard))
            return p->brk_cur;
        if (umem_map(p, old_end, new_end - old_end, PROT_READ | PROT_WRITE, 1, &at))
            return p->brk_cur;
    } else if (new_end < old_end) {
        if (umem_unmap(p, new_end, old_end - new_end))
            return p->brk_cur;
    }
    p->brk_cur = newbrk;
    return newbrk;
}

/* ---- the commit charge ---- */

uint64_t umem_committed(const uproc *p) { return p->mem ? p->mem->committed : 0; }
uint64_t umem_limit(const uproc *p) { return p->mem ? p->mem->limit : 0; }

uint64_t umem_charged(uproc *p, uint64_t va, uint64_t len)
{
    if (va >= p->va_size)
        return 0;
    if (len > p->va_size - va)
        len = p->va_size - va;
    return charged_bytes(p->mem, va, va + len);
}

int umem_charge(uproc *p, uint64_t bytes)
{
    struct umem *m = p->mem;
    if (bytes > m->limit || m->committed > m->limit - bytes)
        return -ENOMEM;
    m->committed += bytes;
    return 0;
}

void umem_uncharge(uproc *p, uint64_t bytes)
{
    struct umem *m = p->mem;
    m->committed -= bytes < m->committed ? bytes : m->committed;
}

/* ---- access from the hart and the system-call layer ---- */

int umem_translate(rv_cpu *cpu, uint64_t va, int access, rv_xlate *out)
{
    uproc *p = cpu->env.opaque;
    int cause = (access & RV_ACC_X)   ? RV_EXC_INSN_PAGE
                : (access & RV_ACC_W) ? RV_EXC_STORE_PAGE
                                      : RV_EXC_LOAD_PAGE;
    if (va >= p->va_size)
        return cause;
    const umap *e = find(p->mem, va);
    if (!e)
        return cause;
    int allowed = acc_bits(e->prot);
    if ((access & allowed) != access)
        return cause;
    out->host_page = p->base + (va & RV_PAGE_MASK);
    out->pa = va;
    out->cache_prot = allowed;
    return 0;
}

/* 0 if every byte of [va, va+n) allows the RV_ACC_* bits in need. */
static int check_range(uproc *p, uint64_t va, size_t n, int need)
{
    if (n == 0)
        return 0;
    if (va >= p->va_size || n > p->va_size - va)
        return -EFAULT;
    struct umem *m = p->mem;
    uint64_t end = va + n;
    size_t i = lower_bound(m, va);
    for (uint64_t cur = va; cur < end; i++) {
        if (i >= m->n || m->v[i].start > cur || (acc_bits(m->v[i].prot) & need) != need)
            return -EFAULT;
        cur = m->v[i].end;
    }
    return 0;
}

int umem_read(uproc *p, uint64_t va, void *dst, size_t n)
{
    int r = check_range(p, va, n, RV_ACC_R);
    if (r == 0 && n)
        memcpy(dst, p->base + va, n);
    return r;
}

int umem_write(uproc *p, uint64_t va, const void *src, size_t n)
{
    int r = check_range(p, va, n, RV_ACC_W);
    if (r == 0 && n)
        memcpy(p->base + va, src, n);
    return r;
}

int umem_read_str(uproc *p, uint64_t va, char *dst, size_t cap)
{
    size_t got = 0;
    if (cap > 0x7fffffff)
        cap = 0x7fffffff;
    while (got < cap) {
        if (va >= p->va_size)
            return -EFAULT;
        const umap *e = find(p->mem, va);
        if (!e || !(acc_bits(e->prot) & RV_ACC_R))
            return -EFAULT;
        uint64_t span = e->end - va;
        size_t chunk = span < cap - got ? (size_t)span : cap - got;
        const uint8_t *src = p->base + va;
        const uint8_t *z = memchr(src, 0, chunk);
        if (z) {
            size_t len = (size_t)(z - src);
            memcpy(dst + got, src, len + 1);
            return (int)(got + len);
        }
        memcpy(dst + got, src, chunk);
        got += chunk;
        va += chunk;
    }
    return -ENAMETOOLONG;
}

void *umem_ptr(uproc *p, uint64_t va, size_t n, int prot)
{
    int need = 0;
    if (prot & PROT_READ)
        need |= RV_ACC_R;
    if (prot & PROT_WRITE)
        need |= RV_ACC_W;
    if (prot & PROT_EXEC)
        need |= RV_ACC_X;
    if (n == 0) /* nothing will be touched; any non-NULL pointer will do */
        return va < p->va_size ? p->base + va : p->base;
    return check_range(p, va, n, need) ? NULL : p->base + va;
}

/* ---- fork ---- */

/* Most of a process's mapped pages were never written (a stack's depth, a
 * fresh heap): rv_page_is_zero skips them (fork's time was mostly looking). */

/* A plain copy (no copy-on-write yet): the child's pages are made writable,
 * filled from the parent's, then given their protection. Pages that read as
 * zero are skipped, so the parent's untouched memory (most of a stack, a
 * fresh heap) costs the child nothing. Guest PROT_NONE pages keep no data. */
int umem_copy(uproc *child, uproc *parent)
{
    struct umem *c = child->mem, *m = parent->mem;
    if (m->gran != c->gran)
        return -EINVAL;
    if (m->n > c->cap) {
        umap *v = host_realloc(child->host, c->v, m->n * sizeof(*v));
        if (!v)
            return -ENOMEM;
        c->v = v;
        c->cap = m->n;
    }
    memcpy(c->v, m->v, m->n * sizeof(*c->v));
    c->n = m->n;
    c->last = 0;
    c->committed = m->committed;
    c->limit = m->limit;
    uint64_t G = c->gran;
    for (size_t i = 0; i < c->n; i++) {
        const umap *e = &c->v[i];
        uint64_t ga = e->start & ~(G - 1), gb = (e->end + G - 1) & ~(G - 1);
        int r = host_protect(child->host, child->base + ga, (size_t)(gb - ga), PROT_READ | PROT_WRITE);
        if (r)
            return r;
    }
    for (size_t i = 0; i < c->n; i++) {
        const umap *e = &c->v[i];
        if (host_prot(e->prot) == PROT_NONE)
            continue;
        for (uint64_t va = e->start; va < e->end; va += RV_PAGE_SIZE)
            if (!rv_page_is_zero(parent->base + va))
                memcpy(child->base + va, parent->base + va, RV_PAGE_SIZE);
    }
    for (size_t i = 0; i < c->n; i++) {
        int r = sync_host(child, c->v[i].start, c->v[i].end, SYNC_PROTECT, c->v[i].prot);
        if (r)
            return r;
    }
    return 0;
}
void umem_share(uproc *child, uproc *parent)
{
    child->mem = parent->mem;
    child->base = parent->base;
    child->va_size = parent->va_size;
    parent->mem->refs++;
}

int umem_next_map(uproc *p, uint64_t va, uint64_t *start, uint64_t *end, int *prot)
{
    struct umem *m = p->mem;
    size_t i = m ? lower_bound(m, va) : 0;
    if (!m || i >= m->n)
        return 0;
    /* Neighbours with the same protection read as one mapping, as Linux
     * merges adjacent anonymous areas. */
    *start = m->v[i].start;
    *prot = m->v[i].prot;
    while (i + 1 < m->n && m->v[i + 1].start == m->v[i].end && m->v[i + 1].prot == *prot)
        i++;
    *end = m->v[i].end;
    return 1;
}
