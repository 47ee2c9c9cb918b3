/* Readiness of guest fds of every kind (upoll.c): the core of ppoll,
 * pselect6 and epoll_pwait. */
#ifndef SPLITVM_USER_UPOLL_H
#define SPLITVM_USER_UPOLL_H

#include <stddef.h>
#include <stdint.h>

#include "uproc.h"

/* Linux poll bits. */
#define UPOLL_IN 0x1
#define UPOLL_PRI 0x2
#define UPOLL_OUT 0x4
#define UPOLL_ERR 0x8
#define UPOLL_HUP 0x10
#define UPOLL_NVAL 0x20

typedef struct upoll_item {
    int fd;           /* guest fd; < 0 is skipped */
    uint16_t events;  /* wanted (UPOLL_*) */
    uint16_t revents; /* out */
} upoll_item;

/* Wait until an item is ready, timeout_ns passes (< 0: never; 0: just
 * look), or a signal comes (-EINTR). Returns the ready count. */
int upoll_wait(uproc *p, upoll_item *it, size_t n, int64_t timeout_ns);
/* The temporary signal mask of ppoll/pselect6/epoll_pwait (va 0: none):
 * in force until the call returns. 0 or -errno. */
int upoll_set_mask(uproc *p, uint64_t va, uint64_t size);

#endif
