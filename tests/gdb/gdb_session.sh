#!/bin/sh
# gdb against `splitvm -g PORT`: breakpoint, arguments and registers,
# stepi, source-level next, memory read, variable / register / fcsr writes
# and the exit. usage: gdb_session.sh SPLITVM GUEST ACCEL
set -u
SPLITVM=$1 GUEST=$2 ACCEL=$3
. "$(dirname "$0")/gdb_common.sh"
vm_command() { exec timeout 120 "$SPLITVM" -accel "$ACCEL" -g "$PORT" "$GUEST"; }
start_vm

run_gdb \
    -ex 'break scale' -ex 'continue' \
    -ex 'p x' -ex 'p $a0' -ex 'info registers pc' \
    -ex 'set $before = $pc' -ex 'stepi' -ex 'p/d $pc - $before' \
    -ex 'x/4xb &marker' \
    -ex 'set var offset = 10' -ex 'next' -ex 'next' -ex 'p y' \
    -ex 'set $fcsr = 0x40' -ex 'p $frm' -ex 'p $fflags' \
    -ex 'finish' -ex 'set $a0 = 50' \
    -ex 'continue' \
    "$GUEST"

expect 'Breakpoint 1, scale (x=7) at .*gdb_guest.c:[0-9]*'
expect '^\$1 = 7$'                       # the argument, from the stack frame
expect '^\$2 = 7$'                       # a0, read as a register
expect '^pc  *0x[0-9a-f]*.*<scale+[0-9]*>'
grep -Eq '^\$3 = (2|4)$' "$TMP/gdb.out" || fail "stepi did not move pc by one instruction"
expect '<marker>:.0xde.0xad.0xbe.0xef'
expect '^[0-9]*.*y += offset;'             # source-level step
expect '^[0-9]*.*return y;'
expect '^\$4 = 45$'                      # 7 * 5 + the offset gdb wrote
expect '^\$5 = 2$'                       # frm from fcsr = 0x40
expect '^\$6 = 0$'                       # fflags
expect 'Value returned is \$7 = 45'
expect '\[Inferior 1 (process [0-9]*) exited with code 062\]' # 50: the a0 gdb wrote
[ "$VM_RC" = 50 ] || fail "splitvm exited with $VM_RC, not 50"
echo "gdb session ($ACCEL): ok"
