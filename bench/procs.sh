#!/bin/bash
# Benchmark: guest processes (bench/procs.c) under splitvm (-accel jit and
# interp) and qemu-riscv64, plus the program built natively for scale:
# the fork + wait round trip, fork + execve + wait (the child execs the
# benchmark itself; under qemu-user that needs the riscv64 binfmt handler
# that qemu-user-static registers, else its cell says n/a), and 64 MiB
# through a pipe between two processes. The program times itself; the best
# of BENCH_RUNS runs (default 3) counts. Prints a markdown table.
# Environment: SPLITVM (default build/splitvm), QEMU (qemu-riscv64-static).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SPLITVM=${SPLITVM:-$ROOT/build/splitvm}
QEMU=${QEMU:-qemu-riscv64-static}
RUNS=${BENCH_RUNS:-3}
OUT=${BENCH_BUILD:-$ROOT/build/bench}
mkdir -p "$OUT"
riscv64-linux-gnu-gcc -static -O2 -o "$OUT/procs-rv64" "$ROOT/bench/procs.c"
${CC:-gcc} -O2 -o "$OUT/procs-native" "$ROOT/bench/procs.c"
[ -x "$SPLITVM" ] || { echo "bench/procs: $SPLITVM missing (cmake --build build)" >&2; exit 1; }

# best RUNNER... -- MODE ARG: the best value the program prints (lowest time
# or highest throughput), or n/a when it fails.
best() {
    local cmd=() mode arg v best=""
    while [ "$1" != -- ]; do cmd+=("$1"); shift; done
    mode=$2 arg=$3
    for _ in $(seq "$RUNS"); do
        v=$(cd /tmp && timeout 300 "${cmd[@]}" "$mode" "$arg" 2>/dev/null | awk '{print $2}') || { echo n/a; return; }
        [ -n "$v" ] || { echo n/a; return; }
        if [ -z "$best" ]; then best=$v
        elif [ "$mode" = pipe ]; then best=$(echo "if ($v > $best) $v else $best" | bc -l)
        else best=$(echo "if ($v < $best) $v else $best" | bc -l); fi
    done
    printf '%.1f' "$best"
}

echo "| | native | splitvm jit | splitvm interp | qemu-riscv64 |"
echo "|---|---|---|---|---|"
for m in "fork 300 fork+wait (us)" "exec 150 fork+exec+wait (us)" "pipe 64 pipe 64 MiB (MiB/s)"; do
    set -- $m
    mode=$1 arg=$2
    shift 2
    echo "bench/procs: $mode" >&2
    printf '| %s | %s | %s | %s | %s |\n' "$*" \
        "$(best "$OUT/procs-native" -- "$mode" "$arg")" \
        "$(best "$SPLITVM" -accel jit "$OUT/procs-rv64" -- "$mode" "$arg")" \
        "$(best "$SPLITVM" -accel interp "$OUT/procs-rv64" -- "$mode" "$arg")" \
        "$(best "$QEMU" "$OUT/procs-rv64" -- "$mode" "$arg")"
done
