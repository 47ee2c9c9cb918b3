#!/bin/bash
# The JIT's code buffer is bounded: with a 1 MiB buffer (-accel
# jit,tb-size=1) a program with about 250,000 instructions of distinct code,
# run three times over and translated at once (warm=1), must fill and flush
# it many times over and still compute every result right (jitcode checks them), with the buffer size
# reported by -d jit.
#
# usage: jitflush.sh SPLITVM JITCODE [ACCEL_OPTIONS]
set -u
splitvm=$1 prog=$2 extra=${3:-}
err=$(mktemp "${TMPDIR:-/tmp}/svm-jitflush.XXXXXX") || exit 2
trap 'rm -f "$err"' EXIT
out=$("$splitvm" -accel "jit,tb-size=1,warm=1$extra" -d jit "$prog" 2>"$err")
rc=$?
echo "$out"
cat "$err"
[ "$rc" -eq 0 ] || { echo "FAIL: status $rc"; exit 1; }
echo "$out" | grep -q '^jitcode: 2048 functions of 121 instructions, 3 passes, total 44715312$' ||
    { echo "FAIL: wrong output"; exit 1; }
grep -q 'jit on: .*(buffer 1024 KiB)' "$err" || { echo "FAIL: the JIT did not run with a 1 MiB buffer"; exit 1; }
flushes=$(sed -n 's/.* \([0-9]*\) flushes;.*/\1/p' "$err")
# (7 flushes with direct accesses since exits share their tails, about 9
# bytes of code per guest instruction; 8 needed more code per instruction)
[ "${flushes:-0}" -ge 5 ] || { echo "FAIL: only ${flushes:-0} flushes: the buffer was not refilled"; exit 1; }
echo "ok: $flushes flushes of a 1 MiB buffer, every result right"
