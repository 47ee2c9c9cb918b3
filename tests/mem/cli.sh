#!/bin/bash
# The guest memory limit on splitvm's command line:
#   - programs whose memory does not fit the limit (a 1.5 GiB PT_TLS, a
#     1.5 GiB .bss) are refused with exactly one "splitvm:" line naming the
#     limit, status 1, and run once -m makes room;
#   - -m / -R sizes: each bad one gives exactly one "splitvm:" line and
#     status 1; good ones set the limit (-d mem reports it), default 1 GiB.
#
# usage: cli.sh SPLITVM MEMCAP HUGE_TLS HUGE_BSS
set -u
if [ $# -ne 4 ]; then
    echo "usage: cli.sh SPLITVM MEMCAP HUGE_TLS HUGE_BSS" >&2
    exit 2
fi
splitvm=$1 memcap=$2 huge_tls=$3 huge_bss=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/svm-memcli.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
fails=0

fail() {
    echo "FAIL: $*"
    sed 's/^/  stderr: /' "$work/err"
    fails=$((fails + 1))
}

# run NAME ARGS...: status in $rc, output in $work/out and $work/err.
run() {
    "$splitvm" "$@" >"$work/out" 2>"$work/err"
    rc=$?
}

# expect_one_line RC PATTERN DESCRIPTION: status RC and one stderr line,
# starting with "splitvm:", matching PATTERN (grep -E).
expect_one_line() {
    local lines
    lines=$(wc -l <"$work/err")
    if [ "$rc" -ne "$1" ]; then
        fail "$3: status $rc, expected $1"
    elif [ "$lines" -ne 1 ] || ! grep -q '^splitvm: ' "$work/err" || ! grep -Eq "$2" "$work/err"; then
        fail "$3: expected one 'splitvm:' line matching '$2', got $lines lines"
    else
        echo "ok: $3: $(cat "$work/err")"
    fi
}

for prog in "$huge_tls" "$huge_bss"; do
    run "$prog"
    expect_one_line 1 'needs 15[0-9][0-9] MiB of memory.*more than the guest memory limit of 1024 MiB \(-m\)' \
        "$(basename "$prog") refused"
    [ -s "$work/out" ] && fail "$(basename "$prog") printed on stdout"
    run -m 4M "$prog"
    expect_one_line 1 'more than the guest memory limit of 4 MiB' "$(basename "$prog") refused under -m 4M"
done
run -m 2G "$huge_bss"
if [ "$rc" -ne 0 ] || ! grep -q 'huge_bss ran: 1 2' "$work/out"; then
    fail "huge_bss under -m 2G: status $rc"
else
    echo "ok: huge_bss runs under -m 2G"
fi

for bad in 0 abc -5 ' 5' 12Q 5MX 64M64 0x10 '' 99999999999999999999 20000000000T 1.5G; do
    for opt in -m -R; do
        run "$opt" "$bad" "$memcap" idle 64
        expect_one_line 1 "^splitvm: bad memory size '.*' for $opt" "$opt '$bad'"
    done
done
for opt in -m -R; do
    run "$opt"
    expect_one_line 1 "needs an argument" "$opt without a size"
done

# good SIZE... EXPECTED_KIB: each option set must report that limit.
check_limit() {
    local kib=$1
    shift
    run "$@" -d mem "$memcap" idle 64
    if [ "$rc" -ne 0 ] || ! grep -q "committed of $kib KiB allowed" "$work/err"; then
        fail "'$*': status $rc, expected a limit of $kib KiB"
    else
        echo "ok: '$*' gives a limit of $kib KiB"
    fi
}
check_limit 1048576
check_limit 65536 -m 64M
check_limit 65536 -m 64
check_limit 65536 -m 64MiB
check_limit 65536 -m 65536K
check_limit 2097152 -m 2g
check_limit 65536 -R 67108864
check_limit 65536 -R 64M
check_limit 65536 -R 64MB
check_limit 65540 -R 67108865   # rounded up to whole pages
check_limit 131072 -m 64M -m 128M   # the last one counts

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s)"
    exit 1
fi
echo "all passed"
