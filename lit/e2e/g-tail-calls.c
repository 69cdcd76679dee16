// Tail calls in -g modules: whence keeps them as the optimizer made them (the
// debugger then shows the tail-calling frame as [artificial] and `finish`
// returns past it; LLDB fidelity is the promise there), so whence's frames
// skip the tail-calling function at -O2 -g.  Everywhere else tail calls are
// disabled in instrumented code and every frame is kept.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -g %whence_cflags -I%inputs %s %whence_libs -o %t.g && %run %t.g | FileCheck %s --check-prefix=G
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.lt && %run %t.lt | FileCheck %s --check-prefix=LT
// RUN: %clang -O0 -g %whence_cflags -I%inputs %s %whence_libs -o %t.g0 && %run %t.g0 | FileCheck %s --check-prefix=LT
#include "whence_e2e.h"

static volatile int sink;

NOINLINE int leaf(int x) {
    uintptr_t pcs[8];
    int n = whence_callers(0, pcs, 8);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f))
        printf("frame %s\n", f.function);
    return x + 1;
}

NOINLINE int middle(int x) { return leaf(x + 1); }

int main(int argc, char **argv) {
    (void)argv;
    sink = middle(argc);
    return 0;
}
// G:      frame leaf
// G-NEXT: frame main
// LT:      frame leaf
// LT-NEXT: frame middle
// LT-NEXT: frame main
