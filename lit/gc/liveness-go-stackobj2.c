// C analogue of Go's test/stackobj2.go: a linked list running up the stack
// through 2 structs per frame, 5000 frames deep, each struct pointing to a
// heap object; at the bottom a collection, then every heap object is checked
// through the list.  The structs' addresses are stored into each other, so
// the pass must leave every one of them alone.  Added here: each heap object
// carries a finalizer, which must not run while the list exists, and all of
// them are finalized once the recursion has returned.
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
// CHECK: stackobj2: list intact
// CHECK: stackobj2: finalized after return: 10000 of 10000
// CHECK: stackobj2 OK
// ANY-NOT: FAIL
// ANY: stackobj2: list intact
// ANY: stackobj2 OK
#define GT_MAXOBJ 10002
#include "gctest.h"

#define DEPTH 10000 /* objects; two per frame */

struct T {
    int64_t *data; /* points into a heap object; must not be freed */
    struct T *next;
    struct T *next2; /* duplicate of next */
};

/* Go's NotTiny: a heap object with an integer and a pointer field. */
struct not_tiny {
    int64_t n;
    char *p;
};

static int64_t *volatile escape;

static NOINLINE int64_t *new_int(int64_t n)
{
    struct not_tiny *h = whence_gc_alloc(sizeof *h);
    h->n = n;
    whence_set_finalizer(h, gt_fin_fn, (void *)(uintptr_t)n);
    int64_t *p = &h->n;
    escape = p;
    return p;
}

static int bad;

static NOINLINE void makelist(struct T *x, int64_t n)
{
    if (n % 2 != 0)
        abort();
    if (n == 0) {
        whence_gc();
        int64_t i = 1;
        for (; x != NULL; x = x->next, i++) {
            if (*x->data != i || x->next != x->next2) {
                printf("FAIL bad data: want %lld, got %lld\n", (long long)i, (long long)*x->data);
                bad++;
            }
            if (gt_finalized((uint64_t)i)) {
                printf("FAIL object %lld finalized while in the list\n", (long long)i);
                bad++;
            }
        }
        if (i != DEPTH + 1)
            bad++;
        return;
    }
    struct T a, b;
    if (n % 3 == 0) {
        a.data = new_int(n);
        a.next = x;
        a.next2 = x;
        b.data = new_int(n - 1);
        b.next = &a;
        b.next2 = &a;
        x = &b;
    } else {
        b.data = new_int(n);
        b.next = x;
        b.next2 = x;
        a.data = new_int(n - 1);
        a.next = &b;
        a.next2 = &b;
        x = &a;
    }
    makelist(x, n - 2);
}

int main(void)
{
    makelist(NULL, DEPTH);
    if (bad == 0)
        printf("stackobj2: list intact\n");
    escape = NULL;
    whence_gc();
    whence_gc();
    int fin = 0;
    for (int i = 1; i <= DEPTH; i++)
        fin += gt_finalized((uint64_t)i) == 1;
    printf("stackobj2: finalized after return: %d of %d\n", fin, DEPTH);
    printf("stackobj2 %s\n", bad ? "FAILED" : "OK");
    return bad != 0;
}
