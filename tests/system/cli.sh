#!/bin/bash
# splitvm-system -M virt: the command line, the device tree it generates
# (checked with dtc, and against qemu-system-riscv64's own where present),
# and bad input: each must give one clear line and a non-zero exit.
set -u
sys=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/splitvm-cli.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# expect_error DESCRIPTION PATTERN ARGS...: exit 1, one stderr line matching PATTERN.
expect_error() {
    local what=$1 pat=$2
    shift 2
    "$sys" "$@" </dev/null >"$T/out" 2>"$T/err"
    local rc=$? lines
    lines=$(wc -l <"$T/err")
    if [ $rc -ne 0 ] && [ "$lines" -eq 1 ] && grep -q -- "$pat" "$T/err"; then
        ok "$what: $(cat "$T/err")"
    else
        bad "$what: exit $rc, stderr: $(cat "$T/err")"
    fi
}

# -M help lists the machines, as QEMU's does.
if "$sys" -M help >"$T/out" 2>"$T/err" && grep -q '^virt ' "$T/out" && grep -q '^spike ' "$T/out" &&
    [ ! -s "$T/err" ]; then
    ok "-M help lists virt and spike"
else
    bad "-M help: $(cat "$T/out" "$T/err")"
fi
expect_error "unknown option" "unknown option" -M virt -frobnicate 1
expect_error "unknown machine" "unknown machine 'foo'" -M foo
expect_error "too many harts" "1 to 8" -M virt -smp 9
expect_error "missing firmware file" "cannot read the firmware '/nonexistent/fw.bin'" -M virt -bios /nonexistent/fw.bin
SPLITVM_BIOS=/nonexistent/default.bin expect_error "missing default firmware" "no default firmware" -M virt
expect_error "initrd without kernel" "needs -kernel" -M virt -bios none -initrd /etc/hostname
head -c 4096 /dev/urandom >"$T/junk.dtb"
printf 'garbage' >"$T/short.dtb"
expect_error "corrupt -dtb" "not a valid device tree blob" -M virt -bios none -kernel "$T/junk.dtb" -dtb "$T/junk.dtb"
expect_error "short -dtb" "not a valid device tree blob" -M virt -bios none -kernel "$T/junk.dtb" -dtb "$T/short.dtb"
head -c $((3 << 20)) /dev/zero >"$T/big.bin"
expect_error "kernel larger than RAM" "does not fit in RAM" -M virt -m 2M -bios none -kernel "$T/big.bin"
: >"$T/empty.bin"
expect_error "empty kernel" "is empty" -M virt -bios none -kernel "$T/empty.bin"
expect_error "spike refuses -append" "need -M virt" -M spike -bios none -kernel "$T/big.bin" -append x
expect_error "-gdb bad device" "use tcp::PORT" -M virt -gdb tcp::nope
expect_error "-S without gdb or monitor" "monitor's 'cont'" -M virt -S
expect_error "virtio-rng on spike" "need -M virt" -M spike -bios none -kernel "$T/big.bin" -device virtio-rng-device
# Snapshots: -incoming takes a file; spike has none; bad files, one line each.
expect_error "-incoming tcp" "file only" -M virt -incoming tcp:127.0.0.1:4444
expect_error "-incoming on spike" "need -M virt" -M spike -bios none -kernel "$T/big.bin" -incoming file:/x
expect_error "-incoming missing file" "cannot open" -M virt -bios none -incoming file:/nonexistent/snap.svm
expect_error "-incoming not a snapshot" "not a splitvm snapshot" -M virt -bios none -incoming file:"$T/big.bin"
# Network options.
expect_error "-netdev tap" "user-mode network only" -M virt -netdev tap,id=n0
expect_error "-netdev without id" "needs an id=" -M virt -netdev user
expect_error "-netdev unattached" "not attached" -M virt -netdev user,id=n0
expect_error "-device names no netdev" "no -netdev with id=n1" -M virt -netdev user,id=n0 -device virtio-net-device,netdev=n1
expect_error "-netdev unknown key" "unsupported or malformed 'smb=/tmp'" -M virt -netdev user,id=n0,smb=/tmp
expect_error "-nic bad mac" "six hex bytes" -M virt -nic user,mac=52:54:00:12:34
expect_error "-nic multicast mac" "multicast" -M virt -nic user,mac=01:00:5e:00:00:01
expect_error "-nic model" "virtio-net-device" -M virt -nic user,model=e1000
expect_error "bad hostfwd" "hostfwd=tcp:2222:22: expected" -M virt -bios none -kernel "$T/big.bin" -nic user,hostfwd=tcp:2222:22
expect_error "-nic on spike" "need -M virt" -M spike -bios none -kernel "$T/big.bin" -nic user
# Disks: bad options and bad images, each one line naming the problem.
expect_error "missing disk image" "cannot open disk image '/nonexistent/x.img'" -M virt -bios none -kernel "$T/big.bin" -drive file=/nonexistent/x.img
expect_error "-drive without file" "needs file=" -M virt -drive format=raw
expect_error "-drive format" "raw and qcow2" -M virt -drive file=x.img,format=vmdk
expect_error "-drive if=ide" "virtio disks" -M virt -drive file=x.img,if=ide
expect_error "-drive unknown key" "unsupported or malformed 'bps=100'" -M virt -drive file=x.img,bps=100
expect_error "-drive snapshot=maybe" "snapshot" -M virt -drive file=x.img,snapshot=maybe
expect_error "-drive if=none unattached" "not attached" -M virt -drive file=x.img,if=none,id=d0
expect_error "-device names no drive" "no -drive with id=d1" -M virt -drive file=x.img,if=none,id=d0 -device virtio-blk-device,drive=d1
expect_error "-device of another kind" "not supported" -M virt -device e1000
expect_error "-drive on spike" "need -M virt" -M spike -bios none -kernel "$T/big.bin" -drive file=x.img
printf 'abc' >"$T/tiny.img"
expect_error "image under a sector" "no whole 512-byte sector" -M virt -bios none -kernel "$T/big.bin" -drive file="$T/tiny.img",format=raw
expect_error "nine disks" "at most 8" -M virt -bios none -kernel "$T/big.bin" $(for i in 1 2 3 4 5 6 7 8 9; do echo -drive file="$T/big.bin"; done)
expect_error "-d of an unknown item" "unknown item" -M virt -d frobnicate

# The device tree: made from the configuration, readable by dtc.
if "$sys" -M virt -smp 3 -m 256M -append "console=ttyS0 quiet" -machine dumpdtb="$T/sv.dtb" </dev/null; then
    ok "dumpdtb wrote $(stat -c %s "$T/sv.dtb") bytes"
else
    bad "dumpdtb failed"
fi
if command -v dtc >/dev/null; then
    dtc -q -I dtb -O dts "$T/sv.dtb" >"$T/sv.dts" 2>/dev/null || bad "dtc cannot read the generated device tree"
    for want in 'bootargs = "console=ttyS0 quiet"' 'cpu@2 {' 'reg = <0x00 0x80000000 0x00 0x10000000>' \
        'compatible = "ns16550a"' 'compatible = "google,goldfish-rtc"' 'compatible = "virtio,mmio"' \
        'riscv,ndev = <0x5f>' 'timebase-frequency = <0x989680>' 'stdout-path = "/soc/serial@10000000"'; do
        grep -qF -- "$want" "$T/sv.dts" && ok "device tree has: $want" || bad "device tree lacks: $want"
    done
    grep -q 'cpu@3 {' "$T/sv.dts" && bad "device tree has a fourth hart"
    # A file name with a comma (QEMU's ",," escape) and the if=none + -device spelling.
    cp "$T/big.bin" "$T/a,b.img"
    if "$sys" -M virt -bios none -kernel "$T/big.bin" -drive "file=$T/a,,b.img,format=raw,if=none,id=hd0" \
        -device virtio-blk-device,drive=hd0 -machine dumpdtb="$T/d.dtb" </dev/null 2>"$T/err"; then
        ok "-drive file=a,,b.img with -device virtio-blk-device,drive=hd0"
    else
        bad "-drive with ,, and -device: $(cat "$T/err")"
    fi
    # Every node and compatible string ours has, QEMU's virt has too.
    if command -v qemu-system-riscv64 >/dev/null &&
        qemu-system-riscv64 -M virt -smp 3 -m 256M -nographic -machine dumpdtb="$T/q.dtb" >/dev/null 2>&1; then
        dtc -q -I dtb -O dts "$T/q.dtb" >"$T/q.dts" 2>/dev/null
        grep -E '^\s*[a-z_,-]+(@[0-9a-f]+)? \{' "$T/sv.dts" | sed 's/^\s*//' | sort -u >"$T/sv.nodes"
        grep -E '^\s*[a-z_,-]+(@[0-9a-f]+)? \{' "$T/q.dts" | sed 's/^\s*//' | sort -u >"$T/q.nodes"
        extra=$(comm -23 "$T/sv.nodes" "$T/q.nodes" | tr '\n' ' ')
        [ -z "$extra" ] && ok "every node is one QEMU's virt board has" || bad "nodes QEMU lacks: $extra"
        grep -o 'compatible = "[^;]*' "$T/sv.dts" | sort -u >"$T/sv.compat"
        grep -o 'compatible = "[^;]*' "$T/q.dts" | sort -u >"$T/q.compat"
        extra=$(comm -23 "$T/sv.compat" "$T/q.compat" | tr '\n' ' ')
        [ -z "$extra" ] && ok "every compatible string is QEMU's" || bad "compatible strings QEMU lacks: $extra"
    else
        echo "note: qemu-system-riscv64 not available, no comparison with QEMU's device tree"
    fi
fi
[ $fail -eq 0 ] && echo "cli: all checks passed"
exit $fail
