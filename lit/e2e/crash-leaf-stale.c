// A leaf without a frame record faults in code built without unwind tables
// (crash-leaf-no-cfi.c), called by C, whose alloca moved its stack pointer
// so that the stack cannot prove the caller.  Earlier its sibling P, called
// from the same frame, called the same leaf: P's return address is still in
// the leaf's uninitialised locals, where P's frame record lay at the same
// address as C's.  The report named P as the caller (every check held for
// that stale word, among the words the leaf's saves might have left);
// now only the one word the leaf's saves leave at its pc is read, and the
// report ends with why.  (Helper's finding, reduced; the sizes give the
// layout where the stale word was taken.)
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only -fno-asynchronous-unwind-tables -fno-unwind-tables %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %run %t 2> %t.r
// RUN: FileCheck %s < %t.r
// CHECK: fault in leaf at {{.*}}crash-leaf-stale.c
// CHECK-NEXT: thread
// CHECK-NEXT: stack:
// CHECK-NEXT: leaf(...)
// CHECK-NEXT: crash-leaf-stale.c:[[# @LINE+16]] +0x
// CHECK-NEXT: (the stack ends here: the frame above has no frame record at its pc, and no unwind tables say where its caller is: build with -fasynchronous-unwind-tables)
// CHECK-NOT: P(...)
#include <alloca.h>
#include <stdlib.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))
#define LA 38
#define LP 32
#define AM 64

volatile long sink;

NOINLINE long leaf(long *p, long n) {
    volatile long a[LA];
    long x0 = p[0], x1 = p[1] * 3, x2 = p[2] ^ n, x3 = p[3] + n, x4 = p[4] * n, x5 = p[5] - 7;
    for (long i = 0; i < n; i++) {
        x0 += x1 * x5;
        x1 ^= x2 + x0;
        x2 += x3 * x1;
        x3 ^= x4 + x2;
        x4 += x5 * x3;
        x5 ^= x0 + x4;
        if (n > 1000)
            a[(n + i) % LA] = x0;
    }
    return x0 + x1 + x2 + x3 + x4 + x5 + a[1];
}

NOINLINE long P(long *p, long n) {
    volatile long b[LP];
    b[n % LP] = 1;
    long r = leaf(p, n);
    return r + b[(n + 1) % LP];
}

NOINLINE long C(long *p, int m) {
    volatile long *v = alloca(m * AM);
    v[0] = 1;
    long r = leaf(p, 1);
    return r + v[0];
}

int main(int argc, char **argv) {
    (void)argv;
    static long good[8];
    whence_install_crash_handler();
    sink += P(good, argc);
    sink += C(NULL, argc);
    return 0;
}
