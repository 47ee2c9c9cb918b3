/* Terminal ioctls: the guest's riscv64 struct termios (asm-generic termbits:
 * four u32 flag words, c_line, c_cc[19]) converted bit by bit to and from the
 * host's POSIX termios, so the layer is right whatever the host's values. */
#include "syscall.h"

#include <errno.h>
#include <string.h>
#include <termios.h>

typedef struct bitmap {
    uint32_t lx;
    tcflag_t host;
} bitmap;

static const bitmap iflags[] = {
    { 01, IGNBRK },    { 02, BRKINT }, { 04, IGNPAR }, { 010, PARMRK },  { 020, INPCK },
    { 040, ISTRIP },   { 0100, INLCR }, { 0200, IGNCR }, { 0400, ICRNL }, { 02000, IXON },
    { 04000, IXANY },  { 010000, IXOFF },
#ifdef IMAXBEL
    { 020000, IMAXBEL },
#endif
#ifdef IUTF8
    { 040000, IUTF8 },
#endif
};

static const bitmap oflags[] = {
    { 01, OPOST },
#ifdef ONLCR
    { 04, ONLCR },
#endif
#ifdef OCRNL
    { 010, OCRNL },
#endif
#ifdef ONOCR
    { 020, ONOCR },
#endif
#ifdef ONLRET
    { 040, ONLRET },
#endif
};

static const bitmap cflags[] = {
    { 0100, CSTOPB }, { 0200, CREAD },  { 0400, PARENB },
    { 01000, PARODD }, { 02000, HUPCL }, { 04000, CLOCAL },
};

static const bitmap lflags[] = {
    { 01, ISIG },     { 02, ICANON },   { 010, ECHO },     { 020, ECHOE },   { 040, ECHOK },
    { 0100, ECHONL }, { 0200, NOFLSH }, { 0400, TOSTOP },
#ifdef ECHOCTL
    { 01000, ECHOCTL },
#endif
#ifdef ECHOPRT
    { 02000, ECHOPRT },
#endif
#ifdef ECHOKE
    { 04000, ECHOKE },
#endif
    { 0100000, IEXTEN },
};

/* Linux c_cc index -> host index. */
static const struct {
    int lx, host;
} ccs[] = {
    { 0, VINTR }, { 1, VQUIT }, { 2, VERASE }, { 3, VKILL }, { 4, VEOF }, { 5, VTIME },
    { 6, VMIN },  { 8, VSTART }, { 9, VSTOP }, { 10, VSUSP }, { 11, VEOL },
#ifdef VREPRINT
    { 12, VREPRINT },
#endif
#ifdef VDISCARD
    { 13, VDISCARD },
#endif
#ifdef VWERASE
    { 14, VWERASE },
#endif
#ifdef VLNEXT
    { 15, VLNEXT },
#endif
#ifdef VEOL2
    { 16, VEOL2 },
#endif
};

/* Linux CBAUD codes (index) and the host speed constants. */
static const struct {
    uint32_t lx;
    speed_t host;
} speeds[] = {
    { 0, B0 },       { 1, B50 },      { 2, B75 },      { 3, B110 },     { 4, B134 },
    { 5, B150 },     { 6, B200 },     { 7, B300 },     { 8, B600 },     { 9, B1200 },
    { 10, B1800 },   { 11, B2400 },   { 12, B4800 },   { 13, B9600 },   { 14, B19200 },
    { 15, B38400 },  { 010001, B57600 }, { 010002, B115200 }, { 010003, B230400 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t to_lx(tcflag_t host, const bitmap *m, size_t n)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++)
        if ((host & m[i].host) == m[i].host)
            v |= m[i].lx;
    return v;
}

static tcflag_t to_host(uint32_t lx, const bitmap *m, size_t n)
{
    tcflag_t v = 0;
    for (size_t i = 0; i < n; i++)
        if (lx & m[i].lx)
            v |= m[i].host;
    return v;
}

int usys_is_tty(uproc *p, int hostfd)
{
    struct termios t;
    int r = host_tcgetattr(p->host, hostfd, &t);
    return r < 0 ? -ENOTTY : 0;
}

int usys_termios_get(uproc *p, int hostfd, uint64_t va)
{
    struct termios t;
    int r = host_tcgetattr(p->host, hostfd, &t);
    if (r < 0)
        return -ENOTTY;
    uint8_t b[36];
    memset(b, 0, sizeof(b));
    usys_put32(b, 0, to_lx(t.c_iflag, iflags, N(iflags)));
    usys_put32(b, 4, to_lx(t.c_oflag, oflags, N(oflags)));
    uint32_t c = to_lx(t.c_cflag, cflags, N(cflags));
    switch (t.c_cflag & CSIZE) {
    case CS6: c |= 020; break;
    case CS7: c |= 040; break;
    case CS8: c |= 060; break;
    default: break;
    }
    speed_t sp = cfgetospeed(&t);
    for (size_t i = 0; i < N(speeds); i++)
        if (speeds[i].host == sp)
            c |= speeds[i].lx;
    usys_put32(b, 8, c);
    usys_put32(b, 12, to_lx(t.c_lflag, lflags, N(lflags)));
    for (size_t i = 0; i < N(ccs); i++)
        b[17 + ccs[i].lx] = (uint8_t)t.c_cc[ccs[i].host];
    return umem_write(p, va, b, sizeof(b));
}

int usys_termios_set(uproc *p, int hostfd, int when, uint64_t va)
{
    uint8_t b[36];
    int r = umem_read(p, va, b, sizeof(b));
    if (r < 0)
        return r;
    struct termios t;
    r = host_tcgetattr(p->host, hostfd, &t); /* keep host-only fields */
    if (r < 0)
        return -ENOTTY;
    t.c_iflag = to_host(usys_get32(b, 0), iflags, N(iflags));
    t.c_oflag = to_host(usys_get32(b, 4), oflags, N(oflags));
    uint32_t c = usys_get32(b, 8);
    t.c_cflag = to_host(c, cflags, N(cflags));
    static const tcflag_t sizes[4] = { CS5, CS6, CS7, CS8 };
    t.c_cflag |= sizes[(c >> 4) & 3];
    t.c_lflag = to_host(usys_get32(b, 12), lflags, N(lflags));
    for (size_t i = 0; i < N(ccs); i++)
        t.c_cc[ccs[i].host] = b[17 + ccs[i].lx];
    for (size_t i = 0; i < N(speeds); i++)
        if (speeds[i].lx == (c & 010017)) {
            cfsetispeed(&t, speeds[i].host);
            cfsetospeed(&t, speeds[i].host);
        }
    static const int whens[3] = { TCSANOW, TCSADRAIN, TCSAFLUSH };
    return host_tcsetattr(p->host, hostfd, whens[when], &t);
}
