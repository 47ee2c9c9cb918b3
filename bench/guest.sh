#!/bin/bash
# Benchmark: a workload inside the booted Linux guest on the virt board
# (scripts/linux/init with splitvm.bench=work: 300 fork+exec+wait, a pipe of
# 10 MB, md5sum, awk floating point, sort), under qemu-system-riscv64 -M
# virt (TCG) and splitvm-system (JIT and interpreter), same firmware,
# kernel and initramfs, in one run. Times are the guest's own (its clock
# follows the host's on both emulators). Prints a markdown table (best of
# BENCH_RUNS runs per part, default 3).
#
# usage: bench/guest.sh [IMAGE INITRAMFS]   (default: build/linux/ from
#        scripts/build-linux.sh)
# Environment: SPLITVM_SYSTEM (default build/splitvm-system), BENCH_SMP.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
IMAGE=${1:-$ROOT/build/linux/Image}
INITRD=${2:-$ROOT/build/linux/initramfs.cpio.gz}
SYS=${SPLITVM_SYSTEM:-$ROOT/build/splitvm-system}
RUNS=${BENCH_RUNS:-3}
SMP=${BENCH_SMP:-1}
for f in "$IMAGE" "$INITRD" "$SYS"; do
    [ -e "$f" ] || { echo "bench/guest: $f missing (scripts/build-linux.sh, cmake --build build)" >&2; exit 1; }
done
args=(-M virt -m 256M -smp "$SMP" -nographic -bios default -kernel "$IMAGE" -initrd "$INITRD"
      -append "console=ttyS0 quiet splitvm.bench=work")

# run NAME CMD...: append "NAME part cs" lines for each run to $results.
results=$(mktemp)
trap 'rm -f "$results"' EXIT
run() {
    local name=$1 out
    shift
    for _ in $(seq "$RUNS"); do
        out=$(timeout 900 "$@" </dev/null 2>&1) || { echo "bench/guest: failed: $*" >&2; echo "$out" | tail -5 >&2; exit 1; }
        grep -q "SPLITVM-WORK-DONE" <<<"$out" || { echo "bench/guest: workload did not finish: $*" >&2; exit 1; }
        grep -a "^SPLITVM-WORK " <<<"$out" | tr -d '\r' | awk -v n="$name" '{print n, $2, $3}' >>"$results"
    done
}
echo "bench/guest: qemu-system-riscv64" >&2
run qemu qemu-system-riscv64 "${args[@]}"
echo "bench/guest: splitvm JIT" >&2
run jit "$SYS" -accel jit "${args[@]}"
echo "bench/guest: splitvm interpreter" >&2
run interp "$SYS" -accel interp "${args[@]}"

echo "Workload inside Linux, -smp $SMP, guest seconds, best of $RUNS ($(uname -m) host):"
echo
echo "| part | qemu-system-riscv64 | splitvm JIT | splitvm interp | JIT vs qemu | interp vs qemu |"
echo "|---|---:|---:|---:|---:|---:|"
awk '
{ k = $1 " " $2; if (!(k in best) || $3 < best[k]) best[k] = $3; if (!($2 in seen)) { seen[$2] = 1; order[n++] = $2 } }
END {
    for (i = 0; i < n; i++) {
        p = order[i]; q = best["qemu " p]; j = best["jit " p]; t = best["interp " p]
        printf "| %s | %.2f | %.2f | %.2f | %.2fx | %.2fx |\n", p, q / 100, j / 100, t / 100, q / (j ? j : 1), q / (t ? t : 1)
        gq += log(q ? q : 1); gj += log(j ? j : 1); gt += log(t ? t : 1)
    }
    printf "| geometric mean | | | | %.2fx | %.2fx |\n", exp((gq - gj) / n), exp((gq - gt) / n)
}' "$results"
