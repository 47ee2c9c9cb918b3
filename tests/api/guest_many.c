/* Guest for test_many_machines: guest_many SEED OUTFILE [wait].
 *
 * Holds host resources while it works (its output file open, a pipe, an
 * anonymous mapping, heap), so a machine destroyed mid-run has all of them
 * to release. The work depends on SEED (1-4 rounds over a 4 KiB buffer), so
 * machines running side by side end at different times. At the end it writes
 * "seed S result H\n" (H in hex) to OUTFILE and exits with status
 * 1 + H % 120; 125 if one of its own checks failed. test_many_machines
 * computes the same H (many_result) and checks both. With "wait" it never
 * ends: after the work it blocks reading its empty pipe, in the system call,
 * holding everything (the machine reports SVM_STOP_WAITING). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "many_result.h"

int main(int argc, char **argv)
{
    if (argc != 3 && !(argc == 4 && !strcmp(argv[3], "wait")))
        return 125;
    unsigned long long seed = strtoull(argv[1], NULL, 10);
    int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int p[2];
    if (out < 0 || pipe(p) != 0)
        return 125;
    if (write(p[1], &seed, sizeof seed) != (ssize_t)sizeof seed)
        return 125;
    unsigned char *buf = mmap(NULL, MANY_BUF, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *heap = malloc(64 * 1024);
    if (buf == MAP_FAILED || !heap)
        return 125;
    memset(heap, 1, 64 * 1024);

    unsigned long long h = many_result(seed, buf);

    unsigned long long back = 0;
    if (read(p[0], &back, sizeof back) != (ssize_t)sizeof back || back != seed || heap[4321] != 1)
        return 125;
    if (argc == 4) {
        char c;
        read(p[0], &c, 1); /* nobody writes: waits until the machine is destroyed */
        return 125;
    }
    char line[80];
    int n = snprintf(line, sizeof line, "seed %llu result %llx\n", seed, h);
    if (write(out, line, (size_t)n) != n || close(out) != 0)
        return 125;
    free(heap);
    munmap(buf, MANY_BUF);
    close(p[0]);
    close(p[1]);
    return (int)(1 + h % 120);
}
