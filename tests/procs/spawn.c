/* system(), posix_spawn() and popen() of glibc (clone with CLONE_VM |
 * CLONE_VFORK on a stack of their own, then execve of /bin/sh) inside a
 * -L sysroot whose /bin/sh is busybox; posix_spawnp with GNU make's
 * attributes (POSIX_SPAWN_RESETIDS: the child calls setresuid/setresgid
 * with its own ids). Output: spawn.expected. */
#define _GNU_SOURCE /* setresuid, setresgid */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
extern char **environ;
int main(void)
{
    int r = system("echo from system; exit 3");
    printf("system: %d\n", WEXITSTATUS(r));
    fflush(stdout);
    pid_t pid;
    char *argv[] = {"sh", "-c", "echo from posix_spawn", NULL};
    int e = posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ);
    int st;
    waitpid(pid, &st, 0);
    printf("posix_spawn: %d status %d\n", e, WEXITSTATUS(st));
    fflush(stdout);
    posix_spawnattr_t attr;
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETSIGMASK);
    char *argv2[] = {"sh", "-c", "echo from posix_spawnp; exit 5", NULL};
    e = posix_spawnp(&pid, "sh", NULL, &attr, argv2, environ);
    posix_spawnattr_destroy(&attr);
    waitpid(pid, &st, 0);
    printf("posix_spawnp resetids: %d status %d\n", e, WEXITSTATUS(st));
    printf("setresuid own ids: %d\n", setresuid((uid_t)-1, geteuid(), getuid()));
    printf("setresgid own ids: %d\n", setresgid(getgid(), (gid_t)-1, getegid()));
    fflush(stdout);
    FILE *f = popen("echo via popen", "r");
    char buf[64] = "";
    fgets(buf, sizeof buf, f);
    printf("popen read: %s", buf);
    printf("pclose: %d\n", pclose(f));
    /* posix_spawn reports a failed execve through the memory it shares with
     * the child (CLONE_VM): the error, not a child exiting with 127. */
    char *argv3[] = {"missing", NULL};
    e = posix_spawn(&pid, "/no/such/program", NULL, NULL, argv3, environ);
    printf("posix_spawn missing: %s\n", e == ENOENT ? "ENOENT" : e == 0 ? "0 (error lost)" : "other error");
    if (e == 0)
        waitpid(pid, &st, 0);
    /* vfork: the child runs in the parent's memory and the parent waits
     * until it ends (or execs), so its store is there when the parent goes on. */
    static volatile int written;
    pid = vfork();
    if (pid == 0) {
        written = 42;
        _exit(7);
    }
    printf("vfork: child wrote %d before the parent went on\n", written);
    waitpid(pid, &st, 0);
    printf("vfork child status %d\n", WEXITSTATUS(st));
    return 0;
}
