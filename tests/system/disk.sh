#!/bin/sh
# Linux on the virt board with disks: an ext2 file system made on the host
# (mke2fs -d), as raw or qcow2 (qemu-img convert), is vda; a second, raw,
# read-only copy is vdb. The guest mounts vda, checks a file's md5, writes
# files and unmounts; it finds vdb read-only and cannot write to it. Then
# on the host: e2fsck finds vda's file system clean, debugfs reads the
# guest's files back, and vdb's image is unchanged. With a U-Boot binary
# as well, U-Boot then lists the disk and loads the guest's file from it.
# usage: disk.sh CONSOLE_EXPECT ENGINE KERNEL INITRD raw|qcow2 [UBOOT]
set -eu
expect=$1 engine=$2 kernel=$3 initrd=$4 format=$5 uboot=${6:-}
for tool in mke2fs e2fsck debugfs; do
    command -v $tool >/dev/null || PATH=$PATH:/sbin:/usr/sbin
    command -v $tool >/dev/null || { echo "FAIL: $tool missing (e2fsprogs; scripts/setup.sh)"; exit 1; }
done
if [ "$format" = qcow2 ] && ! command -v qemu-img >/dev/null; then
    echo "FAIL: qemu-img missing (qemu-utils; scripts/setup.sh)"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/root"
echo "hello from the host" >"$tmp/root/hello.txt"
seq 1 30000 >"$tmp/root/numbers.txt"
mke2fs -q -t ext2 -b 1024 -d "$tmp/root" "$tmp/disk.raw" 16M
cp "$tmp/disk.raw" "$tmp/ro.raw"
md5_ro=$(md5sum <"$tmp/ro.raw")
img=$tmp/disk.raw
if [ "$format" = qcow2 ]; then
    qemu-img convert -f raw -O qcow2 "$tmp/disk.raw" "$tmp/disk.qcow2"
    img=$tmp/disk.qcow2
fi
sum=$(md5sum <"$tmp/root/numbers.txt" | cut -d' ' -f1)

"$expect" --accel "$engine" -m 128 --timeout 280 --kernel "$kernel" --initrd "$initrd" --append console=ttyS0 \
    --drive "$img" --drive-ro "$tmp/ro.raw" \
    "busybox shell on the console" "mount /dev/vda /mnt && md5sum /mnt/numbers.txt" \
    "$sum" "seq 1 50000 > /mnt/seq.txt && echo guest-wrote > /mnt/new.txt && umount /mnt && echo UMOUNT-\$((1+1))" \
    "UMOUNT-2" "echo RO-\$(cat /sys/block/vdb/ro); mount -o ro /dev/vdb /mnt && touch /mnt/x; echo TOUCH-\$?" \
    "RO-1" "" "TOUCH-1" "umount /mnt; poweroff -f"

fail=0
if [ -n "$uboot" ]; then
    "$expect" --accel "$engine" -m 128 --timeout 120 --kernel "$uboot" --drive "$img" \
        "=> " "virtio info" "QEMU VirtIO Block Device" "load virtio 0 0x84000000 /new.txt; md 0x84000000 4" \
        "guest-wrote" "poweroff" || { echo "FAIL: U-Boot did not read the disk"; fail=1; }
fi
if [ "$format" = qcow2 ]; then
    qemu-img check "$tmp/disk.qcow2" || { echo "FAIL: qemu-img check"; fail=1; }
    qemu-img convert -f qcow2 -O raw "$tmp/disk.qcow2" "$tmp/disk.raw"
fi
e2fsck -fn "$tmp/disk.raw" || { echo "FAIL: e2fsck on the guest-written disk"; fail=1; }
got=$(debugfs -R "cat /new.txt" "$tmp/disk.raw" 2>/dev/null)
[ "$got" = guest-wrote ] || { echo "FAIL: new.txt reads '$got'"; fail=1; }
a=$(debugfs -R "cat /seq.txt" "$tmp/disk.raw" 2>/dev/null | md5sum)
b=$(seq 1 50000 | md5sum)
[ "$a" = "$b" ] || { echo "FAIL: seq.txt differs"; fail=1; }
[ "$(md5sum <"$tmp/ro.raw")" = "$md5_ro" ] || { echo "FAIL: the read-only image changed"; fail=1; }
[ $fail = 0 ] && echo "disk ($format, $engine): guest writes checked on the host"
exit $fail
