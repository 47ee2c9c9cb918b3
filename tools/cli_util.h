/* Small helpers shared by the command-line tools. */
#ifndef SPLITVM_CLI_UTIL_H
#define SPLITVM_CLI_UTIL_H

#include <stdint.h>

#include "splitvm.h"

/* "jit" / "interp" (QEMU's "tcg" is accepted as jit), the JIT optionally
 * with ",fastmem=on|off" (see svm_config.jit_no_fault_handler) and
 * ",tb-size=MiB" (QEMU's name: svm_config.jit_code_size). Sets cfg->engine
 * (and the options); returns 0 or -1. */
int cli_parse_accel(const char *s, svm_config *cfg);
/* QEMU-style memory size: a plain number is MiB; K, M, G, T suffixes
 * (optionally followed by B or iB). 0 and overflow are errors. */
int cli_parse_size(const char *s, uint64_t *out);
/* The same with a plain number in units of 1 << unit_shift bytes (0: bytes,
 * as QEMU's -R takes them). */
int cli_parse_size_unit(const char *s, unsigned unit_shift, uint64_t *out);
/* QEMU's option lists: the next "key=value" (or "key") of *s, cut in place
 * and advanced past; ",," in a value is a comma. NULL at the end. */
char *cli_next_pair(char **s, char **key, char **val);
/* A copy of an option's text (which parsed names then point into) kept in
 * slots[*n] of cap; NULL after printing why when full. */
char *cli_keep_copy(char **slots, unsigned *n, unsigned cap, const char *tool, const char *arg);
/* Print "tool: message" on stderr. */
/* `-d jit`: the JIT's counters after a run of run_ns nanoseconds, one line
 * on stderr. */
void cli_print_jit_stats(const char *tool, svm_machine *m, double run_ns);
void cli_error(const char *tool, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
