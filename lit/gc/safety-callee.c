// Adversarial safety suite, callee clears (docs/LIVENESS.md): a local
// function may zero its caller's stack object after its own last use only
// when nothing reads the object afterwards.  Here something always does:
// the caller after the call, another caller, the next iteration, a second
// parameter, an alias inside the callee, an integer copy next to the
// pointer, the caller after a longjmp, a recursion, other threads.  A
// failure here is a whence safety bug.
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
// CHECK: safety-callee OK
#include "adversary.h"

/* 1. The only caller reads the object after the call. */
static NOINLINE uint64_t use_then_collect(struct box *b)
{
    uint64_t s = gt_touch(b->p);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    return s;
}

static NOINLINE void caller_reads_after(uint64_t base)
{
    struct box b = {gt_new(base + 1), 0};
    use_then_collect(&b);
    gt_expect_live("caller-reads-after", b.p, base + 1);
}

/* 2. Two callers; the second reads after the call. */
static NOINLINE uint64_t shared_callee(struct box *b)
{
    uint64_t s = gt_touch(b->p);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    return s;
}

static NOINLINE void first_caller(uint64_t base)
{
    struct box b = {gt_new(base + 2), 0};
    shared_callee(&b);
}

static NOINLINE void second_caller(uint64_t base)
{
    struct box b = {gt_new(base + 3), 0};
    shared_callee(&b);
    gt_expect_live("second-caller-reads-after", b.p, base + 3);
}

/* 3. Called in a loop: the next iteration's call reads it again. */
static NOINLINE uint64_t loop_callee(struct box *b, uint64_t id)
{
    gt_expect_live("loop-callee", b->p, id);
    COLLECT();
    return 1;
}

static NOINLINE void loop_caller(uint64_t base)
{
    struct box b = {gt_new(base + 4), 0};
    for (int i = 0; i < ROUNDS; i++)
        loop_callee(&b, base + 4);
}

/* 4. The same object through two parameters; the second is read last. */
static NOINLINE void two_params(struct box *x, struct box *y, uint64_t id)
{
    gt_touch(x->p);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("second-parameter", y->p, id);
}

static NOINLINE void same_twice(uint64_t base)
{
    struct box b = {gt_new(base + 5), 0};
    two_params(&b, &b, base + 5);
}

/* 5. Written again after the call and read later. */
static NOINLINE uint64_t before_rewrite(struct box *b)
{
    uint64_t s = gt_touch(b->p);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    return s;
}

static NOINLINE void rewritten_after(uint64_t base)
{
    struct box b = {gt_new(base + 6), 0};
    before_rewrite(&b);
    b.p = gt_new(base + 7);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("rewritten-after-call", b.p, base + 7);
}

/* 6. The pointer field is dead after the call, an integer copy is not. */
struct mixed {
    struct gt_obj *p;
    uintptr_t hidden;
};

static NOINLINE uint64_t only_pointer(struct mixed *m)
{
    uint64_t s = gt_touch(m->p);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    return s;
}

static NOINLINE void integer_next_to_pointer(uint64_t base)
{
    struct mixed m;
    m.p = gt_new(base + 8);
    m.hidden = (uintptr_t)m.p;
    only_pointer(&m);
    gt_expect_live("integer-next-to-pointer", (struct gt_obj *)m.hidden, base + 8);
}

/* 7. Inside the callee an alias is read after the collections. */
static NOINLINE uint64_t alias_inside(struct box *b, uint64_t id)
{
    struct box *again = opaque_true ? b : &global_box;
    gt_touch(b->p);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("alias-inside-callee", again->p, id);
    return 1;
}

static NOINLINE void callee_alias(uint64_t base)
{
    struct box b = {gt_new(base + 9), 0};
    alias_inside(&b, base + 9);
}

/* 8. Recursion: the deepest frame reads it after collecting. */
static NOINLINE uint64_t rec(struct box *b, int d, uint64_t id)
{
    if (d == 0) {
        for (int i = 0; i < ROUNDS; i++)
            COLLECT();
        gt_expect_live("recursive-callee", b->p, id);
        return 1;
    }
    return rec(b, d - 1, id) + 1;
}

static NOINLINE void recursive(uint64_t base)
{
    struct box b = {gt_new(base + 10), 0};
    rec(&b, 4, base + 10);
}

/* 9. The caller reads the object after a longjmp returns to its setjmp. */
static NOINLINE uint64_t before_jump(struct box *b)
{
    uint64_t s = gt_touch(b->p);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    return s;
}

static NOINLINE void setjmp_caller(uint64_t base)
{
    struct box b = {gt_new(base + 11), 0};
    if (setjmp(adv_jb) == 0) {
        before_jump(&b);
        adv_jump();
    }
    gt_expect_live("callee-then-longjmp", b.p, base + 11);
}

/* 10. The callee's last use is on one path only; the other path collects
 * and then reads. */
static NOINLINE uint64_t one_path(struct box *b, int early, uint64_t id)
{
    if (early)
        return gt_touch(b->p);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("late-path", b->p, id);
    return 1;
}

static NOINLINE void paths(uint64_t base)
{
    struct box b = {gt_new(base + 12), 0};
    one_path(&b, opaque_false, base + 12);
}

static void run(uint64_t base)
{
    caller_reads_after(base);
    first_caller(base);
    second_caller(base);
    loop_caller(base);
    same_twice(base);
    rewritten_after(base);
    integer_next_to_pointer(base);
    callee_alias(base);
    recursive(base);
    setjmp_caller(base);
    paths(base);
}

int main(void)
{
    adv_run_all(run);
    return gt_summary("safety-callee");
}
