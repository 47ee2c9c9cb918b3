/* The proxy's clock, random and console groups, and cleanup: a guest runs
 * with the embedder's clock (fixed wall time, a monotonic clock that ticks
 * 1 us per call), random bytes (a known pattern) and console (captured
 * output, scripted input); the file group is left NULL, so the guest still
 * sees host files. Then a second machine runs the memfs-style file group
 * and must see every handle it opened closed by svm_destroy.
 * Built against include/splitvm.h only.
 * usage: test_proxy_services interp|jit GUEST */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "splitvm.h"

static char out[8192];
static size_t out_len;
static int monotonic_calls, console_reads;

static int64_t clock_ns(void *opq, int clock)
{
    (void)opq;
    if (clock == SVM_CLOCK_REALTIME)
        return 1700000000LL * 1000000000LL + 123456789;
    return 42LL * 1000000000LL + 1000LL * monotonic_calls++;
}

static int random_bytes(void *opq, void *buf, size_t len)
{
    (void)opq;
    for (size_t i = 0; i < len; i++)
        ((unsigned char *)buf)[i] = (unsigned char)(0x10 + i);
    return 0;
}

static int64_t con_write(void *opq, int stream, const void *buf, size_t len)
{
    (void)opq;
    out_len += (size_t)snprintf(out + out_len, sizeof(out) - out_len, "%d>%.*s", stream, (int)len, (const char *)buf);
    return (int64_t)len;
}

static int64_t con_read(void *opq, void *buf, size_t len)
{
    (void)opq;
    static const char line[] = "line from embedder\n";
    if (console_reads++ || len < sizeof(line) - 1)
        return 0;
    memcpy(buf, line, sizeof(line) - 1);
    return (int64_t)sizeof(line) - 1;
}

/* A one-file tree that counts opens and closes. */
static int opens, closes;
static int f_open(void *opq, const char *path, int flags, int mode, void **h)
{
    (void)opq, (void)flags, (void)mode;
    if (strcmp(path, "/f"))
        return -ENOENT;
    opens++;
    *h = &opens;
    return 0;
}
static int f_close(void *opq, void *h) { (void)opq, (void)h; closes++; return 0; }
static int64_t f_read(void *opq, void *h, void *buf, size_t len, int64_t off)
{
    (void)opq, (void)h, (void)buf, (void)len, (void)off;
    return 0;
}

static int run(svm_engine engine, const svm_proxy *px, const char *guest, const char *arg, int *status)
{
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.engine = engine;
    cfg.proxy = px;
    svm_machine *m;
    char err[256];
    if (svm_create(&cfg, &m, err, sizeof err) != SVM_OK) {
        fprintf(stderr, "create: %s\n", err);
        return 1;
    }
    char *argv[] = { (char *)guest, (char *)arg, NULL };
    svm_stop st = { .reason = SVM_STOP_ERROR };
    if (svm_load_program(m, guest, 2, argv, NULL) == SVM_OK)
        while (svm_run(m, 200000, &st) == SVM_OK && st.reason == SVM_STOP_BUDGET)
            ;
    if (st.reason != SVM_STOP_EXITED)
        fprintf(stderr, "guest did not exit: %s\n", svm_error(m));
    *status = st.exit_status;
    svm_destroy(m);
    return st.reason != SVM_STOP_EXITED;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    svm_engine engine = strcmp(argv[1], "interp") ? SVM_ENGINE_JIT : SVM_ENGINE_INTERP;
    static const char expected[] =
        "1>realtime: 1700000000.123456789 coarse 1700000000\n"
        "gettimeofday: 1700000000.123456 time 1700000000\n"
        "monotonic: 42 s, advances 1\n"
        "rdtime: 42 s\n"
        "getrandom: 10 11 12 13 14 15 16 17\n"
        "AT_RANDOM: 10 11 12 13\n"
        "stdin: line from embedder\n"
        "stdin then: end\n"
        "isatty(1): 0\n"
        "host file: opened\n";
    static const svm_proxy services = { .clock_ns = clock_ns, .random = random_bytes,
                                        .console_write = con_write, .console_read = con_read };
    int status = -1, fail = 0;
    if (run(engine, &services, argv[2], argv[2], &status))
        return 1;
    /* stderr is unbuffered: its line comes first, stdout at exit. */
    char want[1024];
    snprintf(want, sizeof want, "2>err line\n%s", expected);
    if (strcmp(out, want)) {
        fprintf(stderr, "console differs.\n--- got ---\n%s--- want ---\n%s", out, want);
        fail = 1;
    }
    if (status != 3) {
        fprintf(stderr, "exit status %d, want 3\n", status);
        fail = 1;
    }

    /* The file group: "/f" is opened and dup'ed, never closed by the guest. */
    static const svm_proxy files = { .open = f_open, .close = f_close, .read = f_read, .console_write = con_write };
    out_len = 0;
    if (run(engine, &files, argv[2], "/f", &status))
        return 1;
    if (opens != 1 || closes != 1) {
        fprintf(stderr, "file group: %d opens, %d closes after svm_destroy (want 1 and 1)\n", opens, closes);
        fail = 1;
    }
    if (!fail)
        printf("proxy services: ok\n");
    return fail;
}
