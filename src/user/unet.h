/* The embedder's network (sys_net_proxy.c), used by sys_net.c when the
 * svm_proxy has a network group. */
#ifndef SPLITVM_USER_UNET_H
#define SPLITVM_USER_UNET_H

#include "syscall.h"

struct uvfs_file;

/* True when the embedder serves the guest's sockets. */
int unet_proxied(uproc *p);
/* The embedder's socket behind guest fd, or NULL. */
struct uvfs_file *unet_proxy_file(uproc *p, int64_t fd);
/* socket(2) on the embedder's network; flags are SOCK_NONBLOCK/CLOEXEC. */
int64_t unet_px_socket(uproc *p, int domain, int type, int proto, uint64_t flags);
/* Socket call nr (riscv64 numbers) on an embedder's socket. */
int64_t unet_px_call(uproc *p, struct uvfs_file *f, int nr, const uint64_t a[6]);

#endif
