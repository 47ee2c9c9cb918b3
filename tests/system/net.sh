#!/bin/sh
# Linux on the virt board with a virtio-net card on the user-mode network:
# the guest takes QEMU's address 10.0.2.15 (the test kernel has no AF_PACKET
# for a DHCP client; system.uboot_dhcp tests DHCP), connects out to a server
# on the host's 127.0.0.1 through the gateway 10.0.2.2 and gets its answer,
# then serves a connection that comes in through a hostfwd rule (host port ->
# guest port 7777), which a host client reads.
# usage: net.sh CONSOLE_EXPECT NET_PEER ENGINE KERNEL INITRD
set -eu
expect=$1 peer=$2 engine=$3 kernel=$4 initrd=$5
tmp=$(mktemp -d)
pids=
trap 'for p in $pids; do kill $p 2>/dev/null || true; done; rm -rf "$tmp"' EXIT

"$peer" serve "$tmp/port" &
pids="$pids $!"
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
# A host port for the rule: free now (bound and released by nothing else
# here); chosen from the process id to keep parallel runs apart.
fwd=$((20000 + $$ % 20000))
"$peer" fetch $fwd "$tmp/fetched" 250 &
fetch_pid=$!
pids="$pids $fetch_pid"

"$expect" --accel "$engine" -m 128 --timeout 280 --kernel "$kernel" --initrd "$initrd" --append console=ttyS0 \
    --nic "tcp:127.0.0.1:$fwd-:7777" \
    "busybox shell on the console" \
    "ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up && route add default gw 10.0.2.2 && echo hello-net | nc 10.0.2.2 $port" \
    "HOST-GOT hello-net" "echo GUEST-SAYS-\$((6*7)) | nc -l -p 7777; echo SERVED-\$((1+1))" \
    "SERVED-2" "poweroff -f"

wait $fetch_pid || { echo "FAIL: the host client got nothing through hostfwd"; exit 1; }
grep -q "GUEST-SAYS-42" "$tmp/fetched" || { echo "FAIL: hostfwd gave: $(cat "$tmp/fetched")"; exit 1; }
echo "net ($engine): a connection out and one in through hostfwd"
