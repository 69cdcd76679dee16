// 32 threads, each with its own call path: thread i goes thread_main ->
// f<seq[0]> -> f<seq[1]> -> ... -> f<seq[D]> -> leaf with D = 10 + i, its
// own sequence of the eight functions f0..f7 (called through a table, so
// every call is an indirect call), and then hammers the API from leaf:
//   whence_callers(0) and the expansion of all its frames with whence_frames,
//   whence_caller(1), and whence_caller(k) for a k that walks up the stack,
// > 1,000,000 operations in total (100,000 emulated).  Every answer is compared with the path
// the thread knows it took (function names and lines from __LINE__ on the
// line of each call); a thread never sees another thread's frames.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only -pthread %emulated_cflags %whence_cflags %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only -pthread -fno-pie -no-pie %emulated_cflags %whence_cflags %s %whence_static -lpthread -ldl -o %t.O0 && %run %t.O0 | FileCheck %s
// RUN: %if aarch64-linux %{ %clang -O2 -gline-tables-only -pthread -mbranch-protection=standard %emulated_cflags %whence_cflags %s %whence_libs -o %t.pac && %run %t.pac | FileCheck %s %}
// CHECK: threads=32 ops>=OPS: 1 mismatches=0
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <whence.h>

#define NT 32
/* Emulated (qemu-user: WHENCE_EMULATED) a tenth of the work. */
#if WHENCE_EMULATED
#define ITERS 800
#define OPS 100000
#else
#define ITERS 8000
#define OPS 1000000
#endif
#define MAXD (10 + NT)

struct ctx {
    int id, depth;
    unsigned char seq[MAXD + 1];
    int line[MAXD + 1]; // line of the call made at depth d
    int entry_line;     // line of thread_main's call of the first f
    int leaf_line;      // line of leaf's whence_callers / whence_caller calls
    long ops, mism;
    char first_bad[160];
};

typedef int (*fn_t)(int, struct ctx *);
static fn_t FN[8];
static const char *const FN_NAME[8] = {"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7"};
static volatile int sink;

__attribute__((noinline)) static int leaf(struct ctx *c);

// f<k>: at depth d, either call leaf (at the bottom) or the next function of
// this thread's sequence.  The line of each call is recorded with __LINE__
// on the same line (inside a macro both are the line of the DEFINE_F use).
#define DEFINE_F(k)                                                                                \
    __attribute__((noinline)) static int f##k(int d, struct ctx *c) {                             \
        int r;                                                                                     \
        if (d == c->depth) {                                                                       \
            c->line[d] = __LINE__; r = leaf(c);                                                   \
        } else {                                                                                   \
            c->line[d] = __LINE__; r = FN[c->seq[d + 1]](d + 1, c);                              \
        }                                                                                          \
        sink = r;                                                                                  \
        return r * 3 + k;                                                                          \
    }
DEFINE_F(0)
DEFINE_F(1)
DEFINE_F(2)
DEFINE_F(3)
DEFINE_F(4)
DEFINE_F(5)
DEFINE_F(6)
DEFINE_F(7)

static void note_bad(struct ctx *c, const char *what, int k, const whence_frame *f) {
    if (c->mism++ == 0)
        snprintf(c->first_bad, sizeof c->first_bad, "thread %d %s frame %d: %s:%d inl=%d", c->id,
                 what, k, f->function, f->line, f->inlined);
}

// Logical frame k of leaf's stack (0 = leaf itself).
static inline void want(const struct ctx *c, int k, const char **fn, int *line) {
    int D = c->depth;
    if (k == 0) { *fn = "leaf"; *line = c->leaf_line; }
    else if (k <= D + 1) { int d = D + 1 - k; *fn = FN_NAME[c->seq[d]]; *line = c->line[d]; }
    else if (k == D + 2) { *fn = "thread_main"; *line = c->entry_line; }
    else { *fn = NULL; *line = 0; }
}

__attribute__((noinline)) static int leaf(struct ctx *c) {
    uintptr_t pcs[MAXD + 8];
    int nframes = c->depth + 3;
    for (int it = 0; it < ITERS; it++) {
        whence_frame f;
        int k = it % (nframes + 1); // nframes itself: past the top
        c->leaf_line = __LINE__; int n = whence_callers(0, pcs, MAXD + 8); bool ok1 = whence_caller(1, &f); whence_frame fk; bool okk = whence_caller(k, &fk);
        c->ops += 3;

        // whence_caller(1): the f that called leaf.
        const char *wfn;
        int wline;
        want(c, 1, &wfn, &wline);
        if (!ok1 || strcmp(f.function, wfn) != 0 || f.line != wline || f.inlined)
            note_bad(c, "caller(1)", 1, &f);
        // whence_caller(k)
        want(c, k, &wfn, &wline);
        if (wfn ? (!okk || strcmp(fk.function, wfn) != 0 || fk.line != wline)
                : (okk || strcmp(fk.function, "?") != 0))
            note_bad(c, "caller(k)", k, &fk);
        // whence_callers + whence_frames: every frame, nothing more.
        if (n != nframes)
            note_bad(c, "count", n, &f);
        whence_frames wf;
        whence_frames_init(&wf, pcs, n);
        int j = 0;
        while (whence_frames_next(&wf, &f)) {
            want(c, j, &wfn, &wline);
            if (!wfn || strcmp(f.function, wfn) != 0 || f.line != wline || f.inlined)
                note_bad(c, "frames", j, &f);
            j++;
        }
        if (j != nframes)
            note_bad(c, "nframes", j, &f);
        c->ops += 1;
    }
    return (int)c->ops;
}

static void *thread_main(void *arg) {
    struct ctx *c = arg;
    c->entry_line = __LINE__; int r = FN[c->seq[0]](0, c);
    sink = r;
    return NULL;
}

int main(void) {
    FN[0] = f0; FN[1] = f1; FN[2] = f2; FN[3] = f3;
    FN[4] = f4; FN[5] = f5; FN[6] = f6; FN[7] = f7;
    static struct ctx ctx[NT];
    pthread_t th[NT];
    for (int i = 0; i < NT; i++) {
        struct ctx *c = &ctx[i];
        c->id = i;
        c->depth = 10 + i;
        for (int d = 0; d <= c->depth; d++)
            c->seq[d] = (unsigned char)((i * 5 + d * 3 + (d * d) / 7 + (i >> 2) * d) % 8);
        if (pthread_create(&th[i], NULL, thread_main, c) != 0)
            return 2;
    }
    long ops = 0, mism = 0;
    for (int i = 0; i < NT; i++) {
        pthread_join(th[i], NULL);
        ops += ctx[i].ops;
        mism += ctx[i].mism;
        if (ctx[i].mism)
            printf("BAD %s (%ld mismatches)\n", ctx[i].first_bad, ctx[i].mism);
    }
    printf("threads=%d ops>=OPS: %d mismatches=%ld\n", NT, ops >= OPS, mism);
    return mism != 0;
}
