// Adversarial safety suite, non-capturing call arguments (docs/LIVENESS.md):
// a stack object whose address goes to calls stays intact and its object
// alive for as long as anything can still read it - after the call, inside
// the callee after a collection, through a global or an integer the callee
// made of it, down a recursion, after a loop, after longjmp, from another
// thread.  A failure here is a whence safety bug.
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
// CHECK: safety-nocapture OK
#include "adversary.h"

/* Reads through its argument and keeps nothing. */
static NOINLINE uint64_t peek(const struct box *b)
{
    return gt_touch(b->p);
}

/* 1. Passed to a non-capturing callee, read directly after collections. */
static NOINLINE void read_after(uint64_t base)
{
    struct box b = {gt_new(base + 1), 7};
    uint64_t s = peek(&b);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("read-after-call", b.p, base + 1);
    if (s == 0 || b.tag != 7)
        printf("FAIL read-after-call: fields\n");
}

/* 2. The callee collects before it reads through its argument. */
static NOINLINE void collect_then_read(struct box *b, uint64_t id)
{
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("callee-reads-after-collecting", b->p, id);
}

static NOINLINE void callee_collects(uint64_t base)
{
    struct box b = {gt_new(base + 2), 0};
    collect_then_read(&b, base + 2);
}

/* 3. Captured: the callee keeps the address in a global. */
static __thread struct box *kept_box;

static NOINLINE void keep_box(struct box *b)
{
    kept_box = b;
}

static NOINLINE void read_kept(uint64_t id)
{
    gt_expect_live("captured-by-callee", kept_box->p, id);
}

static NOINLINE void captured(uint64_t base)
{
    struct box b = {gt_new(base + 3), 0};
    keep_box(&b);
    for (int i = 0; i < ROUNDS; i++) {
        COLLECT();
        read_kept(base + 3);
    }
    kept_box = NULL;
}

/* 4. Disguised: the callee keeps the address as an integer. */
static __thread uintptr_t hidden_box;

static NOINLINE void hide_box(struct box *b)
{
    hidden_box = (uintptr_t)b ^ 0x5;
}

static NOINLINE void read_hidden(uint64_t id)
{
    struct box *b = (struct box *)(hidden_box ^ 0x5);
    gt_expect_live("disguised-by-callee", b->p, id);
}

static NOINLINE void disguised(uint64_t base)
{
    struct box b = {gt_new(base + 4), 0};
    hide_box(&b);
    for (int i = 0; i < ROUNDS; i++) {
        COLLECT();
        read_hidden(base + 4);
    }
    hidden_box = 0;
}

/* 5. Recursion: the address travels down; the deepest frame collects. */
static NOINLINE uint64_t descend(struct box *b, int depth, uint64_t id)
{
    if (depth == 0) {
        for (int i = 0; i < ROUNDS; i++)
            COLLECT();
        gt_expect_live("recursion-deepest", b->p, id);
        return 1;
    }
    uint64_t r = descend(b, depth - 1, id);
    gt_expect_live("recursion-unwinding", b->p, id);
    return r + 1;
}

static NOINLINE void recursion(uint64_t base)
{
    struct box b = {gt_new(base + 5), 0};
    if (descend(&b, 5, base + 5) != 6)
        printf("FAIL recursion: depth\n");
    gt_expect_live("recursion-caller", b.p, base + 5);
}

/* 6. Passed in every iteration of a loop, read after the loop. */
static NOINLINE void loop_then_read(uint64_t base)
{
    struct box b = {gt_new(base + 6), 0};
    uint64_t s = 0;
    for (int i = 0; i < ROUNDS; i++) {
        s += peek(&b);
        COLLECT();
    }
    gt_expect_live("read-after-loop", b.p, base + 6);
    if (s == 0)
        printf("FAIL read-after-loop: sum\n");
}

/* 7. Passed to a callee, then read after a longjmp back. */
static NOINLINE void after_longjmp(uint64_t base)
{
    struct box b = {gt_new(base + 7), 0};
    if (setjmp(adv_jb) == 0) {
        peek(&b);
        for (int i = 0; i < ROUNDS; i++)
            COLLECT();
        adv_jump();
    }
    gt_expect_live("read-after-longjmp", b.p, base + 7);
}

/* 8. The callee lets a thread read the caller's object while everyone
 * collects, and joins it before returning. */
struct tjob {
    struct box *b;
    uint64_t id;
};

static void *reader(void *arg)
{
    struct tjob *j = arg;
    whence_gc_register_thread();
    for (int i = 0; i < ROUNDS; i++) {
        gt_expect_live("thread-reads-callers-object", j->b->p, j->id);
        whence_gc();
    }
    return NULL;
}

static NOINLINE void share_and_join(struct box *b, uint64_t id)
{
    struct tjob j = {b, id};
    pthread_t t;
    if (pthread_create(&t, NULL, reader, &j) != 0)
        abort();
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    pthread_join(t, NULL);
}

static NOINLINE void shared_with_thread(uint64_t base)
{
    struct box b = {gt_new(base + 8), 0};
    share_and_join(&b, base + 8);
    gt_expect_live("caller-after-thread", b.p, base + 8);
}

/* 9. whence_keep_alive is not the last use. */
static NOINLINE void keep_alive_then_read(uint64_t base)
{
    struct box b = {gt_new(base + 9), 0};
    whence_keep_alive(&b);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("keep-alive-then-read", b.p, base + 9);
    whence_keep_alive(&b);
}

/* 10. A copy of the struct survives the original's last use. */
static NOINLINE void copy_survives(uint64_t base)
{
    struct box a = {gt_new(base + 10), 0};
    struct box c;
    memcpy(&c, &a, sizeof c);
    peek(&a);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("struct-copy", c.p, base + 10);
}

/* 11. A variadic argument the callee keeps. */
static __thread struct box *va_kept;

static NOINLINE void va_keep(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    va_kept = va_arg(ap, struct box *);
    va_end(ap);
}

static NOINLINE void variadic(uint64_t base)
{
    struct box b = {gt_new(base + 11), 0};
    va_keep(1, &b);
    for (int i = 0; i < ROUNDS; i++) {
        COLLECT();
        gt_expect_live("variadic-kept", va_kept->p, base + 11);
    }
    va_kept = NULL;
}

/* 12. The pointer field dies, an integer copy of it does not. */
struct mixed {
    struct gt_obj *p;
    uintptr_t hidden;
};

static NOINLINE uint64_t peek_mixed(const struct mixed *m)
{
    return gt_touch(m->p);
}

static NOINLINE void integer_field(uint64_t base)
{
    struct mixed m;
    m.p = gt_new(base + 12);
    m.hidden = (uintptr_t)m.p;
    peek_mixed(&m);
    for (int i = 0; i < ROUNDS; i++)
        COLLECT();
    gt_expect_live("integer-field", (struct gt_obj *)m.hidden, base + 12);
}

static void run(uint64_t base)
{
    read_after(base);
    callee_collects(base);
    captured(base);
    disguised(base);
    recursion(base);
    loop_then_read(base);
    after_longjmp(base);
    shared_with_thread(base);
    keep_alive_then_read(base);
    copy_survives(base);
    variadic(base);
    integer_field(base);
}

int main(void)
{
    adv_run_all(run);
    return gt_summary("safety-nocapture");
}
