/* The process-wide fault handler behind host_fault_hold (host layer only). */
#ifndef SPLITVM_HOST_FAULT_H
#define SPLITVM_HOST_FAULT_H

/* Reference-counted: the first install takes SIGSEGV and SIGBUS, the last
 * uninstall gives them back. 0 or -errno (-ENOTSUP on hosts without it). */
int host_fault_install(void);
void host_fault_uninstall(void);

#endif
