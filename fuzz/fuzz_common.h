/* Shared parts of the API fuzz targets: the input as a host file path (a
 * memfd, so nothing touches the disk), a bounded run, and the resource check
 * that follows every svm_destroy (the host layer must give back every fd). */
#ifndef SPLITVM_FUZZ_COMMON_H
#define SPLITVM_FUZZ_COMMON_H

#include "splitvm.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Put the input in a memfd made once; return a path the loaders can open. */
static inline const char *fuzz_input_path(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("splitvm-fuzz-input", MFD_CLOEXEC);
        if (fd < 0) {
            perror("memfd_create");
            abort();
        }
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size)) {
        perror("fuzz input");
        abort();
    }
    return path;
}

/* Open file descriptors of this process. */
static inline int fuzz_count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        abort();
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

/* Run in slices of `slice` instructions until the guest stops for another
 * reason than the budget or `slices` slices are spent. Every svm_run must
 * come back (a hang is a libFuzzer timeout) with a known stop reason. */
static inline void fuzz_run(svm_machine *m, uint64_t slice, int slices)
{
    for (int i = 0; i < slices; i++) {
        svm_stop st;
        int r = svm_run(m, slice, &st);
        if ((unsigned)st.reason > SVM_STOP_ERROR) {
            fprintf(stderr, "fuzz: svm_run gave stop reason %d\n", (int)st.reason);
            abort();
        }
        if (r != SVM_OK || st.reason != SVM_STOP_BUDGET)
            return;
    }
}

/* svm_destroy must release every fd the machine took. */
static inline void fuzz_check_fds(int before, const char *target)
{
    int after = fuzz_count_fds();
    if (after != before) {
        fprintf(stderr, "%s: %d file descriptors before the machine, %d after svm_destroy\n", target, before,
                after);
        abort();
    }
}

#endif
