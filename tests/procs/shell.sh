# A busybox ash script run under splitvm (static riscv64 busybox) and under
# the build host's own busybox from the same source and config; the outputs
# must match. Every construct below makes the shell fork or exec guest
# processes: pipelines, subshells, command substitution, background jobs,
# wait, exit statuses, redirections and here-documents, traps on signals and
# timeouts made of sleep and kill.
echo "pipeline: $(echo 'c b a' | tr ' ' '\n' | sort | tr '\n' ' ')"
seq 1 200 | grep 7 | wc -l
printf '%s\n' one two three | head -n 2 | tail -n 1
echo "subshell: $( (cd /; pwd; exit 3); echo "status $?" )"
x=outer; (x=inner; echo "in subshell $x"); echo "after subshell $x"
echo "nested: $(echo "$(echo "$(echo deep)")")"
count=0; for i in 1 2 3 4 5; do count=$((count + $(echo $i))); done; echo "sum $count"
false | true; echo "pipeline status $?"
true | false; echo "pipeline status $?"
sh -c 'exit 7'; echo "sh -c status $?"
sh -c 'kill -TERM $$'; echo "killed status $?"
(sleep 1; echo "background one done") &
one=$!
(echo "background two done") &
two=$!
wait $two; echo "wait two: $?"
wait $one; echo "wait one: $?"
(exit 4) & wait $!; echo "wait status $?"
for n in 1 2 3; do (echo "job $n" > /dev/null; exit $n) & done; wait; echo "all jobs waited"
cat <<END | sed 's/^/heredoc: /'
first line
second line
END
echo "redirect" > "$TMPDIR/out.txt"; cat < "$TMPDIR/out.txt"; rm "$TMPDIR/out.txt"
echo "ppid is a number: $(sh -c 'echo $PPID' | grep -c '^[0-9][0-9]*$')"
{ echo a; echo b; } | while read l; do echo "read $l"; done
echo "$(ls /bin | grep -c '^sh$') sh in /bin"
yes | head -n 3
# Traps: a trapped signal runs its handler once the kill returns, a child
# shell's TERM trap decides its status, the EXIT trap runs at exit, an ignored
# signal stays ignored.
trap 'echo "trapped USR1"' USR1
kill -USR1 $$
echo "after USR1"
trap - USR1
sh -c 'trap "echo child caught TERM; exit 5" TERM; kill -TERM $$; echo not reached'; echo "trap status $?"
sh -c 'trap "echo exit trap ran" EXIT; echo body; exit 6'; echo "exit trap status $?"
sh -c 'trap "" INT; kill -INT $$; echo "ignored INT"'; echo "ignore status $?"
# A signal that arrives while the shell waits: the trap runs and wait returns
# 128 + the signal's number; the job it waited for is still running.
trap 'echo "USR2 while waiting"' USR2
sleep 10 & sleeper=$!
(sleep 1; kill -USR2 $$) &
wait $sleeper; echo "wait interrupted: $?"
kill $sleeper; wait $sleeper; echo "sleeper killed: $?"
wait
trap - USR2
# A timeout of sleep and kill: the slow job is killed, the quick one is not.
sleep 30 & slow=$!
sleep 1 & quick=$!
# (The timer prints nothing: its output would race with the waits' lines.)
(sleep 4; kill $slow $quick 2>/dev/null) &
timer=$!
wait $quick; echo "quick job status $?"
wait $slow; echo "slow job status $?"
wait $timer; echo "timer status $?"
sh -c 'sleep 3 & echo "left a child running"'
exec sh -c 'echo "exec replaced the shell"; exit 0'
