#!/bin/sh
# gdb_raw_client (malformed packets, Ctrl-C, kill) against splitvm -g on a
# guest that spins forever: the client's checks pass and splitvm ends with
# status 0 when killed. usage: gdb_raw.sh SPLITVM GUEST CLIENT
set -u
SPLITVM=$1 GUEST=$2 CLIENT=$3
. "$(dirname "$0")/gdb_common.sh"
vm_command() { exec timeout 120 "$SPLITVM" -g "$PORT" "$GUEST" spin; }
start_vm
timeout 60 "$CLIENT" "$PORT" >"$TMP/gdb.out" 2>&1 || fail "the client's checks failed"
wait "$VM"
VM_RC=$?
[ "$VM_RC" = 0 ] || fail "splitvm exited with $VM_RC after 'k', not 0"
cat "$TMP/gdb.out"
