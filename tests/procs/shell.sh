# A busybox ash script run under splitvm (static riscv64 busybox) and under
# the build host's own busybox from the same source and config; the outputs
# must match. Every construct below makes the shell fork or exec guest
# processes: pipelines, subshells, command substitution, background jobs,
# wait, exit statuses, redirections and here-documents.
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
sh -c 'sleep 3 & echo "left a child running"'
exec sh -c 'echo "exec replaced the shell"; exit 0'
