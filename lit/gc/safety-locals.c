// Safety suite, locals: pointers still in use survive many collections
// intact, and no finalizer of a live object runs - whatever the clearing does.
// A failure here is a whence safety bug.
//
// RUN: %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p0 %gc_libs
// RUN: %t.p0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p2 %gc_libs
// RUN: %t.p2 | FileCheck %s
// RUN: env WHENCE_LIVENESS=1 %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.l0 %gc_libs
// RUN: %t.l0 | FileCheck %s
// RUN: env WHENCE_LIVENESS=1 %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.l2 %gc_libs
// RUN: %t.l2 | FileCheck %s
//
// CHECK-NOT: FAIL
// CHECK: safety-locals OK
#include "gctest.h"

#include <stddef.h>

#define ROUNDS 12 /* collections per case */

static volatile int opaque_one = 1;

/* Between the collections: heap churn, so that a wrongly freed object's
 * memory is reused and overwritten before it is checked. */
#define COLLECT()                                                              \
    do {                                                                       \
        whence_gc();                                                           \
        gt_churn(64);                                                          \
    } while (0)

/* 1. A pointer used across every collection. */
static NOINLINE void keep_using(void)
{
    struct gt_obj *p = gt_new(1);
    uint64_t s = 0;
    for (int i = 0; i < ROUNDS; i++) {
        COLLECT();
        s += gt_touch(p);
        gt_expect_live("keep-using", p, 1);
    }
    if (s != ROUNDS * p->sum)
        printf("FAIL keep-using: checksum\n");
}

/* 2. Two locals hold the same object; the first dies, the second is used
 * after the collections (both orders of last use). */
static NOINLINE void aliases(void)
{
    struct gt_obj *a = gt_new(2);
    struct gt_obj *b = a;
    uint64_t s = gt_touch(a); /* last use of a */
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("alias-second", b, 2);

    struct gt_obj *c = gt_new(3);
    struct gt_obj *d = c;
    s += gt_touch(d); /* last use of d */
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("alias-first", c, 3);
    if (s == 0)
        abort();
}

/* 3. Pointers disguised as integers: a uintptr_t local, a uintptr_t field
 * next to a dead pointer field, and a union written as a pointer and read as
 * an integer.  The collector is conservative: these keep objects alive, and
 * the clearing must never touch them. */
union pun {
    struct gt_obj *p;
    uintptr_t u;
};

struct mixed {
    struct gt_obj *dead;
    uintptr_t hidden;
};

static NOINLINE void disguised(void)
{
    struct gt_obj *p = gt_new(4);
    uintptr_t u = (uintptr_t)p;
    gt_touch(p); /* last use of p */

    struct mixed m;
    m.dead = gt_new(5);
    m.hidden = (uintptr_t)m.dead;
    gt_touch(m.dead); /* last use of m.dead */

    union pun x;
    x.p = gt_new(6);

    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("uintptr-local", (struct gt_obj *)u, 4);
    gt_expect_live("uintptr-field", (struct gt_obj *)m.hidden, 5);
    gt_expect_live("union-read-as-int", (struct gt_obj *)x.u, 6);
}

/* 4. Slots read after a loop back-edge: p is read at the top of every
 * iteration after the collection at the bottom; q is written at the bottom
 * of one iteration and read in the next. */
static NOINLINE void loop_back_edge(void)
{
    struct gt_obj *p = gt_new(7);
    struct gt_obj *q = NULL;
    uint64_t qid = 0;
    for (int i = 0; i < ROUNDS; i++) {
        gt_expect_live("loop-carried", p, 7);
        if (q)
            gt_expect_live("loop-next-iteration", q, qid);
        qid = 20 + (uint64_t)i;
        q = gt_new(qid);
        COLLECT();
    }
    gt_expect_live("loop-next-iteration-last", q, qid);
}

/* 5. Structs with live pointer fields (one dead, the others live). */
struct three {
    struct gt_obj *a;
    long n;
    struct gt_obj *b;
    struct {
        struct gt_obj *c;
        int k;
    } inner;
};

static NOINLINE void struct_fields(void)
{
    struct three t;
    t.a = gt_new(40);
    t.b = gt_new(41);
    t.inner.c = gt_new(42);
    t.inner.k = 7;
    t.n = (long)gt_touch(t.a) & 0xff; /* last use of t.a */
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("struct-field-b", t.b, 41);
    gt_expect_live("struct-nested-field", t.inner.c, 42);
    if (t.n < 0 || t.inner.k != 7)
        printf("FAIL struct-fields: integer fields\n");
}

/* 6. Arrays: all elements live, read with a variable index; and an array
 * whose first half dies while the second half is used later. */
static NOINLINE void arrays(void)
{
    struct gt_obj *all[16];
    for (int i = 0; i < 16; i++)
        all[i] = gt_new(50 + (uint64_t)i);
    struct gt_obj *half[8];
    for (int i = 0; i < 8; i++)
        half[i] = gt_new(70 + (uint64_t)i);
    uint64_t s = 0;
    for (int i = 0; i < 4; i++)
        s += gt_touch(half[i]); /* last use of half[0..3] */
    for (int r = 0; r < ROUNDS; r++) {
        COLLECT();
        int k = (r * 5) % 16;
        gt_expect_live("array-variable-index", all[k], 50 + (uint64_t)k);
    }
    for (int i = 0; i < 16; i++)
        gt_expect_live("array-all", all[i], 50 + (uint64_t)i);
    for (int i = 4; i < 8; i++)
        gt_expect_live("array-second-half", half[i], 70 + (uint64_t)i);
    if (s == 0)
        abort();
}

/* 7. A local read on one path only, after the collections. */
static NOINLINE void read_on_one_path(void)
{
    struct gt_obj *p = gt_new(80);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    if (opaque_one)
        gt_expect_live("read-on-one-path", p, 80);
}

/* 8. Pointer copied with memcpy into another struct; the source dies. */
struct box {
    struct gt_obj *p;
    long tag;
};

static NOINLINE void memcpy_copy(void)
{
    struct box src, dst;
    src.p = gt_new(81);
    src.tag = 5;
    memcpy(&dst, &src, sizeof dst);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("memcpy-destination", dst.p, 81);
}

/* 9. Only an interior pointer is left. */
static NOINLINE void interior(void)
{
    struct gt_obj *p = gt_new(82);
    char *mid = (char *)p + offsetof(struct gt_obj, w[3]);
    gt_touch(p); /* last use of p */
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("interior-pointer", (struct gt_obj *)(mid - offsetof(struct gt_obj, w[3])), 82);
}

/* 10. The slot's address goes to a cleanup handler (escapes): it runs at
 * scope exit and reads the slot. */
static void check_at_exit(struct gt_obj **pp)
{
    gt_expect_live("cleanup-attribute", *pp, 83);
}

static NOINLINE void cleanup_attr(void)
{
    __attribute__((cleanup(check_at_exit))) struct gt_obj *p = gt_new(83);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
}

/* 11. A variable-length array of pointers (dynamic alloca). */
static NOINLINE void vla(int n)
{
    struct gt_obj *v[n];
    for (int i = 0; i < n; i++)
        v[i] = gt_new(90 + (uint64_t)i);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    for (int i = 0; i < n; i++)
        gt_expect_live("vla", v[i], 90 + (uint64_t)i);
}

/* 12. A pointer held across a collection in a long-running inner loop with
 * a conditional re-assignment (phi of pointers). */
static NOINLINE void phi_of_pointers(void)
{
    struct gt_obj *x = gt_new(100), *y = gt_new(101);
    struct gt_obj *cur = x;
    uint64_t cid = 100;
    for (int i = 0; i < ROUNDS; i++) {
        COLLECT();
        gt_expect_live("phi-current", cur, cid);
        if (i & 1) {
            cur = x;
            cid = 100;
        } else {
            cur = y;
            cid = 101;
        }
    }
    gt_expect_live("phi-x", x, 100);
    gt_expect_live("phi-y", y, 101);
}

int main(void)
{
    keep_using();
    aliases();
    disguised();
    loop_back_edge();
    struct_fields();
    arrays();
    read_on_one_path();
    memcpy_copy();
    interior();
    cleanup_attr();
    vla(4 + opaque_one);
    phi_of_pointers();
    return gt_summary("safety-locals");
}
