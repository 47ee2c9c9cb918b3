/* The "compiler" of procs.make's project: fakecc -o OUT IN...
 * forks a child per input; child i reads IN i and writes OUT.part<i> (a
 * header line naming the input, then each line numbered), the parent waits
 * for every child, checks that each exited 0, then joins the parts into OUT
 * in input order and removes them. Deterministic output (no pids, no
 * times), so a build under splitvm and a native one produce the same
 * bytes. Built for riscv64 (the guest) and for the host (the reference). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void part_name(char *buf, size_t size, const char *out, int i)
{
    snprintf(buf, size, "%s.part%d", out, i);
}

/* The child's job: IN numbered into PART. */
static int translate(const char *in, const char *part)
{
    FILE *src = fopen(in, "r");
    if (!src) {
        fprintf(stderr, "fakecc: %s: %s\n", in, strerror(errno));
        return 1;
    }
    FILE *dst = fopen(part, "w");
    if (!dst) {
        fprintf(stderr, "fakecc: %s: %s\n", part, strerror(errno));
        fclose(src);
        return 1;
    }
    char line[4096];
    int n = 0;
    fprintf(dst, "# from %s\n", in);
    while (fgets(line, sizeof line, src))
        fprintf(dst, "%d: %s", ++n, line);
    fclose(src);
    return fclose(dst) == 0 ? 0 : 1;
}

/* Appends PART to DST and removes it. */
static int join(FILE *dst, const char *part)
{
    FILE *src = fopen(part, "r");
    if (!src) {
        fprintf(stderr, "fakecc: %s: %s\n", part, strerror(errno));
        return 1;
    }
    char buf[4096];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, src)) > 0)
        fwrite(buf, 1, got, dst);
    fclose(src);
    return unlink(part);
}

int main(int argc, char **argv)
{
    if (argc < 4 || strcmp(argv[1], "-o") != 0) {
        fprintf(stderr, "usage: fakecc -o OUT IN...\n");
        return 2;
    }
    const char *out = argv[2];
    int inputs = argc - 3;
    char part[4096];
    pid_t *kids = calloc((size_t)inputs, sizeof *kids);
    if (!kids)
        return 1;
    for (int i = 0; i < inputs; i++) {
        part_name(part, sizeof part, out, i);
        kids[i] = fork();
        if (kids[i] < 0) {
            perror("fakecc: fork");
            return 1;
        }
        if (kids[i] == 0)
            _exit(translate(argv[3 + i], part));
    }
    int failed = 0;
    for (int i = 0; i < inputs; i++) {
        int status;
        if (waitpid(kids[i], &status, 0) != kids[i] || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed = 1;
    }
    free(kids);
    if (failed) {
        fprintf(stderr, "fakecc: a child failed\n");
        return 1;
    }
    FILE *dst = fopen(out, "w");
    if (!dst) {
        fprintf(stderr, "fakecc: %s: %s\n", out, strerror(errno));
        return 1;
    }
    fprintf(dst, "# fakecc of %d inputs\n", inputs);
    for (int i = 0; i < inputs; i++) {
        part_name(part, sizeof part, out, i);
        if (join(dst, part) != 0)
            failed = 1;
    }
    return fclose(dst) == 0 && !failed ? 0 : 1;
}
