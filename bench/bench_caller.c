/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * bench_caller.c - warm per-operation costs of whence against the baselines a
 * C programmer has today, all measured in this one binary and run:
 *
 *   whence_caller(1) + name/file/line   vs  glibc backtrace+dladdr, libunwind steps
 *   whence_callers, 10 and 32 frames    vs  hand-written FP walk, unw_backtrace, backtrace()
 *   callers + frames (32, named+lines)  vs  backtrace + backtrace_symbols (names only)
 *   func_for_pc + name, 1,000 pcs       vs  dladdr
 *   pc -> name + file:line, 1,000 pcs   (no C baseline gives lines without DWARF)
 *
 * Built with -O2 -gline-tables-only -fpass-plugin=whence-pass (see
 * CMakeLists.txt), so the benchmark's own frames are instrumented code.
 *
 * Usage:
 *   bench_caller                  measure, print the table
 *   bench_caller --raw            measure, print "key<TAB>ns" lines (scripts/bench.sh)
 *   bench_caller --callgrind      run each op a fixed number of times, for
 *                                 valgrind --tool=callgrind (prints "cgiters" lines)
 *   bench_caller --report FILE... read key/value lines (many runs, Go's too),
 *                                 print the combined table with medians
 *   options: --repeats N (11)  --ms N (per repeat, 4)  --only KEY[,KEY...] (those ops)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "whence.h"

#ifdef BENCH_HAVE_LIBUNWIND
#define UNW_LOCAL_ONLY
#include <libunwind.h>
#endif

#define NPCS 1000          /* distinct functions of the pc -> name benches */
#define DEEP 40            /* recursion depth under the capture benches */

typedef void (*op_fn)(long iters);

static volatile uintptr_t g_sink; /* results land here: nothing is optimised away */

/* ---- the 1,000 generated functions (gen_funcs_1000.c) ------------------- */

extern int (*const bgen_table[])(int);
extern const int bgen_count;
static uintptr_t bgen_pcs[NPCS];  /* return address of the call in bgen_f<i> */
static int g_order[NPCS];

BENCH_NOINLINE void bgen_sink(int i)
{
    if (i >= 0 && i < NPCS)
        bgen_pcs[i] = (uintptr_t)__builtin_return_address(0);
}

/* ---- stack depth --------------------------------------------------------- */

/* n frames of at_depth under the op.  The empty asm after the call keeps it
 * from being a tail call (and the recursion from becoming a loop). */
BENCH_NOINLINE static void at_depth(int n, op_fn op, long iters)
{
    if (n > 0)
        at_depth(n - 1, op, iters);
    else
        op(iters);
    __asm__ volatile("" ::: "memory");
}

/* ---- baselines ----------------------------------------------------------- */

/* The hand-written limit: follow [fp] / [fp+8] with the cheapest sane guard
 * (strictly increasing, aligned).  Same convention as whence_callers(0): the
 * first entry is the return address into the caller. */
BENCH_NOINLINE static int fp_walk(uintptr_t *pcs, int max)
{
    uintptr_t *fp = (uintptr_t *)__builtin_frame_address(0);
    int n = 0;
    while (n < max) {
        uintptr_t *next = (uintptr_t *)fp[0];
        pcs[n++] = fp[1];
        if (next <= fp || ((uintptr_t)next & 7))
            break;
        fp = next;
    }
    return n;
}

#ifdef BENCH_HAVE_LIBUNWIND
/* libunwind is reached through dlopen(RTLD_LOCAL): linking -lunwind would
 * interpose its _Unwind_Backtrace on the one glibc's backtrace uses. */
static int (*p_unw_backtrace)(void **, int);
static int (*p_unw_getcontext)(unw_context_t *);
static int (*p_unw_init_local)(unw_cursor_t *, unw_context_t *);
static int (*p_unw_step)(unw_cursor_t *);
static int (*p_unw_get_reg)(unw_cursor_t *, unw_regnum_t, unw_word_t *);

static bool load_libunwind(void)
{
    void *h = dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return false;
    p_unw_backtrace = (int (*)(void **, int))dlsym(h, "unw_backtrace");
    p_unw_getcontext = (int (*)(unw_context_t *))dlsym(h, "_Ux86_64_getcontext");
    p_unw_init_local = (int (*)(unw_cursor_t *, unw_context_t *))dlsym(h, "_ULx86_64_init_local");
    p_unw_step = (int (*)(unw_cursor_t *))dlsym(h, "_ULx86_64_step");
    p_unw_get_reg = (int (*)(unw_cursor_t *, unw_regnum_t, unw_word_t *))dlsym(h, "_ULx86_64_get_reg");
    return p_unw_backtrace && p_unw_getcontext && p_unw_init_local && p_unw_step && p_unw_get_reg;
}
#else
static bool load_libunwind(void) { return false; }
#endif

/* ---- the operations (one function each; callgrind reads op_<key>) -------- */

BENCH_NOINLINE void op_caller1(long iters)
{
    whence_frame fr;
    uintptr_t acc = 0;
    for (long i = 0; i < iters; i++) {
        whence_caller(1, &fr);
        acc += (unsigned char)fr.function[0] + (unsigned char)fr.file[0] + (uintptr_t)fr.line;
    }
    g_sink += acc;
}

BENCH_NOINLINE void op_callers10(long iters)
{
    uintptr_t pcs[32], acc = 0;
    for (long i = 0; i < iters; i++) {
        int n = whence_callers(0, pcs, 10);
        acc += (uintptr_t)n + pcs[n > 0 ? n - 1 : 0];
    }
    g_sink += acc;
}

BENCH_NOINLINE void op_callers32(long iters)
{
    uintptr_t pcs[32], acc = 0;
    for (long i = 0; i < iters; i++) {
        int n = whence_callers(0, pcs, 32);
        acc += (uintptr_t)n + pcs[n > 0 ? n - 1 : 0];
    }
    g_sink += acc;
}

BENCH_NOINLINE void op_frames32(long iters)
{
    uintptr_t pcs[32], acc = 0;
    whence_frame fr;
    for (long i = 0; i < iters; i++) {
        int n = whence_callers(0, pcs, 32);
        whence_frames it;
        whence_frames_init(&it, pcs, n);
        while (whence_frames_next(&it, &fr))
            acc += (unsigned char)fr.function[0] + (unsigned char)fr.file[0] + (uintptr_t)fr.line;
    }
    g_sink += acc;
}

BENCH_NOINLINE void op_ffp_name(long iters)
{
    uintptr_t acc = 0;
    int j = 0;
    for (long i = 0; i < iters; i++) {
        const whence_func *f = whence_func_for_pc(bgen_pcs[g_order[j]]);
        acc += (unsigned char)whence_func_name(f)[0];
        if (++j == NPCS)
            j = 0;
    }
    g_sink += acc;
}

BENCH_NOINLINE void op_ffp_line(long iters)
{
    uintptr_t acc = 0;
    int j = 0;
    for (long i = 0; i < iters; i++) {
        uintptr_t pc = bgen_pcs[g_order[j]];
        const whence_func *f = whence_func_for_pc(pc);
        const char *file = "";
        int line = whence_func_line(f, pc - 1, &file); /* the call's line, as Go's side asks */
        acc += (unsigned char)whence_func_name(f)[0] + (unsigned char)file[0] + (uintptr_t)line;
        if (++j == NPCS)
            j = 0;
    }
    g_sink += acc;
}

BENCH_NOINLINE void op_fp10(long iters)
{
    uintptr_t pcs[32], acc = 0;
    for (long i = 0; i < iters; i++) {
        int n = fp_walk(pcs, 10);
        acc += (uintptr_t)n + pcs[n - 1];
    }
    g_sink += acc;
}

BENCH_NOINLINE void op_fp32(long iters)
{
    uintptr_t pcs[32], acc = 0;
    for (long i = 0; i < iters; i++) {
        int n = fp_walk(pcs, 32);
        acc += (uintptr_t)n + pcs[n - 1];
    }
    g_sink += acc;
}

BENCH_NOINLINE void op_bt32(long iters)
{
    void *pcs[32];
    uintptr_t acc = 0;
    for (long i = 0; i < iters; i++) {
        int n = backtrace(pcs, 32);
        acc += (uintptr_t)n + (uintptr_t)pcs[n > 0 ? n - 1 : 0];
    }
    g_sink += acc;
}

BENCH_NOINLINE void op_btsyms32(long iters)
{
    void *pcs[32];
    uintptr_t acc = 0;
    for (long i = 0; i < iters; i++) {
        int n = backtrace(pcs, 32);
        char **s = backtrace_symbols(pcs, n);
        if (s) {
            for (int k = 0; k < n; k++)
                acc += (unsigned char)s[k][0];
            free(s);
        }
    }
    g_sink += acc;
}

/* glibc's "who called me": backtrace to the caller's frame, dladdr for the
 * name (no file or line: glibc has none). */
BENCH_NOINLINE void op_glibc_caller(long iters)
{
    void *pcs[2];
    uintptr_t acc = 0;
    for (long i = 0; i < iters; i++) {
        int n = backtrace(pcs, 2);
        Dl_info di;
        if (n == 2 && dladdr(pcs[1], &di) && di.dli_sname)
            acc += (unsigned char)di.dli_sname[0];
    }
    g_sink += acc;
}

BENCH_NOINLINE void op_dladdr(long iters)
{
    uintptr_t acc = 0;
    int j = 0;
    for (long i = 0; i < iters; i++) {
        Dl_info di;
        if (dladdr((void *)bgen_pcs[g_order[j]], &di) && di.dli_sname)
            acc += (unsigned char)di.dli_sname[0];
        if (++j == NPCS)
            j = 0;
    }
    g_sink += acc;
}

#ifdef BENCH_HAVE_LIBUNWIND
BENCH_NOINLINE void op_unw32(long iters)
{
    void *pcs[32];
    uintptr_t acc = 0;
    for (long i = 0; i < iters; i++) {
        int n = p_unw_backtrace(pcs, 32);
        acc += (uintptr_t)n + (uintptr_t)pcs[n > 0 ? n - 1 : 0];
    }
    g_sink += acc;
}

/* libunwind's "who called me": context, cursor, two steps, ip (pc only). */
BENCH_NOINLINE void op_unw_caller(long iters)
{
    uintptr_t acc = 0;
    for (long i = 0; i < iters; i++) {
        unw_context_t uc;
        unw_cursor_t c;
        unw_word_t ip = 0;
        p_unw_getcontext(&uc);
        p_unw_init_local(&c, &uc);
        p_unw_step(&c);
        p_unw_step(&c);
        p_unw_get_reg(&c, UNW_REG_IP, &ip);
        acc += ip;
    }
    g_sink += acc;
}
#endif

struct op {
    const char *key;
    op_fn fn;
    int depth;
    bool whence;     /* a whence op: checked by sanity() */
    bool unw;        /* needs libunwind */
    long cg_iters;   /* ops per callgrind run */
};

static const struct op g_ops[] = {
    {"caller1", op_caller1, 8, true, false, 20000},
    {"callers10", op_callers10, DEEP, true, false, 20000},
    {"callers32", op_callers32, DEEP, true, false, 20000},
    {"frames32", op_frames32, DEEP, true, false, 5000},
    {"ffp_name", op_ffp_name, 8, true, false, 20000},
    {"ffp_line", op_ffp_line, 8, true, false, 20000},
    {"fp10", op_fp10, DEEP, false, false, 20000},
    {"fp32", op_fp32, DEEP, false, false, 20000},
    {"glibc_caller", op_glibc_caller, 8, false, false, 2000},
    {"bt32", op_bt32, DEEP, false, false, 2000},
    {"btsyms32", op_btsyms32, DEEP, false, false, 100},
    {"dladdr", op_dladdr, 8, false, false, 2000},
#ifdef BENCH_HAVE_LIBUNWIND
    {"unw_caller", op_unw_caller, 8, false, true, 2000},
    {"unw32", op_unw32, DEEP, false, true, 2000},
#endif
};
#define NOPS ((int)(sizeof g_ops / sizeof g_ops[0]))

/* ---- results store (key -> values; the report takes medians) ------------ */

#define MAXKEYS 256
#define MAXVALS 512
static struct kv {
    char key[64];
    double v[MAXVALS];
    int n;
} g_kv[MAXKEYS];
static int g_nkv;

static struct kv *kv_find(const char *key, bool create)
{
    for (int i = 0; i < g_nkv; i++)
        if (!strcmp(g_kv[i].key, key))
            return &g_kv[i];
    if (!create || g_nkv == MAXKEYS)
        return NULL;
    struct kv *e = &g_kv[g_nkv++];
    snprintf(e->key, sizeof e->key, "%s", key);
    return e;
}

static void kv_add(const char *key, double v)
{
    struct kv *e = kv_find(key, true);
    if (e && e->n < MAXVALS)
        e->v[e->n++] = v;
}

/* Median of the values recorded for key; < 0 when none. */
static double kv_med(const char *key)
{
    struct kv *e = kv_find(key, false);
    if (!e || !e->n)
        return -1;
    double tmp[MAXVALS];
    memcpy(tmp, e->v, sizeof(double) * (size_t)e->n);
    return bench_median(tmp, e->n);
}

static int kv_count(const char *key)
{
    struct kv *e = kv_find(key, false);
    return e ? e->n : 0;
}

/* ---- sanity: are whence's answers right?  (numbers of a broken build are
 * not reported as met) ---------------------------------------------------- */

static int g_bad;

static void bad(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(const char *key, const char *fmt, ...)
{
    char k[80];
    va_list ap;
    snprintf(k, sizeof k, "bad_%s", key);
    kv_add(k, 1);
    g_bad++;
    fprintf(stderr, "bench_caller: %s: whence gave a wrong answer: ", key);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static const char *func_name_at(uintptr_t pc)
{
    return whence_func_name(whence_func_for_pc(pc));
}

BENCH_NOINLINE static void check_capture(long unused)
{
    (void)unused;
    whence_frame fr;
    uintptr_t pcs[40];

    if (!whence_caller(1, &fr) || strcmp(fr.function, "at_depth") || fr.line <= 0 ||
        !strstr(fr.file, "bench_caller.c"))
        bad("caller1", "whence_caller(1) gave %s at %s:%d, want at_depth at bench_caller.c:N",
            fr.function, fr.file, fr.line);

    int n = whence_callers(0, pcs, 32);
    if (n != 32)
        bad("callers32", "whence_callers(0, pcs, 32) at depth %d returned %d", DEEP, n);
    else if (strcmp(func_name_at(pcs[0]), "check_capture") || strcmp(func_name_at(pcs[1]), "at_depth") ||
             strcmp(func_name_at(pcs[31]), "at_depth"))
        bad("callers32", "entries name %s, %s ... %s; want check_capture, at_depth ... at_depth",
            func_name_at(pcs[0]), func_name_at(pcs[1]), func_name_at(pcs[31]));
    n = whence_callers(0, pcs, 10);
    if (n != 10)
        bad("callers10", "whence_callers(0, pcs, 10) returned %d", n);

    n = whence_callers(0, pcs, 32);
    whence_frames it;
    whence_frames_init(&it, pcs, n);
    int frames = 0, lined = 0;
    while (whence_frames_next(&it, &fr)) {
        frames++;
        lined += fr.line > 0 && strcmp(fr.file, "?") && strcmp(fr.function, "?");
    }
    if (frames < 32 || lined != frames)
        bad("frames32", "%d logical frames from 32 entries, %d of them with name and file:line", frames,
            lined);
}

static void check_lookup(void)
{
    int wrong_name = 0, wrong_line = 0, printed = 0;
    for (int i = 0; i < NPCS; i++) {
        char want[32];
        snprintf(want, sizeof want, "bgen_f%d", i);
        const whence_func *f = whence_func_for_pc(bgen_pcs[i]);
        const char *file = NULL;
        int line = whence_func_line(f, bgen_pcs[i] - 1, &file);
        if (strcmp(whence_func_name(f), want))
            wrong_name++;
        /* gen_funcs.sh puts function i at lines 4+5i .. 8+5i, its call at 6+5i. */
        bool name_ok = !strcmp(whence_func_name(f), want);
        bool line_ok = line == 6 + 5 * i && file && strstr(file, "gen_funcs_1000.c");
        wrong_line += !line_ok;
        if ((!name_ok || !line_ok) && !printed++)
            fprintf(stderr, "bench_caller: pc %#lx: %s at %s:%d, want %s at gen_funcs_1000.c:%d\n",
                    (unsigned long)bgen_pcs[i], whence_func_name(f), file ? file : "(null)", line, want,
                    6 + 5 * i);
    }
    if (wrong_name) {
        bad("ffp_name", "%d of %d pcs named wrongly", wrong_name, NPCS);
        bad("ffp_line", "%d of %d pcs named wrongly", wrong_name, NPCS);
    } else if (wrong_line) {
        bad("ffp_line", "%d of %d pcs with a wrong file:line", wrong_line, NPCS);
    }
}

/* ---- measurement --------------------------------------------------------- */

static int g_repeats = 11;
static double g_ms = 4;

/* Median over g_repeats of the ns per op of a loop of op at the given depth. */
static double time_op(const struct op *o)
{
    long iters = 8;
    int64_t dt;
    for (;;) {
        int64_t t0 = bench_now();
        at_depth(o->depth, o->fn, iters);
        dt = bench_now() - t0;
        if (dt >= 1000000 || iters >= (1L << 32))
            break;
        iters *= 2;
    }
    double want = g_ms * 1e6;
    iters = (long)((double)iters * want / (double)(dt > 0 ? dt : 1));
    if (iters < 1)
        iters = 1;
    double v[64];
    int reps = g_repeats > 64 ? 64 : g_repeats;
    for (int r = 0; r < reps; r++) {
        int64_t t0 = bench_now();
        at_depth(o->depth, o->fn, iters);
        v[r] = (double)(bench_now() - t0) / (double)iters;
    }
    return bench_median(v, reps);
}

static bool g_have_unw;

static void prepare(void)
{
    for (int i = 0; i < bgen_count && i < NPCS; i++)
        g_sink += (uintptr_t)bgen_table[i](i);
    bench_permutation(g_order, NPCS);
    g_have_unw = load_libunwind();
    /* first calls: whence builds its tables, glibc loads libgcc_s, ... */
    void *pcs[32];
    g_sink += (uintptr_t)backtrace(pcs, 32);
    g_sink += (uintptr_t)whence_func_for_pc(bgen_pcs[0]);
    uintptr_t wp[32];
    g_sink += (uintptr_t)whence_callers(0, wp, 32);
}

static const char *g_only; /* --only KEY[,KEY...]: just those ops */

static bool op_wanted(const struct op *o)
{
    if (o->unw && !g_have_unw)
        return false;
    if (!g_only)
        return true;
    size_t n = strlen(o->key);
    for (const char *p = g_only; (p = strstr(p, o->key)); p += n)
        if ((p == g_only || p[-1] == ',') && (p[n] == 0 || p[n] == ','))
            return true;
    return false;
}

static void measure_all(void)
{
    at_depth(DEEP, check_capture, 0);
    check_lookup();
    for (int i = 0; i < NOPS; i++) {
        if (!op_wanted(&g_ops[i]))
            continue;
        kv_add(g_ops[i].key, time_op(&g_ops[i]));
    }
}

static void run_callgrind(void)
{
    /* An image gets its buckets after its first 64 lookups: here, outside
     * every op, so that no op's figure holds their one-time build. */
    for (int k = 0; k < 2 * NPCS; k++)
        g_sink += (uintptr_t)whence_func_for_pc(bgen_pcs[k % NPCS]);
    for (int i = 0; i < NOPS; i++) {
        if (!op_wanted(&g_ops[i]))
            continue;
        at_depth(g_ops[i].depth, g_ops[i].fn, 1); /* warm this op's path */
    }
    for (int i = 0; i < NOPS; i++) {
        if (!op_wanted(&g_ops[i]))
            continue;
        /* Only this call is inside op_<key> with cg_iters iterations; the
         * warm-up above ran it with 1: callgrind's inclusive cost of op_<key>
         * covers cg_iters + 1 ops. */
        at_depth(g_ops[i].depth, g_ops[i].fn, g_ops[i].cg_iters);
        printf("cgiters\t%s\t%ld\n", g_ops[i].key, g_ops[i].cg_iters + 1);
    }
}

/* ---- the table ------------------------------------------------------------ */

struct peer {
    const char *label;
    const char *key;
};

enum check {
    CK_NONE,
    /* targets.md, raised in the second round */
    CK_CALLER,   /* <= 3 ns and >= 80x faster than Go's Caller(1) */
    CK_CALLERS,  /* <= 1.2x FP walk 32 (and >= 4x faster than unw_backtrace) */
    CK_FRAMES,   /* <= 250 ns */
    CK_FFP,      /* <= 8 ns */
    CK_LINE,     /* <= 15 ns */
    CK_FIRST,    /* <= Go's first FuncForPC */
    CK_FIRST_TAB, /* with whence-link's table: <= Go's first FuncForPC */
};

struct row {
    const char *op;
    const char *key;
    const char *target;
    enum check check;
    struct peer peers[5];
};

static const struct row g_rows[] = {
    {"whence_caller(1): name+file:line", "caller1", "<=3 ns; >=80x faster than Go Caller(1)", CK_CALLER,
     {{"Go runtime.Caller(1)", "go_caller1"},
      {"glibc backtrace+dladdr (no line)", "glibc_caller"},
      {"libunwind init+2 steps (pc only)", "unw_caller"}}},
    {"whence_callers, 10 frames", "callers10", "(none; FP walk for scale)", CK_NONE,
     {{"hand-written FP walk, 10", "fp10"}, {"Go runtime.Callers, 10", "go_callers10"}}},
    {"whence_callers, 32 frames", "callers32", "<=1.2x FP walk; >=4x faster than unw_backtrace", CK_CALLERS,
     {{"hand-written FP walk, 32", "fp32"},
      {"libunwind unw_backtrace, 32", "unw32"},
      {"glibc backtrace, 32", "bt32"},
      {"Go runtime.Callers, 32", "go_callers32"}}},
    {"callers + name+file:line of 32 frames", "frames32", "<=250 ns", CK_FRAMES,
     {{"Go Callers+CallersFrames, 32", "go_frames32"},
      {"glibc backtrace+backtrace_symbols (no lines)", "btsyms32"}}},
    {"func_for_pc + name, 1,000 distinct pcs", "ffp_name", "<=8 ns",
     CK_FFP,
     {{"Go FuncForPC+Name", "go_ffp_name"}, {"glibc dladdr", "dladdr"}}},
    {"pc -> name + file:line, 1,000 distinct pcs", "ffp_line", "<=15 ns", CK_LINE,
     {{"Go FuncForPC+Name+FileLine", "go_ffp_line"}}},
    {"first lookup, fresh process, 10,000 funcs", "first", "<= Go first FuncForPC", CK_FIRST,
     {{"Go first FuncForPC+Name", "go_first"}}},
    {"first lookup, whence-link's table", "tab_first", "<= Go first FuncForPC", CK_FIRST_TAB,
     {{"Go first FuncForPC+Name", "go_first"}, {"whence without the table", "first"}}},
    {"first lookup, the same in 100 modules", "many_first", "<= Go first FuncForPC", CK_FIRST,
     {{"Go first FuncForPC+Name", "go_first"}, {"whence, one module", "first"}}},
    {"first lookup, 100 modules, with the table", "many_tab_first", "<= Go first FuncForPC", CK_FIRST_TAB,
     {{"Go first FuncForPC+Name", "go_first"}, {"whence without the table", "many_first"}}},
};
#define NROWS ((int)(sizeof g_rows / sizeof g_rows[0]))

static void fmt_ns(char *buf, size_t n, double v)
{
    if (v < 0)
        snprintf(buf, n, "-");
    else if (v < 100)
        snprintf(buf, n, "%.1f", v);
    else
        snprintf(buf, n, "%.0f", v);
}

/* Returns "met", "MISSED", or a reason the verdict cannot be given. */
static const char *verdict(const struct row *r, double w, char *why, size_t whylen)
{
    /* bench_first says "bad_first"; bench.sh prefixes its variants' lines
     * (tab_, many_, many_tab_) */
    char badkey[80];
    const char *first = strstr(r->key, "first");
    if (first && !strcmp(first, "first"))
        snprintf(badkey, sizeof badkey, "%.*sbad_first", (int)(first - r->key), r->key);
    else
        snprintf(badkey, sizeof badkey, "bad_%s", r->key);
    why[0] = 0;
    if (r->check == CK_NONE)
        return "";
    if (w < 0)
        return "not measured";
    if (kv_count(badkey))
        return "INVALID (wrong answers)";
    double go1 = kv_med("go_caller1"), fp = kv_med("fp32"), unw = kv_med("unw32"), gof = kv_med("go_first");
    bool ok = true, partial = false;
    switch (r->check) {
    case CK_CALLER:
        ok = w <= 3;
        if (go1 > 0)
            ok = ok && go1 / w >= 80;
        else
            partial = true;
        snprintf(why, whylen, "%.1f ns%s", w, go1 > 0 ? "" : ", Go not run");
        if (go1 > 0)
            snprintf(why, whylen, "%.1f ns, %.0fx Go", w, go1 / w);
        break;
    case CK_CALLERS:
        ok = fp > 0 && w <= 1.2 * fp;
        if (unw > 0)
            ok = ok && unw / w >= 4;
        else
            partial = true;
        snprintf(why, whylen, "%.2fx FP", fp > 0 ? w / fp : -1);
        if (unw > 0)
            snprintf(why + strlen(why), whylen - strlen(why), ", %.1fx faster than unw", unw / w);
        break;
    case CK_FRAMES: ok = w <= 250; break;
    case CK_FFP: ok = w <= 8; break;
    case CK_LINE: ok = w <= 15; break;
    case CK_FIRST_TAB:
        ok = true;
        if (gof > 0)
            ok = w <= gof;
        else
            partial = true;
        snprintf(why, whylen, "%.0f ns", w);
        if (gof > 0)
            snprintf(why, whylen, "%.0f ns, %.2fx Go", w, w / gof);
        break;
    case CK_FIRST:
        if (gof > 0) {
            ok = w <= gof;
            snprintf(why, whylen, "%.2fx Go", w / gof);
        } else {
            return "Go not run";
        }
        break;
    case CK_NONE: break;
    }
    if (!ok)
        return "MISSED";
    return partial ? "met (partly checked)" : "met";
}

static bool g_markdown;

/* One table line: fixed-width columns, or a Markdown row. */
static void put_row(int ncol, const int *width, const char *const *cell)
{
    for (int c = 0; c < ncol; c++) {
        if (g_markdown)
            printf("| %s ", cell[c]);
        else
            printf(c ? " %-*s" : "%-*s", width[c], cell[c]);
    }
    printf(g_markdown ? "|\n" : "\n");
}

static void put_rule(int ncol, const int *width)
{
    int w = 0;
    for (int c = 0; c < ncol; c++) {
        if (g_markdown)
            printf("|---");
        w += width[c] + 1;
    }
    if (g_markdown) {
        printf("|\n");
        return;
    }
    for (int i = 0; i < w - 1; i++)
        putchar('-');
    putchar('\n');
}

static void print_table(void)
{
    static const int width[] = {42, 9, 44, 9, 8, 48, 20};
    static const char *const head[] = {"operation", "whence ns", "peer", "peer ns", "peer/wh", "target", "verdict"};
    put_row(7, width, head);
    put_rule(7, width);
    for (int i = 0; i < NROWS; i++) {
        const struct row *r = &g_rows[i];
        double w = kv_med(r->key);
        char wbuf[32], pbuf[32], rbuf[32], why[96];
        fmt_ns(wbuf, sizeof wbuf, w);
        const char *v = verdict(r, w, why, sizeof why);
        int np = 0;
        while (np < 5 && r->peers[np].label)
            np++;
        for (int p = 0; p < (np ? np : 1); p++) {
            double pv = np ? kv_med(r->peers[p].key) : -1;
            fmt_ns(pbuf, sizeof pbuf, pv);
            if (pv > 0 && w > 0)
                snprintf(rbuf, sizeof rbuf, "%.2fx", pv / w);
            else
                snprintf(rbuf, sizeof rbuf, "-");
            if (np && pv < 0)
                snprintf(pbuf, sizeof pbuf, "n/a");
            char vbuf[160] = "";
            if (p == 0 && v[0])
                snprintf(vbuf, sizeof vbuf, "%s%s%s%s", v, why[0] ? " (" : "", why, why[0] ? ")" : "");
            const char *cell[7] = {p == 0 ? r->op : "", p == 0 ? wbuf : "", np ? r->peers[p].label : "-",
                                   pbuf, rbuf, p == 0 ? r->target : "", vbuf};
            put_row(7, width, cell);
        }
    }
    printf("\nns per op, warm (first lookup: one call in a new process); medians of %s.\n"
           "peer/wh = peer ns / whence ns: how many times faster whence is (below 1: slower).\n",
           kv_count("runs") > 1 ? "runs (each run: median of its repeats)" : "the repeats of this run");
    if (kv_count("first_faults"))
        printf("first lookup (whence): median %.0f page faults during the call; the second lookup in the "
               "same process: %.0f ns.\n",
               kv_med("first_faults"), kv_med("first_second"));
    if (kv_count("first_mem_fn") && kv_med("first_mem_fn") >= 0)
        printf("memory: the index of the first lookup's image (10,000 functions) takes %.1f B per function "
               "+ 8 per call site, page rounding and the 4 KiB buckets included (target: <= 16 + 8): %s.\n",
               kv_med("first_mem_fn"), kv_med("first_mem_fn") <= 16.0 ? "met" : "MISSED");
    if (kv_count("tab_first_faults"))
        printf("first lookup with the table: median %.0f page faults; the second lookup: %.0f ns.\n",
               kv_med("tab_first_faults"), kv_med("tab_first_second"));
    if (kv_count("many_first_faults"))
        printf("first lookup in 100 modules: median %.0f page faults (with the table: %.0f); the second "
               "lookup: %.0f ns (with the table: %.0f).\n",
               kv_med("many_first_faults"), kv_med("many_tab_first_faults"), kv_med("many_first_second"),
               kv_med("many_tab_first_second"));
    int nfirst = kv_count("first"), ngo = kv_count("go_caller1");
    if (nfirst || ngo)
        printf("samples: %d C runs, %d Go runs, %d/%d/%d first-lookup processes (C/C with the table/Go).\n",
               kv_count("runs"), ngo, nfirst, kv_count("tab_first"), kv_count("go_first"));

    /* record size vs the line tables (scripts/bench.sh measures the binaries) */
    static const char *const size_bins[][2] = {{"bench_first", "10,000 generated functions"},
                                               {"bench_caller", "bench_caller + 1,000 functions"}};
    if (kv_count("size_rec_bench_first")) {
        static const int sw[] = {32, 8, 10, 8, 10, 8, 8, 8, 16, 8};
        static const char *const sh[] = {"binary", "sites", "records B", "B/site", "with tab B", "B/site",
                                         "lines B", "B/site", "rec/with /lines", "names B"};
        printf("\nsize of the records (whence_fn, whence_site, whence_mod) and of what the runtime reads\n"
               "with whence-link's table (the table + whence_mod) vs the instrumented code's line tables\n"
               "(.debug_line + .debug_line_str, libwhence's own taken out; names counted apart: the line\n"
               "tables hold none).  Targets: records <= 1x the line tables, with the table <= 0.5x:\n\n");
        put_row(10, sw, sh);
        put_rule(10, sw);
        for (size_t i = 0; i < sizeof size_bins / sizeof size_bins[0]; i++) {
            char k[64], c[10][48];
            double v[5];
            static const char *const keys[5] = {"sites", "rec", "tab", "lines", "names"};
            for (int j = 0; j < 5; j++) {
                snprintf(k, sizeof k, "size_%s_%s", keys[j], size_bins[i][0]);
                v[j] = kv_count(k) ? kv_med(k) : -1;
            }
            double sites = v[0], rec = v[1], tab = v[2], lines = v[3];
            snprintf(c[1], sizeof c[1], "%.0f", sites);
            snprintf(c[2], sizeof c[2], "%.0f", rec);
            snprintf(c[3], sizeof c[3], "%.1f", sites > 0 ? rec / sites : -1);
            snprintf(c[4], sizeof c[4], tab > 0 ? "%.0f" : "-", tab);
            snprintf(c[5], sizeof c[5], tab > 0 && sites > 0 ? "%.1f" : "-", sites > 0 ? tab / sites : -1);
            snprintf(c[6], sizeof c[6], "%.0f", lines);
            snprintf(c[7], sizeof c[7], "%.1f", sites > 0 ? lines / sites : -1);
            bool ok1 = lines > 0 && rec <= lines, ok2 = lines > 0 && tab > 0 && tab <= 0.5 * lines;
            snprintf(c[8], sizeof c[8], "%.2f/%.2f %s/%s", lines > 0 ? rec / lines : -1,
                     lines > 0 && tab > 0 ? tab / lines : -1, ok1 ? "met" : "MISSED", ok2 ? "met" : "MISSED");
            snprintf(c[9], sizeof c[9], "%.0f", v[4] > 0 ? v[4] : 0);
            const char *cell[10] = {size_bins[i][1], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]};
            put_row(10, sw, cell);
        }
    }

    /* callgrind instruction counts, when present */
    static const char *cg_pairs[][4] = {
        {"whence_caller(1): name+file:line", "cg_caller1", "glibc backtrace+dladdr", "cg_glibc_caller"},
        {"whence_callers, 10 frames", "cg_callers10", "FP walk, 10", "cg_fp10"},
        {"whence_callers, 32 frames", "cg_callers32", "FP walk, 32", "cg_fp32"},
        {"", "", "libunwind unw_backtrace, 32", "cg_unw32"},
        {"", "", "glibc backtrace, 32", "cg_bt32"},
        {"callers + frames, 32", "cg_frames32", "backtrace+backtrace_symbols", "cg_btsyms32"},
        {"func_for_pc + name, 1,000 pcs", "cg_ffp_name", "dladdr", "cg_dladdr"},
        {"pc -> name + file:line, 1,000 pcs", "cg_ffp_line", "", ""},
        {"with whence-link's table: caller(1)", "cg_tab_caller1", "the same, buckets", "cg_caller1"},
        {"  whence_callers, 32 frames", "cg_tab_callers32", "the same, buckets", "cg_callers32"},
        {"  callers + frames, 32", "cg_tab_frames32", "the same, buckets", "cg_frames32"},
        {"  func_for_pc + name, 1,000 pcs", "cg_tab_ffp_name", "the same, buckets", "cg_ffp_name"},
        {"  pc -> name + file:line, 1,000 pcs", "cg_tab_ffp_line", "the same, buckets", "cg_ffp_line"},
        {"first lookup, fresh process", "cg_first", "Go first FuncForPC+Name", "cg_go_first"},
        {"first lookup, whence-link's table", "cg_tab_first", "Go first FuncForPC+Name", "cg_go_first"},
        {"first lookup, 100 modules", "cg_many_first", "the same, one module", "cg_first"},
        {"  with whence-link's table", "cg_many_tab_first", "the same, one module", "cg_tab_first"},
    };
    if (kv_count("cg_callers32") || kv_count("cg_first")) {
        printf("\ncallgrind (valgrind --tool=callgrind), instructions per op:\n\n");
        static const int cw[] = {36, 10, 30, 10, 8};
        static const char *const ch[] = {"operation", "whence Ir", "baseline", "base Ir", "wh/base"};
        put_row(5, cw, ch);
        put_rule(5, cw);
        double last_w = -1;
        for (size_t i = 0; i < sizeof cg_pairs / sizeof cg_pairs[0]; i++) {
            /* a row without a whence op compares with the row above */
            double w = cg_pairs[i][1][0] ? kv_med(cg_pairs[i][1]) : last_w;
            last_w = w;
            double b = cg_pairs[i][3][0] ? kv_med(cg_pairs[i][3]) : -1;
            char wb[32], bb[32], rb[32];
            fmt_ns(wb, sizeof wb, w);
            fmt_ns(bb, sizeof bb, b);
            if (w > 0 && b > 0)
                snprintf(rb, sizeof rb, "%.2fx", w / b);
            else
                snprintf(rb, sizeof rb, "-");
            const char *cell[5] = {cg_pairs[i][0], cg_pairs[i][1][0] ? wb : "",
                                   cg_pairs[i][2][0] ? cg_pairs[i][2] : "-", cg_pairs[i][3][0] ? bb : "-", rb};
            put_row(5, cw, cell);
        }
        printf("\nwh/base = whence Ir / baseline Ir (target for 32 frames vs the FP walk: <= 1.2).\n");
    }
}

static int read_results(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char line[256];
    while (fgets(line, sizeof line, f)) {
        char key[64];
        double v;
        if (sscanf(line, "%63s %lf", key, &v) == 2)
            kv_add(key, v);
    }
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    enum { TABLE, RAW, CALLGRIND, REPORT } mode = TABLE;
    const char *files[64];
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--raw"))
            mode = RAW;
        else if (!strcmp(argv[i], "--callgrind"))
            mode = CALLGRIND;
        else if (!strcmp(argv[i], "--report"))
            mode = REPORT;
        else if (!strcmp(argv[i], "--markdown"))
            g_markdown = true;
        else if (!strcmp(argv[i], "--repeats") && i + 1 < argc)
            g_repeats = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--ms") && i + 1 < argc)
            g_ms = atof(argv[++i]);
        else if (!strcmp(argv[i], "--only") && i + 1 < argc)
            g_only = argv[++i];
        else if (mode == REPORT && argv[i][0] != '-' && nfiles < 64)
            files[nfiles++] = argv[i];
        else {
            fprintf(stderr,
                    "usage: %s [--raw | --callgrind | --report FILE...] [--markdown] [--repeats N] [--ms N] [--only KEY,...]\n",
                    argv[0]);
            return 2;
        }
    }
    if (mode == REPORT) {
        for (int i = 0; i < nfiles; i++)
            if (read_results(files[i]))
                return 1;
        print_table();
        return 0;
    }
    prepare();
    if (mode == CALLGRIND) {
        run_callgrind();
        return 0;
    }
    measure_all();
    kv_add("runs", 1);
    if (mode == RAW) {
        for (int i = 0; i < g_nkv; i++)
            for (int k = 0; k < g_kv[i].n; k++)
                printf("%s\t%.3f\n", g_kv[i].key, g_kv[i].v[k]);
    } else {
        print_table();
        if (g_bad)
            printf("\nwhence gave wrong answers (see stderr): its figures are not valid.\n");
    }
    return 0;
}
