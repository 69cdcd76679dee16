// whence_gc() on a stack that is not its thread's own (a makecontext
// coroutine's) collects nothing and says so once: BDWGC scans from the
// stack pointer to the thread stack's base, over unmapped memory (it
// crashed in GC_gcollect) or past the whole thread stack.  Objects held
// only by a suspended coroutine's stack are no roots (docs/GC.md).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t %gc_libs && %run %t 2>&1 | FileCheck %s
// CHECK: whence: whence_gc() called on a stack that is not its thread's own {{.*}}nothing collected
// CHECK-NEXT: coroutine done
// CHECK-NEXT: main: 1, finalized 1
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>
#include <whence_gc.h>

static ucontext_t main_ctx, co_ctx;
static int finalized;

static void fin(void *obj, void *arg) {
    (void)obj, (void)arg;
    finalized++;
}

static void co(void) {
    whence_gc();
    whence_gc(); /* (said once) */
    puts("coroutine done");
    fflush(stdout);
}

__attribute__((noinline)) static long *make(void) {
    long *m = whence_gc_alloc(64);
    *m = 1;
    whence_set_finalizer(whence_gc_alloc(64), fin, NULL); /* garbage */
    return m;
}

int main(void) {
    long *m = make();
    size_t size = 256 << 10;
    char *stack = malloc(size);
    getcontext(&co_ctx);
    co_ctx.uc_stack.ss_sp = stack;
    co_ctx.uc_stack.ss_size = size;
    co_ctx.uc_link = &main_ctx;
    makecontext(&co_ctx, co, 0);
    swapcontext(&main_ctx, &co_ctx);
    whence_gc(); /* on the thread's stack: collects */
    printf("main: %ld, finalized %d\n", *m, finalized);
    return 0;
}
