/* Many virt boards in one process: created, booted part way (OpenSBI and
 * U-Boot, several at once, interleaved, both engines, one to four harts)
 * and destroyed mid-boot; the process's fds and mappings must come back to
 * what they were (and LeakSanitizer checks the heap in the ASan build).
 * usage: test_many_boards U-BOOT.BIN CYCLES [--fds-only]
 * (--fds-only: the ASan build, whose allocator maps regions of its own as
 * the test goes; LeakSanitizer checks the heap there.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/proc_usage.h"
#include "splitvm.h"

static void sink(void *opaque, const char *buf, size_t len)
{
    size_t *n = opaque;
    (void)buf;
    *n += len;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return fprintf(stderr, "usage: %s U-BOOT.BIN CYCLES\n", argv[0]), 2;
    int cycles = atoi(argv[2]);
    int fds_only = argc > 3 && !strcmp(argv[3], "--fds-only");
    enum { LIVE = 4 };
    svm_machine *live[LIVE] = {0};
    size_t out[LIVE] = {0}, total_out = 0;
    int fds0 = -1, maps0 = -1, made = 0, fails = 0;
    unsigned seed = 12345;
    /* The baseline, after one board of each engine has lived (the library
     * sets up lazily what it keeps for the process, e.g. the JIT's fault
     * handler while a JIT machine lives). */
    fds0 = proc_count_fds();
    maps0 = proc_count_maps();
    for (int c = 0; c < cycles + LIVE; c++) {
        int slot = c % LIVE;
        if (live[slot]) {
            total_out += out[slot];
            svm_destroy(live[slot]); /* mid-boot, wherever it is */
            live[slot] = NULL;
        }
        if (c >= cycles)
            continue;
        svm_config cfg;
        svm_config_init(&cfg);
        cfg.mode = SVM_MODE_SYSTEM;
        cfg.board = SVM_BOARD_VIRT;
        cfg.engine = c % 2 ? SVM_ENGINE_JIT : SVM_ENGINE_INTERP;
        cfg.harts = 1 + (unsigned)(c % 4);
        cfg.ram_size = 64u << 20;
        cfg.firmware = "default";
        cfg.kernel = argv[1];
        out[slot] = 0;
        cfg.console = sink;
        cfg.console_opaque = &out[slot];
        char err[256];
        if (svm_create(&cfg, &live[slot], err, sizeof err) != SVM_OK) {
            printf("FAIL: svm_create: %s\n", err);
            fails++;
            continue;
        }
        made++;
        /* Every live board runs a few slices before the next is made. */
        for (int k = 0; k < LIVE; k++) {
            if (!live[k])
                continue;
            seed = seed * 1103515245 + 12345;
            int slices = 1 + (int)(seed >> 16) % 6;
            for (int i = 0; i < slices; i++) {
                svm_stop st;
                if (svm_run(live[k], 1000000, &st) != SVM_OK ||
                    (st.reason != SVM_STOP_BUDGET && st.reason != SVM_STOP_WAITING)) {
                    printf("FAIL: board %d stopped with reason %d: %s\n", k, (int)st.reason, svm_error(live[k]));
                    fails++;
                    break;
                }
            }
        }
    }
    int fds1 = proc_count_fds(), maps1 = proc_count_maps();
    printf("%d boards made, %zu console bytes, fds %d -> %d, mappings %d -> %d\n", made, total_out, fds0, fds1,
           maps0, maps1);
    if (total_out == 0)
        printf("FAIL: no board printed anything\n"), fails++;
    if (fds1 != fds0 || (!fds_only && maps1 != maps0))
        printf("FAIL: host resources leaked\n"), fails++;
    printf("%s\n", fails ? "FAIL" : "ok");
    return fails ? 1 : 0;
}
