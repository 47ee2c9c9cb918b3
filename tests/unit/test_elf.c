/* Unit test for the ELF parser: a valid synthetic image, then one broken
 * variant per check (truncation, class, byte order, machine, header bounds,
 * segment sizes, address overflow, segment count), symbol lookup, and every
 * truncation / many single-byte corruptions of a valid image (which must be
 * rejected or parsed, never crash). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/loader/elf.h"
#include "../common/host_check.h"

static void w16(uint8_t *p, uint64_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void w32(uint8_t *p, uint64_t v) { w16(p, v); w16(p + 2, v >> 16); }
static void w64(uint8_t *p, uint64_t v) { w32(p, v); w32(p + 4, v >> 32); }

enum { PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_TLS = 7 };

/* Image layout: ehdr @0, phdrs @64 (up to 40), text @0x1000, data @0x2000,
 * strtab/symtab/shdrs after that. */
#define IMG_SIZE 0x4000
#define TEXT_VA 0x10000
#define DATA_VA 0x12000

static uint8_t img[IMG_SIZE];

static uint8_t *phdr(int i) { return img + 64 + 56 * i; }

static void set_phdr(int i, uint32_t type, uint32_t flags, uint64_t off, uint64_t va, uint64_t filesz,
                     uint64_t memsz, uint64_t align)
{
    uint8_t *p = phdr(i);
    w32(p, type);
    w32(p + 4, flags);
    w64(p + 8, off);
    w64(p + 16, va);
    w64(p + 24, va);
    w64(p + 32, filesz);
    w64(p + 40, memsz);
    w64(p + 48, align);
}

/* A valid static executable with a symbol table naming "tohost" and "main". */
static void build_valid(void)
{
    memset(img, 0, sizeof(img));
    memcpy(img, "\177ELF", 4);
    img[4] = 2; /* ELFCLASS64 */
    img[5] = 1; /* little-endian */
    img[6] = 1;
    w16(img + 16, 2);   /* ET_EXEC */
    w16(img + 18, 243); /* EM_RISCV */
    w32(img + 20, 1);
    w64(img + 24, TEXT_VA + 0x10); /* entry */
    w64(img + 32, 64);             /* phoff */
    w16(img + 52, 64);
    w16(img + 54, 56);
    w16(img + 56, 3);
    /* text covers the file from 0 (so the headers are in memory), data has bss. */
    set_phdr(0, PT_LOAD, ELF_PF_R | ELF_PF_X, 0, TEXT_VA, 0x1100, 0x1100, 0x1000);
    set_phdr(1, PT_LOAD, ELF_PF_R | ELF_PF_W, 0x2000, DATA_VA, 0x100, 0x3000, 0x1000);
    set_phdr(2, PT_TLS, ELF_PF_R, 0x2000, DATA_VA, 0x10, 0x20, 16);

    /* Sections: [0] null, [1] .strtab, [2] .symtab. */
    const uint64_t stroff = 0x3000, symoff = 0x3100, shoff = 0x3200;
    const char strs[] = "\0main\0tohost\0undef";
    memcpy(img + stroff, strs, sizeof(strs));
    uint8_t *sym = img + symoff; /* [0] null, [1] main, [2] tohost, [3] undef (SHN_UNDEF) */
    w32(sym + 24, 1);
    w16(sym + 24 + 6, 1);
    w64(sym + 24 + 8, TEXT_VA + 0x10);
    w32(sym + 48, 6);
    w16(sym + 48 + 6, 1);
    w64(sym + 48 + 8, DATA_VA + 0x40);
    w32(sym + 72, 13);
    w16(sym + 72 + 6, 0);
    w64(sym + 72 + 8, 0x1234);
    uint8_t *sh = img + shoff;
    w32(sh + 64 + 4, 3); /* SHT_STRTAB */
    w64(sh + 64 + 24, stroff);
    w64(sh + 64 + 32, sizeof(strs));
    w32(sh + 128 + 4, 2); /* SHT_SYMTAB */
    w64(sh + 128 + 24, symoff);
    w64(sh + 128 + 32, 4 * 24);
    w32(sh + 128 + 40, 1); /* sh_link -> .strtab */
    w64(sh + 128 + 56, 24);
    w64(img + 40, shoff);
    w16(img + 58, 64);
    w16(img + 60, 3);
}

static int parse(size_t size, elf_image *out, char *err)
{
    return elf_parse(img, size, out, err, 200);
}

/* Expect a parse failure whose message contains `want`. */
static void expect_error(const char *what, size_t size, const char *want)
{
    elf_image e;
    char err[200] = "";
    int r = parse(size, &e, err);
    CHECK(r == -1, "%s: accepted", what);
    CHECK(strstr(err, want) != NULL, "%s: message '%s' lacks '%s'", what, err, want);
    CHECK(strchr(err, '\n') == NULL, "%s: message is not one line", what);
}

static void test_valid(void)
{
    build_valid();
    elf_image e;
    char err[200] = "";
    CHECK(parse(IMG_SIZE, &e, err) == 0, "valid image rejected: %s", err);
    CHECK(e.nsegs == 2, "nsegs %d", e.nsegs);
    CHECK(!e.is_dyn, "is_dyn");
    CHECK(e.entry == TEXT_VA + 0x10, "entry");
    CHECK(e.lo == TEXT_VA && e.hi == DATA_VA + 0x3000, "lo/hi 0x%llx 0x%llx", (unsigned long long)e.lo,
          (unsigned long long)e.hi);
    CHECK(e.phdr_vaddr == TEXT_VA + 64, "derived phdr_vaddr 0x%llx", (unsigned long long)e.phdr_vaddr);
    CHECK(e.phnum == 3 && e.phentsize == 56 && e.phoff == 64, "phdr fields");
    CHECK(e.tls_memsz == 0x20 && e.tls_align == 16, "tls");
    CHECK(e.segs[0].flags == (ELF_PF_R | ELF_PF_X) && e.segs[1].memsz == 0x3000, "segment fields");
    CHECK(!e.has_interp, "interp");

    uint64_t v = 0;
    CHECK(elf_symbol(&e, "tohost", &v) == 0 && v == DATA_VA + 0x40, "tohost");
    CHECK(elf_symbol(&e, "main", &v) == 0 && v == TEXT_VA + 0x10, "main");
    CHECK(elf_symbol(&e, "undef", &v) == -1, "undefined symbols are not found");
    CHECK(elf_symbol(&e, "mai", &v) == -1, "prefix must not match");
    CHECK(elf_symbol(&e, "nosuch", &v) == -1, "missing symbol");
}

static void test_variants(void)
{
    build_valid();
    elf_image e;
    char err[200];

    /* ET_DYN, PT_PHDR and PT_INTERP are recorded. */
    w16(img + 16, 3);
    set_phdr(2, PT_PHDR, ELF_PF_R, 64, TEXT_VA + 64, 3 * 56, 3 * 56, 8);
    CHECK(parse(IMG_SIZE, &e, err) == 0 && e.is_dyn && e.phdr_vaddr == TEXT_VA + 64, "ET_DYN + PT_PHDR: %s",
          err);
    build_valid();
    memcpy(img + 0x1080, "/lib/ld-linux-riscv64-lp64d.so.1", 33);
    set_phdr(2, PT_INTERP, ELF_PF_R, 0x1080, TEXT_VA + 0x1080, 33, 33, 1);
    CHECK(parse(IMG_SIZE, &e, err) == 0 && e.has_interp && strcmp(e.interp, "/lib/ld-linux-riscv64-lp64d.so.1") == 0,
          "PT_INTERP: %s", err);
    /* An interpreter string without its NUL is refused. */
    set_phdr(2, PT_INTERP, ELF_PF_R, 0x1080, TEXT_VA + 0x1080, 32, 32, 1);
    CHECK(parse(IMG_SIZE, &e, err) == -1, "unterminated PT_INTERP accepted");
    /* Headers not covered by any segment: phdr_vaddr stays 0. */
    build_valid();
    set_phdr(0, PT_LOAD, ELF_PF_R | ELF_PF_X, 0x1000, TEXT_VA, 0x100, 0x100, 0x1000);
    CHECK(parse(IMG_SIZE, &e, err) == 0 && e.phdr_vaddr == 0, "phdrs outside segments: %s", err);
    /* A zero-size PT_LOAD is skipped. */
    build_valid();
    set_phdr(2, PT_LOAD, ELF_PF_R, 0, 0x50000, 0, 0, 0x1000);
    CHECK(parse(IMG_SIZE, &e, err) == 0 && e.nsegs == 2, "empty PT_LOAD: %s", err);
}

static void test_bad_inputs(void)
{
    elf_image e;
    char err[200];
    CHECK(elf_parse(NULL, 0, &e, err, sizeof(err)) == -1, "NULL accepted");

    build_valid();
    memcpy(img, "#!/bin", 6);
    expect_error("not ELF", IMG_SIZE, "not an ELF file");
    build_valid();
    expect_error("3 bytes", 3, "not an ELF file");
    expect_error("truncated header", 40, "truncated ELF");

    build_valid();
    img[4] = 1;
    expect_error("ELF32", IMG_SIZE, "64-bit");
    build_valid();
    img[5] = 2;
    expect_error("big-endian", IMG_SIZE, "little-endian");
    build_valid();
    w16(img + 18, 62);
    expect_error("x86-64", IMG_SIZE, "ELF is for machine 62 (x86-64), not RISC-V");
    build_valid();
    w16(img + 18, 183);
    expect_error("aarch64", IMG_SIZE, "machine 183 (AArch64)");
    build_valid();
    w16(img + 16, 1);
    expect_error("ET_REL", IMG_SIZE, "not an executable");
    build_valid();
    w16(img + 16, 4);
    expect_error("ET_CORE", IMG_SIZE, "not an executable");

    build_valid();
    w64(img + 32, IMG_SIZE - 10);
    expect_error("phdrs past end", IMG_SIZE, "truncated ELF: program headers beyond end of file");
    build_valid();
    w64(img + 32, UINT64_MAX - 8);
    expect_error("phoff overflow", IMG_SIZE, "program headers beyond end of file");
    build_valid();
    expect_error("file cut inside phdrs", 64 + 56 * 2, "program headers beyond end of file");
    build_valid();
    w16(img + 54, 32);
    expect_error("phentsize", IMG_SIZE, "entry size");
    build_valid();
    w16(img + 56, 0);
    expect_error("no phdrs", IMG_SIZE, "no program headers");
    build_valid();
    w16(img + 56, 0xffff);
    expect_error("PN_XNUM", IMG_SIZE, "extended");

    build_valid();
    set_phdr(1, PT_LOAD, ELF_PF_R | ELF_PF_W, 0x2000, DATA_VA, 0x200, 0x100, 0x1000);
    expect_error("filesz > memsz", IMG_SIZE, "larger than memory size");
    build_valid();
    set_phdr(1, PT_LOAD, ELF_PF_R | ELF_PF_W, 0x2000, DATA_VA, IMG_SIZE, IMG_SIZE, 0x1000);
    expect_error("segment past end", IMG_SIZE, "beyond end of file");
    build_valid();
    set_phdr(1, PT_LOAD, ELF_PF_R | ELF_PF_W, UINT64_MAX - 0x10, DATA_VA, 0x100, 0x100, 1);
    expect_error("offset+filesz overflow", IMG_SIZE, "beyond end of file");
    build_valid();
    set_phdr(1, PT_LOAD, ELF_PF_R | ELF_PF_W, 0x2000, UINT64_MAX - 0xfff, 0x100, 0x2000, 0x1000);
    expect_error("vaddr+memsz overflow", IMG_SIZE, "wraps around");
    build_valid();
    set_phdr(1, PT_LOAD, ELF_PF_R | ELF_PF_W, 0x2000, DATA_VA, 0x100, 0x100, 0x1800);
    expect_error("align not power of two", IMG_SIZE, "power of two");
    build_valid();
    set_phdr(1, PT_LOAD, ELF_PF_R | ELF_PF_W, 0x2000, DATA_VA + 0x10, 0x100, 0x100, 0x1000);
    expect_error("vaddr/offset incongruent", IMG_SIZE, "misaligned");

    build_valid();
    w16(img + 56, 40);
    for (int i = 0; i < 40; i++)
        set_phdr(i, PT_LOAD, ELF_PF_R, 0x2000, DATA_VA + 0x1000 * (uint64_t)i, 0x10, 0x10, 0x1000);
    expect_error("too many segments", IMG_SIZE, "too many loadable segments");

    build_valid();
    w16(img + 56, 1);
    set_phdr(0, PT_TLS, ELF_PF_R, 0x2000, DATA_VA, 0x10, 0x10, 16);
    expect_error("no PT_LOAD", IMG_SIZE, "no loadable segments");
}

/* Symbol lookup with a damaged section table never reads out of bounds
 * (run under ASan to see it). */
static void test_bad_sections(void)
{
    elf_image e;
    char err[200];
    uint64_t v;
    build_valid();
    w64(img + 40, IMG_SIZE - 100); /* shoff near the end */
    CHECK(parse(IMG_SIZE, &e, err) == 0 && elf_symbol(&e, "tohost", &v) == -1, "shoff past end");
    build_valid();
    w16(img + 60, 0xfff0); /* shnum huge */
    CHECK(parse(IMG_SIZE, &e, err) == 0 && elf_symbol(&e, "tohost", &v) == -1, "shnum huge");
    build_valid();
    w64(img + 0x3200 + 128 + 32, 0x100000); /* symtab size past end */
    CHECK(parse(IMG_SIZE, &e, err) == 0 && elf_symbol(&e, "tohost", &v) == -1, "symtab past end");
    build_valid();
    w32(img + 0x3200 + 128 + 40, 77); /* sh_link out of range */
    CHECK(parse(IMG_SIZE, &e, err) == 0 && elf_symbol(&e, "tohost", &v) == -1, "bad sh_link");
    build_valid();
    w64(img + 0x3200 + 64 + 32, 8); /* strtab cut inside "tohost" */
    CHECK(parse(IMG_SIZE, &e, err) == 0 && elf_symbol(&e, "tohost", &v) == -1, "name past strtab end");
    build_valid();
    w32(img + 0x3100 + 48, 0xffffff); /* st_name out of range */
    CHECK(parse(IMG_SIZE, &e, err) == 0 && elf_symbol(&e, "tohost", &v) == -1, "bad st_name");
}

/* Every truncation and many corruptions: parse, look up, never crash. The
 * parsed data is copied into an exact-size heap block so ASan sees overruns. */
static void test_fuzz(void)
{
    build_valid();
    static uint8_t orig[IMG_SIZE];
    memcpy(orig, img, IMG_SIZE);
    int ok = 1;
    for (size_t n = 0; n <= IMG_SIZE; n += (n < 0x400 ? 1 : 61)) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, orig, n);
        elf_image e;
        char err[200];
        uint64_t v;
        if (elf_parse(copy, n, &e, err, sizeof(err)) == 0)
            (void)elf_symbol(&e, "tohost", &v);
        else if (err[0] == 0)
            ok = 0;
        free(copy);
    }
    CHECK(ok, "truncations: an error without a message");
    unsigned seed = 12345;
    for (int iter = 0; iter < 20000; iter++) {
        memcpy(img, orig, IMG_SIZE);
        for (int k = 0; k < 4; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % (iter & 1 ? 0x300 : IMG_SIZE);
            seed = seed * 1103515245u + 12345u;
            img[pos] = (uint8_t)(seed >> 16);
        }
        uint8_t *copy = malloc(IMG_SIZE);
        memcpy(copy, img, IMG_SIZE);
        elf_image e;
        char err[200];
        uint64_t v;
        if (elf_parse(copy, IMG_SIZE, &e, err, sizeof(err)) == 0) {
            (void)elf_symbol(&e, "tohost", &v);
            /* What the parser accepts must satisfy what it promises. */
            for (int i = 0; i < e.nsegs; i++) {
                const elf_seg *s = &e.segs[i];
                if (s->filesz > s->memsz || s->offset > IMG_SIZE || s->filesz > IMG_SIZE - s->offset ||
                    s->vaddr + s->memsz < s->vaddr)
                    ok = 0;
            }
        }
        free(copy);
    }
    CHECK(ok, "fuzzed images broke the parser's promises");
}

int main(void)
{
    test_valid();
    test_variants();
    test_bad_inputs();
    test_bad_sections();
    test_fuzz();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
