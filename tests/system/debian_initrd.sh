# Shared by debian_kernel.sh and debian_rootfs.sh (sourced; sets nothing).
# debian_initrd KERNEL_DIR INITRD KMOD_LOAD DIR: DIR/initrd is INITRD with a
# second archive behind it, /kmod/ holding Debian's modules, their load
# order, kmod_load, and whatever the caller put in DIR/extra/kmod/ first.
# One compressed stream holds both archives (Linux reads archives one
# after another, but not an uncompressed one behind a gzip stream's end).
debian_initrd() {
    mkdir -p "$4/extra/kmod"
    cp "$1"/modules/*.ko.xz "$1/load.order" "$4/extra/kmod/"
    cp "$3" "$4/extra/kmod/kmod_load"
    (cd "$4/extra" && find kmod | cpio -o -H newc --quiet) >"$4/extra.cpio"
    { gzip -dc "$2"; cat "$4/extra.cpio"; } | gzip -1 >"$4/initrd"
}
