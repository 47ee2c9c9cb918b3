#!/bin/sh
# Fetch Debian's own riscv64 Linux kernel (a distribution kernel nobody here
# built: Debian 13 "trixie", linux-image-*-riscv64) for the system tests:
#   OUTDIR/vmlinux      the kernel Image (Debian names it vmlinux-VERSION;
#                       it is an Image with an EFI header, what -kernel takes)
#   OUTDIR/config       its configuration
#   OUTDIR/modules/     the modules a virtio disk and network card need
#                       (virtio_mmio, virtio_blk, virtio_net, virtio_rng, crc32c, ext4) and every
#                       module they depend on, as Debian ships them (.ko.xz)
#   OUTDIR/load.order   those modules' file names, dependencies first
#   OUTDIR/version      the package version
# Usage: scripts/fetch-debian-kernel.sh [OUTDIR]   (default build/debian-kernel)
#
# The package is chosen from the archive's index: DEBIAN_KERNEL_VERSION
# (default below) if the archive still has it, else the newest one it has.
# Results are cached, keyed by that version and this script's version, under
# ${SPLITVM_CACHE:-/var/cache/splitvm}/debian-kernel-<version>-<key>/; a warm
# run reads only the archive's index. Network: deb.debian.org (the Debian
# archive; DEBIAN_MIRROR overrides it).
set -eu

SCRIPT_VERSION=3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTDIR=${1:-$ROOT/build/debian-kernel}
CACHE=${SPLITVM_CACHE:-/var/cache/splitvm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=trixie
WANT=${DEBIAN_KERNEL_VERSION:-6.12.117+deb13}
# crc32c_generic: ext4 asks the crypto API for "crc32c" (no depends= entry).
MODULES="virtio_mmio virtio_blk virtio_net virtio_rng crc32c_generic ext4"

say() { echo "fetch-debian-kernel: $*"; }
die() { echo "fetch-debian-kernel: error: $*" >&2; exit 1; }
for c in curl xz dpkg-deb sha256sum strings; do
    command -v "$c" >/dev/null || die "$c not found (run scripts/setup.sh)"
done

mkdir -p "$CACHE"
tmp=$(mktemp -d "$CACHE/.debian-kernel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The archive's index of riscv64 packages: the kernel images it has now.
curl -fsS --retry 3 -o "$tmp/Packages.xz" "$MIRROR/dists/$SUITE/main/binary-riscv64/Packages.xz" ||
    die "cannot read $MIRROR/dists/$SUITE/main/binary-riscv64/Packages.xz"
xz -dc "$tmp/Packages.xz" | awk '
    /^Package: linux-image-[0-9][^ ]*-riscv64$/ { pkg = $2; next }
    /^Filename: / && pkg { print pkg, $2; pkg = "" }
    /^$/ { pkg = "" }' >"$tmp/images"
[ -s "$tmp/images" ] || die "no riscv64 kernel image in $SUITE's index"
line=$(grep "^linux-image-$WANT-riscv64 " "$tmp/images" || sort -V "$tmp/images" | tail -n 1)
pkg=${line%% *} file=${line#* }
version=${pkg#linux-image-}
version=${version%-riscv64}
[ "$version" = "$WANT" ] || say "$WANT is no longer in the archive; using $version"
key=$(printf '%s\n%s\n%s\n' "$SCRIPT_VERSION" "$version" "$MODULES" | sha256sum | cut -c1-12)
entry=$CACHE/debian-kernel-$version-$key

if [ ! -f "$entry/load.order" ]; then
    say "downloading $pkg ($file)"
    curl -fsS --retry 3 -o "$tmp/kernel.deb" "$MIRROR/$file" || die "cannot download $MIRROR/$file"
    dpkg-deb -x "$tmp/kernel.deb" "$tmp/x"
    mkdir -p "$tmp/out/modules"
    cp "$tmp/x/boot/vmlinux-$version-riscv64" "$tmp/out/vmlinux"
    cp "$tmp/x/boot/config-$version-riscv64" "$tmp/out/config"
    moddir=$(echo "$tmp"/x/usr/lib/modules/*/kernel)
    # A module's dependencies are in its .modinfo ("depends=a,b"): load
    # those first, each module once.
    : >"$tmp/out/load.order"
    # Module names say "_" where file names may say "-".
    add() {
        local pattern f d # dash and bash both have local; add recurses
        pattern=$(echo "$1" | sed 's/[_-]/[_-]/g')
        f=$(find "$moddir" -name "$pattern.ko.xz" | head -n 1)
        if [ -z "$f" ]; then
            # Built in (nothing to load), or unknown.
            grep -q "/$pattern\.ko\$" "$moddir/../modules.builtin" && return 0
            die "module $1 is neither built in nor shipped"
        fi
        grep -qx "$(basename "$f")" "$tmp/out/load.order" && return 0
        for d in $(xz -dc "$f" | strings | sed -n 's/^depends=//p' | tr ',' ' '); do
            add "$d"
        done
        cp "$f" "$tmp/out/modules/"
        basename "$f" >>"$tmp/out/load.order"
    }
    for m in $MODULES; do
        add "$m"
    done
    echo "$version" >"$tmp/out/version"
    rm -rf "$entry"
    mv "$tmp/out" "$entry"
fi
mkdir -p "$OUTDIR"
rm -rf "$OUTDIR/modules"
cp -r "$entry/vmlinux" "$entry/config" "$entry/modules" "$entry/load.order" "$entry/version" "$OUTDIR/"
say "Debian's $version kernel and $(wc -l <"$OUTDIR/load.order") modules in $OUTDIR"
