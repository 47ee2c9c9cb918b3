/* The -L path jail: guest paths resolved inside the sysroot from directory
 * fds, so the host is never handed a path of more than one component.
 *
 * A walk starts at the root's fd (opened once, when the process is made)
 * and opens each directory component with openat(O_NOFOLLOW|O_DIRECTORY)
 * from the one before. A symlink met on the way is read with readlinkat and
 * its text spliced in: an absolute target restarts at the root, a relative
 * one goes on from the link's directory. ".." goes back one directory by
 * walking again from the root over what is left (never the host's ".."), and
 * stops at the root. The walk ends with the fd of the directory that holds
 * the last component, and that component's name: the operation itself is
 * then the *at call on (dirfd, name) with O_NOFOLLOW / AT_SYMLINK_NOFOLLOW.
 * What another process or machine sharing the tree swaps in meanwhile (a
 * directory made a symlink to a host directory) can then only make the call
 * fail, never reach outside: every name the host resolves is one component
 * inside a directory already opened within the tree.
 *
 * The directory fds go through the host layer (tracked against the machine)
 * and are given back by jail_release on every path. */
#ifndef SPLITVM_USER_JAIL_H
#define SPLITVM_USER_JAIL_H

#include "uproc.h"

#define JAIL_NAME_MAX 255

/* Where a guest path's last component lies. */
typedef struct jail_at {
    int dirfd;        /* directory holding name (AT_FDCWD outside the jail) */
    int owned;        /* dirfd is this walk's own fd: jail_release closes it */
    int jailed;       /* resolved in the tree: the call must not follow a
                         symlink in name (the walk has done that already) */
    const char *name; /* one component (or "." for the directory itself), or,
                         outside the jail, the whole host path */
    char buf[JAIL_NAME_MAX + 1];
} jail_at;

/* Open the root of p->sysroot (kept in p->root_fd; -1 when it cannot be
 * opened, and then every jailed path is -ENOENT). 0 or -errno. */
int jail_init(uproc *p);
void jail_fini(uproc *p);

/* jail_walk flags. */
#define JAIL_FOLLOW 1  /* a symlink in the last component is followed too (in the tree) */
#define JAIL_DEVICES 2 /* /dev/null, /dev/zero, /dev/random, /dev/urandom and
                          /dev/tty, by exact path, are the host's: for calls
                          that only open or look (open, stat, access,
                          readlink); never for ones that change the tree */

/* Resolve absolute guest path inside the jail. A trailing "/" follows the
 * last component and asks for a directory. Without -L (and for the devices
 * JAIL_DEVICES lets through) *at is AT_FDCWD and the path itself. 0 or
 * -errno; on success call jail_release(p, at) when done. */
int jail_walk(uproc *p, const char *guest, int flags, jail_at *at);
void jail_release(uproc *p, jail_at *at);

#endif
