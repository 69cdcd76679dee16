// The frame of a function whose cleanup ends in _Unwind_Resume, asked from
// inside _Unwind_Resume (interposed here, not instrumented).  clang gives a
// function one resume, shared by all its cleanups, with the position of the
// first cleanup that needed it: in thrower() below that is the throw's own
// cleanup (line THROW), which the exception coming up from the recursion
// never ran.  Such a shared resume is at line 0 now, unless its position is
// the function's closing brace, where every cleanup ends (single() below).
// Was: -O2 -gline-tables-only named line THROW (the label before the resume
// carried it); -O2 -g named line RECURSE (the slot still held the call the
// exception came out of: the resume had no slot store, and this path's
// cleanup makes no call).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -DHOOK -I%whence_incdir -c -x c %s -o %t.hook.o
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s %t.hook.o %whence_libs -ldl -o %t.l2
// RUN: %run %t.l2 | FileCheck %s
// RUN: %clangxx -O2 -g %whence_cflags %s %t.hook.o %whence_libs -ldl -o %t.g2
// RUN: %run %t.g2 | FileCheck %s
// RUN: %clangxx -O0 -gline-tables-only %whence_cflags %s %t.hook.o %whence_libs -ldl -o %t.l0
// RUN: %run %t.l0 | FileCheck %s --check-prefixes=CHECK,O0
// RUN: %clangxx -O0 -g %whence_cflags %s %t.hook.o %whence_libs -ldl -o %t.g0
// RUN: %run %t.g0 | FileCheck %s --check-prefixes=CHECK,O0
//
// CHECK: resume: thrower line 0
// O0: resume: single line [[#@LINE+53]]
// CHECK: result 0

#ifdef HOOK
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <whence.h>

/* Says whence's frame of the function that resumes, then resumes. */
void _Unwind_Resume(void *e) {
    static void (*real)(void *);
    if (!real)
        real = (void (*)(void *))dlsym(RTLD_NEXT, "_Unwind_Resume");
    whence_frame f;
    if (whence_caller(0, &f)) /* the hook itself has no frame for whence */
        printf("resume: %s line %d\n", f.function, f.line);
    fflush(stdout);
    real(e);
}
#else
#include <cstdio>
#include <stdexcept>
#include <string>

struct Err : std::runtime_error {
    int depth;
    Err(int d) : std::runtime_error("deep"), depth(d) {}
};

__attribute__((noinline)) static int thrower(int d, int x) {
    if (d == 0) {
        if (x % 3 == 0)
            throw Err(x); // THROW
        return x;
    }
    std::string guard = std::to_string(d); // short: its destructor makes no call
    return thrower(d - 1, x + 1) + (int)guard.size(); // RECURSE
}

__attribute__((noinline)) void boom(int x) {
    if (x >= 0)
        throw Err(x);
}
struct G {
    int *p;
    __attribute__((noinline)) ~G() { ++*p; }
};
__attribute__((noinline)) int single(int x) {
    int n = 0;
    G g{&n};
    boom(x);
    return n;
}

int main() {
    int r = 0;
    try {
        r = thrower(1, 2);
    } catch (const Err &e) {
        r = e.depth == 3 ? 0 : 1;
    }
    try {
        single(1);
    } catch (const Err &) {
    }
    printf("result %d\n", r);
    return r;
}
#endif
