// ucontext fibers (makecontext/swapcontext, what most C coroutine libraries
// are built on) in -g builds: frames on the main stack keep their exact
// lines after a fiber ran and yielded, and frames inside the fiber have
// theirs.  Frame slots live in each frame and are found from the frame
// pointer, so a stack switch needs no hook: nothing is per thread.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -g %whence_cflags %s %whence_libs -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %t2 && %run %t2 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t3 && %run %t3 | FileCheck %s
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))
static ucontext_t main_ctx, fib_ctx;
static char fib_stack[256 << 10];
static volatile int sink;
static int bad;

/* Frame 1 and 2 of the caller: names and lines. */
NOINLINE void want(const char *tag, const char *f1, int l1, const char *f2, int l2) {
    whence_frame a, b;
    int ok = whence_caller(1, &a) && whence_caller(2, &b) && !strcmp(a.function, f1) &&
             a.line == l1 && !strcmp(b.function, f2) && b.line == l2;
    printf("%s %s", tag, ok ? "ok\n" : "WRONG:");
    if (!ok)
        printf(" %s:%d %s:%d, want %s:%d %s:%d\n", a.function, a.line, b.function, b.line, f1,
               l1, f2, l2);
    bad += !ok;
}

NOINLINE void in_fiber(int round, int cl) {
    want(round ? "fiber2" : "fiber1", "in_fiber", __LINE__, "fiber_main", cl);
    swapcontext(&fib_ctx, &main_ctx); /* yield */
    sink = round;
}

NOINLINE void fiber_main(void) {
    in_fiber(0, __LINE__);
    in_fiber(1, __LINE__);
    sink++; /* no tail calls in this test */
}

NOINLINE void on_main(const char *tag, int cl) {
    want(tag, "on_main", __LINE__, "main", cl);
    sink++;
}

int main(void) {
    getcontext(&fib_ctx);
    fib_ctx.uc_stack.ss_sp = fib_stack;
    fib_ctx.uc_stack.ss_size = sizeof fib_stack;
    fib_ctx.uc_link = &main_ctx;
    makecontext(&fib_ctx, fiber_main, 0);
    on_main("main1", __LINE__);
    swapcontext(&main_ctx, &fib_ctx); /* runs until the first yield */
    on_main("main2", __LINE__);
    swapcontext(&main_ctx, &fib_ctx); /* second round, until its yield */
    on_main("main3", __LINE__);
    swapcontext(&main_ctx, &fib_ctx); /* the fiber finishes */
    on_main("main4", __LINE__);
    printf("bad=%d\n", bad);
    return bad != 0;
}
// CHECK: main1 ok
// CHECK: fiber1 ok
// CHECK: main2 ok
// CHECK: fiber2 ok
// CHECK: main3 ok
// CHECK: main4 ok
// CHECK: bad=0
