/* Sieve of Eratosthenes over a byte array, repeated: memory-bound integer
 * work with simple loops. usage: sieve [limit] [rounds] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    long limit = argc > 1 ? atol(argv[1]) : 20000000;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    unsigned char *composite = malloc(limit + 1);
    if (!composite)
        return 1;
    long count = 0, sum = 0;
    for (int r = 0; r < rounds; r++) {
        memset(composite, 0, limit + 1);
        count = 0;
        sum = 0;
        for (long i = 2; i <= limit; i++) {
            if (composite[i])
                continue;
            count++;
            sum += i;
            for (long j = i * i; j <= limit; j += i)
                composite[j] = 1;
        }
    }
    printf("primes below %ld: %ld, sum %ld\n", limit, count, sum);
    free(composite);
    return 0;
}
