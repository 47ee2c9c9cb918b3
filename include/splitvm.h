/* splitvm: a RISC-V (RV64GC) emulator library.
 *
 * A machine is either a Linux user-mode process (run a riscv64 Linux program,
 * its system calls served by the host) or a system-mode board (-M spike).
 * Every host resource a machine takes is released by svm_destroy(), whatever
 * state the guest is in. No function here exits or aborts the process on a
 * guest-caused condition: errors come back as codes plus svm_error().
 *
 *     svm_config cfg;
 *     svm_config_init(&cfg);
 *     svm_machine *m;
 *     char err[256];
 *     if (svm_create(&cfg, &m, err, sizeof err) != SVM_OK) ...
 *     svm_load_program(m, "hello", argc, argv, envp);
 *     svm_stop st;
 *     do svm_run(m, 10000000, &st);
 *     while (st.reason == SVM_STOP_BUDGET || st.reason == SVM_STOP_WAITING);
 *     svm_destroy(m);
 *
 * (A real host waits on st.wait_fd / st.wait_ns before running a waiting
 * machine again; see svm_stop.) The examples/ folder has complete embedders.
 */
#ifndef SPLITVM_H
#define SPLITVM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 2: svm_config.proxy / proxy_opaque and the svm_stop wait hints (both
 * structs grew: rebuild against this header).
 * 3: svm_config.mem_limit and jit_code_size, and svm_stats' memory fields
 * (guest_mem_committed, guest_mem_limit, host_mem_bytes, jit_code_limit):
 * both structs grew at their ends; rebuild against this header.
 * Also 3: svm_interrupt, SVM_STOP_INTERRUPTED, the virt board's svm_config
 * fields (harts, firmware, kernel, initrd, cmdline, dtb, counted_time).
 * 4: svm_signal; a guest killed by a signal is reported in svm_stop (pc,
 * tval) instead of a log line; svm_proxy's network group; svm_stats'
 * jit_code_emitted and jit_hot_blocks (the struct grew at its end).
 * 5: svm_drive and svm_config.drives / ndrives: disks on the virt board;
 * svm_nic, svm_config.nics / nnics and svm_nic_receive: network cards
 * (svm_config grew at its end). Also 5: svm_set_breakpoint,
 * svm_clear_breakpoint, svm_step, SVM_REG_FCSR and svm_stop.hart (the
 * struct grew at its end): what a debugger (tools/gdbstub.c) needs.
 * 6: snapshots: svm_snapshot_save, svm_snapshot_load, svm_snapshot_write,
 * svm_snapshot_read; svm_drive.snapshot and svm_config.rng (both structs
 * grew at their ends);
 * watchpoints: svm_set_watchpoint, svm_clear_watchpoint
 * and svm_stop's watch_kind / watch_addr (the struct grew at its end). */
#define SPLITVM_API_VERSION 6
#define SPLITVM_VERSION_STRING "0.1.0"

/* The API version the library was built with (compare to the macro). */
int svm_api_version(void);
const char *svm_version_string(void);

typedef struct svm_machine svm_machine;

typedef enum svm_mode { SVM_MODE_USER = 0, SVM_MODE_SYSTEM = 1 } svm_mode;
typedef enum svm_engine { SVM_ENGINE_DEFAULT = 0, SVM_ENGINE_INTERP = 1, SVM_ENGINE_JIT = 2 } svm_engine;
typedef enum svm_board { SVM_BOARD_SPIKE = 0, SVM_BOARD_VIRT = 1 } svm_board;

/* A disk on the virt board, as qemu-system-riscv64's -drive
 * file=F,format=raw|qcow2,if=virtio[,readonly=on]: a virtio-blk device.
 * Writes go to the image as the guest makes them; a guest flush (and
 * svm_destroy) makes them durable. */
typedef struct svm_drive {
    const char *file;   /* the image, a host path (or NULL with the callbacks below) */
    const char *format; /* "raw", "qcow2", or NULL: qcow2 if the header says so, else raw */
    int read_only;      /* the guest sees a read-only disk; the file is opened read-only */
    /* The embedder's own storage instead of a file: the image's bytes at
     * byte offsets, whole transfers, 0 or -errno; bytes past the end read
     * as zeros; flush makes completed writes durable; length is the
     * image's size. read, flush and length are required, write too unless
     * read_only. Called from svm_create, svm_run and svm_destroy. */
    int (*read)(void *opaque, void *buf, size_t len, uint64_t offset);
    int (*write)(void *opaque, const void *buf, size_t len, uint64_t offset);
    int (*flush)(void *opaque);
    int (*length)(void *opaque, uint64_t *len);
    void *opaque;
    /* API 6: QEMU's snapshot=on (-snapshot): the image is opened read-only
     * and never written; the guest still writes, into copy-on-write chunks
     * in host memory (counted in svm_stats.host_mem_bytes) that are gone
     * with the machine. A machine with such a disk cannot be snapshotted
     * (svm_snapshot_save says so). */
    int snapshot;
} svm_drive;

/* A network card on the virt board: a virtio-net device (Linux's eth0,
 * eth1, ...). Either on the user-mode network, as qemu-system-riscv64's
 * -netdev user (the guest gets 10.0.2.15 by DHCP; 10.0.2.2 is the host,
 * 10.0.2.3 its DNS; the guest's connections are made with the host's
 * sockets; needs a build with libslirp, else svm_create fails with
 * SVM_ERR_UNSUPPORTED), or on the embedder's own network: send set. */
typedef struct svm_nic {
    /* User-mode network: QEMU's hostfwd rules bringing host ports in, each
     * "[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport", e.g.
     * "tcp::2222-:22" (host port 2222 to the guest's 22). */
    const char *const *hostfwd;
    unsigned nhostfwd;
    unsigned char mac[6]; /* all zero: 52:54:00:12:34:56 (+ the card's index), QEMU's */
    /* The embedder's network: each Ethernet frame (no FCS, at most 1518
     * bytes) the guest sends, from svm_run. Frames for the guest go in with
     * svm_nic_receive. */
    void (*send)(void *opaque, const void *frame, size_t len);
    void *opaque;
} svm_nic;

/* Log and console sink: one call per line (log) or per chunk (console). */
typedef void (*svm_output_fn)(void *opaque, const char *buf, size_t len);

/* ---- The system-call proxy (user mode) ----
 *
 * By default a user-mode guest is served by the host's POSIX calls: it sees
 * the host's files (or, with sysroot, only that tree), the host's stdio,
 * clock and random source. An embedder can replace any group of those
 * services with its own callbacks by pointing svm_config.proxy at a table:
 *
 *   files    open (required for the group), close, read, write, seek, fstat,
 *            stat, readdir, readlink, mkdir, unlink, rename, ftruncate.
 *            With this group the guest sees ONLY the embedder's files: no
 *            path reaches the host file system (pipes still work).
 *   console  console_write / console_read: the guest's fds 0, 1, 2 (and
 *            their dups) go here instead of the host's stdio.
 *   clock    clock_ns: what clock_gettime, gettimeofday and rdtime see.
 *   random   random: getrandom and the start-up random bytes (AT_RANDOM).
 *
 * A group whose key callback (open, console_write or console_read, clock_ns,
 * random) is NULL uses the default; other NULL members get the fallback
 * their comment gives. Every callback gets svm_config.proxy_opaque first.
 * The table must stay valid while the machine lives; callbacks are called
 * only from inside svm_run (and svm_load_program / svm_destroy), on the
 * caller's thread.
 *
 * Errors: return a negative errno value as <errno.h> spells it on the host
 * (-ENOENT, -EROFS; on Linux these are the Linux numbers); splitvm gives the
 * guest the matching Linux value. Paths are absolute, normalised guest paths
 * ("/etc/motd": no "//", ".", ".." or trailing "/"); splitvm never follows
 * symlinks for the embedder (a readlink callback just reports them). Flags,
 * modes and types are the guest's Linux values (SVM_O_*, SVM_S_*, SVM_DT_*). */

/* Linux open flags, as the guest passes them. */
#define SVM_O_ACCMODE 03
#define SVM_O_RDONLY 00
#define SVM_O_WRONLY 01
#define SVM_O_RDWR 02
#define SVM_O_CREAT 0100
#define SVM_O_EXCL 0200
#define SVM_O_TRUNC 01000
#define SVM_O_APPEND 02000
#define SVM_O_NONBLOCK 04000
#define SVM_O_DIRECTORY 0200000
#define SVM_O_NOFOLLOW 0400000

/* File types in svm_stat.mode (with the permission bits, e.g. SVM_S_IFREG | 0644). */
#define SVM_S_IFMT 0170000
#define SVM_S_IFDIR 0040000
#define SVM_S_IFCHR 0020000
#define SVM_S_IFREG 0100000
#define SVM_S_IFLNK 0120000
#define SVM_S_IFIFO 0010000

/* Directory entry types (svm_dirent.type); 0 = unknown. */
#define SVM_DT_FIFO 1
#define SVM_DT_CHR 2
#define SVM_DT_DIR 4
#define SVM_DT_REG 8
#define SVM_DT_LNK 10

/* Clocks for clock_ns. */
#define SVM_CLOCK_REALTIME 0  /* ns since 1970-01-01 UTC */
#define SVM_CLOCK_MONOTONIC 1 /* ns since any fixed point; never goes back */

typedef struct svm_stat {
    uint64_t dev, ino;   /* identity; any stable values (ino 0 is fine) */
    uint32_t mode;       /* SVM_S_IF* | permission bits */
    uint32_t nlink, uid, gid;
    uint64_t rdev;
    int64_t size;
    int64_t blksize;     /* 0 = 4096 */
    int64_t blocks;      /* 512-byte blocks; 0 = computed from size */
    int64_t atime_sec, mtime_sec, ctime_sec;
    uint32_t atime_nsec, mtime_nsec, ctime_nsec;
} svm_stat;

typedef struct svm_dirent {
    uint64_t ino;
    unsigned char type;  /* SVM_DT_* */
    char name[256];      /* NUL-terminated; no '/' */
} svm_dirent;

typedef struct svm_proxy {
    /* ---- files ---- */
    /* Open path with Linux flags (SVM_O_*; mode for SVM_O_CREAT, the guest's
     * umask already applied) and set *handle, which later calls get back.
     * SVM_O_DIRECTORY asks for a directory (for readdir). */
    int (*open)(void *opaque, const char *path, int flags, int mode, void **handle);
    /* Called once per successful open, when the guest's last fd for it goes
     * (close, exit, or svm_destroy). NULL: nothing to do. */
    int (*close)(void *opaque, void *handle);
    /* Transfer at offset (>= 0, pread/pwrite: the file position is not used
     * or moved) or, when offset is -1, at the file position (advance it).
     * Return the byte count (0 = end of file) or -errno. write NULL: -EBADF.
     * A read with nothing available yet may return -EAGAIN. */
    int64_t (*read)(void *opaque, void *handle, void *buf, size_t len, int64_t offset);
    int64_t (*write)(void *opaque, void *handle, const void *buf, size_t len, int64_t offset);
    /* lseek: whence 0 SET, 1 CUR, 2 END; return the new position. NULL: -ESPIPE. */
    int64_t (*seek)(void *opaque, void *handle, int64_t offset, int whence);
    /* fstat of an open file. NULL: -ENOSYS. */
    int (*fstat)(void *opaque, void *handle, svm_stat *st);
    /* stat by path (nofollow: lstat). NULL: open + fstat + close. */
    int (*stat)(void *opaque, const char *path, int nofollow, svm_stat *st);
    /* Entry number index (0, 1, ...) of an open directory: fill *ent and
     * return 1, return 0 after the last, or -errno. splitvm keeps the cursor
     * (lseek/rewinddir/seekdir work). "." and ".." are listed only if the
     * embedder lists them. NULL: -ENOTDIR. */
    int (*readdir)(void *opaque, void *handle, uint64_t index, svm_dirent *ent);
    /* The target of a symlink (not NUL-terminated); length or -errno. NULL: -EINVAL. */
    int64_t (*readlink)(void *opaque, const char *path, char *buf, size_t len);
    /* Changes to the tree. NULL: -EROFS. unlink removes a directory when is_dir. */
    int (*mkdir)(void *opaque, const char *path, int mode);
    int (*unlink)(void *opaque, const char *path, int is_dir);
    int (*rename)(void *opaque, const char *from, const char *to);
    int (*ftruncate)(void *opaque, void *handle, int64_t len);

    /* ---- console ---- */
    /* Guest output on its console fds; stream is 1 (stdout) or 2 (stderr).
     * Return len (or a shorter count, or -errno). NULL: output is dropped. */
    int64_t (*console_write)(void *opaque, int stream, const void *buf, size_t len);
    /* Guest input (stream 0). 0 = end of input; -EAGAIN = nothing yet.
     * NULL: end of input. */
    int64_t (*console_read)(void *opaque, void *buf, size_t len);

    /* ---- clock ---- */
    /* Nanoseconds on SVM_CLOCK_REALTIME or SVM_CLOCK_MONOTONIC. */
    int64_t (*clock_ns)(void *opaque, int clock);

    /* ---- random ---- */
    /* Fill buf with len random bytes; 0 or -errno. */
    int (*random)(void *opaque, void *buf, size_t len);

    /* ---- network (API 4) ----
     * socket NULL: the guest's sockets are the host's. Otherwise every guest
     * socket is the embedder's. Numbers are Linux's (domain 1 AF_UNIX, 2
     * AF_INET, 10 AF_INET6; type 1 stream, 2 datagram, without the
     * SOCK_NONBLOCK/SOCK_CLOEXEC flags; MSG_* flags; shutdown's how 0-2);
     * addresses are the guest's struct sockaddr bytes (a little-endian u16
     * family, then the port and address in network order, or a Unix path).
     * A call that cannot complete yet returns -EAGAIN: a blocking guest
     * socket then waits (svm_run returns SVM_STOP_WAITING with no fd and no
     * deadline) and the call is made again at the next svm_run; a
     * non-blocking one gets EAGAIN. NULL callbacks: -EOPNOTSUPP. */
    int (*socket)(void *opaque, int domain, int type, int protocol, void **handle);
    int (*sock_close)(void *opaque, void *handle); /* the guest's last fd for it went */
    int (*bind)(void *opaque, void *handle, const void *addr, size_t len);
    int (*listen)(void *opaque, void *handle, int backlog);
    /* A new connection's handle in *conn, its peer's address in addr
     * (*addrlen: room in, length out). */
    int (*accept)(void *opaque, void *handle, void **conn, void *addr, size_t *addrlen);
    /* -EAGAIN while the connection is being made (asked again). */
    int (*connect)(void *opaque, void *handle, const void *addr, size_t len);
    /* addr NULL: the connected peer. Bytes sent or received, 0 = end of
     * stream (recv). recvfrom's addr/addrlen may be NULL. */
    int64_t (*sendto)(void *opaque, void *handle, const void *buf, size_t len, int flags, const void *addr,
                      size_t addrlen);
    int64_t (*recvfrom)(void *opaque, void *handle, void *buf, size_t len, int flags, void *addr,
                        size_t *addrlen);
    int (*shutdown)(void *opaque, void *handle, int how);
    /* getsockname (peer 0) / getpeername (peer 1). */
    int (*sockname)(void *opaque, void *handle, int peer, void *addr, size_t *addrlen);
    /* Linux POLL* bits ready now (poll, select, epoll). NULL: always
     * readable and writable. */
    int (*sock_poll)(void *opaque, void *handle);
} svm_proxy;

typedef struct svm_config {
    svm_mode mode;
    svm_engine engine;
    /* User mode. */
    /* -L: the guest sees only this host tree, as its "/". Paths resolve one
     * component at a time inside it, from directory fds (the host is never
     * handed a path of more than one component): ".." stops at its root and
     * symlinks (absolute or relative) are followed re-rooted in it, so no
     * guest path names a host file outside, even while other machines or
     * processes change the tree at the same time. The tree is opened when
     * the machine is made. Exceptions: /dev/null, /dev/zero, /dev/random,
     * /dev/urandom and /dev/tty are the host's to open, stat, access and
     * readlink (never to unlink, rename, chmod...); /proc/self/exe reads as
     * the program's path. Symlinks the guest creates keep the guest's text
     * ("/etc/x" means this tree's etc/x to the guest, the host's /etc/x to
     * anything else): host tools must not follow links in a guest-writable
     * tree unjailed. NULL: the host's whole tree. */
    const char *sysroot;
    int strace;            /* log every guest system call */
    /* The JIT in user mode takes the process's SIGSEGV and SIGBUS handler
     * (once; passing every fault not its own on to the handler the app had,
     * and handing it back when the last machine is destroyed), so that the
     * host MMU checks guest loads and stores. 1: never take it; every guest
     * access is then checked in software (slower). */
    int jit_no_fault_handler;
    /* System mode. */
    svm_board board;
    uint64_t ram_size;     /* bytes; 0 = default */
    svm_output_fn console; /* guest console output; NULL = stdout */
    void *console_opaque;
    /* Diagnostics (strace lines, warnings); NULL = stderr. */
    svm_output_fn log;
    void *log_opaque;
    /* User mode: the system-call proxy (see svm_proxy); NULL = the host's.
     * System mode uses its console group (console_write, console_read) for
     * the serial console when set. */
    const svm_proxy *proxy;
    void *proxy_opaque;
    /* System mode, virt board: what qemu-system-riscv64 -M virt takes as
     * -smp, -bios, -kernel, -initrd, -append and -dtb. With firmware or a
     * kernel set, svm_create loads everything and the machine is ready to
     * run (no svm_load_kernel). */
    unsigned harts;         /* 1..8; 0 = 1 */
    const char *firmware;   /* a file, "default" (OpenSBI's fw_dynamic.bin: $SPLITVM_BIOS, else
                               Debian's opensbi package), or NULL: none, the kernel runs in M mode */
    const char *kernel;     /* Linux Image, U-Boot (raw binary) or ELF */
    const char *initrd;
    const char *cmdline;    /* bootargs in the device tree */
    const char *dtb;        /* use this device tree instead of the generated one */
    /* 1: time follows retired instructions (deterministic runs, tests);
     * 0: the host's monotonic clock (virt's default; spike always counts). */
    int counted_time;
    /* User mode: the most guest memory the machine may commit, in bytes
     * (-m / -R); 0 = 1 GiB. Counted like Linux's overcommit-off accounting:
     * a mapping is charged its whole size once it is writable (anonymous
     * mmap, brk, private file mappings, which are copies, the program's
     * segments and stack, mprotect adding PROT_WRITE) until it is unmapped;
     * each guest thread beyond the first is also charged its host stack
     * (512 KiB). Past the limit the guest gets ENOMEM from mmap, brk,
     * mremap, mprotect and clone, and svm_load_program refuses a program
     * whose segments, thread-local storage and stack do not fit; the host
     * is never the one that runs out. Read-only and PROT_NONE anonymous
     * mappings are not charged (the host backs no page of them). */
    uint64_t mem_limit;
    /* The JIT's code buffer, in bytes (0 = 32 MiB; at least 1 MiB, at most
     * 1 GiB, rounded up to the host page). When it is full every
     * translation is dropped at once and translation starts over. */
    uint64_t jit_code_size;
    /* The JIT translates a block once it has come to it this many times
     * (the interpreter runs it until then; at most 255). 0 = the default:
     * 16 in system mode (a boot runs most code a few times only), 4 in
     * user mode (a program's start-up and rare paths stay interpreted). */
    unsigned jit_warm_runs;
    /* System mode, virt board (API 5): disks, drives[0..ndrives-1] (at most
     * 8). Like QEMU, the first takes the last virtio-mmio slot
     * (0x10008000), the next one below it, and so on: Linux names them vda,
     * vdb, ... A missing or malformed image fails svm_create with
     * SVM_ERR_IO or SVM_ERR_BAD_IMAGE and a message naming it. */
    const svm_drive *drives;
    unsigned ndrives;
    /* System mode, virt board (API 5): network cards, nics[0..nnics-1] (at
     * most 4; with the disks, at most 8 devices), in the virtio-mmio slots
     * below the disks'. */
    const svm_nic *nics;
    unsigned nnics;
    /* System mode, virt board (API 6): 1 adds a virtio-rng device (QEMU's
     * -device virtio-rng-device), in the slot below the network cards; its
     * bytes come from the proxy's random callback when set, else from the
     * host (getrandom). */
    int rng;
} svm_config;

typedef enum svm_status {
    SVM_OK = 0,
    SVM_ERR_INVALID = -1,     /* bad argument or call out of order */
    SVM_ERR_NOMEM = -2,
    SVM_ERR_IO = -3,          /* host file could not be read */
    SVM_ERR_BAD_IMAGE = -4,   /* malformed or unsupported program/image */
    SVM_ERR_UNSUPPORTED = -5, /* feature not built in */
} svm_status;

typedef enum svm_stop_reason {
    SVM_STOP_BUDGET = 0,   /* the instruction budget was spent; run again */
    SVM_STOP_EXITED = 1,   /* the guest ended; see exit_status / signal */
    SVM_STOP_WAITING = 2,  /* the guest waits (wfi, blocking I/O); run again later */
    SVM_STOP_BREAKPOINT = 3, /* a breakpoint is hit (pc is its address), or svm_step is done */
    SVM_STOP_FAULT = 4,    /* the guest faulted fatally; see cause/tval/pc */
    SVM_STOP_ERROR = 5,    /* emulator error; see svm_error() */
    SVM_STOP_INTERRUPTED = 6, /* svm_interrupt() asked the run to return; run again at will */
} svm_stop_reason;

typedef struct svm_stop {
    svm_stop_reason reason;
    int exit_status; /* SVM_STOP_EXITED: the guest's exit status (128+signal if killed) */
    int signal;      /* SVM_STOP_EXITED: the signal that killed the guest, else 0 */
    uint64_t pc;     /* pc at the stop */
    uint64_t cause;  /* SVM_STOP_FAULT: RISC-V exception cause */
    uint64_t tval;   /* SVM_STOP_FAULT: faulting address or instruction bits */
    /* SVM_STOP_WAITING (user mode): every guest thread waits (a read with no
     * data, a sleep, a futex, poll). Run again once wait_fd, a host fd, is
     * ready (wait_events: SVM_WAIT_READ / SVM_WAIT_WRITE) or wait_ns
     * nanoseconds have passed, whichever comes first; -1 means no such fd /
     * no deadline. With neither, the guest waits for the embedder's own input
     * (a proxy callback answered -EAGAIN): run again once there is some.
     * Running again earlier is harmless: it re-checks and returns WAITING. */
    int64_t wait_ns;
    int wait_fd;
    int wait_events;
    /* SVM_STOP_BREAKPOINT (system mode): the hart that stopped; pc is its
     * pc (API 5). Registers read through svm_get_reg are hart 0's. */
    unsigned hart;
    /* SVM_STOP_BREAKPOINT by a watchpoint (API 6): SVM_WATCH_READ and/or
     * SVM_WATCH_WRITE (an AMO both), and the first watched address the
     * access touched; 0 for breakpoints and steps. pc is the instruction
     * after the one that made the access. */
    int watch_kind;
    uint64_t watch_addr;
} svm_stop;

#define SVM_WAIT_READ 1
#define SVM_WAIT_WRITE 2

void svm_config_init(svm_config *cfg);
/* Create a machine. On failure *out is NULL and, if err is not NULL, a
 * one-line reason is written there. */
int svm_create(const svm_config *cfg, svm_machine **out, char *err, size_t errlen);
/* Release everything the machine holds. Safe at any point, NULL allowed. */
void svm_destroy(svm_machine *m);
/* The last error message for this machine ("" if none). */
const char *svm_error(const svm_machine *m);

/* User mode: load a static riscv64 Linux ELF with its arguments and
 * environment (argv[0] is the program name the guest sees). */
int svm_load_program(svm_machine *m, const char *path, int argc, char *const argv[], char *const envp[]);
/* System mode: load an ELF at its physical addresses and point the hart at
 * its entry (-bios none -kernel FILE). */
int svm_load_kernel(svm_machine *m, const char *path);

/* Run up to max_insns guest instructions (0 = no limit) and report why it
 * stopped. Returns SVM_OK, or an error code with reason SVM_STOP_ERROR. */
int svm_run(svm_machine *m, uint64_t max_insns, svm_stop *stop);

/* Make a running svm_run return promptly (within a few thousand guest
 * instructions) with SVM_STOP_INTERRUPTED, like QEMU's cpu_exit. Safe to
 * call from any thread and from a signal handler (it only stores to two
 * atomics); m must stay alive meanwhile (do not race it with svm_destroy).
 * A request made while no svm_run is running is kept: the next svm_run
 * returns at once. Every svm_run, trap storms included, also ends within
 * its own budget: a trap entry, which retires no instruction, counts as
 * one step of it. */
void svm_interrupt(svm_machine *m);

/* User mode: send the guest signal sig (a Linux number, 1-64), as a
 * terminal sends it to its foreground group: to the first guest process
 * and every process in its process group, from outside (si_code SI_USER,
 * si_pid 0): the handler of a
 * thread that does not block it runs at the next svm_run, and a wait it
 * was in ends with EINTR; its default action may end the guest (reported
 * as SVM_STOP_EXITED with signal). Call between svm_run calls, not from a
 * host signal handler (there, record the signal and call svm_interrupt).
 * Returns SVM_OK; 1 when the guest's action for sig is the default stop
 * (SIGTSTP, SIGTTIN, SIGTTOU, SIGSTOP): nothing is sent, the embedder may
 * stop as a shell job would; SVM_ERR_INVALID for a bad number, a system
 * mode machine or a guest that has ended.
 * (API 4; also new in 4: an SVM_STOP_EXITED by a signal gives the pc it
 * was killed at in pc and the faulting address, or 0, in tval, and no
 * longer logs a line.) */
int svm_signal(svm_machine *m, int sig);

/* System mode (virt): the flattened device tree the guest boots with
 * (QEMU's -machine dumpdtb); NULL for other machines. */
const void *svm_get_dtb(const svm_machine *m, size_t *size);

/* System mode (virt, API 5): an Ethernet frame (no FCS, at most 1518
 * bytes) from the embedder's network for card `nic` (one with a send
 * callback). SVM_OK when the guest took it, SVM_ERR_NOMEM when it had no
 * receive buffer posted (the frame is dropped, as a real card drops it),
 * SVM_ERR_INVALID for a bad card or length. Call between svm_run calls,
 * from the thread that runs the machine. */
int svm_nic_receive(svm_machine *m, unsigned nic, const void *frame, size_t len);

/* Debugging (API 5). A breakpoint stops svm_run with SVM_STOP_BREAKPOINT
 * before the instruction at addr (a guest virtual address; any hart on a
 * board) runs, except where the previous svm_run or svm_step stopped with
 * SVM_STOP_BREAKPOINT (the same hart at the same pc): running again goes
 * on from there. Up to 64; setting one twice is one.
 * While any is set the interpreter runs, never the JIT, and looks at
 * every block: expect about twice the interpreter's time (docs/debugging.md).
 * svm_clear_breakpoint: SVM_ERR_INVALID when none is set at addr;
 * svm_set_breakpoint: SVM_ERR_NOMEM when the table is full. */
int svm_set_breakpoint(svm_machine *m, uint64_t addr);
int svm_clear_breakpoint(svm_machine *m, uint64_t addr);
/* Watchpoints (API 6): svm_run stops with SVM_STOP_BREAKPOINT (see
 * svm_stop.watch_kind) right after an instruction that reads (kind
 * SVM_WATCH_READ), writes (SVM_WATCH_WRITE) or does either (SVM_WATCH_ACCESS)
 * to [addr, addr + len) of guest virtual memory, the value already written.
 * Up to 16; len 1 to 2^32. The guest's own loads, stores and AMOs count;
 * a user-mode system call writing the memory (read(2) into it) does not.
 * While any is set every instruction runs alone in the interpreter, and
 * each access to a page holding a watched byte takes its slow path
 * (docs/debugging.md).
 * svm_clear_watchpoint takes the same three values; SVM_ERR_INVALID when
 * no such watchpoint is set; svm_set_watchpoint: SVM_ERR_INVALID for a bad
 * kind or length, SVM_ERR_NOMEM when the table is full. */
#define SVM_WATCH_WRITE 1
#define SVM_WATCH_READ 2
#define SVM_WATCH_ACCESS 3
int svm_set_watchpoint(svm_machine *m, uint64_t addr, uint64_t len, int kind);
int svm_clear_watchpoint(svm_machine *m, uint64_t addr, uint64_t len, int kind);
/* Run exactly one guest instruction (breakpoints are not checked for it);
 * a trap entry counts as the step, which then ends at the handler, as in
 * QEMU. stop->reason is SVM_STOP_BREAKPOINT when the step is done, or
 * what svm_run reports (exited, waiting in a system call, fault, ...). */
int svm_step(svm_machine *m, svm_stop *stop);

/* Snapshots (system mode, virt board; API 6): the running machine's
 * state, its harts, devices, clock and RAM (pages of zeros are skipped),
 * to restore later into a machine created with the same svm_config (RAM,
 * harts, -icount, the same disks and network cards); docs/snapshots.md.
 * Call between svm_run calls.
 * Saving flushes the disks first. Disk contents are not in the snapshot:
 * the images are the disks' state, so restore with the images as they were
 * when the snapshot was saved (a host file disk whose size or modification
 * time changed since is refused). The user-mode network's connections
 * are not saved (the guest sees them reset); LR/SC reservations are
 * dropped. A machine created without firmware or kernel can take a
 * snapshot (it is then ready to run), but a guest reset powers it off.
 * svm_snapshot_save writes PATH through a temporary file renamed over it,
 * so an earlier snapshot at PATH is replaced only by a whole one.
 * Returns SVM_OK; SVM_ERR_UNSUPPORTED for user mode or -M spike;
 * SVM_ERR_IO when the file cannot be written or read; SVM_ERR_INVALID
 * when the guest has powered off (save); SVM_ERR_BAD_IMAGE for a file that
 * is not a whole snapshot of a machine like this one (load), with the
 * reason in svm_error. A load refused before guest RAM changed leaves the
 * machine as it was; one that fails later (a file damaged in its RAM
 * part) leaves it unable to run (svm_run fails) until a load succeeds. */
int svm_snapshot_save(svm_machine *m, const char *path);
int svm_snapshot_load(svm_machine *m, const char *path);
/* The same through the embedder's own storage: write takes len bytes and
 * returns len (anything else fails the save); read returns the bytes read
 * (up to len; 0 at the end), negative on error. Nothing past the snapshot's
 * end is read. */
typedef int64_t (*svm_snapshot_write_fn)(void *opaque, const void *buf, size_t len);
typedef int64_t (*svm_snapshot_read_fn)(void *opaque, void *buf, size_t len);
int svm_snapshot_write(svm_machine *m, svm_snapshot_write_fn write, void *opaque);
int svm_snapshot_read(svm_machine *m, svm_snapshot_read_fn read, void *opaque);

/* Registers: 0-31 are x0-x31, 32-63 are f0-f31, SVM_REG_PC is the pc,
 * SVM_REG_FCSR the fcsr (fflags in bits 0-4, frm in 5-7; API 5). */
#define SVM_REG_F0 32
#define SVM_REG_PC 64
#define SVM_REG_FCSR 65
int svm_get_reg(const svm_machine *m, int reg, uint64_t *value);
int svm_set_reg(svm_machine *m, int reg, uint64_t value);
/* Guest memory (user mode: virtual; system mode: physical RAM). */
int svm_read_mem(svm_machine *m, uint64_t addr, void *buf, size_t len);
int svm_write_mem(svm_machine *m, uint64_t addr, const void *buf, size_t len);
/* Retired instruction count (system mode: of all harts together). */
uint64_t svm_instret(const svm_machine *m);

/* Engine counters, for benchmarks and tuning. JIT fields stay 0 when the
 * machine runs the interpreter; on a board they add up its harts. */
typedef struct svm_stats {
    uint64_t instret;          /* guest instructions retired */
    int jit;                   /* 1 when the JIT runs this machine */
    uint64_t jit_blocks;       /* blocks translated */
    uint64_t jit_guest_insns;  /* guest instructions in them */
    uint64_t jit_interp_blocks;/* blocks left to the interpreter */
    uint64_t jit_code_bytes;   /* host code in the buffer now */
    uint64_t jit_translate_ns; /* time spent translating */
    uint64_t jit_flushes;      /* whole-buffer flushes */
    /* Memory (API 3). */
    uint64_t guest_mem_committed; /* user mode: the commit charge (see mem_limit); system mode: RAM */
    uint64_t guest_mem_limit;     /* user mode: mem_limit in effect; system mode: RAM */
    /* Host memory the machine holds: its heap blocks, maps (JIT code buffer,
     * coroutine stacks, system-mode RAM) and user mode's committed guest
     * memory, as mapped sizes: a bound on what it can make resident. */
    uint64_t host_mem_bytes;
    uint64_t jit_code_limit;      /* the JIT's code buffer size (0: no JIT) */
    uint64_t jit_code_emitted;    /* host code written over the run, flushed code included */
    uint64_t jit_hot_blocks;      /* blocks translated again as hot (unrolled loops) */
} svm_stats;
int svm_get_stats(const svm_machine *m, svm_stats *out);

#ifdef __cplusplus
}
#endif
#endif
