#!/bin/bash
# The AArch64 build under emulation: the bench kernels (smaller sizes than
# bench/run.sh) run by the cross-built splitvm (-accel jit and -accel interp)
# and, when given, by Debian's arm64 qemu-riscv64-static, all three under
# qemu-aarch64-static on this x86-64 machine. Prints a markdown table of the
# fastest of BENCH_RUNS wall times and the JIT's emitted code per guest
# instruction. These are emulated figures: see docs/aarch64-jit.md for what
# they do and do not say.
#
# Environment: SPLITVM_ARM64 (default build-arm64/splitvm), QEMU_AARCH64
# (qemu-aarch64-static), QEMU_RISCV64_ARM64 (an arm64 qemu-riscv64-static,
# e.g. extracted with `apt-get download qemu-user-static:arm64` and
# `dpkg-deb -x`; the column is left out without it), BENCH_RUNS (default 3),
# BENCH_BUILD (the riscv64 programs, built here if missing; default build/bench).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SPLITVM=${SPLITVM_ARM64:-$ROOT/build-arm64/splitvm}
QEMU=${QEMU_AARCH64:-qemu-aarch64-static}
# As build-arm64/emu/splitvm does: qemu-user maps splitvm's large guest
# reservation slowly (10 s per run without this), so it gets 16 GiB.
QEMU_ARGS=(-R 16G -L "${AARCH64_SYSROOT:-/usr/aarch64-linux-gnu}")
QRV=${QEMU_RISCV64_ARM64:-}
RUNS=${BENCH_RUNS:-3}
BUILD=${BENCH_BUILD:-$ROOT/build/bench}
RISCV_CC=${RISCV_LINUX_GCC:-riscv64-linux-gnu-gcc}
mkdir -p "$BUILD"

PROGRAMS=(
    "sieve 2000000 2"
    "nbody 100000"
    "matmul 120"
    "sha256 16"
    "qsort 200000"
)

[ -x "$SPLITVM" ] || { echo "bench: no $SPLITVM (scripts/test-arm64.sh builds it)" >&2; exit 1; }
for spec in "${PROGRAMS[@]}"; do
    name=${spec%% *}
    [ -x "$BUILD/$name.riscv64" ] || "$RISCV_CC" -static -O2 -o "$BUILD/$name.riscv64" "$ROOT/bench/$name.c" -lm
done

# best_time CMD...: the fastest wall time of RUNS runs, in seconds.
best_time() {
    local best="" t0 t1 t
    for _ in $(seq "$RUNS"); do
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || { echo "fail"; return; }
        t1=$(date +%s.%N)
        t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
        if [ -z "$best" ] || awk -v t="$t" -v m="$best" 'BEGIN { exit !(t < m) }'; then best=$t; fi
    done
    printf "%.2f" "$best"
}

header="| program | splitvm jit (s) | splitvm interp (s) |"
rule="|---|---|---|"
if [ -n "$QRV" ]; then
    header="$header qemu-riscv64 arm64 (s) |"
    rule="$rule---|"
fi
echo "$header AArch64 instructions per guest instruction |"
echo "$rule---|"
for spec in "${PROGRAMS[@]}"; do
    read -r name args <<<"$spec"
    prog=$BUILD/$name.riscv64
    echo "bench: $name" >&2
    # shellcheck disable=SC2086
    jit=$(best_time "$QEMU" "${QEMU_ARGS[@]}" "$SPLITVM" -accel jit "$prog" $args)
    # shellcheck disable=SC2086
    interp=$(best_time "$QEMU" "${QEMU_ARGS[@]}" "$SPLITVM" -accel interp "$prog" $args)
    row="| $name $args | $jit | $interp |"
    if [ -n "$QRV" ]; then
        # shellcheck disable=SC2086
        row="$row $(best_time "$QEMU" "$QRV" "$prog" $args) |"
    fi
    # Code per guest instruction from -d jit: "N blocks (G guest insns) ... K KiB code".
    # shellcheck disable=SC2086
    stats=$("$QEMU" "${QEMU_ARGS[@]}" "$SPLITVM" -accel jit -d jit "$prog" $args 2>&1 >/dev/null | grep 'jit on' || true)
    g=$(sed -n 's/.*(\([0-9]*\) guest insns).*/\1/p' <<<"$stats")
    k=$(sed -n 's/.* \([0-9]*\) KiB code.*/\1/p' <<<"$stats")
    per="?"
    [ -n "$g" ] && [ -n "$k" ] && [ "$g" -gt 0 ] && per=$(awk -v k="$k" -v g="$g" 'BEGIN { printf "%.1f", k * 1024 / 4 / g }')
    echo "$row $per |"
done
