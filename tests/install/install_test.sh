#!/bin/bash
# Install splitvm into a scratch prefix and use it the way an embedding app
# would: check what was installed (libraries, header, pkg-config file, no test
# programs), build every examples/*.c against the installed copy with
# `pkg-config --cflags --libs splitvm` (shared library) and with
# `pkg-config --static` (static library), and run run_program on guest
# programs, checking their output and exit status.
#
# usage: install_test.sh --build DIR --prefix DIR --examples DIR --cc CC
#                        --pkg-config PKGCONFIG --hello PROG --exit42 PROG
#                        [--extra-flags "FLAGS"] [--run "EMULATOR ARGS"]
# --extra-flags: compile and link flags the installed library needs from its
# users (the sanitizer flags when it was built with SPLITVM_SANITIZE).
# --run: what runs the built programs in a cross build (CMake's
# CMAKE_CROSSCOMPILING_EMULATOR, a ;-separated list), empty natively.
set -u

build="" prefix="" examples="" cc=cc pkgconfig=pkg-config hello="" exit42="" extra="" run=""
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$2 ;;
    --prefix) prefix=$2 ;;
    --examples) examples=$2 ;;
    --cc) cc=$2 ;;
    --pkg-config) pkgconfig=$2 ;;
    --hello) hello=$2 ;;
    --exit42) exit42=$2 ;;
    --extra-flags) extra=$2 ;;
    --run) run=$2 ;;
    *) echo "install_test.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift 2
done

IFS=';' read -r -a runner <<<"$run"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

rm -rf "$prefix"
mkdir -p "$prefix"
if ! cmake --install "$build" --prefix "$prefix/root" >"$prefix/install.log" 2>&1; then
    cat "$prefix/install.log"
    echo "FAIL: cmake --install"
    exit 1
fi
root=$prefix/root

# What is installed: the two libraries, the header, the pkg-config file and
# the two tools; nothing else under bin/ (no test programs anywhere).
pcfile=$(find "$root" -name splitvm.pc | head -1)
[ -n "$pcfile" ] || { echo "FAIL: no splitvm.pc installed"; exit 1; }
libdir=$(dirname "$(dirname "$pcfile")")
for f in include/splitvm.h bin/splitvm bin/splitvm-system; do
    [ -f "$root/$f" ] || fail "$f not installed"
done
for f in libsplitvm.a libsplitvm.so libsplitvm.so.0; do
    [ -e "$libdir/$f" ] || fail "$f not installed in $libdir"
done
extra_bin=$(ls "$root/bin" | grep -v -x -e splitvm -e splitvm-system)
[ -z "$extra_bin" ] || fail "unexpected programs installed in bin/: $extra_bin"
tests_found=$(find "$root" -name 'test_*' -o -name 'guest_*' -o -name 'jit_diff*')
[ -z "$tests_found" ] || fail "test programs installed: $tests_found"

# The shared library: versioned name, SONAME libsplitvm.so.0, and only the
# public API (svm_*) exported.
if command -v readelf >/dev/null; then
    soname=$(readelf -d "$libdir/libsplitvm.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
    [ "$soname" = libsplitvm.so.0 ] || fail "SONAME is '$soname', expected libsplitvm.so.0"
fi
if command -v nm >/dev/null; then
    private=$(nm -D --defined-only "$libdir/libsplitvm.so" | awk '$2 ~ /^[TDBRVW]$/ && $3 !~ /^svm_/ {print $3}' | head -5)
    [ -z "$private" ] || fail "the shared library exports non-API symbols: $private"
fi

export PKG_CONFIG_PATH=$libdir/pkgconfig
unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR
"$pkgconfig" --exists splitvm || { echo "FAIL: pkg-config does not find splitvm"; exit 1; }
cflags=$("$pkgconfig" --cflags splitvm)
libs=$("$pkgconfig" --libs splitvm)
static_libs=$("$pkgconfig" --static --libs splitvm)
echo "pkg-config: cflags '$cflags' libs '$libs' static '$static_libs'"
version=$("$pkgconfig" --modversion splitvm)
header_version=$(sed -n 's/^#define SPLITVM_VERSION_STRING "\(.*\)"/\1/p' "$root/include/splitvm.h")
[ "$version" = "$header_version" ] || fail "pkg-config version $version, header says $header_version"

# The header alone compiles as strict C11 and, where a C++ compiler is
# present, as C++ (it has extern "C").
echo '#include <splitvm.h>' >"$prefix/hdr.c"
# shellcheck disable=SC2086
$cc -std=c11 -Wall -Wextra -Werror -pedantic $cflags -fsyntax-only "$prefix/hdr.c" || fail "header does not compile as C11"
if command -v c++ >/dev/null; then
    # shellcheck disable=SC2086
    c++ -x c++ -Wall -Wextra -Werror -pedantic $cflags -fsyntax-only "$prefix/hdr.c" || fail "header does not compile as C++"
fi

# Every example, built against the installed copy only: the source folder's
# include/ and the build tree are not on any path.
shopt -s nullglob
sources=("$examples"/*.c)
[ ${#sources[@]} -gt 0 ] || fail "no examples in $examples"
for src in "${sources[@]}"; do
    name=$(basename "$src" .c)
    # shellcheck disable=SC2086
    $cc -std=c11 -Wall -Wextra -Werror $extra "$src" $cflags $libs -o "$prefix/$name.shared" ||
        fail "$name does not build against the shared library"
    # The static library: -Bstatic picks libsplitvm.a, --static adds its
    # private dependencies (libfdt, libslirp: shared ones where the system
    # has no archive); the rest of the program stays dynamic, as in an app.
    # shellcheck disable=SC2086
    $cc -std=c11 -Wall -Wextra -Werror $extra "$src" $cflags ${static_libs/-lsplitvm/-Wl,-Bstatic -lsplitvm -Wl,-Bdynamic} \
        -o "$prefix/$name.static" || fail "$name does not build against the static library"
done
if [ -x "$prefix/run_program.static" ] && command -v readelf >/dev/null; then
    readelf -d "$prefix/run_program.static" | grep -q 'libsplitvm\.so' && fail "the static build needs libsplitvm.so"
    readelf -d "$prefix/run_program.shared" | grep -q 'NEEDED.*libsplitvm\.so\.0' ||
        fail "the shared build does not need libsplitvm.so.0"
fi

# run_program: the guest's output on stdout, one report line on stderr, the
# guest's exit status as its own. Shared build: the loader finds the
# installed library through LD_LIBRARY_PATH only.
check_run() { # label expected-status expected-stdout prog args...
    local label=$1 want_status=$2 want_out=$3
    shift 3
    local out err status
    out=$("${runner[@]}" "$@" 2>"$prefix/stderr")
    status=$?
    err=$(cat "$prefix/stderr")
    [ "$status" -eq "$want_status" ] || fail "$label: exit status $status, expected $want_status (stderr: $err)"
    [ "$out" = "$want_out" ] || fail "$label: stdout '$out', expected '$want_out'"
    echo "$err" | grep -q -E "^run_program: exit status $want_status after [1-9][0-9]* slices$" ||
        fail "$label: stderr '$err'"
    echo "$label: status $status; $err"
}
if [ -x "$prefix/run_program.shared" ]; then
    LD_LIBRARY_PATH=$libdir check_run "shared run_program hello" 0 $'hello, world\nhello via write' \
        "$prefix/run_program.shared" "$hello"
    LD_LIBRARY_PATH=$libdir check_run "shared run_program exit42" 42 \
        $'exiting with 42 (buffered, no newline flush yet)\natexit handler ran' \
        "$prefix/run_program.shared" "$exit42"
    if env -u LD_LIBRARY_PATH "${runner[@]}" "$prefix/run_program.shared" "$hello" >/dev/null 2>&1; then
        # Only if a libsplitvm.so.0 is installed system-wide; say so.
        echo "note: run_program.shared also ran without LD_LIBRARY_PATH (a system copy exists)"
    fi
fi
if [ -x "$prefix/run_program.static" ]; then
    check_run "static run_program exit42" 42 \
        $'exiting with 42 (buffered, no newline flush yet)\natexit handler ran' \
        "$prefix/run_program.static" "$exit42"
    check_run "static run_program hello" 0 $'hello, world\nhello via write' \
        "$prefix/run_program.static" "$hello"
fi
err=$("${runner[@]}" "$prefix/run_program.static" 2>&1)
[ $? -eq 2 ] && echo "$err" | grep -q '^usage:' || fail "run_program without arguments: '$err'"
err=$("${runner[@]}" "$prefix/run_program.static" "$prefix/no-such-program" 2>&1)
[ $? -eq 1 ] && echo "$err" | grep -q '^run_program: ' || fail "run_program on a missing file: '$err'"

if [ $failures -ne 0 ]; then
    echo "FAIL: $failures failures"
    exit 1
fi
echo "OK"
