/* Job control through the emulator: this guest has no SIGTSTP handler, so
 * Ctrl-Z (SIGTSTP to the emulator) must stop the emulator itself, as it
 * would stop the program run natively, and SIGCONT must let it go on.
 * jobstop.sh drives it; SIGUSR1 ends the wait. */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

static volatile sig_atomic_t done;

static void on_usr1(int sig)
{
    (void)sig;
    done = 1;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_usr1;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    printf("ready\n");
    fflush(stdout);
    while (!done)
        pause();
    printf("done\n");
    return 0;
}
