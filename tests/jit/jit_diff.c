/* jit_diff: differential tester, interpreter against JIT.
 *
 * Random RV64GC programs (gen.c) run on two harts with separate memories
 * and hosts: A through rv_interp_run, B through rv_jit_run, one block per
 * call (budget 1). After each step the harts are brought to the same point
 * (instructions retired + traps taken) and everything architectural is
 * compared: x1..x31, f0..f31, pc, fflags, frm, instret, mstatus, priv,
 * the LR reservation, the trap logs, the stop reasons and all guest memory.
 * A divergence is shrunk (groups of instructions replaced by nops) to a
 * short reproducer.
 *
 * Usage: jit_diff [--seeds N] [--first S] [--len L] [--verbose]
 *                 [--self] [--baseline] [--ext] [--traces] [--sabotage K]
 *   --self        B runs the interpreter too (any failure is a harness bug
 *                 or an interpreter nondeterminism)
 *   --baseline    the JIT emits baseline x86-64 only (no LZCNT/POPCNT,
 *                 FMA3 or BMI2): the code paths of hosts without them
 *   --ext         also generate Zbkb / Zbkx / Zfh operations
 *   --traces      every block B samples goes hot at once, and its trace
 *                 follows the taken side of every other branch and the
 *                 direct jumps (rv_cpu.jit_trace_test): the hot tier's
 *                 traces on code with no real profile
 *   --sabotage K  harness self-check: make B wrong on purpose
 *                 (1: B's `time` reads one more; 2: B logs a wrong tval for
 *                 misaligned AMOs; 3: flip bit 0 of B's x5 after its 3rd step)
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpu/cpu.h"
#include "cpu/decode.h"
#include "gen.h"
#include "host/host.h"

#define LOG_MAX 256         /* traps recorded per hart (more are counted) */
#define STEP_LIMIT 20000    /* engine calls per hart per program */
#define CATCH_UP_LIMIT 4096 /* extra calls to bring one hart to the other's point */
#define MAX_DIFFS 8

typedef struct trap_rec {
    uint64_t cause, tval, pc, instret;
} trap_rec;

typedef struct side {
    rv_cpu cpu;
    uint8_t *code, *data, *patch;
    trap_rec log[LOG_MAX];
    uint64_t nlog; /* traps taken (the first LOG_MAX are in log) */
    rv_stop last_stop;
    int done;
    int is_b;
    uint64_t steps;
} side;

typedef struct config {
    uint64_t first, seeds;
    int len;
    int verbose;
    int self;
    int baseline;
    int traces;
    int sabotage;
} config;

static config cfg = {1, 300, 200, 0, 0, 0, 0, 0};

/* The seed being run, for the crash handler. */
static volatile uint64_t current_seed;

/* A crash (say, generated code going astray) still names its seed. */
static void on_crash(int sig)
{
    char buf[80] = "jit_diff: crashed (signal) while running seed ";
    size_t n = strlen(buf);
    char digits[24];
    int k = 0;
    uint64_t v = current_seed;
    do
        digits[k++] = (char)('0' + v % 10);
    while ((v /= 10) && k < 20);
    while (k)
        buf[n++] = digits[--k];
    buf[n++] = '\n';
    if (write(2, buf, n) < 0)
        n = 0;
    signal(sig, SIG_DFL);
    raise(sig);
}

/* ------------------------------------------------------------ environment */

static int env_translate(rv_cpu *cpu, uint64_t va, int access, rv_xlate *out)
{
    side *s = cpu->env.opaque;
    uint64_t page = va & RV_PAGE_MASK;
    if (va - GEN_CODE_BASE < GEN_CODE_SIZE && access != RV_ACC_W) {
        out->host_page = s->code + (page - GEN_CODE_BASE);
        out->pa = va;
        out->cache_prot = RV_ACC_R | RV_ACC_X;
        return 0;
    }
    if (va - GEN_PATCH_BASE < GEN_PATCH_SIZE) { /* self-modifying code */
        out->host_page = s->patch;
        out->pa = va;
        out->cache_prot = RV_ACC_R | RV_ACC_W | RV_ACC_X;
        return 0;
    }
    if (va - GEN_DATA_BASE < GEN_DATA_SIZE && access != RV_ACC_X) {
        out->host_page = s->data + (page - GEN_DATA_BASE);
        out->pa = va;
        out->cache_prot = RV_ACC_R | RV_ACC_W;
        return 0;
    }
    return access == RV_ACC_W ? RV_EXC_STORE_PAGE : access == RV_ACC_X ? RV_EXC_INSN_PAGE : RV_EXC_LOAD_PAGE;
}

static int env_mmio_read(rv_cpu *cpu, uint64_t pa, int size, uint64_t *val)
{
    (void)cpu, (void)pa, (void)size, (void)val;
    return RV_EXC_LOAD_ACCESS;
}

static int env_mmio_write(rv_cpu *cpu, uint64_t pa, int size, uint64_t val)
{
    (void)cpu, (void)pa, (void)size, (void)val;
    return RV_EXC_STORE_ACCESS;
}

static uint64_t env_time(rv_cpu *cpu)
{
    const side *s = cpu->env.opaque;
    return cpu->instret + (uint64_t)(s->is_b && cfg.sabotage == 1);
}

/* Log the trap; ecall ends the program, a fetch fault stops it, anything
 * else skips the faulting instruction so that execution goes on. */
static void env_trap(rv_cpu *cpu, uint64_t cause, uint64_t tval)
{
    side *s = cpu->env.opaque;
    if (s->is_b && cfg.sabotage == 2 && cause == RV_EXC_STORE_MISALIGNED)
        tval ^= 1;
    if (s->nlog < LOG_MAX)
        s->log[s->nlog] = (trap_rec){cause, tval, cpu->pc, cpu->instret};
    s->nlog++;
    uint64_t off = cpu->pc - GEN_CODE_BASE, poff = cpu->pc - GEN_PATCH_BASE;
    if (cause == RV_EXC_ECALL_U) {
        cpu->stop = RV_STOP_EXIT;
        cpu->exit_code = 0;
    } else if (cause == RV_EXC_INSN_PAGE || cause == RV_EXC_INSN_ACCESS || cause == RV_EXC_INSN_MISALIGNED ||
               (off > GEN_CODE_SIZE - 2 && poff > GEN_PATCH_SIZE - 2)) {
        cpu->stop = RV_STOP_EXIT;
        cpu->exit_code = 2;
    } else {
        uint16_t lo;
        memcpy(&lo, off < GEN_CODE_SIZE ? s->code + off : s->patch + poff, 2);
        cpu->pc += (uint64_t)rv_insn_len(lo);
    }
}

/* ------------------------------------------------------------------ harts */

/* Guest memory is laid out as in user mode: one reserved region with guest
 * va v at host base + v, host protections matching the guest's (code
 * read-only, data and the patch page read-write, the rest inaccessible), so
 * the JIT accesses it directly and host faults stand for guest faults. */
#define FLAT_SIZE 0x400000u

static void side_free(side *s);

static side *side_new(const gen_prog *p, uint64_t seed, int is_b)
{
    side *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->is_b = is_b;
    s->cpu.host = host_create();
    uint8_t *flat = s->cpu.host ? host_reserve(s->cpu.host, FLAT_SIZE) : NULL;
    if (!flat || host_zero_fill(s->cpu.host, flat + GEN_CODE_BASE, GEN_CODE_SIZE, PROT_READ | PROT_WRITE) ||
        host_zero_fill(s->cpu.host, flat + GEN_DATA_BASE, GEN_DATA_SIZE, PROT_READ | PROT_WRITE) ||
        host_zero_fill(s->cpu.host, flat + GEN_PATCH_BASE, GEN_PATCH_SIZE, PROT_READ | PROT_WRITE)) {
        if (s->cpu.host)
            host_destroy(s->cpu.host);
        free(s);
        return NULL;
    }
    s->code = flat + GEN_CODE_BASE;
    s->data = flat + GEN_DATA_BASE;
    s->patch = flat + GEN_PATCH_BASE;
    rv_env env = {.translate = env_translate, .mmio_read = env_mmio_read, .mmio_write = env_mmio_write,
                  .trap_hook = env_trap, .read_time = env_time, .opaque = s};
    rv_cpu_init(&s->cpu, &env, RV_PRIV_U);
    gen_write_code(p, s->code);
    gen_write_patch_page(p, s->patch);
    gen_initial_state(&s->cpu, s->data, seed);
    if (host_protect(s->cpu.host, s->code, GEN_CODE_SIZE, PROT_READ)) {
        side_free(s);
        return NULL;
    }
    s->cpu.mem_base = (uintptr_t)flat;
    rv_set_mem_fast_limit(&s->cpu, FLAT_SIZE - 7);
    s->cpu.pc = GEN_CODE_BASE + p->entry_off;
    s->cpu.jit_baseline_isa = cfg.baseline;
    s->cpu.jit_trace_test = cfg.traces;
    return s;
}

static void side_free(side *s)
{
    if (!s)
        return;
    rv_engine_destroy(&s->cpu);
    host_destroy(s->cpu.host); /* and the guest memory with it */
    free(s);
}

static void side_step(side *s, uint64_t budget)
{
    rv_stop r = s->is_b && !cfg.self ? rv_jit_run(&s->cpu, budget) : rv_interp_run(&s->cpu, budget);
    s->steps++;
    s->last_stop = r;
    if (r != RV_STOP_BUDGET)
        s->done = 1;
    if (s->is_b && cfg.sabotage == 3 && s->steps == 3)
        s->cpu.x[5] ^= 1;
}

/* Instructions retired plus traps taken: every instruction does one of the two. */
static uint64_t progress(const side *s) { return s->cpu.instret + s->nlog; }

/* ---------------------------------------------------------------- compare */

typedef struct diffs {
    int n;
    char line[MAX_DIFFS][160];
} diffs;

static void add_diff(diffs *d, const char *name, uint64_t a, uint64_t b)
{
    if (d->n < MAX_DIFFS)
        snprintf(d->line[d->n], sizeof(d->line[0]), "%-14s interp=0x%016" PRIx64 "  jit=0x%016" PRIx64, name, a, b);
    d->n++;
}

static void cmp64(diffs *d, const char *name, uint64_t a, uint64_t b)
{
    if (a != b)
        add_diff(d, name, a, b);
}

static void cmp_mem(diffs *d, const char *name, const uint8_t *a, const uint8_t *b, uint32_t size, uint32_t base)
{
    if (memcmp(a, b, size) == 0)
        return;
    uint32_t i = 0;
    while (a[i] == b[i])
        i++;
    i &= ~7u;
    uint64_t va = 0, vb = 0;
    memcpy(&va, a + i, 8);
    memcpy(&vb, b + i, 8);
    char nm[64];
    snprintf(nm, sizeof(nm), "%s@%#x", name, base + i);
    add_diff(d, nm, va, vb);
}

static void compare(const side *a, const side *b, diffs *d)
{
    char nm[32];
    d->n = 0;
    cmp64(d, "traps", a->nlog, b->nlog);
    uint64_t nl = a->nlog < b->nlog ? a->nlog : b->nlog;
    for (uint64_t i = 0; i < nl && i < LOG_MAX; i++) {
        const trap_rec *x = &a->log[i], *y = &b->log[i];
        snprintf(nm, sizeof(nm), "trap[%" PRIu64 "].", i);
        char f[40];
        snprintf(f, sizeof(f), "%scause", nm), cmp64(d, f, x->cause, y->cause);
        snprintf(f, sizeof(f), "%stval", nm), cmp64(d, f, x->tval, y->tval);
        snprintf(f, sizeof(f), "%spc", nm), cmp64(d, f, x->pc, y->pc);
        snprintf(f, sizeof(f), "%sinstret", nm), cmp64(d, f, x->instret, y->instret);
    }
    cmp64(d, "pc", a->cpu.pc, b->cpu.pc);
    cmp64(d, "instret", a->cpu.instret, b->cpu.instret);
    for (int i = 1; i < 32; i++) {
        snprintf(nm, sizeof(nm), "x%d", i);
        cmp64(d, nm, a->cpu.x[i], b->cpu.x[i]);
    }
    for (int i = 0; i < 32; i++) {
        snprintf(nm, sizeof(nm), "f%d", i);
        cmp64(d, nm, a->cpu.f[i], b->cpu.f[i]);
    }
    cmp64(d, "fflags", a->cpu.fflags, b->cpu.fflags);
    cmp64(d, "frm", a->cpu.frm, b->cpu.frm);
    cmp64(d, "mstatus", a->cpu.mstatus, b->cpu.mstatus);
    cmp64(d, "priv", (uint64_t)a->cpu.priv, (uint64_t)b->cpu.priv);
    cmp64(d, "resv_valid", a->cpu.resv_valid, b->cpu.resv_valid);
    if (a->cpu.resv_valid && b->cpu.resv_valid) {
        cmp64(d, "resv_addr", a->cpu.resv_addr, b->cpu.resv_addr);
        cmp64(d, "resv_val", a->cpu.resv_val, b->cpu.resv_val);
    }
    cmp64(d, "stop", (uint64_t)a->last_stop, (uint64_t)b->last_stop);
    if (a->done && b->done)
        cmp64(d, "exit_code", (uint64_t)a->cpu.exit_code, (uint64_t)b->cpu.exit_code);
    cmp64(d, "mcycle_offset", a->cpu.mcycle_offset, b->cpu.mcycle_offset);
    cmp64(d, "minstret_off", a->cpu.minstret_offset, b->cpu.minstret_offset);
    cmp_mem(d, "data", a->data, b->data, GEN_DATA_SIZE, GEN_DATA_BASE);
    cmp_mem(d, "patch", a->patch, b->patch, GEN_PATCH_SIZE, GEN_PATCH_BASE);
}

/* ------------------------------------------------------------------- runs */

typedef struct outcome {
    int diverged;
    int error;
    uint64_t blocks;  /* comparison points */
    uint64_t at;      /* comparison point of the divergence */
    uint64_t pc_a, pc_b;
    diffs d;
} outcome;

static void run_pair(const gen_prog *p, uint64_t seed, outcome *o)
{
    memset(o, 0, sizeof(*o));
    side *a = side_new(p, seed, 0), *b = side_new(p, seed, 1);
    if (!a || !b) {
        o->error = 1;
        side_free(a);
        side_free(b);
        return;
    }
    for (;;) {
        if (!a->done)
            side_step(a, p->budget);
        if (!b->done)
            side_step(b, p->budget);
        /* Engines may cut blocks differently: step the one behind until
         * both stand at the same instruction. */
        for (int k = 0; k < CATCH_UP_LIMIT; k++) {
            uint64_t pa = progress(a), pb = progress(b);
            if (pa < pb && !a->done)
                side_step(a, 1);
            else if (pb < pa && !b->done)
                side_step(b, 1);
            else
                break;
        }
        o->blocks++;
        compare(a, b, &o->d);
        if (o->d.n) {
            o->diverged = 1;
            o->at = o->blocks;
            o->pc_a = a->cpu.pc;
            o->pc_b = b->cpu.pc;
            break;
        }
        if ((a->done && b->done) || a->steps >= STEP_LIMIT || b->steps >= STEP_LIMIT)
            break;
    }
    if (cfg.verbose > 1 && !o->diverged)
        printf("  seed %" PRIu64 ": %" PRIu64 " blocks, %" PRIu64 " insns, %" PRIu64 " traps, exit %d\n", seed,
               o->blocks, a->cpu.instret, a->nlog, a->cpu.exit_code);
    side_free(a);
    side_free(b);
}

/* --------------------------------------------------------------- shrinking */

static void print_insn(const gen_prog *p, uint32_t i)
{
    const gen_insn *in = &p->insn[i];
    rv_insn d;
    rv_decode(in->bits, &d);
    char enc[12];
    if (in->len == 2)
        snprintf(enc, sizeof(enc), "    %04x", in->bits);
    else
        snprintf(enc, sizeof(enc), "%08x", in->bits);
    printf("    +0x%04x  pc 0x%08" PRIx64 "  %s  %-11s rd=%u rs1=%u rs2=%u rs3=%u rm=%u imm=%" PRId64, in->off,
           (uint64_t)GEN_CODE_BASE + p->entry_off + in->off, enc, rv_op_name(d.op), d.rd == 32 ? 0 : d.rd, d.rs1,
           d.rs2, d.rs3, d.rm, d.imm);
    if (d.op >= RV_OP_CSRRW && d.op <= RV_OP_CSRRCI)
        printf(" csr=%#x", d.csr);
    printf("\n");
}

static void print_state(uint64_t seed)
{
    side *s = calloc(1, sizeof(*s));
    uint8_t *data = malloc(GEN_DATA_SIZE);
    if (!s || !data) {
        free(s);
        free(data);
        return;
    }
    rv_env env = {0};
    rv_cpu_init(&s->cpu, &env, RV_PRIV_U);
    gen_initial_state(&s->cpu, data, seed);
    printf("  initial state (seed %" PRIu64 "): frm=%u fflags=%#x mstatus=%#" PRIx64 "\n", seed, s->cpu.frm,
           s->cpu.fflags, s->cpu.mstatus);
    for (int i = 0; i < 32; i += 4)
        printf("    x%-2d %016" PRIx64 "  x%-2d %016" PRIx64 "  x%-2d %016" PRIx64 "  x%-2d %016" PRIx64 "\n", i,
               i ? s->cpu.x[i] : 0, i + 1, s->cpu.x[i + 1], i + 2, s->cpu.x[i + 2], i + 3, s->cpu.x[i + 3]);
    for (int i = 0; i < 32; i += 4)
        printf("    f%-2d %016" PRIx64 "  f%-2d %016" PRIx64 "  f%-2d %016" PRIx64 "  f%-2d %016" PRIx64 "\n", i,
               s->cpu.f[i], i + 1, s->cpu.f[i + 1], i + 2, s->cpu.f[i + 2], i + 3, s->cpu.f[i + 3]);
    free(s);
    free(data);
}

static void print_outcome(const outcome *o)
{
    printf("  at comparison %" PRIu64 " (interp pc 0x%" PRIx64 ", jit pc 0x%" PRIx64 "):\n", o->at, o->pc_a,
           o->pc_b);
    for (int i = 0; i < o->d.n && i < MAX_DIFFS; i++)
        printf("    %s\n", o->d.line[i]);
    if (o->d.n > MAX_DIFFS)
        printf("    ... %d more fields differ\n", o->d.n - MAX_DIFFS);
}

/* Replace groups by nops while the divergence persists; print what is left. */
static void shrink(const gen_prog *orig, uint64_t seed)
{
    gen_prog *p = malloc(sizeof(*p));
    if (!p)
        return;
    memcpy(p, orig, sizeof(*p));
    uint32_t *first = calloc(p->ngroups + 1, sizeof(uint32_t));
    uint32_t saved[64];
    outcome o;
    if (!first) {
        free(p);
        return;
    }
    for (uint32_t i = p->n; i-- > 0;)
        first[p->insn[i].group] = i;
    first[p->ngroups] = p->n;
    unsigned runs = 0;
    for (int changed = 1; changed;) {
        changed = 0;
        for (uint32_t g = 0; g + 1 < p->ngroups; g++) {
            if (gen_group_is_nop(p, g))
                continue;
            uint32_t lo = first[g], hi = first[g + 1];
            if (hi - lo > 64)
                continue;
            for (uint32_t i = lo; i < hi; i++)
                saved[i - lo] = p->insn[i].bits;
            gen_nop_group(p, g);
            run_pair(p, seed, &o);
            runs++;
            if (o.diverged && !o.error) {
                changed = 1;
            } else {
                for (uint32_t i = lo; i < hi; i++)
                    p->insn[i].bits = saved[i - lo];
            }
        }
    }
    run_pair(p, seed, &o);
    uint32_t left = 0;
    for (uint32_t i = 0; i < p->n; i++)
        left += p->insn[i].bits != (p->insn[i].len == 4 ? GEN_NOP32 : GEN_NOP16);
    printf("jit_diff: shrunk reproducer (seed %" PRIu64 ", %u of %u instructions left, %u trial runs; "
           "all other slots are nops, entry pc 0x%" PRIx64 "):\n",
           seed, left, p->n, runs, (uint64_t)GEN_CODE_BASE + p->entry_off);
    for (uint32_t i = 0; i < p->n; i++)
        if (p->insn[i].bits != (p->insn[i].len == 4 ? GEN_NOP32 : GEN_NOP16))
            print_insn(p, i);
    if (o.diverged)
        print_outcome(&o);
    print_state(seed);
    free(first);
    free(p);
}

/* -------------------------------------------------------------------- main */

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    *out = strtoull(s, &end, 0);
    return *end ? -1 : 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: jit_diff [--seeds N] [--first S] [--len L] [--verbose] [--self] [--baseline] [--ext] [--traces] [--sabotage K]\n");
    return 2;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        uint64_t v;
        const char *a = argv[i];
        if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
            cfg.verbose++;
        } else if (!strcmp(a, "--self")) {
            cfg.self = 1;
        } else if (!strcmp(a, "--baseline")) {
            cfg.baseline = 1;
        } else if (!strcmp(a, "--traces")) {
            cfg.traces = 1;
        } else if (!strcmp(a, "--ext")) {
            gen_ext_ops = 1;
        } else if (i + 1 < argc && !parse_u64(argv[i + 1], &v) &&
                   (!strcmp(a, "--seeds") || !strcmp(a, "--first") || !strcmp(a, "--len") ||
                    !strcmp(a, "--sabotage"))) {
            i++;
            if (!strcmp(a, "--seeds"))
                cfg.seeds = v;
            else if (!strcmp(a, "--first"))
                cfg.first = v;
            else if (!strcmp(a, "--len"))
                cfg.len = v < 1 ? 1 : v > GEN_MAX_LEN ? GEN_MAX_LEN : (int)v;
            else
                cfg.sabotage = (int)v;
        } else {
            return usage();
        }
    }

    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGSEGV, on_crash);
    signal(SIGBUS, on_crash);
    signal(SIGILL, on_crash);
    signal(SIGFPE, on_crash);

    gen_prog *p = malloc(sizeof(*p));
    if (!p)
        return 2;
    int jit = 0;
    {
        rv_cpu *probe = calloc(1, sizeof(*probe));
        rv_env env = {0};
        if (!probe)
            return 2;
        probe->host = host_create();
        rv_cpu_init(probe, &env, RV_PRIV_U);
        jit = probe->host && rv_jit_available(probe);
        rv_engine_destroy(probe);
        if (probe->host)
            host_destroy(probe->host);
        free(probe);
    }

    uint64_t blocks = 0, divergences = 0, programs = 0;
    for (uint64_t s = cfg.first; s < cfg.first + cfg.seeds; s++) {
        outcome o;
        current_seed = s;
        gen_program(p, s, cfg.len);
        run_pair(p, s, &o);
        programs++;
        blocks += o.blocks;
        if (o.error) {
            fprintf(stderr, "jit_diff: seed %" PRIu64 ": could not set up the harts\n", s);
            free(p);
            return 2;
        }
        if (o.diverged) {
            divergences++;
            printf("jit_diff: DIVERGENCE seed %" PRIu64 " (--first %" PRIu64 " --seeds 1 --len %d)\n", s, s, cfg.len);
            print_outcome(&o);
            shrink(p, s);
            break;
        }
    }
    if (cfg.verbose) {
        printf("jit_diff: operations never generated:");
        int none = 1;
        for (unsigned op = 0; op < RV_OP_COUNT; op++)
            if (!gen_op_seen[op] && op != RV_OP_WFI) {
                printf(" %s", rv_op_name(op));
                none = 0;
            }
        printf("%s\n", none ? " (none)" : "");
    }
    printf("jit_diff: %" PRIu64 " programs, %" PRIu64 " blocks compared, %" PRIu64 " divergences%s%s%s%s\n", programs,
           blocks, divergences, cfg.self ? " (--self: interpreter on both sides)" : "",
           cfg.baseline ? " (--baseline: no LZCNT/POPCNT, FMA3, BMI2)" : "",
           cfg.traces ? " (--traces: hot traces on every block)" : "",
           !cfg.self && !jit ? " (rv_jit_available is false: B ran rv_jit_run's fallback)" : "");
    free(p);
    return divergences ? 1 : 0;
}
