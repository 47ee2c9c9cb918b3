/* memfs: serve a riscv64 Linux program from an in-memory file system and
 * capture its console, through splitvm's system-call proxy. The guest sees
 * only the files below (no host file at all); what it writes to stdout and
 * stderr lands in a buffer that is printed when it exits.
 *
 *     cc memfs.c $(pkg-config --cflags --libs splitvm) -o memfs
 *     ./memfs [-accel interp|jit] prog [args...]
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <splitvm.h>

/* The file system: a path, and contents (NULL for a directory). */
static const struct node { const char *path, *data; } fs[] = {
    { "/", NULL }, { "/etc", NULL }, { "/etc/motd", "Hello from memory!\n" },
    { "/data", NULL }, { "/data/numbers.txt", "3 4 5\n" }, { "/data/empty", "" },
};
enum { NNODES = sizeof fs / sizeof fs[0] };

static struct open_file { const struct node *n; int64_t pos; } files[16];
static char console[1 << 16];
static size_t console_len;

static int fs_open(void *opq, const char *path, int flags, int mode, void **handle)
{
    (void)opq, (void)mode;
    int i = 0, f = 0;
    while (i < NNODES && strcmp(fs[i].path, path))
        i++;
    if (i == NNODES)
        return (flags & SVM_O_CREAT) ? -EROFS : -ENOENT;
    if ((flags & SVM_O_ACCMODE) != SVM_O_RDONLY || (flags & SVM_O_TRUNC))
        return -EROFS; /* a read-only tree */
    if ((flags & SVM_O_DIRECTORY) && fs[i].data)
        return -ENOTDIR;
    while (f < 16 && files[f].n)
        f++;
    if (f == 16)
        return -EMFILE;
    files[f] = (struct open_file){ &fs[i], 0 };
    *handle = &files[f];
    return 0;
}

static int fs_close(void *opq, void *h) { (void)opq; ((struct open_file *)h)->n = NULL; return 0; }

static int64_t fs_read(void *opq, void *h, void *buf, size_t len, int64_t off)
{
    struct open_file *f = h;
    (void)opq;
    if (!f->n->data)
        return -EISDIR;
    int64_t size = (int64_t)strlen(f->n->data), pos = off < 0 ? f->pos : off;
    if (pos >= size)
        return 0;
    if ((int64_t)len > size - pos)
        len = (size_t)(size - pos);
    memcpy(buf, f->n->data + pos, len);
    if (off < 0)
        f->pos += (int64_t)len;
    return (int64_t)len;
}

static int64_t fs_seek(void *opq, void *h, int64_t off, int whence) /* directories: splitvm's job */
{
    struct open_file *f = h;
    int64_t base = whence == 0 ? 0 : whence == 1 ? f->pos : (int64_t)strlen(f->n->data);
    (void)opq;
    return whence > 2 || base + off < 0 ? -EINVAL : (f->pos = base + off);
}

static int fs_fstat(void *opq, void *h, svm_stat *st)
{
    const struct node *n = ((struct open_file *)h)->n;
    (void)opq;
    st->ino = (uint64_t)(n - fs) + 1;
    st->mode = n->data ? SVM_S_IFREG | 0444 : SVM_S_IFDIR | 0555;
    st->size = n->data ? (int64_t)strlen(n->data) : 0;
    return 0;
}

/* Entry `index` of a directory: the nodes whose parent it is. */
static int fs_readdir(void *opq, void *h, uint64_t index, svm_dirent *ent)
{
    const char *dir = ((struct open_file *)h)->n->path;
    size_t dl = strcmp(dir, "/") ? strlen(dir) : 0;
    (void)opq;
    for (int i = 1; i < NNODES; i++) {
        const char *p = fs[i].path;
        if (strncmp(p, dir, dl) || p[dl] != '/' || strchr(p + dl + 1, '/') || index--)
            continue;
        snprintf(ent->name, sizeof ent->name, "%s", p + dl + 1);
        ent->type = fs[i].data ? SVM_DT_REG : SVM_DT_DIR;
        return 1;
    }
    return 0;
}

static int64_t con_write(void *opq, int stream, const void *buf, size_t len)
{
    (void)opq, (void)stream;
    size_t n = len < sizeof console - console_len ? len : sizeof console - console_len;
    memcpy(console + console_len, buf, n);
    console_len += n;
    return (int64_t)len;
}

int main(int argc, char **argv)
{
    static const svm_proxy proxy = { .open = fs_open, .close = fs_close, .read = fs_read, .seek = fs_seek,
                                     .fstat = fs_fstat, .readdir = fs_readdir, .console_write = con_write };
    svm_config cfg;
    svm_config_init(&cfg);
    cfg.proxy = &proxy;
    int a = 1;
    if (argc > 3 && !strcmp(argv[1], "-accel")) {
        cfg.engine = !strcmp(argv[2], "interp") ? SVM_ENGINE_INTERP : SVM_ENGINE_JIT;
        a = 3;
    }
    if (a >= argc)
        return fprintf(stderr, "usage: %s [-accel interp|jit] prog [args...]\n", argv[0]), 2;
    char err[256];
    svm_machine *m;
    if (svm_create(&cfg, &m, err, sizeof err) != SVM_OK)
        return fprintf(stderr, "memfs: %s\n", err), 1;
    svm_stop st = { .reason = SVM_STOP_ERROR };
    char *envp[] = { "HOME=/", NULL };
    if (svm_load_program(m, argv[a], argc - a, argv + a, envp) == SVM_OK)
        while (svm_run(m, 1000000, &st) == SVM_OK && st.reason == SVM_STOP_BUDGET)
            ; /* a real app would do its own work between slices */
    if (st.reason != SVM_STOP_EXITED)
        fprintf(stderr, "memfs: %s (stop reason %d)\n", svm_error(m), (int)st.reason);
    svm_destroy(m);
    printf("--- captured console (%zu bytes) ---\n%.*s--- exit status %d ---\n", console_len, (int)console_len,
           console, st.exit_status);
    return st.reason == SVM_STOP_EXITED ? st.exit_status : 1;
}
