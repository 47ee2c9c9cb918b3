/* Shared by the jail race test and its guest: the marker file outside the
 * tree, which the guest must never read, and the tree's own marker. */
#ifndef JAIL_RACE_H
#define JAIL_RACE_H

#define OUTSIDE_TEXT "OUTSIDE: a host file the guest must never read\n"
#define INSIDE_TEXT "inside\n"

#endif
