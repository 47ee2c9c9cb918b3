#!/bin/sh
# Make a Debian 13 ("trixie") riscv64 root file system from the Debian
# archive, for the system tests: the Essential packages (bash, coreutils,
# dpkg, grep, sed, tar, util-linux, perl-base, ...) and every package they
# depend on, unpacked as they ship (dpkg-deb -x: no maintainer scripts run,
# so it is a tree of Debian's programs and libraries, not an installed
# system), as an ext4 image:
#   OUTDIR/rootfs.ext4   the tree (mke2fs -d), 256 MiB
#   OUTDIR/packages      the packages in it, "name version" per line
# Usage: scripts/fetch-debian-rootfs.sh [OUTDIR]   (default build/debian-rootfs)
#
# Cached under ${SPLITVM_CACHE:-/var/cache/splitvm}/debian-rootfs-<key>/,
# keyed by the package list with versions and this script's version: a warm
# run reads only the archive's index. Network: deb.debian.org
# (DEBIAN_MIRROR overrides it).
set -eu

SCRIPT_VERSION=1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTDIR=${1:-$ROOT/build/debian-rootfs}
CACHE=${SPLITVM_CACHE:-/var/cache/splitvm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=trixie

say() { echo "fetch-debian-rootfs: $*"; }
die() { echo "fetch-debian-rootfs: error: $*" >&2; exit 1; }
for c in curl xz dpkg-deb sha256sum; do
    command -v "$c" >/dev/null || die "$c not found (run scripts/setup.sh)"
done
command -v mke2fs >/dev/null || PATH=$PATH:/sbin:/usr/sbin
command -v mke2fs >/dev/null || die "mke2fs not found (e2fsprogs; run scripts/setup.sh)"

mkdir -p "$CACHE"
tmp=$(mktemp -d "$CACHE/.debian-rootfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
curl -fsS --retry 3 -o "$tmp/Packages.xz" "$MIRROR/dists/$SUITE/main/binary-riscv64/Packages.xz" ||
    die "cannot read $SUITE's riscv64 index from $MIRROR"

# The index as one line a package: name, version, file, essential (0/1),
# what it provides, what it depends on (Pre-Depends and Depends; of each
# alternative the first, without versions or :any), and one line a
# provided name: "provide NAME PACKAGE".
xz -dc "$tmp/Packages.xz" | awk '
    function flush() {
        if (name != "") {
            print "pkg", name, version, file, essential, (deps == "" ? "-" : deps)
            n = split(provides, pv, ",")
            for (i = 1; i <= n; i++) { p = pv[i]; sub(/\(.*/, "", p); gsub(/ /, "", p); if (p != "") print "provide", p, name }
        }
        name = version = file = provides = deps = ""; essential = 0
    }
    function adddeps(s,   n, a, i, d) {
        n = split(s, a, ",")
        for (i = 1; i <= n; i++) {
            d = a[i]; sub(/\|.*/, "", d); sub(/\(.*/, "", d); sub(/:any/, "", d); gsub(/ /, "", d)
            if (d != "") deps = deps (deps == "" ? "" : ",") d
        }
    }
    /^Package: / { flush(); name = $2 }
    /^Version: / { version = $2 }
    /^Filename: / { file = $2 }
    /^Essential: yes/ { essential = 1 }
    /^Provides: / { provides = substr($0, 11) }
    /^(Pre-)?Depends: / { sub(/^[A-Za-z-]+: /, ""); adddeps($0) }
    END { flush() }' >"$tmp/index"

# The closure of the Essential packages under their dependencies.
awk '
    $1 == "pkg" { file[$2] = $4; ver[$2] = $3; dep[$2] = $6; if ($5 == 1) todo[++n] = $2 }
    $1 == "provide" && !($2 in prov) { prov[$2] = $3 }
    END {
        for (i = 1; i <= n; i++) {
            p = todo[i]
            if (!(p in file) && (p in prov)) p = prov[p]
            if (!(p in file)) { print "missing", todo[i] > "/dev/stderr"; continue }
            if (p in seen) continue
            seen[p] = 1
            print p, ver[p], file[p]
            if (dep[p] != "-") { m = split(dep[p], d, ","); for (j = 1; j <= m; j++) todo[++n] = d[j] }
        }
    }' "$tmp/index" | sort >"$tmp/closure"
[ -s "$tmp/closure" ] || die "no Essential packages in $SUITE's index"
key=$( { echo "$SCRIPT_VERSION"; cut -d' ' -f1,2 "$tmp/closure"; } | sha256sum | cut -c1-12)
entry=$CACHE/debian-rootfs-$key

if [ ! -f "$entry/rootfs.ext4" ]; then
    say "downloading $(wc -l <"$tmp/closure") packages"
    mkdir -p "$tmp/debs" "$tmp/root" "$tmp/out"
    while read -r name version file; do
        curl -fsS --retry 3 -o "$tmp/debs/$name.deb" "$MIRROR/$file" || die "cannot download $file"
        dpkg-deb -x "$tmp/debs/$name.deb" "$tmp/root"
        echo "$name $version" >>"$tmp/out/packages"
    done <"$tmp/closure"
    # What a mount point and a shell need that maintainer scripts would make.
    mkdir -p "$tmp/root/proc" "$tmp/root/sys" "$tmp/root/dev" "$tmp/root/tmp" "$tmp/root/root"
    chmod 1777 "$tmp/root/tmp"
    mke2fs -q -t ext4 -d "$tmp/root" "$tmp/out/rootfs.ext4" 256M
    rm -rf "$entry"
    mv "$tmp/out" "$entry"
fi
mkdir -p "$OUTDIR"
cp "$entry/rootfs.ext4" "$entry/packages" "$OUTDIR/"
say "$(wc -l <"$OUTDIR/packages") Debian packages in $OUTDIR/rootfs.ext4"
