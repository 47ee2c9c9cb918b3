/* The guest file-descriptor table: guest fd numbers map to host handles plus
 * the guest-only flags (close-on-exec) and the guest path each was opened
 * with (for *at() calls relative to a directory fd and for fchdir). The table
 * also holds the guest working directory and umask. Guest numbers never
 * depend on host numbers: the lowest free guest fd is handed out, as Linux
 * does. */
#ifndef SPLITVM_USER_FDTABLE_H
#define SPLITVM_USER_FDTABLE_H

#include <stdint.h>

#include "uproc.h"

#define UFDS_MAX 1024 /* hard limit on guest fds (RLIMIT_NOFILE) */

struct uvfs_file;

typedef struct ufd {
    int host;     /* host fd; -1 when the slot is free or vf serves it */
    int owned;    /* 0 for the inherited stdio: closing drops only the guest entry */
    int cloexec;  /* guest FD_CLOEXEC */
    char *path;   /* absolute guest path, or NULL (pipes, stdio) */
    struct uvfs_file *vf; /* a file not backed by a host fd (uvfs.h), or NULL */
    signed char never_waits; /* host fd is a regular file or directory: 1; else 0; -1 not yet known */
} ufd;

struct ufds {
    ufd *v;
    int cap;
    char cwd[4096];   /* absolute guest path; empty until first use */
    uint32_t umask;
};

/* Entry for guest fd, or NULL if it is not open. */
ufd *ufds_get(uproc *p, int64_t gfd);
/* Install host fd at the lowest free guest fd >= minfd. path may be NULL.
 * On failure (-EMFILE/-ENOMEM) the host fd is closed if owned. */
int ufds_add(uproc *p, int minfd, int host, int owned, int cloexec, const char *path);
/* Install at exactly gfd, closing what was there (dup3). */
int ufds_set(uproc *p, int gfd, int host, int owned, int cloexec, const char *path);
/* The same for a uvfs_file (takes its own reference; the caller keeps its). */
int ufds_add_vf(uproc *p, int minfd, struct uvfs_file *vf, int cloexec, const char *path);
int ufds_set_vf(uproc *p, int gfd, struct uvfs_file *vf, int cloexec, const char *path);
/* Close guest fd (host fd too when owned). */
int ufds_close(uproc *p, int64_t gfd);
/* Guest working directory (initialised from the host cwd on first use). */
const char *ufds_cwd(uproc *p);
int ufds_set_cwd(uproc *p, const char *guest_abs);

#endif
