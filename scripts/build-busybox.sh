#!/bin/sh
# Build busybox from Debian's source package (the one scripts/build-linux.sh
# fetches), with the guest's config fragment scripts/linux/busybox.config,
# for one target:
#   riscv64   the user-mode guest's busybox (riscv64-linux-gnu-gcc), static
#   dynamic   the same, linked dynamically against Debian's riscv64 glibc
#             (libc6-riscv64-cross; splitvm runs it with -L SYSROOT)
#   native    the build host's own (gcc), static, the reference the processes
#             tests compare the guest's shell output with
# Usage: scripts/build-busybox.sh riscv64|dynamic|native [OUTDIR]
# Prints the directory that holds busybox and busybox.links. Results are
# cached outside the clone, under ${SPLITVM_CACHE:-/var/cache/splitvm}, as
# busybox-user-<target>-<busybox version>-<key>, the key hashing the
# fragment, this script's version and the compiler's version; OUTDIR, if
# given, gets a copy. The source must already be in $CACHE/src (run
# scripts/build-linux.sh once, which fetches it with apt-get source).
set -eu

SCRIPT_VERSION=1
TARGET=${1:?usage: build-busybox.sh riscv64|dynamic|native [OUTDIR]}
OUTDIR=${2:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${SPLITVM_CACHE:-/var/cache/splitvm}
JOBS=${JOBS:-2}
BBFRAG=$ROOT/scripts/linux/busybox.config

say() { echo "build-busybox: $*" >&2; }
die() { echo "build-busybox: error: $*" >&2; exit 1; }

case $TARGET in
riscv64 | dynamic) CROSS=${CROSS_COMPILE:-riscv64-linux-gnu-}; ARCH=riscv ;;
native) CROSS=""; ARCH=$(uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/') ;;
*) die "unknown target $TARGET (riscv64, dynamic or native)" ;;
esac
# The dynamic target's fragment is the guest's with CONFIG_STATIC turned off.
FRAG=$(mktemp "${TMPDIR:-/tmp}/busybox-frag.XXXXXX")
trap 'rm -f "$FRAG"' EXIT
if [ "$TARGET" = dynamic ]; then
    sed 's/^CONFIG_STATIC=y$/# CONFIG_STATIC is not set/' "$BBFRAG" >"$FRAG"
    ! grep -q '^CONFIG_STATIC=y' "$FRAG" || die "could not turn CONFIG_STATIC off"
else
    cp "$BBFRAG" "$FRAG"
fi
BBFRAG=$FRAG
command -v "${CROSS}gcc" >/dev/null || die "${CROSS}gcc not found (run scripts/setup.sh)"

dsc=$(for f in "$CACHE"/src/busybox_*.dsc; do [ -f "$f" ] && echo "$f"; done | sort -V | tail -n 1)
[ -n "$dsc" ] || die "no busybox source in $CACHE/src (run scripts/build-linux.sh once)"
v=${dsc##*/busybox_}
v=${v%.dsc}
BBSRC=$CACHE/src/busybox-${v%%-*}
[ -f "$BBSRC/Makefile" ] || die "busybox source $BBSRC is not unpacked"

CC_VERSION=$("${CROSS}gcc" -dumpfullversion 2>/dev/null || "${CROSS}gcc" -dumpversion)
KEY=$({ echo "script $SCRIPT_VERSION $TARGET busybox $v gcc $CC_VERSION"; cat "$BBFRAG"; } | sha256sum | cut -c1-12)
DIR=$CACHE/busybox-user-$TARGET-$v-$KEY

if [ ! -x "$DIR/busybox" ]; then
    mkdir -p "$CACHE"
    exec 9>"$CACHE/.lock-${DIR##*/}"
    flock 9
fi
if [ ! -x "$DIR/busybox" ]; then
    tmp=$CACHE/.tmp-${DIR##*/}
    rm -rf "$tmp"
    mkdir -p "$tmp/build" "$tmp/out"
    bbmake() { make -s -C "$BBSRC" O="$tmp/build" ARCH="$ARCH" CROSS_COMPILE="$CROSS" HOSTCC=gcc "$@"; }
    say "configuring busybox $v for $TARGET"
    bbmake allnoconfig >"$tmp/config.log" 2>&1 || { cat "$tmp/config.log" >&2; die "allnoconfig failed"; }
    grep -o '^CONFIG_[A-Za-z0-9_]*\|^# CONFIG_[A-Za-z0-9_]*' "$BBFRAG" | sed 's/^# //' | sort -u >"$tmp/opts"
    grep -vwFf "$tmp/opts" "$tmp/build/.config" >"$tmp/base" || true
    cat "$tmp/base" "$BBFRAG" >"$tmp/build/.config"
    yes '' | bbmake oldconfig >>"$tmp/config.log" 2>&1 || { cat "$tmp/config.log" >&2; die "oldconfig failed"; }
    grep '^CONFIG_.*=y' "$BBFRAG" | while IFS= read -r line; do
        grep -qxF "$line" "$tmp/build/.config" || die "the config lost $line"
    done
    say "building busybox for $TARGET with -j$JOBS"
    bbmake -j"$JOBS" busybox busybox.links >"$tmp/build.log" 2>&1 ||
        { tail -n 30 "$tmp/build.log" >&2; die "busybox build failed (log: $tmp/build.log)"; }
    cp "$tmp/build/busybox" "$tmp/build/busybox.links" "$tmp/out/"
    cp "$tmp/build/.config" "$tmp/out/config"
    rm -rf "$DIR"
    mv "$tmp/out" "$DIR"
    rm -rf "$tmp"
fi
if [ -n "$OUTDIR" ]; then
    mkdir -p "$OUTDIR"
    cp "$DIR/busybox" "$DIR/busybox.links" "$OUTDIR/"
fi
echo "$DIR"
