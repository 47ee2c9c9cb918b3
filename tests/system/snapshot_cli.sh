#!/usr/bin/env bash
# splitvm-system's monitor and -incoming, as a QEMU user drives them:
#   1. U-Boot to its prompt; set a variable; Ctrl-A c, "migrate file:SNAP"
#      (the guest stays stopped), "info status", "quit".
#   2. -incoming file:SNAP with the same options: U-Boot answers at once
#      with the variable it had (no second boot: no OpenSBI banner), then
#      powers off with status 0.
#   3. The same snapshot into a machine with other RAM: refused, one line.
#   4. A damaged snapshot: refused, one line, exit status 1.
#   6. -S: nothing runs (no OpenSBI banner) until the monitor's cont; then
#      U-Boot boots to its prompt.
#   5. -snapshot with a disk: U-Boot writes a sector and reads it back the
#      same; the monitor's migrate refuses (the writes live in memory);
#      the image file is unchanged afterwards.
# usage: snapshot_cli.sh SPLITVM_SYSTEM UBOOT_BIN jit|interp
set -u
bin=$1 uboot=$2 accel=$3
tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*"
    echo "--- console:"
    cat "$tmp/out" 2>/dev/null
    echo "--- stderr:"
    cat "$tmp/err" 2>/dev/null
    exit 1
}

# start ARGS...: the machine on -serial mon:stdio, its input on fd 3.
start() {
    rm -f "$tmp/in" "$tmp/out" "$tmp/err"
    mkfifo "$tmp/in"
    "$bin" -M virt -m 128 -accel "$accel" -serial mon:stdio "$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    exec 3>"$tmp/in"
}
# wait_for TEXT [N]: until the console has shown TEXT N times (default 1).
wait_for() {
    local want=${2:-1}
    for _ in $(seq 600); do
        [ "$(grep -oF -- "$1" "$tmp/out" | wc -l)" -ge "$want" ] && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    fail "waited for '$1' (x$want)"
}
# finish STATUS: the machine ends with that exit status.
finish() {
    exec 3>&-
    local rc=0
    wait "$pid" || rc=$?
    pid=
    [ "$rc" = "$1" ] || fail "exit status $rc, expected $1"
}

snap=$tmp/uboot.svm
# 1. Save from the monitor.
start -kernel "$uboot"
wait_for "=> "
printf 'setenv snapmark saved-%s\n' "$accel" >&3
wait_for "=> " 2
printf '\001c' >&3
wait_for "(qemu) "
printf 'migrate file:%s\n' "$snap" >&3
wait_for "(qemu) " 2
printf 'info status\n' >&3
wait_for "VM status: paused (postmigrate)"
printf 'quit\n' >&3
finish 0
[ -s "$snap" ] || fail "no snapshot at $snap"
[ -e "$snap.tmp" ] && fail "the temporary file $snap.tmp was left"

# 2. Restore: the prompt's state is there without a boot.
start -kernel "$uboot" -incoming "file:$snap"
printf 'printenv snapmark\n' >&3
wait_for "snapmark=saved-$accel"
grep -q "OpenSBI v" "$tmp/out" && fail "the restored machine booted again"
printf 'poweroff\n' >&3
finish 0

# 3. Another machine's snapshot is refused.
out=$("$bin" -M virt -m 256 -accel "$accel" -serial none -kernel "$uboot" -incoming "file:$snap" 2>&1 </dev/null)
rc=$?
[ "$rc" = 1 ] || fail "RAM mismatch: exit status $rc"
case $out in *"another machine"*) ;; *) fail "RAM mismatch: '$out'" ;; esac
[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "RAM mismatch: more than one line: '$out'"

# 4. A damaged snapshot (one byte of its first section) is refused.
cp "$snap" "$tmp/bad.svm"
printf '\377' | dd of="$tmp/bad.svm" bs=1 seek=10 conv=notrunc status=none
out=$("$bin" -M virt -m 128 -accel "$accel" -serial none -kernel "$uboot" -incoming "file:$tmp/bad.svm" 2>&1 </dev/null)
rc=$?
[ "$rc" = 1 ] || fail "damaged snapshot: exit status $rc"
case $out in *"damaged"* | *"not a splitvm snapshot"*) ;; *) fail "damaged snapshot: '$out'" ;; esac
# 5. -snapshot: the guest writes, the image does not change.
head -c 1048576 /dev/zero >"$tmp/disk.raw"
sum=$(md5sum <"$tmp/disk.raw")
start -kernel "$uboot" -snapshot -drive "file=$tmp/disk.raw,format=raw"
wait_for "=> "
printf 'mw.b 0x84000000 0x5a 0x200; virtio write 0x84000000 2 1; mw.b 0x85000000 0 0x200; virtio read 0x85000000 2 1; cmp.b 0x84000000 0x85000000 0x200\n' >&3
wait_for "Total of 512 byte(s) were the same"
printf '\001c' >&3
wait_for "(qemu) "
printf 'migrate file:%s\n' "$tmp/never.svm" >&3
wait_for "migrate: disk 0 has snapshot=on"
printf 'quit\n' >&3
finish 0
[ -e "$tmp/never.svm" ] && fail "a snapshot was written despite snapshot=on"
[ "$(md5sum <"$tmp/disk.raw")" = "$sum" ] || fail "-snapshot: the image changed"
# 6. -S: halted until the monitor's cont.
start -kernel "$uboot" -S
printf '\001c' >&3
wait_for "(qemu) "
printf 'info status\n' >&3
wait_for "VM status: paused"
sleep 0.5
grep -q "OpenSBI" "$tmp/out" && fail "-S: the guest ran before cont"
printf 'cont\n' >&3
wait_for "(qemu) " 3
printf '\001c' >&3 # back to the console
wait_for "=> "
printf 'poweroff\n' >&3
finish 0
echo "snapshot_cli: ok ($accel, snapshot $(wc -c <"$snap") bytes)"
