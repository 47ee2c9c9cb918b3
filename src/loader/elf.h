/* ELF64 RISC-V image parsing, shared by user mode and the boards.
 * The parser validates everything it reports (header, program headers,
 * segment bounds inside the file, overflow-free address ranges), so callers
 * can copy segments without further checks. */
#ifndef SPLITVM_ELF_H
#define SPLITVM_ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGS 32

enum { ELF_PF_X = 1, ELF_PF_W = 2, ELF_PF_R = 4 };

typedef struct elf_seg {
    uint64_t vaddr, paddr, memsz, filesz, offset, align;
    uint32_t flags; /* ELF_PF_* */
} elf_seg;

typedef struct elf_image {
    const uint8_t *data; /* the whole file, owned by the caller */
    size_t size;
    int is_dyn;          /* ET_DYN (static-pie) rather than ET_EXEC */
    uint64_t entry;
    uint64_t phoff;      /* file offset of the program headers */
    uint16_t phentsize, phnum;
    uint64_t phdr_vaddr; /* vaddr of the program headers (PT_PHDR, or derived), 0 if not loaded */
    int has_interp;      /* PT_INTERP present (dynamic executable) */
    char interp[256];
    int nsegs;           /* PT_LOAD segments, in file order */
    elf_seg segs[ELF_MAX_SEGS];
    uint64_t lo, hi;     /* lowest and highest (exclusive) vaddr of PT_LOADs */
    uint64_t tls_memsz, tls_align;
} elf_image;

/* Parse and validate. Returns 0, or -1 with a one-line reason in err. */
int elf_parse(const uint8_t *data, size_t size, elf_image *out, char *err, size_t errlen);
/* Look up a symbol in .symtab. Returns 0 and sets *value, or -1. */
int elf_symbol(const elf_image *img, const char *name, uint64_t *value);

#endif
