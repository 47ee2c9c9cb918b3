#!/bin/sh
# A hardware breakpoint (gdb's Z1, an emulator breakpoint like Z0), then
# detach: splitvm runs the guest on by itself to its own exit status (37),
# and the breakpoint no longer stops it.
# usage: gdb_detach.sh SPLITVM GUEST ACCEL
set -u
SPLITVM=$1 GUEST=$2 ACCEL=$3
. "$(dirname "$0")/gdb_common.sh"
vm_command() { exec timeout 120 "$SPLITVM" -accel "$ACCEL" -g "$PORT" "$GUEST"; }
start_vm

run_gdb \
    -ex 'hbreak scale' -ex 'continue' -ex 'p x' -ex 'detach' \
    "$GUEST"
expect 'Hardware assisted breakpoint 1 at'
expect 'Breakpoint 1, scale (x=7)'
expect '^\$1 = 7$'
expect '\[Inferior 1 (process [0-9]*) detached\]'
[ "$VM_RC" = 37 ] || fail "splitvm exited with $VM_RC after the detach, not 37"
echo "gdb detach ($ACCEL): ok"
