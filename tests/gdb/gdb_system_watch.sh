#!/bin/sh
# gdb's write watchpoint in system mode (-M spike, halted at the entry):
# the ISA memory test's first store to `buf` stops right after it with
# the old and new values, at a pc past _start; deleted, the test runs on
# and passes (exit code 0).
# usage: gdb_system_watch.sh SPLITVM_SYSTEM RV64I_MEM_ELF ACCEL
set -u
SYS=$1 ELF=$2 ACCEL=$3
. "$(dirname "$0")/gdb_common.sh"
vm_command() { exec timeout 120 "$SYS" -M spike -bios none -kernel "$ELF" -accel "$ACCEL" -gdb "tcp::$PORT"; }
start_vm

run_gdb \
    -ex 'watch *(long *)&buf' -ex 'continue' -ex 'p/x *(long *)&buf' \
    -ex 'delete' -ex 'continue' \
    "$ELF"
expect 'Hardware watchpoint 1: \*(long \*)&buf'
expect '^New value = -6148914691236517206$'      # 0xaaaaaaaaaaaaaaaa, the test's fill pattern
expect '^\$1 = 0xaaaaaaaaaaaaaaaa$'
expect '\[Inferior 1 (process [0-9]*) exited normally\]'
[ "$VM_RC" = 0 ] || fail "splitvm-system exited with $VM_RC, not 0"
echo "gdb system watchpoint ($ACCEL): ok"
