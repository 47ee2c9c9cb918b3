/* libFuzzer target: the ELF parser (src/loader/elf.c) on arbitrary bytes.
 * Beyond "no crash" (ASan/UBSan watch every read), it checks the promise in
 * elf.h that callers rely on: everything a successful parse reports is
 * inside the file and free of overflow, so a loader can copy segments
 * without further checks. A broken promise aborts, which libFuzzer reports. */
#include "loader/elf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_elf: broken promise: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    elf_image img;
    char err[256];
    memset(err, 'x', sizeof(err)); /* a missing NUL would show as an overread */
    if (elf_parse(data, size, &img, err, sizeof(err)) != 0) {
        size_t n = strnlen(err, sizeof(err));
        require(n > 0 && n < sizeof(err), "a failed parse gives a one-line reason");
        require(memchr(err, '\n', n) == NULL, "the reason is one line");
        return 0;
    }
    require(img.data == data && img.size == size, "the image is the input");
    require(img.nsegs > 0 && img.nsegs <= ELF_MAX_SEGS, "segment count in range");
    require(img.phentsize == 56 && img.phnum > 0, "program header shape");
    require(img.phoff <= size && (uint64_t)img.phnum * 56 <= size - img.phoff, "program headers in the file");
    require(img.lo < img.hi, "lo < hi");
    unsigned sum = 0;
    for (int i = 0; i < img.nsegs; i++) {
        const elf_seg *s = &img.segs[i];
        require(s->memsz > 0 && s->filesz <= s->memsz, "filesz <= memsz");
        require(s->offset <= size && s->filesz <= size - s->offset, "segment bytes in the file");
        require(s->vaddr + s->memsz > s->vaddr && s->paddr + s->memsz > s->paddr, "no address wrap");
        require(s->vaddr >= img.lo && s->vaddr + s->memsz <= img.hi, "segment inside lo..hi");
        /* Read every byte a loader would copy (ASan checks the bounds). */
        for (uint64_t k = 0; k < s->filesz; k++)
            sum += data[s->offset + k];
    }
    if (img.has_interp)
        require(strnlen(img.interp, sizeof(img.interp)) < sizeof(img.interp), "interpreter path terminated");
    uint64_t value;
    if (elf_symbol(&img, "tohost", &value) == 0)
        sum += (unsigned)value;
    elf_symbol(&img, "", &value);
    /* Keep the reads from being optimised away. */
    volatile unsigned sink = sum;
    (void)sink;
    return 0;
}
