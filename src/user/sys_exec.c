/* execve: replace the calling guest process's image with a program read
 * through the process's file system (uvfs: the host, the -L jail or the
 * embedder's files). Static ELF programs and "#!" scripts (whose
 * interpreter is looked up the same way, through the sysroot). Nothing runs
 * on the host: the new image is loaded into a fresh guest address space of
 * the same process (uprocs.h). */
#include "syscall.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../loader/elf.h"
#include "uprocs.h"
#include "uthread.h"
#include "uvfs.h"

#define ARG_STRLEN_MAX (128u << 10) /* Linux's MAX_ARG_STRLEN */
#define ARGS_TOTAL_MAX (2u << 20)   /* a quarter of the 8 MiB stack, as Linux allows */
#define ARGS_COUNT_MAX 65536
#define SCRIPT_DEPTH 4              /* "#!" interpreters that are scripts themselves */
#define SHEBANG_MAX 256             /* Linux reads this much of the first line */
#define IMAGE_MAX ((size_t)1 << 30)

/* A NULL-terminated vector of host strings. */
typedef struct strvec {
    char **v;
    int n, cap;
    size_t bytes;
} strvec;

static void vec_free(uproc *p, strvec *sv)
{
    for (int i = 0; i < sv->n; i++)
        host_free(p->host, sv->v[i]);
    host_free(p->host, sv->v);
    memset(sv, 0, sizeof(*sv));
}

/* Insert a copy of s at index at. */
static int vec_insert(uproc *p, strvec *sv, int at, const char *s)
{
    size_t len = strlen(s) + 1;
    if (sv->n + 1 >= ARGS_COUNT_MAX || sv->bytes + len > ARGS_TOTAL_MAX)
        return -E2BIG;
    if (sv->n + 2 > sv->cap) {
        int cap = sv->cap ? sv->cap * 2 : 16;
        char **v = host_realloc(p->host, sv->v, (size_t)cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        sv->v = v;
        sv->cap = cap;
    }
    char *c = host_strdup(p->host, s);
    if (!c)
        return -ENOMEM;
    memmove(&sv->v[at + 1], &sv->v[at], (size_t)(sv->n - at) * sizeof(*sv->v));
    sv->v[at] = c;
    sv->n++;
    sv->v[sv->n] = NULL;
    sv->bytes += len;
    return 0;
}

/* The guest's argv or envp array at va (0: empty). */
static int read_vec(uproc *p, uint64_t va, strvec *sv)
{
    sv->cap = 16;
    sv->v = host_alloc(p->host, (size_t)sv->cap * sizeof(*sv->v)); /* zeroed: NULL-terminated */
    char *buf = host_alloc(p->host, ARG_STRLEN_MAX);
    int r = sv->v && buf ? 0 : -ENOMEM;
    for (uint64_t i = 0; va && r == 0; i++) {
        uint8_t b[8];
        if ((r = umem_read(p, va + 8 * i, b, 8)) < 0)
            break;
        uint64_t s = usys_get64(b, 0);
        if (!s)
            break;
        r = umem_read_str(p, s, buf, ARG_STRLEN_MAX);
        if (r == -ENAMETOOLONG)
            r = -E2BIG;
        if (r >= 0)
            r = vec_insert(p, sv, sv->n, buf);
    }
    host_free(p->host, buf);
    return r < 0 ? r : 0;
}

/* The whole file at guest path, if the guest may execute it. */
static int read_image(uproc *p, const char *path, uint8_t **data, size_t *size)
{
    uvfs_stat st;
    int r = p->vfs->ops->stat(p, path, 0, &st);
    if (r < 0)
        return r;
    if ((st.mode & UVFS_S_IFMT) != UVFS_S_IFREG)
        return -EACCES;
    if ((r = p->vfs->ops->access(p, path, X_OK, 1, 0)) < 0)
        return r;
    int host = -1;
    uvfs_file *vf = NULL;
    if ((r = p->vfs->ops->open(p, path, 0 /* O_RDONLY */, 0, &host, &vf)) < 0)
        return r;
    if (host >= 0) {
        r = host_read_fd(p->host, host, data, size);
        host_close(p->host, host);
        return r;
    }
    size_t cap = st.size > 0 && (uint64_t)st.size < IMAGE_MAX ? (size_t)st.size + 1 : 65536, n = 0;
    uint8_t *buf = host_alloc(p->host, cap);
    r = buf ? 0 : -ENOMEM;
    while (r == 0) {
        if (n == cap) {
            uint8_t *nb = cap < IMAGE_MAX ? host_realloc(p->host, buf, cap * 2) : NULL;
            if (!nb) {
                r = -ENOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        int64_t got = vf->ops->read(p, vf, buf + n, cap - n, (int64_t)n);
        if (got < 0)
            r = (int)got;
        else if (got == 0)
            break;
        else
            n += (size_t)got;
    }
    uvfs_file_unref(p, vf);
    if (r < 0) {
        host_free(p->host, buf);
        return r;
    }
    *data = buf;
    *size = n;
    return 0;
}

/* "#!interp [arg]": argv becomes interp [arg] script argv[1..]. Returns 1 if
 * the image was a script (path then holds the interpreter's guest path), 0
 * if not, or -errno. */
static int shebang(uproc *p, const uint8_t *data, size_t size, const char *script, strvec *argv, char *path)
{
    if (size < 2 || data[0] != '#' || data[1] != '!')
        return 0;
    char line[SHEBANG_MAX + 1];
    size_t n = 0;
    for (size_t i = 2; i < size && n < SHEBANG_MAX && data[i] != '\n'; i++)
        line[n++] = (char)data[i];
    line[n] = 0;
    char *s = line;
    while (*s == ' ' || *s == '\t')
        s++;
    char *interp = s;
    while (*s && *s != ' ' && *s != '\t')
        s++;
    char *arg = NULL;
    if (*s) {
        *s++ = 0;
        while (*s == ' ' || *s == '\t')
            s++;
        size_t len = strlen(s);
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
            s[--len] = 0;
        if (len)
            arg = s;
    }
    size_t il = strlen(interp);
    while (il && interp[il - 1] == '\r')
        interp[--il] = 0;
    if (!*interp)
        return -ENOEXEC;
    /* argv[0] goes; interpreter, its argument and the script come first. */
    if (argv->n > 0) {
        argv->bytes -= strlen(argv->v[0]) + 1;
        host_free(p->host, argv->v[0]);
        memmove(&argv->v[0], &argv->v[1], (size_t)argv->n * sizeof(*argv->v));
        argv->n--;
    }
    int r = vec_insert(p, argv, 0, script);
    if (r == 0 && arg)
        r = vec_insert(p, argv, 0, arg);
    if (r == 0)
        r = vec_insert(p, argv, 0, interp);
    if (r == 0)
        r = usys_resolve_str(p, LX_AT_FDCWD, interp, path);
    return r < 0 ? r : 1;
}

int64_t sys_execve(uproc *p, const uint64_t a[6])
{
    char filename[USYS_PATH_MAX], path[USYS_PATH_MAX];
    int r = umem_read_str(p, a[0], filename, sizeof(filename));
    if (r < 0)
        return r;
    if ((r = usys_resolve_str(p, LX_AT_FDCWD, filename, path)) < 0)
        return r;
    strvec argv = {0}, envp = {0};
    int noreturn = 0;
    uint8_t *data = NULL;
    size_t size = 0;
    if ((r = read_vec(p, a[1], &argv)) < 0 || (r = read_vec(p, a[2], &envp)) < 0)
        goto out;
    if (argv.bytes + envp.bytes > ARGS_TOTAL_MAX) {
        r = -E2BIG;
        goto out;
    }
    for (int depth = 0;; depth++) {
        if ((r = read_image(p, path, &data, &size)) < 0)
            goto out;
        char script[USYS_PATH_MAX];
        memcpy(script, depth ? path : filename, sizeof(script));
        r = shebang(p, data, size, script, &argv, path);
        if (r <= 0)
            break;
        host_free(p->host, data);
        data = NULL;
        if (depth == SCRIPT_DEPTH) {
            r = -ELOOP;
            goto out;
        }
    }
    if (r < 0)
        goto out;
    elf_image img;
    char why[256];
    if (elf_parse(data, size, &img, why, sizeof(why)) != 0) {
        r = -ENOEXEC; /* not a riscv64 program this loader takes: the old image stays */
        goto out;
    }

    /* The point of no return: the other threads and the old image go. */
    rv_cpu *cpu = p->cpu;
    if ((r = uthread_exec_alone(p)) < 0)
        goto out;
    ushared_fini(p); /* shared file mappings reach their files before the space goes */
    utimer_exec(p);
    umem_fini(p);
    if (umem_init(p, p->va_size) < 0) {
        usig_terminate(p, LX_SIGKILL, cpu->pc, 0, 0);
        noreturn = 1;
        goto out;
    }
    uprocs_vfork_done(p); /* its own memory from here: a vfork parent goes on */
    snprintf(p->exe_path, sizeof(p->exe_path), "%s", path);
    const char *base = strrchr(filename, '/');
    snprintf(usys_state(p)->comm, sizeof(usys_state(p)->comm), "%.15s", base ? base + 1 : filename);
    usig_exec(p);
    ufds_close_on_exec(p);
    uthread_set_clear_tid(p, 0);
    cpu->resv_valid = false; /* umem_fini flushed the translated code */
    int errnum;
    if (uproc_load_image(p, data, size, filename, argv.n, argv.v, envp.v, &errnum, why, sizeof(why)) < 0) {
        uproc_log(p, "splitvm: execve %s: %s", path, why);
        usig_terminate(p, LX_SIGSEGV, cpu->pc, 0, 0);
    }
    noreturn = 1;
out:
    host_free(p->host, data);
    vec_free(p, &argv);
    vec_free(p, &envp);
    return noreturn ? USYS_NORETURN : r;
}
