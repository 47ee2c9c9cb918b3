# Timing helpers shared by bench/run.sh and bench/real.sh (sourced).
# Needs RUNS and BUILD set; fills TIMES[label] with the fastest run.
# Times are wall seconds; with BENCH_CPU=1 and hyperfine, user + system
# CPU seconds instead.

HAVE_HYPERFINE=0
if [ "${BENCH_TIMER:-}" != date ] && command -v hyperfine >/dev/null; then
    HAVE_HYPERFINE=1
fi

# run_seconds CMD...: wall time of one run (date fallback).
run_seconds() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    awk -v t="$((t1 - t0))" 'BEGIN { printf "%.3f", t / 1e9 }'
}

# keep_min LABEL SECONDS: TIMES[LABEL] = the smaller of it and SECONDS.
keep_min() {
    local old=${TIMES[$1]:-}
    if [ -z "$old" ] || awk -v a="$2" -v b="$old" 'BEGIN { exit !(a < b) }'; then
        TIMES[$1]=$(awk -v m="$2" 'BEGIN { printf "%.3f", m }')
    fi
}

# time_all LABEL=CMD...: sets TIMES[LABEL] to the fastest of RUNS runs of
# each command. The commands take turns (one run of each per round), so a
# burst of load from elsewhere on a shared machine does not fall on one
# command only, and the fastest run is the one least disturbed.
declare -A TIMES
time_all() {
    local args=() pair label cmd r csv=$BUILD/hyperfine.csv mean user sys
    for pair in "$@"; do
        args+=(-n "${pair%%=*}" "${pair#*=}")
    done
    for ((r = 0; r < RUNS; r++)); do
        if [ "$HAVE_HYPERFINE" = 1 ]; then
            hyperfine -N -i --style basic --runs 1 --export-csv "$csv" "${args[@]}" >&2
            while IFS=, read -r label mean _ _ user sys _; do
                [ "$label" = command ] && continue
                if [ "${BENCH_CPU:-0}" = 1 ]; then
                    keep_min "$label" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
                else
                    keep_min "$label" "$mean"
                fi
            done <"$csv"
        else
            for pair in "$@"; do
                label=${pair%%=*}
                cmd=${pair#*=}
                # shellcheck disable=SC2086
                keep_min "$label" "$(run_seconds $cmd)"
            done
        fi
    done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
