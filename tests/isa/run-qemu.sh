#!/bin/sh
# Build every ISA test program and run it on the reference, QEMU's spike
# machine, to validate the known answers.  Usage:
#   tests/isa/run-qemu.sh [outdir] [program...]
# Exit status 0 when every program gives its expected exit code.  Needs
# riscv64-unknown-elf-gcc and qemu-system-riscv64 (RISCV_ELF_GCC and
# QEMU_SYSTEM_RISCV64 override the names).
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/isa-qemu}
[ $# -gt 0 ] && shift
mkdir -p "$out"
cc=${RISCV_ELF_GCC:-riscv64-unknown-elf-gcc}
qemu=${QEMU_SYSTEM_RISCV64:-qemu-system-riscv64}
cpu="rv64,zba=true,zbb=true,zbc=true,zbs=true,zbkb=true,zbkx=true,Zfhmin=true,Zfh=true"
# Known QEMU 7.2 deviations from the spec, as program:exit-code; the
# program keeps the affected case last so every case before it is checked.
#   zbb:78  ctzw with upper bits set counts over all 64 bits.
# QEMU 7.2 has no Zicond: -DREFERENCE_QEMU makes zicond.S emulate it.
known="zbb:78"
fails=0

run() { # name source expected-exit
  if ! "$cc" -nostdlib -nostartfiles -march=rv64gc_zba_zbb_zbs_zbc -mabi=lp64d \
      -mcmodel=medany -Wl,--no-warn-rwx-segments -DREFERENCE_QEMU \
      -I "$here/common" -T "$here/common/link.ld" \
      "$here/common/start.S" "$2" -o "$out/$1.elf"; then
    echo "BUILD FAIL $1"; fails=$((fails + 1)); return
  fi
  timeout 20 "$qemu" -M spike -cpu "$cpu" -bios none -kernel "$out/$1.elf" \
    -nographic -monitor none -serial none </dev/null >/dev/null 2>&1
  rc=$?
  if [ $rc -eq "$3" ]; then echo "pass $1"
  elif echo " $known " | grep -q " $1:$rc "; then echo "pass $1 (known QEMU bug at case $rc)"
  else echo "FAIL $1 (exit $rc, expected $3)"; fails=$((fails + 1)); fi
}

if [ $# -gt 0 ]; then
  for n in "$@"; do run "$n" "$here/$n.S" 0; done
else
  for f in "$here"/*.S; do n=$(basename "$f" .S); run "$n" "$f" 0; done
  run selftest_fail_case7 "$here/selftest/fail_case7.S" 7
  run selftest_trap_ecall "$here/selftest/trap_ecall.S" 211
fi
echo "$fails failing"
[ $fails -eq 0 ]
