/* Blocking guest I/O yields to the host (DESIGN.md rule 6), through the
 * public API only:
 *   - a guest reading an empty pipe: svm_run returns SVM_STOP_WAITING naming
 *     the pipe; after the host writes into it, the guest runs to its end;
 *   - a sleeping guest: WAITING with a deadline and no fd;
 *   - ppoll with a timeout: WAITING, then the timeout;
 *   - a futex nobody can wake: svm_run fails with a "deadlock" error;
 *   - machines destroyed while their threads wait (a read, a condvar, a
 *     sleep, a join): no file descriptor or mapping is left behind.
 *
 * usage: test_wait <guest_wait program> [interp|jit] [destroy iterations]
 * The guest's stdin is a pipe this test holds (dup2'ed onto fd 0). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "splitvm.h"
#include "../common/proc_usage.h"

static int failures;

#define EXPECT(c, ...)                                                        \
    do {                                                                      \
        if (!(c)) {                                                           \
            printf("FAIL line %d: %s: ", __LINE__, #c);                       \
            printf(__VA_ARGS__);                                              \
            printf("\n");                                                     \
            failures++;                                                       \
        }                                                                     \
    } while (0)

static svm_engine engine = SVM_ENGINE_INTERP;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static svm_machine *start(const char *prog, const char *what)
{
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = SVM_MODE_USER;
    cfg.engine = engine;
    svm_machine *m = NULL;
    char err[256] = "";
    if (svm_create(&cfg, &m, err, sizeof err) != SVM_OK) {
        printf("FAIL: svm_create: %s\n", err);
        exit(1);
    }
    char *argv[] = {(char *)"guest_wait", (char *)what, NULL};
    char *envp[] = {NULL};
    if (svm_load_program(m, prog, 2, argv, envp) != SVM_OK) {
        printf("FAIL: svm_load_program: %s\n", svm_error(m));
        exit(1);
    }
    return m;
}

/* Run in budget slices until the machine stops for another reason. */
static int run(svm_machine *m, svm_stop *st)
{
    int rc;
    do
        rc = svm_run(m, 1000000, st);
    while (rc == SVM_OK && st->reason == SVM_STOP_BUDGET);
    return rc;
}

/* Wait as a host should: on the hinted fd, or until the deadline. */
static void host_wait(const svm_stop *st)
{
    if (st->wait_ns > 0) {
        struct timespec ts = {(time_t)(st->wait_ns / 1000000000), (long)(st->wait_ns % 1000000000)};
        nanosleep(&ts, NULL);
    }
}

static void test_pipe_read(const char *prog, int wfd)
{
    svm_machine *m = start(prog, "read");
    svm_stop st;
    EXPECT(run(m, &st) == SVM_OK, "%s", svm_error(m));
    EXPECT(st.reason == SVM_STOP_WAITING, "reason %d", st.reason);
    EXPECT(st.wait_fd == 0, "wait_fd %d", st.wait_fd);
    EXPECT(st.wait_events & SVM_WAIT_READ, "events %d", st.wait_events);
    EXPECT(st.wait_ns == -1, "wait_ns %lld", (long long)st.wait_ns);
    /* Nothing changed: still waiting, without running anything. */
    uint64_t before = svm_instret(m);
    EXPECT(run(m, &st) == SVM_OK && st.reason == SVM_STOP_WAITING, "second run: reason %d", st.reason);
    EXPECT(svm_instret(m) == before, "instructions ran while waiting");
    EXPECT(write(wfd, "hello\n", 6) == 6, "host write");
    EXPECT(run(m, &st) == SVM_OK, "%s", svm_error(m));
    EXPECT(st.reason == SVM_STOP_EXITED && st.exit_status == 42, "reason %d status %d", st.reason,
           st.exit_status);
    svm_destroy(m);
    printf("pipe read: WAITING on fd 0, then exit 42 after the host wrote\n");
}

static void test_sleep(const char *prog)
{
    svm_machine *m = start(prog, "sleep");
    svm_stop st;
    uint64_t t0 = now_ns();
    int waits = 0;
    for (;;) {
        EXPECT(run(m, &st) == SVM_OK, "%s", svm_error(m));
        if (st.reason != SVM_STOP_WAITING)
            break;
        EXPECT(st.wait_fd == -1, "wait_fd %d", st.wait_fd);
        EXPECT(st.wait_ns >= 0 && st.wait_ns <= 50000000, "wait_ns %lld", (long long)st.wait_ns);
        if (waits++ > 1000)
            break;
        host_wait(&st);
    }
    uint64_t dt = now_ns() - t0;
    EXPECT(st.reason == SVM_STOP_EXITED && st.exit_status == 43, "reason %d status %d", st.reason,
           st.exit_status);
    EXPECT(waits >= 1 && waits < 10, "%d waits", waits);
    EXPECT(dt >= 50000000, "slept only %llu ns", (unsigned long long)dt);
    svm_destroy(m);
    printf("sleep: WAITING with a deadline, exit 43 after it\n");
}

static void test_poll_timeout(const char *prog)
{
    svm_machine *m = start(prog, "poll");
    svm_stop st;
    EXPECT(run(m, &st) == SVM_OK, "%s", svm_error(m));
    EXPECT(st.reason == SVM_STOP_WAITING, "reason %d", st.reason);
    EXPECT(st.wait_fd == 0 && st.wait_ns > 0 && st.wait_ns <= 30000000, "fd %d ns %lld", st.wait_fd,
           (long long)st.wait_ns);
    int waits = 0;
    while (st.reason == SVM_STOP_WAITING && waits++ < 1000) {
        host_wait(&st);
        EXPECT(run(m, &st) == SVM_OK, "%s", svm_error(m));
    }
    EXPECT(st.reason == SVM_STOP_EXITED && st.exit_status == 44, "reason %d status %d", st.reason,
           st.exit_status);
    svm_destroy(m);
    printf("ppoll: WAITING on fd 0 with a deadline, exit 44 on the timeout\n");
}

static void test_deadlock(const char *prog)
{
    svm_machine *m = start(prog, "deadlock");
    svm_stop st;
    int rc = run(m, &st);
    EXPECT(rc != SVM_OK && st.reason == SVM_STOP_ERROR, "rc %d reason %d", rc, st.reason);
    EXPECT(strstr(svm_error(m), "deadlock") != NULL, "error '%s'", svm_error(m));
    svm_destroy(m);
    printf("deadlock: reported as an error\n");
}

/* Destroy machines whose threads wait (read, condvar, sleep, join). */
#define WARMUP 8
static void test_destroy_waiting(const char *prog, int iterations)
{
    if (iterations < 2 * WARMUP)
        iterations = 2 * WARMUP;
    int fds0 = -1, maps0 = -1;
    for (int i = 0; i < iterations; i++) {
        svm_machine *m = start(prog, "threads");
        svm_stop st;
        EXPECT(run(m, &st) == SVM_OK, "%s", svm_error(m));
        EXPECT(st.reason == SVM_STOP_WAITING, "reason %d", st.reason);
        EXPECT(st.wait_fd == 0 && st.wait_ns > 0, "fd %d ns %lld", st.wait_fd, (long long)st.wait_ns);
        svm_destroy(m);
        if (i == WARMUP - 1) { /* by now the allocator (ASan's too) has its arenas */
            fds0 = proc_count_fds();
            maps0 = proc_count_maps();
        }
    }
    int fds1 = proc_count_fds(), maps1 = proc_count_maps();
    EXPECT(fds1 == fds0, "fds %d -> %d", fds0, fds1);
    /* A leak would add mappings with every machine (each holds several
     * coroutine stacks); a sanitizer's allocator adds a few of its own (seen:
     * up to 5 under ASan, whatever the count), far below one per machine. */
    int slack = (iterations - WARMUP) / 4;
    EXPECT(maps1 <= maps0 + slack, "maps %d -> %d (slack %d)", maps0, maps1, slack);
    printf("destroy while 4 threads wait: %d machines, no fd or mapping left (%d fds, %d maps)\n", iterations,
           fds1, maps1);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_wait <guest_wait> [interp|jit]\n");
        return 2;
    }
    if (argc > 2 && !strcmp(argv[2], "jit"))
        engine = SVM_ENGINE_JIT;
    setvbuf(stdout, NULL, _IOLBF, 0);
    int p[2];
    if (pipe(p) != 0 || dup2(p[0], 0) != 0) {
        perror("pipe");
        return 2;
    }
    close(p[0]);
    const char *prog = argv[1];
    test_pipe_read(prog, p[1]);
    test_sleep(prog);
    test_poll_timeout(prog);
    test_deadlock(prog);
    test_destroy_waiting(prog, argc > 3 ? atoi(argv[3]) : 40);
    if (failures) {
        printf("%d check(s) failed\n", failures);
        return 1;
    }
    printf("all wait tests passed\n");
    return 0;
}
