/* A bare JIT context for the unit tests that run the backend's code
 * directly (test_jit_chain.c, test_jit_jump_cache.c): the mirrored code
 * buffer and the trampolines, no hart. */
#ifndef SPLITVM_TEST_JIT_CTX_H
#define SPLITVM_TEST_JIT_CTX_H

#include <stdio.h>
#include <stdlib.h>

#include "../../src/host/host.h"
#include "../../src/jit/jit.h"

/* NULL (said on stderr as `tool`'s) when this host has no JIT. */
static jit_ctx *test_jit_open(host_ctx *h, const char *tool)
{
    jit_ctx *jc = calloc(1, sizeof(*jc));
    if (jc)
        jc->backend_work = calloc(1, jit_backend_work_size());
    if (!h || !jc || !jc->backend_work || !jit_codebuf_init(jc, h, JIT_CODE_MIN) || !jit_backend_init(jc)) {
        fprintf(stderr, "%s: no JIT on this host\n", tool);
        return NULL;
    }
    return jc;
}

static void test_jit_close(jit_ctx *jc, host_ctx *h)
{
    jit_codebuf_free(jc, h);
    free(jc->backend_work);
    free(jc);
}

#endif
