#!/bin/sh
# Build two static Lua 5.4 interpreters from Debian's source package:
#   OUTDIR/lua-riscv64  (riscv64-linux-gnu-gcc -static -O2), a real guest program
#   OUTDIR/lua-native   (gcc -O2), the x86-64 baseline for the benchmark
# Usage: scripts/build-lua.sh [OUTDIR]   (default build/lua)
# The sources go to third_party/ (git-ignored). The only network use is apt.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTDIR=${1:-$ROOT/build/lua}
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
TP=$ROOT/third_party
PKG=lua5.4

RISCV_CC=${RISCV_LINUX_GCC:-riscv64-linux-gnu-gcc}
HOST_CC=${CC:-gcc}

SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO="sudo"
fi

find_src() {
    for d in "$TP/$PKG"-*/src; do
        if [ -f "$d/lua.c" ] && [ -f "$d/lapi.c" ]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

# Add deb-src entries that mirror the existing deb ones, in a separate file.
ensure_deb_src() {
    if grep -rqs '^[[:space:]]*deb-src\|^Types:.*deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        return 0
    fi
    src822=/etc/apt/sources.list.d/debian.sources
    if [ -f "$src822" ]; then
        echo "build-lua: adding deb-src entries (/etc/apt/sources.list.d/debian-src.sources)"
        sed 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/' "$src822" |
            $SUDO tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
    elif [ -f /etc/apt/sources.list ]; then
        echo "build-lua: adding deb-src entries (/etc/apt/sources.list.d/debian-src.list)"
        sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' /etc/apt/sources.list |
            $SUDO tee /etc/apt/sources.list.d/debian-src.list >/dev/null
    else
        echo "build-lua: no apt sources found to mirror as deb-src" >&2
        exit 1
    fi
    $SUDO apt-get update
}

fetch_source() {
    if find_src >/dev/null; then
        return 0
    fi
    command -v dpkg-source >/dev/null || {
        echo "build-lua: dpkg-source missing (run scripts/setup.sh)" >&2
        exit 1
    }
    ensure_deb_src
    mkdir -p "$TP"
    # apt-get source as root warns about its sandbox user; harmless.
    if ! (cd "$TP" && apt-get source "$PKG"); then
        # A stale package list may not know the deb-src entries yet.
        $SUDO apt-get update
        (cd "$TP" && apt-get source "$PKG")
    fi
}

# build CC MULTIARCH OUT EXTRA_FLAGS...: compile every core/library .c (lua.c
# included, luac.c excluded) in one invocation; skip when OUT is newer than
# every source. Debian's luaconf.h includes a header that its rules generate:
# write our own copy per target under OUTDIR.
build() {
    cc=$1
    multiarch=$2
    out=$3
    shift 3
    if [ -x "$out" ] && [ -z "$(find "$SRC" -name '*.[ch]' -newer "$out" | head -n 1)" ]; then
        echo "build-lua: $out is up to date"
        return 0
    fi
    command -v "$cc" >/dev/null || {
        echo "build-lua: $cc not found (run scripts/setup.sh)" >&2
        exit 1
    }
    inc=$OUTDIR/include-$multiarch
    mkdir -p "$inc"
    printf '#define DEB_HOST_MULTIARCH "%s"\n' "$multiarch" >"$inc/lua5.4-deb-multiarch.h"
    files=""
    for f in "$SRC"/*.c; do
        [ "${f##*/}" = luac.c ] || files="$files $f"
    done
    echo "build-lua: building $out"
    # shellcheck disable=SC2086
    "$cc" -std=gnu99 -O2 -w -DLUA_COMPAT_5_3 -DLUA_USE_POSIX "$@" -I"$inc" -I"$SRC" $files -o "$out.tmp" -lm
    mv "$out.tmp" "$out"
}

fetch_source
SRC=$(find_src)
build "$RISCV_CC" riscv64-linux-gnu "$OUTDIR/lua-riscv64" -static
build "$HOST_CC" x86_64-linux-gnu "$OUTDIR/lua-native" -static
echo "build-lua: $OUTDIR/lua-riscv64 $OUTDIR/lua-native"
