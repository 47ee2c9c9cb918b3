/* A dynamically linked program that loads libm at run time (dlopen/dlsym),
 * as plug-in hosts do: the dynamic loader maps a library the program was not
 * linked with, through the guest's file system (the -L sysroot). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <string.h>
#include "check.h"

static int count_objects(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)info;
    (void)size;
    ++*(int *)data;
    return 0;
}

int main(void)
{
    int before = 0, after = 0;
    dl_iterate_phdr(count_objects, &before);
    void *m = dlopen("libm.so.6", RTLD_NOW | RTLD_LOCAL);
    if (!m) {
        printf("dlopen: %s\n", dlerror());
        return 1;
    }
    double (*cosine)(double) = (double (*)(double))dlsym(m, "cos");
    double (*power)(double, double) = (double (*)(double, double))dlsym(m, "pow");
    CHECK(cosine && power);
    printf("cos(0) = %.6f, cos(1) = %.6f\n", cosine(0.0), cosine(1.0));
    printf("pow(2, 10) = %.1f\n", power(2.0, 10.0));
    CHECK(dlsym(m, "no_such_symbol_here") == NULL);
    dl_iterate_phdr(count_objects, &after);
    printf("one more object loaded: %s\n", after == before + 1 ? "yes" : "no");
    Dl_info info;
    CHECK(dladdr((void *)cosine, &info) != 0);
    const char *slash = strrchr(info.dli_fname, '/');
    printf("cos lives in %s\n", slash ? slash + 1 : info.dli_fname);
    CHECK_EQ_LL(dlclose(m), 0);
    CHECK(dlopen("libdoesnotexist.so.9", RTLD_NOW) == NULL);
    printf("missing library refused\n");
    return 0;
}
