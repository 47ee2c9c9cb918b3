/* Random system calls with random and edge-case arguments, for splitvm's
 * system-call layer: pointers into unmapped, read-only or half-mapped memory,
 * huge and negative lengths, bad and closed fds, odd paths and flags,
 * unknown call numbers. usage: syscall_storm SEED CALLS [-v]
 *
 * The program must reach its end marker: so it never makes a call that ends
 * it (exit, kill, execve, rt_sigreturn), forks (clone), installs a signal
 * handler or blocks forever (every wait has a zero or short timeout, every
 * pipe and socket is non-blocking, fd 0 is expected at end of input), and
 * the memory it can unmap or remap is its own victim region. Calls never get
 * a pointer to its stack or globals for writing. It runs under -L (a
 * scratch tree), so the paths stay there. No malloc: brk moves too. */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#define PAGE 4096
#define MARKER_FD 200 /* the end marker's fd: no random call may close it */
#define VICTIM_PAGES 16

static uint64_t rng;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static uint64_t below(uint64_t n) { return n ? next() % n : 0; }
static uint64_t pick(const uint64_t *v, size_t n) { return v[below(n)]; }
#define PICK(...) pick((const uint64_t[]){__VA_ARGS__}, sizeof((const uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t))

static long ecall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
    register long x10 __asm__("a0") = a0, x11 __asm__("a1") = a1, x12 __asm__("a2") = a2;
    register long x13 __asm__("a3") = a3, x14 __asm__("a4") = a4, x15 __asm__("a5") = a5;
    register long x17 __asm__("a7") = nr;
    __asm__ volatile("ecall"
                     : "+r"(x10)
                     : "r"(x11), "r"(x12), "r"(x13), "r"(x14), "r"(x15), "r"(x17)
                     : "memory");
    return x10;
}

#define MARKER_LOG(...)                                                                                \
    do {                                                                                               \
        char m_[200];                                                                                  \
        int n_ = snprintf(m_, sizeof(m_), __VA_ARGS__);                                                \
        if (n_ > 0)                                                                                    \
            ecall6(64, MARKER_FD, (long)m_, n_ < (int)sizeof(m_) ? n_ : (int)sizeof(m_) - 1, 0, 0, 0); \
    } while (0)

static int verbose; /* third argument -v: log each call before making it */
static long raw(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
    if (verbose)
        MARKER_LOG("call %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n", nr, a0, a1, a2, a3, a4, a5);
    return ecall6(nr, a0, a1, a2, a3, a4, a5);
}

static uint8_t *scratch;   /* 2 pages RW, then a guard page */
static uint8_t *rodata;    /* 1 page read-only (strings without NUL at its end), then a guard */
static uint8_t *iovpage;   /* iovecs, pollfds and timespecs built for one call */
static uint8_t *victim;    /* what munmap/mprotect/mremap/MAP_FIXED may hit */
static uint64_t brk0;
static char longpath[5000];
static int pool[16];       /* fds the program opened */

static uint64_t ptr(void)
{
    return PICK(0, 1, 0x1000, (uint64_t)scratch, (uint64_t)scratch + below(2 * PAGE),
                (uint64_t)scratch + 2 * PAGE - 8, (uint64_t)scratch + 2 * PAGE, (uint64_t)rodata,
                (uint64_t)rodata + PAGE - 3, (uint64_t)victim + below(VICTIM_PAGES * PAGE),
                0x7fffffffffffULL, 0xffffffff80000000ULL, (uint64_t)-1, (uint64_t)-4096, 0xdead0000beefULL);
}
static uint64_t len(void)
{
    return PICK(0, 1, 7, 64, PAGE, 2 * PAGE, 3 * PAGE, 65536, 1ULL << 31, 1ULL << 32, (uint64_t)-1,
                0x7fffffffffffffffULL, below(300), below(10000));
}
static uint64_t fd(void)
{
    uint64_t f = PICK(-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 100, 1024, 1 << 20, 0x7fffffff, 0x100000001ULL,
                      (uint64_t)pool[below(16)], (uint64_t)pool[below(16)], (uint64_t)-100);
    return f == MARKER_FD ? 1 : f;
}
static uint64_t dirfd(void) { return below(2) ? (uint64_t)-100 /* AT_FDCWD */ : fd(); }
static uint64_t path(void)
{
    return PICK((uint64_t) "f", (uint64_t) "g", (uint64_t) "d", (uint64_t) "d/f", (uint64_t) "d/e/f",
                (uint64_t) "../f", (uint64_t) "/", (uint64_t) ".", (uint64_t) "..", (uint64_t) "",
                (uint64_t) "/dev/null", (uint64_t) "/dev/zero", (uint64_t) "/proc/self/exe",
                (uint64_t) "/proc/self/fd/1", (uint64_t) "l", (uint64_t) "/l/f", (uint64_t) "f/",
                (uint64_t) "//d//./f", (uint64_t)longpath, (uint64_t)longpath + 900,
                (uint64_t)rodata + PAGE - 3, 0, 1, (uint64_t)scratch + 2 * PAGE - 1, 0xdead0000beefULL);
}
static uint64_t flags(void) { return below(3) ? below(16) : (below(2) ? next() & 0xffffffff : next()); }
static uint64_t oflags(void)
{
    /* O_NONBLOCK always: nothing opened may block a read. */
    uint64_t f = below(4) ? PICK(0, 1, 2, 0100, 0101, 0102, 01101, 0200101, 02001, 0400000, 020200000)
                          : next() & 0xffffffff;
    return f | 04000;
}
static uint64_t victim_addr(void)
{
    return PICK((uint64_t)victim, (uint64_t)victim + PAGE * below(VICTIM_PAGES),
                (uint64_t)victim + below(VICTIM_PAGES * PAGE), 0, (uint64_t)-4096, 0xdead0000beefULL);
}
/* A length that keeps [addr, addr+len) inside the victim when addr is in it. */
static uint64_t victim_len(uint64_t addr)
{
    uint64_t l = PICK(0, 1, PAGE, 2 * PAGE, VICTIM_PAGES * PAGE, below(VICTIM_PAGES * PAGE), 1ULL << 40, -1);
    uint64_t end = (uint64_t)victim + VICTIM_PAGES * PAGE;
    if (addr >= (uint64_t)victim && addr < end && l > end - addr)
        l = end - addr;
    else if (addr < (uint64_t)victim && l > PAGE) /* page 0: nothing lives there */
        l = PAGE;
    return l;
}
static int in_victim(uint64_t addr) { return addr >= (uint64_t)victim && addr < (uint64_t)victim + VICTIM_PAGES * PAGE; }
/* A short, zero or malformed timespec (never NULL, never long). */
static uint64_t timeout(void)
{
    int64_t *ts = (int64_t *)(iovpage + 2048);
    ts[0] = PICK(0, 0, -1, 0x7fffffffffffffffLL);
    ts[1] = PICK(0, 1000, 999999, 1000000000, -1);
    if (ts[0] > 0 || ts[1] > 1000000) /* invalid or long: make it invalid */
        ts[1] = 1000000000;
    return below(8) ? (uint64_t)ts : PICK(0xdead0000beefULL, (uint64_t)rodata + PAGE - 4);
}
static uint64_t iov(void)
{
    struct iovec *v = (struct iovec *)iovpage;
    for (int i = 0; i < 8; i++) {
        v[i].iov_base = (void *)ptr();
        v[i].iov_len = below(2) ? below(PAGE) : len();
    }
    return below(8) ? (uint64_t)v : ptr();
}
static uint64_t pollfds(void)
{
    int32_t *p = (int32_t *)iovpage;
    for (int i = 0; i < 8; i++) {
        p[2 * i] = (int32_t)fd();
        p[2 * i + 1] = (int32_t)next();
    }
    return below(8) ? (uint64_t)p : ptr();
}
static uint64_t sig(void) { return PICK(0, 1, 9, 13, 17, 19, 31, 32, 34, 64, 65, -1, below(70)); }

/* One random call; returns its number. */
static long one_call(void)
{
    long r = 0, nr;
    switch (below(72)) {
    case 0: nr = 17; r = raw(nr, ptr(), len(), 0, 0, 0, 0); break;                       /* getcwd */
    case 1: nr = 23; r = raw(nr, fd(), 0, 0, 0, 0, 0); break;                            /* dup */
    case 2: { /* dup3: never onto the marker */
        uint64_t to = fd();
        nr = 24; r = raw(nr, fd(), to, below(2) ? 02000000 : flags(), 0, 0, 0);
        break;
    }
    case 3: { /* fcntl: F_SETFL keeps O_NONBLOCK, F_SETLKW becomes F_SETLK, F_DUPFD stays below the marker */
        uint64_t cmd = PICK(0, 1, 2, 3, 4, 5, 6, 7, 1030, 1024, 1025, 1031, 1032, below(2048));
        uint64_t arg = ptr();
        if (cmd == 7)
            cmd = 6;
        if (cmd == 4)
            arg = flags() | 04000;
        else if (cmd == 0 || cmd == 1030)
            arg = below(MARKER_FD);
        nr = 25; r = raw(nr, fd(), cmd, arg, 0, 0, 0);
        break;
    }
    case 4: /* ioctl: never FIONBIO (0x5421), which could make an fd blocking */
        nr = 29; r = raw(nr, fd(), PICK(0x5401, 0x5413, 0x541b, 0x5402, 0, 0xc0105400, next() & 0xffff0000), ptr(), 0, 0, 0);
        break;
    case 5: nr = 32; r = raw(nr, fd(), flags() | 4 /* LOCK_NB */, 0, 0, 0, 0); break;
    case 6: nr = 33; r = raw(nr, dirfd(), path(), 0100644, 0, 0, 0); break;              /* mknodat: regular only */
    case 7: nr = 34; r = raw(nr, dirfd(), path(), flags(), 0, 0, 0); break;              /* mkdirat */
    case 8: nr = 35; r = raw(nr, dirfd(), path(), PICK(0, 0x200, flags()), 0, 0, 0); break;/* unlinkat */
    case 9: nr = 36; r = raw(nr, path(), dirfd(), path(), 0, 0, 0); break;               /* symlinkat */
    case 10: nr = 37; r = raw(nr, dirfd(), path(), dirfd(), path(), flags(), 0); break;  /* linkat */
    case 11: nr = 38; r = raw(nr, dirfd(), path(), dirfd(), path(), 0, 0); break;        /* renameat */
    case 12: nr = 43; r = raw(nr, path(), ptr(), 0, 0, 0, 0); break;                      /* statfs */
    case 13: nr = 44; r = raw(nr, fd(), ptr(), 0, 0, 0, 0); break;                        /* fstatfs */
    case 14: nr = 45; r = raw(nr, path(), PICK(0, 1, 4096, 1 << 20, -1, 1ULL << 62), 0, 0, 0, 0); break; /* truncate */
    case 15: nr = 46; r = raw(nr, fd(), PICK(0, 1, 4096, 1 << 20, -1, 1ULL << 62), 0, 0, 0, 0); break;  /* ftruncate */
    case 16: nr = 48; r = raw(nr, dirfd(), path(), flags(), 0, 0, 0); break;              /* faccessat */
    case 17: nr = 49; r = raw(nr, path(), 0, 0, 0, 0, 0); break;                          /* chdir */
    case 18: nr = 50; r = raw(nr, fd(), 0, 0, 0, 0, 0); break;                            /* fchdir */
    case 19: nr = 52; r = raw(nr, fd(), flags(), 0, 0, 0, 0); break;                      /* fchmod */
    case 20: nr = 53; r = raw(nr, dirfd(), path(), flags(), flags(), 0, 0); break;        /* fchmodat */
    case 21: { /* openat; the fd joins the pool */
        nr = 56; r = raw(nr, dirfd(), path(), oflags(), PICK(0644, 0, 07777, flags()), 0, 0);
        if (r >= 0 && r != MARKER_FD)
            pool[below(16)] = (int)r;
        break;
    }
    case 22: { /* close: never the marker */
        uint64_t f = fd();
        nr = 57; r = raw(nr, f, 0, 0, 0, 0, 0);
        break;
    }
    case 23: { /* pipe2, non-blocking */
        int *p = (int *)(iovpage + 3000);
        nr = 59; r = raw(nr, below(8) ? (uint64_t)p : ptr(), flags() | 04000, 0, 0, 0, 0);
        if (r == 0 && p[0] != MARKER_FD && p[1] != MARKER_FD) {
            pool[below(16)] = p[0];
            pool[below(16)] = p[1];
        }
        break;
    }
    case 24: nr = 61; r = raw(nr, fd(), ptr(), len(), 0, 0, 0); break;                     /* getdents64 */
    case 25: nr = 62; r = raw(nr, fd(), PICK(0, 1, -1, 4096, 1ULL << 62, next()), PICK(0, 1, 2, 3, 4, 5, flags()), 0, 0, 0); break;
    case 26: nr = 63; r = raw(nr, fd(), ptr(), len(), 0, 0, 0); break;                     /* read */
    case 27: nr = 64; r = raw(nr, fd(), ptr(), len(), 0, 0, 0); break;                     /* write */
    case 28: nr = PICK(65, 66); r = raw(nr, fd(), iov(), PICK(0, 1, 2, 8, 1024, 1025, -1), 0, 0, 0); break;
    case 29: nr = PICK(67, 68); r = raw(nr, fd(), ptr(), len(), PICK(0, 1, -1, 1ULL << 62, next()), 0, 0); break;
    case 30: nr = PICK(69, 70); r = raw(nr, fd(), iov(), PICK(0, 1, 2, 8, 1025, -1), PICK(0, 4096, -1), 0, 0); break;
    case 31: nr = 73; r = raw(nr, pollfds(), PICK(0, 1, 8, 1 << 20, -1), timeout(), PICK(0, (uint64_t)scratch, 0xdead0000beefULL), 8, 0); break;
    case 32: nr = 78; r = raw(nr, dirfd(), path(), ptr(), len(), 0, 0); break;              /* readlinkat */
    case 33: nr = 79; r = raw(nr, dirfd(), path(), ptr(), PICK(0, 0x100, 0x1000, flags()), 0, 0); break;
    case 34: nr = 80; r = raw(nr, fd(), ptr(), 0, 0, 0, 0); break;                          /* fstat */
    case 35: nr = PICK(81, 82, 83); r = raw(nr, fd(), 0, 0, 0, 0, 0); break;
    case 36: nr = 88; r = raw(nr, dirfd(), path(), PICK(0, ptr()), flags(), 0, 0); break;    /* utimensat */
    case 37: nr = 96; r = raw(nr, ptr(), 0, 0, 0, 0, 0); break;                              /* set_tid_address */
    case 38: { /* futex: wake, or wait with a zero/short/bad timeout */
        uint64_t op = PICK(0, 1, 9, 10, 128, 129, 137, flags());
        nr = 98; r = raw(nr, ptr(), op, PICK(0, 1, next()), timeout(), ptr(), next());
        break;
    }
    case 39: nr = 99; r = raw(nr, ptr(), len(), 0, 0, 0, 0); break;                           /* set_robust_list */
    case 40: nr = 101; r = raw(nr, timeout(), PICK(0, ptr()), 0, 0, 0, 0); break;             /* nanosleep */
    case 41: nr = PICK(113, 114); r = raw(nr, PICK(0, 1, 2, 3, 4, 7, 11, -1, flags()), ptr(), 0, 0, 0, 0); break;
    case 42: nr = 115; r = raw(nr, PICK(0, 1, -1, flags()), PICK(0, 1), timeout(), PICK(0, ptr()), 0, 0); break;
    case 43: nr = PICK(122, 123); r = raw(nr, PICK(0, -1, 12345), len(), ptr(), 0, 0, 0); break;
    case 44: nr = 124; r = raw(nr, 0, 0, 0, 0, 0, 0); break;                                  /* sched_yield */
    case 45: { /* sigaltstack: a random new stack is harmless without handlers */
        nr = 132; r = raw(nr, PICK(0, ptr()), PICK(0, ptr()), 0, 0, 0, 0);
        break;
    }
    case 46: /* rt_sigaction: queries and bad pointers only (no handler is ever installed) */
        nr = 134; r = raw(nr, sig(), PICK(0, 0xdead0000beefULL, (uint64_t)rodata + PAGE - 8), PICK(0, ptr()), PICK(8, 0, 16, -1), 0, 0);
        break;
    case 47: nr = 135; r = raw(nr, PICK(0, 1, 2, 3, -1), PICK(0, ptr()), PICK(0, ptr()), PICK(8, 0, 16, -1), 0, 0); break;
    case 48: nr = 136; r = raw(nr, ptr(), PICK(8, 0, 16, -1), 0, 0, 0, 0); break;             /* rt_sigpending */
    case 49: nr = PICK(140, 141); r = raw(nr, PICK(0, 1, 2, -1), PICK(0, 1, -1), PICK(0, 19, -20, 100), 0, 0, 0); break;
    case 50: nr = PICK(144, 146); r = raw(nr, PICK(0, 1000, -1), 0, 0, 0, 0, 0); break;
    case 51: nr = PICK(148, 150); r = raw(nr, ptr(), ptr(), ptr(), 0, 0, 0); break;
    case 52: nr = 153; r = raw(nr, ptr(), 0, 0, 0, 0, 0); break;                              /* times */
    case 53: nr = PICK(154, 155, 156, 157); r = raw(nr, PICK(0, 1, -1, 99999), PICK(0, 1, -1), 0, 0, 0, 0); break;
    case 54: nr = 158; r = raw(nr, PICK(0, 1, 65536, -1), ptr(), 0, 0, 0, 0); break;          /* getgroups */
    case 55: nr = 160; r = raw(nr, ptr(), 0, 0, 0, 0, 0); break;                              /* uname */
    case 56: { /* getrlimit/setrlimit/prlimit64 on the guest's own limits */
        nr = PICK(163, 164, 261);
        uint64_t res = PICK(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, -1);
        if (nr == 261)
            r = raw(nr, PICK(0, -1, 99999), res, PICK(0, ptr()), PICK(0, ptr()), 0, 0);
        else
            r = raw(nr, res, ptr(), 0, 0, 0, 0);
        break;
    }
    case 57: nr = 165; r = raw(nr, PICK(0, -1, 1, 2, 99), ptr(), 0, 0, 0, 0); break;          /* getrusage */
    case 58: nr = 166; r = raw(nr, flags(), 0, 0, 0, 0, 0); break;                            /* umask */
    case 59: nr = 167; r = raw(nr, PICK(15, 16, 1, 2, 22, 38, 39, flags()), ptr(), next(), next(), next(), 0); break;
    case 60: nr = PICK(168, 169, 179); r = raw(nr, ptr(), PICK(0, ptr()), PICK(0, ptr()), 0, 0, 0); break;
    case 61: nr = PICK(172, 173, 174, 175, 176, 177, 178); r = raw(nr, next(), next(), 0, 0, 0, 0); break;
    case 62: nr = PICK(198, 199); r = raw(nr, PICK(1, 2, 10, 16, -1), PICK(1, 2, 3, 5) | 04000, PICK(0, 6, 17, -1), ptr(), 0, 0); break;
    case 63: /* brk: never below where the program started it (glibc keeps its TLS there) */
        nr = 214; r = raw(nr, PICK(0, brk0, brk0 + below(1 << 20), brk0 + (1ULL << 40), -1, 0x1000), 0, 0, 0, 0, 0);
        break;
    case 64: { /* mmap: MAP_FIXED only over the victim region */
        uint64_t fl = flags();
        uint64_t addr = ptr();
        if (below(3) == 0) {
            fl = PICK(0x22, 0x32, 0x02, 0x01, 0x4022, 0x100022) | (below(2) ? 0 : 0x10);
            addr = victim_addr();
        }
        if ((fl & 0x10) && !in_victim(addr))
            fl &= ~0x10ULL;
        uint64_t l = (fl & 0x10) ? victim_len(addr) : PICK(0, 1, PAGE, 1 << 20, 1ULL << 40, -1);
        nr = 222;
        r = raw(nr, addr, l, PICK(0, 1, 3, 4, 7, flags()), fl, fd(), PICK(0, PAGE, 1, -PAGE));
        break;
    }
    case 65: { /* munmap */
        uint64_t a = victim_addr();
        nr = 215; r = raw(nr, a, victim_len(a), 0, 0, 0, 0);
        break;
    }
    case 66: { /* mremap: the old range in the victim; MREMAP_FIXED only into it */
        uint64_t fl = PICK(0, 1, 3, 4, flags()) & ~2ULL;
        uint64_t a = victim_addr();
        nr = 216; r = raw(nr, a, victim_len(a), PICK(PAGE, 2 * PAGE, 1ULL << 40, 0, -1), fl, 0, 0);
        break;
    }
    case 67: { /* mprotect */
        uint64_t a = victim_addr();
        nr = 226; r = raw(nr, a, victim_len(a), PICK(0, 1, 3, 5, 7, flags()), 0, 0, 0);
        break;
    }
    case 68: nr = PICK(227, 228, 229); r = raw(nr, ptr(), len(), PICK(0, 1, 4, 6, flags()), 0, 0, 0); break;
    case 69: { /* madvise */
        uint64_t a = victim_addr();
        nr = 233; r = raw(nr, a, victim_len(a), PICK(0, 1, 2, 3, 4, 8, 9, 100, flags()), 0, 0, 0);
        break;
    }
    case 70: { /* the rest of the table: wait4, flush_icache, renameat2, getrandom, statx, ... */
        nr = PICK(19, 20, 71, 72, 102, 103, 258, 259, 260, 276, 278, 279, 283, 291, 293, 436, 439,
                  21, 22, 74, 85, 86, 87, 107, 108, 109, 111, 137);
        uint64_t a[6] = {next(), next(), next(), next(), next(), next()};
        switch (nr) {
        case 260: a[0] = PICK(-1, 0, 1, 99999); a[1] = ptr(); a[2] = 1 /* WNOHANG */; a[3] = ptr(); break;
        case 276: a[0] = dirfd(); a[1] = path(); a[2] = dirfd(); a[3] = path(); a[4] = PICK(0, 1, 2, 4, flags()); break;
        case 278: a[0] = ptr(); a[1] = len(); a[2] = PICK(0, 1, 2, 4, flags()) | 1 /* GRND_NONBLOCK */; break;
        case 291: a[0] = dirfd(); a[1] = path(); a[2] = PICK(0, 0x100, 0x1000, flags()); a[3] = flags(); a[4] = ptr(); break;
        case 19: a[1] |= 04000; break; /* eventfd2: EFD_NONBLOCK, so no read of it blocks */
        case 74: a[0] = PICK(-1, fd()); a[1] = ptr(); a[2] = PICK(8, 0, 16); a[3] |= 04000; break; /* signalfd4 */
        case 85: a[1] |= 04000; break; /* timerfd_create: non-blocking too */
        case 21: a[0] = fd(); a[1] = PICK(1, 2, 3, 0, 4); a[2] = fd(); a[3] = ptr(); break; /* epoll_ctl */
        case 22: a[0] = fd(); a[1] = ptr(); a[2] = PICK(1, 8, 0, -1); a[3] = 0; a[4] = PICK(0, ptr()); a[5] = PICK(8, 0); break;
        case 86: a[0] = fd(); a[2] = ptr(); a[3] = PICK(0, ptr()); break; /* timerfd_settime: no signal */
        case 107: a[1] = 0; a[2] = ptr(); break; /* timer_create: SIGALRM by default, never armed */
        case 137: a[0] = ptr(); a[1] = PICK(0, ptr()); a[2] = timeout(); a[3] = PICK(8, 0); break; /* sigtimedwait */
        case 103: a[1] = 0; break;     /* setitimer: never armed (its signal would end the run) */
        case 436: a[0] = PICK(3, 10, MARKER_FD + 1); a[1] = PICK(3, 5, MARKER_FD - 1); a[2] = PICK(0, 2, 4); break;
        case 439: a[0] = dirfd(); a[1] = path(); a[2] = flags(); a[3] = flags(); break;
        case 72: a[4] = timeout(); a[0] = below(64); a[1] = ptr(); a[2] = ptr(); a[3] = ptr(); break;
        default: a[0] = PICK(a[0], fd(), ptr()); a[1] = PICK(a[1], ptr(), len()); a[2] = PICK(a[2], len(), 0); break;
        }
        r = raw(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        break;
    }
    default: /* numbers nothing serves: must be -ENOSYS */
        nr = PICK(1, 500, 1000, 4096, 1ULL << 32, -1, 0x7fffffffffffffffLL, 450 + below(50));
        r = raw(nr, next(), next(), next(), next(), next(), next());
        if (r != -38) {
            MARKER_LOG("syscall_storm: unknown call %ld returned %ld\n", nr, r);
            exit(1);
        }
        break;
    }
    (void)r;
    return nr;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: syscall_storm SEED CALLS [-v]\n");
        return 2;
    }
    uint64_t seed = strtoull(argv[1], NULL, 0);
    long calls = strtol(argv[2], NULL, 0);
    verbose = argc == 4 && strcmp(argv[3], "-v") == 0;
    rng = seed * 0x9e3779b97f4a7c15ULL + 1;
    if (fcntl(1, F_DUPFD, MARKER_FD) != MARKER_FD) {
        perror("syscall_storm: marker fd");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    brk0 = (uint64_t)raw(214, 0, 0, 0, 0, 0, 0);
    scratch = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    rodata = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    iovpage = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    /* The victim with a guard page on each side, so nothing else borders it. */
    victim = mmap(NULL, (VICTIM_PAGES + 2) * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (scratch == MAP_FAILED || rodata == MAP_FAILED || iovpage == MAP_FAILED || victim == MAP_FAILED) {
        perror("syscall_storm: mmap");
        return 2;
    }
    for (int i = 0; i < 2 * PAGE; i++)
        scratch[i] = (uint8_t)next();
    memset(rodata, 'a', PAGE); /* a path with no NUL before the guard page */
    /* Guards are PROT_NONE pages, not holes: a random mmap may fill a hole. */
    mprotect(victim, PAGE, PROT_NONE);
    victim += PAGE;
    mprotect(victim + VICTIM_PAGES * PAGE, PAGE, PROT_NONE);
    mprotect(scratch + 2 * PAGE, PAGE, PROT_NONE);
    mprotect(rodata + PAGE, PAGE, PROT_NONE);
    mprotect(rodata, PAGE, PROT_READ);
    memset(longpath, 'x', sizeof(longpath) - 1);
    for (size_t i = 100; i < sizeof(longpath) - 1; i += 101)
        longpath[i] = '/';
    for (int i = 0; i < 16; i++)
        pool[i] = -1;

    long last = 0;
    for (long i = 0; i < calls; i++)
        last = one_call();
    MARKER_LOG("\nsyscall_storm: end seed=%llu calls=%ld last=%ld\n", (unsigned long long)seed, calls, last);
    return 0;
}
