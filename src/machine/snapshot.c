/* Snapshots of the virt board: its harts, devices, clock and RAM as a
 * stream of sections (src/state/state_io.h), in this order:
 *
 *   SVMS  format version
 *   MACH  the configuration the state belongs to (board, harts, RAM,
 *         clock kind, each disk and network card); a load refuses any other
 *   BORD  the board's clock and power state
 *   HART  one per hart (rv_arch_save)
 *   CLNT PLIC UART RTC_ VIRT  the devices (VIRT: one per virtio-mmio slot)
 *   ROM_  the reset-vector ROM
 *   RAM_  RAM pages that are not all zero: offset, then whole pages
 *   END_  the number of RAM bytes written
 *
 * A load reads and checks everything before RAM into a staging copy; a
 * damaged or mismatched file there leaves the machine as it was. Once RAM
 * is being written, a failure leaves the machine ruined (the caller must
 * not run it). The harts and devices change only after END_ checks out.
 * Not saved: translated code and TLBs (rebuilt), disk contents (the images
 * are the disks' state: see docs/snapshots.md), the user-mode network's
 * connections, and LR/SC reservations. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "../block/block.h"
#include "../state/state_io.h"
#include "board.h"
#include "board_impl.h"

#define SNAPSHOT_FORMAT 1
#define RAM_CHUNK_PAGES 256 /* pages per RAM_ section at most (1 MiB) */

/* What identifies a disk: the image as the guest saw it and, for a host
 * file, its size and modification time (a disk written after the snapshot
 * no longer matches the guest's page cache in it). */
typedef struct drive_id {
    char format[16];
    uint64_t size;
    uint8_t read_only, is_file;
    uint64_t file_size;
    int64_t mtime_sec;
    uint32_t mtime_nsec;
} drive_id;

static int drive_identity(board *b, unsigned i, drive_id *id)
{
    memset(id, 0, sizeof(*id));
    snprintf(id->format, sizeof(id->format), "%s", b->drive[i].fmt ? b->drive[i].fmt->name : "?");
    id->size = b->drive[i].size;
    id->read_only = (uint8_t)(b->drive[i].read_only != 0);
    if (b->drive_file[i].fd >= 0) {
        struct stat st;
        if (host_fstat(b->host, b->drive_file[i].fd, &st) != 0)
            return -1;
        id->is_file = 1;
        id->file_size = (uint64_t)st.st_size;
        id->mtime_sec = (int64_t)HOST_ST_MTIM(&st).tv_sec;
        id->mtime_nsec = (uint32_t)HOST_ST_MTIM(&st).tv_nsec;
    }
    return 0;
}

static void put_machine(board *b, state_w *w, const drive_id *ids)
{
    state_put_u32(w, b->opts.kind);
    state_put_u32(w, b->nharts);
    state_put_u64(w, b->bus.ram_base);
    state_put_u64(w, b->bus.ram_size);
    state_put_u32(w, b->opts.counted_time ? 1 : 0);
    state_put_u32(w, b->ndrives);
    for (unsigned i = 0; i < b->ndrives; i++) {
        state_put_str(w, ids[i].format);
        state_put_u64(w, ids[i].size);
        state_put_u8(w, ids[i].read_only);
        state_put_u8(w, ids[i].is_file);
        state_put_u64(w, ids[i].file_size);
        state_put_u64(w, (uint64_t)ids[i].mtime_sec);
        state_put_u32(w, ids[i].mtime_nsec);
    }
    state_put_u32(w, b->nnics);
    for (unsigned i = 0; i < b->nnics; i++) {
        state_put_bytes(w, b->vnet[i].mac, 6);
        state_put_u8(w, b->nuser[i] != NULL);
    }
    state_put_u8(w, (uint8_t)b->has_rng);
}

/* Runs of pages that are not all zero, each in sections of up to
 * RAM_CHUNK_PAGES. Returns the bytes written. */
static uint64_t put_ram(board *b, state_out *o, state_w *w)
{
    const uint64_t pages = b->bus.ram_size >> RV_PAGE_SHIFT;
    uint64_t written = 0;
    for (uint64_t p = 0; p < pages && !o->error;) {
        if (rv_page_is_zero(b->bus.ram + (p << RV_PAGE_SHIFT))) {
            p++;
            continue;
        }
        uint64_t n = 1;
        while (p + n < pages && n < RAM_CHUNK_PAGES && !rv_page_is_zero(b->bus.ram + ((p + n) << RV_PAGE_SHIFT)))
            n++;
        state_w_reset(w);
        state_put_u64(w, p << RV_PAGE_SHIFT);
        state_put_bytes(w, b->bus.ram + (p << RV_PAGE_SHIFT), (size_t)(n << RV_PAGE_SHIFT));
        state_out_section(o, "RAM_", w);
        written += n << RV_PAGE_SHIFT;
        p += n;
    }
    return written;
}

int board_snapshot_save(board *b, state_out *o, char *err, size_t errlen)
{
    if (b->opts.kind != BOARD_VIRT) {
        snprintf(err, errlen, "snapshots need the virt board");
        return -ENOTSUP;
    }
    if (b->power_kind) {
        snprintf(err, errlen, "the guest has powered off: nothing to save");
        return -EINVAL;
    }
    /* The disks hold what the guest wrote before this moment. */
    drive_id ids[BOARD_MAX_DRIVES];
    for (unsigned i = 0; i < b->ndrives; i++) {
        if (b->drive[i].overlay) {
            snprintf(err, errlen, "disk %u has snapshot=on: the guest's writes to it live in memory, which a "
                     "snapshot does not hold", i);
            return -ENOTSUP;
        }
        int r = blk_flush(&b->drive[i]);
        if (r < 0 || drive_identity(b, i, &ids[i]) != 0) {
            snprintf(err, errlen, "disk %u cannot be flushed: %s", i, strerror(r < 0 ? -r : EIO));
            return -EIO;
        }
    }
    state_w w;
    state_w_init(&w, b->host);
#define SECTION(tag, fill)                                                                                    \
    do {                                                                                                      \
        state_w_reset(&w);                                                                                    \
        fill;                                                                                                 \
        state_out_section(o, tag, &w);                                                                        \
    } while (0)
    SECTION("SVMS", state_put_u32(&w, SNAPSHOT_FORMAT));
    SECTION("MACH", put_machine(b, &w, ids));
    SECTION("BORD", {
        state_put_u64(&w, board_now_ns(b));
        state_put_u32(&w, b->reboots);
        state_put_u32(&w, b->next_hart);
        state_put_u32(&w, b->stop_hart);
        state_put_u32(&w, (uint32_t)b->console_eof);
    });
    for (unsigned h = 0; h < b->nharts; h++)
        SECTION("HART", {
            state_put_u32(&w, h);
            rv_arch_put(&b->harts[h]->arch, b->harts[h]->wfi, &w);
        });
    SECTION("CLNT", clint_save(&b->clint, &w));
    SECTION("PLIC", plic_save(&b->plic, &w));
    SECTION("UART", uart16550_save(&b->uart, &w));
    SECTION("RTC_", goldfish_rtc_save(&b->rtc, &w));
    for (unsigned i = 0; i < VIRTIO_MMIO_SLOTS; i++)
        SECTION("VIRT", {
            state_put_u32(&w, i);
            virtio_mmio_save(&b->virtio[i], &w);
        });
    SECTION("ROM_", state_put_bytes(&w, b->rom, sizeof(b->rom)));
    uint64_t ram_bytes = put_ram(b, o, &w);
    SECTION("END_", state_put_u64(&w, ram_bytes));
#undef SECTION
    state_w_free(&w);
    if (o->error) {
        snprintf(err, errlen, "cannot write the snapshot: %s", strerror(-o->error));
        return o->error;
    }
    return 0;
}

/* ---- loading ---- */

typedef struct stage {
    uint64_t now_ns;
    unsigned reboots, next_hart, stop_hart;
    int console_eof;
    rv_arch arch[BOARD_MAX_HARTS];
    bool wfi[BOARD_MAX_HARTS];
    unsigned harts_seen; /* bit h: hart h's section was read */
    unsigned slots_seen;
    clint clint;
    plic plic;
    uart16550 uart;
    goldfish_rtc rtc;
    virtio_mmio virtio[VIRTIO_MMIO_SLOTS];
    uint8_t rom[VIRT_ROM_SIZE];
} stage;

enum { SEEN_MACH = 1, SEEN_BORD = 2, SEEN_CLNT = 4, SEEN_PLIC = 8, SEEN_UART = 16, SEEN_RTC = 32, SEEN_ROM = 64 };

/* The saved configuration against this board's; 0 or -1 with err set. */
static int check_machine(board *b, state_r *r, char *err, size_t errlen)
{
    uint32_t kind = state_get_u32(r), nharts = state_get_u32(r);
    uint64_t ram_base = state_get_u64(r), ram_size = state_get_u64(r);
    uint32_t counted = state_get_u32(r), ndrives = state_get_u32(r);
    if (r->bad)
        goto malformed;
    if (kind != (uint32_t)b->opts.kind || nharts != b->nharts || ram_base != b->bus.ram_base ||
        ram_size != b->bus.ram_size) {
        snprintf(err, errlen,
                 "the snapshot is of another machine (%u harts, %llu MiB of RAM; this one has %u harts, %llu MiB)",
                 nharts, (unsigned long long)(ram_size >> 20), b->nharts, (unsigned long long)(b->bus.ram_size >> 20));
        return -1;
    }
    if (counted != (b->opts.counted_time ? 1u : 0u)) {
        snprintf(err, errlen, "the snapshot's clock %s retired instructions and this machine's %s (-icount)",
                 counted ? "follows" : "does not follow", b->opts.counted_time ? "does" : "does not");
        return -1;
    }
    if (ndrives != b->ndrives) {
        snprintf(err, errlen, "the snapshot has %u disks, this machine %u", ndrives, b->ndrives);
        return -1;
    }
    for (unsigned i = 0; i < ndrives; i++) {
        drive_id saved, now;
        state_get_str(r, saved.format, sizeof(saved.format));
        saved.size = state_get_u64(r);
        saved.read_only = state_get_u8(r);
        saved.is_file = state_get_u8(r);
        saved.file_size = state_get_u64(r);
        saved.mtime_sec = (int64_t)state_get_u64(r);
        saved.mtime_nsec = state_get_u32(r);
        if (r->bad)
            goto malformed;
        if (drive_identity(b, i, &now) != 0) {
            snprintf(err, errlen, "disk %u cannot be examined", i);
            return -1;
        }
        if (strcmp(saved.format, now.format) || saved.size != now.size || saved.read_only != now.read_only) {
            snprintf(err, errlen, "disk %u differs from the snapshot's (%s, %llu bytes%s; here %s, %llu bytes%s)", i,
                     saved.format, (unsigned long long)saved.size, saved.read_only ? ", read-only" : "", now.format,
                     (unsigned long long)now.size, now.read_only ? ", read-only" : "");
            return -1;
        }
        if (saved.is_file && now.is_file &&
            (saved.file_size != now.file_size || saved.mtime_sec != now.mtime_sec ||
             saved.mtime_nsec != now.mtime_nsec)) {
            snprintf(err, errlen,
                     "disk %u's image changed after the snapshot was saved (its size or modification time differs): "
                     "the guest's cached view of it would no longer match",
                     i);
            return -1;
        }
    }
    uint32_t nnics = state_get_u32(r);
    if (r->bad)
        goto malformed;
    if (nnics != b->nnics) {
        snprintf(err, errlen, "the snapshot has %u network cards, this machine %u", nnics, b->nnics);
        return -1;
    }
    for (unsigned i = 0; i < nnics; i++) {
        uint8_t mac[6];
        state_get_bytes(r, mac, 6);
        uint8_t user = state_get_u8(r);
        if (r->bad)
            goto malformed;
        if (memcmp(mac, b->vnet[i].mac, 6) || user != (b->nuser[i] != NULL)) {
            snprintf(err, errlen, "network card %u differs from the snapshot's (MAC address or kind)", i);
            return -1;
        }
    }
    uint8_t rng = state_get_u8(r);
    if (!r->bad && rng != (b->has_rng != 0)) {
        snprintf(err, errlen, "the snapshot's machine %s a virtio-rng device and this one %s", rng ? "has" : "has no",
                 b->has_rng ? "has" : "has none");
        return -1;
    }
    if (state_r_ok(r))
        return 0;
malformed:
    snprintf(err, errlen, "malformed snapshot (section MACH)");
    return -1;
}

/* One section before RAM into the stage. 0, or -1 with err set. */
static int stage_section(board *b, stage *s, unsigned *seen, const char *tag, state_r *r, char *err, size_t errlen)
{
    int rc = 0;
    unsigned bit = 0;
    if (!strcmp(tag, "MACH")) {
        if (*seen & SEEN_MACH)
            goto malformed;
        *seen |= SEEN_MACH;
        return check_machine(b, r, err, errlen);
    }
    if (!(*seen & SEEN_MACH))
        goto malformed; /* the configuration comes first */
    if (!strcmp(tag, "BORD")) {
        bit = SEEN_BORD;
        s->now_ns = state_get_u64(r);
        s->reboots = state_get_u32(r);
        s->next_hart = state_get_u32(r);
        s->stop_hart = state_get_u32(r);
        s->console_eof = (int)state_get_u32(r);
        state_require(r, s->next_hart < b->nharts && s->stop_hart < b->nharts && s->console_eof <= 1);
        rc = state_r_ok(r) ? 0 : -1;
    } else if (!strcmp(tag, "HART")) {
        uint32_t h = state_get_u32(r);
        if (r->bad || h >= b->nharts || (s->harts_seen & (1u << h)))
            goto malformed;
        s->harts_seen |= 1u << h;
        if (rv_arch_get(&s->arch[h], &s->wfi[h], r) != 0)
            goto malformed;
        char why[128];
        if (rv_arch_check(&s->arch[h], &b->harts[h]->arch, why, sizeof(why)) != 0) {
            snprintf(err, errlen, "malformed snapshot: hart %u's %s", h, why);
            return -1;
        }
        return 0;
    } else if (!strcmp(tag, "CLNT")) {
        bit = SEEN_CLNT;
        rc = clint_load(&s->clint, r);
    } else if (!strcmp(tag, "PLIC")) {
        bit = SEEN_PLIC;
        rc = plic_load(&s->plic, r);
    } else if (!strcmp(tag, "UART")) {
        bit = SEEN_UART;
        rc = uart16550_load(&s->uart, r);
    } else if (!strcmp(tag, "RTC_")) {
        bit = SEEN_RTC;
        rc = goldfish_rtc_load(&s->rtc, r);
    } else if (!strcmp(tag, "ROM_")) {
        bit = SEEN_ROM;
        state_get_bytes(r, s->rom, sizeof(s->rom));
        rc = state_r_ok(r) ? 0 : -1;
    } else if (!strcmp(tag, "VIRT")) {
        uint32_t slot = state_get_u32(r);
        if (r->bad || slot >= VIRTIO_MMIO_SLOTS || (s->slots_seen & (1u << slot)))
            goto malformed;
        s->slots_seen |= 1u << slot;
        rc = virtio_mmio_load(&s->virtio[slot], r);
    } else {
        snprintf(err, errlen, "malformed snapshot: unknown section '%s'", tag);
        return -1;
    }
    if (bit) {
        if (*seen & bit)
            goto malformed;
        *seen |= bit;
    }
    if (rc == 0)
        return 0;
malformed:
    snprintf(err, errlen, "malformed snapshot (section %s)", tag);
    return -1;
}

/* Everything is checked and RAM is in: the harts and devices take the
 * staged state, and the board's clock goes on from the saved time. */
static void commit(board *b, const stage *s)
{
    for (unsigned h = 0; h < b->nharts; h++)
        rv_arch_restore(b->harts[h], &s->arch[h], s->wfi[h]);
    b->clint = s->clint;
    b->plic = s->plic;
    b->uart = s->uart;
    b->rtc = s->rtc;
    for (unsigned i = 0; i < VIRTIO_MMIO_SLOTS; i++)
        b->virtio[i] = s->virtio[i];
    memcpy(b->rom, s->rom, sizeof(b->rom));
    b->clock_base_ns = host_monotonic_ns() - s->now_ns;
    b->reboots = s->reboots;
    b->next_hart = s->next_hart;
    b->stop_hart = s->stop_hart;
    b->console_eof = s->console_eof;
    b->power_kind = 0;
    memset(b->code_harts, 0, (size_t)(b->bus.ram_size >> RV_PAGE_SHIFT));
}

/* The RAM_ sections up to END_. 0, or -1 with err set. */
static int load_ram(board *b, state_in *in, char *err, size_t errlen)
{
    if (host_zero_fill(b->host, b->bus.ram, (size_t)b->bus.ram_size, PROT_READ | PROT_WRITE) != 0) {
        snprintf(err, errlen, "cannot clear guest RAM");
        return -1;
    }
    uint64_t next = 0, total = 0; /* RAM_ sections come in rising order */
    char tag[5], why[160];
    state_r r;
    for (;;) {
        int n = state_in_next(in, tag, &r, why, sizeof(why));
        if (n <= 0) {
            snprintf(err, errlen, "%s", n < 0 ? why : "truncated snapshot (no END_ section)");
            return -1;
        }
        if (!strcmp(tag, "END_")) {
            uint64_t saved = state_get_u64(&r);
            if (!state_r_ok(&r) || saved != total) {
                snprintf(err, errlen, "malformed snapshot (section END_)");
                return -1;
            }
            return 0;
        }
        if (strcmp(tag, "RAM_")) {
            snprintf(err, errlen, "malformed snapshot: section '%s' among the RAM sections", tag);
            return -1;
        }
        uint64_t off = state_get_u64(&r);
        uint64_t len = r.len - r.pos;
        if (r.bad || (off & (RV_PAGE_SIZE - 1)) || (len & (RV_PAGE_SIZE - 1)) || len == 0 || off < next ||
            off > b->bus.ram_size || len > b->bus.ram_size - off) {
            snprintf(err, errlen, "malformed snapshot (a RAM section at byte %llu)", (unsigned long long)in->offset);
            return -1;
        }
        state_get_bytes(&r, b->bus.ram + off, (size_t)len);
        next = off + len;
        total += len;
    }
}

int board_snapshot_load(board *b, state_in *in, bool *ruined, char *err, size_t errlen)
{
    *ruined = false;
    if (b->opts.kind != BOARD_VIRT) {
        snprintf(err, errlen, "snapshots need the virt board");
        return -ENOTSUP;
    }
    stage *s = host_alloc(b->host, sizeof(*s));
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    /* Copies of the live devices: their wiring stays, their state is read. */
    s->clint = b->clint;
    s->plic = b->plic;
    s->uart = b->uart;
    s->rtc = b->rtc;
    memcpy(s->virtio, b->virtio, sizeof(s->virtio));
    char tag[5] = "", why[160];
    state_r r;
    int n = state_in_next(in, tag, &r, why, sizeof(why));
    int rc = -EINVAL;
    if (n == 0 || strcmp(tag, "SVMS")) {
        snprintf(err, errlen, "not a splitvm snapshot (no snapshot header at its start)");
        goto out;
    }
    if (n < 0) {
        snprintf(err, errlen, "%s", why);
        goto out;
    }
    uint32_t format = state_get_u32(&r);
    if (!state_r_ok(&r) || format != SNAPSHOT_FORMAT) {
        snprintf(err, errlen, "snapshot format %u is not the one this splitvm reads (%u)", format, SNAPSHOT_FORMAT);
        goto out;
    }
    unsigned seen = 0;
    const unsigned all = SEEN_MACH | SEEN_BORD | SEEN_CLNT | SEEN_PLIC | SEEN_UART | SEEN_RTC | SEEN_ROM;
    while (seen != all || s->harts_seen != (1u << b->nharts) - 1 || s->slots_seen != (1u << VIRTIO_MMIO_SLOTS) - 1) {
        n = state_in_next(in, tag, &r, why, sizeof(why));
        if (n <= 0) {
            snprintf(err, errlen, "%s", n < 0 ? why : "truncated snapshot (sections missing)");
            goto out;
        }
        if (stage_section(b, s, &seen, tag, &r, err, errlen) != 0)
            goto out;
    }
    /* From here on guest RAM changes. */
    *ruined = true;
    if (load_ram(b, in, err, errlen) != 0)
        goto out;
    commit(b, s); /* nothing after END_ is read: the stream may go on with the embedder's data */
    *ruined = false;
    rc = 0;
out:
    host_free(b->host, s);
    return rc;
}
