/* Host-process resource counts for the leak tests (Linux /proc): open file
 * descriptors and memory mappings of this process. */
#ifndef SPLITVM_TESTS_PROC_USAGE_H
#define SPLITVM_TESTS_PROC_USAGE_H

#include <dirent.h>
#include <stdio.h>

/* Open fds, not counting the one used to list them; -1 if unknown. */
static inline int proc_count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1;
}

/* Lines of /proc/self/maps (one per mapping); -1 if unknown. */
static inline int proc_count_maps(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return -1;
    int n = 0, c;
    while ((c = fgetc(f)) != EOF)
        if (c == '\n')
            n++;
    fclose(f);
    return n;
}

#endif
