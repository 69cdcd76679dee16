// Adversarial safety suite, the register and spill-slot roots
// (docs/LIVENESS.md, liveness_strict.c): in functions that collect, pointer
// values live across calls move to slots the pass clears, and callee-saved
// registers are zeroed before each collecting call.  Every value the program
// still uses must survive that: many pointers at once (more than registers),
// pointers carried around loops and through phis, integers made of
// pointers, interior pointers, arguments and return values, struct values,
// a caller that reaches a collecting function through a function pointer
// (its callee-saved registers hold live values the pass knows nothing of),
// a chain of frames each holding one, setjmp, threads.  Collections go
// through whence_gc directly (default) and through a helper (strict only).
// A failure here is a whence safety bug.
//
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p0 %gc_libs
// RUN: %run %t.p0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p2 %gc_libs
// RUN: %run %t.p2 | FileCheck %s
// RUN: env WHENCE_LIVENESS=strict %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.s0 %gc_libs
// RUN: %run %t.s0 | FileCheck %s
// RUN: env WHENCE_LIVENESS=strict %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.s2 %gc_libs
// RUN: %run %t.s2 | FileCheck %s
//
// CHECK-NOT: FAIL
// CHECK: safety-strict OK
#include "adversary.h"

/* Collects without calling whence_gc in the caller's own body. */
static NOINLINE void collect_n(int n)
{
    for (int i = 0; i < n; i++)
        COLLECT();
}

/* 1. Sixteen pointers live across the collections at once. */
static NOINLINE void many(uint64_t base)
{
    struct gt_obj *p[16];
    for (int i = 0; i < 16; i++)
        p[i] = gt_new(base + 1 + (uint64_t)i);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    for (int i = 0; i < 16; i++)
        gt_expect_live("many", p[i], base + 1 + (uint64_t)i);
    collect_n(2);
    for (int i = 15; i >= 0; i--)
        gt_expect_live("many-again", p[i], base + 1 + (uint64_t)i);
}

/* 2. Carried around a loop that collects; read after the loop. */
static NOINLINE void around_loop(uint64_t base)
{
    struct gt_obj *a = gt_new(base + 20), *b = gt_new(base + 21);
    uint64_t s = 0;
    for (int i = 0; i < ROUNDS; i++) {
        s += gt_touch(i & 1 ? a : b);
        COLLECT();
    }
    gt_expect_live("around-loop-a", a, base + 20);
    gt_expect_live("around-loop-b", b, base + 21);
    if (s == 0)
        printf("FAIL around-loop: sum\n");
}

/* 3. A phi: which object is current changes every iteration. */
static NOINLINE void phi(uint64_t base)
{
    struct gt_obj *x = gt_new(base + 22), *y = gt_new(base + 23), *cur = x;
    uint64_t id = base + 22;
    for (int i = 0; i < ROUNDS; i++) {
        collect_n(1);
        gt_expect_live("phi-current", cur, id);
        cur = cur == x ? y : x;
        id = cur == x ? base + 22 : base + 23;
    }
    gt_expect_live("phi-x", x, base + 22);
    gt_expect_live("phi-y", y, base + 23);
}

/* 4. Only integers made of the pointers survive the collections. */
static NOINLINE void integers(uint64_t base)
{
    uintptr_t u = (uintptr_t)gt_new(base + 24);
    uintptr_t v = (uintptr_t)gt_new(base + 25) + 8;
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("integer", (struct gt_obj *)u, base + 24);
    gt_expect_live("integer-plus-8", (struct gt_obj *)(v - 8), base + 25);
}

/* 5. Only an interior pointer survives the collections. */
static NOINLINE void interior(uint64_t base)
{
    char *mid = (char *)gt_new(base + 26) + 24;
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("interior", (struct gt_obj *)(mid - 24), base + 26);
}

/* 6. Arguments used after a collection in the callee; results used after
 * a collection in the caller. */
static NOINLINE struct gt_obj *check_args(struct gt_obj *a, struct gt_obj *b, uint64_t id)
{
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("argument-a", a, id);
    gt_expect_live("argument-b", b, id + 1);
    return b;
}

static NOINLINE void args_and_results(uint64_t base)
{
    struct gt_obj *r = check_args(gt_new(base + 27), gt_new(base + 28), base + 27);
    collect_n(2);
    gt_expect_live("result", r, base + 28);
}

/* 7. A struct returned by value (in registers) across collections. */
struct two {
    struct gt_obj *a, *b;
};

static NOINLINE struct two make_two(uint64_t id)
{
    struct two t = {gt_new(id), gt_new(id + 1)};
    return t;
}

static NOINLINE void struct_value(uint64_t base)
{
    struct two t = make_two(base + 29);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("struct-value-a", t.a, base + 29);
    gt_expect_live("struct-value-b", t.b, base + 30);
}

/* 8. A caller that reaches a collecting function only through a function
 * pointer keeps live pointers in callee-saved registers across the call. */
static void (*volatile collector)(int) = collect_n;

static NOINLINE void through_pointer(uint64_t base)
{
    struct gt_obj *p[8];
    for (int i = 0; i < 8; i++)
        p[i] = gt_new(base + 31 + (uint64_t)i);
    uint64_t s = 0;
    for (int r = 0; r < 3; r++) {
        collector(2);
        for (int i = 0; i < 8; i++)
            s += gt_touch(p[i]);
    }
    for (int i = 0; i < 8; i++)
        gt_expect_live("through-function-pointer", p[i], base + 31 + (uint64_t)i);
    if (s == 0)
        printf("FAIL through-function-pointer: sum\n");
}

/* 9. A chain of frames, each holding one object; the deepest collects. */
static NOINLINE uint64_t chain(int depth, uint64_t id)
{
    struct gt_obj *mine = gt_new(id);
    uint64_t r;
    if (depth == 0) {
        for (int i = 0; i < ROUNDS; i++)
            COLLECT();
        r = 1;
    } else {
        r = chain(depth - 1, id + 1) + 1;
        COLLECT();
    }
    gt_expect_live("chain", mine, id);
    return r;
}

static NOINLINE void frames(uint64_t base)
{
    if (chain(5, base + 40) != 6)
        printf("FAIL chain: depth\n");
}

/* 10. setjmp in a function that collects. */
static NOINLINE void with_setjmp(uint64_t base)
{
    struct gt_obj *p = gt_new(base + 50);
    if (setjmp(adv_jb) == 0) {
        for (int i = 0; i < ROUNDS; i++)
            COLLECT();
        adv_jump();
    }
    gt_expect_live("setjmp", p, base + 50);
}

/* 11. Kept alive by whence_keep_alive after the collections. */
static NOINLINE void keep_alive_after(uint64_t base)
{
    struct gt_obj *p = gt_new(base + 51);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("keep-alive-after", p, base + 51);
    whence_keep_alive(p);
}

static void run(uint64_t base)
{
    many(base);
    around_loop(base);
    phi(base);
    integers(base);
    interior(base);
    args_and_results(base);
    struct_value(base);
    through_pointer(base);
    frames(base);
    with_setjmp(base);
    keep_alive_after(base);
}

int main(void)
{
    adv_run_all(run);
    return gt_summary("safety-strict");
}
