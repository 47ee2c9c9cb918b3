/* The guest's own /proc: its mappings, its program, its status, its fds and
 * the emulated hart, as the guest (not the emulator) is.
 *
 * Without arguments it prints only what Linux, qemu-user and splitvm agree
 * on (compared with qemu). With "strict" it also checks what qemu-user gets
 * wrong and Linux does not (qemu passes the host's own status, comm and
 * the emulator's stat of /proc/self/exe through, and lets maps be opened
 * for writing): run under splitvm alone. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

static char buf[1 << 16];

static size_t slurp(const char *path)
{
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    size_t n = 0;
    ssize_t r;
    while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
        n += (size_t)r;
    CHECK(r == 0);
    close(fd);
    buf[n] = 0;
    return n;
}

/* The maps line that holds addr, or NULL. */
static const char *maps_line(uintptr_t addr, char *line, size_t cap)
{
    slurp("/proc/self/maps");
    for (char *s = buf; *s;) {
        char *nl = strchr(s, '\n');
        unsigned long lo, hi;
        if (sscanf(s, "%lx-%lx", &lo, &hi) == 2 && addr >= lo && addr < hi) {
            size_t len = nl ? (size_t)(nl - s) : strlen(s);
            if (len >= cap)
                len = cap - 1;
            memcpy(line, s, len);
            line[len] = 0;
            return line;
        }
        if (!nl)
            break;
        s = nl + 1;
    }
    return NULL;
}

static char perms(const char *line, int i)
{
    const char *sp = strchr(line, ' ');
    return sp ? sp[1 + i] : '?';
}

/* A line printed always; a check only in strict mode. */
#define STRICT(cond)                                                        \
    do {                                                                    \
        if (strict)                                                         \
            CHECK(cond);                                                    \
    } while (0)

int main(int argc, char **argv)
{
    int strict = argc > 1 && strcmp(argv[1], "strict") == 0;
    char line[512];
    int local = 0;
    /* The stack, the code and a fresh mapping, with their protections. */
    CHECK(maps_line((uintptr_t)&local, line, sizeof(line)));
    printf("stack: %s, %c%c\n", strstr(line, "[stack]") ? "named" : "unnamed", perms(line, 0), perms(line, 1));
    CHECK(maps_line((uintptr_t)&main, line, sizeof(line)));
    printf("code: %c%c%c\n", perms(line, 0), perms(line, 1), perms(line, 2));
    char *m = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED);
    CHECK(mprotect(m + 4096, 4096, PROT_READ | PROT_WRITE) == 0);
    CHECK(maps_line((uintptr_t)m + 4096, line, sizeof(line)));
    unsigned long lo, hi;
    CHECK(sscanf(line, "%lx-%lx", &lo, &hi) == 2);
    printf("mprotect'ed page: %c%c%c%c, %lu bytes\n", perms(line, 0), perms(line, 1), perms(line, 2),
           perms(line, 3), hi - lo);
    CHECK(munmap(m, 3 * 4096) == 0);
    printf("unmapped: %s\n", maps_line((uintptr_t)m + 4096, line, sizeof(line)) ? "still listed" : "gone");

    /* /proc/self/exe is the program the guest runs. */
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    CHECK(n > 0);
    exe[n] = 0;
    char real[4096];
    CHECK(realpath(argv[0], real));
    printf("exe is argv[0]: %s\n", strcmp(exe, real) == 0 ? "yes" : "no");
    struct stat a, b;
    CHECK(stat("/proc/self/exe", &a) == 0 && stat(argv[0], &b) == 0);
    STRICT(a.st_size == b.st_size && a.st_ino == b.st_ino);
    char self[32], pidstr[32];
    n = readlink("/proc/self", self, sizeof(self) - 1);
    CHECK(n > 0);
    self[n] = 0;
    snprintf(pidstr, sizeof(pidstr), "%d", (int)getpid());
    printf("/proc/self is the pid: %s\n", strcmp(self, pidstr) == 0 ? "yes" : "no");

    /* status: the name, the pid, one thread. */
    slurp("/proc/self/status");
    char want[64];
    snprintf(want, sizeof(want), "\nPid:\t%d\n", (int)getpid());
    printf("status pid: %s\n", strstr(buf, want) ? "yes" : "no");
    STRICT(strstr(buf, "\nThreads:\t1\n") != NULL);
    STRICT(strncmp(buf, "Name:\tprocfs\n", 13) == 0);
    slurp("/proc/self/comm");
    STRICT(strcmp(buf, "procfs\n") == 0);
    slurp("/proc/cpuinfo");
    STRICT(strstr(buf, "isa\t\t: rv64imafdc") != NULL);

    /* fd: a file we open shows with its path; closing removes it. */
    int fd = open("/proc/self/status", O_RDONLY);
    CHECK(fd >= 0);
    char link[64], target[256];
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    n = readlink(link, target, sizeof(target) - 1);
    CHECK(n > 0);
    target[n] = 0;
    printf("new fd -> %s\n", strstr(target, "/status") ? "…/status" : target);
    int seen = 0;
    DIR *d = opendir("/proc/self/fd");
    CHECK(d);
    struct dirent *de;
    while ((de = readdir(d)))
        if (atoi(de->d_name) == fd && de->d_name[0] != '.')
            seen = 1;
    closedir(d);
    printf("listed in /proc/self/fd: %s\n", seen ? "yes" : "no");
    close(fd);
    printf("after close: %s\n", access(link, F_OK) == 0 ? "still there" : "gone");

    /* /proc is read-only. */
    STRICT(open("/proc/self/maps", O_WRONLY) < 0);
    if (strict)
        printf("strict checks passed\n");
    return 0;
}
