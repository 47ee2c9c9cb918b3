#!/bin/bash
# The JIT's output fingerprint: runs the bench kernels (bench/*.c, built
# static for riscv64 into JIT_HASH_BUILD) and the tests' user programs
# that compute (build/tests/user) under splitvm with SPLITVM_JIT_HASH=1,
# the host's address randomisation off (setarch -R) and an empty
# environment (the guest's stack, and so its path through string
# functions, follows the environment's size), with direct guest accesses and with the soft TLB (fastmem=off), and
# prints each run's code hash, block count and code bytes. A backend
# refactoring that must not change the emitted code leaves every line the
# same (see docs/aarch64-jit.md, "Checking the emitted code").
#
# The tests' jit_diff (random instruction sequences, one machine each; its
# plain, --baseline (no optional host instructions), --ext and --self
# runs) adds one line per run: a digest of its machines' hash lines.
#
# usage: scripts/jit-hash.sh [BUILD]   (default build/; SPLITVM, JIT_DIFF:
# other binaries, run on BUILD's test programs)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
SPLITVM=${SPLITVM:-$BUILD/splitvm}
JIT_DIFF=${JIT_DIFF:-$BUILD/tests/jit/jit_diff}
OUT=${JIT_HASH_BUILD:-$BUILD/jit-hash}
RISCV_CC=${RISCV_LINUX_GCC:-riscv64-linux-gnu-gcc}
mkdir -p "$OUT"
RUNS=(
    "sieve 2000000 3"
    "nbody 200000"
    "matmul 200"
    "sha256 16"
    "qsort 500000"
)
for run in "${RUNS[@]}"; do
    set -- $run
    [ "$OUT/$1.riscv64" -nt "$ROOT/bench/$1.c" ] ||
        "$RISCV_CC" -static -O2 -o "$OUT/$1.riscv64" "$ROOT/bench/$1.c" -lm
done
hash_of() { # ACCEL PROGRAM ARGS...: the hash line of one run
    local accel=$1
    shift
    env -i SPLITVM_JIT_HASH=1 setarch -R "$SPLITVM" -accel "$accel" "$@" 2>&1 >/dev/null |
        sed -n 's/^splitvm: jit code hash //p'
}
for accel in jit jit,fastmem=off; do
    for run in "${RUNS[@]}"; do
        set -- $run
        prog=$1
        shift
        printf '%-16s %-8s %s\n' "$accel" "$prog" "$(hash_of "$accel" "$OUT/$prog.riscv64" "$@")"
    done
    # (not Lua: it seeds its string hashes with the time, so its tables
    # and hot loops differ from run to run)
    for prog in hotloops intarith math strings malloc setjmp; do
        printf '%-16s %-8s %s\n' "$accel" "$prog" "$(hash_of "$accel" "$BUILD/tests/user/$prog")"
    done
done
if [ -x "$JIT_DIFF" ]; then
    for opt in plain --baseline --ext --self; do
        args=(--seeds 300)
        [ "$opt" = plain ] || args+=("$opt")
        lines=$(env -i SPLITVM_JIT_HASH=1 setarch -R "$JIT_DIFF" "${args[@]}" 2>&1 | grep 'jit code hash' || true)
        printf '%-16s %-8s %s over %s machines\n' jit_diff "$opt" "$(md5sum <<<"$lines" | cut -c1-16)" \
            "$(grep -c . <<<"$lines")"
    done
fi
