/* -netdev, -nic and -device virtio-net-device parsing (QEMU's key=value
 * lists). */
#include "cli_net.h"

#include <stdio.h>
#include <string.h>

#include "cli_util.h"


static int parse_mac(const char *tool, const char *v, unsigned char mac[6])
{
    unsigned m[6];
    char tail;
    if (!v || sscanf(v, "%x:%x:%x:%x:%x:%x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &tail) != 6)
        return cli_error(tool, "mac=%s: expected six hex bytes like 52:54:00:12:34:56", v ? v : ""), -1;
    for (int i = 0; i < 6; i++) {
        if (m[i] > 255)
            return cli_error(tool, "mac=%s: a byte above ff", v), -1;
        mac[i] = (unsigned char)m[i];
    }
    if (mac[0] & 1)
        return cli_error(tool, "mac=%s: a multicast address cannot be a card's", v), -1;
    return 0;
}

/* The user-mode network's options after "user": id=, hostfwd=, and for
 * -nic also mac= and model=. */
static int user_options(cli_net *ns, const char *tool, char *s, svm_nic *nic, const char **hostfwd,
                        const char **id, int is_nic)
{
    char *key, *val;
    while (cli_next_pair(&s, &key, &val)) {
        if (!strcmp(key, "id") && val && *val && !is_nic) {
            *id = val;
        } else if (!strcmp(key, "hostfwd") && val) {
            if (nic->nhostfwd >= CLI_MAX_HOSTFWD)
                return cli_error(tool, "at most %d hostfwd rules per network", CLI_MAX_HOSTFWD), -1;
            hostfwd[nic->nhostfwd++] = val;
        } else if (is_nic && !strcmp(key, "mac")) {
            if (parse_mac(tool, val, nic->mac))
                return -1;
        } else if (is_nic && !strcmp(key, "model") && val) {
            if (strncmp(val, "virtio", 6))
                return cli_error(tool, "-nic model=%s: the virt board has virtio-net-device", val), -1;
        } else {
            return cli_error(tool, "-%s user: unsupported or malformed '%s%s%s'", is_nic ? "nic" : "netdev", key,
                             val ? "=" : "", val ? val : ""),
                   -1;
        }
    }
    (void)ns;
    return 0;
}

static int backend_kind(const char *tool, const char *opt, char **s)
{
    char *key, *val;
    if (!cli_next_pair(s, &key, &val) || val || strcmp(key, "user"))
        return cli_error(tool, "-%s %s: splitvm has the user-mode network only (-%s user,...)", opt, key ? key : "",
                         opt),
               -1;
    return 0;
}

int cli_netdev_option(cli_net *ns, const char *tool, const char *arg)
{
    char *s = cli_keep_copy(ns->text, &ns->ntext, sizeof ns->text / sizeof ns->text[0], tool, arg);
    if (!s || backend_kind(tool, "netdev", &s))
        return -1;
    if (ns->nnetdev >= CLI_MAX_NICS)
        return cli_error(tool, "at most %d networks", CLI_MAX_NICS), -1;
    unsigned k = ns->nnetdev;
    svm_nic *nic = &ns->pending[k];
    memset(nic, 0, sizeof *nic);
    const char *id = NULL;
    if (user_options(ns, tool, s, nic, ns->hostfwd[k], &id, 0))
        return -1;
    if (!id || strlen(id) >= sizeof ns->netdev[k].id)
        return cli_error(tool, "-netdev user needs an id= for -device to name"), -1;
    snprintf(ns->netdev[k].id, sizeof ns->netdev[k].id, "%s", id);
    nic->hostfwd = ns->hostfwd[k];
    ns->nnetdev++;
    return 0;
}

int cli_nic_option(cli_net *ns, const char *tool, const char *arg)
{
    char *s = cli_keep_copy(ns->text, &ns->ntext, sizeof ns->text / sizeof ns->text[0], tool, arg);
    if (!s || backend_kind(tool, "nic", &s))
        return -1;
    if (ns->n >= CLI_MAX_NICS)
        return cli_error(tool, "at most %d network cards", CLI_MAX_NICS), -1;
    svm_nic *nic = &ns->nic[ns->n];
    memset(nic, 0, sizeof *nic);
    const char *id = NULL;
    /* -nic's rules live in the slot of its card, past the -netdev ones. */
    static const char *nic_hostfwd[CLI_MAX_NICS][CLI_MAX_HOSTFWD];
    if (user_options(ns, tool, s, nic, nic_hostfwd[ns->n], &id, 1))
        return -1;
    nic->hostfwd = nic_hostfwd[ns->n];
    ns->n++;
    return 0;
}

int cli_net_device_option(cli_net *ns, const char *tool, const char *arg)
{
    char *s = cli_keep_copy(ns->text, &ns->ntext, sizeof ns->text / sizeof ns->text[0], tool, arg), *key, *val;
    if (!s)
        return -1;
    cli_next_pair(&s, &key, &val);
    if (val || (strcmp(key, "virtio-net-device") && strcmp(key, "virtio-net-pci") && strcmp(key, "virtio-net")))
        return cli_error(tool, "-device %s is not supported (splitvm has virtio-net-device)", key), -1;
    const char *netdev = NULL;
    unsigned char mac[6] = {0};
    while (cli_next_pair(&s, &key, &val)) {
        if (!strcmp(key, "netdev") && val)
            netdev = val;
        else if (!strcmp(key, "mac")) {
            if (parse_mac(tool, val, mac))
                return -1;
        } else if (strcmp(key, "id") && strcmp(key, "bus"))
            return cli_error(tool, "-device virtio-net-device: unsupported property '%s'", key), -1;
    }
    if (!netdev)
        return cli_error(tool, "-device virtio-net-device needs netdev=ID"), -1;
    for (unsigned k = 0; k < ns->nnetdev; k++) {
        if (strcmp(ns->netdev[k].id, netdev))
            continue;
        if (ns->netdev[k].used)
            return cli_error(tool, "netdev '%s' is attached twice", netdev), -1;
        if (ns->n >= CLI_MAX_NICS)
            return cli_error(tool, "at most %d network cards", CLI_MAX_NICS), -1;
        ns->netdev[k].used = 1;
        ns->nic[ns->n] = ns->pending[k];
        memcpy(ns->nic[ns->n].mac, mac, 6);
        ns->n++;
        return 0;
    }
    return cli_error(tool, "-device: no -netdev with id=%s", netdev), -1;
}

int cli_net_done(cli_net *ns, const char *tool)
{
    for (unsigned k = 0; k < ns->nnetdev; k++)
        if (!ns->netdev[k].used)
            return cli_error(tool, "netdev '%s' is not attached to any -device", ns->netdev[k].id), -1;
    return 0;
}
