/* splitvm-system's monitor, as QEMU's human monitor on a muxed console:
 * Ctrl-A c switches the console between the guest and a "(qemu)" prompt
 * that takes the commands users know: help, info status, stop, cont,
 * migrate file:PATH (a snapshot), quit. Keys come in from the console
 * reader (inside svm_run); a finished line is carried out by the main loop
 * between runs (monitor_run), never inside a run. */
#ifndef SPLITVM_CLI_MONITOR_H
#define SPLITVM_CLI_MONITOR_H

#include "splitvm.h"

typedef struct monitor {
    int active;        /* keys go to the monitor, not the guest */
    int paused;        /* stop / migrate: the guest does not run */
    int postmigrate;   /* paused by a finished migrate (QEMU's state name) */
    int quit;          /* quit was typed */
    char line[512];    /* the line being typed */
    unsigned len;
    char command[512]; /* a finished line, waiting for monitor_run */
    int pending;
} monitor;

/* Ctrl-A c: switch the console to the monitor (banner and prompt) or
 * back to the guest. */
void monitor_toggle(monitor *mon);
/* One key typed while the monitor is active; 1 when a line is finished
 * (the caller should make svm_run return so that it is carried out). */
int monitor_key(monitor *mon, unsigned char c);
/* Carry out the finished line, if any, on machine m. */
void monitor_run(monitor *mon, svm_machine *m);

#endif
