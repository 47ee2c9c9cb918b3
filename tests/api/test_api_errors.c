/* Bad arguments and calls out of order give error codes and a message,
 * never a crash; a machine stays usable after a failed load.
 *
 * usage: test_api_errors <riscv64 program exiting with 42> <text file>
 * Exit status 0 when every check passed. */
#include <stdio.h>
#include <string.h>

#include "splitvm.h"

static int failures;

#define EXPECT(cond)                                                   \
    do {                                                               \
        if (!(cond)) {                                                 \
            printf("FAIL line %d: %s\n", __LINE__, #cond);             \
            failures++;                                                \
        }                                                              \
    } while (0)

static svm_machine *new_user_machine(void)
{
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = SVM_MODE_USER;
    svm_machine *m = NULL;
    char err[256] = "";
    int rc = svm_create(&cfg, &m, err, sizeof err);
    if (rc != SVM_OK || !m) {
        printf("FAIL: svm_create: %d %s\n", rc, err);
        failures++;
        return NULL;
    }
    return m;
}

/* A load that must fail with `want`, leaving a non-empty message. */
static void expect_load_error(const char *path, int want, const char *what)
{
    svm_machine *m = new_user_machine();
    if (!m)
        return;
    char *argv[] = {(char *)"prog", NULL};
    int rc = svm_load_program(m, path, 1, argv, NULL);
    printf("load %s: %d \"%s\"\n", what, rc, svm_error(m));
    if (rc != want) {
        printf("FAIL: load %s returned %d, expected %d\n", what, rc, want);
        failures++;
    }
    EXPECT(svm_error(m) != NULL && svm_error(m)[0] != '\0');
    svm_destroy(m);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s <riscv64 program exiting 42> <text file>\n", argv[0]);
        return 2;
    }
    const char *good = argv[1];
    const char *text = argv[2];

    EXPECT(svm_api_version() == SPLITVM_API_VERSION);
    EXPECT(strcmp(svm_version_string(), SPLITVM_VERSION_STRING) == 0);
    svm_destroy(NULL); /* allowed */

    /* An unknown mode: creation fails, *out is NULL, the reason is given. */
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.mode = (svm_mode)7;
    svm_machine *m = (svm_machine *)&cfg; /* must be reset to NULL */
    char err[256] = "";
    int rc = svm_create(&cfg, &m, err, sizeof err);
    printf("create bad mode: %d \"%s\"\n", rc, err);
    EXPECT(rc == SVM_ERR_INVALID);
    EXPECT(m == NULL);
    EXPECT(err[0] != '\0');

    /* Loads that fail. */
    expect_load_error("/nonexistent/splitvm-test-program", SVM_ERR_IO, "missing file");
    expect_load_error(text, SVM_ERR_BAD_IMAGE, "text file");
    expect_load_error("/proc/self/exe", SVM_ERR_BAD_IMAGE, "x86-64 ELF");

    m = new_user_machine();
    if (!m)
        return 1;
    EXPECT(svm_error(m) != NULL && svm_error(m)[0] == '\0'); /* fresh: no error */

    /* Running, or touching memory, before anything is loaded. */
    svm_stop st;
    memset(&st, 0xff, sizeof st);
    rc = svm_run(m, 1000, &st);
    printf("run before load: %d reason %d \"%s\"\n", rc, (int)st.reason, svm_error(m));
    EXPECT(rc == SVM_ERR_INVALID);
    EXPECT(st.reason == SVM_STOP_ERROR);
    EXPECT(svm_error(m)[0] != '\0');

    /* Bad arguments to load. */
    char *args[] = {(char *)"prog", NULL};
    EXPECT(svm_load_program(m, NULL, 1, args, NULL) == SVM_ERR_INVALID);
    EXPECT(svm_load_program(m, good, 0, args, NULL) == SVM_ERR_INVALID);
    EXPECT(svm_load_program(m, good, 1, NULL, NULL) == SVM_ERR_INVALID);
    EXPECT(svm_load_kernel(m, good) != SVM_OK); /* user-mode machine */

    /* A failed load leaves the machine usable for a good one. */
    EXPECT(svm_load_program(m, text, 1, args, NULL) == SVM_ERR_BAD_IMAGE);
    rc = svm_load_program(m, good, 1, args, NULL);
    printf("load after a failed load: %d \"%s\"\n", rc, svm_error(m));
    EXPECT(rc == SVM_OK);
    if (rc == SVM_OK) {
        EXPECT(svm_load_program(m, good, 1, args, NULL) == SVM_ERR_INVALID); /* already loaded */

        /* Registers and memory: bad indices and unmapped addresses. */
        uint64_t v = 0;
        EXPECT(svm_get_reg(m, SVM_REG_PC, &v) == SVM_OK && v != 0);
        EXPECT(svm_get_reg(m, 0, &v) == SVM_OK && v == 0);
        EXPECT(svm_get_reg(m, -1, &v) == SVM_ERR_INVALID);
        EXPECT(svm_get_reg(m, SVM_REG_FCSR + 1, &v) == SVM_ERR_INVALID);
        /* fcsr: fflags in bits 0-4, frm in 5-7, nothing above. */
        EXPECT(svm_set_reg(m, SVM_REG_FCSR, 0x1ff) == SVM_OK);
        EXPECT(svm_get_reg(m, SVM_REG_FCSR, &v) == SVM_OK && v == 0xff);
        EXPECT(svm_set_reg(m, SVM_REG_FCSR, 0) == SVM_OK);
        EXPECT(svm_set_reg(m, 1000, 1) == SVM_ERR_INVALID);
        char buf[16];
        EXPECT(svm_read_mem(m, 0, buf, sizeof buf) != SVM_OK);
        EXPECT(svm_write_mem(m, 0xffffffffffff0000ULL, buf, sizeof buf) != SVM_OK);
        uint64_t pc = 0;
        svm_get_reg(m, SVM_REG_PC, &pc);
        EXPECT(svm_read_mem(m, pc, buf, 4) == SVM_OK);

        int slices = 0;
        do
            rc = svm_run(m, 100000, &st);
        while (rc == SVM_OK && st.reason == SVM_STOP_BUDGET && ++slices < 100000);
        printf("run: %d reason %d status %d\n", rc, (int)st.reason, st.exit_status);
        EXPECT(rc == SVM_OK && st.reason == SVM_STOP_EXITED && st.exit_status == 42);
        EXPECT(svm_instret(m) > 1000);
        /* Running an exited machine again reports the same exit. */
        rc = svm_run(m, 1000, &st);
        EXPECT(rc == SVM_OK && st.reason == SVM_STOP_EXITED && st.exit_status == 42);
    }
    svm_destroy(m);

    /* Disks: a missing image is an I/O error, a bad one a bad image, disks
     * off the virt board invalid; each with a message, no machine made. */
    {
        struct {
            svm_board board;
            svm_drive d;
            int want;
        } cases[] = {
            {SVM_BOARD_VIRT, {.file = "/nonexistent/disk.img"}, SVM_ERR_IO},
            {SVM_BOARD_VIRT, {.file = argv[2], .format = "vmdk"}, SVM_ERR_BAD_IMAGE},
            {SVM_BOARD_SPIKE, {.file = argv[2]}, SVM_ERR_INVALID},
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            svm_config cfg;
            svm_config_init(&cfg);
            cfg.mode = SVM_MODE_SYSTEM;
            cfg.board = cases[i].board;
            cfg.drives = &cases[i].d;
            cfg.ndrives = 1;
            svm_machine *dm = NULL;
            char err[256] = "";
            int rc = svm_create(&cfg, &dm, err, sizeof err);
            printf("drive case %zu: %d \"%s\"\n", i, rc, err);
            EXPECT(rc == cases[i].want && dm == NULL && err[0]);
        }
    }

    if (failures) {
        printf("FAIL: %d checks failed\n", failures);
        return 1;
    }
    printf("OK\n");
    return 0;
}
