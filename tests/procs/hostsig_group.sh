#!/bin/sh
# A host signal reaches the guest processes as a terminal's signal reaches
# its foreground group: splitvm gets SIGTERM while a busybox shell that
# traps TERM waits for a child shell running `sleep 20` (busybox runs sleep
# inside the shell that calls it); the child must die of it at once and the
# parent's trap run, as with the native busybox whose whole process group
# gets the same signal.
# usage: hostsig_group.sh <splitvm> <interp|jit> <riscv64 busybox dir> <native busybox dir>
set -u
splitvm=$1 accel=$2 rvdir=$3 nativedir=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/svm-hsg.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
script='trap "echo caught TERM" TERM; echo ready; sh -c "sleep 20"; echo "child status $?"; echo done'
# ready FILE: wait (30 s at most) until the shell has set its trap, then a
# second for its child to start.
ready() {
    for _ in $(seq 300); do
        grep -q ready "$1" 2>/dev/null && break
        sleep 0.1
    done
    sleep 1
}
mkdir -p "$work/guest/bin" "$work/native/bin"
cp "$rvdir/busybox" "$work/guest/bin/busybox"
ln -s busybox "$work/guest/bin/sh"
ln -s busybox "$work/guest/bin/sleep"
cp "$nativedir/busybox" "$work/native/bin/busybox"
ln -s busybox "$work/native/bin/sh"
ln -s busybox "$work/native/bin/sleep"

start=$(date +%s)
env -i "$splitvm" -accel "$accel" -L "$work/guest" -E PATH=/bin "$work/guest/bin/sh" -c "$script" \
    </dev/null >"$work/guest.out" 2>"$work/guest.err" &
pid=$!
ready "$work/guest.out"
kill -TERM "$pid"
wait "$pid"
gs=$?
elapsed=$(($(date +%s) - start))

# The reference: the native shell in a group of its own, signalled as a group.
setsid env -i PATH="$work/native/bin" "$work/native/bin/sh" -c "$script" </dev/null >"$work/native.out" 2>"$work/native.err" &
npid=$!
ready "$work/native.out"
env kill -s TERM -- "-$npid" # procps kill: a negative pid is a group
wait "$npid"
ns=$?

fail=0
if ! diff -u "$work/native.out" "$work/guest.out" || ! diff -u "$work/native.err" "$work/guest.err"; then
    echo "hostsig_group.sh: the guest's output differs from the native busybox's (above)"
    fail=1
fi
if [ "$gs" -ne "$ns" ]; then
    echo "hostsig_group.sh: exit status $gs under splitvm, $ns natively"
    fail=1
fi
if [ "$elapsed" -ge 10 ]; then
    echo "hostsig_group.sh: splitvm took $elapsed s: the guest's sleep did not get the signal"
    fail=1
fi
[ "$fail" -eq 0 ] && echo "hostsig_group.sh: same output and status ($gs) as native, $elapsed s"
exit "$fail"
