#!/bin/bash
# Host signals to a user-mode emulator: run hostsig (see hostsig.c) under
# EMULATOR, send SIGINT, SIGHUP, SIGWINCH, SIGUSR1, SIGTSTP and SIGQUIT one
# at a time (each once the previous one's line is out), then SIGTERM. The
# guest's handlers must see each, and SIGTERM's default action must make the
# emulator die by SIGTERM, silently. Prints the guest's lines and the
# outcome, so the output can be compared between qemu-riscv64 and splitvm.
#
# usage: hostsig.sh <emulator> [options...] <hostsig program>
set -u
work=$(mktemp -d "${TMPDIR:-/tmp}/svm-hostsig.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# perl reports how the emulator ended (exit or signal) in $work/how.
OUTCOME="$work/how" perl -e '
    my $pid = fork();
    if ($pid == 0) { exec { $ARGV[0] } @ARGV; exit 127; }
    open(my $p, ">", "'"$work"'/pid"); print $p "$pid\n"; close($p);
    waitpid($pid, 0);
    my $s = $?;
    open(my $f, ">", $ENV{OUTCOME}) or die;
    if ($s & 127) { print $f "signal ", ($s & 127), "\n"; } else { print $f "exit ", ($s >> 8), "\n"; }
' "$@" </dev/null >"$work/out" 2>"$work/err" &
runner=$!

# wait_line N: until the output has N lines (10 s at most).
wait_line() {
    for _ in $(seq 1 200); do
        [ "$(wc -l <"$work/out")" -ge "$1" ] && return 0
        sleep 0.05
    done
    echo "TIMEOUT waiting for line $1"
    return 1
}

ok=1
wait_line 1 || ok=0
pid=$(cat "$work/pid")
n=1
for sig in INT HUP WINCH USR1 TSTP QUIT; do
    [ "$ok" = 1 ] || break
    kill -s "$sig" "$pid"
    n=$((n + 1))
    wait_line "$n" || ok=0
done
if [ "$ok" = 1 ]; then
    wait_line 8 || ok=0
    kill -s TERM "$pid"
fi
wait "$runner"
cat "$work/out"
echo "outcome: $(cat "$work/how" 2>/dev/null)"
if [ -s "$work/err" ]; then
    echo "stderr:"
    cat "$work/err"
fi
[ "$ok" = 1 ]
