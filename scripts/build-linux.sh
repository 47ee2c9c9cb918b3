#!/bin/sh
# Build the riscv64 Linux guest for the "virt" board:
#   OUTDIR/Image              Linux from Debian's linux-source-6.1, tinyconfig +
#                             scripts/linux/virt.config (boot it as -kernel)
#   OUTDIR/vmlinux, System.map, config   the same kernel's ELF, symbols, .config
#   OUTDIR/initramfs.cpio.gz  static busybox (Debian's source package) and
#                             scripts/linux/init as /init
# Usage: scripts/build-linux.sh [OUTDIR]   (default build/linux)
#
# Results are cached outside the clone, under ${SPLITVM_CACHE:-/var/cache/splitvm}:
#   linux-<kernel version>-<key>/      Image, vmlinux, System.map, config
#   busybox-<busybox version>-<key>/   busybox, busybox.links, config
#   initramfs-<busybox version>-<key>/ initramfs.cpio.gz
#   src/                               the unpacked sources
# Each key hashes what its result is made of (fragment, script version,
# source package version, compiler version; for the initramfs the busybox key
# and /init), so a warm run only copies into OUTDIR. The only network use is
# apt-get source busybox (once).
set -eu

# Bump when a change here alters what gets built.
SCRIPT_VERSION=1

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTDIR=${1:-$ROOT/build/linux}
CACHE=${SPLITVM_CACHE:-/var/cache/splitvm}
JOBS=${JOBS:-2}
CROSS=${CROSS_COMPILE:-riscv64-linux-gnu-}
HOST_CC=${HOSTCC:-gcc}
KPKG=linux-source-6.1
KTAR=/usr/src/$KPKG.tar.xz
KFRAG=$ROOT/scripts/linux/virt.config
BBFRAG=$ROOT/scripts/linux/busybox.config
INIT=$ROOT/scripts/linux/init

say() { echo "build-linux: $*"; }
die() { echo "build-linux: error: $*" >&2; exit 1; }

need() {
    for c in "$@"; do
        command -v "$c" >/dev/null || die "$c not found (run scripts/setup.sh)"
    done
}

# key FILE... : 12 hex digits hashing the files and the extra words in $KEYTEXT.
key() {
    { printf '%s\n' "$KEYTEXT"; cat "$@"; } | sha256sum | cut -c1-12
}

# publish TMPDIR FINAL: make a finished cache entry visible in one step.
publish() {
    rm -rf "$2"
    mv "$1" "$2"
}

for f in "$KFRAG" "$BBFRAG" "$INIT"; do
    [ -f "$f" ] || die "missing $f"
done
need sha256sum flock "${CROSS}gcc" "$HOST_CC" make gzip

mkdir -p "$CACHE" 2>/dev/null || die "cannot create $CACHE (set SPLITVM_CACHE to a writable folder)"
[ -w "$CACHE" ] || die "$CACHE is not writable (set SPLITVM_CACHE to a writable folder)"
CACHE=$(cd "$CACHE" && pwd)
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)

# One build at a time per cache; a second run waits, then finds the results.
exec 9>"$CACHE/.lock"
flock 9

CC_VERSION=$("${CROSS}gcc" -dumpfullversion)

# ---- kernel -----------------------------------------------------------------

KPKG_VERSION=$(dpkg-query -W -f='${Version}' "$KPKG" 2>/dev/null) ||
    die "package $KPKG is not installed (run scripts/setup.sh)"
[ -f "$KTAR" ] || die "$KTAR missing (reinstall $KPKG)"
KVER=${KPKG_VERSION%%-*}
KEYTEXT="script $SCRIPT_VERSION $KPKG $KPKG_VERSION gcc $CC_VERSION"
KDIR=$CACHE/linux-$KVER-$(key "$KFRAG")
KSRC=$CACHE/src/$KPKG-$KPKG_VERSION

unpack_kernel() {
    [ -f "$KSRC/Makefile" ] && return 0
    need tar xz
    say "unpacking $KTAR into $KSRC"
    tmp=$CACHE/src/.tmp-$KPKG
    rm -rf "$tmp"
    mkdir -p "$tmp"
    tar -xJf "$KTAR" -C "$tmp"
    publish "$tmp/$KPKG" "$KSRC"
    rm -rf "$tmp"
}

# check_config FRAGMENT DOTCONFIG: every "CONFIG_X=v" holds, every
# "# CONFIG_X is not set" is not set.
check_config() {
    bad=0
    while IFS= read -r line; do
        case $line in
        CONFIG_*=*)
            grep -qxF "$line" "$2" || { echo "  wanted $line, got: $(grep "^${line%%=*}=" "$2" || echo 'not set')"; bad=1; }
            ;;
        "# CONFIG_"*" is not set")
            opt=${line#\# }
            opt=${opt%% *}
            if grep -q "^$opt=" "$2"; then
                echo "  wanted $opt off, got: $(grep "^$opt=" "$2")"
                bad=1
            fi
            ;;
        esac
    done <"$1"
    return $bad
}

build_kernel() {
    [ -f "$KDIR/Image" ] && return 0
    need flex bison bc perl
    unpack_kernel
    # A build that failed or was stopped resumes in its folder (the lock
    # keeps it to one builder): make redoes only what is missing.
    tmp=$CACHE/.tmp-${KDIR##*/}
    rm -rf "$tmp/out"
    mkdir -p "$tmp/build"
    kmake() { make -s -C "$KSRC" O="$tmp/build" ARCH=riscv CROSS_COMPILE="$CROSS" HOSTCC="$HOST_CC" "$@"; }
    say "configuring Linux $KVER (tinyconfig + ${KFRAG#"$ROOT"/})"
    # tinyconfig is allnoconfig with tiny-base.config forced, then tiny.config
    # merged. Forcing the fragment at allnoconfig time too (later lines win)
    # keeps every option it makes visible off, instead of at its default as a
    # merge + olddefconfig would (IPv6 came with INET that way).
    cat "$KSRC/kernel/configs/tiny-base.config" "$KSRC/kernel/configs/tiny.config" "$KFRAG" >"$tmp/allconfig"
    KCONFIG_ALLCONFIG=$tmp/allconfig kmake allnoconfig >"$tmp/config.log" 2>&1 ||
        { cat "$tmp/config.log" >&2; die "kernel configuration failed"; }
    check_config "$KFRAG" "$tmp/build/.config" || die "the kernel config lost options of ${KFRAG#"$ROOT"/} (above)"
    say "building Linux $KVER with -j$JOBS (a few minutes; log in $tmp/build.log)"
    start=$(date +%s)
    kmake -j"$JOBS" Image KBUILD_BUILD_USER=splitvm KBUILD_BUILD_HOST=splitvm >"$tmp/build.log" 2>&1 ||
        { tail -n 30 "$tmp/build.log" >&2; die "kernel build failed (log: $tmp/build.log)"; }
    say "Linux built in $(( $(date +%s) - start )) s"
    mkdir -p "$tmp/out"
    cp "$tmp/build/arch/riscv/boot/Image" "$tmp/build/vmlinux" "$tmp/build/System.map" "$tmp/out/"
    cp "$tmp/build/.config" "$tmp/out/config"
    cp "$tmp/build.log" "$tmp/out/build.log"
    publish "$tmp/out" "$KDIR"
    rm -rf "$tmp"
}

# ---- busybox ----------------------------------------------------------------

# Debian's busybox source, fetched once with apt-get source into $CACHE/src.
find_busybox_src() {
    dsc=$(for f in "$CACHE"/src/busybox_*.dsc; do [ -f "$f" ] && echo "$f"; done | sort -V | tail -n 1)
    [ -n "$dsc" ] || return 1
    v=${dsc##*/busybox_}
    v=${v%.dsc}
    d=$CACHE/src/busybox-${v%%-*}
    [ -f "$d/Makefile" ] || return 1
    BB_PKG_VERSION=$v
    BBSRC=$d
}

# Add deb-src entries that mirror the deb ones, in a file of their own.
ensure_deb_src() {
    if grep -rqs '^[[:space:]]*deb-src\|^Types:.*deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        return 0
    fi
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        say "adding deb-src entries (/etc/apt/sources.list.d/debian-src.sources)"
        sed 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
            $SUDO tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
    elif [ -f /etc/apt/sources.list ]; then
        say "adding deb-src entries (/etc/apt/sources.list.d/debian-src.list)"
        sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' /etc/apt/sources.list |
            $SUDO tee /etc/apt/sources.list.d/debian-src.list >/dev/null
    else
        die "no apt sources to mirror as deb-src"
    fi
    $SUDO apt-get update
}

fetch_busybox() {
    find_busybox_src && return 0
    need apt-get dpkg-source
    ensure_deb_src
    say "fetching Debian's busybox source into $CACHE/src"
    # apt-get source as root warns about its sandbox user; harmless.
    if ! (cd "$CACHE/src" && apt-get source busybox); then
        SUDO=""
        [ "$(id -u)" = 0 ] || SUDO=sudo
        $SUDO apt-get update
        (cd "$CACHE/src" && apt-get source busybox) || die "apt-get source busybox failed"
    fi
    find_busybox_src || die "busybox source not found in $CACHE/src after apt-get source"
}

build_busybox() {
    [ -x "$BBDIR/busybox" ] && return 0
    tmp=$CACHE/.tmp-${BBDIR##*/}
    rm -rf "$tmp/out"
    mkdir -p "$tmp/build"
    bbmake() { make -s -C "$BBSRC" O="$tmp/build" ARCH=riscv CROSS_COMPILE="$CROSS" HOSTCC="$HOST_CC" "$@"; }
    say "configuring busybox $BB_PKG_VERSION (allnoconfig + ${BBFRAG#"$ROOT"/})"
    bbmake allnoconfig >"$tmp/config.log" 2>&1 || { cat "$tmp/config.log" >&2; die "busybox allnoconfig failed"; }
    # Put the fragment's lines in place of allnoconfig's, then let oldconfig
    # settle the dependent options (their defaults).
    grep -o '^CONFIG_[A-Za-z0-9_]*\|^# CONFIG_[A-Za-z0-9_]*' "$BBFRAG" | sed 's/^# //' |
        sort -u >"$tmp/opts"
    grep -vwFf "$tmp/opts" "$tmp/build/.config" >"$tmp/base" || true
    cat "$tmp/base" "$BBFRAG" >"$tmp/build/.config"
    yes '' | bbmake oldconfig >>"$tmp/config.log" 2>&1 || { cat "$tmp/config.log" >&2; die "busybox oldconfig failed"; }
    check_config "$BBFRAG" "$tmp/build/.config" || die "the busybox config lost options of ${BBFRAG#"$ROOT"/} (above)"
    say "building busybox with -j$JOBS"
    start=$(date +%s)
    bbmake -j"$JOBS" busybox busybox.links >"$tmp/build.log" 2>&1 ||
        { tail -n 30 "$tmp/build.log" >&2; die "busybox build failed (log: $tmp/build.log)"; }
    say "busybox built in $(( $(date +%s) - start )) s"
    mkdir -p "$tmp/out"
    cp "$tmp/build/busybox" "$tmp/build/busybox.links" "$tmp/out/"
    cp "$tmp/build/.config" "$tmp/out/config"
    publish "$tmp/out" "$BBDIR"
    rm -rf "$tmp"
}

# ---- initramfs --------------------------------------------------------------

# The kernel's gen_init_cpio writes device nodes and root-owned files without
# root, with one fixed timestamp (the same bytes on every run).
build_initramfs() {
    [ -f "$IRDIR/initramfs.cpio.gz" ] && return 0
    unpack_kernel
    tmp=$CACHE/.tmp-${IRDIR##*/}
    rm -rf "$tmp"
    mkdir -p "$tmp/out"
    "$HOST_CC" -O2 -o "$tmp/gen_init_cpio" "$KSRC/usr/gen_init_cpio.c"
    {
        for d in /dev /proc /sys /tmp /bin /sbin /usr /usr/bin /usr/sbin /root /etc /mnt; do
            case $d in
            /tmp) echo "dir $d 1777 0 0" ;;
            *) echo "dir $d 755 0 0" ;;
            esac
        done
        echo "nod /dev/console 600 0 0 c 5 1"
        echo "nod /dev/null 666 0 0 c 1 3"
        echo "file /init $INIT 755 0 0"
        echo "file /bin/busybox $BBDIR/busybox 755 0 0"
        while IFS= read -r link; do
            [ "$link" = /bin/busybox ] || echo "slink $link /bin/busybox 777 0 0"
        done <"$BBDIR/busybox.links"
    } >"$tmp/list"
    "$tmp/gen_init_cpio" -t 0 "$tmp/list" | gzip -9 -n >"$tmp/out/initramfs.cpio.gz"
    cp "$tmp/list" "$tmp/out/initramfs.list"
    publish "$tmp/out" "$IRDIR"
    rm -rf "$tmp"
}

build_kernel

fetch_busybox
KEYTEXT="script $SCRIPT_VERSION busybox $BB_PKG_VERSION gcc $CC_VERSION"
BBDIR=$CACHE/busybox-$BB_PKG_VERSION-$(key "$BBFRAG")
build_busybox

KEYTEXT="script $SCRIPT_VERSION ${BBDIR##*/}"
IRDIR=$CACHE/initramfs-$BB_PKG_VERSION-$(key "$INIT")
build_initramfs

for f in Image vmlinux System.map config; do
    cp -f "$KDIR/$f" "$OUTDIR/$f"
done
cp -f "$IRDIR/initramfs.cpio.gz" "$OUTDIR/initramfs.cpio.gz"
say "$OUTDIR/Image ($KDIR)"
say "$OUTDIR/initramfs.cpio.gz ($IRDIR, busybox $BB_PKG_VERSION)"
