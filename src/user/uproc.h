/* Linux user mode: one guest process (address space, files, signals) served
 * by the host layer. Guest memory is one host reservation: guest VA v lives
 * at host address base + v, for v < va_size; everything else faults. */
#ifndef SPLITVM_UPROC_H
#define SPLITVM_UPROC_H

#include <stddef.h>
#include <stdint.h>

#include "../cpu/cpu.h"
#include "../host/host.h"

struct umem;  /* umem.c: mapping bookkeeping */
struct ufds;  /* fdtable.c: guest fd table */
struct usig;  /* signal.c: dispositions, mask, pending */
struct usys;  /* syscall.c: misc process state */
struct uthreads; /* uthread.c: guest threads and the scheduler */
struct uvfs;  /* uvfs.c: files, console, clock, random (host or proxy) */
struct uprocs; /* uprocs.c: every guest process of the machine */
struct svm_proxy; /* include/splitvm.h: the embedder's callbacks */

/* Guest memory a process may commit when no limit is given (-m): small
 * enough for a phone app, where the system kills the app well before the
 * device's memory is gone. */
#define UPROC_DEFAULT_MEM_LIMIT ((uint64_t)1 << 30)

typedef void (*uproc_log_fn)(void *opaque, const char *line);

typedef struct uproc_opts {
    const char *sysroot;      /* -L: guest absolute paths resolve under it (NULL: host /) */
    int strace;               /* -strace: log every system call */
    uint64_t va_size;         /* guest address-space size; 0 = default */
    uint64_t mem_limit;       /* guest memory limit in bytes (commit charge); 0 = default */
    uproc_log_fn log;         /* diagnostics and strace lines; NULL = stderr */
    void *log_opaque;
    const struct svm_proxy *proxy; /* the system-call proxy; NULL = the host */
    void *proxy_opaque;
} uproc_opts;

typedef struct uproc {
    host_ctx *host;
    rv_cpu *cpu;
    uproc_opts opts;
    char *sysroot; /* owned copy of opts.sysroot, or NULL */
    int root_fd;   /* the jail's root directory (jail.h), -1 without one */

    /* Address space. */
    uint8_t *base;    /* host address of guest VA 0 */
    uint64_t va_size; /* guest VAs are [0, va_size) */
    struct umem *mem;
    uint64_t brk_start, brk_cur;
    uint64_t mmap_base; /* where mmap searches for free ranges (downward) */

    struct ufds *fds;
    struct usig *sig;
    struct usys *sys; /* syscall.c: rlimits, ids, name (allocated on first use) */
    struct uthreads *threads; /* uthread.c: made by the first uthread_run */
    struct uvfs *vfs; /* uvfs.c: the file system and services the guest sees */

    char exe_path[4096]; /* guest path of the program (for /proc/self/exe) */
    uint64_t tid_address; /* set_tid_address */
    int exited;           /* guest called exit / exit_group, or was killed */
    int exit_status;      /* exit code, or 128+signal when killed */
    int term_signal;      /* signal that killed it, 0 if exited normally */
    uint64_t term_pc, term_addr; /* where it was killed; the faulting address (0 if none) */

    /* Guest processes (uprocs.c): the machine's process table, this
     * process's place in it and the cpu state that is per address space,
     * kept here while another process has the cpu. */
    struct uprocs *procs;
    struct uproc *parent; /* NULL: the first process, or an orphan */
    int pid, pgid, sid;
    int zombie;  /* exited, its status not collected yet: only the record is left */
    int wstatus; /* wait status once exited (wait4's encoding) */
    int stopped; /* stopped by SIGSTOP & co. until SIGCONT: not scheduled */
    int report;  /* a stop (its signal) or a continue (-1) its parent may still wait for; 0 none */
    struct uproc *vfork_parent; /* set while the parent waits in vfork (until execve or exit) */
    uintptr_t saved_mem_base;
    uint64_t saved_mem_fast_limit;
} uproc;

/* ---- uproc.c ---- */
/* Create a process bound to cpu (installs the user-mode rv_env). */
uproc *uproc_create(host_ctx *host, rv_cpu *cpu, const uproc_opts *opts);
void uproc_destroy(uproc *p);
/* fork: a new process whose address space, fd table, signal dispositions,
 * ids and working directory are copies of parent's, its memory too unless
 * share_memory (vfork, CLONE_VM: the same address space; the calling thread's
 * registers come later, from uthread_fork). Leaves the cpu as it is.
 * NULL if out of memory. */
uproc *uproc_fork_copy(uproc *parent, int share_memory);
/* Free everything but the record (a process that exited and is a zombie
 * until its parent waits for it). */
void uproc_release(uproc *p);
/* Point the cpu at p's address space (env, memory base, translations),
 * saving those of the process that had it. */
void uproc_activate(uproc *p, uproc *prev);
/* Print a diagnostic / strace line through opts.log. */
void uproc_log(uproc *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Lexically normalise a path ("//", ".", ".."; ".." stops at "/" for absolute
 * paths and is kept at the start of relative ones). Returns 0 or -ENAMETOOLONG. */
int uproc_normalize(const char *path, char *out, size_t outlen);

/* ---- loader.c ---- */
/* Load a static ELF program, build the initial stack (argv, envp, auxv) and
 * set pc/sp. Returns 0, or -1 with a one-line reason in err. */
int uproc_load(uproc *p, const char *path, int argc, char *const argv[], char *const envp[],
               char *err, size_t errlen);
/* The same for an image already read (execve): p's address space is fresh,
 * p->exe_path is set by the caller, execfn is AT_EXECFN. Returns 0, or -1
 * with the reason in err and -errno in *errnum (ENOEXEC for a bad image). */
int uproc_load_image(uproc *p, const uint8_t *data, size_t size, const char *execfn, int argc,
                     char *const argv[], char *const envp[], int *errnum, char *err, size_t errlen);

/* ---- umem.c ---- */
/* PROT_* (sys/mman.h) values are used for guest protections. */
int umem_init(uproc *p, uint64_t va_size);
void umem_fini(uproc *p);
/* mmap semantics: fixed != 0 maps exactly at va (replacing), else va is a
 * hint. fixed == 2 is MAP_FIXED_NOREPLACE (-EEXIST if anything is mapped
 * there). Fresh pages are zero. Returns 0 and *out, or -errno. */
int umem_map(uproc *p, uint64_t va, uint64_t len, int prot, int fixed, uint64_t *out);
/* umem_map for a move (mremap): credit bytes of charge that the caller
 * gives back right after are not held against the limit meanwhile. */
int umem_map_credit(uproc *p, uint64_t va, uint64_t len, int prot, int fixed, uint64_t credit, uint64_t *out);
int umem_unmap(uproc *p, uint64_t va, uint64_t len);
int umem_protect(uproc *p, uint64_t va, uint64_t len, int prot);
int umem_discard(uproc *p, uint64_t va, uint64_t len);
int umem_extent(uproc *p, uint64_t va, uint64_t *change);
/* brk: returns the new (or unchanged, on failure) break. */
uint64_t umem_brk(uproc *p, uint64_t newbrk);
/* The commit charge (see umem.c): writable mappings are charged their size
 * when made writable and give it back when unmapped; past the limit
 * map/protect/brk fail with -ENOMEM. umem_charge/uncharge count other
 * memory the guest makes the host commit (a guest thread's host stack). */
uint64_t umem_committed(const uproc *p);
uint64_t umem_limit(const uproc *p);
uint64_t umem_charged(uproc *p, uint64_t va, uint64_t len); /* charged bytes in [va, va+len) */
int umem_charge(uproc *p, uint64_t bytes);                  /* 0 or -ENOMEM */
void umem_uncharge(uproc *p, uint64_t bytes);
/* The first mapping (neighbours of the same protection merged) that ends
 * above va: 1 and its range and PROT_*, or 0 when there is none. */
int umem_next_map(uproc *p, uint64_t va, uint64_t *start, uint64_t *end, int *prot);
/* rv_env.translate for user mode. */
int umem_translate(rv_cpu *cpu, uint64_t va, int access, rv_xlate *out);
/* Guest memory for the system-call layer; -EFAULT on any inaccessible byte. */
int umem_read(uproc *p, uint64_t va, void *dst, size_t n);
int umem_write(uproc *p, uint64_t va, const void *src, size_t n);
/* fork: give child (fresh from umem_init) a copy of parent's mappings and
 * their contents. Returns 0 or -ENOMEM. */
int umem_copy(uproc *child, uproc *parent);
/* vfork / clone with CLONE_VM: child (without memory of its own yet) runs
 * in parent's address space; the last of them to end (umem_fini) frees it. */
void umem_share(uproc *child, uproc *parent);
/* Copy a NUL-terminated guest string; returns its length, -EFAULT, or
 * -ENAMETOOLONG if it does not fit in cap (including the NUL). */
int umem_read_str(uproc *p, uint64_t va, char *dst, size_t cap);
/* Host pointer for n guest bytes all accessible with prot, else NULL. */
void *umem_ptr(uproc *p, uint64_t va, size_t n, int prot);

/* ---- syscall.c ---- */
/* Serve the ecall at cpu->pc (a7 = number) and advance pc. */
void usys_ecall(uproc *p);
/* Free the syscall layer's state (call from uproc_destroy). */
void usys_fini(uproc *p);

/* ---- signal.c ---- */
int usig_init(uproc *p);
void usig_fini(uproc *p);
/* A synchronous fault (cause/tval as the hart reports them): deliver the
 * matching signal to a guest handler, or terminate the process. */
void usig_fault(uproc *p, uint64_t cause, uint64_t tval);
/* fork: child gets parent's dispositions, mask and alternate stack; no
 * pending signals. */
int usig_copy(uproc *child, uproc *parent);
/* execve: handled signals go back to their default action. */
void usig_exec(uproc *p);
/* Signal sent to p by another process (or the system, as SIGCHLD): pending,
 * and p's waiting threads are woken when it will act. */
void usig_send(uproc *p, int sig, int si_code, int from_pid);
/* A pending signal that would end p by its default action (SIGKILL, or
 * an unblocked one with SIG_DFL that terminates): its number, else 0. */
int usig_take_fatal(uproc *p);
/* Would sig stop p (SIGSTOP, or an unblocked SIGTSTP/SIGTTIN/SIGTTOU with
 * its default action)? */
int usig_stops(uproc *p, int sig);
/* p's SIGCHLD has SA_NOCLDSTOP: no SIGCHLD when a child stops or goes on. */
int usig_no_stop_reports(uproc *p);
/* SIGCHLD is ignored or has SA_NOCLDWAIT: p's children leave no zombie. */
int usig_no_zombies(uproc *p);
/* A signal from the host (svm_signal): 0 when sent, 1 when its action is
 * the default stop (not sent), -EINVAL for a bad number or an ended
 * process. */
int usig_send_host(uproc *p, int sig);

/* ---- fdtable.c ---- */
int ufds_init(uproc *p); /* guest 0,1,2 -> host 0,1,2 (not owned) */
/* fork: child's table becomes a copy of parent's (host fds duplicated,
 * uvfs files shared), with the working directory and umask. */
int ufds_copy(uproc *child, uproc *parent);
/* execve: close the close-on-exec fds. */
void ufds_close_on_exec(uproc *p);
void ufds_fini(uproc *p);

#endif
