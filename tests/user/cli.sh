#!/bin/bash
# The user-mode command line as qemu-user users type it: "--", -0, -E/-U with
# comma lists, the QEMU_* variables, -d help and unknown items, -cpu help,
# -L of a missing directory, and -strace. Each check compares splitvm with
# what qemu-riscv64 does for the same command (where qemu has an answer),
# or with the expected text.
#
# usage: cli.sh <splitvm> <qemu-riscv64> <args program> <env-printing program> <dynamic hello> <sysroot>
set -u
splitvm=$1
qemu=$2
args=$3
printenv_prog=$4
dyn=$5
sysroot=$6
fail=0
work=$(mktemp -d "${TMPDIR:-/tmp}/svm-cli.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# same NAME CMD...: the command's stdout and status under qemu and splitvm
# (the command names the emulator as @EMU@) must match.
same() {
    local name=$1
    shift
    local q=() s=() a
    for a in "$@"; do
        q+=("${a//@EMU@/$qemu}")
        s+=("${a//@EMU@/$splitvm}")
    done
    env -i PATH=/usr/bin:/bin "${q[@]}" >"$work/q.out" 2>/dev/null
    local qs=$?
    env -i PATH=/usr/bin:/bin "${s[@]}" >"$work/s.out" 2>"$work/s.err"
    local ss=$?
    if [ "$qs" != "$ss" ] || ! cmp -s "$work/q.out" "$work/s.out"; then
        echo "FAIL $name: qemu status $qs, splitvm status $ss"
        diff "$work/q.out" "$work/s.out" | head -20
        head -5 "$work/s.err"
        fail=1
    else
        echo "ok   $name"
    fi
}

# refused NAME CMD...: status 1 and exactly one "splitvm:" line.
refused() {
    local name=$1
    shift
    "$@" >"$work/out" 2>"$work/err" </dev/null
    local st=$?
    if [ "$st" != 1 ] || [ "$(wc -l <"$work/err")" != 1 ] || ! grep -q '^splitvm:' "$work/err"; then
        echo "FAIL $name: status $st, stderr:"
        head -5 "$work/err"
        fail=1
    else
        echo "ok   $name: $(cat "$work/err")"
    fi
}

# lists NAME PATTERN CMD...: status 0 and stdout matching PATTERN.
lists() {
    local name=$1 pattern=$2
    shift 2
    "$@" >"$work/out" 2>"$work/err" </dev/null
    local st=$?
    if [ "$st" != 0 ] || ! grep -qE "$pattern" "$work/out"; then
        echo "FAIL $name: status $st, stdout:"
        head -10 "$work/out"
        fail=1
    else
        echo "ok   $name"
    fi
}

same "--" @EMU@ -- "$args" -x --y
same "-0" @EMU@ -0 myname "$args" one
same "QEMU_ARGV0" env QEMU_ARGV0=fromenv @EMU@ "$args" one
same "-E list" @EMU@ -E A=1,B=two -E C=3 "$printenv_prog" A B C
same "-U list" env A=1 B=2 C=3 @EMU@ -U A,B "$printenv_prog" A B C
same "QEMU_SET_ENV" env QEMU_SET_ENV=A=x,B=y @EMU@ "$printenv_prog" A B
same "QEMU_UNSET_ENV" env A=1 B=2 QEMU_UNSET_ENV=A @EMU@ "$printenv_prog" A B
same "QEMU_LD_PREFIX" env QEMU_LD_PREFIX="$sysroot" @EMU@ "$dyn"
same "-L dynamic" @EMU@ -L "$sysroot" "$dyn"

# QEMU_STRACE and -strace: the guest's system calls are logged on stderr.
env QEMU_STRACE=1 "$splitvm" "$args" >/dev/null 2>"$work/strace"
if grep -q 'exit_group(0)' "$work/strace"; then echo "ok   QEMU_STRACE"; else echo "FAIL QEMU_STRACE"; fail=1; fi
"$splitvm" -strace "$args" >/dev/null 2>"$work/strace"
if grep -q 'write(1,' "$work/strace"; then echo "ok   -strace"; else echo "FAIL -strace"; fail=1; fi

lists "-d help" '^jit .*' "$splitvm" -d help
lists "-d help lists signal" '^signal ' "$splitvm" -d help
refused "-d unknown" "$splitvm" -d jit,bogus "$args"
refused "QEMU_LOG unknown" env QEMU_LOG=bogus "$splitvm" "$args"
lists "-cpu help" 'rv64' "$splitvm" -cpu help
refused "-cpu unknown" "$splitvm" -cpu pentium "$args"
same "-cpu rv64" @EMU@ -cpu rv64 "$args" x
refused "-L missing" "$splitvm" -L "$work/no/such/dir" "$args"
refused "-L a file" "$splitvm" -L "$args" "$args"
refused "-E without =" "$splitvm" -E novalue "$args"
refused "-0 at the end" "$splitvm" -0
refused "-g not a port" "$splitvm" -g nope "$args"
refused "QEMU_GDB not a port" env QEMU_GDB=0 "$splitvm" "$args"
# A second splitvm on the port the first one waits on for gdb.
gdb_port=$((20000 + $$ % 30000))
"$splitvm" -g "$gdb_port" "$args" </dev/null >/dev/null 2>&1 &
holder=$!
sleep 0.2
refused "-g port in use" "$splitvm" -g "$gdb_port" "$args"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
exit $fail
