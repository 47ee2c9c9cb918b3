# Shared by the gdb tests: start_vm starts the emulator (the caller's
# vm_command, listening on $PORT) in the background as $VM, with a port
# derived from the PID, moved on while taken; fail prints gdb's and the
# emulator's output.
GDB=${GDB:-gdb-multiarch}
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
PORT=$((20000 + $$ % 30000))
: >"$TMP/gdb.out"

fail() {
    echo "FAIL: $*"; echo "--- gdb output:"; cat "$TMP/gdb.out"; echo "--- emulator:"; cat "$TMP/vm.out"
    [ -n "${VM:-}" ] && kill "$VM" 2>/dev/null # timeout passes it on to the emulator
    exit 1
}
expect() { grep -q -- "$1" "$TMP/gdb.out" || fail "no '$1' in gdb's output"; }

start_vm() { # runs vm_command (the caller's: it execs the emulator with -g $PORT)
    for try in 1 2 3 4 5; do
        vm_command >"$TMP/vm.out" 2>&1 </dev/null &
        VM=$!
        sleep 0.2
        if kill -0 "$VM" 2>/dev/null; then return 0; fi
        wait "$VM"
        grep -q "Address already in use" "$TMP/vm.out" || fail "the emulator did not start"
        PORT=$((PORT + 1))
    done
    fail "no free port"
}

# run_gdb ARGS...: gdb in batch mode, attached to the emulator on $PORT,
# then the caller's -ex commands and the program (its output in
# $TMP/gdb.out); then the emulator's end: fails unless gdb exited with 0,
# and leaves the emulator's exit status in VM_RC.
run_gdb() {
    timeout 120 "$GDB" -nx -batch -ex 'set pagination off' -ex 'set confirm off' \
        -ex "target remote 127.0.0.1:$PORT" "$@" >"$TMP/gdb.out" 2>&1
    GDB_RC=$?
    wait "$VM"
    VM_RC=$?
    [ "$GDB_RC" = 0 ] || fail "gdb exited with $GDB_RC"
}
