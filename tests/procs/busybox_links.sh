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
