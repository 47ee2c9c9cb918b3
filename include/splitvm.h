/* splitvm: a RISC-V (RV64GC) emulator library.
 *
 * A machine is either a Linux user-mode process (run a riscv64 Linux program,
 * its system calls served by the host) or a system-mode board (-M spike).
 * Every host resource a machine takes is released by svm_destroy(), whatever
 * state the guest is in. No function here exits or aborts the process on a
 * guest-caused condition: errors come back as codes plus svm_error().
 *
 *     svm_config cfg;
 *     svm_config_init(&cfg);
 *     svm_machine *m;
 *     if (svm_create(&cfg, &m) != SVM_OK) ...
 *     svm_load_program(m, "hello", argc, argv, envp);
 *     svm_stop st;
 *     do svm_run(m, 10000000, &st); while (st.reason == SVM_STOP_BUDGET);
 *     svm_destroy(m);
 */
#ifndef SPLITVM_H
#define SPLITVM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SPLITVM_API_VERSION 1
#define SPLITVM_VERSION_STRING "0.1.0"

/* The API version the library was built with (compare to the macro). */
int svm_api_version(void);
const char *svm_version_string(void);

typedef struct svm_machine svm_machine;

typedef enum svm_mode { SVM_MODE_USER = 0, SVM_MODE_SYSTEM = 1 } svm_mode;
typedef enum svm_engine { SVM_ENGINE_DEFAULT = 0, SVM_ENGINE_INTERP = 1, SVM_ENGINE_JIT = 2 } svm_engine;
typedef enum svm_board { SVM_BOARD_SPIKE = 0, SVM_BOARD_VIRT = 1 } svm_board;

/* Log and console sink: one call per line (log) or per chunk (console). */
typedef void (*svm_output_fn)(void *opaque, const char *buf, size_t len);

typedef struct svm_config {
    svm_mode mode;
    svm_engine engine;
    /* User mode. */
    const char *sysroot;   /* -L: guest absolute paths resolve under it */
    int strace;            /* log every guest system call */
    /* System mode. */
    svm_board board;
    uint64_t ram_size;     /* bytes; 0 = default */
    svm_output_fn console; /* guest console output; NULL = stdout */
    void *console_opaque;
    /* Diagnostics (strace lines, warnings); NULL = stderr. */
    svm_output_fn log;
    void *log_opaque;
} svm_config;

typedef enum svm_status {
    SVM_OK = 0,
    SVM_ERR_INVALID = -1,     /* bad argument or call out of order */
    SVM_ERR_NOMEM = -2,
    SVM_ERR_IO = -3,          /* host file could not be read */
    SVM_ERR_BAD_IMAGE = -4,   /* malformed or unsupported program/image */
    SVM_ERR_UNSUPPORTED = -5, /* feature not built in */
} svm_status;

typedef enum svm_stop_reason {
    SVM_STOP_BUDGET = 0,   /* the instruction budget was spent; run again */
    SVM_STOP_EXITED = 1,   /* the guest ended; see exit_status / signal */
    SVM_STOP_WAITING = 2,  /* the guest waits (wfi, blocking I/O); run again later */
    SVM_STOP_BREAKPOINT = 3,
    SVM_STOP_FAULT = 4,    /* the guest faulted fatally; see cause/tval/pc */
    SVM_STOP_ERROR = 5,    /* emulator error; see svm_error() */
} svm_stop_reason;

typedef struct svm_stop {
    svm_stop_reason reason;
    int exit_status; /* SVM_STOP_EXITED: the guest's exit status (128+signal if killed) */
    int signal;      /* SVM_STOP_EXITED: the signal that killed the guest, else 0 */
    uint64_t pc;     /* pc at the stop */
    uint64_t cause;  /* SVM_STOP_FAULT: RISC-V exception cause */
    uint64_t tval;   /* SVM_STOP_FAULT: faulting address or instruction bits */
} svm_stop;

void svm_config_init(svm_config *cfg);
/* Create a machine. On failure *out is NULL and, if err is not NULL, a
 * one-line reason is written there. */
int svm_create(const svm_config *cfg, svm_machine **out, char *err, size_t errlen);
/* Release everything the machine holds. Safe at any point, NULL allowed. */
void svm_destroy(svm_machine *m);
/* The last error message for this machine ("" if none). */
const char *svm_error(const svm_machine *m);

/* User mode: load a static riscv64 Linux ELF with its arguments and
 * environment (argv[0] is the program name the guest sees). */
int svm_load_program(svm_machine *m, const char *path, int argc, char *const argv[], char *const envp[]);
/* System mode: load an ELF at its physical addresses and point the hart at
 * its entry (-bios none -kernel FILE). */
int svm_load_kernel(svm_machine *m, const char *path);

/* Run up to max_insns guest instructions (0 = no limit) and report why it
 * stopped. Returns SVM_OK, or an error code with reason SVM_STOP_ERROR. */
int svm_run(svm_machine *m, uint64_t max_insns, svm_stop *stop);

/* Registers: 0-31 are x0-x31, 32-63 are f0-f63, SVM_REG_PC is the pc. */
#define SVM_REG_F0 32
#define SVM_REG_PC 64
int svm_get_reg(const svm_machine *m, int reg, uint64_t *value);
int svm_set_reg(svm_machine *m, int reg, uint64_t value);
/* Guest memory (user mode: virtual; system mode: physical RAM). */
int svm_read_mem(svm_machine *m, uint64_t addr, void *buf, size_t len);
int svm_write_mem(svm_machine *m, uint64_t addr, const void *buf, size_t len);
/* Retired instruction count. */
uint64_t svm_instret(const svm_machine *m);

/* Engine counters, for benchmarks and tuning. JIT fields stay 0 when the
 * machine runs the interpreter. */
typedef struct svm_stats {
    uint64_t instret;          /* guest instructions retired */
    int jit;                   /* 1 when the JIT runs this machine */
    uint64_t jit_blocks;       /* blocks translated */
    uint64_t jit_guest_insns;  /* guest instructions in them */
    uint64_t jit_interp_blocks;/* blocks left to the interpreter */
    uint64_t jit_code_bytes;   /* host code in the buffer now */
    uint64_t jit_translate_ns; /* time spent translating */
    uint64_t jit_flushes;      /* whole-buffer flushes */
} svm_stats;
int svm_get_stats(const svm_machine *m, svm_stats *out);

#ifdef __cplusplus
}
#endif
#endif
