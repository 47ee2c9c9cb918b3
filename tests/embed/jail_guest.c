/* Jail test guest: reads each path given and prints what it got, so the
 * test can check that no path, symlink or ".." reaches a file outside the
 * -L tree. Then it writes through links, lists the root and moves around
 * with chdir. Output depends only on the tree, never on where it lies. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show_read(int n, const char *path)
{
    char buf[256];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("%d: open: %s\n", n, strerror(errno));
        return;
    }
    ssize_t got = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (got < 0) {
        printf("%d: read: %s\n", n, strerror(errno));
        return;
    }
    buf[got] = 0;
    buf[strcspn(buf, "\n")] = 0;
    printf("%d: [%s]\n", n, buf);
}

static void show_stat(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        printf("stat %s: %s\n", path, strerror(errno));
    else
        printf("stat %s: %s\n", path, S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : "other");
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        printf("ls %s: %s\n", dir, strerror(errno));
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64)
        if (e->d_name[0] != '.')
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof(names[0]), cmp);
    printf("ls %s:", dir);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static void create(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        printf("create %s: %s\n", path, strerror(errno));
        return;
    }
    if (write(fd, "written by guest\n", 17) != 17)
        printf("create %s: short write\n", path);
    close(fd);
    printf("create %s: ok\n", path);
}

int main(int argc, char **argv)
{
    char cwd[256];
    printf("cwd %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : strerror(errno));
    for (int i = 1; i < argc; i++)
        show_read(i, argv[i]);
    show_stat("/dir/rootlink");
    show_stat("/abs_link");
    show_stat("/dir/up");
    list("/");
    list("/dir/rootlink/dir");
    list("/dir/up");
    create("/wlink");
    create("/dir/up/created.txt");
    create("/dir/../../../../made_at_root.txt");
    if (chdir("/dir/rootlink") == 0)
        printf("chdir rootlink: cwd %s\n", getcwd(cwd, sizeof(cwd)));
    show_read(100, "etc/hello.txt");
    show_read(101, "../../../outside/secret.txt");
    if (chdir("../../../..") == 0)
        printf("chdir up: cwd %s\n", getcwd(cwd, sizeof(cwd)));
    show_read(102, "etc/hello.txt");
    /* The host devices let through the jail cannot be changed. */
    printf("unlink /dev/null: %s\n", unlink("/dev/null") ? strerror(errno) : "done");
    printf("mkdir /dev/zero: %s\n", mkdir("/dev/zero", 0755) ? strerror(errno) : "done");
    printf("chmod /dev/null: %s\n", chmod("/dev/null", 0) ? strerror(errno) : "done");
    printf("rename /dev/tty: %s\n", rename("/dev/tty", "/tty") ? strerror(errno) : "done");
    printf("link /dev/zero: %s\n", link("/dev/zero", "/zero") ? strerror(errno) : "done");
    int nfd = open("/dev/null", O_RDWR);
    printf("fchmod /dev/null: %s\n", fchmod(nfd, 0) ? strerror(errno) : "done");
    close(nfd);
    return 0;
}
