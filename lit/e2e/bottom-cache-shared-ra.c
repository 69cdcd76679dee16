// A function without records (another compiler's, or built without the
// plugin) that is both a thread's start routine and called from
// instrumented code: the same return address after its call of an
// instrumented callback is the bottom of one stack and the middle of the
// other.  Was a bug: the cache of stack bottoms (runtime/capture.c) was
// keyed by that return address alone, so once the thread had walked its
// stack, every later walk through it stopped there, in every thread
// (direct and main dropped).  The key is now the return address and the
// stack pointer at its call.
// RUN: %clang -O2 -c -DFOREIGN %s -o %t.foreign.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %t.foreign.o %whence_libs -o %t
// RUN: %run %t | FileCheck %s
// CHECK: before: cb direct main
// CHECK-NEXT: thread: cb
// CHECK-NEXT: after: cb direct main
#ifdef FOREIGN
typedef long (*cb_t)(long);
volatile long g_sink;
void *g_run(void *arg) {
    g_sink += ((cb_t)arg)(1);
    return 0;
}
#else
#include "whence_e2e.h"

#include <pthread.h>

void *g_run(void *arg);
static const char *who;

__attribute__((noinline)) long cb(long x) {
    uintptr_t pcs[16];
    char head[16];
    snprintf(head, sizeof head, "%s:", who);
    e2e_names(head, pcs, whence_callers(0, pcs, 16));
    return x + 1;
}

__attribute__((noinline)) void direct(void) {
    g_run((void *)cb);
    __asm__ volatile("" ::: "memory");
}

int main(void) {
    who = "before";
    direct();
    who = "thread";
    pthread_t t;
    pthread_create(&t, 0, g_run, (void *)cb);
    pthread_join(t, 0);
    who = "after";
    direct();
    return 0;
}
#endif
