// BDWGC's incremental mode with whence's crash handler installed after the
// collector: its write barrier is a SIGSEGV that its handler recovers from
// (the page unprotected, the store done again).  Was a bug: whence reported
// the first such fault as fatal and put the default action back, so the
// next one killed the process (in its first round of 200, every run).  A
// fault handler taking a siginfo now runs first (runtime/crash.c), and a
// real crash afterwards still gets its report: the collector aborts on a
// fault outside its heap, and the SIGABRT report's stack goes through the
// fault.
// RUN: %clang -O2 -g %whence_cflags %gc_inc %s %gc_libs -o %t
// RUN: %t 2>&1 | FileCheck %s
// RUN: not --crash %t crash 2>&1 | FileCheck %s --check-prefix=CRASH
// CHECK-NOT: fatal signal
// CHECK: incremental=1 rounds=200
// CRASH: incremental=1 rounds=200
// CRASH: Unexpected bus error or segmentation fault
// CRASH: fatal signal 6 (SIGABRT)
// CRASH: stack:
// CRASH: crash_now(...)
// CRASH-NEXT: {{.*}}incremental-crash-handler.c:[[# @LINE + 8]]
#include <gc.h>
#include <stdio.h>
#include <whence.h>

static int *volatile nullp;

__attribute__((noinline)) void crash_now(int v) {
    *nullp = v;
}

int main(int argc, char **argv) {
    (void)argv;
    GC_INIT();
    GC_enable_incremental();
    whence_install_crash_handler();
    void **v[1000];
    int r;
    for (r = 0; r < 200; r++) {
        for (int i = 0; i < 1000; i++) {
            v[i] = GC_MALLOC(64);
            v[i][0] = v[(i + 1) % 1000];
        }
        GC_gcollect();
    }
    fprintf(stderr, "incremental=%d rounds=%d\n", GC_is_incremental_mode(), r);
    if (argc > 1)
        crash_now(argc);
    return 0;
}
