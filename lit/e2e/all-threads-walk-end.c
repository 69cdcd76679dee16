// whence_write_all_stacks (and the quit handler's dump) say where a walk
// ended before the stack did, as whence_write_stack does: a thread inside
// code without frame pointers or unwind tables, called from instrumented
// code, was printed as "(no frames in instrumented code)", and one whose
// instrumented frames were below such code (a callback) as a complete
// stack of its top frames (helper-121).  The note comes from the thread
// that walked (its wh_walk_end), not the one that prints.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -fomit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables -DFOREIGN -c %s -o %t/foreign.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t/foreign.o %whence_libs -lpthread -o %t/main
// RUN: %run %t/main | FileCheck %s
// CHECK-LABEL: thread {{[0-9]+}} "waiter":
// CHECK-NEXT: waiter(...)
// CHECK-NEXT: all-threads-walk-end.c
// CHECK-NEXT: (the stack ends here: code outside instrumented code
// CHECK-LABEL: thread {{[0-9]+}} "spinner":
// CHECK-NEXT: (no frames in instrumented code before the walk ended)
// CHECK-NEXT: (the stack ends here: code outside instrumented code
#ifdef FOREIGN
volatile long spin_flag = 1, sink;
__attribute__((noinline)) long fg_spin(long x) {
    long r = x;
    while (spin_flag)
        r = r * 3 + 1;
    return r;
}
__attribute__((noinline)) long fg_via(long (*cb)(long), long x) {
    long r = cb(x);
    sink += r;
    return r + 1;
}
#else
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>
#include <whence.h>

long fg_spin(long x);
long fg_via(long (*cb)(long), long x);
extern volatile long spin_flag;
static volatile int ready;

__attribute__((noinline)) long waiter(long x) {
    ready = 1;
    while (spin_flag) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, 0);
    }
    return x;
}
__attribute__((noinline)) void *t_wait(void *a) {
    (void)a;
    return (void *)fg_via(waiter, 2);
}
__attribute__((noinline)) void *t_spin(void *a) {
    (void)a;
    return (void *)fg_spin(1);
}

int main(void) {
    pthread_t a, b;
    pthread_create(&b, 0, t_wait, 0);
    pthread_setname_np(b, "waiter");
    pthread_create(&a, 0, t_spin, 0);
    pthread_setname_np(a, "spinner");
    while (!ready)
        ;
    struct timespec ts = {0, 50000000};
    nanosleep(&ts, 0);
    whence_write_all_stacks(1);
    spin_flag = 0;
    pthread_join(a, 0);
    pthread_join(b, 0);
    return 0;
}
#endif
