/* The -L jail under concurrency: two guests share one tree; one keeps
 * swapping a directory of it (/d) for a symlink whose text is a host
 * directory outside the tree, the other opens, stats and writes through /d
 * in a loop. The jail must hold at every instant: the probing guest may see
 * the tree's marker or no file, never the host's marker, and nothing may be
 * written outside.
 *
 *   threads  both machines in this process, each on its own host thread
 *   procs    the swapping machine in a child process (forked here, in the
 *            test: the library itself never spawns)
 *
 * usage: test_jail_race threads|procs ENGINE GUEST [SECONDS]
 * Checks: the probe ran (ops), saw both states of /d (its marker, and no
 * file while /d was a link), read and stat'ed no outside file (escapes 0),
 * the outside directory holds only its untouched marker afterwards, and the
 * probe machine holds no more than a few fds when its guest has exited (the
 * walks' directory fds are all closed).
 * Exit status 0 when every check passed. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/proc_usage.h"
#include "jail_race.h"
#include "splitvm.h"

static char tree[256], root[300], outside[300];
static const char *guest_path;
static svm_engine engine;
static atomic_int stop_swapping;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

typedef struct capture {
    char text[4096];
    size_t len;
} capture;

static int64_t capture_write(void *opaque, int stream, const void *buf, size_t len)
{
    (void)stream;
    capture *c = opaque;
    size_t room = sizeof(c->text) - 1 - c->len;
    size_t n = len < room ? len : room;
    memcpy(c->text + c->len, buf, n);
    c->len += n;
    c->text[c->len] = 0;
    return (int64_t)len;
}

static const svm_proxy console_only = {.console_write = capture_write};

static svm_machine *start(const char *role, const char *arg, capture *out)
{
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.engine = engine;
    cfg.sysroot = root;
    cfg.proxy = &console_only;
    cfg.proxy_opaque = out;
    svm_machine *m = NULL;
    char err[256];
    if (svm_create(&cfg, &m, err, sizeof(err)) != SVM_OK) {
        fprintf(stderr, "svm_create: %s\n", err);
        return NULL;
    }
    char *argv[] = {"jail_race_guest", (char *)role, (char *)arg, NULL};
    if (svm_load_program(m, guest_path, 3, argv, NULL) != SVM_OK) {
        fprintf(stderr, "svm_load_program: %s\n", svm_error(m));
        svm_destroy(m);
        return NULL;
    }
    return m;
}

/* Run the swapping guest until told to stop (or, as a child process, until
 * the deadline: it is killed before). */
static int swap_until(double deadline)
{
    capture out = {{0}, 0};
    svm_machine *m = start("swap", outside, &out);
    if (!m)
        return 1;
    svm_stop st;
    while (!atomic_load(&stop_swapping) && now() < deadline) {
        if (svm_run(m, 100000, &st) != SVM_OK || st.reason != SVM_STOP_BUDGET) {
            fprintf(stderr, "swapper stopped (reason %d): %s%s\n", st.reason, svm_error(m), out.text);
            svm_destroy(m);
            return 1;
        }
    }
    svm_destroy(m);
    return 0;
}

static void *swap_thread(void *arg)
{
    (void)arg;
    return (void *)(intptr_t)swap_until(now() + 60);
}

/* Run the probing guest to its end; its summary line lands in out. */
static int probe(const char *seconds, capture *out, int *fds_held)
{
    int fds_before = proc_count_fds();
    svm_machine *m = start("probe", seconds, out);
    if (!m)
        return 1;
    double deadline = now() + atof(seconds) + 10; /* the guest stops itself by +5 s */
    svm_stop st;
    int rc = 1;
    while (now() < deadline) {
        if (svm_run(m, 1000000, &st) != SVM_OK)
            break;
        if (st.reason == SVM_STOP_EXITED) {
            rc = st.exit_status;
            /* Still alive, its guest gone: what the walks left open shows. */
            *fds_held = proc_count_fds() - fds_before;
            break;
        }
        if (st.reason != SVM_STOP_BUDGET && st.reason != SVM_STOP_WAITING)
            break;
    }
    if (rc)
        fprintf(stderr, "probe did not finish cleanly (reason %d): %s\n", st.reason, svm_error(m));
    svm_destroy(m);
    return rc;
}

/* Only the marker, as it was, may be outside. */
static int outside_untouched(void)
{
    int bad = 0;
    DIR *d = opendir(outside);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "marker.txt")) {
            printf("FAIL: the guest wrote %s/%s outside the tree\n", outside, e->d_name);
            bad = 1;
        }
    if (d)
        closedir(d);
    char path[400], buf[256] = "";
    snprintf(path, sizeof(path), "%s/marker.txt", outside);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
    buf[n] = 0;
    if (f)
        fclose(f);
    if (strcmp(buf, OUTSIDE_TEXT)) {
        printf("FAIL: the outside marker changed\n");
        bad = 1;
    }
    return bad;
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[1], "threads") && strcmp(argv[1], "procs"))) {
        fprintf(stderr, "usage: %s threads|procs interp|jit GUEST [SECONDS]\n", argv[0]);
        return 2;
    }
    int procs = !strcmp(argv[1], "procs");
    engine = !strcmp(argv[2], "jit") ? SVM_ENGINE_JIT : SVM_ENGINE_INTERP;
    guest_path = argv[3];
    const char *seconds = argc > 4 ? argv[4] : "3";

    snprintf(tree, sizeof(tree), "%s/splitvm-jailrace.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tree)) {
        perror("mkdtemp");
        return 2;
    }
    snprintf(root, sizeof(root), "%s/root", tree);
    snprintf(outside, sizeof(outside), "%s/outside", tree);
    char path[400];
    snprintf(path, sizeof(path), "%s/d", root);
    if (mkdir(root, 0755) || mkdir(outside, 0755) || mkdir(path, 0755)) {
        perror("mkdir");
        return 2;
    }
    snprintf(path, sizeof(path), "%s/d/marker.txt", root);
    if (write_file(path, INSIDE_TEXT)) {
        perror(path);
        return 2;
    }
    snprintf(path, sizeof(path), "%s/marker.txt", outside);
    if (write_file(path, OUTSIDE_TEXT)) {
        perror(path);
        return 2;
    }

    int fail = 0;
    pthread_t swapper;
    pid_t child = -1;
    fflush(NULL);
    if (procs) {
        child = fork();
        if (child < 0) {
            perror("fork");
            return 2;
        }
        if (child == 0)
            _exit(swap_until(now() + atof(seconds) + 30));
    } else if (pthread_create(&swapper, NULL, swap_thread, NULL)) {
        fprintf(stderr, "pthread_create failed\n");
        return 2;
    }

    capture out = {{0}, 0};
    int fds_held = -1;
    int rc = probe(seconds, &out, &fds_held);

    int swap_rc = 0;
    if (procs) {
        int status = 0;
        if (waitpid(child, &status, WNOHANG) == child)
            swap_rc = 1; /* it ended before being told to: it failed */
        else {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
        }
    } else {
        void *ret;
        atomic_store(&stop_swapping, 1);
        pthread_join(swapper, &ret);
        swap_rc = (int)(intptr_t)ret;
    }

    long ops = -1, inside = -1, missing = -1, other = -1, escapes = -1;
    const char *line = strstr(out.text, "probe ops");
    if (!line || sscanf(line, "probe ops %ld inside %ld missing %ld other %ld escapes %ld", &ops, &inside, &missing,
                        &other, &escapes) != 5) {
        printf("FAIL: no summary from the probe: [%s]\n", out.text);
        fail = 1;
    } else {
        printf("%s %s: %s", argv[1], argv[2], line);
    }
    if (rc || swap_rc) {
        printf("FAIL: probe status %d, swapper status %d\n", rc, swap_rc);
        fail = 1;
    }
    if (escapes != 0) {
        printf("FAIL: %ld reads or stats reached the file outside the tree\n", escapes);
        fail = 1;
    }
    if (ops < 1000 || inside <= 0 || missing <= 0) {
        printf("FAIL: the race did not run (both states of /d must be seen)\n");
        fail = 1;
    }
    /* The probe machine's own fds (the root, the JIT's buffer) and, with
     * threads, what the swapper holds at that instant: a few. A walk that
     * leaked would leave one per call, hundreds of thousands. */
    printf("fds held by the probe machine at its guest's exit: %d\n", fds_held);
    if (fds_held < 0 || fds_held > 16) {
        printf("FAIL: directory fds leak\n");
        fail = 1;
    }
    fail |= outside_untouched();
    nftw(tree, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    printf("%s\n", fail ? "FAIL" : "ok");
    return fail;
}
