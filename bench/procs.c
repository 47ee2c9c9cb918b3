/* Guest processes benchmark (bench/procs.sh): the fork + wait round trip,
 * fork + execve + wait, and pipe throughput between two processes. Times
 * itself with the guest's clock and prints "<name> <value> <unit>". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int fork_wait(int n, const char *exec_self)
{
    double t0 = now();
    for (int i = 0; i < n; i++) {
        pid_t c = fork();
        if (c < 0)
            return 1;
        if (c == 0) {
            if (exec_self) {
                execl(exec_self, exec_self, "noop", (char *)NULL);
                _exit(127); /* no exec (qemu-user without binfmt): the run fails */
            }
            _exit(0);
        }
        int st;
        if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            return 1;
    }
    printf("%s %.1f us\n", exec_self ? "fork_exec_wait" : "fork_wait", (now() - t0) / n * 1e6);
    return 0;
}

static int pipe_throughput(int mib)
{
    int fd[2];
    if (pipe(fd) != 0)
        return 1;
    static char buf[65536];
    double t0 = now();
    pid_t c = fork();
    if (c == 0) {
        close(fd[1]);
        long long got = 0;
        ssize_t r;
        while ((r = read(fd[0], buf, sizeof(buf))) > 0)
            got += r;
        _exit(got == (long long)mib << 20 ? 0 : 1);
    }
    close(fd[0]);
    memset(buf, 'x', sizeof(buf));
    for (int i = 0; i < mib * 16; i++)
        for (size_t off = 0; off < sizeof(buf);) {
            ssize_t w = write(fd[1], buf + off, sizeof(buf) - off);
            if (w <= 0)
                return 1;
            off += (size_t)w;
        }
    close(fd[1]);
    int st;
    waitpid(c, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return 1;
    printf("pipe %.1f MiB/s\n", mib / (now() - t0));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "noop"))
        return 0;
    if (argc >= 3 && !strcmp(argv[1], "fork"))
        return fork_wait(atoi(argv[2]), NULL);
    if (argc >= 3 && !strcmp(argv[1], "exec"))
        return fork_wait(atoi(argv[2]), argv[0]);
    if (argc >= 3 && !strcmp(argv[1], "pipe"))
        return pipe_throughput(atoi(argv[2]));
    fprintf(stderr, "usage: procs fork N | exec N | pipe MIB\n");
    return 2;
}
