/* Dense double matrix multiply (i-k-j order) plus an integer matrix
 * product: loads/stores and multiply-add in tight loops. usage: matmul [n] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 400;
    double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n);
    double *c = calloc((size_t)n * n, sizeof(double));
    int32_t *ia = malloc(sizeof(int32_t) * n * n), *ic = calloc((size_t)n * n, sizeof(int32_t));
    if (!a || !b || !c || !ia || !ic)
        return 1;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[i * n + j] = (double)((i * 7 + j * 3) % 17) / 16.0;
            b[i * n + j] = (double)((i * 5 + j * 11) % 13) / 12.0;
            ia[i * n + j] = (i * 31 + j * 17) % 101 - 50;
        }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            double aik = a[i * n + k];
            int32_t iaik = ia[i * n + k];
            for (int j = 0; j < n; j++) {
                c[i * n + j] += aik * b[k * n + j];
                ic[i * n + j] += iaik * ia[k * n + j];
            }
        }
    double trace = 0, sum = 0;
    int64_t isum = 0;
    for (int i = 0; i < n; i++) {
        trace += c[i * n + i];
        for (int j = 0; j < n; j++) {
            sum += c[i * n + j];
            isum += ic[i * n + j] * (int64_t)((i ^ j) & 7);
        }
    }
    printf("n=%d trace=%.6f sum=%.6f isum=%lld\n", n, trace, sum, (long long)isum);
    return 0;
}
