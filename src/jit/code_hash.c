/* A debugging aid that proves a change to a backend left its output alone:
 * with SPLITVM_JIT_HASH set (read once per JIT context), every emitted
 * block's bytes go into an FNV-1a hash, and the JIT's teardown prints the
 * hash with the blocks' count and total size on stderr; SPLITVM_JIT_HASH=2
 * also prints each block's guest pc, size, own hash and host (RX) address as
 * it is emitted (which blocks are translated may depend on host addresses: the warm-up
 * counts untranslated blocks in a table indexed by a hash of them). Eight-byte values
 * that point near the emulator's own code (helper and table addresses
 * moved by a relinked binary) are hashed as zeros; other addresses (the
 * jump cache, the code buffer) repeat from run to run with the host's
 * address randomisation off (setarch -R). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit.h"

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull
#define IMAGE_REACH ((uintptr_t)256 << 20) /* far more than the binary's size */

void jit_code_hash_init(jit_ctx *jc)
{
    const char *env = getenv("SPLITVM_JIT_HASH");
    jc->hash_code = env && *env && strcmp(env, "0") != 0;
    jc->hash_each = jc->hash_code && strcmp(env, "2") == 0;
    jc->code_hash = FNV_OFFSET;
}

static bool points_into_image(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    uintptr_t here = (uintptr_t)&jit_code_hash_init;
    return v >= here - IMAGE_REACH && v < here + IMAGE_REACH;
}

void jit_code_hash_block(jit_ctx *jc, const uint8_t *rw, size_t len)
{
    if (!jc->hash_code)
        return;
    uint64_t h = jc->code_hash, own = FNV_OFFSET;
    for (size_t k = 0; k < len;) {
        size_t run = k + 8 <= len && points_into_image(rw + k) ? 8 : 1;
        for (size_t j = 0; j < run; j++, k++) {
            uint8_t byte = run == 8 ? 0 : rw[k];
            h = (h ^ byte) * FNV_PRIME;
            own = (own ^ byte) * FNV_PRIME;
        }
    }
    if (jc->hash_each) /* the host address: for scripts/jit-profile.sh */
        fprintf(stderr, "splitvm: jit block %#llx: %zu bytes, hash %016llx, at %#llx, %u insns%s\n",
                (unsigned long long)jc->ir.pc, len, (unsigned long long)own,
                (unsigned long long)((uintptr_t)rw - (uintptr_t)jc->diff), (unsigned)jc->ir.ninsns,
                jc->ir.hot ? ", hot" : "");
    jc->code_hash = h;
    jc->hashed_blocks++;
    jc->hashed_bytes += len;
}

void jit_code_hash_report(const jit_ctx *jc)
{
    if (jc->hash_code)
        fprintf(stderr, "splitvm: jit code hash %016llx over %llu blocks, %llu bytes\n",
                (unsigned long long)jc->code_hash, (unsigned long long)jc->hashed_blocks,
                (unsigned long long)jc->hashed_bytes);
}
