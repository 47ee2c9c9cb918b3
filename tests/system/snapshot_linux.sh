#!/bin/sh
# Snapshots of a running Linux (API 6, through console_expect's @save,
# @load and @reopen) with a qcow2 root-less data disk: the guest mounts
# vda, writes a file and syncs; @save; it changes a tmpfs file; @load
# brings the old one back (same machine, back in time); @reopen saves,
# destroys the machine and restores into a new one, where the guest goes
# on writing to the mounted disk through the restored virtio queues and
# unmounts. On the host, e2fsck finds the file system clean, debugfs reads
# both files back, and qemu-img check finds the image clean.
# usage: snapshot_linux.sh CONSOLE_EXPECT ENGINE KERNEL INITRD SMP
set -eu
expect=$1 engine=$2 kernel=$3 initrd=$4 smp=$5
for tool in mke2fs e2fsck debugfs; do
    command -v $tool >/dev/null || PATH=$PATH:/sbin:/usr/sbin
    command -v $tool >/dev/null || { echo "FAIL: $tool missing (e2fsprogs; scripts/setup.sh)"; exit 1; }
done
command -v qemu-img >/dev/null || { echo "FAIL: qemu-img missing (qemu-utils; scripts/setup.sh)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/root"
seq 1 1000 >"$tmp/root/seed.txt"
mke2fs -q -t ext2 -b 1024 -d "$tmp/root" "$tmp/disk.raw" 16M
qemu-img convert -f raw -O qcow2 "$tmp/disk.raw" "$tmp/disk.qcow2"

"$expect" --accel "$engine" --smp "$smp" -m 128 --timeout 280 --kernel "$kernel" --initrd "$initrd" \
    --append console=ttyS0 --drive "$tmp/disk.qcow2" --snapshot "$tmp/linux.svm" \
    "busybox shell on the console" \
    "mount /dev/vda /mnt && seq 1 20000 > /mnt/before.txt && sync && echo one > /tmp/f && echo W-\$((6*7))" \
    "W-42" "@save" \
    "" "echo two > /tmp/f; cat /tmp/f; echo C-\$((2+3))" \
    "C-5" "@load" \
    "" "cat /tmp/f; echo L-\$((3+4))" \
    "one" "" "L-7" "@reopen" \
    "" "cat /tmp/f; seq 1 30000 > /mnt/after.txt && umount /mnt && echo U-\$((1+1))" \
    "one" "" "U-2" "poweroff -f"

qemu-img check -q "$tmp/disk.qcow2" || { echo "FAIL: qemu-img check"; exit 1; }
qemu-img convert -f qcow2 -O raw "$tmp/disk.qcow2" "$tmp/after.raw"
e2fsck -fn "$tmp/after.raw" >"$tmp/fsck.log" 2>&1 || { cat "$tmp/fsck.log"; echo "FAIL: e2fsck"; exit 1; }
for f in before:20000 after:30000; do
    name=${f%%:*} n=${f#*:}
    debugfs -R "cat /$name.txt" "$tmp/after.raw" 2>/dev/null >"$tmp/$name.out"
    seq 1 "$n" | cmp -s - "$tmp/$name.out" || { echo "FAIL: /$name.txt differs"; exit 1; }
done
echo "snapshot_linux: ok ($engine, $smp harts)"
