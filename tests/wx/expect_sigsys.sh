#!/bin/sh
# usage: expect_sigsys.sh COMMAND [ARGS...]
# Passes only if COMMAND is killed by SIGSYS (the seccomp filter's kill): a
# shell reports that as status 128 + 31 = 159. Any other outcome fails.
ulimit -c 0
"$@"
status=$?
if [ "$status" = 159 ]; then
    echo "OK: killed by SIGSYS"
    exit 0
fi
echo "FAIL: exit status $status, expected 159 (killed by SIGSYS)"
exit 1
