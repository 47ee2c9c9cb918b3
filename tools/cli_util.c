#include "cli_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_parse_accel(const char *s, svm_config *cfg)
{
    size_t n = strcspn(s, ",");
    if (n == 3 && (!strncmp(s, "jit", 3) || !strncmp(s, "tcg", 3))) {
        cfg->engine = SVM_ENGINE_JIT;
        if (!strcmp(s + n, ",fastmem=off"))
            cfg->jit_no_fault_handler = 1;
        else if (!strcmp(s + n, ",fastmem=on"))
            cfg->jit_no_fault_handler = 0;
        else if (s[n])
            return -1;
    } else if (!strcmp(s, "interp")) {
        cfg->engine = SVM_ENGINE_INTERP;
    } else {
        return -1;
    }
    return 0;
}

int cli_parse_size(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s)
        return -1;
    uint64_t mul = 1ull << 20;
    switch (*end) {
    case 'k': case 'K': mul = 1ull << 10; end++; break;
    case 'm': case 'M': mul = 1ull << 20; end++; break;
    case 'g': case 'G': mul = 1ull << 30; end++; break;
    case '\0': break;
    default: return -1;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end || v == 0 || v > (UINT64_MAX / mul))
        return -1;
    *out = v * mul;
    return 0;
}

void cli_error(const char *tool, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", tool);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
