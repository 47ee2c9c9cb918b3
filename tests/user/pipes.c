/* Pipes, dup/dup2/dup3 and fcntl (flags, F_DUPFD, non-blocking reads). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

int main(void)
{
    int p[2];
    CHECK(pipe(p) == 0);
    CHECK_EQ_LL(write(p[1], "ping", 4), 4);
    char buf[256] = {0};
    CHECK_EQ_LL(read(p[0], buf, sizeof buf), 4);
    CHECK(strcmp(buf, "ping") == 0);
    printf("pipe: %s\n", buf);

    /* A big write that still fits the pipe buffer, read in pieces. */
    char big[8192];
    for (int i = 0; i < (int)sizeof big; i++)
        big[i] = (char)('a' + i % 26);
    CHECK_EQ_LL(write(p[1], big, sizeof big), sizeof big);
    size_t got = 0;
    unsigned sum = 0;
    while (got < sizeof big) {
        ssize_t n = read(p[0], buf, 100);
        CHECK(n > 0);
        for (ssize_t i = 0; i < n; i++)
            sum += (unsigned char)buf[i];
        got += n;
    }
    printf("pipe bulk: %zu bytes sum %u\n", got, sum);

    /* Non-blocking empty read gives EAGAIN. */
    int fl = fcntl(p[0], F_GETFL);
    CHECK(fl >= 0);
    CHECK(fcntl(p[0], F_SETFL, fl | O_NONBLOCK) == 0);
    CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
    CHECK(read(p[0], buf, 1) == -1 && errno == EAGAIN);
    printf("nonblocking: EAGAIN\n");

    /* dup family: the copies share the pipe. */
    int d = dup(p[1]);
    CHECK(d > p[1]);
    CHECK(dup2(p[1], 20) == 20);
    CHECK(dup3(p[1], 21, O_CLOEXEC) == 21);
    CHECK(fcntl(21, F_GETFD) & FD_CLOEXEC);
    CHECK((fcntl(20, F_GETFD) & FD_CLOEXEC) == 0);
    int e = fcntl(p[1], F_DUPFD, 30);
    CHECK(e >= 30);
    int e2 = fcntl(p[1], F_DUPFD_CLOEXEC, 40);
    CHECK(e2 >= 40 && (fcntl(e2, F_GETFD) & FD_CLOEXEC));
    CHECK(fcntl(20, F_SETFD, FD_CLOEXEC) == 0 && (fcntl(20, F_GETFD) & FD_CLOEXEC));
    CHECK_EQ_LL(write(d, "1", 1), 1);
    CHECK_EQ_LL(write(20, "2", 1), 1);
    CHECK_EQ_LL(write(21, "3", 1), 1);
    CHECK_EQ_LL(write(e, "4", 1), 1);
    CHECK_EQ_LL(write(e2, "5", 1), 1);
    memset(buf, 0, sizeof buf);
    CHECK_EQ_LL(read(p[0], buf, sizeof buf), 5);
    printf("dups wrote: %s\n", buf);
    CHECK(strcmp(buf, "12345") == 0);
    CHECK(dup2(99999, 22) == -1 && errno == EBADF);

    /* Closing every writer gives EOF to the reader. */
    close(p[1]);
    close(d);
    close(20);
    close(21);
    close(e);
    close(e2);
    CHECK(fcntl(p[0], F_SETFL, fl) == 0);
    CHECK_EQ_LL(read(p[0], buf, 1), 0);
    close(p[0]);
    printf("eof after closing writers\n");

    /* pipe2 with O_CLOEXEC; a write with no reader fails with EPIPE. */
    CHECK(pipe2(p, O_CLOEXEC) == 0);
    CHECK(fcntl(p[0], F_GETFD) & FD_CLOEXEC);
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE);
    close(p[1]);
    printf("EPIPE ok\n");
    return 0;
}
