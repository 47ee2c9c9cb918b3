#!/bin/sh
# Debian's userland on Debian's kernel on the virt board: the kernel from
# scripts/fetch-debian-kernel.sh (its ext4 and virtio modules loaded by
# kmod_load from an appended archive, as in debian_kernel.sh) mounts the
# root file system from scripts/fetch-debian-rootfs.sh (Debian 13's
# Essential packages unpacked: bash, coreutils, gawk, perl, dpkg, tar,
# gzip, grep with PCRE, all dynamically linked against Debian's glibc) as a
# qcow2 disk, and runs them in a chroot: their versions, a sha256 of 100,000
# lines, perl, gawk's floating point (MPFR), a tar.gz round trip and a
# PCRE grep, each compared with what the host computes or knows. With the
# user-mode network (SLIRP 1), Debian's bash opens TCP connections
# (/dev/tcp) to the host's port 1 through 10.0.2.2 and, over IPv6 with the
# address the guest took by SLAAC, through fec0::2: both come back
# "Connection refused" from the host. (The
# initramfs's busybox has no chroot: Debian's chroot is started through
# Debian's dynamic linker, then execs Debian's bash inside the root.) Then the
# guest unmounts and e2fsck finds the file system clean.
# usage: debian_rootfs.sh CONSOLE_EXPECT ENGINE KERNEL_DIR ROOTFS_DIR INITRD KMOD_LOAD SLIRP(0|1)
set -eu
expect=$1 engine=$2 kdir=$3 rdir=$4 initrd=$5 kmod_load=$6 slirp=${7:-0}
command -v e2fsck >/dev/null || PATH=$PATH:/sbin:/usr/sbin
for tool in e2fsck qemu-img cpio sha256sum; do
    command -v $tool >/dev/null || { echo "FAIL: $tool missing (scripts/setup.sh)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/extra/kmod"
# What Debian's bash runs in the chroot (read from the initramfs, outside it).
cat >"$tmp/extra/kmod/check.sh" <<'CHECK'
echo "BASH-$BASH_VERSION"
ls --version | head -n 1
dpkg --version | head -n 1
echo "SHA-$(seq 1 100000 | sha256sum | cut -d' ' -f1)"
perl -e 'print "PERL-", 6 * 7, "\n"'
gawk -M -v PREC=200 'BEGIN { printf "AWK-%.30f\n", atan2(0, -1) }'
cd /tmp && tar czf u.tgz -C / etc usr/bin/bash usr/bin/perl && mkdir x && tar xzf u.tgz -C x &&
    diff -r --no-dereference /etc x/etc && cmp /usr/bin/bash x/usr/bin/bash && cmp /usr/bin/perl x/usr/bin/perl &&
    echo "TAR-ok"
rm -rf /tmp/x /tmp/u.tgz
echo "GREP-$(seq 1 99999 | grep -cP '^\d{3}5$')"
if grep -q eth0 /proc/net/dev; then
    for host in 10.0.2.2 fec0::2; do
        echo "TCP-$host-$( (exec 3<>"/dev/tcp/$host/1") 2>&1 | grep -o 'Connection refused' | head -n 1)"
    done
fi
echo "CHECK-DONE"
CHECK
. "$(dirname "$0")/debian_initrd.sh"
debian_initrd "$kdir" "$initrd" "$kmod_load" "$tmp"
qemu-img convert -f raw -O qcow2 "$rdir/rootfs.ext4" "$tmp/root.qcow2"

ver() { sed -n "s/^$1 //p" "$rdir/packages" | sed 's/^[0-9]*://; s/[-+].*//'; }
bash_ver=$(ver bash) coreutils_ver=$(ver coreutils) dpkg_ver=$(ver dpkg)
sum=$(seq 1 100000 | sha256sum | cut -d' ' -f1)
# The network: IPv4 set by hand, IPv6 by SLAAC (waited for until the
# address has passed duplicate address detection: flags 00).
nic=""
net_setup="echo NET-\$((0))"
net_want="NET-0"
tcp4="" tcp6=""
if [ "$slirp" = 1 ]; then
    nic="--nic none"
    net_setup="ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up && route add default gw 10.0.2.2 && for i in 1 2 3 4 5 6 7 8 9 10; do awk '\$1 ~ /^fec0/ && \$5 == \"00\" { f = 1 } END { exit !f }' /proc/net/if_inet6 && break; sleep 1; done; echo NET-\$(awk '\$1 ~ /^fec0/ { n++ } END { print n + 0 }' /proc/net/if_inet6)"
    net_want="NET-1"
    tcp4="TCP-10.0.2.2-Connection refused"
    tcp6="TCP-fec0::2-Connection refused"
    # fec0::2 is the host's ::1: without one the guest gets "unreachable".
    if ! grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null; then
        echo "debian_rootfs: this host has no IPv6 loopback: the IPv6 connection is made but its answer not checked"
        tcp6="TCP-fec0::2-"
    fi
fi

# shellcheck disable=SC2086 # $nic is one option and its argument, or nothing
"$expect" --accel "$engine" -m 512 --timeout ${DEBIAN_ROOTFS_TIMEOUT:-280} --kernel "$kdir/vmlinux" --initrd "$tmp/initrd" \
    --append console=ttyS0 --drive "$tmp/root.qcow2" $nic \
    "busybox shell on the console" \
    "ld=/mnt/usr/lib/riscv64-linux-gnu/ld-linux-riscv64-lp64d.so.1; cd /kmod && ./kmod_load \$(cat load.order) && mount -t ext4 /dev/vda /mnt && mount -t proc proc /mnt/proc && mount -t devtmpfs dev /mnt/dev && echo M-\$((1+1))" \
    "M-2" "$net_setup" "$net_want" "\$ld --library-path /mnt/usr/lib/riscv64-linux-gnu /mnt/usr/sbin/chroot /mnt /bin/bash -s < /kmod/check.sh" \
    "BASH-$bash_ver" "" "ls (GNU coreutils) $coreutils_ver" "" "program version $dpkg_ver" "" "SHA-$sum" "" \
    "PERL-42" "" "AWK-3.141592653589793238462643383280" "" "TAR-ok" "" "GREP-900" "" "$tcp4" "" "$tcp6" "" "CHECK-DONE" \
    "umount /mnt/dev /mnt/proc /mnt && echo U-\$((1+1))" \
    "U-2" "poweroff -f" >"$tmp/console.log" 2>&1 || {
    cat "$tmp/console.log"
    echo "FAIL: console_expect"
    exit 1
}
qemu-img convert -f qcow2 -O raw "$tmp/root.qcow2" "$tmp/after.raw"
e2fsck -fn "$tmp/after.raw" >"$tmp/fsck.log" 2>&1 || { cat "$tmp/fsck.log"; echo "FAIL: e2fsck"; exit 1; }
sed -n '/^# \$ld/,/^CHECK-DONE/p' "$tmp/console.log"
echo "debian_rootfs: ok ($engine, $(wc -l <"$rdir/packages") packages)"
