#!/bin/sh
# Run a riscv64 program under splitvm and compare its stdout with a file.
# usage: expect.sh <splitvm> <interp|jit> <expected stdout> <program> [args...]
# Passes when the output matches and the exit status is 0.
set -u
splitvm=$1 accel=$2 expected=$3
shift 3
out=$(mktemp "${TMPDIR:-/tmp}/svm-expect.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT
timeout -k 5 "${SPLITVM_TEST_TIMEOUT:-120}" "$splitvm" -accel "$accel" "$@" </dev/null >"$out"
status=$?
if ! diff -u "$expected" "$out"; then
    echo "expect.sh: output differs (status $status)"
    exit 1
fi
if [ "$status" -ne 0 ]; then
    echo "expect.sh: exit status $status"
    exit 1
fi
exit 0
