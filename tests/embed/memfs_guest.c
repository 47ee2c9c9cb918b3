/* Guest for the memfs example (examples/memfs.c): everything it sees comes
 * from the embedder's in-memory file system and its console is captured.
 * It reads, lists and stats the files, checks that host paths are out of
 * reach, and exits with 7 so the test can tell its status came through. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
    char buf[128];
    int fd = open("/etc/motd", O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
    if (n < 0)
        return 1;
    buf[n] = 0;
    printf("motd: %s", buf);
    n = pread(fd, buf, 4, 6);
    printf("pread: %.*s\n", (int)n, buf);
    printf("lseek end: %ld\n", (long)lseek(fd, 0, SEEK_END));
    int fd2 = dup(fd);
    lseek(fd2, 0, SEEK_SET);
    n = read(fd, buf, 5); /* dup'ed fds share the position */
    printf("after dup: %.*s\n", (int)n, buf);
    close(fd);
    close(fd2);

    FILE *f = fopen("/data/numbers.txt", "r");
    int a = 0, b = 0, c = 0;
    if (!f || fscanf(f, "%d %d %d", &a, &b, &c) != 3)
        return 2;
    fclose(f);
    printf("sum: %d\n", a + b + c);

    struct stat st;
    if (stat("/data/numbers.txt", &st) == 0)
        printf("stat numbers.txt: %s size %lld\n", S_ISREG(st.st_mode) ? "file" : "?", (long long)st.st_size);
    if (stat("/data", &st) == 0)
        printf("stat /data: %s\n", S_ISDIR(st.st_mode) ? "dir" : "?");

    DIR *d = opendir("/");
    char *names[16];
    int nn = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && nn < 16)
        names[nn++] = strdup(e->d_name);
    if (d)
        closedir(d);
    qsort(names, (size_t)nn, sizeof(names[0]), cmp);
    printf("ls /:");
    for (int i = 0; i < nn; i++)
        printf(" %s", names[i]);
    printf("\n");

    if (chdir("/data") == 0 && getcwd(buf, sizeof(buf)))
        printf("cwd: %s\n", buf);
    fd = open("numbers.txt", O_RDONLY);
    void *map = fd >= 0 ? mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    printf("mmap: %.5s\n", map == MAP_FAILED ? "FAILED" : (char *)map);
    close(fd);

    /* Host paths are out of reach; the tree is read-only. */
    printf("open /etc/passwd: %s\n", open("/etc/passwd", O_RDONLY) < 0 ? strerror(errno) : "OPENED");
    printf("open /data/../../etc/passwd: %s\n",
           open("/data/../../etc/passwd", O_RDONLY) < 0 ? strerror(errno) : "OPENED");
    printf("create /new: %s\n", open("/new", O_WRONLY | O_CREAT, 0644) < 0 ? strerror(errno) : "CREATED");
    printf("mkdir /tmp: %s\n", mkdir("/tmp", 0755) < 0 ? strerror(errno) : "MADE");
    fprintf(stderr, "to stderr\n");
    fflush(stdout);
    return 7;
}
