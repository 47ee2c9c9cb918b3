#!/bin/bash
# Coroutine switch cost: host_coro with the project's assembly switcher, with
# the portable fallback (sigsetjmp/siglongjmp), and glibc's swapcontext as the
# baseline. Prints a markdown table on stdout; progress goes to stderr.
#
# Environment: CC (default gcc), BENCH_BUILD (where the programs are built,
# default build/bench), CORO_TRIPS (resume+yield round trips per timed run,
# default 2000000).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build/bench}
CC=${CC:-gcc}
TRIPS=${CORO_TRIPS:-2000000}
mkdir -p "$BUILD"

log() { echo "bench/coro: $*" >&2; }

# Built straight from the sources (host layer + coroutines only), so the
# bench does not depend on the rest of the library building.
SRCS=("$ROOT/bench/coro_switch.c" "$ROOT/src/host/coro.c" "$ROOT/src/host/coro_portable.c"
      "$ROOT/src/host/coro_x86_64.S" "$ROOT/src/host/coro_aarch64.S" "$ROOT/src/host/host.c"
      "$ROOT/src/host/host_fault.c")
CFLAGS=(-std=c11 -D_GNU_SOURCE -O2 -I"$ROOT/src/host")

log "building with $CC in $BUILD"
"$CC" "${CFLAGS[@]}" "${SRCS[@]}" -o "$BUILD/coro_switch" -lm
"$CC" "${CFLAGS[@]}" -DSPLITVM_CORO_PORTABLE "${SRCS[@]}" -o "$BUILD/coro_switch_portable" -lm

log "running ($TRIPS round trips, best of 5)"
"$BUILD/coro_switch" --header --ucontext "$TRIPS" >"$BUILD/coro_asm.md"
"$BUILD/coro_switch_portable" "$TRIPS" >"$BUILD/coro_portable.md"
# Header, assembly, portable, then the swapcontext baseline.
head -n 3 "$BUILD/coro_asm.md"
cat "$BUILD/coro_portable.md"
tail -n +4 "$BUILD/coro_asm.md"
