/* QEMU's disk options for splitvm-system: -drive file=F[,format=raw|qcow2]
 * [,if=virtio|none][,readonly=on|off][,id=ID][,media=disk][,cache=...]
 * and -device virtio-blk-device,drive=ID (or virtio-blk-pci / virtio-blk)
 * for a drive made with if=none. */
#ifndef SPLITVM_CLI_DRIVE_H
#define SPLITVM_CLI_DRIVE_H

#include "splitvm.h"

#define CLI_MAX_DRIVES 8

typedef struct cli_drives {
    svm_drive drive[CLI_MAX_DRIVES]; /* in the order they are attached */
    unsigned n;
    /* if=none drives waiting for a -device that names them */
    struct {
        char id[64];
        svm_drive d;
        int used;
    } pending[CLI_MAX_DRIVES];
    unsigned npending;
    char *text[2 * CLI_MAX_DRIVES + 2]; /* the options' copies the names point into */
    unsigned ntext;
} cli_drives;

/* ds lives as long as the process (a static), and so do the names in it. */
/* One -drive argument; 0, or -1 after printing why. */
int cli_drive_option(cli_drives *ds, const char *tool, const char *arg);
/* One -device argument; 0, or -1 after printing why. */
int cli_device_option(cli_drives *ds, const char *tool, const char *arg);
/* After the options: every if=none drive must have been attached. */
int cli_drives_done(cli_drives *ds, const char *tool);

#endif
