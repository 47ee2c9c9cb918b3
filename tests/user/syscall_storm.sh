#!/bin/sh
# Random guest system calls (syscall_storm.c) under splitvm: for each seed,
# splitvm must neither crash nor hang, and the guest must reach its end
# marker and exit 0. The guest runs jailed (-L) in a scratch tree and, when
# the test runs as root, as user nobody (setpriv): random path calls must
# not be able to touch the host even if the jail had a hole.
# usage: syscall_storm.sh --accel ENGINE SPLITVM GUEST CALLS SEED...
set -u
[ "$1" = --accel ] || { echo "usage: $0 --accel ENGINE splitvm guest calls seed..." >&2; exit 2; }
accel=$2 splitvm=$3 guest=$4 calls=$5
shift 5
case $splitvm in /*) ;; *) splitvm=$PWD/$splitvm ;; esac
case $guest in /*) ;; *) guest=$PWD/$guest ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/splitvm-storm.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
drop=""
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    drop="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
fail=0
for seed in "$@"; do
    rm -rf "$T/root"
    mkdir "$T/root" && chmod 777 "$T/root"
    start=$(date +%s)
    # 120 s for 20,000 calls that take about 1 s: more is a hang.
    (cd "$T/root" && timeout 120 $drop "$splitvm" -accel "$accel" -L "$T/root" "$guest" "$seed" "$calls" \
        </dev/null >"$T/out" 2>"$T/err")
    status=$?
    secs=$(($(date +%s) - start))
    marker=$(grep -ao "syscall_storm: end seed=$seed calls=$calls [^ ]*" "$T/out")
    if [ $status -eq 0 ] && [ -n "$marker" ]; then
        echo "seed $seed: ok in ${secs} s ($marker)"
    else
        fail=1
        case $status in
        124) why="hung (killed after 120 s)" ;;
        0) why="exited 0 without the end marker" ;;
        *) why="exit status $status" ;;
        esac
        echo "seed $seed: FAILED, $why; splitvm said:"
        grep -ao "splitvm: [[:print:]]*" "$T/err" | tail -3
        echo "rerun with -v as a last argument to the guest to log each call"
    fi
done
# The host's devices that the jail lets through must have survived.
for d in /dev/null /dev/zero; do
    [ -c "$d" ] || { echo "host $d is no longer a character device"; fail=1; }
done
exit $fail
