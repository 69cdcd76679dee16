// 32 threads make the process's very first whence calls at the same moment
// (a barrier releases them together): each must get a complete, correct
// answer (the lookup tables are built once, published whole; nobody sees a
// half-built table or another thread's frames).  Every trial runs in a fresh
// child process (fork before any whence call), 12 trials per run, alternating
// which API call comes first.  The same binaries processed by whence-link
// too: then the 32 first lookups read the post-link table in place, and the
// image's module array is made (once) while they run.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only -pthread %whence_cflags %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -pthread %whence_cflags %s %whence_static -lpthread -ldl -o %t.st && %run %t.st | FileCheck %s
// RUN: %whence_link --quiet --strict -o %t.O2.tab %t.O2 && %run %t.O2.tab | FileCheck %s
// RUN: %whence_link --quiet --strict -o %t.st.tab %t.st && %run %t.st.tab | FileCheck %s
// CHECK: trials=12 failed=0
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <whence.h>

#define NT 32
#ifdef WHENCE_EMULATED
#define TRIALS 4 /* (qemu-user: each trial's 32 threads cost seconds) */
#else
#define TRIALS 12
#endif

static pthread_barrier_t barrier;
static int first_kind;
static volatile int sink;

struct ctx {
    int id, depth;
    int line_rec_cap, line_rec_rec, line_top, line_cap;
    int bad;
    char why[128];
};

__attribute__((noinline)) static int rec(struct ctx *c, int d);

__attribute__((noinline)) static int capture(struct ctx *c) {
    uintptr_t pcs[64];
    whence_frame f1;
    int n = 0;
    bool ok1 = false;
    const whence_func *self = NULL;
    pthread_barrier_wait(&barrier);
    // The first whence call of the process, in 32 threads at once.
    switch (first_kind) {
    case 0: c->line_cap = __LINE__; n = whence_callers(0, pcs, 64); ok1 = whence_caller(1, &f1); self = whence_func_for_pc((uintptr_t)&capture); break;
    case 1: c->line_cap = __LINE__; ok1 = whence_caller(1, &f1); n = whence_callers(0, pcs, 64); self = whence_func_for_pc((uintptr_t)&capture); break;
    default: self = whence_func_for_pc((uintptr_t)&capture); c->line_cap = __LINE__; n = whence_callers(0, pcs, 64); ok1 = whence_caller(1, &f1); break;
    }
    // Expected: capture, rec x (depth+1), worker, nothing else.
    int want_n = c->depth + 3;
    if (n != want_n) { c->bad++; snprintf(c->why, sizeof c->why, "n=%d want %d", n, want_n); }
    if (!ok1 || strcmp(f1.function, "rec") != 0 || f1.line != c->line_rec_cap) {
        c->bad++;
        snprintf(c->why, sizeof c->why, "caller(1)=%s:%d", f1.function, f1.line);
    }
    if (!self || strcmp(whence_func_name(self), "capture") != 0 ||
        whence_func_entry(self) != (uintptr_t)&capture) {
        c->bad++;
        snprintf(c->why, sizeof c->why, "func_for_pc(&capture)=%s", whence_func_name(self));
    }
    whence_frames it;
    whence_frame f;
    int k = 0;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f)) {
        const char *wfn = k == 0 ? "capture" : k <= c->depth + 1 ? "rec" : k == c->depth + 2 ? "worker" : "(none)";
        int wline = k == 0 ? c->line_cap : k == 1 ? c->line_rec_cap : k <= c->depth + 1 ? c->line_rec_rec : c->line_top;
        if (strcmp(f.function, wfn) != 0 || f.line != wline) {
            c->bad++;
            snprintf(c->why, sizeof c->why, "frame %d=%s:%d want %s:%d", k, f.function, f.line, wfn, wline);
        }
        k++;
    }
    if (k != want_n) { c->bad++; snprintf(c->why, sizeof c->why, "frames=%d want %d", k, want_n); }
    return n;
}

__attribute__((noinline)) static int rec(struct ctx *c, int d) {
    int r;
    if (d == c->depth) {
        c->line_rec_cap = __LINE__; r = capture(c);
    } else {
        c->line_rec_rec = __LINE__; r = rec(c, d + 1);
    }
    sink = r;
    return r + 1;
}

static void *worker(void *arg) {
    struct ctx *c = arg;
    c->line_top = __LINE__; int r = rec(c, 0);
    sink = r;
    return NULL;
}

// One trial: 32 threads, one barrier, then each thread's first whence call.
static int trial(void) {
    static struct ctx ctx[NT];
    pthread_t th[NT];
    pthread_barrier_init(&barrier, NULL, NT);
    for (int i = 0; i < NT; i++) {
        ctx[i] = (struct ctx){.id = i, .depth = i % 7};
        if (pthread_create(&th[i], NULL, worker, &ctx[i]) != 0)
            return 2;
    }
    int bad = 0;
    for (int i = 0; i < NT; i++) {
        pthread_join(th[i], NULL);
        if (ctx[i].bad) {
            if (bad++ == 0)
                printf("BAD trial kind %d thread %d: %s\n", first_kind, i, ctx[i].why);
        }
    }
    fflush(stdout);
    return bad != 0;
}

int main(void) {
    int failed = 0;
    for (int t = 0; t < TRIALS; t++) {
        fflush(stdout);
        first_kind = t % 3;
        pid_t pid = fork();
        if (pid == 0)
            _exit(trial());
        int st = 0;
        waitpid(pid, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            failed++;
            if (!WIFEXITED(st))
                printf("BAD trial %d died with signal %d\n", t, WTERMSIG(st));
        }
    }
    printf("trials=%d failed=%d\n", TRIALS, failed);
    return failed != 0;
}
