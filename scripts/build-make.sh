#!/bin/sh
# Build GNU make from Debian's source package (make-dfsg), statically, twice:
#   make-riscv64   the user-mode guest's (riscv64-linux-gnu-gcc)
#   make-native    the build host's (gcc), the reference procs.make compares
#                  the guest's build with
# Usage: scripts/build-make.sh [OUTDIR]
# Prints the directory that holds both. Results are cached outside the clone,
# under ${SPLITVM_CACHE:-/var/cache/splitvm}, as make-<version>-<key>, the key
# hashing this script's version, the package version and both compilers'
# versions; OUTDIR, if given, gets a copy. The source is fetched once with
# apt-get source into $CACHE/src (deb-src entries: scripts/build-lua.sh adds
# them); Debian's tarball has no configure script, so autoreconf makes one
# (autoconf, automake, autopoint: scripts/setup.sh).
set -eu

SCRIPT_VERSION=1
OUTDIR=${1:-}
CACHE=${SPLITVM_CACHE:-/var/cache/splitvm}
CROSS=${CROSS_COMPILE:-riscv64-linux-gnu-}
JOBS=${JOBS:-2}

say() { echo "build-make: $*" >&2; }
die() { echo "build-make: error: $*" >&2; exit 1; }
for c in "${CROSS}gcc" gcc autoreconf autopoint apt-get flock sha256sum; do
    command -v "$c" >/dev/null || die "$c not found (run scripts/setup.sh)"
done
mkdir -p "$CACHE/src" 2>/dev/null || die "cannot create $CACHE (set SPLITVM_CACHE to a writable folder)"

# The unpacked source: make-dfsg-<upstream version>, fetched once.
find_src() {
    dsc=$(for f in "$CACHE"/src/make-dfsg_*.dsc; do [ -f "$f" ] && echo "$f"; done | sort -V | tail -n 1)
    [ -n "$dsc" ] || return 1
    v=${dsc##*/make-dfsg_}
    v=${v%.dsc}
    SRC=$CACHE/src/make-dfsg-${v%-*}
    [ -f "$SRC/configure.ac" ]
}
if ! find_src; then
    exec 8>"$CACHE/.lock-make-src"
    flock 8
    if ! find_src; then
        say "fetching Debian's make-dfsg source into $CACHE/src"
        # apt-get source as root warns about its sandbox user; harmless.
        (cd "$CACHE/src" && apt-get source make-dfsg >&2) ||
            { apt-get update >&2 && (cd "$CACHE/src" && apt-get source make-dfsg >&2); } ||
            die "apt-get source make-dfsg failed (deb-src entries: run scripts/build-lua.sh once)"
        find_src || die "no make-dfsg source in $CACHE/src after apt-get source"
    fi
fi

CCVER="$("${CROSS}gcc" -dumpfullversion) $(gcc -dumpfullversion)"
KEY=$(echo "script $SCRIPT_VERSION make $v gcc $CCVER" | sha256sum | cut -c1-12)
DIR=$CACHE/make-$v-$KEY

if [ ! -x "$DIR/make-riscv64" ] || [ ! -x "$DIR/make-native" ]; then
    exec 9>"$CACHE/.lock-${DIR##*/}"
    flock 9
fi
if [ ! -x "$DIR/make-riscv64" ] || [ ! -x "$DIR/make-native" ]; then
    tmp=$CACHE/.tmp-${DIR##*/}
    rm -rf "$tmp"
    mkdir -p "$tmp/out"
    # autoreconf writes into the tree: work on a copy, the cached source stays
    # as apt-get unpacked it.
    cp -r "$SRC" "$tmp/src"
    say "autoreconf of make $v (log: $tmp/build.log)"
    (cd "$tmp/src" && autoreconf -fi) >"$tmp/build.log" 2>&1 ||
        { tail -n 20 "$tmp/build.log" >&2; die "autoreconf failed"; }
    for t in riscv64 native; do
        if [ $t = riscv64 ]; then host=--host=${CROSS%-}; else host=""; fi
        say "building make $v for $t with -j$JOBS"
        mkdir -p "$tmp/obj-$t"
        # shellcheck disable=SC2086
        (cd "$tmp/obj-$t" && "$tmp/src/configure" $host --disable-nls --without-guile \
            --disable-dependency-tracking CFLAGS=-O2 LDFLAGS=-static && make -j"$JOBS") \
            >>"$tmp/build.log" 2>&1 || { tail -n 20 "$tmp/build.log" >&2; die "make $t failed to build"; }
        cp "$tmp/obj-$t/make" "$tmp/out/make-$t"
    done
    cp "$tmp/build.log" "$tmp/out/"
    rm -rf "$DIR"
    mv "$tmp/out" "$DIR"
    rm -rf "$tmp"
fi
if [ -n "$OUTDIR" ]; then
    mkdir -p "$OUTDIR"
    cp "$DIR/make-riscv64" "$DIR/make-native" "$OUTDIR/"
fi
echo "$DIR"
