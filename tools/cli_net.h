/* QEMU's network options for splitvm-system: -netdev user,id=ID
 * [,hostfwd=RULE]... with -device virtio-net-device,netdev=ID[,mac=MAC],
 * and the one-option form -nic user[,hostfwd=RULE]...[,mac=MAC]
 * [,model=virtio-net-device]. */
#ifndef SPLITVM_CLI_NET_H
#define SPLITVM_CLI_NET_H

#include "splitvm.h"

#define CLI_MAX_NICS 4
#define CLI_MAX_HOSTFWD 8

typedef struct cli_net {
    svm_nic nic[CLI_MAX_NICS];
    unsigned n;
    const char *hostfwd[CLI_MAX_NICS][CLI_MAX_HOSTFWD];
    struct { /* -netdev backends waiting for a -device */
        char id[64];
        unsigned nic; /* index in nic[] reserved for it */
        int used;
    } netdev[CLI_MAX_NICS];
    unsigned nnetdev;
    svm_nic pending[CLI_MAX_NICS];
    char *text[3 * CLI_MAX_NICS]; /* the options' copies the names point into */
    unsigned ntext;
} cli_net;

/* ns lives as long as the process (a static). Each returns 0, or -1 after
 * printing why. */
int cli_netdev_option(cli_net *ns, const char *tool, const char *arg);
int cli_nic_option(cli_net *ns, const char *tool, const char *arg);
/* -device virtio-net-device,... (the caller saw the name start with "virtio-net"). */
int cli_net_device_option(cli_net *ns, const char *tool, const char *arg);
/* After the options: every -netdev must be attached. */
int cli_net_done(cli_net *ns, const char *tool);

#endif
