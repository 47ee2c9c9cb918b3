/* Much distinct guest code, for the JIT's bounded code buffer: writes
 * FUNCS functions of straight-line code (adds of immediates and of a
 * loaded word: direct guest accesses) into one mapping, calls them all
 * PASSES times and checks every result. Under `-accel jit,tb-size=1` the
 * translations outgrow the buffer several times, so it is flushed and
 * refilled between and within passes; every result must still be right. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "../user/check.h"

#define FUNCS 2048
#define BODY 120 /* instructions per function, before its ret */
#define PASSES 3

static uint32_t addi_a0(int imm) { return ((uint32_t)(imm & 0xfff) << 20) | (10u << 15) | (10u << 7) | 0x13u; }
#define LD_T0_A1 ((11u << 15) | (3u << 12) | (5u << 7) | 0x03u)           /* ld t0, 0(a1) */
#define ADD_A0_T0 ((5u << 20) | (10u << 15) | (10u << 7) | 0x33u)          /* add a0, a0, t0 */
#define RET 0x00008067u                                                    /* jalr x0, 0(ra) */

typedef long (*fn_t)(long start, const long *word);

int main(void)
{
    size_t stride = (BODY + 1) * 4, len = FUNCS * stride;
    uint32_t *code = mmap(NULL, len, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(code != MAP_FAILED);
    static long expect[FUNCS];
    for (int f = 0; f < FUNCS; f++) {
        uint32_t *p = code + (size_t)f * (BODY + 1);
        long sum = 0;
        for (int i = 0; i < BODY; i++) {
            if (i % 8 == 7) {
                *p++ = i % 16 == 15 ? ADD_A0_T0 : LD_T0_A1;
                if (i % 16 == 15)
                    sum += f; /* the loaded word is f */
            } else {
                int imm = ((f * 31 + i * 7) % 2000) - 1000;
                *p++ = addi_a0(imm);
                sum += imm;
            }
        }
        *p = RET;
        expect[f] = sum;
    }
    __asm__ volatile("fence.i" ::: "memory");
    long word, total = 0;
    for (int pass = 0; pass < PASSES; pass++) {
        for (int f = 0; f < FUNCS; f++) {
            word = f;
            fn_t fn = (fn_t)(void *)((uint8_t *)code + (size_t)f * stride);
            long got = fn(pass, &word);
            if (got != expect[f] + pass) {
                printf("FAIL: pass %d function %d gave %ld, expected %ld\n", pass, f, got, expect[f] + pass);
                return 1;
            }
            total += got;
        }
    }
    printf("jitcode: %d functions of %d instructions, %d passes, total %ld\n", FUNCS, BODY + 1, PASSES, total);
    return 0;
}
