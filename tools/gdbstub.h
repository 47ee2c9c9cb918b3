/* A GDB remote stub over splitvm's public API (like qemu's -g / -gdb):
 * gdb connects over TCP and controls the machine: registers, memory,
 * breakpoints (emulator breakpoints, never ebreak in guest memory),
 * continue, step, Ctrl-C, kill and detach. One thread (hart 0 / the
 * guest's running thread) is shown. See docs/debugging.md. */
#ifndef SPLITVM_TOOLS_GDBSTUB_H
#define SPLITVM_TOOLS_GDBSTUB_H

#include <stddef.h>

#include "splitvm.h"

typedef struct gdbstub gdbstub;

/* Listen on 127.0.0.1:port and wait for gdb to connect. NULL on failure
 * with a reason in err. */
gdbstub *gdbstub_accept(int port, char *err, size_t errlen);

typedef enum gdbstub_end {
    GDBSTUB_EXITED,   /* the guest ended (reported to gdb); *st says how */
    GDBSTUB_KILLED,   /* gdb killed the guest ('k'): destroy the machine and exit */
    GDBSTUB_DETACHED, /* gdb detached or went away: run the guest on without it */
    GDBSTUB_FAILED,   /* svm_run failed (see svm_error) or the guest faulted fatally */
} gdbstub_end;

/* Serve gdb with machine m, which stands stopped (before its first
 * instruction) until gdb continues it. Returns when the debugging session
 * ends; *st is the last stop. */
gdbstub_end gdbstub_serve(gdbstub *g, svm_machine *m, svm_stop *st);

/* Close the connection and the listener. NULL allowed. */
void gdbstub_close(gdbstub *g);

/* What the tools do for -g / -gdb: listen on port, wait for gdb, serve
 * it (messages go to stderr prefixed with tool). Returns 1 when the guest
 * is done (*status: its exit status; 0 when gdb killed it; 1 after an
 * error), 0 when gdb detached or went away: run the guest on without it. */
int gdbstub_session(const char *tool, int port, svm_machine *m, svm_stop *st, int *status);

/* The port of a "-gdb" device string: "tcp::PORT", "tcp:HOST:PORT" or
 * "PORT"; -1 when it is none of these. */
int gdbstub_parse_device(const char *dev);

#endif
