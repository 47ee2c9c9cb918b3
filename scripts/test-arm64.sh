#!/usr/bin/env bash
# Cross-build splitvm for AArch64 Linux (cmake/aarch64-linux-gnu.cmake) and
# run its CTest suite here under qemu-aarch64-static.
#   scripts/test-arm64.sh            the whole suite (half an hour or more)
#   scripts/test-arm64.sh --subset   the CI subset (a few minutes): the unit
#                                    tests (the coroutine switch in AArch64
#                                    assembly among them), the ISA and
#                                    privileged programs, a sample of the
#                                    user-mode comparisons, the API errors and
#                                    fault chain, the embedding and wait tests,
#                                    and the JIT differential tester (300
#                                    seeds and the regression seeds) against
#                                    the AArch64 backend
# Build dir: build-arm64 (BUILD_DIR to change). The last line of the output is
# "arm64: N passed, N failed", like scripts/test.sh's suites.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}
dir=${BUILD_DIR:-build-arm64}
subset=0
case "${1:-}" in
--subset) subset=1 ;;
"") ;;
*) echo "usage: $0 [--subset]" >&2; exit 2 ;;
esac

SUBSET='^(jit\.diff(\.regressions.*|\.traces)?$|unit\.(fpu|elf|coro|coro_portable|jit_trace|jit_jump_cache)$|isa\.|priv\.|api\.(errors|fault_chain)$|embed\.(memfs|services|jail)\.|threads\.wait\.|user\.(hello|args|intarith|signals|memfaults|exit42|pie|crash_wild|memfaults_xonly|hotloops)\.|user\.bad\.(x86|illegal)\.)'

cmake -S . -B "$dir" -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$dir" -j"$jobs"
if [ "$subset" -eq 0 ] && [ -f build/lua/lua-riscv64 ]; then
    mkdir -p "$dir/lua"
    cp -u build/lua/lua-riscv64 "$dir/lua/"
    cmake -S . -B "$dir" >/dev/null # register the Lua tests
fi
filter=()
[ "$subset" -eq 1 ] && filter=(-R "$SUBSET")
log="$dir/ctest.log" rc=0
ctest --test-dir "$dir" -j"$jobs" --timeout 600 --output-on-failure "${filter[@]}" 2>&1 | tee "$log" || rc=$?
pass=0 fail=0
line=$(grep -E '[0-9]+ tests failed out of [0-9]+' "$log" | tail -1 || true)
if [[ $line =~ ([0-9]+)\ tests\ failed\ out\ of\ ([0-9]+) ]]; then
    fail=${BASH_REMATCH[1]}
    pass=$((BASH_REMATCH[2] - fail))
elif [ $rc -ne 0 ]; then
    fail=1
fi
echo "arm64: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
