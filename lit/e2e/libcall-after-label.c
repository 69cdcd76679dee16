// A library call that code generation makes of an operation that touches
// no memory (llvm.floor.f64 -> floor on x86-64 without SSE4.1) is chained
// to nothing: the scheduler could put it before the site label the pass
// put right before the operation (the label's memory clobber orders it
// only against memory operations), and the frame at that call read the
// line of the call before it.  Its operand now goes through the label asm.
// The same for __divti3 (an __int128 division; its low half goes through
// the asm).  floor() and __divti3() are defined here so that they can ask
// who called them.  -g builds
// name calls by frame slots, stores the call could pass the same way: the
// operand goes through an asm ordered after the store.
// REQUIRES: x86_64-linux
// RUN: %clang -O1 -gline-tables-only %whence_cflags %s %whence_libs -o %t1 && %t1 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t2 && %t2 | FileCheck %s
// RUN: %clang -O3 -gline-tables-only %whence_cflags %s %whence_libs -o %t3 && %t3 | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %t4 && %t4 | FileCheck %s
// RUN: %clang -O0 -g %whence_cflags %s %whence_libs -o %t5 && %t5 | FileCheck %s
#include <stdio.h>
#include <whence.h>

__attribute__((noinline)) double floor(double x) {
    whence_frame f;
    whence_caller(1, &f);
    printf("floor called from %s %d\n", f.function, f.line);
    long i = (long)x;
    return (double)(i - (x < (double)i));
}

__attribute__((noinline)) __int128 __divti3(__int128 a, __int128 b) {
    whence_frame f;
    whence_caller(1, &f);
    printf("__divti3 called from %s %d\n", f.function, f.line);
    return (__int128)((long)a / (long)b);
}

__attribute__((noinline)) void g(void) { __asm__ volatile(""); }

__attribute__((noinline)) void h(long *p, double *d) {
    g();
    long a = *p;
    *p = (long)__builtin_floor(*d) | a; // CHECK: floor called from h [[# @LINE]]
}

__attribute__((noinline)) void k(long *p, __int128 *q) {
    g();
    long a = *p;
    *p = (long)(q[0] / q[1]) | a; // CHECK: __divti3 called from k [[# @LINE]]
}

int main(void) {
    long x = 1;
    double y = 2.5;
    h(&x, &y);
    __int128 q[2] = {200, 3};
    k(&x, q);
    return x != 67;
}
