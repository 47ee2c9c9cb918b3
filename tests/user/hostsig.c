/* Host signals sent to the emulator reach the guest's handlers: the test
 * script (hostsig.sh) sends one after each line this prints. A wait in
 * pause() or in a read ends with EINTR, the handler having run. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static volatile sig_atomic_t got;

static void on_signal(int sig)
{
    got = sig;
}

int main(void)
{
    static const int sigs[] = {SIGINT, SIGHUP, SIGWINCH, SIGUSR1, SIGTSTP, SIGQUIT};
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        CHECK(sigaction(sigs[i], &sa, NULL) == 0);
    printf("ready\n");
    fflush(stdout);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        got = 0;
        int r;
        if (i % 2 == 0) {
            while (!got)
                pause();
            r = -1;
        } else { /* a read from a pipe nobody writes to: EINTR */
            int fds[2];
            char c;
            CHECK(pipe(fds) == 0);
            r = (int)read(fds[0], &c, 1);
            CHECK(r == -1 && errno == EINTR);
            close(fds[0]);
            close(fds[1]);
        }
        printf("got %s%s\n", strsignal(got), r == -1 && i % 2 ? " (read interrupted)" : "");
        fflush(stdout);
    }
    /* Last: SIGTERM with its default action ends the guest, and the
     * emulator dies by it too. */
    printf("waiting for SIGTERM\n");
    fflush(stdout);
    for (;;)
        pause();
}
