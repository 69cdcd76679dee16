// A program linked with libwhence.so runs under valgrind (memcheck), as
// users run theirs: Debian 12's valgrind 3.19 gave up on any process that
// mapped libwhence.so ("unhandled dwarf2 abbrev form code 0x25 ... I can't
// recover"), whose clang-19 default debug info is DWARF 5; the runtime is
// built with DWARF 4.  Under memcheck, the answers are the same and memcheck
// finds nothing in whence's code: a stack, a caller, a dump of two threads,
// and a crash report.
// REQUIRES: x86_64-linux, valgrind
// RUN: %clang -O2 -gdwarf-4 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %valgrind -q --error-exitcode=99 %t 2>&1 | FileCheck %s
// RUN: not %valgrind -q --error-exitcode=99 %t crash > %t.crash 2>&1
// RUN: FileCheck %s --check-prefix=CRASH < %t.crash
// CHECK-NOT: unhandled dwarf2
// CHECK-NOT: Invalid
// CHECK-NOT: uninitialised
// CRASH-NOT: unhandled dwarf2
// CRASH: fatal signal 11 (SIGSEGV)
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <whence.h>

int *volatile nullp;
static volatile int started;

__attribute__((noinline)) void park(void) {
    started = 1;
    for (;;)
        pthread_testcancel(), sched_yield();
}
static void *worker(void *a) {
    pthread_setname_np(pthread_self(), "worker");
    park();
    return a;
}

__attribute__((noinline)) void leaf(void) {
    whence_write_stack(2, 0);
    // CHECK: leaf(...)
    // CHECK-NEXT: valgrind.c:[[@LINE-2]]
    whence_frame f;
    if (whence_caller(1, &f))
        fprintf(stderr, "caller %s %s:%d\n", f.function, f.file, f.line);
}
__attribute__((noinline)) void mid(int crash) {
    leaf();
    // CHECK: caller mid {{.*}}valgrind.c:[[@LINE-1]]
    if (crash)
        *nullp = 1;
    // CRASH-NEXT: fault in mid at {{.*}}valgrind.c:[[@LINE-1]]
    // CRASH: main(...)
}
int main(int argc, char **argv) {
    whence_install_crash_handler();
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    while (!started)
        sched_yield();
    mid(argc > 1);
    whence_write_all_stacks(2);
    // valgrind runs one thread at a time and blocks the signals of the
    // others in the kernel, so the worker may read as not answering:
    // CHECK: thread {{[0-9]+}} "worker":{{( not answering \(signal blocked\))?$}}
    pthread_cancel(t);
    pthread_join(t, NULL);
    fprintf(stderr, "done\n");
    // CHECK: done
    return 0;
}
