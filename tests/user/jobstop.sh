#!/bin/bash
# Ctrl-Z and fg for a guest without a SIGTSTP handler: SIGTSTP stops the
# emulator (its process state becomes T), SIGCONT resumes it, and the guest
# then finishes normally (SIGUSR1 ends its wait).
# usage: jobstop.sh <emulator> [options...] <jobstop program>
set -u
work=$(mktemp -d "${TMPDIR:-/tmp}/svm-jobstop.XXXXXX") || exit 2
trap 'kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
"$@" </dev/null >"$work/out" 2>"$work/err" &
pid=$!
state() { ps -o stat= -p "$pid" 2>/dev/null | cut -c1; }
wait_for() { # wait_for TEST...: up to 10 s
    for _ in $(seq 1 200); do
        if "$@"; then return 0; fi
        sleep 0.05
    done
    return 1
}
fail=0
wait_for grep -q ready "$work/out" || { echo "FAIL: no ready line"; exit 1; }
kill -TSTP "$pid"
if wait_for [ "$(state)" = T ]; then echo "ok: stopped by SIGTSTP"; else echo "FAIL: not stopped (state $(state))"; fail=1; fi
kill -CONT "$pid"
if wait_for [ "$(state)" != T ]; then echo "ok: running again after SIGCONT"; else echo "FAIL: still stopped"; fail=1; fi
kill -USR1 "$pid"
wait "$pid"
status=$?
if [ "$status" = 0 ] && grep -q done "$work/out"; then echo "ok: finished, status 0"; else
    echo "FAIL: status $status, output: $(cat "$work/out") $(cat "$work/err")"
    fail=1
fi
exit $fail
