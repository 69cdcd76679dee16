// Adversarial safety suite, holders and guarded clears (docs/LIVENESS.md):
// a stack object reached through a pointer local (at -O0 a holder slot, at
// -O2 a phi or select) stays intact for as long as anything can read it
// through that pointer - whichever object the pointer picks at run time,
// after a loop that moves it, one past the end or in the middle of an
// array, through an integer copy of it, through a second alias, after
// longjmp, on several threads at once.  A failure here is a whence safety
// bug.
//
// RUN: %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p0 %gc_libs
// RUN: %t.p0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p2 %gc_libs
// RUN: %t.p2 | FileCheck %s
// RUN: env WHENCE_LIVENESS=strict %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.s0 %gc_libs
// RUN: %t.s0 | FileCheck %s
// RUN: env WHENCE_LIVENESS=strict %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.s2 %gc_libs
// RUN: %t.s2 | FileCheck %s
//
// CHECK-NOT: FAIL
// CHECK: safety-holders OK
#include "adversary.h"

/* 1. Read only through a pointer local after the collections. */
static NOINLINE void through_holder(uint64_t base)
{
    struct box b = {gt_new(base + 1), 0};
    struct box *h = &b;
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("through-holder", h->p, base + 1);
}

/* 2. Go's stackobj3 shape: the pointer picks the local or a global at run
 * time; read through it after the collections. */
static NOINLINE void conditional(uint64_t base, int pick_local)
{
    struct box s = {gt_new(base + 2 + (uint64_t)pick_local), 0};
    struct box *p = pick_local ? &s : &global_box;
    gt_touch(p->p);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    if (pick_local)
        gt_expect_live("conditional-local", p->p, base + 3);
    else if (p->p != NULL)
        printf("FAIL conditional-global: %p\n", (void *)p->p);
}

/* 3. The pointer switches between two locals in a loop that collects. */
static NOINLINE void switching(uint64_t base)
{
    struct box a = {gt_new(base + 4), 0}, c = {gt_new(base + 5), 0};
    struct box *h = &a;
    for (int i = 0; i < ROUNDS; i++) {
        COLLECT();
        gt_expect_live("switching", h->p, h == &a ? base + 4 : base + 5);
        h = (i & 1) ? &a : &c;
    }
    gt_expect_live("switching-a-after", a.p, base + 4);
    gt_expect_live("switching-c-after", c.p, base + 5);
}

static struct gt_obj *global_arr[8];

/* 4. One past the end of an array of pointers, stepped back (the pointer
 * might have been a global's: a guard has to tell). */
static NOINLINE void one_past_end(uint64_t base)
{
    struct gt_obj *arr[4];
    for (int i = 0; i < 4; i++)
        arr[i] = gt_new(base + 10 + (uint64_t)i);
    struct gt_obj **end = opaque_true ? arr + 4 : global_arr + 4;
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    for (int i = 1; i <= 4; i++)
        gt_expect_live("one-past-end", end[-i], base + 14 - (uint64_t)i);
}

/* 5. The middle of an array, read on both sides. */
static NOINLINE void middle(uint64_t base)
{
    struct gt_obj *arr[6];
    for (int i = 0; i < 6; i++)
        arr[i] = gt_new(base + 20 + (uint64_t)i);
    struct gt_obj **mid = opaque_true ? &arr[3] : &global_arr[3];
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    for (int i = -3; i < 3; i++)
        gt_expect_live("middle", mid[i], base + 23 + (uint64_t)i);
}

/* 6. The pointer kept only as an integer. */
static NOINLINE void holder_as_integer(uint64_t base)
{
    struct box b = {gt_new(base + 30), 0};
    struct box *volatile h = &b;
    uintptr_t u = (uintptr_t)h;
    h = NULL;
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("holder-as-integer", ((struct box *)u)->p, base + 30);
}

/* 7. Two pointers to one local; the first one dies. */
static NOINLINE void two_holders(uint64_t base)
{
    struct box b = {gt_new(base + 31), 0};
    struct box *h1 = &b, *h2 = &b;
    gt_touch(h1->p);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("second-holder", h2->p, base + 31);
}

/* 8. Assigned in a loop, read after it. */
static NOINLINE void assigned_in_loop(uint64_t base)
{
    struct box a = {gt_new(base + 32), 0}, c = {gt_new(base + 33), 0};
    struct box *h = &global_box;
    for (int i = 0; i < 3 + opaque_false; i++)
        h = i == 2 ? &c : &a;
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("assigned-in-loop", h->p, base + 33);
    gt_expect_live("assigned-in-loop-other", a.p, base + 32);
}

/* 9. Read through the pointer after a longjmp back. */
static NOINLINE void after_longjmp(uint64_t base)
{
    struct box b = {gt_new(base + 34), 0};
    struct box *h = opaque_true ? &b : &global_box;
    if (setjmp(adv_jb) == 0) {
        for (int i = 0; i < ROUNDS; i++)
            COLLECT();
        adv_jump();
    }
    gt_expect_live("holder-after-longjmp", h->p, base + 34);
}

/* 10. The pointer is stored back and forth between two locals. */
static NOINLINE void relayed(uint64_t base)
{
    struct box b = {gt_new(base + 35), 0};
    struct box *h1 = &b, *h2 = NULL;
    for (int i = 0; i < ROUNDS; i++) {
        COLLECT();
        if (i & 1) {
            h1 = h2;
            h2 = NULL;
        } else {
            h2 = h1;
            h1 = NULL;
        }
    }
    gt_expect_live("relayed", (h1 ? h1 : h2)->p, base + 35);
}

static void run(uint64_t base)
{
    through_holder(base);
    conditional(base, opaque_true);
    conditional(base, opaque_false);
    switching(base);
    one_past_end(base);
    middle(base);
    holder_as_integer(base);
    two_holders(base);
    assigned_in_loop(base);
    after_longjmp(base);
    relayed(base);
}

int main(void)
{
    adv_run_all(run);
    return gt_summary("safety-holders");
}
