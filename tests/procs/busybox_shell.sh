#!/bin/sh
# Run tests/procs/shell.sh with busybox ash under splitvm (a static riscv64
# busybox, its applets as links in a -L sysroot) and with the build host's
# busybox from the same source and config; stdout and the exit status must
# match.
# usage: busybox_shell.sh <splitvm> <interp|jit> <script> <riscv64 busybox dir> <native busybox dir>
set -u
splitvm=$1 accel=$2 script=$3 rvdir=$4 nativedir=$5
work=$(mktemp -d "${TMPDIR:-/tmp}/svm-bbsh.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
# links ROOT DIR: ROOT/bin with DIR's busybox and a link per applet.
links() {
    mkdir -p "$1/bin" "$1/tmp"
    cp "$2/busybox" "$1/bin/busybox"
    for l in $(cat "$2/busybox.links"); do
        n=${l##*/}
        [ -e "$1/bin/$n" ] || ln -s busybox "$1/bin/$n"
    done
}
links "$work/guest" "$rvdir"
links "$work/native" "$nativedir"
cp "$script" "$work/guest/shell.sh"
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
