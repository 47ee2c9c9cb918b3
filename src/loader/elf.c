/* ELF64 RISC-V parser. Every field read is checked against the file size
 * before use, so a hostile or truncated image yields a one-line error and
 * never an out-of-bounds read. Fields are decoded as little-endian bytes,
 * independent of the host's byte order. */
#include "elf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum {
    EHDR_SIZE = 64,
    PHDR_SIZE = 56,
    SHDR_SIZE = 64,
    SYM_SIZE = 24,
    EM_RISCV = 243,
    ET_EXEC = 2,
    ET_DYN = 3,
    PT_LOAD = 1,
    PT_INTERP = 3,
    PT_PHDR = 6,
    PT_TLS = 7,
    SHT_SYMTAB = 2,
    SHT_STRTAB = 3,
    SHN_UNDEF = 0,
    PN_XNUM = 0xffff,
};

#define ELF_PAGE 4096u

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd16(p) | ((uint32_t)rd16(p + 2) << 16); }
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32); }

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

/* True if [off, off+len) lies inside a file of `size` bytes. */
static int in_file(uint64_t off, uint64_t len, size_t size)
{
    return off <= size && len <= size - off;
}

static const char *machine_name(unsigned m)
{
    switch (m) {
    case 3: return "i386";
    case 8: return "MIPS";
    case 20: return "PowerPC";
    case 21: return "PowerPC64";
    case 22: return "s390";
    case 40: return "ARM";
    case 62: return "x86-64";
    case 183: return "AArch64";
    case 243: return "RISC-V";
    case 258: return "LoongArch";
    default: return "unknown";
    }
}

static int is_pow2(uint64_t v) { return v && !(v & (v - 1)); }

/* Header identification and the fixed fields every caller relies on. */
static int check_header(const uint8_t *d, size_t size, char *err, size_t errlen)
{
    if (size < 4 || memcmp(d, "\177ELF", 4) != 0)
        return fail(err, errlen, "not an ELF file");
    if (size < EHDR_SIZE)
        return fail(err, errlen, "truncated ELF: file is %zu bytes, shorter than the ELF header", size);
    if (d[4] != 2)
        return fail(err, errlen, "ELF class %u is not 64-bit; RISC-V programs here must be ELF64 (RV64)", d[4]);
    if (d[5] != 1)
        return fail(err, errlen, "ELF data encoding %u is not little-endian", d[5]);
    if (d[6] != 1)
        return fail(err, errlen, "unsupported ELF version %u", d[6]);
    unsigned machine = rd16(d + 18);
    if (machine != EM_RISCV)
        return fail(err, errlen, "ELF is for machine %u (%s), not RISC-V", machine, machine_name(machine));
    unsigned type = rd16(d + 16);
    if (type != ET_EXEC && type != ET_DYN)
        return fail(err, errlen, "ELF type %u is not an executable (need ET_EXEC or ET_DYN)", type);
    if (rd32(d + 20) != 1)
        return fail(err, errlen, "unsupported ELF version %u", (unsigned)rd32(d + 20));
    if (rd16(d + 52) < EHDR_SIZE)
        return fail(err, errlen, "bad ELF header size %u", (unsigned)rd16(d + 52));
    return 0;
}

static int parse_load(const uint8_t *ph, size_t size, elf_image *out, char *err, size_t errlen)
{
    elf_seg s;
    s.flags = rd32(ph + 4);
    s.offset = rd64(ph + 8);
    s.vaddr = rd64(ph + 16);
    s.paddr = rd64(ph + 24);
    s.filesz = rd64(ph + 32);
    s.memsz = rd64(ph + 40);
    s.align = rd64(ph + 48);
    if (s.memsz == 0)
        return 0; /* nothing to load; Linux skips these too */
    if (out->nsegs >= ELF_MAX_SEGS)
        return fail(err, errlen, "too many loadable segments (more than %d)", ELF_MAX_SEGS);
    if (s.filesz > s.memsz)
        return fail(err, errlen, "bad ELF: segment at 0x%llx has file size 0x%llx larger than memory size 0x%llx",
                    (unsigned long long)s.vaddr, (unsigned long long)s.filesz, (unsigned long long)s.memsz);
    if (!in_file(s.offset, s.filesz, size))
        return fail(err, errlen, "truncated ELF: segment at 0x%llx extends beyond end of file",
                    (unsigned long long)s.vaddr);
    if (s.vaddr + s.memsz < s.vaddr || s.paddr + s.memsz < s.paddr)
        return fail(err, errlen, "bad ELF: segment at 0x%llx (size 0x%llx) wraps around the address space",
                    (unsigned long long)s.vaddr, (unsigned long long)s.memsz);
    if (s.align > 1) {
        if (!is_pow2(s.align))
            return fail(err, errlen, "bad ELF: segment alignment 0x%llx is not a power of two",
                        (unsigned long long)s.align);
        /* The ELF rule p_vaddr == p_offset (mod p_align), checked up to the page size. */
        uint64_t m = (s.align < ELF_PAGE ? s.align : ELF_PAGE) - 1;
        if ((s.vaddr & m) != (s.offset & m))
            return fail(err, errlen, "bad ELF: segment at 0x%llx is misaligned with its file offset 0x%llx",
                        (unsigned long long)s.vaddr, (unsigned long long)s.offset);
    }
    if (out->nsegs == 0 || s.vaddr < out->lo)
        out->lo = s.vaddr;
    if (out->nsegs == 0 || s.vaddr + s.memsz > out->hi)
        out->hi = s.vaddr + s.memsz;
    out->segs[out->nsegs++] = s;
    return 0;
}

static int parse_interp(const uint8_t *d, const uint8_t *ph, size_t size, elf_image *out, char *err,
                        size_t errlen)
{
    uint64_t off = rd64(ph + 8), len = rd64(ph + 32);
    if (!in_file(off, len, size))
        return fail(err, errlen, "truncated ELF: interpreter path beyond end of file");
    if (len == 0 || len > sizeof(out->interp))
        return fail(err, errlen, "bad ELF: interpreter path of %llu bytes", (unsigned long long)len);
    size_t n = strnlen((const char *)d + off, (size_t)len);
    if (n == len)
        return fail(err, errlen, "bad ELF: interpreter path is not NUL-terminated");
    memcpy(out->interp, d + off, n);
    out->interp[n] = 0;
    out->has_interp = 1;
    return 0;
}

int elf_parse(const uint8_t *data, size_t size, elf_image *out, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = 0;
    memset(out, 0, sizeof(*out));
    if (!data)
        return fail(err, errlen, "not an ELF file");
    if (check_header(data, size, err, errlen))
        return -1;

    out->data = data;
    out->size = size;
    out->is_dyn = rd16(data + 16) == ET_DYN;
    out->entry = rd64(data + 24);
    out->phoff = rd64(data + 32);
    out->phentsize = rd16(data + 54);
    out->phnum = rd16(data + 56);

    if (out->phnum == 0)
        return fail(err, errlen, "bad ELF: no program headers");
    if (out->phnum == PN_XNUM)
        return fail(err, errlen, "bad ELF: extended program header count is not supported");
    if (out->phentsize != PHDR_SIZE)
        return fail(err, errlen, "bad ELF: program header entry size %u (expected %u)", out->phentsize,
                    (unsigned)PHDR_SIZE);
    if (!in_file(out->phoff, (uint64_t)out->phnum * PHDR_SIZE, size))
        return fail(err, errlen, "truncated ELF: program headers beyond end of file");

    int have_phdr = 0;
    for (unsigned i = 0; i < out->phnum; i++) {
        const uint8_t *ph = data + out->phoff + (uint64_t)i * PHDR_SIZE;
        uint32_t type = rd32(ph);
        int r = 0;
        if (type == PT_LOAD) {
            r = parse_load(ph, size, out, err, errlen);
        } else if (type == PT_INTERP) {
            r = parse_interp(data, ph, size, out, err, errlen);
        } else if (type == PT_PHDR) {
            out->phdr_vaddr = rd64(ph + 16);
            have_phdr = 1;
        } else if (type == PT_TLS) {
            out->tls_memsz = rd64(ph + 40);
            out->tls_align = rd64(ph + 48);
            if (out->tls_align > 1 && !is_pow2(out->tls_align))
                return fail(err, errlen, "bad ELF: TLS alignment 0x%llx is not a power of two",
                            (unsigned long long)out->tls_align);
        }
        if (r)
            return -1;
    }
    if (out->nsegs == 0)
        return fail(err, errlen, "bad ELF: no loadable segments");

    /* Without PT_PHDR, the headers are in memory when a segment's file
     * bytes cover them. */
    if (!have_phdr) {
        uint64_t len = (uint64_t)out->phnum * PHDR_SIZE;
        for (int i = 0; i < out->nsegs; i++) {
            const elf_seg *s = &out->segs[i];
            if (out->phoff >= s->offset && out->phoff - s->offset <= s->filesz &&
                len <= s->filesz - (out->phoff - s->offset)) {
                out->phdr_vaddr = s->vaddr + (out->phoff - s->offset);
                break;
            }
        }
    }
    return 0;
}

/* Section header i, or NULL if it lies outside the file. */
static const uint8_t *shdr(const elf_image *img, uint64_t shoff, uint64_t shnum, uint64_t i)
{
    if (i >= shnum)
        return NULL;
    return img->data + shoff + i * SHDR_SIZE;
}

int elf_symbol(const elf_image *img, const char *name, uint64_t *value)
{
    if (!img || !img->data || img->size < EHDR_SIZE || !name)
        return -1;
    const uint8_t *d = img->data;
    uint64_t shoff = rd64(d + 40);
    unsigned shentsize = rd16(d + 58);
    uint64_t shnum = rd16(d + 60);
    if (shoff == 0 || shentsize != SHDR_SIZE)
        return -1;
    if (!in_file(shoff, SHDR_SIZE, img->size))
        return -1;
    if (shnum == 0) /* extended numbering: the count is in section 0's sh_size */
        shnum = rd64(d + shoff + 32);
    if (shnum > img->size / SHDR_SIZE || !in_file(shoff, shnum * SHDR_SIZE, img->size))
        return -1;

    size_t want = strlen(name);
    for (uint64_t i = 0; i < shnum; i++) {
        const uint8_t *sh = shdr(img, shoff, shnum, i);
        if (rd32(sh + 4) != SHT_SYMTAB)
            continue;
        uint64_t symoff = rd64(sh + 24), symsize = rd64(sh + 32), entsize = rd64(sh + 56);
        const uint8_t *str = shdr(img, shoff, shnum, rd32(sh + 40));
        if (entsize != SYM_SIZE || !str || rd32(str + 4) != SHT_STRTAB)
            continue;
        uint64_t stroff = rd64(str + 24), strsize = rd64(str + 32);
        if (!in_file(symoff, symsize, img->size) || !in_file(stroff, strsize, img->size))
            continue;
        for (uint64_t k = 0; k + SYM_SIZE <= symsize; k += SYM_SIZE) {
            const uint8_t *sym = d + symoff + k;
            uint32_t nameoff = rd32(sym);
            uint16_t shndx = rd16(sym + 6);
            if (shndx == SHN_UNDEF || nameoff >= strsize || strsize - nameoff <= want)
                continue;
            const char *s = (const char *)d + stroff + nameoff;
            /* The name must match and be NUL-terminated inside the table. */
            if (memcmp(s, name, want) == 0 && s[want] == 0) {
                *value = rd64(sym + 8);
                return 0;
            }
        }
    }
    return -1;
}
