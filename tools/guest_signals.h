/* The user-mode CLI's host signals: the ones a user sends splitvm (Ctrl-C,
 * kill, a terminal resize, Ctrl-Z) go to the guest, and a guest killed by
 * a signal makes splitvm die by the same signal, as qemu-user does. */
#ifndef SPLITVM_GUEST_SIGNALS_H
#define SPLITVM_GUEST_SIGNALS_H

#include "splitvm.h"

/* Catch the forwarded host signals for machine m (each one interrupts the
 * running svm_run). 0, or -1 with errno. */
int guest_signals_start(svm_machine *m);
/* A host fd that becomes readable when a signal came in (wait on it with
 * the guest's wait fd), or -1. */
int guest_signals_fd(void);
/* Send what came in to the guest (svm_signal); for a default stop
 * (Ctrl-Z of a guest without a SIGTSTP handler) splitvm itself stops, as
 * a shell job would, until SIGCONT. */
void guest_signals_forward(svm_machine *m);
/* "SIGSEGV" for Linux signal 11 ("SIGRT" for the real-time ones). */
const char *guest_signal_name(int lx_sig);
/* Die by Linux signal lx_sig (its host equivalent; 128+sig as the exit
 * status when the host has none). The emulator writes no core file. */
void guest_signals_die(int lx_sig) __attribute__((noreturn));

#endif
