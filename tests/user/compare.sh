#!/bin/bash
# Run a riscv64 program under splitvm (-accel interp|jit) and under qemu-riscv64
# (the oracle) and compare what they did.
#
# usage: compare.sh [options] <splitvm> <qemu> <prog> [args...]
#   --stdin FILE   pipe FILE into the program (default: stdin is /dev/null)
#   --stderr       compare stderr too (only where it is deterministic)
#   --status N     also require exit status N from both
#   --accel NAME   splitvm engine (default: interp)
#   --runner       <splitvm> is another program over the library that takes
#                  only -accel (tests/wx's wx_seccomp): it is not given
#                  -d signal, and reports a guest's signal N as status 128+N
#   --sysroot DIR  run both with -L DIR (dynamically linked programs: the
#                  dynamic loader and libraries come from DIR)
# An argument "@TMP@" (or one containing it) becomes a fresh, empty scratch
# directory, a different one for each run (the programs print relative names
# only). Both runs get the same small, fixed environment. splitvm must not
# print a sanitizer report; a guest killed by signal N kills splitvm with
# signal N, as it does qemu. splitvm runs with -d signal, so such a death
# must come with its "guest terminated by signal N" line (dropped before
# stderr is compared): a signal without it is splitvm's own crash.
set -u

stdin_file=""
cmp_stderr=0
want_status=""
accel=interp
sysroot_opt=()
debug_opt=(-d signal)
while [ $# -gt 0 ]; do
    case "$1" in
    --stdin) stdin_file=$2; shift 2 ;;
    --stderr) cmp_stderr=1; shift ;;
    --status) want_status=$2; shift 2 ;;
    --accel) accel=$2; shift 2 ;;
    --sysroot) sysroot_opt=(-L "$2"); shift 2 ;;
    --runner) debug_opt=(); shift ;;
    --) shift; break ;;
    -*) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
if [ $# -lt 3 ]; then
    echo "usage: compare.sh [--stdin FILE] [--stderr] [--status N] [--accel A] <splitvm> <qemu> <prog> [args...]" >&2
    exit 2
fi
splitvm=$1
qemu=$2
prog=$3
shift 3

work=$(mktemp -d "${TMPDIR:-/tmp}/svm-compare.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
ulimit -c 0
umask 022

# The guest environment: fixed, plus any sanitizer options for splitvm itself.
guest_env=(SPLITVM_TEST_FOO=bar SPLITVM_TEST_EMPTY= PATH=/usr/bin:/bin LANG=C LC_ALL=C)
for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
    if [ -n "${!v:-}" ]; then
        guest_env+=("$v=${!v}")
    fi
done

# run NAME CMD...: stdout/stderr to $work/NAME.{out,err}, outcome ("exit N"
# or "signal N") to $work/NAME.how. perl tells a signal death from an exit.
run() {
    local name=$1
    shift
    local scratch="$work/$name.tmp"
    mkdir -p "$scratch"
    local argv=() a
    for a in "$@"; do
        argv+=("${a//@TMP@/$scratch}")
    done
    local input=/dev/null
    [ -n "$stdin_file" ] && input=$stdin_file
    cat "$input" | OUTCOME="$work/$name.how" perl -e '
        system { $ARGV[0] } @ARGV;
        my $s = $?;
        open(my $f, ">", $ENV{OUTCOME}) or die;
        if ($s == -1) { print $f "exit 127\n"; }
        elsif ($s & 127) { print $f "signal ", ($s & 127), "\n"; }
        else { print $f "exit ", ($s >> 8), "\n"; }
    ' env -i "${guest_env[@]}" timeout -k 5 "${SPLITVM_TEST_TIMEOUT:-120}" "${argv[@]}" \
        >"$work/$name.out" 2>"$work/$name.err"
}

run qemu "$qemu" "${sysroot_opt[@]}" "$prog" "$@"
run splitvm "$splitvm" -accel "$accel" "${debug_opt[@]}" "${sysroot_opt[@]}" "$prog" "$@"

fail=0
read -r q_kind q_num <"$work/qemu.how"
read -r s_kind s_num <"$work/splitvm.how"
# qemu and splitvm re-raise a fatal guest signal on themselves.
q_status=$q_num
[ "$q_kind" = signal ] && q_status=$((128 + q_num))
s_status=$s_num
if [ "$s_kind" = signal ]; then
    s_status=$((128 + s_num))
    # Under qemu-user (the AArch64 cross build) qemu adds a line of its own
    # about splitvm's death.
    sed -i '/^qemu: uncaught target signal/d' "$work/splitvm.err"
    if ! tail -n 1 "$work/splitvm.err" | grep -q "^splitvm: guest terminated by signal $s_num "; then
        echo "FAIL: splitvm was killed by host signal $s_num, not by the guest's"
        fail=1
    fi
    sed -i '$ d' "$work/splitvm.err"
fi
if [ "$s_kind" = exit ] && [ "$s_num" = 124 ]; then
    echo "FAIL: splitvm timed out (${SPLITVM_TEST_TIMEOUT:-120} s)"
    fail=1
fi
# The library announces on stderr, before the guest runs, when it falls back
# from the JIT to the interpreter; that line is not the guest's output. Only
# this exact first line is dropped, so the comparison is the same with or
# without it.
jit_notice="splitvm: the JIT is not available in this build; using the interpreter"
awk -v n="$jit_notice" 'NR == 1 && $0 == n { next } { print }' "$work/splitvm.err" >"$work/splitvm.err.guest"
mv "$work/splitvm.err.guest" "$work/splitvm.err"
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$work/splitvm.err"; then
    echo "FAIL: sanitizer report from splitvm"
    fail=1
fi

if [ "$q_status" != "$s_status" ]; then
    echo "FAIL: exit status: qemu $q_status, splitvm $s_status"
    fail=1
fi
if [ -n "$want_status" ] && [ "$q_status" != "$want_status" ]; then
    echo "FAIL: qemu's exit status $q_status, expected $want_status (the test program itself is wrong?)"
    fail=1
fi
if ! diff -u --label qemu.stdout --label splitvm.stdout "$work/qemu.out" "$work/splitvm.out" >"$work/out.diff"; then
    echo "FAIL: stdout differs:"
    head -n 100 "$work/out.diff"
    fail=1
fi
if [ "$cmp_stderr" = 1 ] &&
    ! diff -u --label qemu.stderr --label splitvm.stderr "$work/qemu.err" "$work/splitvm.err" >"$work/err.diff"; then
    echo "FAIL: stderr differs:"
    head -n 50 "$work/err.diff"
    fail=1
fi

if [ "$fail" != 0 ]; then
    echo "--- splitvm stderr (first 30 lines):"
    head -n 30 "$work/splitvm.err"
    echo "--- qemu stderr (first 10 lines):"
    head -n 10 "$work/qemu.err"
    exit 1
fi
echo "OK: $(basename "$prog") status $s_status, $(wc -l <"$work/splitvm.out") lines of identical output"
exit 0
