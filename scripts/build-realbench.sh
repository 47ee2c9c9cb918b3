#!/bin/bash
# Build the real programs of bench/real.sh from Debian's source packages,
# each twice: PROG-riscv64 (riscv64-linux-gnu, -static -O2), a guest for
# splitvm and qemu-riscv64, and PROG-native (x86-64, -static -O2), the
# baseline. Programs: bzip2 (compressor), xz (xz-utils, LZMA compressor),
# sqlite3 (the database shell), minisat (a C++ SAT solver; minisat2);
# Lua comes from scripts/build-lua.sh.
# Usage: scripts/build-realbench.sh [OUTDIR]   (default build/realbench)
#
# Results are cached outside the clone, under ${SPLITVM_CACHE:-/var/cache/splitvm}:
#   realbench-<package>-<version>-<key>/   the two binaries and build.log
#   src/                                   the unpacked sources (apt-get source)
# The key hashes this script's version, the package version and both
# compilers' versions, so a warm run only copies into OUTDIR. These builds
# are for the benchmark only (not part of CI).
set -euo pipefail

# Bump when a change here alters what gets built.
SCRIPT_VERSION=1

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTDIR=${1:-$ROOT/build/realbench}
CACHE=${SPLITVM_CACHE:-/var/cache/splitvm}
CROSS=${CROSS_COMPILE:-riscv64-linux-gnu-}
HOST_CC=${HOSTCC:-gcc}
HOST_CXX=${HOSTCXX:-g++}

say() { echo "build-realbench: $*" >&2; }
die() { echo "build-realbench: error: $*" >&2; exit 1; }
for c in "${CROSS}gcc" "${CROSS}g++" "$HOST_CC" "$HOST_CXX" make flock sha256sum tclsh; do
    command -v "$c" >/dev/null || die "$c not found (run scripts/setup.sh)"
done

mkdir -p "$CACHE/src" 2>/dev/null || die "cannot create $CACHE (set SPLITVM_CACHE to a writable folder)"
CACHE=$(cd "$CACHE" && pwd)
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
exec 9>"$CACHE/.lock-realbench"
flock 9
CCVER="$("${CROSS}gcc" -dumpfullversion) $("$HOST_CC" -dumpfullversion)"

# source PKG: the unpacked source folder of Debian's PKG in $CACHE/src
# (apt-get source once; deb-src entries as scripts/build-lua.sh adds them).
source_dir() {
    local pkg=$1 dsc v d
    dsc=$(ls "$CACHE/src/${pkg}"_*.dsc 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$dsc" ] || [ ! -d "$(dsc_dir "$dsc")" ]; then
        say "fetching Debian's $pkg source into $CACHE/src"
        (cd "$CACHE/src" && apt-get source "$pkg" >&2) ||
            { apt-get update >&2 && (cd "$CACHE/src" && apt-get source "$pkg" >&2); } ||
            die "apt-get source $pkg failed (deb-src entries: run scripts/build-lua.sh once)"
        dsc=$(ls "$CACHE/src/${pkg}"_*.dsc | sort -V | tail -n 1)
    fi
    d=$(dsc_dir "$dsc")
    [ -d "$d" ] || die "no $d after apt-get source $pkg"
    echo "$d"
}
# dsc_dir FILE.dsc: the folder dpkg-source unpacks it to (package-upstreamversion).
dsc_dir() {
    local base=${1##*/} pkg v
    pkg=${base%%_*}
    v=${base#*_}
    v=${v%.dsc}
    v=${v#*:}
    echo "$CACHE/src/$pkg-${v%-*}"
}
# version DIR: the Debian version of an unpacked source
version() { sed -n '1s/.*(\(.*\)).*/\1/p' "$1/debian/changelog"; }

# cached NAME PKG BUILDFN: run BUILDFN SRC TMPDIR unless the cache has the
# result; copy NAME-riscv64 and NAME-native into OUTDIR.
cached() {
    local name=$1 pkg=$2 fn=$3 src ver key dir tmp
    src=$(source_dir "$pkg")
    ver=$(version "$src")
    key=$(printf '%s\n' "script $SCRIPT_VERSION $name $ver $CCVER" | sha256sum | cut -c1-12)
    dir=$CACHE/realbench-$name-$ver-$key
    if [ ! -x "$dir/$name-riscv64" ] || [ ! -x "$dir/$name-native" ]; then
        say "building $name $ver (log: $dir/build.log)"
        tmp=$CACHE/.tmp-realbench-$name
        rm -rf "$tmp"
        mkdir -p "$tmp"
        if ! "$fn" "$src" "$tmp" >"$tmp/build.log" 2>&1; then
            tail -n 20 "$tmp/build.log" >&2
            die "$name failed to build"
        fi
        rm -rf "$dir"
        mv "$tmp" "$dir"
    fi
    cp -f "$dir/$name-riscv64" "$dir/$name-native" "$OUTDIR/"
    say "$name $ver: $OUTDIR/$name-riscv64 $OUTDIR/$name-native"
}

# Each build_* SRC OUT writes OUT/NAME-riscv64 and OUT/NAME-native.
build_bzip2() {
    local f=""
    for c in blocksort huffman crctable randtable compress decompress bzlib bzip2; do f="$f $1/$c.c"; done
    # shellcheck disable=SC2086
    "${CROSS}gcc" -O2 -static -D_FILE_OFFSET_BITS=64 -w $f -o "$2/bzip2-riscv64"
    # shellcheck disable=SC2086
    "$HOST_CC" -O2 -static -D_FILE_OFFSET_BITS=64 -w $f -o "$2/bzip2-native"
}

# xz: configure per target in its own folder (out of the source tree).
build_xz() {
    local t host cc
    for t in riscv64 native; do
        mkdir -p "$2/obj-$t"
        if [ $t = riscv64 ]; then host="--host=riscv64-linux-gnu" cc="${CROSS}gcc"; else host="" cc=$HOST_CC; fi
        # shellcheck disable=SC2086
        (cd "$2/obj-$t" && CC=$cc CFLAGS=-O2 "$1/configure" $host --disable-shared --enable-static \
            --disable-nls --disable-threads --disable-doc --disable-scripts --disable-lzmadec \
            --disable-lzmainfo --disable-xzdec --disable-lzma-links &&
            make -j2 -C src/liblzma && make -j2 -C src/xz LDFLAGS=-all-static)
        cp "$2/obj-$t/src/xz/xz" "$2/xz-$t"
        rm -rf "$2/obj-$t"
    done
}

# sqlite3: the amalgamation (sqlite3.c, shell.c) is generated once on the
# build host (tclsh, lemon), then compiled for both targets.
build_sqlite3() {
    mkdir -p "$2/obj"
    (cd "$2/obj" && "$1/configure" --disable-tcl --disable-readline && make sqlite3.c shell.c)
    local flags="-O2 -static -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -w"
    # shellcheck disable=SC2086
    "${CROSS}gcc" $flags -I"$2/obj" "$2/obj/sqlite3.c" "$2/obj/shell.c" -o "$2/sqlite3-riscv64" -lm
    # shellcheck disable=SC2086
    "$HOST_CC" $flags -I"$2/obj" "$2/obj/sqlite3.c" "$2/obj/shell.c" -o "$2/sqlite3-native" -lm
    rm -rf "$2/obj"
}

# minisat (C++): its DIMACS reader takes input through zlib's gz* calls;
# bench/real/zlib.h serves them from plain stdio instead, so no zlib build
# is needed for either target.
build_minisat() {
    local m=$1/minisat f=""
    for c in simp/Main.cc simp/SimpSolver.cc core/Solver.cc utils/Options.cc utils/System.cc; do f="$f $m/$c"; done
    local flags="-O2 -static -w -D__STDC_LIMIT_MACROS -D__STDC_FORMAT_MACROS -I$1 -I$ROOT/bench/real"
    # shellcheck disable=SC2086
    "${CROSS}g++" $flags $f -o "$2/minisat-riscv64"
    # shellcheck disable=SC2086
    "$HOST_CXX" $flags $f -o "$2/minisat-native"
}

cached bzip2 bzip2 build_bzip2
cached xz xz-utils build_xz
cached sqlite3 sqlite3 build_sqlite3
cached minisat minisat2 build_minisat
"$ROOT/scripts/build-lua.sh" "$OUTDIR/lua" >&2
cp -f "$OUTDIR/lua/lua-riscv64" "$OUTDIR/lua/lua-native" "$OUTDIR/"
