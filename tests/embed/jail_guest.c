/* Jail test guest: reads each path given and prints what it got, so the
 * test can check that no path, symlink or ".." reaches a file outside the
 * -L tree. Then it writes through links, lists the root, moves around with
 * chdir, and makes the other path calls (mkdir, rmdir, symlink, readlink,
 * link, rename, chmod, utimensat, access, truncate, unlink) through the
 * traps. Output depends only on the tree, never on where it lies. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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

static void report(const char *what, const char *path, int r)
{
    printf("%s %s: %s\n", what, path, r < 0 ? strerror(errno) : "ok");
}

/* The path calls other than open, through the traps of jail.sh's tree. */
static void other_calls(void)
{
    report("mkdir", "/made/", mkdir("/made/", 0755));
    show_stat("/made");
    report("rmdir", "/made/", rmdir("/made/"));
    report("mkdir", "/dir/up/newdir", mkdir("/dir/up/newdir", 0755));
    report("symlink", "/mylink", symlink("/etc/hello.txt", "/mylink"));
    char buf[256];
    ssize_t n = readlink("/mylink", buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("readlink /mylink: %s\n", n < 0 ? strerror(errno) : buf);
    show_read(200, "/mylink");
    report("link", "/rel_link -> /hardlink", linkat(AT_FDCWD, "/rel_link", AT_FDCWD, "/hardlink", AT_SYMLINK_FOLLOW));
    show_read(201, "/hardlink");
    report("rename", "/dir/up/created.txt -> /renamed.txt", rename("/dir/up/created.txt", "/renamed.txt"));
    show_read(202, "/renamed.txt");
    report("chmod", "/abs_link", chmod("/abs_link", 0600));
    report("chmod", "/dir/tlink/outside/secret.txt", chmod("/dir/tlink/outside/secret.txt", 0600));
    report("chmod", "/rel_link", chmod("/rel_link", 0640));
    struct stat st;
    if (stat("/outside/secret.txt", &st) == 0)
        printf("mode /outside/secret.txt: %o\n", (unsigned)(st.st_mode & 0777));
    struct timespec ts[2] = {{1000000000, 0}, {1000000000, 0}};
    report("utimensat", "/dir/tlink/outside/secret.txt", utimensat(AT_FDCWD, "/dir/tlink/outside/secret.txt", ts, 0));
    report("utimensat", "/dir/up/secret.txt", utimensat(AT_FDCWD, "/dir/up/secret.txt", ts, 0));
    report("access", "/dir/up/secret.txt", access("/dir/up/secret.txt", R_OK));
    report("access", "/passwd_link", access("/passwd_link", F_OK));
    report("truncate", "/abs_link", truncate("/abs_link", 0));
    report("unlink", "/dir/tlink/outside/secret.txt", unlink("/dir/tlink/outside/secret.txt"));
    report("unlink", "/mylink", unlink("/mylink"));
    show_stat("/etc/hello.txt");
    /* The host devices are let through to open and look at, nothing else:
     * calls that change the tree name the tree's /dev/null (none here). The
     * calls chosen would do no harm on the host's (EEXIST or a no-op). */
    show_stat("/dev/null");
    report("mkdir", "/dev/null", mkdir("/dev/null", 0755));
    report("symlink", "/dev/null", symlink("x", "/dev/null"));
    report("rename", "/dev/null -> /dev/null", rename("/dev/null", "/dev/null"));
    report("utimensat", "/dev/null", utimensat(AT_FDCWD, "/dev/null", NULL, 0));
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
    other_calls();
    int nfd = open("/dev/null", O_RDWR);
    printf("fchmod /dev/null: %s\n", nfd >= 0 && fchmod(nfd, 0) ? strerror(errno) : "done");
    close(nfd);
    return 0;
}
