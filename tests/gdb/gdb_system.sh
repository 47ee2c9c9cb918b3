#!/bin/sh
# gdb against `splitvm-system -M spike -bios none -kernel ELF -gdb tcp::PORT`
# (halted at the entry until gdb continues): a breakpoint inside a block,
# registers, memory, stepi, a register write that changes the HTIF exit
# code, and the power-off. The ELF is an ISA test that passes (a0 = 1 at
# write_tohost; exit code tohost >> 1).
# usage: gdb_system.sh SPLITVM_SYSTEM ELF ACCEL
set -u
SYS=$1 ELF=$2 ACCEL=$3
. "$(dirname "$0")/gdb_common.sh"
vm_command() { exec timeout 120 "$SYS" -M spike -bios none -kernel "$ELF" -accel "$ACCEL" -gdb "tcp::$PORT"; }
start_vm

run_gdb \
    -ex 'info registers pc' \
    -ex 'break *write_tohost' -ex 'continue' \
    -ex 'info registers pc' -ex 'p $a0' -ex 'x/2xw write_tohost' \
    -ex 'stepi' -ex 'p/x $pc' \
    -ex 'set $a0 = 11' \
    -ex 'continue' \
    "$ELF"
expect '^pc  *0x80000000.*<_start>'               # halted before the first instruction
expect 'Breakpoint 1, 0x0*80000044 in write_tohost'
expect '^pc  *0x80000044.0x80000044 <write_tohost>'
expect '^\$1 = 1$'                                 # the test passed: a0 = 1
expect '<write_tohost>:.0x00001297.0xfbc28293'     # auipc t0; addi t0 (the code, read as memory)
expect '^\$2 = 0x80000048$'                        # stepi: one 4-byte instruction
expect '\[Inferior 1 (process [0-9]*) exited with code 05\]'  # 11 >> 1, from the a0 gdb wrote
[ "$VM_RC" = 5 ] || fail "splitvm-system exited with $VM_RC, not 5"
echo "gdb system session ($ACCEL): ok"
