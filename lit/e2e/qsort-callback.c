// A comparator called by glibc's qsort (not instrumented; it leaves no usable
// frame pointer) asks who called it: glibc's frames are skipped and not
// counted, so skip 1 from the comparator is sort_it at the line of the qsort
// call, then main, then nothing.  A noinline probe called from the comparator
// counts the same frames one further out.  Every one of the comparator's
// calls must give the same answer as the first.  bsearch too.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O0 && %run %t.O0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_libs -o %t.np && %run %t.np | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t.st && %run %t.st | FileCheck %s
// RUN: %if aarch64-linux %{ %clang -O2 -gline-tables-only -mbranch-protection=standard %whence_cflags -I%inputs %s %whence_libs -o %t.pac && %run %t.pac | FileCheck %s %}
#include "whence_e2e.h"

#include <stdbool.h>
#include <stdlib.h>

#define N 200
static int arr[N];
static volatile int sink;
static int ncalls, mismatches;

// What the first comparator call saw; later calls must agree.
struct seen {
    int n;
    char fn[8][32];
    int line[8];
    int inl[8];
    bool ok[4];
    char c_fn[4][32];
    int c_line[4];
};
static struct seen first_cmp, first_probe, first_bs;

static void fill(struct seen *s, const uintptr_t *pcs, int n, const whence_frame *cf, const bool *ok) {
    whence_frames it;
    whence_frame f;
    memset(s, 0, sizeof *s);
    s->n = 0;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f) && s->n < 8) {
        snprintf(s->fn[s->n], 32, "%s", f.function);
        s->line[s->n] = f.line;
        s->inl[s->n] = f.inlined;
        s->n++;
    }
    for (int i = 0; i < 4; i++) {
        s->ok[i] = ok[i];
        snprintf(s->c_fn[i], 32, "%s", cf[i].function);
        s->c_line[i] = cf[i].line;
    }
}

static void print_seen(const char *tag, const struct seen *s) {
    for (int i = 0; i < s->n; i++)
        printf("%s callers[%d] fn=%s line=%d inl=%d\n", tag, i, s->fn[i], s->line[i], s->inl[i]);
    printf("%s callers end n=%d\n", tag, s->n);
    for (int i = 0; i < 4; i++)
        printf("%s caller(%d) ok=%d fn=%s line=%d\n", tag, i, s->ok[i], s->c_fn[i], s->c_line[i]);
}

static void record(struct seen *first, const uintptr_t *pcs, int n, const whence_frame *cf,
                   const bool *ok, bool is_first) {
    struct seen now;
    fill(&now, pcs, n, cf, ok);
    if (is_first)
        memcpy(first, &now, sizeof now);
    else if (memcmp(&now, first, sizeof now) != 0)
        mismatches++;
}

NOINLINE static void probe(bool is_first) {
    uintptr_t pcs[16];
    whence_frame cf[4];
    bool ok[4];
    int n = whence_callers(1, pcs, 16); for (int i = 0; i < 4; i++) ok[i] = whence_caller(i + 1, &cf[i]);
    record(&first_probe, pcs, n, cf, ok, is_first);
}

static int cmp(const void *x, const void *y) {
    uintptr_t pcs[16];
    whence_frame cf[4];
    bool ok[4];
    int n = whence_callers(0, pcs, 16); for (int i = 0; i < 4; i++) ok[i] = whence_caller(i, &cf[i]);
    // CHECK:      cmp callers[0] fn=cmp line=[[@LINE-1]] inl=0
    // CHECK-NEXT: cmp callers[1] fn=sort_it line=[[#SORT:]] inl=0
    // CHECK-NEXT: cmp callers[2] fn=main line=[[#MAIN:]] inl=0
    // CHECK-NEXT: cmp callers end n=3
    // CHECK-NEXT: cmp caller(0) ok=1 fn=cmp line=[[@LINE-5]]
    // CHECK-NEXT: cmp caller(1) ok=1 fn=sort_it line=[[#SORT]]
    // CHECK-NEXT: cmp caller(2) ok=1 fn=main line=[[#MAIN]]
    // CHECK-NEXT: cmp caller(3) ok=0 fn=? line=0
    bool is_first = ncalls++ == 0;
    record(&first_cmp, pcs, n, cf, ok, is_first);
    probe(is_first);
    // CHECK-NEXT: probe callers[0] fn=cmp line=[[@LINE-1]] inl=0
    // CHECK-NEXT: probe callers[1] fn=sort_it line=[[#SORT]] inl=0
    // CHECK-NEXT: probe callers[2] fn=main line=[[#MAIN]] inl=0
    // CHECK-NEXT: probe callers end n=3
    // CHECK-NEXT: probe caller(0) ok=1 fn=cmp line=[[@LINE-5]]
    // CHECK-NEXT: probe caller(1) ok=1 fn=sort_it line=[[#SORT]]
    // CHECK-NEXT: probe caller(2) ok=1 fn=main line=[[#MAIN]]
    // CHECK-NEXT: probe caller(3) ok=0 fn=? line=0
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

static int bs_calls;
static int bs_cmp(const void *key, const void *elem) {
    uintptr_t pcs[16];
    whence_frame cf[4];
    bool ok[4];
    int n = whence_callers(0, pcs, 16); for (int i = 0; i < 4; i++) ok[i] = whence_caller(i, &cf[i]);
    // CHECK-NEXT: bsearch callers[0] fn=bs_cmp line=[[@LINE-1]] inl=0
    // CHECK-NEXT: bsearch callers[1] fn=main line=[[#BSMAIN:]] inl=0
    // CHECK-NEXT: bsearch callers end n=2
    // CHECK-NEXT: bsearch caller(0) ok=1 fn=bs_cmp line=[[@LINE-4]]
    // CHECK-NEXT: bsearch caller(1) ok=1 fn=main line=[[#BSMAIN]]
    // CHECK-NEXT: bsearch caller(2) ok=0 fn=? line=0
    // CHECK-NEXT: bsearch caller(3) ok=0 fn=? line=0
    record(&first_bs, pcs, n, cf, ok, bs_calls++ == 0);
    int a = *(const int *)key, b = *(const int *)elem;
    return (a > b) - (a < b);
}

NOINLINE static void sort_it(void) {
    qsort(arr, N, sizeof arr[0], cmp);
    // CHECK-NEXT: recap sort_it line=[[@LINE-1]] {{$}}
    sink = arr[0];
}

// glibc may define bsearch inline (bits/stdlib-bsearch.h) at -O2: that copy
// would be compiled, inlined and reported here.  Call libc's own instead.
static void *(*volatile bsearch_fp)(const void *, const void *, size_t, size_t,
                                     int (*)(const void *, const void *)) = bsearch;

int main(void) {
    for (int i = 0; i < N; i++)
        arr[i] = (i * 7919) % N;
    sort_it();
    // CHECK-NEXT: recap main line=[[@LINE-1]] {{$}}
    int key = 77;
    int *hit = bsearch_fp(&key, arr, N, sizeof arr[0], bs_cmp);
    // CHECK-NEXT: recap bsmain line=[[@LINE-1]] {{$}}
    print_seen("cmp", &first_cmp);
    print_seen("probe", &first_probe);
    print_seen("bsearch", &first_bs);
    printf("recap sort_it line=%d \n", first_cmp.line[1]);
    printf("recap main line=%d \n", first_cmp.line[2]);
    printf("recap bsmain line=%d \n", first_bs.line[1]);
    printf("calls=%d sorted=%d found=%d mismatches=%d\n", ncalls > N, arr[0] == 0 && arr[N - 1] == N - 1, hit && *hit == 77, mismatches);
    // CHECK-NEXT: calls=1 sorted=1 found=1 mismatches=0
    return 0;
}
