/* Environment and auxiliary vector. The runner passes a fixed environment. */
#include <elf.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>
#include "check.h"

extern char **environ;

int main(void)
{
    int n = 0;
    for (char **e = environ; *e; e++)
        n++;
    printf("envc=%d\n", n);
    const char *foo = getenv("SPLITVM_TEST_FOO");
    CHECK(foo != NULL);
    printf("SPLITVM_TEST_FOO=%s\n", foo);
    const char *empty = getenv("SPLITVM_TEST_EMPTY");
    CHECK(empty != NULL && empty[0] == '\0');
    CHECK(getenv("SPLITVM_TEST_UNSET") == NULL);
    CHECK(setenv("SPLITVM_TEST_NEW", "42", 1) == 0);
    CHECK(strcmp(getenv("SPLITVM_TEST_NEW"), "42") == 0);

    unsigned long pagesz = getauxval(AT_PAGESZ);
    printf("AT_PAGESZ=%lu\n", pagesz);
    CHECK(pagesz == 4096);
    CHECK((unsigned long)sysconf(_SC_PAGESIZE) == pagesz);
    unsigned long hwcap = getauxval(AT_HWCAP);
    CHECK(hwcap != 0);
    /* Single-letter extensions: bit ('x' - 'a'). RV64GC has I M A F D C. */
    const char *ext = "imafdc";
    for (const char *c = ext; *c; c++)
        CHECK(hwcap & (1UL << (*c - 'a')));
    printf("AT_HWCAP has imafdc\n");
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    CHECK(rnd != NULL);
    int nonzero = 0;
    for (int i = 0; i < 16; i++)
        nonzero |= rnd[i];
    CHECK(nonzero);
    printf("AT_RANDOM ok\n");
    CHECK(getauxval(AT_PHDR) != 0);
    CHECK(getauxval(AT_ENTRY) != 0);
    CHECK(getauxval(AT_PHENT) == sizeof(Elf64_Phdr));
    printf("AT_PHDR/AT_ENTRY/AT_PHENT ok\n");
    return 0;
}
