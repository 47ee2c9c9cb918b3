#!/bin/bash
# Where a program's time goes under the JIT, by translated block and by
# guest function: records the run with `perf record` (cpu-clock samples of
# user time, so it works without hardware counters), with
# SPLITVM_JIT_HASH=2 printing each block's guest pc, size and host
# address, puts every sample into its block (or names the host function it
# hit), and the blocks into the guest ELF's functions (riscv64 nm).
# Prints the hottest blocks (share of samples, guest pc, function, code
# bytes; a block re-translated by the hot tier shows once per copy), then
# the share per guest function and outside generated code. The samples
# stay in OUT/perf.data and the block list in OUT/blocks.txt.
#
# usage: scripts/jit-profile.sh GUEST_ELF [ARGS...]
# Environment: SPLITVM (default build/splitvm), JIT_PROFILE_OUT (default
# build/jit-profile), JIT_PROFILE_OPTS (-accel value, default jit),
# JIT_PROFILE_TOP (blocks listed, default 25), NM (riscv64-linux-gnu-nm).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SPLITVM=${SPLITVM:-$ROOT/build/splitvm}
OUT=${JIT_PROFILE_OUT:-$ROOT/build/jit-profile}
NM=${NM:-riscv64-linux-gnu-nm}
TOP=${JIT_PROFILE_TOP:-25}
[ $# -ge 1 ] || { echo "usage: $0 GUEST_ELF [ARGS...]" >&2; exit 2; }
mkdir -p "$OUT"
guest=$1
SPLITVM_JIT_HASH=2 perf record -q -e cpu-clock:u -c 200000 -o "$OUT/perf.data" \
    "$SPLITVM" -accel "${JIT_PROFILE_OPTS:-jit}" "$@" 2>"$OUT/blocks.txt" >/dev/null || true
"$NM" "$guest" | awk '$2 ~ /^[tTwW]$/ { print $1, $3 }' | sort >"$OUT/functions.txt"
perf script -i "$OUT/perf.data" -F ip,sym 2>/dev/null >"$OUT/samples.txt"
# Blocks (host address, size, guest pc), then functions (address, name),
# then samples (ip [host symbol]); hex parsed by hand (mawk has no strtonum).
awk -v top="$TOP" '
function hex(s,   v, k, c) {
    sub(/^0x/, "", s); v = 0
    for (k = 1; k <= length(s); k++) { c = index("0123456789abcdef", substr(tolower(s), k, 1)) - 1; v = v * 16 + c }
    return v
}
function find(a, n, x,   lo, hi, mid) { # last index with a[i] <= x, 0 if none
    lo = 1; hi = n; if (n == 0 || x < a[1]) return 0
    while (lo < hi) { mid = int((lo + hi + 1) / 2); if (a[mid] <= x) lo = mid; else hi = mid - 1 }
    return lo
}
FILENAME == ARGV[1] && /jit block .*, at / {
    nb++; for (i = 1; i < NF; i++) if ($i == "at") at = $(i + 1); sub(/,$/, "", at); pc = $4; sub(/:$/, "", pc); size = $5
    bstart[nb] = hex(at); bsize[nb] = size; bpc[nb] = pc; next
}
FILENAME == ARGV[2] { nf++; fstart[nf] = hex($1); fname[nf] = $2; next }
FILENAME == ARGV[3] {
    if (!sorted) { # blocks by host address (insertion sort: a few thousand)
        for (i = 2; i <= nb; i++) {
            s = bstart[i]; z = bsize[i]; p = bpc[i]
            for (j = i - 1; j >= 1 && bstart[j] > s; j--) { bstart[j+1] = bstart[j]; bsize[j+1] = bsize[j]; bpc[j+1] = bpc[j] }
            bstart[j+1] = s; bsize[j+1] = z; bpc[j+1] = p
        }
        sorted = 1
    }
    total++; ip = hex($1); b = find(bstart, nb, ip)
    if (b && ip < bstart[b] + bsize[b]) {
        inblock[b]++
        f = find(fstart, nf, hex(bpc[b])); fn = f ? fname[f] : "?"
        func[fn]++; bfunc[b] = fn
    } else {
        name = NF > 1 && $2 != "[unknown]" ? $2 : "[unknown: exit tails, libc]"
        func["(host) " name]++
    }
}
END {
    if (!total) { print "no samples" > "/dev/stderr"; exit 1 }
    printf "%d samples, %d blocks\n\nhottest blocks:\n", total, nb
    for (b in inblock) print inblock[b], b | "sort -rn > \"'"$OUT"'/hot.txt\""
    close("sort -rn > \"'"$OUT"'/hot.txt\"")
    while ((getline line < "'"$OUT"'/hot.txt") > 0 && shown < top) {
        split(line, w, " "); b = w[2]; shown++
        printf "%6.2f%%  guest %-10s %-28s %5d bytes\n", 100 * w[1] / total, bpc[b], bfunc[b], bsize[b]
    }
    print "\nby guest function:"
    for (f in func) printf "%6.2f%%  %s\n", 100 * func[f] / total, f | "sort -rn | head -15"
}' "$OUT/blocks.txt" "$OUT/functions.txt" "$OUT/samples.txt"
