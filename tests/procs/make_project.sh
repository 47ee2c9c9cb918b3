#!/bin/sh
# GNU make (Debian's make-dfsg, static riscv64) under splitvm builds
# tests/procs/makeproj with -j2, its compiler being fakecc (a riscv64 program
# that forks a child per input) and its shell the static riscv64 busybox, all
# in a scratch -L sysroot. Then make again (nothing to do), a touched source
# (only its object, the link and the map), a touched header (the objects that
# include it and what follows), make again. The host's make from the same
# source runs the native fakecc through the same steps. Each step's output
# (sorted: -j2 may start independent jobs in either order) and status must
# equal make_project.expected for both, and the built files must be equal.
# usage: make_project.sh <splitvm> <interp|jit> <expected> <project dir>
#        <make dir> <riscv64 fakecc> <native fakecc> <riscv64 busybox dir>
# Exits 77 (CTest's skip) with the reason when a make or busybox build is missing.
set -u
splitvm=$1 accel=$2 expected=$3 project=$4 makedir=$5 rvcc=$6 nativecc=$7 bbdir=$8
. "$(dirname "$0")/busybox_links.sh"
for f in "$makedir/make-riscv64" "$makedir/make-native" "$bbdir/busybox"; do
    require_build make_project.sh "$f" "$makedir.skip" \
        "scripts/build-make.sh $makedir, scripts/build-busybox.sh riscv64 $bbdir"
done
work=$(mktemp -d "${TMPDIR:-/tmp}/svm-make.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# The guest's root: make, fakecc and busybox (sh, grep, echo) in /bin.
busybox_links "$work/guest" "$bbdir" || exit 2
mkdir -p "$work/native/bin"
cp "$makedir/make-riscv64" "$work/guest/bin/make"
cp "$rvcc" "$work/guest/bin/fakecc"
cp "$makedir/make-native" "$work/native/bin/make"
cp "$nativecc" "$work/native/bin/fakecc"
cp -r "$project" "$work/guest/proj"
cp -r "$project" "$work/native/proj"

guest_make() {
    timeout -k 5 "${SPLITVM_TEST_TIMEOUT:-120}" env -i "$splitvm" -accel "$accel" -L "$work/guest" \
        -E PATH=/bin -E TMPDIR=/tmp "$work/guest/bin/make" -j2
}
native_make() {
    env -i PATH="$work/native/bin:/usr/bin:/bin" "$work/native/bin/make" -j2
}
# step SIDE TITLE: one make run in SIDE's project, its sorted output and
# status appended to SIDE.out.
step() {
    echo "== $2 ==" >>"$work/$1.out"
    (cd "$work/$1/proj" && "$1_make") >"$work/step.out" 2>&1
    s=$?
    sort "$work/step.out" >>"$work/$1.out"
    echo "status $s" >>"$work/$1.out"
}
for side in guest native; do
    step $side build
    step $side again
    # Sources touched a second after the build: newer on any file system.
    sleep 1
    touch "$work/$side/proj/util.c"
    step $side "touch util.c"
    sleep 1
    touch "$work/$side/proj/parse.h"
    step $side "touch parse.h"
    step $side again
done

fail=0
for side in guest native; do
    if ! diff -u "$expected" "$work/$side.out"; then
        echo "make_project.sh: the $side make's steps differ from $expected (above)"
        fail=1
    fi
done
for f in main.o util.o parse.o prog prog.map; do
    if ! cmp "$work/native/proj/$f" "$work/guest/proj/$f"; then
        echo "make_project.sh: $f differs between the guest's build and the native one"
        fail=1
    fi
done
# The link holds each source's lines as the children numbered them.
for want in "# fakecc of 3 inputs" "# from util.c" "3: {" "map of prog"; do
    if ! grep -q "$want" "$work/guest/proj/prog" "$work/guest/proj/prog.map"; then
        echo "make_project.sh: the guest's build lacks '$want'"
        fail=1
    fi
done
[ -e "$work/guest/proj/prog.part0" ] && { echo "make_project.sh: fakecc left its parts"; fail=1; }
[ $fail = 0 ] && echo "make_project.sh: $(grep -c '^fakecc\|^grep' "$work/guest.out") commands in 5 steps the same as expected and as native make"
exit $fail
