#!/usr/bin/env bash
# Rebuild the committed seed corpora in fuzz/corpus/ from the sources here:
# tiny valid ELFs (user-mode programs from riscv64-linux-gnu-gcc, spike-board
# kernels from riscv64-unknown-elf-gcc) plus truncated and mutated copies
# that stop at each stage of the parser and loaders. Run it after changing a
# source; the outputs are committed so the fuzz build needs no cross compiler.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/../corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The snapshot seeds come from the fuzz build (below); kept if it is absent.
[ -d "$corpus/snapshot" ] && cp -r "$corpus/snapshot" "$tmp/snapshot"
rm -rf "$corpus"
mkdir -p "$corpus/elf" "$corpus/user" "$corpus/system" "$corpus/qcow2"

# -N: one segment, no page padding, so each file is a few hundred bytes.
for s in user_exit user_hello user_float; do
    riscv64-linux-gnu-gcc -nostdlib -static -march=rv64gc -Wl,-N -Wl,--build-id=none -s \
        "$here/$s.S" -o "$corpus/user/$s" 2>&1 | grep -v "RWX permissions" || true
done
# A static-pie (ET_DYN) program and one with page-aligned segments (what
# real linkers emit).
riscv64-linux-gnu-gcc -nostdlib -static-pie -fPIE -march=rv64gc -Wl,--no-dynamic-linker -Wl,-z,max-page-size=16 \
    -Wl,--build-id=none -s "$here/user_exit.S" -o "$corpus/user/user_exit_pie"
riscv64-linux-gnu-gcc -nostdlib -static -march=rv64gc -Wl,--build-id=none -s \
    "$here/user_hello.S" -o "$corpus/user/user_hello_paged"
for s in system_pass system_timer system_sv39; do
    riscv64-unknown-elf-gcc -nostdlib -march=rv64gc -mabi=lp64d -Wl,--build-id=none \
        -Wl,-z,max-page-size=16 -T "$here/link.ld" "$here/$s.S" -o "$tmp/$s.full"
    # Keep .symtab (tohost) but drop the debug sections and local labels.
    riscv64-unknown-elf-objcopy --strip-debug --discard-all "$tmp/$s.full" "$corpus/system/$s"
done

# poke FILE OFFSET HEXBYTES: overwrite bytes in place.
poke() { printf "$(printf '%s' "$3" | sed 's/../\\x&/g')" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
mutants() { # dir name: truncated and mutated copies of dir/name
    local d=$1 n=$2 f=$1/$2
    head -c 64 "$f" >"$d/$n.trunc_ehdr"
    head -c 100 "$f" >"$d/$n.trunc_phdr"
    head -c $(($(stat -c %s "$f") / 2)) "$f" >"$d/$n.trunc_half"
    cp "$f" "$d/$n.phnum_ffff"; poke "$d/$n.phnum_ffff" 56 ffff
    cp "$f" "$d/$n.entry_0"; poke "$d/$n.entry_0" 24 0000000000000000
    # First program header's p_filesz (phoff 64 + 32) and p_memsz (+40) huge.
    cp "$f" "$d/$n.filesz_huge"; poke "$d/$n.filesz_huge" 96 00000000000000f0
    cp "$f" "$d/$n.memsz_wrap"; poke "$d/$n.memsz_wrap" 104 f0ffffffffffffff
    cp "$f" "$d/$n.phoff_wild"; poke "$d/$n.phoff_wild" 32 ffffffffffffff7f
}
mutants "$corpus/user" user_hello
# Regression: a 560-byte program whose one segment claims 252 GiB of memory
# (the loader once probed it page by page: 17 s under the sanitizers).
cp "$corpus/user/user_exit" "$corpus/user/user_exit.memsz_252g"
phoff=$(od -An -tu8 -j32 -N8 "$corpus/user/user_exit" | tr -d ' ')
phnum=$(od -An -tu2 -j56 -N2 "$corpus/user/user_exit" | tr -d ' ')
for ((i = 0; i < phnum; i++)); do
    o=$((phoff + 56 * i))
    if [ "$(od -An -tu4 -j$o -N4 "$corpus/user/user_exit" | tr -d ' ')" = 1 ]; then
        poke "$corpus/user/user_exit.memsz_252g" $((o + 40)) 000000003f000000
    fi
done
mutants "$corpus/system" system_pass
# The parser's corpus is those two plus header mutants only it cares about
# (scripts/fuzz.sh passes all three folders).
cp "$corpus/user/user_exit" "$corpus/elf/class32"; poke "$corpus/elf/class32" 4 01
cp "$corpus/user/user_exit" "$corpus/elf/bigendian"; poke "$corpus/elf/bigendian" 5 02
cp "$corpus/user/user_exit" "$corpus/elf/x86_64"; poke "$corpus/elf/x86_64" 18 3e00
cp "$corpus/user/user_exit" "$corpus/elf/phentsize_0"; poke "$corpus/elf/phentsize_0" 54 0000
# qcow2 images (qemu-img, package qemu-utils): versions 2 and 3 with
# 512-byte clusters and a little data, so a few KiB each, and one with
# zeroed clusters; the fuzzer mutates their tables.
for v in 0.10 1.1; do
    qemu-img create -q -f qcow2 -o compat=$v,cluster_size=512 "$corpus/qcow2/v$v" 1M
    qemu-io -f qcow2 -c "write -P 0x11 0 1500" -c "write -P 0x22 700k 3k" "$corpus/qcow2/v$v" >/dev/null
done
cp "$corpus/qcow2/v1.1" "$corpus/qcow2/zeroed"
qemu-io -f qcow2 -c "write -z 0 1k" "$corpus/qcow2/zeroed" >/dev/null
# fuzz_virtio scripts (see fuzz_virtio.c: a kind byte, then 8-byte steps):
# a virtio-blk write and a read of sector 0 (header, 512 data bytes,
# status), and a virtio-net send on queue 1 plus a receive on queue 0.
mkdir -p "$corpus/virtio"
hexfile() { printf '%s' "$2" | xxd -r -p >"$1"; }
blk='030001000000000000008000010001010001808020000102000282000010020002000000000000'
hexfile "$corpus/virtio/blk_write" "00$blk"
hexfile "$corpus/virtio/blk_read" "00$(printf '%s' "$blk" | sed 's/^030001/030000/; s/0001808020000102/0001808020000302/')"
hexfile "$corpus/virtio/net_tx_rx" \
    '0180008000048000008200000000000000000084005fa0020002000000000000000400003cab000000'
# Snapshots of a 2 MiB virt machine running snapshot_guest.c, before it
# starts and 60000 instructions in. The guest's code goes into
# fuzz_snapshot.c as words (snapshot_guest.inc, committed); the target then
# writes the snapshots, so they need the fuzz build (scripts/fuzz.sh).
riscv64-unknown-elf-gcc -nostdlib -ffreestanding -march=rv64gc -mabi=lp64d -mcmodel=medany -O2 -Wall -Wextra \
    -Werror -Wl,--build-id=none -T "$here/link.ld" "$here/snapshot_guest.c" -o "$tmp/snapshot_guest" 2>&1 |
    grep -v "RWX permissions" || true
riscv64-unknown-elf-objcopy -O binary -j .text "$tmp/snapshot_guest" "$tmp/snapshot_guest.bin"
{
    echo "/* Generated by make-seeds.sh from snapshot_guest.c: its code, loaded at 0x80000000. */"
    od -An -v -tx4 "$tmp/snapshot_guest.bin" | awk '{ for (i = 1; i <= NF; i++) printf "0x%s,%s", $i, (i == NF ? "\n" : " ") }'
} >"$here/snapshot_guest.inc"
fuzz_build=${FUZZ_BUILD:-$here/../../build-fuzz}
fuzz_snapshot=$fuzz_build/fuzz/fuzz_snapshot
mkdir -p "$corpus/snapshot"
if [ -f "$fuzz_build/CMakeCache.txt" ] && cmake --build "$fuzz_build" --target fuzz_snapshot >/dev/null; then
    FUZZ_SNAPSHOT_SEEDS="$corpus/snapshot" "$fuzz_snapshot"
elif [ -d "$tmp/snapshot" ]; then
    echo "make-seeds: $fuzz_snapshot not built: the snapshot seeds are kept as they were" >&2
    cp "$tmp/snapshot/"* "$corpus/snapshot/"
fi
du -sh "$corpus"
