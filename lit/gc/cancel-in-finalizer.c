// A thread cancelled (deferred pthread_cancel) while a finalizer it runs
// in whence_gc sits at a cancellation point (a sleep, a close, a write:
// any finalizer that releases a file) kept the finalizer lock for good,
// and every later whence_gc on any thread waited for ever.  Finalizers run
// with cancellation off, as Go's finalizer goroutine cannot be cancelled:
// the cancel acts when whence_gc returns.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t %gc_libs -lpthread && %run %t 2>&1 | FileCheck %s
// CHECK: finalizer finished
// CHECK: collector cancelled
// CHECK: second collection returned
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <whence_gc.h>

static volatile int in_fin;

static void fin(void *obj, void *arg) {
    (void)obj, (void)arg;
    in_fin = 1;
    usleep(200000); /* a cancellation point */
    printf("finalizer finished\n");
}

__attribute__((noinline)) static void make(void) {
    void *p = whence_gc_alloc(64);
    whence_set_finalizer(p, fin, NULL);
}

static void *collector(void *a) {
    (void)a;
    make();
    for (int i = 0; i < 50 && !in_fin; i++)
        whence_gc();
    for (;;)
        pause(); /* (the cancel acts here at the latest) */
    return NULL;
}

int main(void) {
    alarm(60); /* a hang fails the test */
    setvbuf(stdout, NULL, _IONBF, 0);
    whence_gc_alloc(8);
    pthread_t t;
    pthread_create(&t, NULL, collector, NULL);
    while (!in_fin)
        usleep(1000);
    pthread_cancel(t);
    void *r;
    pthread_join(t, &r);
    printf("collector %s\n", r == PTHREAD_CANCELED ? "cancelled" : "returned");
    whence_gc();
    printf("second collection returned\n");
    return 0;
}
