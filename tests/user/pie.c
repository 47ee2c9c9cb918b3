/* A static-pie program (ET_DYN, no interpreter) that relocates itself.
 * Debian's riscv64 glibc ships no rcrt1.o, so this one is freestanding: its
 * _start applies its own R_RISCV_RELATIVE relocations, then checks that
 * pointers stored in data (function table, string table) are right and that
 * the auxiliary vector agrees with where it was loaded. Build:
 *   -static-pie -fPIE -nostdlib -ffreestanding */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>

extern const Elf64_Dyn _DYNAMIC[] __attribute__((visibility("hidden")));
extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

static long sys3(long n, long a, long b, long c)
{
    register long a7 __asm__("a7") = n;
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
    return a0;
}

static void sys_exit(int code)
{
    sys3(93, code, 0, 0);
    for (;;)
        ;
}

static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void puts_(const char *s)
{
    sys3(64, 1, (long)s, (long)slen(s));
}

static void putu(unsigned long v)
{
    char b[24];
    int i = 23;
    b[i] = 0;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    puts_(b + i);
}

static void check(int ok, const char *what)
{
    if (!ok) {
        puts_("FAIL ");
        puts_(what);
        puts_("\n");
        sys_exit(1);
    }
}

static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b; }
/* These initialisers are absolute addresses: they need relocating. Not
 * static, so the compiler cannot fold them away. */
int (*ops[])(int, int) = {add, mul};
const char *words[] = {"alpha", "beta", "gamma"};
int value = 1234;
int *value_ptr = &value;

static void relocate(uintptr_t base)
{
    const Elf64_Rela *rela = NULL;
    size_t relasz = 0;
    for (const Elf64_Dyn *d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
        if (d->d_tag == DT_RELA)
            rela = (const Elf64_Rela *)(base + d->d_un.d_ptr);
        else if (d->d_tag == DT_RELASZ)
            relasz = d->d_un.d_val;
    }
    for (size_t i = 0; rela && i < relasz / sizeof *rela; i++) {
        if (ELF64_R_TYPE(rela[i].r_info) == R_RISCV_RELATIVE)
            *(uint64_t *)(base + rela[i].r_offset) = base + rela[i].r_addend;
        else
            sys_exit(2);
    }
}

__attribute__((used)) static void cstart(long *sp)
{
    uintptr_t base = (uintptr_t)&__ehdr_start;
    relocate(base);
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    while (*envp)
        envp++;
    const Elf64_auxv_t *aux = (const Elf64_auxv_t *)(envp + 1);
    uint64_t at_phdr = 0, at_entry = 0, at_pagesz = 0;
    for (; aux->a_type != AT_NULL; aux++) {
        if (aux->a_type == AT_PHDR)
            at_phdr = aux->a_un.a_val;
        if (aux->a_type == AT_ENTRY)
            at_entry = aux->a_un.a_val;
        if (aux->a_type == AT_PAGESZ)
            at_pagesz = aux->a_un.a_val;
    }
    check(base != 0 && (base & 4095) == 0, "load base page-aligned and non-zero");
    check(at_pagesz == 4096, "AT_PAGESZ");
    check(at_phdr == base + __ehdr_start.e_phoff, "AT_PHDR is at base + e_phoff");
    check(at_entry == base + __ehdr_start.e_entry, "AT_ENTRY is the relocated entry");
    check(ops[0](6, 7) == 13 && ops[1](6, 7) == 42, "function pointer table");
    check(words[2][0] == 'g' && slen(words[1]) == 4, "string pointer table");
    check(*value_ptr == 1234, "data pointer");
    puts_("static-pie: argc=");
    putu((unsigned long)argc);
    puts_(" ops=");
    putu((unsigned long)ops[1](6, 7));
    puts_(" words=");
    for (int i = 0; i < 3; i++) {
        puts_(words[i]);
        puts_(i < 2 ? "," : "\n");
    }
    puts_("auxv matches load address\n");
    sys_exit(0);
}

/* The entry point: hand the initial stack pointer to C. */
__attribute__((naked)) void _start(void)
{
    __asm__ volatile("mv a0, sp\n"
                     "andi sp, sp, -16\n"
                     "call cstart\n");
}
