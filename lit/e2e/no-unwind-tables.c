// -fno-asynchronous-unwind-tables: instrumented code without CFI, called
// back from glibc (qsort, bsearch) that keeps no frame pointer.  The walk
// steps through glibc's frames with their CFI and back to the frame-pointer
// chain, so every instrumented frame is there: the callback-stack checks of
// qsort-callback.c, at -O0 and -O2, -g and -gline-tables-only, PIE, non-PIE
// and static.  Then from a signal handler: a comparator raises SIGPROF, the
// handler's stack goes through the kernel's signal frame, raise's frames
// (interrupted inside libc), the comparator, qsort's frames, sort_it, main.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only -fno-asynchronous-unwind-tables %whence_cflags -I%inputs %S/qsort-callback.c %whence_libs -o %t.q0 && %run %t.q0 | FileCheck %S/qsort-callback.c
// RUN: %clang -O2 -gline-tables-only -fno-asynchronous-unwind-tables %whence_cflags -I%inputs %S/qsort-callback.c %whence_libs -o %t.q2 && %run %t.q2 | FileCheck %S/qsort-callback.c
// RUN: %clang -O0 -g -fno-asynchronous-unwind-tables %whence_cflags -I%inputs %S/qsort-callback.c %whence_libs -o %t.qg0 && %run %t.qg0 | FileCheck %S/qsort-callback.c
// RUN: %clang -O2 -g -fno-asynchronous-unwind-tables %whence_cflags -I%inputs %S/qsort-callback.c %whence_libs -o %t.qg2 && %run %t.qg2 | FileCheck %S/qsort-callback.c
// RUN: %clang -O2 -gline-tables-only -fno-asynchronous-unwind-tables -fno-pie -no-pie %whence_cflags -I%inputs %S/qsort-callback.c %whence_libs -o %t.qnp && %run %t.qnp | FileCheck %S/qsort-callback.c
// RUN: %clang -O2 -gline-tables-only -fno-asynchronous-unwind-tables %whence_cflags -I%inputs %S/qsort-callback.c %whence_static -lpthread -ldl -o %t.qst && %run %t.qst | FileCheck %S/qsort-callback.c
// The instrumented objects really have no unwind tables:
// RUN: %clang -O2 -g -fno-asynchronous-unwind-tables %whence_cflags -I%inputs -c %S/qsort-callback.c -o %t.o && llvm-readelf -S %t.o | FileCheck %s --check-prefix=NOCFI
// NOCFI-NOT: .eh_frame
// RUN: %clang -O0 -g -fno-asynchronous-unwind-tables %whence_cflags -I%inputs %s %whence_libs -o %t.s0 && %run %t.s0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fno-asynchronous-unwind-tables %whence_cflags -I%inputs %s %whence_libs -o %t.s2 && %run %t.s2 | FileCheck %s
#include "whence_e2e.h"

#include <signal.h>
#include <stdlib.h>

#define N 64
static int arr[N];
static volatile sig_atomic_t raised;
static uintptr_t pcs[32];
static int npcs;

static void on_prof(int sig) {
    (void)sig;
    npcs = whence_callers(0, pcs, 32);
}

static int cmp(const void *x, const void *y) {
    if (!raised) {
        raised = 1;
        raise(SIGPROF);
    }
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

NOINLINE static void sort_it(void) {
    qsort(arr, N, sizeof arr[0], cmp);
    // CHECK: frame fn=on_prof file=no-unwind-tables.c line=[[#@LINE-14]] inl=0
    // CHECK-NEXT: frame fn=cmp file=no-unwind-tables.c line=[[#@LINE-9]] inl=0
    // CHECK-NEXT: frame fn=sort_it file=no-unwind-tables.c line=[[#@LINE-3]] inl=0
}

int main(void) {
    for (int i = 0; i < N; i++)
        arr[i] = (i * 37) % N;
    signal(SIGPROF, on_prof);
    sort_it();
    // CHECK-NEXT: frame fn=main file=no-unwind-tables.c line=[[#@LINE-1]] inl=0
    // CHECK-NEXT: frames end
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, npcs);
    while (whence_frames_next(&it, &f))
        e2e_print("frame", &f);
    printf("frames end\n");
    return 0;
}
