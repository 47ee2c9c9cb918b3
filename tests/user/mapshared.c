/* Writable MAP_SHARED file mappings: stores reach the file (after msync,
 * munmap or exit), survive closing the fd, never grow the file, and a
 * MAP_PRIVATE mapping of the same file keeps its stores to itself.
 * usage: mapshared DIR (a scratch directory); then mapshared DIR check
 * prints what the first run's exit left in the file. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

static char path[512];

static void show_file(const char *what, size_t n)
{
    char buf[64] = {0};
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    CHECK(pread(fd, buf, n, 0) == (ssize_t)n);
    struct stat st;
    CHECK(fstat(fd, &st) == 0);
    close(fd);
    for (size_t i = 0; i < n; i++)
        if (!buf[i])
            buf[i] = '.';
    printf("%s: \"%.*s\" (size %lld)\n", what, (int)n, buf, (long long)st.st_size);
}

int main(int argc, char **argv)
{
    CHECK(argc == 2 || argc == 3);
    snprintf(path, sizeof(path), "%s/data", argv[1]);
    if (argc == 3) {
        int cfd = open(path, O_RDONLY);
        char at_exit[8] = {0};
        CHECK(cfd >= 0 && pread(cfd, at_exit, 7, 4096) == 7);
        printf("left at exit: \"%s\"\n", at_exit);
        return 0;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "hello shared world", 18) == 18);

    /* A shared mapping: stores reach the file at msync. */
    char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    memcpy(m, "HELLO", 5);
    CHECK(msync(m, 4096, MS_SYNC) == 0);
    show_file("after msync", 18);

    /* The fd closed: the mapping still writes to the file, at munmap. */
    close(fd);
    memcpy(m + 6, "SHARED", 6);
    m[100] = 'x'; /* past the end of the file: not written, no growth */
    CHECK(munmap(m, 4096) == 0);
    show_file("after munmap", 18);

    /* A private mapping keeps its stores. */
    fd = open(path, O_RDWR);
    CHECK(fd >= 0);
    char *pm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(pm != MAP_FAILED);
    memcpy(pm, "private", 7);
    CHECK(munmap(pm, 4096) == 0);
    show_file("after a private mapping", 18);

    /* Read-only fd: a writable shared mapping is refused. */
    int ro = open(path, O_RDONLY);
    errno = 0;
    void *bad = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
    printf("shared writable on a read-only fd: %s %s\n", bad == MAP_FAILED ? "refused" : "mapped", strerror(errno));
    close(ro);

    /* Two pages, the first unmapped alone: the second still writes back. */
    CHECK(ftruncate(fd, 8192) == 0);
    char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(two != MAP_FAILED);
    two[0] = 'A';
    two[4096] = 'B';
    CHECK(munmap(two, 4096) == 0);
    two[4097] = 'C';
    CHECK(msync(two + 4096, 4096, MS_SYNC) == 0);
    char b3[3];
    CHECK(pread(fd, b3, 1, 0) == 1 && pread(fd, b3 + 1, 2, 4096) == 2);
    printf("split mapping: %c%c%c\n", b3[0], b3[1], b3[2]);

    /* The last stores reach the file when the program exits. */
    memcpy(two + 4096, "at exit", 7);
    close(fd);
    return 0;
}
