/* system(), posix_spawn() and popen() of glibc (clone with CLONE_VM |
 * CLONE_VFORK on a stack of their own, then execve of /bin/sh) inside a
 * -L sysroot whose /bin/sh is busybox. Output: spawn.expected. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
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
    FILE *f = popen("echo via popen", "r");
    char buf[64] = "";
    fgets(buf, sizeof buf, f);
    printf("popen read: %s", buf);
    printf("pclose: %d\n", pclose(f));
    return 0;
}
