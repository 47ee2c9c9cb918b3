#!/bin/sh
# Run a riscv64 program in a -L sysroot whose /bin holds busybox and its
# applet links, and compare its stdout with a file (exit status must be 0).
# usage: spawn.sh <splitvm> <interp|jit> <riscv64 busybox dir> <program> <expected>
set -u
splitvm=$1 accel=$2 rvdir=$3 prog=$4 expected=$5
work=$(mktemp -d "${TMPDIR:-/tmp}/svm-spawn.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/busybox_links.sh"
busybox_links "$work" "$rvdir" || exit 2
cp "$prog" "$work/prog"
cd "$work" || exit 2
timeout -k 5 "${SPLITVM_TEST_TIMEOUT:-120}" env -i "$splitvm" -accel "$accel" -L "$work" -E PATH=/bin \
    "$work/prog" </dev/null >"$work/out"
status=$?
diff -u "$expected" "$work/out" || { echo "spawn.sh: output differs (status $status)"; exit 1; }
[ "$status" -eq 0 ] || { echo "spawn.sh: exit status $status"; exit 1; }
exit 0
