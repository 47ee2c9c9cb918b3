/* Guest processes (issue 20): fork, exit statuses, wait4/waitid, pipes and
 * dup2 across fork, execve (of itself, and of a "#!" script when one is
 * given), getppid, process groups, kill between processes and SIGCHLD.
 * Prints one line per check; the expected output is procs.expected. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    fflush(stdout);
    if (!ok)
        failures++;
}

static volatile sig_atomic_t got_chld, got_usr1;
static void on_chld(int s) { (void)s; got_chld++; }
static void on_usr1(int s) { (void)s; got_usr1++; }

static void fork_exit_status(void)
{
    pid_t c = fork();
    if (c == 0)
        _exit(42);
    int st = 0;
    pid_t w = waitpid(c, &st, 0);
    check(w == c && WIFEXITED(st) && WEXITSTATUS(st) == 42, "fork, _exit(42), waitpid status");
    check(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD, "no children left: ECHILD");
}

static void memory_is_copied(void)
{
    static int shared_value = 1;
    int *heap = malloc(sizeof(int));
    *heap = 10;
    pid_t c = fork();
    if (c == 0) {
        shared_value = 2;
        *heap = 20;
        _exit(shared_value + *heap == 22 ? 0 : 1);
    }
    int st;
    waitpid(c, &st, 0);
    check(WEXITSTATUS(st) == 0 && shared_value == 1 && *heap == 10, "child writes its own copy of memory");
    free(heap);
}

static void pipe_across_fork(void)
{
    int fd[2];
    if (pipe(fd) != 0)
        return check(0, "pipe");
    pid_t c = fork();
    if (c == 0) {
        close(fd[0]);
        dup2(fd[1], 1);
        close(fd[1]);
        for (int i = 0; i < 2000; i++)
            printf("line %d\n", i);
        fflush(stdout);
        _exit(0);
    }
    close(fd[1]);
    char buf[4096];
    long total = 0, lines = 0;
    ssize_t n;
    while ((n = read(fd[0], buf, sizeof(buf))) > 0) {
        total += n;
        for (ssize_t i = 0; i < n; i++)
            lines += buf[i] == '\n';
    }
    close(fd[0]);
    int st;
    waitpid(c, &st, 0);
    check(lines == 2000 && total == 18890 && n == 0, "2000 lines through a pipe and dup2, then EOF");
}

static void two_children_pipeline(void)
{
    /* producer | consumer, the parent waits for both */
    int fd[2];
    pipe(fd);
    pid_t a = fork();
    if (a == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        for (int i = 1; i <= 100; i++)
            printf("%d\n", i);
        fflush(stdout);
        _exit(0);
    }
    int res[2];
    pipe(res);
    pid_t b = fork();
    if (b == 0) {
        dup2(fd[0], 0);
        close(fd[0]);
        close(fd[1]);
        close(res[0]);
        long sum = 0, v;
        while (scanf("%ld", &v) == 1)
            sum += v;
        dprintf(res[1], "%ld", sum);
        _exit(3);
    }
    close(fd[0]);
    close(fd[1]);
    close(res[1]);
    char buf[32] = {0};
    read(res[0], buf, sizeof(buf) - 1);
    close(res[0]);
    int sa, sb;
    pid_t w1 = wait(&sa), w2 = wait(&sb);
    int ok = ((w1 == a && w2 == b) || (w1 == b && w2 == a)) && strcmp(buf, "5050") == 0;
    int stb = w1 == b ? sa : sb;
    check(ok && WEXITSTATUS(stb) == 3, "producer | consumer: sum 5050, statuses collected by wait");
}

static void ids(void)
{
    pid_t me = getpid();
    int fd[2];
    pipe(fd);
    pid_t c = fork();
    if (c == 0) {
        pid_t v[2] = {getppid(), getpid()};
        write(fd[1], v, sizeof(v));
        _exit(0);
    }
    pid_t v[2];
    read(fd[0], v, sizeof(v));
    waitpid(c, NULL, 0);
    close(fd[0]);
    close(fd[1]);
    check(v[0] == me && v[1] == c && c != me, "getppid in the child is the parent, getpid the fork result");
}

static void groups(void)
{
    pid_t c = fork();
    if (c == 0) {
        pause();
        _exit(0);
    }
    check(setpgid(c, c) == 0 && getpgid(c) == c, "setpgid(child, child) makes a new group");
    check(kill(-c, SIGTERM) == 0, "kill(-pgid, SIGTERM)");
    int st;
    check(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "child ended by SIGTERM");
    check(kill(c, 0) == -1 && errno == ESRCH, "reaped child: kill(pid, 0) gives ESRCH");
    pid_t s = fork();
    if (s == 0)
        _exit(setsid() == getpid() && getsid(0) == getpid() && getpgid(0) == getpid() ? 0 : 1);
    waitpid(s, &st, 0);
    check(WEXITSTATUS(st) == 0, "setsid in a child makes a session and group");
}

static void sigchld_and_kill(void)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_chld;
    sigaction(SIGCHLD, &sa, NULL);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) {
        kill(parent, SIGUSR1);
        _exit(7);
    }
    sigset_t none;
    sigemptyset(&none);
    while (!got_chld)
        sigsuspend(&none);
    siginfo_t si;
    memset(&si, 0, sizeof(si));
    check(waitid(P_PID, c, &si, WEXITED) == 0 && si.si_pid == c && si.si_code == CLD_EXITED && si.si_status == 7,
          "waitid reports the exit");
    check(got_chld == 1 && got_usr1 == 1, "SIGCHLD and the child's SIGUSR1 arrived");
    signal(SIGCHLD, SIG_DFL);
}

static void ignored_sigchld_reaps(void)
{
    signal(SIGCHLD, SIG_IGN);
    pid_t c = fork();
    if (c == 0)
        _exit(1);
    int st;
    check(waitpid(c, &st, 0) == -1 && errno == ECHILD, "SIGCHLD ignored: no zombie, waitpid gives ECHILD");
    signal(SIGCHLD, SIG_DFL);
}

static void stop_and_continue(void)
{
    pid_t c = fork();
    if (c == 0)
        for (volatile unsigned long i = 0;; i++) /* busy: stopped between instructions */
            ;
    int st;
    kill(c, SIGSTOP);
    check(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "SIGSTOP: waitpid WUNTRACED reports the stop");
    kill(c, SIGCONT);
    check(waitpid(c, &st, WCONTINUED) == c && WIFCONTINUED(st), "SIGCONT: waitpid WCONTINUED reports it");
    kill(c, SIGKILL);
    check(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "then SIGKILL ends it");
    c = fork();
    if (c == 0) {
        raise(SIGTSTP); /* stops itself until the parent continues it */
        _exit(9);
    }
    siginfo_t si;
    memset(&si, 0, sizeof(si));
    check(waitid(P_PID, c, &si, WSTOPPED) == 0 && si.si_code == CLD_STOPPED && si.si_status == SIGTSTP,
          "raise(SIGTSTP) stops the child: waitid WSTOPPED");
    kill(c, SIGCONT);
    check(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 9, "continued, it exits with 9");
}

static void busy_child_killed(void)
{
    pid_t c = fork();
    if (c == 0)
        for (volatile unsigned long i = 0;; i++)
            ;
    usleep(1000);
    kill(c, SIGKILL);
    int st;
    check(waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "SIGKILL ends a busy child");
}

static void *blocked_thread(void *arg)
{
    char c;
    read(*(int *)arg, &c, 1); /* nobody writes: blocked until execve ends it */
    return NULL;
}

static void exec_self(const char *self, const char *script)
{
    int fd[2];
    pipe(fd);
    pid_t c = fork();
    if (c == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        /* execve from a process with a second thread: that thread ends. */
        static int never[2];
        pipe(never);
        pthread_t t;
        pthread_create(&t, NULL, blocked_thread, &never[0]);
        usleep(1000);
        char *argv[] = {"procs-child", "exec-child", "a b", NULL};
        char *envp[] = {"PROCS_VAR=hello", NULL};
        execve(self, argv, envp);
        _exit(99);
    }
    close(fd[1]);
    char buf[256] = {0};
    size_t n = 0;
    ssize_t r;
    while ((r = read(fd[0], buf + n, sizeof(buf) - 1 - n)) > 0)
        n += (size_t)r;
    close(fd[0]);
    int st;
    waitpid(c, &st, 0);
    check(WEXITSTATUS(st) == 5 && strcmp(buf, "exec: procs-child a b hello\n") == 0, "execve of a static program (from a process with two threads)");
    check(execve("/nonexistent/program", (char *[]){"x", NULL}, (char *[]){NULL}) == -1 && errno == ENOENT,
          "execve of a missing file fails with ENOENT and the caller goes on");
    if (script) {
        c = fork();
        if (c == 0) {
            execve(script, (char *[]){"script", "arg1", NULL}, (char *[]){NULL});
            _exit(98);
        }
        waitpid(c, &st, 0);
        check(WIFEXITED(st) && WEXITSTATUS(st) == 6, "execve of a #! script runs its interpreter");
    }
}

/* Ping-pong with another program: every answer makes the cpu switch
 * between two images. */
static void other_image(const char *other)
{
    int to[2], from[2];
    pipe(to);
    pipe(from);
    pid_t c = fork();
    if (c == 0) {
        dup2(to[0], 0);
        dup2(from[1], 1);
        close(to[0]); close(to[1]); close(from[0]); close(from[1]);
        execl(other, other, (char *)NULL);
        _exit(99);
    }
    close(to[0]);
    close(from[1]);
    FILE *in = fdopen(from[0], "r");
    int ok = 1;
    for (long i = 0; i < 300 && ok; i++) {
        dprintf(to[1], "%ld\n", i);
        long v;
        ok = fscanf(in, "%ld", &v) == 1 && v == 3 * i + 1;
    }
    close(to[1]);
    fclose(in);
    int st;
    waitpid(c, &st, 0);
    check(ok && WIFEXITED(st) && WEXITSTATUS(st) == 0, "300 round trips with a process running another program");
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "exec-child") == 0) {
        const char *v = getenv("PROCS_VAR");
        printf("exec: %s %s %s\n", argv[0], argc > 2 ? argv[2] : "", v ? v : "");
        return 5;
    }
    if (argc >= 2 && strcmp(argv[1], "tree") == 0) { /* test_destroy: processes that all wait */
        for (int i = 0; i < 3; i++)
            if (fork() == 0) {
                if (i == 0 && fork() == 0) /* a grandchild too */
                    pause();
                char c;
                read(0, &c, 1); /* stdin never has data */
                _exit(0);
            }
        wait(NULL);
        return 1;
    }
    if (argc >= 2 && strcmp(argv[1], "script-child") == 0) /* run as a #! interpreter: argv[2] script, argv[3] arg1 */
        return argc == 4 && strcmp(argv[3], "arg1") == 0 ? 6 : 1;
    fork_exit_status();
    memory_is_copied();
    pipe_across_fork();
    two_children_pipeline();
    ids();
    groups();
    sigchld_and_kill();
    busy_child_killed();
    stop_and_continue();
    ignored_sigchld_reaps();
    exec_self(argv[0], argc >= 2 ? argv[1] : NULL);
    if (argc >= 3) {
        other_image(argv[2]);
        /* The other program's memory is gone; a new child may get its host
         * addresses: it must run its own code, not what was there. */
        fork_exit_status();
        memory_is_copied();
    }
    printf("%s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
