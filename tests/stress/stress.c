/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * stress.c - whence under threads, in the spirit of seed 000 (pooled buffers
 * that swapped results between threads): many threads, each with its own
 * call path through its own functions, ask the runtime about their own
 * stacks as fast as they can, and every answer is checked against the path
 * the thread knows it took.  An answer that names another thread's function
 * (or any wrong line, count or entry) is a mismatch.  Built WITH the plugin
 * (scripts/stress.sh, lit/stress/).
 *
 *   stress [--threads N] [--ops TOTAL] [--dso A.so --dso B.so]
 *          [--sigprof HZ] [--selftest]
 *
 * --selftest makes thread 1 expect thread 0's leaf name: the run must then
 * report mismatches (proof that the checks check).
 *
 * Thread t runs s<t>_main -> s<t>_a/b/c (recursion of depth 4 + t % 9 in a
 * per-thread order, every call indirect) -> s<t>_leaf, then loops over:
 *   whence_callers(0) + expansion of every frame with whence_frames
 *   whence_caller(1), whence_caller(k) for a k that walks up the stack
 *   whence_func_for_pc on its own function pointers (name and entry) and on
 *   the captured return addresses (name), whence_func_line
 *   (sigprof mode) whence_write_stack to /dev/null
 * until it has done TOTAL/N operations.  All threads wait on a barrier and
 * then make their first whence call at the same moment (concurrent first
 * use: the lazily built index).  With --dso, one more thread dlopens and
 * dlcloses the two libraries in a loop (sometimes both at once), calls into
 * them and checks the library's frames (and the program's frames below them,
 * reached through a callback), and checks that an unloaded library's pcs are
 * no longer named.
 *
 * --sigprof HZ: setitimer(ITIMER_PROF) at HZ, plus a CLOCK_MONOTONIC POSIX
 * timer at HZ (ITIMER_PROF is capped by the kernel tick), both SIGPROF to
 * the process, so any thread is hit; the SA_RESTART handler calls
 * whence_callers and expands the frames,
 * checks that the first frame is the handler and every frame is a function
 * of this program (or of the libraries), and looks up the interrupted pc
 * (ucontext RIP).  The first lookup happens before the timer starts (the API
 * makes whence_func_for_pc async-signal-safe after the first lookup).
 *
 * Prints one summary line:
 *   stress: threads=N ops=X mismatches=0 first_use_ok=1 dso_loads=L dso_mismatches=0
 *           signals=S sig_bad=0 seconds=T
 * and exits 1 on any mismatch.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))
#define MAXT 64
#define MAXD (4 + 8 + 1)
#define NPC (MAXD + 16)

struct ctx;
typedef int (*fn_t)(int, struct ctx *);

struct ctx {
    int id, depth;
    fn_t seq[MAXD + 1];          /* function at each depth */
    const char *seq_name[MAXD + 1];
    int line[MAXD + 1];          /* line of the call made at depth d */
    int main_line, leaf_line;
    const char *main_name, *leaf_name;
    fn_t own[3];                 /* this thread's a, b, c */
    const char *own_name[3];
    long ops, target, mism;
    const char *selftest_as;     /* --selftest: a wrong leaf name */
    char first_bad[200];
};

static int nthreads = 32;
static long total_ops = 1000000;
static int sig_hz;
static int devnull = -1;
static pthread_barrier_t start_bar;
static atomic_int readers_left;
static __thread volatile int sink; /* per thread: no race of our own under TSan */

static void note_bad(struct ctx *c, const char *what, int k, const char *got, int line) {
    if (c->mism++ == 0)
        snprintf(c->first_bad, sizeof c->first_bad, "thread %d %s frame %d: got %s:%d", c->id,
                 what, k, got, line);
}

/* Logical frame k of the leaf's stack (0 = the leaf itself). */
static inline void want(const struct ctx *c, int k, const char **fn, int *line) {
    int D = c->depth;
    if (k == 0) {
        *fn = c->leaf_name;
        *line = c->leaf_line;
    } else if (k <= D + 1) {
        int d = D + 1 - k;
        *fn = c->seq_name[d];
        *line = c->line[d];
    } else if (k == D + 2) {
        *fn = c->main_name;
        *line = c->main_line;
    } else {
        *fn = NULL;
        *line = 0;
    }
}

/* The work done at the bottom of each thread's path. */
static void leaf_body(struct ctx *c, int leaf_line, uintptr_t *pcs, int n, bool ok1,
                      const whence_frame *f1, int k, bool okk, const whence_frame *fk) {
    c->leaf_line = leaf_line;
    int nframes = c->depth + 3;
    const char *wfn;
    int wline;
    c->ops += 3;
    /* whence_caller(1): the function that called the leaf */
    want(c, 1, &wfn, &wline);
    if (!ok1 || strcmp(f1->function, wfn) != 0 || f1->line != wline || f1->inlined)
        note_bad(c, "caller(1)", 1, f1->function, f1->line);
    /* whence_caller(k) */
    want(c, k, &wfn, &wline);
    if (wfn ? (!okk || strcmp(fk->function, wfn) != 0 || fk->line != wline)
            : (okk || strcmp(fk->function, "?") != 0))
        note_bad(c, "caller(k)", k, fk->function, fk->line);
    /* whence_callers + whence_frames: every frame, nothing more */
    if (n != nframes)
        note_bad(c, "count", n, "-", 0);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    int j = 0;
    while (whence_frames_next(&it, &f)) {
        want(c, j, &wfn, &wline);
        if (!wfn || strcmp(f.function, wfn) != 0 || f.line != wline || f.inlined)
            note_bad(c, "frames", j, f.function, f.line);
        j++;
    }
    if (j != nframes)
        note_bad(c, "nframes", j, "-", 0);
    c->ops++;
    /* whence_func_for_pc on the return addresses: physical frames */
    for (int i = 0; i < n && i < nframes; i++) {
        const whence_func *fn = whence_func_for_pc(pcs[i]);
        want(c, i, &wfn, &wline);
        const char *file = NULL;
        /* (the call's line: its last byte, a return address - 1, as Go's
         * Func.FileLine asks; a runtime token, as it is) */
        uintptr_t at = pcs[i] >> 48 ? pcs[i] : pcs[i] - 1;
        if (!fn || strcmp(whence_func_name(fn), wfn) != 0 ||
            whence_func_line(fn, at, &file) != wline)
            note_bad(c, "func_for_pc(ra)", i, fn ? whence_func_name(fn) : "NULL",
                     fn ? whence_func_line(fn, at, NULL) : 0);
    }
    c->ops += 1;
    /* whence_func_for_pc on this thread's own function pointers */
    for (int i = 0; i < 3; i++) {
        const whence_func *fn = whence_func_for_pc((uintptr_t)c->own[i]);
        if (!fn || strcmp(whence_func_name(fn), c->own_name[i]) != 0 ||
            whence_func_entry(fn) != (uintptr_t)c->own[i])
            note_bad(c, "func_for_pc(entry)", i, fn ? whence_func_name(fn) : "NULL", 0);
    }
    c->ops += 1;
    if (sig_hz && (c->ops & 1023) < 5) {
        whence_write_stack(devnull, 0);
        c->ops++;
    }
}

/* Per thread t: s<t>_a, s<t>_b, s<t>_c call the next function of the
 * thread's sequence (or the leaf at the bottom); s<t>_leaf loops over the
 * API; s<t>_main is the thread's entry.  Every call's line is recorded with
 * __LINE__ on that same line (inside the macro: the DEFINE_SET line). */
#define DEFINE_MID(t, x)                                                                           \
    NOINLINE static int s##t##_##x(int d, struct ctx *c) {                                         \
        int r;                                                                                     \
        if (d == c->depth) {                                                                       \
            c->line[d] = __LINE__; r = s##t##_leaf(c);                                            \
        } else {                                                                                   \
            c->line[d] = __LINE__; r = c->seq[d + 1](d + 1, c);                                   \
        }                                                                                          \
        sink = r;                                                                                  \
        return r + 1;                                                                              \
    }
#define DEFINE_SET(t)                                                                              \
    NOINLINE static int s##t##_leaf(struct ctx *c) {                                               \
        uintptr_t pcs[NPC];                                                                        \
        int nframes = c->depth + 3;                                                                \
        long it = 0;                                                                               \
        while (c->ops < c->target) {                                                               \
            whence_frame f1, fk;                                                                   \
            int k = (int)(it++ % (nframes + 1));                                                   \
            int n = whence_callers(0, pcs, NPC); bool ok1 = whence_caller(1, &f1); bool okk = whence_caller(k, &fk); \
            leaf_body(c, __LINE__, pcs, n, ok1, &f1, k, okk, &fk);                                 \
        }                                                                                          \
        return (int)c->ops;                                                                        \
    }                                                                                              \
    DEFINE_MID(t, a)                                                                               \
    DEFINE_MID(t, b)                                                                               \
    DEFINE_MID(t, c)                                                                               \
    NOINLINE static void *s##t##_main(void *arg) {                                                 \
        struct ctx *c = arg;                                                                       \
        c->own[0] = s##t##_a; c->own[1] = s##t##_b; c->own[2] = s##t##_c;                         \
        c->own_name[0] = "s" #t "_a"; c->own_name[1] = "s" #t "_b"; c->own_name[2] = "s" #t "_c"; \
        c->main_name = "s" #t "_main"; c->leaf_name = "s" #t "_leaf";                             \
        for (int d = 0; d <= c->depth; d++) {                                                      \
            int j = (c->id * 7 + d * 5 + (d * d) / 3) % 3;                                         \
            c->seq[d] = c->own[j];                                                                 \
            c->seq_name[d] = c->own_name[j];                                                       \
        }                                                                                          \
        pthread_barrier_wait(&start_bar);                                                          \
        if (c->selftest_as)                                                                        \
            c->leaf_name = c->selftest_as;                                                         \
        c->main_line = __LINE__; int r = c->seq[0](0, c);                                         \
        sink = r;                                                                                  \
        atomic_fetch_sub(&readers_left, 1);                                                        \
        return NULL;                                                                               \
    }

DEFINE_SET(0)  DEFINE_SET(1)  DEFINE_SET(2)  DEFINE_SET(3)
DEFINE_SET(4)  DEFINE_SET(5)  DEFINE_SET(6)  DEFINE_SET(7)
DEFINE_SET(8)  DEFINE_SET(9)  DEFINE_SET(10) DEFINE_SET(11)
DEFINE_SET(12) DEFINE_SET(13) DEFINE_SET(14) DEFINE_SET(15)
DEFINE_SET(16) DEFINE_SET(17) DEFINE_SET(18) DEFINE_SET(19)
DEFINE_SET(20) DEFINE_SET(21) DEFINE_SET(22) DEFINE_SET(23)
DEFINE_SET(24) DEFINE_SET(25) DEFINE_SET(26) DEFINE_SET(27)
DEFINE_SET(28) DEFINE_SET(29) DEFINE_SET(30) DEFINE_SET(31)
DEFINE_SET(32) DEFINE_SET(33) DEFINE_SET(34) DEFINE_SET(35)
DEFINE_SET(36) DEFINE_SET(37) DEFINE_SET(38) DEFINE_SET(39)
DEFINE_SET(40) DEFINE_SET(41) DEFINE_SET(42) DEFINE_SET(43)
DEFINE_SET(44) DEFINE_SET(45) DEFINE_SET(46) DEFINE_SET(47)
DEFINE_SET(48) DEFINE_SET(49) DEFINE_SET(50) DEFINE_SET(51)
DEFINE_SET(52) DEFINE_SET(53) DEFINE_SET(54) DEFINE_SET(55)
DEFINE_SET(56) DEFINE_SET(57) DEFINE_SET(58) DEFINE_SET(59)
DEFINE_SET(60) DEFINE_SET(61) DEFINE_SET(62) DEFINE_SET(63)

#define M(t) s##t##_main
static void *(*const MAINS[MAXT])(void *) = {
    M(0),  M(1),  M(2),  M(3),  M(4),  M(5),  M(6),  M(7),  M(8),  M(9),  M(10), M(11), M(12),
    M(13), M(14), M(15), M(16), M(17), M(18), M(19), M(20), M(21), M(22), M(23), M(24), M(25),
    M(26), M(27), M(28), M(29), M(30), M(31), M(32), M(33), M(34), M(35), M(36), M(37), M(38),
    M(39), M(40), M(41), M(42), M(43), M(44), M(45), M(46), M(47), M(48), M(49), M(50), M(51),
    M(52), M(53), M(54), M(55), M(56), M(57), M(58), M(59), M(60), M(61), M(62), M(63)};

/* ---- the library thread ------------------------------------------------- */
static const char *dso_path[2];
static long dso_loads, dso_mism, dso_unload_checks;
static char dso_first_bad[200];
static int dl_cb_line, dl_call_line;
static uintptr_t dl_cb_pcs[NPC];
static int dl_cb_n;

static void dso_bad(const char *what, int k, const char *got) {
    if (dso_mism++ == 0)
        snprintf(dso_first_bad, sizeof dso_first_bad, "dso %s frame %d: got %s", what, k, got);
}

/* Called back from inside the library: the program's frames above it. */
NOINLINE static void dl_cb(int v) {
    dl_cb_line = __LINE__; dl_cb_n = whence_callers(0, dl_cb_pcs, NPC);
    sink = v;
}

typedef int (*dso_run_t)(void (*)(int), uintptr_t *, int);

NOINLINE static void dl_call(void *h, int which) {
    dso_run_t run = (dso_run_t)dlsym(h, "dso_run");
    int *lines = dlsym(h, "dso_lines");
    int *variant = dlsym(h, "dso_variant");
    if (!run || !lines || !variant) {
        dso_bad("dlsym", 0, dlerror());
        return;
    }
    if (*variant != which)
        dso_bad("variant", which, "other");
    uintptr_t pcs[NPC];
    dl_call_line = __LINE__; int n = run(dl_cb, pcs, NPC);
    /* from the library: dso_inner, dso_outer, dso_run, dl_call, dl_main */
    static const char *const lw[] = {"dso_inner", "dso_outer", "dso_run", "dl_call", "dl_main"};
    int ll[4] = {lines[0], lines[1], lines[2], dl_call_line};
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    int k = 0;
    while (whence_frames_next(&it, &f)) {
        if (k >= 5 || strcmp(f.function, lw[k]) != 0 || (k < 4 && f.line != ll[k]))
            dso_bad("lib frames", k, f.function);
        k++;
    }
    if (k != 5)
        dso_bad("lib count", k, "-");
    /* from the callback: dl_cb, dso_inner, dso_outer, dso_run, dl_call, dl_main */
    static const char *const cw[] = {"dl_cb", "dso_inner", "dso_outer", "dso_run", "dl_call",
                                     "dl_main"};
    whence_frames_init(&it, dl_cb_pcs, dl_cb_n);
    k = 0;
    while (whence_frames_next(&it, &f)) {
        if (k >= 6 || strcmp(f.function, cw[k]) != 0 || (k == 0 && f.line != dl_cb_line))
            dso_bad("cb frames", k, f.function);
        k++;
    }
    if (k != 6)
        dso_bad("cb count", k, "-");
    const whence_func *fn = whence_func_for_pc((uintptr_t)run);
    if (!fn || strcmp(whence_func_name(fn), "dso_run") != 0 || whence_func_entry(fn) != (uintptr_t)run)
        dso_bad("func_for_pc(dso_run)", 0, fn ? whence_func_name(fn) : "NULL");
}

NOINLINE static void *dl_main(void *arg) {
    (void)arg;
    pthread_barrier_wait(&start_bar);
    unsigned r = 12345;
    void *h[2] = {NULL, NULL};
    uintptr_t old_pc[2] = {0, 0};
    while (atomic_load(&readers_left) > 0) {
        r = r * 1103515245u + 12345u;
        int which = (r >> 16) & 1;
        if (!h[which]) {
            h[which] = dlopen(dso_path[which], RTLD_NOW | RTLD_LOCAL);
            if (!h[which]) {
                dso_bad("dlopen", which, dlerror());
                break;
            }
            dso_loads++;
            old_pc[which] = (uintptr_t)dlsym(h[which], "dso_run");
        }
        dl_call(h[which], which);
        /* Close it most of the time; sometimes keep both loaded. */
        if ((r >> 20) & 3) {
            dlclose(h[which]);
            h[which] = NULL;
            void *still = dlopen(dso_path[which], RTLD_NOW | RTLD_NOLOAD);
            if (still) {
                dlclose(still); /* still loaded (other handle): may be named */
            } else {
                dso_unload_checks++;
                if (whence_func_for_pc(old_pc[which]))
                    dso_bad("unloaded library still named", which, "");
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (h[i])
            dlclose(h[i]);
    return NULL;
}

/* ---- SIGPROF ---------------------------------------------------------------- */
static const char *known[MAXT * 5 + 32];
static int nknown;
static atomic_long sig_count, sig_bad, sig_rip_ours, sig_frames;
static char sig_first_bad[128];

static bool is_known(const char *name) {
    for (int i = 0; i < nknown; i++)
        if (strcmp(name, known[i]) == 0)
            return true;
    return false;
}

static void sig_note(const char *what, const char *name) {
    if (atomic_fetch_add(&sig_bad, 1) == 0) {
        size_t a = strlen(what), b = strlen(name);
        if (a + b + 2 < sizeof sig_first_bad) {
            memcpy(sig_first_bad, what, a);
            sig_first_bad[a] = ' ';
            memcpy(sig_first_bad + a + 1, name, b + 1);
        }
    }
}

static void on_prof(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    (void)si;
    int saved = errno;
    ucontext_t *uc = ucv;
    uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    if (whence_func_for_pc(rip))
        atomic_fetch_add(&sig_rip_ours, 1);
    uintptr_t pcs[64];
    int n = whence_callers(0, pcs, 64);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    int k = 0;
    while (whence_frames_next(&it, &f)) {
        if (k == 0 && strcmp(f.function, "on_prof") != 0)
            sig_note("first frame is not the handler:", f.function);
        if (!is_known(f.function))
            sig_note("unknown frame:", f.function);
        k++;
    }
    if (k == 0)
        sig_note("no frames", "");
    atomic_fetch_add(&sig_frames, k);
    atomic_fetch_add(&sig_count, 1);
    errno = saved;
}

static void add_known(const char *s) { known[nknown++] = s; }

int main(int argc, char **argv) {
    int selftest = 0;
    timer_t ptimer;
    bool have_ptimer = false;
    int ndso = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            nthreads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--ops") && i + 1 < argc)
            total_ops = (long)atof(argv[++i]);
        else if (!strcmp(argv[i], "--dso") && i + 1 < argc && ndso < 2)
            dso_path[ndso++] = argv[++i];
        else if (!strcmp(argv[i], "--sigprof") && i + 1 < argc)
            sig_hz = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--selftest"))
            selftest = 1; /* thread 1 expects thread 0's names: must mismatch */
        else {
            fprintf(stderr, "usage: %s [--threads N] [--ops TOTAL] [--dso A --dso B] [--sigprof HZ]\n",
                    argv[0]);
            return 2;
        }
    }
    if (nthreads < 1 || nthreads > MAXT || (ndso != 0 && ndso != 2))
        return 2;
    devnull = open("/dev/null", O_WRONLY);
    static struct ctx ctx[MAXT];
    pthread_t th[MAXT], dl;
    bool use_dl = ndso == 2;
    pthread_barrier_init(&start_bar, NULL, (unsigned)nthreads + (use_dl ? 1 : 0));
    atomic_store(&readers_left, nthreads);

    if (sig_hz) {
        /* The names the handler may see: every function of this program
         * that can be on a stack, and the library's. */
        static char names[MAXT][5][16];
        static const char *const sfx[5] = {"a", "b", "c", "leaf", "main"};
        for (int t = 0; t < MAXT; t++)
            for (int j = 0; j < 5; j++) {
                snprintf(names[t][j], sizeof names[t][j], "s%d_%s", t, sfx[j]);
                add_known(names[t][j]);
            }
        static const char *const extra[] = {"on_prof", "leaf_body", "dl_main", "dl_call", "dl_cb",
                                            "dso_inner", "dso_outer", "dso_run", "main",
                                            "note_bad", "want", "dso_bad", "is_known", "sig_note"};
        for (unsigned i = 0; i < sizeof extra / sizeof extra[0]; i++)
            add_known(extra[i]);
        /* The first lookup before the first signal (API contract). */
        if (!whence_func_for_pc((uintptr_t)&main))
            fprintf(stderr, "stress: main is not instrumented?\n");
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_prof;
        sa.sa_flags = SA_SIGINFO | SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGPROF, &sa, NULL);
        long us = 1000000 / sig_hz;
        struct itimerval tv = {{0, us}, {0, us}};
        setitimer(ITIMER_PROF, &tv, NULL);
        /* ITIMER_PROF fires at most once per kernel tick (often 250 Hz):
         * a CLOCK_MONOTONIC timer at the same rate keeps HZ real. */
        struct sigevent sev;
        memset(&sev, 0, sizeof sev);
        sev.sigev_notify = SIGEV_SIGNAL;
        sev.sigev_signo = SIGPROF;
        if (timer_create(CLOCK_MONOTONIC, &sev, &ptimer) == 0) {
            have_ptimer = true;
            struct itimerspec its = {{0, us * 1000}, {0, us * 1000}};
            timer_settime(ptimer, 0, &its, NULL);
        }
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < nthreads; i++) {
        struct ctx *c = &ctx[i];
        c->id = i;
        c->depth = 4 + i % 9;
        c->target = total_ops / nthreads + 1;
        if (selftest && i == 1)
            c->selftest_as = "s0_leaf";
        if (pthread_create(&th[i], NULL, MAINS[i], c) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 2;
        }
    }
    if (use_dl && pthread_create(&dl, NULL, dl_main, NULL) != 0)
        return 2;
    long ops = 0, mism = 0;
    for (int i = 0; i < nthreads; i++) {
        pthread_join(th[i], NULL);
        ops += ctx[i].ops;
        mism += ctx[i].mism;
        if (ctx[i].mism)
            printf("BAD %s (%ld mismatches)\n", ctx[i].first_bad, ctx[i].mism);
    }
    if (use_dl)
        pthread_join(dl, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (sig_hz) {
        if (have_ptimer)
            timer_delete(ptimer);
        struct itimerval off = {{0, 0}, {0, 0}};
        setitimer(ITIMER_PROF, &off, NULL);
        signal(SIGPROF, SIG_IGN);
    }
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (dso_mism)
        printf("BAD %s (%ld mismatches)\n", dso_first_bad, dso_mism);
    if (sig_bad)
        printf("BAD signal: %s (%ld)\n", sig_first_bad, (long)sig_bad);
    printf("stress: threads=%d ops=%ld mismatches=%ld dso_loads=%ld dso_unload_checks=%ld "
           "dso_mismatches=%ld signals=%ld sig_bad=%ld sig_rip_ours=%ld seconds=%.2f ops_per_s=%.0f\n",
           nthreads, ops, mism, dso_loads, dso_unload_checks, dso_mism, (long)sig_count,
           (long)sig_bad, (long)sig_rip_ours, secs, ops / secs);
    return (mism || dso_mism || sig_bad) ? 1 : 0;
}
