/* Directories: mkdir, chdir, getcwd, rmdir, and /proc/self/exe. */
#include <errno.h>
#include <libgen.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

int main(int argc, char **argv)
{
    CHECK(argc == 2);
    /* First, before any chdir: qemu resolves a relative program path late. */
    char exe[4096] = {0};
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    CHECK(n > 0);
    printf("exe basename: %s\n", basename(exe));
    CHECK(strcmp(basename(exe), "dirs") == 0);
    char base[4096];
    CHECK(realpath(argv[1], base) != NULL);
    CHECK(chdir(base) == 0);

    char cwd[4096];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK(strcmp(cwd, base) == 0);

    CHECK(mkdir("d1", 0755) == 0);
    CHECK(mkdir("d1", 0755) == -1 && errno == EEXIST);
    CHECK(mkdir("d1/d2", 0700) == 0);
    CHECK(chdir("d1/d2") == 0);
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    size_t bl = strlen(base);
    CHECK(strncmp(cwd, base, bl) == 0);
    printf("cwd relative: %s\n", cwd + bl);
    CHECK(strcmp(cwd + bl, "/d1/d2") == 0);
    CHECK(chdir("..") == 0);
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    printf("after ..: %s\n", cwd + bl);
    CHECK(rmdir("../d1") == -1 && errno == ENOTEMPTY);
    CHECK(rmdir("d2") == 0);
    CHECK(chdir(base) == 0);
    CHECK(rmdir("d1") == 0);
    struct stat st;
    CHECK(stat("d1", &st) == -1 && errno == ENOENT);
    CHECK(chdir("does-not-exist") == -1 && errno == ENOENT);
    /* getcwd with a too-small buffer fails with ERANGE. */
    char tiny[2];
    CHECK(getcwd(tiny, sizeof tiny) == NULL && errno == ERANGE);

    return 0;
}
