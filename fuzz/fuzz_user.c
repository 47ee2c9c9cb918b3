/* libFuzzer target: the user-mode loader and a short run, through the public
 * API only. The input is the program file (a memfd path); its last byte's
 * low bit picks the engine (0 interpreter, 1 JIT) and bit 1 the JIT's fault
 * handling (1: checks in software), so both engines see every program. The
 * guest's services are an empty proxy (no files, console dropped, fixed
 * clock and random bytes): whatever the fuzzed program calls, it cannot
 * touch the host's files and runs the same way each time. */
#include "fuzz_common.h"

#include <errno.h>
#include <string.h>

static int no_files(void *opaque, const char *path, int flags, int mode, void **handle)
{
    (void)opaque, (void)path, (void)flags, (void)mode, (void)handle;
    return -ENOENT;
}
static int64_t drop_output(void *opaque, int stream, const void *buf, size_t len)
{
    (void)opaque, (void)stream, (void)buf;
    return (int64_t)len;
}
static int64_t no_input(void *opaque, void *buf, size_t len)
{
    (void)opaque, (void)buf, (void)len;
    return 0;
}
static int64_t fixed_clock(void *opaque, int clock)
{
    (void)opaque;
    return clock == SVM_CLOCK_REALTIME ? 1700000000000000000LL : 1000000000LL;
}
static int fixed_random(void *opaque, void *buf, size_t len)
{
    (void)opaque;
    memset(buf, 0x5a, len);
    return 0;
}
static void drop_log(void *opaque, const char *buf, size_t len) { (void)opaque, (void)buf, (void)len; }

static const svm_proxy hermetic = {
    .open = no_files,
    .console_write = drop_output,
    .console_read = no_input,
    .clock_ns = fixed_clock,
    .random = fixed_random,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_input_path(data, size);
    uint8_t opts = size ? data[size - 1] : 0;
    int fds = fuzz_count_fds();

    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = SVM_MODE_USER;
    cfg.engine = (opts & 1) ? SVM_ENGINE_JIT : SVM_ENGINE_INTERP;
    cfg.jit_no_fault_handler = (opts >> 1) & 1;
    cfg.proxy = &hermetic;
    cfg.log = drop_log;
    svm_machine *m;
    char err[256];
    if (svm_create(&cfg, &m, err, sizeof(err)) != SVM_OK) {
        fprintf(stderr, "fuzz_user: svm_create: %s\n", err);
        abort();
    }
    char *argv[] = {"prog", "arg", NULL};
    char *envp[] = {"A=1", NULL};
    if (svm_load_program(m, path, 2, argv, envp) == SVM_OK)
        fuzz_run(m, 20000, 5);
    else if (!svm_error(m)[0])
        abort(); /* a failed load must say why */
    svm_destroy(m);
    fuzz_check_fds(fds, "fuzz_user");
    return 0;
}
