// An object held only by a thread-local variable of the main thread stays
// alive, as one held by a global does (Go's package variables).  Was a
// bug: BDWGC scans other threads' TLS (it lies in their stack mapping) but
// not the main thread's, so the object was finalized and freed while the
// variable still pointed to it, and the next allocation got its block.
// Threads' own TLS (scanned before too) is checked alongside.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -g %whence_cflags %gc_inc %s -o %t0 %gc_libs && %run %t0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t2 %gc_libs && %run %t2 | FileCheck %s
// CHECK: main thread: 42, not finalized
// CHECK: other thread: 43, not finalized
#include <pthread.h>
#include <stdio.h>
#include <whence_gc.h>

static __thread long *held;
static volatile int finalized;

static void fin(void *obj, void *arg) {
    (void)obj, (void)arg;
    finalized++;
}

__attribute__((noinline)) static void hold(long v) {
    held = whence_gc_alloc(64);
    *held = v;
    whence_set_finalizer(held, fin, NULL);
}

__attribute__((noinline)) static void churn(void) {
    for (int i = 0; i < 3; i++) {
        whence_gc();
        for (int k = 0; k < 20000; k++)
            *(long *)whence_gc_alloc(64) = -1; /* (would reuse a freed block) */
    }
}

static void *thread_main(void *arg) {
    (void)arg;
    hold(43);
    churn();
    printf("other thread: %ld, %s\n", *held, finalized ? "FINALIZED" : "not finalized");
    return NULL;
}

int main(void) {
    hold(42);
    churn();
    printf("main thread: %ld, %s\n", *held, finalized ? "FINALIZED" : "not finalized");
    pthread_t t;
    pthread_create(&t, NULL, thread_main, NULL);
    pthread_join(t, NULL);
    return 0;
}
