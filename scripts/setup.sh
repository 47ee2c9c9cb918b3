#!/bin/sh
# Install what the build, the tests and the benchmark need on Debian 12.
# Idempotent: when every package is already installed it does nothing (no apt).
set -eu

PACKAGES="build-essential cmake libfdt-dev gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-user-static
qemu-system-misc valgrind hyperfine libseccomp-dev dpkg-dev pkg-config
gcc-aarch64-linux-gnu libc6-dev-arm64-cross libfdt1:arm64 clang libclang-rt-14-dev
bc flex bison libssl-dev libelf-dev cpio opensbi u-boot-qemu
device-tree-compiler linux-source-6.1 procps g++-riscv64-linux-gnu tcl
autoconf automake autopoint qemu-utils e2fsprogs libslirp-dev gdb-multiarch curl xz-utils"

SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO="sudo"
fi
# The AArch64 cross build (scripts/test-arm64.sh) links Debian's arm64 libfdt
# runtime (libfdt1:arm64; libfdt-dev cannot be installed for two architectures).
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $SUDO dpkg --add-architecture arm64
fi

missing=""
for p in $PACKAGES; do
    # dpkg -s succeeds for removed-but-configured packages too: check the status line.
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "setup: all packages present"
    exit 0
fi

echo "setup: installing:$missing"
$SUDO apt-get update
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
