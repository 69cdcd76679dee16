// A library call that code generation makes of an fp128 or half operation
// (__multf3; __extendhfsf2 without F16C) hangs off nothing in the selection
// DAG: with its operands loaded after the call before it, the scheduler put
// it before the operation's site label (or, in -g builds, before the slot's
// store), and the frame at that call read the line of the call before it.
// Its operands now go through the label asm (a half as its 16 bits, a
// half's second operand through an asm of its own after the label).
// __multf3 and __extendhfsf2 are defined here so that they can ask who
// called them.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t2 && %t2 | FileCheck %s
// RUN: %clang -O3 -gline-tables-only %whence_cflags %s %whence_libs -o %t3 && %t3 | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %t2g && %t2g | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %whence_cflags %s %whence_libs -o %t0 && %t0 | FileCheck %s
#include <stdio.h>
#include <whence.h>

static void who(const char *callee) {
    whence_frame f;
    whence_caller(2, &f);
    printf("%s called from %s %d\n", callee, f.function, f.line);
}

__attribute__((noinline)) __float128 __multf3(__float128 a, __float128 b) {
    who("__multf3");
    return (__float128)((long double)a * (long double)b);
}

__attribute__((noinline, target("f16c"))) float __extendhfsf2(_Float16 h) {
    who("__extendhfsf2");
    return (float)h;
}

__attribute__((noinline)) void g(void) { __asm__ volatile(""); }

__attribute__((noinline)) void qm(long *p, __float128 *q) {
    g();
    long a = *p;
    *p = (long)(q[0] * q[1]) | a; // CHECK: __multf3 called from qm [[# @LINE]]
}

__attribute__((noinline)) void hm(long *p, _Float16 *h) {
    g();
    long a = *p;
    *p = (long)(h[0] * h[1]) | a; // CHECK-COUNT-3: __extendhfsf2 called from hm [[# @LINE]]
}

int main(void) {
    long x = 1;
    __float128 q[2] = {6, 7};
    qm(&x, q);
    _Float16 h[2] = {2, 3};
    hm(&x, h);
    printf("%ld\n", x); // CHECK-NEXT: 47
    return 0;
}
