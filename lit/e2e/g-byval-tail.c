// A call marked `tail` that code generation cannot turn into a jump stays a
// call in -g modules, where tail calls are kept: its frame is on the stack,
// so it gets its slot's exact line, not the function's first line.  Two
// such calls: one passes a struct byval from a global (zstd's
// ZSTD_customMem pattern), one passes seven integer arguments, the seventh
// on the stack; both must be stored into the caller's outgoing area.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -g %whence_cflags -I%inputs %s %whence_libs -o %t.g && %t.g | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.lt && %t.lt | FileCheck %s
#include "whence_e2e.h"

typedef struct { void *(*alloc)(void *, unsigned long); void (*free)(void *, void *); void *opaque; } mem_t;
const mem_t default_mem = {0, 0, 0};
static volatile int sink;

NOINLINE int with_mem(int x, mem_t m) {
    whence_frame f;
    whence_caller(1, &f);
    printf("caller %s:%d\n", f.function, f.line);
    return x + (m.opaque != 0);
}

NOINLINE int wrapper(int x) {
    sink = x;
    return with_mem(x, default_mem); // line 25
}

NOINLINE int seven(int a, int b, int c, int d, int e, int f, int g) {
    whence_frame fr;
    whence_caller(1, &fr);
    printf("caller %s:%d\n", fr.function, fr.line);
    return a + b + c + d + e + f + g;
}

NOINLINE int wrapper7(int x) {
    sink = x;
    return seven(x, 1, 2, 3, 4, 5, x * 7); // line 37
}

int main(int argc, char **argv) {
    (void)argv;
    sink = wrapper(argc);
    sink = wrapper7(argc);
    return 0;
}

// CHECK: caller wrapper:25
// CHECK: caller wrapper7:37
