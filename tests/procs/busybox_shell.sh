#!/bin/sh
# Run tests/procs/shell.sh with busybox ash under splitvm (a riscv64 busybox,
# its applets as links in a -L sysroot) and with the build host's busybox
# from the same source and config; stdout and the exit status must match.
# With a SYSROOT (Debian's riscv64 glibc, /usr/riscv64-linux-gnu) the riscv64
# busybox is the dynamically linked one: the scratch sysroot gets the dynamic
# loader and the libraries it loads, and a first run checks that the guest's
# busybox really mapped libc.so.6.
# usage: busybox_shell.sh <splitvm> <interp|jit> <script> <riscv64 busybox dir> <native busybox dir> [SYSROOT]
# Exits 77 (CTest's skip) with the reason when a busybox build is missing.
set -u
splitvm=$1 accel=$2 script=$3 rvdir=$4 nativedir=$5 sysroot=${6:-}
. "$(dirname "$0")/busybox_links.sh"
for d in "$rvdir" "$nativedir"; do
    require_build busybox_shell.sh "$d/busybox" "$d.skip" "scripts/build-busybox.sh riscv64|dynamic|native $d"
done
work=$(mktemp -d "${TMPDIR:-/tmp}/svm-bbsh.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
busybox_links "$work/guest" "$rvdir" || exit 2
busybox_links "$work/native" "$nativedir" || exit 2
cp "$script" "$work/guest/shell.sh"
if [ -n "$sysroot" ]; then
    # Without its loader in the sysroot the dynamic busybox cannot start...
    if timeout -k 5 60 env -i "$splitvm" -accel "$accel" -L "$work/guest" "$work/guest/bin/true" \
        </dev/null >/dev/null 2>"$work/noloader.err"; then
        echo "busybox_shell.sh: $rvdir/busybox ran without a dynamic loader: it is not the dynamic build"
        exit 1
    fi
    # ...with the loader and the libraries busybox and glibc's name services
    # load, it runs the script.
    mkdir -p "$work/guest/lib"
    for f in ld-linux-riscv64-lp64d.so.1 libc.so.6 libm.so.6 libresolv.so.2 libnss_files.so.2; do
        cp "$sysroot/lib/$f" "$work/guest/lib/" || exit 2
    done
    echo "busybox_shell.sh: without /lib in its sysroot the dynamic busybox failed: $(head -n 1 "$work/noloader.err")"
fi
cd "$work/guest" || exit 2
timeout -k 5 "${SPLITVM_TEST_TIMEOUT:-120}" env -i "$splitvm" -accel "$accel" -L "$work/guest" \
    -E PATH=/bin -E TMPDIR=/tmp "$work/guest/bin/sh" /shell.sh </dev/null >"$work/guest.out" 2>"$work/guest.err"
gs=$?
env -i PATH="$work/native/bin" TMPDIR="$work/native/tmp" "$work/native/bin/sh" "$work/guest/shell.sh" \
    </dev/null >"$work/native.out" 2>"$work/native.err"
ns=$?
cat "$work/guest.err" >&2
if ! diff -u "$work/native.out" "$work/guest.out"; then
    echo "busybox_shell.sh: the guest's output differs from the native busybox's (above)"
    exit 1
fi
if [ "$gs" -ne "$ns" ]; then
    echo "busybox_shell.sh: exit status $gs under splitvm, $ns natively"
    exit 1
fi
echo "busybox_shell.sh: $(wc -l <"$work/guest.out") lines the same, status $gs"
exit 0
