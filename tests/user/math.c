/* libm and floating point: transcendental functions printed with %.17g
 * (glibc's libm is correctly rounded or deterministic, so qemu and splitvm
 * must agree to the last bit), the four rounding modes, exceptions flags,
 * float/double conversions, fused multiply-add, NaN and infinity. */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "check.h"

static volatile double vd[] = {0.5, 1.0, 2.718281828459045, -3.25, 1e-300, 1e300, 123456.789};

static uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

int main(void)
{
    for (unsigned i = 0; i < sizeof vd / sizeof vd[0]; i++) {
        double x = vd[i];
        printf("x=%.17g sin=%.17g cos=%.17g exp=%.17g log=%.17g pow=%.17g\n", x, sin(x), cos(x), exp(x / 100),
               log(fabs(x)), pow(fabs(x), 0.37));
    }
    CHECK(fabs(sin(M_PI / 6) - 0.5) < 1e-15);
    CHECK(fabs(cos(M_PI / 3) - 0.5) < 1e-15);
    CHECK(exp(0.0) == 1.0 && log(1.0) == 0.0);
    CHECK(pow(2.0, 10.0) == 1024.0);
    CHECK(sqrt(2.0) * sqrt(2.0) - 2.0 < 1e-15);
    printf("sqrt(2)=%.17g cbrt(27)=%.17g atan2=%.17g tanh=%.17g\n", sqrt(2.0), cbrt(27.0), atan2(1.0, -1.0), tanh(0.5));
    float fx = 1.1f;
    printf("sinf=%.9g expf=%.9g sqrtf=%.9g\n", sinf(fx), expf(fx), sqrtf(fx));

    /* Rounding modes: 1/3 and -1/3 rounded four ways; rint follows the mode. */
    static const int modes[] = {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO};
    static const char *names[] = {"nearest", "downward", "upward", "towardzero"};
    volatile double one = 1.0, three = 3.0, h = 2.5, nh = -2.5;
    volatile float fone = 1.0f, fthree = 3.0f;
    const double third = one / three; /* round to nearest (the default) */
    for (int i = 0; i < 4; i++) {
        CHECK(fesetround(modes[i]) == 0);
        CHECK(fegetround() == modes[i]);
        double q = one / three, nq = -one / three;
        float fq = fone / fthree;
        double r1 = rint(h), r2 = rint(nh);
        long l = lrint(h);
        volatile double big = 1e16;
        double s = big + one; /* not representable: rounding decides */
        printf("%-10s 1/3=%a -1/3=%a f1/3=%a rint(2.5)=%g rint(-2.5)=%g lrint=%ld 1e16+1=%.17g\n", names[i], q, nq,
               (double)fq, r1, r2, l, s);
        /* 1/3 is below its nearest double's midpoint: nearest rounds down. */
        if (modes[i] == FE_DOWNWARD)
            CHECK(q == third && nq < -third && r1 == 2.0 && r2 == -3.0 && s == 1e16);
        if (modes[i] == FE_UPWARD)
            CHECK(q > third && nq == -third && r1 == 3.0 && r2 == -2.0 && s == 1.0000000000000002e16);
        if (modes[i] == FE_TOWARDZERO)
            CHECK(q == third && nq == -third && r1 == 2.0 && r2 == -2.0 && s == 1e16);
        if (modes[i] == FE_TONEAREST)
            CHECK(q == third && nq == -third && r1 == 2.0 && r2 == -2.0 && s == 1e16);
    }
    CHECK(fesetround(FE_TONEAREST) == 0);

    /* Exception flags. */
    feclearexcept(FE_ALL_EXCEPT);
    volatile double zero = 0.0;
    volatile double inf = one / zero;
    CHECK(fetestexcept(FE_DIVBYZERO));
    CHECK(isinf(inf));
    feclearexcept(FE_ALL_EXCEPT);
    volatile double nan1 = zero / zero;
    CHECK(fetestexcept(FE_INVALID));
    CHECK(isnan(nan1));
    feclearexcept(FE_ALL_EXCEPT);
    volatile double tiny = DBL_MIN;
    volatile double und = tiny * tiny;
    CHECK(fetestexcept(FE_UNDERFLOW) && fetestexcept(FE_INEXACT));
    CHECK(und == 0.0);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double ex = one + one;
    CHECK(!fetestexcept(FE_INEXACT) && ex == 2.0);
    printf("exception flags ok\n");

    /* RISC-V canonical NaN and conversions that saturate. */
    printf("nan bits=%016llx\n", (unsigned long long)bits(nan1));
    volatile double huge = 1e30, neg = -1e30, vnan = nan1;
    printf("(long)1e30 via lrint=%ld\n", lrint(huge));
    printf("fma=%.17g\n", fma(0.1, 10.0, -1.0));
    printf("nextafter=%.17g ldexp=%.17g frexp-exp=", nextafter(1.0, 2.0), ldexp(0.75, 12));
    int e;
    double m = frexp(96.0, &e);
    printf("%d mant=%g\n", e, m);
    printf("fmin=%g fmax=%g copysign=%g\n", fmin(vnan, 3.0), fmax(-0.0, 0.0), copysign(3.0, neg));
    (void)huge;
    float fsub = 1e-40f; /* subnormal float */
    printf("subnormal float=%a double(%a)\n", (double)fsub, (double)(fsub * 2));
    printf("strtod=%.17g\n", strtod("0.1e-5", NULL));
    printf("DBL_EPSILON=%.17g FLT_MAX=%.9g\n", DBL_EPSILON, (double)FLT_MAX);
    return 0;
}
