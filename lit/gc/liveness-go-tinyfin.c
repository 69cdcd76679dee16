// C analogue of Go's test/tinyfin.go (finalizers on tiny objects): 100
// four-byte objects holding their index, each with a finalizer that checks
// the object still holds a valid, not yet finalized index.  After 4
// collections Go requires more than 3/4 of them finalized (its tiny
// allocator may combine the last ones with something live); BDWGC does not
// combine allocations (16-byte granules), so here all of them must be.
//
// RUN: %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p0 %gc_libs
// RUN: %t.p0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p2 %gc_libs
// RUN: %t.p2 | FileCheck %s
// RUN: env WHENCE_LIVENESS=strict %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.s0 %gc_libs
// RUN: %t.s0 | FileCheck %s
// RUN: env WHENCE_LIVENESS=strict %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.s2 %gc_libs
// RUN: %t.s2 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %gc_inc %s -o %t.n0 %gc_libs
// RUN: %t.n0 | FileCheck %s --check-prefix=ANY
// RUN: %clang -O2 -gline-tables-only %gc_inc %s -o %t.n2 %gc_libs
// RUN: %t.n2 | FileCheck %s --check-prefix=ANY
//
// CHECK-NOT: FAIL
// CHECK: tinyfin: finalized (100 of 100; Go needs > 75)
// ANY-NOT: FAIL
// ANY: tinyfin: {{.*}}Go needs > 75
#include "gctest.h"

#define N 100

static int count = N;
static unsigned char done[N];
static int corrupt;

static void tiny_fin(void *obj, void *arg)
{
    (void)arg;
    int32_t v = *(int32_t *)obj;
    if (v < 0 || v >= N || done[v]) {
        printf("FAIL got %d%s\n", v, v >= 0 && v < N ? " (already finalized)" : " (corrupted)");
        corrupt++;
        return;
    }
    done[v] = 1;
    count--;
}

int main(void)
{
    for (int32_t i = 0; i < N; i++) {
        int32_t *x = whence_gc_alloc(sizeof *x);
        *x = i;
        whence_set_finalizer(x, tiny_fin, NULL);
    }
    for (int i = 0; i < 4; i++)
        whence_gc();
    printf("tinyfin: %s (%d of %d; Go needs > %d)\n", count == 0 ? "finalized" : "not finalized",
           N - count, N, N - N / 4);
    return corrupt != 0 || count >= N / 4;
}
