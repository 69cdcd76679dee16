// A function that returns a large struct through memory (sret) and ends
// with a call into that memory: the call is marked `tail` in the IR, but
// x86-64 code generation keeps it a call (it returns the sret pointer
// too), so its frame is on the stack and must get its line (AArch64 makes
// it a jump).  In -g builds (frame
// slots) the pass took it for a jump and gave it no slot: whence_caller
// named make with line 0 (helper, C++ projects at -O2 -g).
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %t.g2 && %t.g2 | FileCheck %s
// RUN: %clang -O1 -g %whence_cflags %s %whence_libs -o %t.g1 && %t.g1 | FileCheck %s
// RUN: %clang -O0 -g %whence_cflags %s %whence_libs -o %t.g0 && %t.g0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t.t2 && %t.t2 | FileCheck %s
// RUN: %clangxx -x c++ -O2 -g %whence_cflags %s %whence_libs -o %t.cxx && %t.cxx | FileCheck %s
#include <stdio.h>
#include <whence.h>

struct big {
    long v[6];
};

__attribute__((noinline)) static void fill(struct big *b, int x) {
    whence_frame f;
    whence_caller(1, &f);
    printf("caller %s:%d\n", f.function, f.line);
    b->v[0] = x;
}

__attribute__((noinline)) static struct big make(int x) {
    struct big b;
    fill(&b, x);
    // CHECK: caller make{{(\(int\))?}}:[[@LINE-1]]
    return b;
}

__attribute__((noinline)) long double x87(void) { /* (global: its value is not dropped) */
    whence_frame f;
    whence_caller(1, &f);
    printf("caller %s:%d\n", f.function, f.line);
    return 1.5L;
}

__attribute__((noinline)) void drop_x87(void) {
    x87();
    // CHECK: caller drop_x87{{(\(\))?}}:[[@LINE-1]]
}

int main(void) {
    struct big b = make(3);
    drop_x87();
    return (int)b.v[0] - 3;
}
