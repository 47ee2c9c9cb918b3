/* File system calls in a scratch directory given as argv[1]:
 * open/read/write/lseek/pread/pwrite/ftruncate/rename/unlink, the stat
 * family and a sorted getdents64 listing. Prints only relative names. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* getdents64 directly, so the test sees the raw system call. */
static void list_dir(const char *label)
{
    int fd = open(".", O_RDONLY | O_DIRECTORY);
    CHECK(fd >= 0);
    char buf[4096];
    char *names[64];
    int n = 0;
    for (;;) {
        long got = syscall(SYS_getdents64, fd, buf, sizeof buf);
        CHECK(got >= 0);
        if (got == 0)
            break;
        for (long off = 0; off < got;) {
            struct {
                unsigned long long ino;
                long long off;
                unsigned short reclen;
                unsigned char type;
                char name[];
            } *d = (void *)(buf + off);
            CHECK(d->reclen > 0);
            if (strcmp(d->name, ".") && strcmp(d->name, "..")) {
                CHECK(n < 64);
                names[n++] = strdup(d->name);
            }
            off += d->reclen;
        }
    }
    close(fd);
    qsort(names, n, sizeof names[0], cmp_str);
    printf("%s:", label);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    CHECK(argc == 2);
    CHECK(chdir(argv[1]) == 0);

    int fd = open("a.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);
    const char text[] = "0123456789abcdefghij";
    CHECK_EQ_LL(write(fd, text, 20), 20);
    CHECK_EQ_LL(lseek(fd, 0, SEEK_CUR), 20);
    CHECK_EQ_LL(lseek(fd, 5, SEEK_SET), 5);
    char buf[64] = {0};
    CHECK_EQ_LL(read(fd, buf, 5), 5);
    CHECK(memcmp(buf, "56789", 5) == 0);
    CHECK_EQ_LL(lseek(fd, -3, SEEK_END), 17);
    CHECK_EQ_LL(read(fd, buf, 10), 3);
    CHECK(memcmp(buf, "hij", 3) == 0);
    CHECK_EQ_LL(read(fd, buf, 10), 0); /* EOF */

    /* pread/pwrite do not move the file offset. */
    CHECK_EQ_LL(pwrite(fd, "XY", 2, 2), 2);
    CHECK_EQ_LL(lseek(fd, 0, SEEK_CUR), 20);
    memset(buf, 0, sizeof buf);
    CHECK_EQ_LL(pread(fd, buf, 6, 0), 6);
    printf("pread: %s\n", buf);
    CHECK(strcmp(buf, "01XY45") == 0);

    /* A write past the end leaves a hole that reads as zeros. */
    CHECK_EQ_LL(pwrite(fd, "Z", 1, 30), 1);
    struct stat st;
    CHECK(fstat(fd, &st) == 0);
    CHECK_EQ_LL(st.st_size, 31);
    CHECK_EQ_LL(pread(fd, buf, 10, 20), 10);
    for (int i = 0; i < 10; i++)
        CHECK(buf[i] == 0);

    CHECK(ftruncate(fd, 8) == 0);
    CHECK(fstat(fd, &st) == 0);
    CHECK_EQ_LL(st.st_size, 8);
    CHECK(S_ISREG(st.st_mode));
    CHECK_EQ_LL(st.st_mode & 0777, 0644 & ~0); /* umask is 022 in the runner */
    printf("size after ftruncate: %lld\n", (long long)st.st_size);
    CHECK(close(fd) == 0);
    CHECK(close(fd) == -1 && errno == EBADF);

    /* stat, lstat, fstatat and a symlink. */
    CHECK(stat("a.txt", &st) == 0);
    CHECK_EQ_LL(st.st_size, 8);
    CHECK(symlink("a.txt", "link") == 0);
    CHECK(lstat("link", &st) == 0);
    CHECK(S_ISLNK(st.st_mode));
    CHECK(stat("link", &st) == 0);
    CHECK(S_ISREG(st.st_mode));
    char target[64] = {0};
    CHECK_EQ_LL(readlink("link", target, sizeof target - 1), 5);
    CHECK(strcmp(target, "a.txt") == 0);
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0);
    CHECK(fstatat(dfd, "a.txt", &st, 0) == 0);
    CHECK_EQ_LL(st.st_size, 8);
    CHECK(fstatat(dfd, "link", &st, AT_SYMLINK_NOFOLLOW) == 0);
    CHECK(S_ISLNK(st.st_mode));
    CHECK(stat("missing", &st) == -1 && errno == ENOENT);
    CHECK(access("a.txt", R_OK | W_OK) == 0);

    /* openat relative to a directory fd. */
    fd = openat(dfd, "b.txt", O_CREAT | O_WRONLY | O_EXCL, 0600);
    CHECK(fd >= 0);
    CHECK_EQ_LL(write(fd, "bee\n", 4), 4);
    close(fd);
    CHECK(openat(dfd, "b.txt", O_CREAT | O_WRONLY | O_EXCL, 0600) == -1 && errno == EEXIST);
    close(dfd);

    FILE *f = fopen("c.txt", "w");
    CHECK(f != NULL);
    for (int i = 0; i < 1000; i++)
        fprintf(f, "line %d\n", i);
    CHECK(fclose(f) == 0);
    CHECK(stat("c.txt", &st) == 0);
    printf("c.txt size: %lld\n", (long long)st.st_size);

    list_dir("before");
    CHECK(rename("a.txt", "renamed.txt") == 0);
    CHECK(access("a.txt", F_OK) == -1 && errno == ENOENT);
    CHECK(unlink("b.txt") == 0);
    CHECK(unlink("b.txt") == -1 && errno == ENOENT);
    list_dir("after");

    f = fopen("c.txt", "r");
    CHECK(f != NULL);
    char line[64];
    long sum = 0;
    int lines = 0;
    while (fgets(line, sizeof line, f)) {
        sum += atol(line + 5);
        lines++;
    }
    fclose(f);
    CHECK_EQ_LL(lines, 1000);
    CHECK_EQ_LL(sum, 999 * 1000 / 2);
    printf("c.txt lines=%d sum=%ld\n", lines, sum);

    CHECK(unlink("renamed.txt") == 0);
    CHECK(unlink("link") == 0);
    CHECK(unlink("c.txt") == 0);
    list_dir("end");
    return 0;
}
