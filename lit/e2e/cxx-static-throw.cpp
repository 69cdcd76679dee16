// A fully static C++ program (clang++ -static) linked with libwhence.a
// must still throw and catch, and name where it threw.  libwhence.a's
// __cxa_allocate_exception (runtime/cxx/exceptions.c) is pulled in ahead of
// libstdc++.a's, so libstdc++'s eh_alloc.o is never linked and there is no
// allocator to forward to (dlsym(RTLD_NEXT) finds none in a static
// program).  Was a bug: "whence: no C++ runtime's __cxa_allocate_exception
// to forward to; cannot throw" and abort, where the same program without
// libwhence catches.  libwhence now allocates as eh_alloc.o does.
// REQUIRES: x86_64-linux
// RUN: %clangxx -O2 -gline-tables-only -static %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t 2>/dev/null
// RUN: %run %t | FileCheck %s
// CHECK: caught 7 at line [[#LINE:]]
// CHECK-NEXT: thrown from thrower
#include "whence_e2e.h"

NOINLINE static void thrower(int x) {
    throw x;
}

int main() {
    try {
        thrower(7);
    } catch (int v) {
        whence_frame f;
        int line = __LINE__ + 1;
        whence_caller(0, &f);
        printf("caught %d at line %d\n", v, f.line == line ? line : -1);
        uintptr_t pcs[8];
        int n = whence_exception_callers(pcs, 8);
        whence_frames it;
        whence_frames_init(&it, pcs, n);
        if (whence_frames_next(&it, &f))
            printf("thrown from %s\n", f.function);
    }
    return 0;
}
