// rep.c - the representative end-to-end program of the link-mode tests
// (lit/link/modes-*.c build it with each linker and link mode and check its
// output against the CHECK lines here): a caller chain through four
// functions, an always_inline helper (an inlined frame), a comparator
// called back by glibc's qsort (uninstrumented frames in between), and
// whence_func_for_pc on function pointers; with an argument, it also writes
// the runtime's view of every pc of its image there (Inputs/scan.h).  Every line number is checked
// against the source with [[@LINE]] expressions.
// -DREP_EXTERN_LEAF: chain_leaf lives in another TU (rep-leaf.c), so the
// chain crosses modules (and under LTO, may be inlined across them).
#include "scan.h" // first: it defines _GNU_SOURCE
#include "whence_e2e.h"

#include <stdbool.h>
#include <stdlib.h>

static volatile int sink;
int main_line[3]; // main's line in each capture, recapped at the end

// e2e_dump, and remembers the line of the last (outermost) frame.
void rep_dump(const char *tag, const uintptr_t *pcs, int n, int *last_line) {
    whence_frames it;
    whence_frame f;
    int k = 0;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f)) {
        e2e_print(tag, &f);
        *last_line = f.line;
        k++;
    }
    printf("%s end frames=%d\n", tag, k);
}

// ---- caller chain ----------------------------------------------------------
// (Check with --check-prefixes=CHECK,ONE_TU, or CHECK,TWO_TU and
// --check-prefix=LEAF on rep-leaf.c.)
#ifdef REP_EXTERN_LEAF
void chain_leaf(int depth);
// TWO_TU: chain fn=chain_leaf file=rep-leaf.c line={{[0-9]+}} inl=0
#else
NOINLINE void chain_leaf(int depth) {
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    // ONE_TU: chain fn=chain_leaf file=rep.c line=[[@LINE-1]] inl=0
    rep_dump("chain", pcs, n, &main_line[0]);
    sink = depth;
}
#endif

NOINLINE void chain_c(int x) {
    chain_leaf(x + 3);
    // CHECK-NEXT: chain fn=chain_c file=rep.c line=[[@LINE-1]] inl=0
    sink = x;
}

NOINLINE void chain_b(int x) {
    chain_c(x + 2);
    // CHECK-NEXT: chain fn=chain_b file=rep.c line=[[@LINE-1]] inl=0
    sink = x;
}

NOINLINE void chain_a(int x) {
    chain_b(x + 1);
    // CHECK-NEXT: chain fn=chain_a file=rep.c line=[[@LINE-1]] inl=0
    // CHECK-NEXT: chain fn=main file=rep.c line=[[#CHAIN_MAIN:]] inl=0
    // CHECK-NEXT: chain end frames=5
    sink = x;
}

// ---- inline helper ---------------------------------------------------------
ALWAYS_INLINE int helper(uintptr_t *pcs) {
    return whence_callers(0, pcs, 16);
    // CHECK:      inline fn=helper file=rep.c line=[[@LINE-1]] inl=1
}

NOINLINE void uses_helper(void) {
    uintptr_t pcs[16];
    int n = helper(pcs);
    // CHECK-NEXT: inline fn=uses_helper file=rep.c line=[[@LINE-1]] inl=0
    // CHECK-NEXT: inline fn=main file=rep.c line=[[#INLINE_MAIN:]] inl=0
    // CHECK-NEXT: inline end frames=3
    rep_dump("inline", pcs, n, &main_line[1]);
    sink = n;
}

// ---- qsort callback --------------------------------------------------------
static int ncmp;
static int cmp(const void *x, const void *y) {
    if (ncmp++ == 0) {
        uintptr_t pcs[16];
        int n = whence_callers(0, pcs, 16);
        // CHECK:      qsort fn=cmp file=rep.c line=[[@LINE-1]] inl=0
        rep_dump("qsort", pcs, n, &main_line[2]);
    }
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

NOINLINE void sort_things(void) {
    int arr[64];
    for (int i = 0; i < 64; i++)
        arr[i] = (i * 37) % 64;
    qsort(arr, 64, sizeof arr[0], cmp);
    // CHECK-NEXT: qsort fn=sort_things file=rep.c line=[[@LINE-1]] inl=0
    // CHECK-NEXT: qsort fn=main file=rep.c line=[[#QSORT_MAIN:]] inl=0
    // CHECK-NEXT: qsort end frames=3
    sink = arr[0] == 0 && arr[63] == 63;
}

int main(int argc, char **argv) {
    chain_a(1);
    // CHECK: recap chain main=[[#CHAIN_MAIN]] call=[[@LINE-1]]{{$}}
    uses_helper();
    // CHECK-NEXT: recap inline main=[[#INLINE_MAIN]] call=[[@LINE-1]]{{$}}
    sort_things();
    // CHECK-NEXT: recap qsort main=[[#QSORT_MAIN]] call=[[@LINE-1]]{{$}}
    printf("recap chain main=%d call=%d\n", main_line[0], main_line[0]);
    printf("recap inline main=%d call=%d\n", main_line[1], main_line[1]);
    printf("recap qsort main=%d call=%d\n", main_line[2], main_line[2]);
    printf("sorted=%d\n", sink);
    // CHECK-NEXT: sorted=1
    whence_frame f;
    bool ok = whence_caller(0, &f);
    printf("caller0 ok=%d fn=%s line=%d\n", ok, f.function, f.line);
    // CHECK-NEXT: caller0 ok=1 fn=main line=[[@LINE-2]]{{$}}
    ok = whence_caller(1, &f);
    printf("caller1 ok=%d fn=%s\n", ok, f.function);
    // CHECK-NEXT: caller1 ok=0 fn=?
    void (*fps[])(int) = {chain_a, chain_b, chain_c, chain_leaf};
    const char *names[] = {"chain_a", "chain_b", "chain_c", "chain_leaf"};
    int good = 0;
    for (int i = 0; i < 4; i++) {
        const whence_func *fn = whence_func_for_pc((uintptr_t)fps[i]);
        good += fn && strcmp(whence_func_name(fn), names[i]) == 0 &&
                whence_func_entry(fn) == (uintptr_t)fps[i];
    }
    printf("for_pc good=%d/4 main=%s cmp=%s\n", good,
           whence_func_name(whence_func_for_pc((uintptr_t)&main)),
           whence_func_name(whence_func_for_pc((uintptr_t)&cmp)));
    // CHECK-NEXT: for_pc good=4/4 main=main cmp=cmp
    // With an argument: the runtime's view of every pc of this image, for
    // Inputs/check-scan.py.
    if (argc > 1) {
        FILE *out = fopen(argv[1], "w");
        if (!out)
            return 1;
        link_scan((const void *)&main, out);
        fclose(out);
    }
    return 0;
}
