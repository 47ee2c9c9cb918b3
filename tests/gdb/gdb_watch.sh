#!/bin/sh
# gdb's watchpoints against `splitvm -g PORT` (Z3 and Z2 packets): a read
# watchpoint on `factor` stops inside scale() with its value, a write
# watchpoint on `last_result` stops in main() with the old and new values,
# and with them deleted the guest runs to its exit.
# usage: gdb_watch.sh SPLITVM GUEST ACCEL
set -u
SPLITVM=$1 GUEST=$2 ACCEL=$3
. "$(dirname "$0")/gdb_common.sh"
vm_command() { exec timeout 120 "$SPLITVM" -accel "$ACCEL" -g "$PORT" "$GUEST"; }
start_vm

run_gdb \
    -ex 'rwatch factor' -ex 'continue' -ex 'bt 1' \
    -ex 'delete' -ex 'watch last_result' -ex 'continue' -ex 'bt 1' \
    -ex 'delete' -ex 'continue' \
    "$GUEST"

expect 'Hardware read watchpoint 1: factor'
expect '^Value = 5$'
expect '^#0  .*scale (x=7) at '
expect 'Hardware watchpoint 2: last_result'
expect '^Old value = 0$'
expect '^New value = 37$'
expect '^#0  .*main (.*) at .*gdb_guest.c'
expect '\[Inferior 1 (process [0-9]*) exited with code 045\]' # 37
[ "$VM_RC" = 37 ] || fail "splitvm exited with $VM_RC, not 37"
echo "gdb watchpoints ($ACCEL): ok"
