/* -drive and -device virtio-blk-device parsing (QEMU's key=value lists). */
#include "cli_drive.h"

#include <stdio.h>
#include <string.h>

#include "cli_util.h"


static int on_off(const char *tool, const char *key, const char *v, int *out)
{
    if (!v || !strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true"))
        *out = 1;
    else if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false"))
        *out = 0;
    else
        return cli_error(tool, "-drive %s=%s: use on or off", key, v), -1;
    return 0;
}

int cli_drive_option(cli_drives *ds, const char *tool, const char *arg)
{
    char *s = cli_keep_copy(ds->text, &ds->ntext, sizeof ds->text / sizeof ds->text[0], tool, arg), *key, *val;
    if (!s)
        return -1;
    svm_drive d = {0};
    const char *id = NULL;
    int if_none = 0;
    while (cli_next_pair(&s, &key, &val)) {
        if (!strcmp(key, "file") && val && *val) {
            d.file = val;
        } else if (!strcmp(key, "format") && val) {
            if (strcmp(val, "raw") && strcmp(val, "qcow2"))
                return cli_error(tool, "-drive format=%s: splitvm reads raw and qcow2", val), -1;
            d.format = val;
        } else if (!strcmp(key, "if") && val) {
            if (!strcmp(val, "none"))
                if_none = 1;
            else if (strcmp(val, "virtio"))
                return cli_error(tool, "-drive if=%s: the virt board has virtio disks (if=virtio or if=none)", val),
                       -1;
        } else if (!strcmp(key, "readonly")) {
            if (on_off(tool, key, val, &d.read_only))
                return -1;
        } else if (!strcmp(key, "snapshot")) {
            if (on_off(tool, key, val, &d.snapshot))
                return -1;
        } else if (!strcmp(key, "id") && val && *val) {
            id = val;
        } else if (!strcmp(key, "media") && val && !strcmp(val, "disk")) {
            /* the only kind there is */
        } else if ((!strcmp(key, "cache") || !strcmp(key, "aio") || !strcmp(key, "discard")) && val) {
            /* host caching policy: splitvm writes through the host's page cache and syncs on guest flushes */
        } else {
            return cli_error(tool, "-drive: unsupported or malformed '%s%s%s'", key, val ? "=" : "", val ? val : ""),
                   -1;
        }
    }
    if (!d.file)
        return cli_error(tool, "-drive needs file=IMAGE"), -1;
    if (if_none) {
        if (!id)
            return cli_error(tool, "-drive if=none needs an id= for -device to name"), -1;
        if (ds->npending >= CLI_MAX_DRIVES || strlen(id) >= sizeof ds->pending[0].id)
            return cli_error(tool, "too many -drive options (at most %d)", CLI_MAX_DRIVES), -1;
        snprintf(ds->pending[ds->npending].id, sizeof ds->pending[0].id, "%s", id);
        ds->pending[ds->npending++].d = d;
        return 0;
    }
    if (ds->n >= CLI_MAX_DRIVES)
        return cli_error(tool, "too many disks (at most %d)", CLI_MAX_DRIVES), -1;
    ds->drive[ds->n++] = d;
    return 0;
}

int cli_device_option(cli_drives *ds, const char *tool, const char *arg)
{
    char *s = cli_keep_copy(ds->text, &ds->ntext, sizeof ds->text / sizeof ds->text[0], tool, arg), *key, *val;
    if (!s)
        return -1;
    cli_next_pair(&s, &key, &val);
    if (val || (strcmp(key, "virtio-blk-device") && strcmp(key, "virtio-blk-pci") && strcmp(key, "virtio-blk")))
        return cli_error(tool, "-device %s is not supported (splitvm has virtio-blk-device)", key), -1;
    const char *drive = NULL;
    while (cli_next_pair(&s, &key, &val)) {
        if (!strcmp(key, "drive") && val)
            drive = val;
        else if (strcmp(key, "id") && strcmp(key, "serial") && strcmp(key, "bus"))
            return cli_error(tool, "-device virtio-blk-device: unsupported property '%s'", key), -1;
    }
    if (!drive)
        return cli_error(tool, "-device virtio-blk-device needs drive=ID"), -1;
    for (unsigned i = 0; i < ds->npending; i++) {
        if (strcmp(ds->pending[i].id, drive))
            continue;
        if (ds->pending[i].used)
            return cli_error(tool, "drive '%s' is attached twice", drive), -1;
        if (ds->n >= CLI_MAX_DRIVES)
            return cli_error(tool, "too many disks (at most %d)", CLI_MAX_DRIVES), -1;
        ds->pending[i].used = 1;
        ds->drive[ds->n++] = ds->pending[i].d;
        return 0;
    }
    return cli_error(tool, "-device: no -drive with id=%s (give one with if=none)", drive), -1;
}

int cli_drives_done(cli_drives *ds, const char *tool)
{
    for (unsigned i = 0; i < ds->npending; i++)
        if (!ds->pending[i].used)
            return cli_error(tool, "drive '%s' (if=none) is not attached to any -device", ds->pending[i].id), -1;
    return 0;
}
