#!/bin/bash
# Benchmark on real programs built from Debian source packages
# (scripts/build-realbench.sh): each program natively (x86-64 build of the
# same source), under qemu-riscv64 and under splitvm (-accel jit and
# -accel interp), on a deterministic workload. Every guest run's output and
# exit status must match qemu's (and native's). Prints two markdown tables
# on stdout (times and ratios; the JIT's code and translation figures);
# progress goes to stderr.
#
# Environment: SPLITVM (default build/splitvm), QEMU (qemu-riscv64-static),
# BENCH_RUNS (timed runs per command, default 3; the fastest counts),
# BENCH_BUILD (default build/realbench), BENCH_ONLY (subset of: bzip2 xz
# sqlite3 lua minisat), BENCH_CPU (1, the default: user + system CPU time;
# 0: wall time), BENCH_JIT_OPTS (extra -accel jit options, e.g. warm=1),
# BENCH_NO_INTERP=1 (skip the interpreter's runs).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
BUILD=${BENCH_BUILD:-$ROOT/build/realbench}
QEMU=${QEMU:-qemu-riscv64-static}
RUNS=${BENCH_RUNS:-3}
export BENCH_CPU=${BENCH_CPU:-1}
JITOPT=jit${BENCH_JIT_OPTS:+,$BENCH_JIT_OPTS}
SPLITVM=${SPLITVM:-$ROOT/build/splitvm}
log() { echo "bench: $*" >&2; }
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"
[ -x "$SPLITVM" ] || { log "no splitvm at $SPLITVM (cmake --build build --target splitvm)"; exit 1; }
command -v "$QEMU" >/dev/null || { log "$QEMU not found (run scripts/setup.sh)"; exit 1; }

"$ROOT/scripts/build-realbench.sh" "$BUILD"
IN=$BUILD/inputs
mkdir -p "$IN"

# --- inputs (deterministic, made once) ---------------------------------------
# text: about 6 MB of words drawn by a fixed linear congruential generator
# (compressible like prose, with no two runs of the script differing).
if [ ! -s "$IN/text" ]; then
    awk 'BEGIN {
        split("the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their has would when if so no will more time into only new some could them these may than then do first any like now my other its over such our man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three",
              w, " ")
        n = length(w); x = 12345
        for (line = 0; line < 90000; line++) {
            s = ""
            for (k = 0; k < 12; k++) {
                x = (x * 1103515245 + 12345) % 2147483648
                s = s (k ? " " : "") w[int(x / 65536) % n + 1]
            }
            print s "."
        }
    }' >"$IN/text"
    head -c 1500000 "$IN/text" >"$IN/text.small"
fi
# cnf: a random 3-SAT instance near the threshold (4.26 clauses per
# variable), from the same kind of generator.
if [ ! -s "$IN/sat280.cnf" ]; then
    awk -v nv=280 'BEGIN {
        nc = int(nv * 4.26); x = 4242
        print "p cnf", nv, nc
        for (c = 0; c < nc; c++) {
            s = ""
            for (k = 0; k < 3; k++) {
                x = (x * 1103515245 + 12345) % 2147483648
                v = int(x / 65536) % nv + 1
                x = (x * 1103515245 + 12345) % 2147483648
                s = s (int(x / 65536) % 2 ? -v : v) " "
            }
            print s "0"
        }
    }' >"$IN/sat280.cnf"
fi

# Program name and arguments (guest and native take the same ones).
PROGRAMS=(
    "bzip2 -9 -c $IN/text"
    "xz -6 -c $IN/text.small"
    "sqlite3 -batch -init $BENCH/real/workload.sql :memory: .quit"
    "lua $BENCH/bench.lua"
    "minisat -verb=0 $IN/sat280.cnf"
)

# run_check LABEL CMD...: run once; stdout to BUILD/LABEL.out, status to
# BUILD/LABEL.rc.
run_check() {
    local label=$1 rc=0
    shift
    "$@" >"$BUILD/$label.out" 2>"$BUILD/$label.err" || rc=$?
    echo "$rc" >"$BUILD/$label.rc"
}
same_as() { cmp -s "$BUILD/$1.out" "$BUILD/$2.out" && cmp -s "$BUILD/$1.rc" "$BUILD/$2.rc"; }

# jit_field LINE REGEX: the number a sed -E capture takes from a -d jit line.
jit_field() { sed -E "s/.*$2.*/\\1/" <<<"$1"; }

# qemu_code_per_insn CMD...: qemu's host code bytes per guest instruction
# translated (from -d in_asm,out_asm: guest instructions listed, and the
# "[size=N]" of each translation block's host code).
qemu_code_per_insn() {
    local qlog=$BUILD/qemu-tb.log
    rm -f "$qlog"
    "$QEMU" -d in_asm,out_asm -D "$qlog" "$@" >/dev/null 2>&1 || true
    awk '/^IN:/ { inasm = 1; next } /^OUT: \[size=/ { inasm = 0; sub(/.*size=/, ""); sub(/\].*/, ""); bytes += $0; next }
         /^$/ { inasm = 0 } inasm && /^0x[0-9a-f]+:/ { insns++ }
         END { if (insns) printf "%.1f", bytes / insns; else print "-" }' "$qlog"
    rm -f "$qlog"
}

log "splitvm $SPLITVM, -accel $JITOPT; $RUNS runs each; $([ "$BENCH_CPU" = 1 ] && echo 'CPU time' || echo 'wall time')"
T1="| program | native s | qemu s | splitvm jit s | jit vs qemu | jit vs native | splitvm interp s | interp vs qemu |"
TAB1=("$T1" "|---|---:|---:|---:|---:|---:|---:|---:|")
TAB2=("| program | guest insns retired | blocks | guest insns translated | code bytes per guest insn (qemu's) | translation ns per insn | translation share | flushes |"
      "|---|---:|---:|---:|---:|---:|---:|---:|")
GJQ=() GJN=() GIQ=()

for entry in "${PROGRAMS[@]}"; do
    read -r name args <<<"$entry"
    if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $name "* ]]; then
        continue
    fi
    # shellcheck disable=SC2206
    argv=($args)
    native=("$BUILD/$name-native" "${argv[@]}")
    guest=("$BUILD/$name-riscv64" "${argv[@]}")
    log "$name: checking outputs"
    run_check native "${native[@]}"
    run_check qemu "$QEMU" "${guest[@]}"
    run_check jit "$SPLITVM" -accel "$JITOPT" "${guest[@]}"
    same_as qemu native || log "$name: qemu's output differs from native's (compared with qemu's below)"
    if ! same_as jit qemu; then
        log "$name: JIT output or status differs from qemu's: FAIL"
        TAB1+=("| $name | - | - | FAIL | - | - | - | - |")
        continue
    fi
    cmds=("native=${native[*]}" "qemu=$QEMU ${guest[*]}" "jit=$SPLITVM -accel $JITOPT ${guest[*]}")
    interp_ok=0
    if [ "${BENCH_NO_INTERP:-0}" != 1 ]; then
        run_check interp "$SPLITVM" -accel interp "${guest[@]}"
        if same_as interp qemu; then
            interp_ok=1
            cmds+=("interp=$SPLITVM -accel interp ${guest[*]}")
        else
            log "$name: interpreter output or status differs from qemu's: FAIL"
        fi
    fi
    log "$name: timing"
    TIMES=()
    time_all "${cmds[@]}"
    n=${TIMES[native]} q=${TIMES[qemu]} j=${TIMES[jit]}
    if [ $interp_ok = 1 ]; then
        i=${TIMES[interp]}
        GIQ+=("$(awk -v a="$q" -v b="$i" 'BEGIN { print a / b }')")
        icells="$i | $(ratio "$q" "$i")"
    else
        icells="- | -"
    fi
    GJQ+=("$(awk -v a="$q" -v b="$j" 'BEGIN { print a / b }')")
    GJN+=("$(awk -v a="$n" -v b="$j" 'BEGIN { print a / b }')")
    TAB1+=("| $name | $n | $q | $j | $(ratio "$q" "$j") | $(ratio "$n" "$j") | $icells |")
    line=$("$SPLITVM" -accel "$JITOPT" -d jit "${guest[@]}" 2>&1 >/dev/null | grep "splitvm: jit" | tail -1 || true)
    qb=$(qemu_code_per_insn "${guest[@]}")
    TAB2+=("| $name | $(jit_field "$line" '; ([0-9]+) insns retired') | $(jit_field "$line" ': ([0-9]+) blocks') | $(jit_field "$line" '\(([0-9]+) guest insns\)') | $(jit_field "$line" ', ([0-9.]+) bytes per guest insn') ($qb) | $(jit_field "$line" ' = ([0-9.]+) ns per guest insn') | $(jit_field "$line" ' = ([0-9.]+%) of ') | $(jit_field "$line" ', ([0-9]+) flushes') |")
done

geomean() { printf '%s\n' "$@" | awk '{ s += log($1); n++ } END { if (n) printf "%.2fx", exp(s / n); else print "-" }'; }
printf '%s\n' "${TAB1[@]}"
echo "| geometric mean | | | | $(geomean "${GJQ[@]}") | $(geomean "${GJN[@]}") | | $( [ ${#GIQ[@]} -gt 0 ] && geomean "${GIQ[@]}" || echo -) |"
echo
printf '%s\n' "${TAB2[@]}"
echo
echo "$(uname -m), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //'), $([ "$BENCH_CPU" = 1 ] && echo 'user+system CPU s' || echo 'wall s'), fastest of $RUNS runs per command (taking turns), -accel $JITOPT, $(date -u +%Y-%m-%d)."
