/* Jail race guest, two roles in one program (run under -L ROOT):
 *   swap HOSTDIR   forever: make /d, a directory inside the tree, a symlink
 *                  whose text is HOSTDIR (a host directory outside the tree),
 *                  then a directory again, by renames;
 *   probe SECONDS  for SECONDS (and at least MIN_OPS operations, unless the
 *                  host is so loaded that 5 s more pass): open and read
 *                  /d/marker.txt, stat it, and append to /d/w.txt,
 *                  counting what each saw; prints
 *                  "probe ops N inside N missing N other N escapes N".
 * In the jail the link's text counts from ROOT, so the probe must see the
 * tree's marker or no file, never the host's. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jail_race.h"

#define MIN_OPS 60000

static void swap(const char *hostdir)
{
    unlink("/lnk");
    if (symlink(hostdir, "/lnk") < 0) {
        printf("swap: symlink: %s\n", strerror(errno));
        exit(2);
    }
    for (;;) {
        rename("/d", "/d.real");
        rename("/lnk", "/d");
        rename("/d", "/lnk");
        rename("/d.real", "/d");
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void probe(double seconds)
{
    long ops = 0, inside = 0, missing = 0, other = 0, escapes = 0;
    char buf[128];
    double start = now(), end = start + seconds, cap = end + 5;
    while ((now() < end || ops < MIN_OPS) && now() < cap) {
        for (int i = 0; i < 64; i++) {
            ops++;
            int fd = open("/d/marker.txt", O_RDONLY);
            if (fd >= 0) {
                ssize_t n = read(fd, buf, sizeof(buf) - 1);
                close(fd);
                buf[n > 0 ? n : 0] = 0;
                if (!strcmp(buf, OUTSIDE_TEXT))
                    escapes++;
                else if (!strcmp(buf, INSIDE_TEXT))
                    inside++;
                else
                    other++;
            } else if (errno == ENOENT) {
                missing++;
            } else {
                other++;
            }
            struct stat st;
            ops++;
            if (stat("/d/marker.txt", &st) == 0 && st.st_size == (off_t)strlen(OUTSIDE_TEXT))
                escapes++;
            ops++;
            fd = open("/d/w.txt", O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd >= 0) {
                if (write(fd, "x", 1) != 1)
                    other++;
                close(fd);
            }
        }
    }
    printf("probe ops %ld inside %ld missing %ld other %ld escapes %ld\n", ops, inside, missing, other, escapes);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "swap"))
        swap(argv[2]);
    else if (argc == 3 && !strcmp(argv[1], "probe"))
        probe(atof(argv[2]));
    else
        return 2;
    return 0;
}
