# Sourced by the procs test scripts.
# busybox_links ROOT DIR: ROOT/bin with DIR's busybox and a link per applet
# (busybox.links names them), and an empty ROOT/tmp.
busybox_links() {
    mkdir -p "$1/bin" "$1/tmp"
    cp "$2/busybox" "$1/bin/busybox" || return 1
    for l in $(cat "$2/busybox.links"); do
        n=${l##*/}
        [ -e "$1/bin/$n" ] || ln -s busybox "$1/bin/$n"
    done
}

# require_build SCRIPT FILE SKIPFILE HOW: exit 77 (CTest's skip) with the
# reason (SKIPFILE, written by scripts/test.sh when the build failed) unless
# FILE, a third-party build, is there.
require_build() {
    [ -x "$2" ] && return 0
    echo "$1: SKIPPED: no $2"
    [ -f "$3" ] && cat "$3"
    echo "$1: scripts/test.sh builds it ($4)"
    exit 77
}
