#!/usr/bin/env bash
# Set up a fresh Debian machine and pass the tests: the release build and the
# ASan+UBSan build, each with the whole CTest suite, then the libFuzzer
# targets for FUZZ_SECONDS each (default 60; scripts/fuzz.sh), each target
# counted as one test, then the AArch64 cross build's CI subset under qemu
# (scripts/test-arm64.sh --subset).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}

bash scripts/setup.sh
bash scripts/build-lua.sh build/lua
# The Linux guest of the virt board's boot tests (cached outside the clone).
bash scripts/build-linux.sh build/linux
# Debian's own riscv64 kernel with a few of its modules, and its Essential
# packages as a root file system (system.debian_kernel, system.debian_rootfs;
# downloaded from the Debian archive, cached outside the clone).
bash scripts/fetch-debian-kernel.sh build/debian-kernel
bash scripts/fetch-debian-rootfs.sh build/debian-rootfs
# Busybox for user mode and the host's own from the same source (the
# processes test compares their shells; cached outside the clone).
bash scripts/build-busybox.sh riscv64 build/busybox-riscv64 >/dev/null
bash scripts/build-busybox.sh native build/busybox-native >/dev/null
# The dynamically linked riscv64 busybox (procs.busybox_dynamic): when it
# cannot be built the test reports the reason from build/busybox-dynamic.skip
# and counts as skipped.
rm -rf build/busybox-dynamic build/busybox-dynamic.skip
if ! bash scripts/build-busybox.sh dynamic build/busybox-dynamic >/dev/null 2>build/busybox-dynamic.log; then
    { echo "scripts/build-busybox.sh dynamic failed:"; tail -n 5 build/busybox-dynamic.log; } |
        tee build/busybox-dynamic.skip >&2
    rm -rf build/busybox-dynamic
fi
rm -f build/busybox-dynamic.log
# GNU make for riscv64 and the host (procs.make), the same way.
rm -rf build/make build/make.skip
if ! bash scripts/build-make.sh build/make >/dev/null 2>build/make.log; then
    { echo "scripts/build-make.sh failed:"; tail -n 5 build/make.log; } | tee build/make.skip >&2
    rm -rf build/make
fi
rm -f build/make.log

total_pass=0
total_fail=0
run_suite() { # name builddir cmake-args...
    local name=$1 dir=$2
    shift 2
    cmake -S . -B "$dir" "$@" >/dev/null
    cmake --build "$dir" -j"$jobs"
    mkdir -p "$dir/lua"
    cp -u build/lua/lua-riscv64 "$dir/lua/" 2>/dev/null || true
    cmake -S . -B "$dir" >/dev/null # pick up the Lua binary for the Lua tests
    local log="$dir/ctest.log" rc=0
    # A hung test (a JIT bug that loops) fails after 5 minutes, not CTest's 25
    # (the slowest test, api.many_machines under ASan, takes under a minute).
    ctest --test-dir "$dir" -j"$jobs" --timeout 300 --output-on-failure 2>&1 | tee "$log" || rc=$?
    local line pass=0 fail=0
    line=$(grep -E '[0-9]+ tests failed out of [0-9]+' "$log" | tail -1 || true)
    if [[ $line =~ ([0-9]+)\ tests\ failed\ out\ of\ ([0-9]+) ]]; then
        fail=${BASH_REMATCH[1]}
        pass=$((BASH_REMATCH[2] - fail))
    elif [ $rc -ne 0 ]; then
        fail=1
    fi
    echo "$name: $pass passed, $fail failed"
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
}

run_suite release build -DCMAKE_BUILD_TYPE=Release
run_suite asan build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPLITVM_SANITIZE=ON

run_fuzz() {
    local log rc=0 line pass=0 fail=0
    log=$(mktemp)
    bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}" 2>&1 | tee "$log" || rc=$?
    line=$(grep -E '^fuzz: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 || true)
    rm -f "$log"
    if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        pass=${BASH_REMATCH[1]}
        fail=${BASH_REMATCH[2]}
    fi
    if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
        fail=1
    fi
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
}
run_fuzz

# The AArch64 cross build under qemu-aarch64-static, its CI subset; the
# script's last line says "arm64: N passed, N failed".
arm64_log=$(mktemp)
bash scripts/test-arm64.sh --subset 2>&1 | tee "$arm64_log" || true
if [[ $(tail -1 "$arm64_log") =~ ^arm64:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    total_pass=$((total_pass + BASH_REMATCH[1]))
    total_fail=$((total_fail + BASH_REMATCH[2]))
else
    echo "arm64: the cross build failed"
    total_fail=$((total_fail + 1))
fi
rm -f "$arm64_log"

# A third-party build that failed skips its tests (CTest counts them as
# passed); here each such build counts as a failure, so CI cannot go green
# without them.
for skip in build/busybox-dynamic.skip build/make.skip; do
    if [ -f "$skip" ]; then
        echo "failed: $skip (its tests were skipped)"
        total_fail=$((total_fail + 1))
    fi
done

echo "total: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]
