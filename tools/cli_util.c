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
