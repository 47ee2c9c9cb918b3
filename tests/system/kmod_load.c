/* kmod_load: load kernel modules in a guest that has no kmod (the test
 * initramfs's busybox has none): finit_module(2) on each file, telling the
 * kernel to decompress it when it is a .ko.xz, as Debian ships them.
 * usage: kmod_load MODULE.ko[.xz]...   (a riscv64 Linux program) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MODULE_INIT_COMPRESSED_FILE 4

int main(int argc, char **argv)
{
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        size_t n = strlen(argv[i]);
        int flags = n > 3 && !strcmp(argv[i] + n - 3, ".xz") ? MODULE_INIT_COMPRESSED_FILE : 0;
        int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0 || (syscall(SYS_finit_module, fd, "", flags) != 0 && errno != EEXIST)) {
            fprintf(stderr, "kmod_load: %s: %s\n", argv[i], strerror(errno));
            failed = 1;
        }
        if (fd >= 0)
            close(fd);
    }
    return failed;
}
