#!/bin/sh
# The -L jail: a guest run with -L ROOT must not reach any file outside ROOT,
# whatever symlinks (absolute, relative, in intermediate components) or ".."
# paths it uses. Builds a tree with traps, runs the guest, compares its output
# with the expected text, and checks that nothing was written outside.
# usage: jail.sh --accel ENGINE SPLITVM GUEST EXPECTED
set -u
[ "$1" = --accel ] || { echo "usage: $0 --accel ENGINE splitvm guest expected" >&2; exit 2; }
accel=$2 splitvm=$3 guest=$4 expected=$5
T=$(mktemp -d "${TMPDIR:-/tmp}/splitvm-jail.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

mkdir -p "$T/root/etc" "$T/root/dir" "$T/root/outside" "$T/outside"
echo "SECRET-OUTSIDE" > "$T/outside/secret.txt"
echo "inside hello" > "$T/root/etc/hello.txt"
echo "inside decoy" > "$T/root/outside/secret.txt"
ln -s "$T/outside/secret.txt" "$T/root/abs_link"           # absolute host path: re-rooted, not found
ln -s ../outside/secret.txt "$T/root/rel_link"             # climbs above the root: stops there
ln -s ../../../../../../../../outside/secret.txt "$T/root/dir/deep_rel"
ln -s / "$T/root/dir/rootlink"                             # "/" is the jail root
ln -s "$T" "$T/root/dir/tlink"                             # a host directory above the jail
ln -s /etc/passwd "$T/root/passwd_link"
ln -s ../../outside "$T/root/dir/up"                       # a directory link: the decoy
ln -s "$T/outside/created.txt" "$T/root/wlink"             # writing through it must stay inside
ln -s loop2 "$T/root/loop1"
ln -s loop1 "$T/root/loop2"

chmod 644 "$T/outside/secret.txt"
touch -d '2020-01-02 03:04:05' "$T/outside/secret.txt"
before=$(ls -ln "$T/outside/secret.txt")

out=$(cd "$T" && "$splitvm" -accel "$accel" -L "$T/root" "$guest" \
    /etc/hello.txt /abs_link /rel_link /dir/deep_rel /dir/rootlink/etc/hello.txt \
    /dir/tlink/outside/secret.txt /passwd_link /loop1 /../../../outside/secret.txt \
    ../../../../outside/secret.txt /etc/passwd "$T/outside/secret.txt" /dev/null \
    /dir/up/secret.txt /dir/rootlink/../../outside/secret.txt 2>&1)
status=$?
fail=0
if [ $status -ne 0 ]; then echo "guest exit status $status"; fail=1; fi
if printf '%s\n' "$out" | grep -q SECRET-OUTSIDE; then echo "the guest read the file outside the jail"; fail=1; fi
if [ -e "$T/outside/created.txt" ] || [ -e "$T/made_at_root.txt" ]; then
    echo "the guest created a file outside the jail"; fail=1
fi
[ -f "$T/root/renamed.txt" ] || { echo "write through /dir/up (then renamed) did not land inside"; fail=1; }
[ -d "$T/root/outside/newdir" ] || { echo "mkdir through /dir/up did not land inside"; fail=1; }
[ -e "$T/outside/newdir" ] && { echo "mkdir through /dir/up landed outside"; fail=1; }
[ "$(ls -ln "$T/outside/secret.txt" 2>&1)" = "$before" ] ||
    { echo "the file outside was changed (mode, time, size) or removed"; fail=1; }
[ -f "$T/root/made_at_root.txt" ] || { echo "write to /../.. did not land at the jail root"; fail=1; }
if ! printf '%s\n' "$out" | diff -u "$expected" - ; then fail=1; fi
exit $fail
