#!/bin/bash
# Benchmark: boot Linux to its init and power off on the virt board, under
# qemu-system-riscv64 -M virt (TCG) and splitvm-system (JIT and interpreter),
# with the same firmware (Debian's OpenSBI), kernel and initramfs, in one
# run. Prints a markdown table (best of BENCH_RUNS runs, default 3).
#
# usage: bench/boot.sh [IMAGE INITRAMFS]   (default: build/linux/Image and
#        build/linux/initramfs.cpio.gz from scripts/build-linux.sh)
# Environment: SPLITVM_SYSTEM (default build/splitvm-system), BENCH_SMP
# (harts, default 1), BENCH_APPEND (extra kernel arguments).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
IMAGE=${1:-$ROOT/build/linux/Image}
INITRD=${2:-$ROOT/build/linux/initramfs.cpio.gz}
SYS=${SPLITVM_SYSTEM:-$ROOT/build/splitvm-system}
RUNS=${BENCH_RUNS:-3}
SMP=${BENCH_SMP:-1}
# splitvm.bench=1: the init prints its marker and powers off at once.
APPEND="console=ttyS0 quiet splitvm.bench=1 ${BENCH_APPEND:-}"
for f in "$IMAGE" "$INITRD" "$SYS"; do
    [ -e "$f" ] || { echo "bench/boot: $f missing (scripts/build-linux.sh, cmake --build build)" >&2; exit 1; }
done

# best_time CMD...: the fastest of RUNS runs, in seconds; fails unless the
# guest reached its init (the marker) and powered off.
best_time() {
    local best="" t0 t1 dt out
    for _ in $(seq "$RUNS"); do
        t0=$(date +%s.%N)
        out=$(timeout 600 "$@" </dev/null 2>&1) || { echo "bench/boot: failed: $*" >&2; echo "$out" | tail -5 >&2; return 1; }
        t1=$(date +%s.%N)
        grep -q "SPLITVM-BOOT-OK" <<<"$out" || { echo "bench/boot: no init marker: $*" >&2; return 1; }
        dt=$(echo "$t1 - $t0" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$dt < $best" | bc -l)" = 1 ]; then best=$dt; fi
    done
    printf '%.2f' "$best"
}

args=(-M virt -m 256M -smp "$SMP" -nographic -bios default -kernel "$IMAGE" -initrd "$INITRD" -append "$APPEND")
echo "bench/boot: timing qemu-system-riscv64" >&2
q=$(best_time qemu-system-riscv64 "${args[@]}")
echo "bench/boot: timing splitvm JIT" >&2
j=$(best_time "$SYS" -accel jit "${args[@]}")
echo "bench/boot: timing splitvm interpreter" >&2
i=$(best_time "$SYS" -accel interp "${args[@]}")
echo "Linux boot to init and power-off, -smp $SMP, best of $RUNS ($(uname -m) host):"
echo
echo "| | qemu-system-riscv64 | splitvm JIT | splitvm interp |"
echo "|---|---:|---:|---:|"
echo "| seconds | $q | $j | $i |"
echo "| vs qemu | 1.00x | $(echo "scale=2; $q / $j" | bc -l)x | $(echo "scale=2; $q / $i" | bc -l)x |"
