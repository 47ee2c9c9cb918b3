/* Guest for test_proxy_services: prints what it gets from the clock, the
 * random source, the console input and a host file, and leaves files open
 * at exit (the embedder checks they were all closed by svm_destroy). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct timespec rt, m1, m2, co;
    clock_gettime(CLOCK_REALTIME, &rt);
    clock_gettime(CLOCK_REALTIME_COARSE, &co);
    printf("realtime: %lld.%09ld coarse %lld\n", (long long)rt.tv_sec, rt.tv_nsec, (long long)co.tv_sec);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("gettimeofday: %lld.%06ld time %lld\n", (long long)tv.tv_sec, (long)tv.tv_usec, (long long)time(NULL));
    clock_gettime(CLOCK_MONOTONIC, &m1);
    clock_gettime(CLOCK_BOOTTIME, &m2);
    printf("monotonic: %lld s, advances %d\n", (long long)m1.tv_sec,
           m2.tv_sec > m1.tv_sec || (m2.tv_sec == m1.tv_sec && m2.tv_nsec > m1.tv_nsec));
    unsigned long t;
    __asm__ volatile("rdtime %0" : "=r"(t));
    printf("rdtime: %lu s\n", t / 10000000);

    unsigned char r[8];
    if (getrandom(r, sizeof(r), 0) != sizeof(r))
        return 1;
    printf("getrandom:");
    for (int i = 0; i < 8; i++)
        printf(" %02x", r[i]);
    const unsigned char *at = (const unsigned char *)getauxval(AT_RANDOM);
    printf("\nAT_RANDOM:");
    for (int i = 0; at && i < 4; i++)
        printf(" %02x", at[i]);
    printf("\n");

    char line[64] = "";
    if (fgets(line, sizeof(line), stdin))
        printf("stdin: %s", line);
    printf("stdin then: %s\n", fgets(line, sizeof(line), stdin) ? "more" : "end");
    printf("isatty(1): %d\n", isatty(1));

    /* With no file group the guest still sees the host's files. */
    int fd = argc > 1 ? open(argv[1], O_RDONLY) : -1;
    printf("host file: %s\n", fd >= 0 ? "opened" : "failed");
    dup(fd); /* left open on purpose */
    fprintf(stderr, "err line\n");
    return 3;
}
