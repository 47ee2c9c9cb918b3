#include "cli_util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_parse_accel(const char *s, svm_config *cfg)
{
    size_t n = strcspn(s, ",");
    if (n == 3 && (!strncmp(s, "jit", 3) || !strncmp(s, "tcg", 3))) {
        cfg->engine = SVM_ENGINE_JIT;
        /* Options after the name, each ",key=value". */
        for (const char *o = s + n; *o;) {
            o++;
            size_t len = strcspn(o, ",");
            char opt[64];
            if (len >= sizeof(opt))
                return -1;
            memcpy(opt, o, len);
            opt[len] = 0;
            uint64_t mib;
            if (!strcmp(opt, "fastmem=off"))
                cfg->jit_no_fault_handler = 1;
            else if (!strcmp(opt, "fastmem=on"))
                cfg->jit_no_fault_handler = 0;
            else if (!strncmp(opt, "tb-size=", 8) && !cli_parse_size_unit(opt + 8, 20, &mib))
                cfg->jit_code_size = mib; /* QEMU's tcg,tb-size: MiB */
            else if (!strncmp(opt, "warm=", 5) && opt[5] >= '0' && opt[5] <= '9' && atoi(opt + 5) <= 255)
                cfg->jit_warm_runs = (unsigned)atoi(opt + 5);
            else
                return -1;
            o += len;
        }
    } else if (!strcmp(s, "interp")) {
        cfg->engine = SVM_ENGINE_INTERP;
    } else {
        return -1;
    }
    return 0;
}

int cli_parse_size_unit(const char *s, unsigned unit_shift, uint64_t *out)
{
    if (*s < '0' || *s > '9') /* strtoull would take spaces and signs */
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return -1;
    unsigned shift = unit_shift;
    const char *suffixes = "kKmMgGtT", *at = *end ? strchr(suffixes, *end) : NULL;
    if (at) {
        shift = 10 * (unsigned)(1 + (at - suffixes) / 2);
        end++;
        if (*end == 'i' && (end[1] == 'B' || end[1] == 'b')) /* 512MiB */
            end += 2;
        else if (*end == 'B' || *end == 'b') /* 512MB */
            end++;
    }
    if (*end || v == 0 || v > (UINT64_MAX >> shift))
        return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

int cli_parse_size(const char *s, uint64_t *out) { return cli_parse_size_unit(s, 20, out); }

void cli_error(const char *tool, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", tool);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_print_jit_stats(const char *tool, svm_machine *m, double run_ns)
{
    svm_stats s;
    svm_get_stats(m, &s);
    fprintf(stderr,
            "%s: jit %s: %llu blocks (%llu guest insns) translated, %llu hot, %llu left to the interpreter, "
            "%llu KiB code (buffer %llu KiB), %.1f bytes per guest insn, %llu flushes; "
            "translation %.1f ms = %.0f ns per guest insn = %.2f%% of %.0f ms; %llu insns retired\n",
            tool, s.jit ? "on" : "off", (unsigned long long)s.jit_blocks, (unsigned long long)s.jit_guest_insns,
            (unsigned long long)s.jit_hot_blocks, (unsigned long long)s.jit_interp_blocks,
            (unsigned long long)(s.jit_code_bytes >> 10), (unsigned long long)(s.jit_code_limit >> 10),
            s.jit_guest_insns ? (double)s.jit_code_emitted / (double)s.jit_guest_insns : 0.0,
            (unsigned long long)s.jit_flushes, (double)s.jit_translate_ns / 1e6,
            s.jit_guest_insns ? (double)s.jit_translate_ns / (double)s.jit_guest_insns : 0.0,
            run_ns > 0 ? 100.0 * (double)s.jit_translate_ns / run_ns : 0.0, run_ns / 1e6, (unsigned long long)s.instret);
}

char *cli_next_pair(char **s, char **key, char **val)
{
    char *p = *s, *out = *s;
    if (!*p)
        return NULL;
    char *start = out;
    while (*p) {
        if (*p == ',' && p[1] == ',') {
            *out++ = ',';
            p += 2;
        } else if (*p == ',') {
            p++;
            break;
        } else {
            *out++ = *p++;
        }
    }
    *out = 0;
    *s = p;
    char *eq = strchr(start, '=');
    *key = start;
    *val = NULL;
    if (eq) {
        *eq = 0;
        *val = eq + 1;
    }
    return start;
}

char *cli_keep_copy(char **slots, unsigned *n, unsigned cap, const char *tool, const char *arg)
{
    char *buf = *n < cap ? strdup(arg) : NULL;
    if (!buf)
        cli_error(tool, "too many options like '%s'", arg);
    else
        slots[(*n)++] = buf;
    return buf;
}
