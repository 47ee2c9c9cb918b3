#!/usr/bin/env bash
# Build the libFuzzer targets (fuzz/, clang, ASan+UBSan) and run each for a
# bounded time: scripts/fuzz.sh [SECONDS_PER_TARGET] (default 60).
# Prints one line per target and a last line "fuzz: N passed, N failed";
# exits non-zero if any target found a crash, a hang (-timeout), a leak or a
# sanitizer report. Inputs that fail are saved under BUILD/fuzz-artifacts/;
# new coverage-increasing inputs go to BUILD/fuzz-work/ (the committed seed
# corpora in fuzz/corpus/ are only read).
# Environment: FUZZ_BUILD (build folder, default build-fuzz), JOBS,
# FUZZ_TARGETS (default "fuzz_elf fuzz_user fuzz_system fuzz_qcow2 fuzz_virtio fuzz_snapshot"), FUZZ_KEEP=1 to
# keep the work corpora of earlier runs instead of starting afresh.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${FUZZ_BUILD:-build-fuzz}
jobs=${JOBS:-2}
targets=${FUZZ_TARGETS:-fuzz_elf fuzz_user fuzz_system fuzz_qcow2 fuzz_virtio fuzz_snapshot}

fail_all() { # message: the build itself failed, so every target counts as failed
    echo "fuzz: $1" >&2
    local n=0
    for t in $targets; do echo "fuzz: $t failed (not built)"; n=$((n + 1)); done
    echo "fuzz: 0 passed, $n failed"
    exit 1
}
command -v clang >/dev/null || fail_all "clang not found (run scripts/setup.sh)"
mkdir -p "$build"
CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DSPLITVM_FUZZ=ON -DSPLITVM_TESTS=OFF \
    >"$build/cmake.log" 2>&1 || { cat "$build/cmake.log"; fail_all "configure failed"; }
# shellcheck disable=SC2086
cmake --build "$build" -j"$jobs" --target $targets || fail_all "build failed"

corpora() { # target: the committed seed folders it reads
    case $1 in
    fuzz_elf) echo fuzz/corpus/elf fuzz/corpus/user fuzz/corpus/system ;;
    fuzz_user) echo fuzz/corpus/user ;;
    fuzz_system) echo fuzz/corpus/system ;;
    fuzz_qcow2) echo fuzz/corpus/qcow2 ;;
    fuzz_virtio) echo fuzz/corpus/virtio ;;
    fuzz_snapshot) echo fuzz/corpus/snapshot ;;
    esac
}

pass=0
fail=0
for t in $targets; do
    work=$build/fuzz-work/$t
    art=$build/fuzz-artifacts/$t
    log=$build/fuzz-$t.log
    [ "${FUZZ_KEEP:-0}" = 1 ] || rm -rf "$work"
    rm -rf "$art"
    mkdir -p "$work" "$art"
    # -timeout: one input running over 10 s is a hang. -rss_limit_mb: the
    # guest's reserved address space is virtual, so 4 GiB resident is a leak.
    # shellcheck disable=SC2046
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
        "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$art/" "$work" $(corpora "$t") >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1)
    if [ $rc -eq 0 ] && ! grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:|ERROR: libFuzzer' "$log"; then
        echo "fuzz: $t passed (${runs:-?} inputs in ${seconds} s; ${cov:-no stats})"
        pass=$((pass + 1))
    else
        echo "fuzz: $t FAILED (exit $rc after ${runs:-?} inputs; log $log; inputs in $art/)"
        grep -E 'ERROR|runtime error|SUMMARY|Test unit written|fuzz_[a-z]+:' "$log" | head -20 | sed 's/^/    /'
        fail=$((fail + 1))
    fi
done
echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
