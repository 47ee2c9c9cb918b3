/* The few zlib calls minisat's DIMACS reader makes, served by stdio, so the
 * benchmark's minisat builds need no zlib for either target (its inputs are
 * plain text). Only for scripts/build-realbench.sh. */
#ifndef SPLITVM_BENCH_ZLIB_SHIM_H
#define SPLITVM_BENCH_ZLIB_SHIM_H
#include <stdio.h>

typedef FILE *gzFile;

static inline gzFile gzopen(const char *path, const char *mode) { return fopen(path, mode); }
static inline gzFile gzdopen(int fd, const char *mode) { return fdopen(fd, mode); }
static inline int gzread(gzFile f, void *buf, unsigned len) { return (int)fread(buf, 1, len, f); }
static inline int gzclose(gzFile f) { return fclose(f); }

#endif
