#!/bin/sh
# Debian's own riscv64 kernel (scripts/fetch-debian-kernel.sh: Debian 13's
# linux-image-*-riscv64, a distribution kernel nobody here built) on the
# virt board, with the project's busybox initramfs and a second cpio archive
# appended (Linux unpacks both) holding Debian's modules and kmod_load:
#   - it boots to the shell, with no warning about the board in dmesg;
#   - Debian's virtio_mmio, virtio_blk, virtio_net, virtio_rng and ext4
#     modules load;
#   - the virtio-rng device is the kernel's hardware RNG, and 64 KiB read
#     from /dev/hwrng hold every one of the 256 byte values;
#   - an ext4 image made on the host (mke2fs -d; qcow2) mounts, a file's
#     md5 matches, the guest writes a file;
#   - the network card is eth0 with QEMU's MAC, and (with the user-mode
#     network) a TCP connection to the host's port 1 through 10.0.2.2 is
#     refused by the host, so frames went out and came back;
#   - @reopen: the machine is saved, destroyed and restored, and the guest
#     writes a second file on the mounted disk, unmounts and powers off;
#   - on the host, e2fsck finds the file system clean and debugfs reads both
#     files back.
# usage: debian_kernel.sh CONSOLE_EXPECT ENGINE KERNEL_DIR INITRD KMOD_LOAD SLIRP(0|1)
set -eu
expect=$1 engine=$2 kdir=$3 initrd=$4 kmod_load=$5 slirp=$6
for tool in mke2fs e2fsck debugfs; do
    command -v $tool >/dev/null || PATH=$PATH:/sbin:/usr/sbin
    command -v $tool >/dev/null || { echo "FAIL: $tool missing (e2fsprogs; scripts/setup.sh)"; exit 1; }
done
for tool in qemu-img cpio; do
    command -v $tool >/dev/null || { echo "FAIL: $tool missing (scripts/setup.sh)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The appended archive: /kmod/ with the modules, their order and the loader.
. "$(dirname "$0")/debian_initrd.sh"
debian_initrd "$kdir" "$initrd" "$kmod_load" "$tmp"

mkdir "$tmp/root"
seq 1 30000 >"$tmp/root/numbers.txt"
mke2fs -q -t ext4 -d "$tmp/root" "$tmp/disk.raw" 32M
qemu-img convert -f raw -O qcow2 "$tmp/disk.raw" "$tmp/disk.qcow2"
sum=$(md5sum <"$tmp/root/numbers.txt" | cut -d' ' -f1)

nic="--nic-echo"
net_check="echo NET-SKIPPED"
net_want="NET-SKIPPED"
if [ "$slirp" = 1 ]; then
    nic="--nic none"
    # (The output is changed so that the typed line, echoed, cannot match.)
    net_check="ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up && route add default gw 10.0.2.2 && wget -q -O - http://10.0.2.2:1/ 2>&1 | sed s/refused/REFUSED/"
    net_want="Connection REFUSED"
fi

# shellcheck disable=SC2086 # $nic is one option and its argument
"$expect" --accel "$engine" -m 512 --timeout ${DEBIAN_KERNEL_TIMEOUT:-280} --kernel "$kdir/vmlinux" --initrd "$tmp/initrd" \
    --append console=ttyS0 --drive "$tmp/disk.qcow2" $nic --rng --snapshot "$tmp/debian.svm" \
    "busybox shell on the console" \
    "dmesg | grep -iE 'warn|bug:|error|fail' ; dmesg | grep -ciE 'warn|bug:|error|fail' ; echo D-\$((1+1))" \
    "D-2" "cd /kmod && ./kmod_load \$(cat load.order) && echo LOADED-\$((2+3))" \
    "LOADED-5" "cat /sys/class/misc/hw_random/rng_current; dd if=/dev/hwrng bs=1024 count=64 2>/dev/null > /tmp/r; echo RNG-\$(wc -c < /tmp/r)-\$(hexdump -v -e '1/1 \"%02x\\n\"' /tmp/r | sort -u | wc -l)" \
    "virtio_rng.0" "" "RNG-65536-256" "cat /sys/class/net/eth0/address; mount -t ext4 /dev/vda /mnt && md5sum /mnt/numbers.txt" \
    "52:54:00:12:34:56" "" "$sum" "$net_check" \
    "$net_want" "seq 1 20000 > /mnt/before.txt && sync && echo W-\$((6*7))" \
    "W-42" "@reopen" \
    "" "seq 1 40000 > /mnt/after.txt && umount /mnt && echo U-\$((1+1))" \
    "U-2" "poweroff -f" >"$tmp/console.log" 2>&1 || {
    cat "$tmp/console.log"
    echo "FAIL: console_expect"
    exit 1
}
# dmesg's count of suspicious lines is the line before D-2.
bad=$(grep -B1 '^D-2' "$tmp/console.log" | head -n 1 | tr -d '\r')
if [ "$bad" != 0 ]; then
    cat "$tmp/console.log"
    echo "FAIL: $bad dmesg lines mention a warning, bug, error or failure"
    exit 1
fi
if grep -q 'kmod_load:' "$tmp/console.log"; then
    grep 'kmod_load:' "$tmp/console.log"
    echo "FAIL: a module did not load"
    exit 1
fi
qemu-img check -q "$tmp/disk.qcow2" || { echo "FAIL: qemu-img check"; exit 1; }
qemu-img convert -f qcow2 -O raw "$tmp/disk.qcow2" "$tmp/after.raw"
e2fsck -fn "$tmp/after.raw" >"$tmp/fsck.log" 2>&1 || { cat "$tmp/fsck.log"; echo "FAIL: e2fsck"; exit 1; }
for f in before:20000 after:40000; do
    name=${f%%:*} n=${f#*:}
    debugfs -R "cat /$name.txt" "$tmp/after.raw" 2>/dev/null >"$tmp/$name.out"
    seq 1 "$n" | cmp -s - "$tmp/$name.out" || { echo "FAIL: /$name.txt differs"; exit 1; }
done
grep -m1 'Linux version' "$tmp/console.log" || true
echo "debian_kernel: ok ($engine, $(cat "$kdir/version"))"
