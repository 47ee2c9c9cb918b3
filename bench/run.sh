#!/bin/bash
# Benchmark: the same programs natively (x86-64 build of the same source),
# under qemu-riscv64 and under splitvm (-accel interp, and -accel jit when
# the build has a JIT), timed with hyperfine (or a date loop without it).
# Prints a markdown table on stdout; progress goes to stderr.
#
# Environment: SPLITVM (default build/splitvm, built here if missing),
# QEMU (qemu-riscv64-static), BENCH_RUNS (timed runs per command, default 3;
# the fastest counts),
# BENCH_BUILD (where programs are built, default build/bench),
# BENCH_ONLY (space-separated subset of: sieve nbody matmul sha256 qsort lua),
# BENCH_TIMER=date (use the date loop even when hyperfine is installed).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
BUILD=${BENCH_BUILD:-$ROOT/build/bench}
QEMU=${QEMU:-qemu-riscv64-static}
RUNS=${BENCH_RUNS:-3}
RISCV_CC=${RISCV_LINUX_GCC:-riscv64-linux-gnu-gcc}
HOST_CC=${CC:-gcc}
mkdir -p "$BUILD"

log() { echo "bench: $*" >&2; }

# Program name and arguments, sized for about 0.2-1 s natively and at most
# about 4 s under qemu on a 2020s x86-64 core.
PROGRAMS=(
    "sieve 20000000 25"
    "nbody 4000000"
    "matmul 800"
    "sha256 384"
    "qsort 5000000"
    "lua $BENCH/bench.lua"
)

# --- build -----------------------------------------------------------------
if [ -z "${SPLITVM:-}" ]; then
    SPLITVM=$ROOT/build/splitvm
    if [ ! -x "$SPLITVM" ]; then
        log "building splitvm in $ROOT/build"
        cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release >&2
        cmake --build "$ROOT/build" --target splitvm -j2 >&2
    fi
fi
[ -x "$SPLITVM" ] || { log "no splitvm at $SPLITVM"; exit 1; }
command -v "$QEMU" >/dev/null || { log "$QEMU not found (run scripts/setup.sh)"; exit 1; }

# build_one NAME: BUILD/NAME.native and BUILD/NAME.riscv64 from bench/NAME.c
build_one() {
    local src=$BENCH/$1.c
    if [ ! -x "$BUILD/$1.native" ] || [ "$src" -nt "$BUILD/$1.native" ]; then
        "$HOST_CC" -O2 -o "$BUILD/$1.native" "$src" -lm
    fi
    if [ ! -x "$BUILD/$1.riscv64" ] || [ "$src" -nt "$BUILD/$1.riscv64" ]; then
        "$RISCV_CC" -static -O2 -o "$BUILD/$1.riscv64" "$src" -lm
    fi
}

# --- timing ----------------------------------------------------------------
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"
JITSTATS=()

# ok_output NAME CMD...: run once; true when the output matches native's.
ok_output() {
    local name=$1
    shift
    local out=$BUILD/$name.check
    local rc=0
    "$@" >"$out" 2>"$out.err" || rc=$?
    if [ "$rc" != 0 ]; then
        log "$name: exit status $rc ($(head -c 200 "$out.err"))"
        return 1
    fi
    if ! cmp -s "$out" "$BUILD/expected.out"; then
        log "$name: output differs from native"
        return 1
    fi
    return 0
}

# --- run -------------------------------------------------------------------
log "building programs in $BUILD"
"$ROOT/scripts/build-lua.sh" "$BUILD/lua" >&2
for p in sieve nbody matmul sha256 qsort; do
    build_one "$p"
done

# The JIT counts as present when -accel jit runs a program silently and right.
HAVE_JIT=0
"$BUILD/sieve.native" 1000 1 >"$BUILD/expected.out"
if ok_output jit-probe "$SPLITVM" -accel jit "$BUILD/sieve.riscv64" 1000 1 2>/dev/null &&
    [ ! -s "$BUILD/jit-probe.check.err" ]; then
    HAVE_JIT=1
fi
log "JIT: $([ $HAVE_JIT = 1 ] && echo yes || echo no); timer: $([ $HAVE_HYPERFINE = 1 ] && echo hyperfine || echo date loop); $RUNS runs each"

echo "| program | native s | qemu s | splitvm interp s | interp vs qemu (qemu s / splitvm s) | interp vs native (native s / splitvm s) |$([ $HAVE_JIT = 1 ] && echo ' splitvm jit s | jit vs qemu | jit vs native |')"
echo "|---|---:|---:|---:|---:|---:|$([ $HAVE_JIT = 1 ] && echo '---:|---:|---:|')"

for entry in "${PROGRAMS[@]}"; do
    read -r name args <<<"$entry"
    if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $name "* ]]; then
        continue
    fi
    if [ "$name" = lua ]; then
        native="$BUILD/lua/lua-native $args"
        guest="$BUILD/lua/lua-riscv64 $args"
    else
        native="$BUILD/$name.native $args"
        guest="$BUILD/$name.riscv64 $args"
    fi
    log "$name: checking outputs"
    # shellcheck disable=SC2086
    $native >"$BUILD/expected.out"
    cmds=("native=$native" "qemu=$QEMU $guest")
    # shellcheck disable=SC2086
    ok_output qemu $QEMU $guest || { log "$name: qemu disagrees with native"; continue; }
    interp_ok=0
    # shellcheck disable=SC2086
    if ok_output interp "$SPLITVM" -accel interp $guest; then
        interp_ok=1
        cmds+=("interp=$SPLITVM -accel interp $guest")
    fi
    jit_ok=0
    # shellcheck disable=SC2086
    if [ $HAVE_JIT = 1 ] && ok_output jit "$SPLITVM" -accel jit $guest; then
        jit_ok=1
        cmds+=("jit=$SPLITVM -accel jit $guest")
    fi
    log "$name: timing"
    TIMES=()
    time_all "${cmds[@]}"
    n=${TIMES[native]}
    q=${TIMES[qemu]}
    if [ $interp_ok = 1 ]; then
        i=${TIMES[interp]}
        row="| $name | $n | $q | $i | $(ratio "$q" "$i") | $(ratio "$n" "$i") |"
    else
        row="| $name | $n | $q | FAIL | - | - |"
    fi
    if [ $HAVE_JIT = 1 ]; then
        if [ $jit_ok = 1 ]; then
            j=${TIMES[jit]}
            row="$row $j | $(ratio "$q" "$j") | $(ratio "$n" "$j") |"
        else
            row="$row FAIL | - | - |"
        fi
    fi
    echo "$row"
    if [ $jit_ok = 1 ]; then
        # shellcheck disable=SC2086
        line=$("$SPLITVM" -accel jit -d jit $guest 2>&1 >/dev/null | grep 'splitvm: jit' | tail -1)
        JITSTATS+=("| $name | $(sed -E 's/.*\(([0-9]+) guest insns\).*/\1/' <<<"$line") | $(sed -E 's/.* = ([0-9.]+) ns per guest insn.*/\1/' <<<"$line") | $(sed -E 's/.* = ([0-9.]+%) of .*/\1/' <<<"$line") |")
    fi
done
if [ ${#JITSTATS[@]} -gt 0 ]; then
    echo
    echo "JIT translation cost (\`splitvm -d jit\`, one run):"
    echo
    echo "| program | guest insns translated | ns per translated insn | share of run time |"
    echo "|---|---:|---:|---:|"
    printf '%s\n' "${JITSTATS[@]}"
fi
if [ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" coro "* ]]; then
    echo
    echo "Coroutine switch cost (bench/coro.sh):"
    echo
    BENCH_BUILD=$BUILD/coro bash "$BENCH/coro.sh" 2>/dev/null || log "coro bench failed"
fi
echo
echo "$(uname -m), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //'), fastest of $RUNS runs per command (taking turns), $(date -u +%Y-%m-%d)."
