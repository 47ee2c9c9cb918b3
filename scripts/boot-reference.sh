#!/bin/sh
# Reference runs of the guest software under QEMU's own virt board (Debian's
# qemu-system-misc, whose -bios default is Debian's OpenSBI), to compare the
# splitvm virt board against:
#   1. Linux + initramfs from scripts/build-linux.sh, splitvm.test=1, with
#      -smp 1 -m 128M and -smp 4 -m 256M: each must print SPLITVM-TEST-DONE
#      with fail=0 and power off (QEMU exits 0). Prints the wall time to
#      SPLITVM-BOOT-OK and to the power-off, and the guest's own uptime figures.
#   2. Debian's U-Boot S-mode build (u-boot-qemu) as -kernel: stops autoboot,
#      runs `version` and `poweroff` from stdin.
# Usage: scripts/boot-reference.sh [LINUXDIR [linux|uboot|all]]
#        (default build/linux, all)
# Logs go to LINUXDIR/reference-*.log. Exit status 0 when every run passed.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$ROOT/build/linux}
WHAT=${2:-all}
QEMU=${QEMU:-qemu-system-riscv64}
UBOOT=${UBOOT:-/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin}
LIMIT=${LIMIT:-300}
# -bios default is the OpenSBI v1.1 build that qemu-system-data bundles; the
# opensbi package has its own: BIOS=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
BIOS=${BIOS:-default}

say() { echo "boot-reference: $*"; }
die() { echo "boot-reference: error: $*" >&2; exit 1; }

command -v "$QEMU" >/dev/null || die "$QEMU not found (run scripts/setup.sh)"
command -v timeout >/dev/null || die "timeout not found (coreutils)"
case $WHAT in
linux | all)
    for f in "$DIR/Image" "$DIR/initramfs.cpio.gz"; do
        [ -f "$f" ] || die "$f missing (run scripts/build-linux.sh first)"
    done
    ;;
uboot) ;;
*) die "unknown run '$WHAT' (linux, uboot or all)" ;;
esac
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
seconds() { printf '%d.%03d' $(( $1 / 1000 )) $(( $1 % 1000 )); }

failed=0
CR=$(printf '\r')

# boot_linux SMP MEM: one test boot; the output is stamped as it arrives so the
# time to the boot marker is wall time, not the guest's idea of it.
boot_linux() {
    smp=$1
    mem=$2
    log=$DIR/reference-linux-smp$smp.log
    rcfile=$DIR/.reference-rc
    rm -f "$rcfile"
    t0=$(now_ms)
    {
        set +e
        timeout "$LIMIT" "$QEMU" -M virt -nographic -bios "$BIOS" -smp "$smp" -m "$mem" \
            -kernel "$DIR/Image" -initrd "$DIR/initramfs.cpio.gz" \
            -append "console=ttyS0 splitvm.test=1" </dev/null 2>&1
        echo $? >"$rcfile"
    } | {
        boot_ms=""
        while IFS= read -r line; do
            line=${line%"$CR"}
            printf '%s\n' "$line"
            case $line in
            SPLITVM-BOOT-OK*) [ -n "$boot_ms" ] || boot_ms=$(( $(now_ms) - t0 )) ;;
            esac
        done
        echo "# boot_ms=${boot_ms:-none}"
    } >"$log"
    total=$(( $(now_ms) - t0 ))
    rc=$(cat "$rcfile")
    rm -f "$rcfile"
    boot_ms=$(sed -n 's/^# boot_ms=//p' "$log")
    done_line=$(grep -m1 '^SPLITVM-TEST-DONE' "$log" || true)
    up=$(grep '^SPLITVM-UPTIME-CS' "$log" | head -n 1 | cut -d' ' -f2)
    if [ "$rc" = 0 ] && [ "$done_line" != "" ] && [ "${done_line##*fail=}" = 0 ]; then
        bt=none
        [ "$boot_ms" = none ] || bt=$(seconds "$boot_ms")
        say "linux -smp $smp -m $mem: ok, SPLITVM-BOOT-OK after $bt s (guest uptime ${up:-?} cs), power-off after $(seconds "$total") s; ${done_line#SPLITVM-TEST-DONE }"
    else
        say "linux -smp $smp -m $mem: FAILED (qemu exit $rc, '${done_line:-no SPLITVM-TEST-DONE}'); last lines of $log:"
        tail -n 15 "$log" | sed 's/^/    /'
        failed=1
    fi
}

# wait_for PATTERN FILE SECONDS: until a line of FILE matches (grep -E).
wait_for() {
    n=$(( $3 * 10 ))
    while [ "$n" -gt 0 ]; do
        grep -Eq "$1" "$2" && return 0
        sleep 0.1
        n=$(( n - 1 ))
    done
    return 1
}

# U-Boot: stdin is a FIFO written as the log shows U-Boot ready for it (a key
# sent earlier reaches the UART before U-Boot and is lost): a newline stops
# the autoboot countdown, then `version`, then `poweroff`.
boot_uboot() {
    log=$DIR/reference-uboot.log
    fifo=$DIR/.reference-uboot-in
    if [ ! -f "$UBOOT" ]; then
        say "u-boot: FAILED, $UBOOT missing (package u-boot-qemu)"
        failed=1
        return
    fi
    rm -f "$fifo"
    mkfifo "$fifo"
    t0=$(now_ms)
    timeout 60 "$QEMU" -M virt -nographic -bios "$BIOS" -smp 1 -m 128M \
        -kernel "$UBOOT" <"$fifo" >"$log" 2>&1 &
    qpid=$!
    exec 8>"$fifo"
    step=ok
    if wait_for 'Hit any key to stop autoboot' "$log" 30; then
        printf '\n' >&8
    else
        step="no autoboot prompt"
    fi
    if [ "$step" = ok ] && wait_for '^=> ' "$log" 10; then
        printf 'version\n' >&8
    else
        [ "$step" != ok ] || step="no prompt"
    fi
    if [ "$step" = ok ] && wait_for '^GNU ld' "$log" 10; then
        printf 'poweroff\n' >&8
    else
        [ "$step" != ok ] || step="no version output"
    fi
    exec 8>&-
    rc=0
    wait "$qpid" || rc=$?
    total=$(( $(now_ms) - t0 ))
    rm -f "$fifo"
    if [ "$step" = ok ] && [ "$rc" = 0 ]; then
        say "u-boot: ok, '$(grep -m1 '^U-Boot 20' "$log" | tr -d '\r')' ran version and poweroff in $(seconds "$total") s"
    else
        say "u-boot: FAILED ($step, qemu exit $rc); last lines of $log:"
        tail -n 15 "$log" | sed 's/^/    /'
        failed=1
    fi
}

say "$($QEMU --version | head -n 1)"
if [ "$WHAT" != uboot ]; then
    boot_linux 1 128M
    boot_linux 4 256M
fi
[ "$WHAT" = linux ] || boot_uboot
exit $failed
