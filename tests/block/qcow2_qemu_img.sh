#!/bin/sh
# The qcow2 driver against qemu-img: images qemu-img creates (versions 2
# and 3, clusters of 512 B to 2 MiB, metadata preallocation) are written
# through the driver while the same writes go to a raw mirror; then
# `qemu-img check` must find no errors or leaks and `qemu-img compare`
# must find the images identical. Images qemu-img filled (convert, zeroed
# clusters) must read back the same through the driver; compressed and
# snapshot-shared clusters must fail cleanly.
# Usage: qcow2_qemu_img.sh QCOW2_TOOL
set -eu
tool=$1
fail() { echo "FAIL: $*"; exit 1; }
for p in qemu-img qemu-io; do
    command -v $p >/dev/null 2>&1 || fail "$p not found: install qemu-utils (scripts/setup.sh does)"
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# qemu-img check: exit 0 and no errors or leaks.
check_clean() {
    rc=0
    out=$(qemu-img check "$1" 2>&1) || rc=$?
    [ $rc = 0 ] || { echo "$out"; fail "qemu-img check $1 (exit $rc: 2 corruptions, 3 leaks)"; }
    echo "$out" | grep -q "No errors were found on the image" || { echo "$out"; fail "qemu-img check $1"; }
    echo "$out" | grep -qi "leak" && { echo "$out"; fail "qemu-img check $1 reports leaks"; }
    echo "  check: $(echo "$out" | tr '\n' ' ')"
}

same() {
    out=$(qemu-img compare -f qcow2 -F raw "$1" "$2" 2>&1) || { echo "$out"; fail "qemu-img compare $1 $2"; }
    echo "  compare: $out"
}

# The value of key=N in the tool's stats line.
stat_of() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" "$dir/out"; }

# name compat cluster size options seed seq target spots window min_l2 min_refblocks min_reftable_clusters
write_case() {
    name=$1 img=$dir/$1.qcow2 mirror=$dir/$1.raw
    echo "== write $name: compat=$2 cluster_size=$3 size=$4 $5"
    qemu-img create -q -f qcow2 -o compat="$2",cluster_size="$3"$5 "$img" "$4"
    qemu-img create -q -f raw "$mirror" "$4"
    "$tool" write "$img" "$mirror" "$6" "$7" "$8" "$9" "${10}" >"$dir/out" || { cat "$dir/out"; fail "$name: write"; }
    cat "$dir/out"
    [ "$(stat_of l2_tables)" -ge "${11}" ] || fail "$name: fewer than ${11} L2 tables"
    [ "$(stat_of refblocks)" -ge "${12}" ] || fail "$name: fewer than ${12} refcount blocks"
    [ "$(stat_of reftable_clusters)" -ge "${13}" ] || fail "$name: refcount table under ${13} clusters"
    check_clean "$img"
    same "$img" "$mirror"
}

# 512-byte clusters: a refcount block counts 128 KiB and the first refcount
# table 8 MiB, so the 10 MiB written first make it grow.
write_case v2-512 0.10 512 64M "" 1 10M 4M 8 2M 64 40 2
write_case v3-512 1.1 512 64M "" 2 10M 4M 8 2M 64 40 2
write_case v3-4k 1.1 4k 256M "" 3 4M 20M 8 8M 16 3 1
write_case v2-64k 0.10 64k 4G "" 4 2M 16M 8 4M 4 1 1
write_case v3-64k-prealloc 1.1 64k 1G ",preallocation=metadata" 5 1M 8M 8 4M 2 1 1
write_case v2-4k-prealloc 0.10 4k 64M ",preallocation=metadata" 6 1M 6M 8 2M 32 1 1
# An L2 table of 2 MiB clusters maps 512 GiB.
write_case v3-2m 1.1 2M 1200G "" 7 0 6M 6 4M 2 1 1
write_case v2-2m-prealloc 0.10 2M 256M ",preallocation=metadata" 8 0 8M 4 64M 1 1 1

# Images qemu-img made: data, holes, and (version 3) zeroed clusters.
pat=$dir/pattern.raw
qemu-img create -q -f raw "$pat" 8M
qemu-io -f raw -c "write -P 0x11 0 300k" -c "write -P 0x22 1000k 65k" -c "write -P 0x33 3m 1m" \
    -c "write -P 0x44 7777k 100k" "$pat" >/dev/null
for c in "0.10 512" "1.1 4k" "1.1 64k" "0.10 64k" "1.1 2M"; do
    set -- $c
    img=$dir/conv-$1-$2.qcow2
    echo "== read conv-$1-$2"
    qemu-img convert -f raw -O qcow2 -o compat="$1",cluster_size="$2" "$pat" "$img"
    "$tool" read "$img" "$pat" || fail "read $img"
done
echo "== zeroed clusters (version 3), then written through the driver"
img=$dir/conv-1.1-64k.qcow2
cp "$pat" "$dir/zeroed.raw"
qemu-io -f qcow2 -c "write -z 64k 192k" -c "write -z 3m 512k" "$img" >/dev/null
qemu-io -f raw -c "write -z 64k 192k" -c "write -z 3m 512k" "$dir/zeroed.raw" >/dev/null
qemu-img map --output=json "$img" | grep -q '"zero": true, "data": false, "offset"' ||
    fail "qemu-io made no zero-flagged allocated cluster to test"
"$tool" read "$img" "$dir/zeroed.raw" || fail "read zeroed clusters"
"$tool" write "$img" "$dir/zeroed.raw" 9 300k 6M 2 4M >"$dir/out" || { cat "$dir/out"; fail "write over zeroed clusters"; }
check_clean "$img"
same "$img" "$dir/zeroed.raw"

echo "== compressed clusters fail with -EIO"
img=$dir/comp.qcow2
qemu-img convert -c -f raw -O qcow2 "$pat" "$img"
if "$tool" read "$img" "$pat" 2>"$dir/err"; then fail "compressed image read without an error"; fi
grep -q "compressed clusters are not supported" "$dir/err" || { cat "$dir/err"; fail "no message for compressed clusters"; }
cat "$dir/err"

echo "== clusters shared with an internal snapshot: reads work, writes fail"
img=$dir/conv-1.1-4k.qcow2
qemu-img snapshot -c snap1 "$img"
"$tool" shared "$img" 2>"$dir/err" || { cat "$dir/err"; fail "shared clusters"; }
grep -q "internal snapshot" "$dir/err" || { cat "$dir/err"; fail "no message for shared clusters"; }
check_clean "$img"
echo "== images qemu-img makes that the driver refuses"
# name message qemu-img-create-arguments...
refused() {
    name=$1 msg=$2
    shift 2
    # (qemu-img's LUKS set-up times its key derivation by the thread's CPU
    # time, and fails with "Unable to get accurate CPU usage" when that
    # clock has not moved, as happens on a busy host: tried up to 10 times)
    tries=0
    until qemu-img create -q -f qcow2 "$@" "$dir/$name.qcow2" 16M 2>"$dir/create.err"; do
        tries=$((tries + 1))
        [ "$tries" -lt 10 ] || { cat "$dir/create.err"; fail "$name: qemu-img create $*"; }
    done
    if "$tool" open "$dir/$name.qcow2" >"$dir/out"; then cat "$dir/out"; fail "$name: opened"; fi
    grep -q "$msg" "$dir/out" || { cat "$dir/out"; fail "$name: no '$msg'"; }
    echo "  $name: $(cat "$dir/out")"
}
qemu-img create -q -f qcow2 "$dir/base.qcow2" 16M
refused backing "backing files are not supported" -b "$dir/base.qcow2" -F qcow2
refused refcount8 "refcount width of 8 bits" -o refcount_bits=8
refused extl2 "extended L2 entries" -o extended_l2=on
refused datafile "external data file" -o data_file="$dir/data.raw"
refused luks "encrypted" --object secret,id=sec0,data=123456 -o encrypt.format=luks,encrypt.key-secret=sec0,encrypt.iter-time=100
if qemu-img create -q -f qcow2 -o compression_type=zstd "$dir/zstd-probe.qcow2" 1M 2>/dev/null; then
    refused zstd "compression type 1" -o compression_type=zstd
else
    echo "  (this qemu-img has no zstd: compression type not tried)"
fi
echo "== lazy refcounts (compatible feature): written and clean"
img=$dir/lazy.qcow2
qemu-img create -q -f qcow2 -o lazy_refcounts=on "$img" 64M
qemu-img create -q -f raw "$dir/lazy.raw" 64M
"$tool" write "$img" "$dir/lazy.raw" 10 1M 4M 4 4M >"$dir/out" || { cat "$dir/out"; fail "lazy: write"; }
check_clean "$img"
same "$img" "$dir/lazy.raw"
echo "PASS"
