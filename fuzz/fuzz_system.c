/* libFuzzer target: the system-mode kernel loader (svm_load_kernel on the
 * spike board) and a short run, through the public API only, so it keeps
 * working whatever image formats the loader learns. The input is the kernel
 * file (a memfd path); its last byte's low bit picks the engine (0
 * interpreter, 1 JIT).
 *
 * The run needs svm_run to come back within its slice whatever the guest
 * does. Before svm_interrupt and the slice fix (issue 17, part 2) a kernel
 * that traps without retiring (an entry outside RAM, mtvec pointing
 * nowhere) keeps svm_run forever, which any mutated seed reaches at once,
 * so fuzz/CMakeLists.txt turns the run on only when splitvm.h declares
 * svm_interrupt; until then this target fuzzes the load alone. */
#include "fuzz_common.h"

static void drop_output(void *opaque, const char *buf, size_t len) { (void)opaque, (void)buf, (void)len; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_input_path(data, size);
    uint8_t opts = size ? data[size - 1] : 0;
    int fds = fuzz_count_fds();

    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = SVM_MODE_SYSTEM;
    cfg.board = SVM_BOARD_SPIKE;
    cfg.engine = (opts & 1) ? SVM_ENGINE_JIT : SVM_ENGINE_INTERP;
    cfg.ram_size = 32u << 20;
    cfg.console = drop_output;
    cfg.log = drop_output;
    svm_machine *m;
    char err[256];
    if (svm_create(&cfg, &m, err, sizeof(err)) != SVM_OK) {
        fprintf(stderr, "fuzz_system: svm_create: %s\n", err);
        abort();
    }
    if (svm_load_kernel(m, path) == SVM_OK) {
#ifdef FUZZ_SYSTEM_RUN
        fuzz_run(m, 20000, 5);
#endif
    } else if (!svm_error(m)[0]) {
        abort(); /* a failed load must say why */
    }
    svm_destroy(m);
    fuzz_check_fds(fds, "fuzz_system");
    return 0;
}
