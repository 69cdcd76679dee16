// Exceptions thrown while malloc fails come from libstdc++'s emergency
// pool, which holds about 64 KiB.  The trace whence keeps after each object
// made every object larger, so fewer fit: 110 nested exceptions alive
// instead of 454, and 59 with stacks 150 frames deep (helper-80): a program
// that survived an out-of-memory without whence terminated with it.  Now
// the trace is asked for only where malloc can give it, and the exception
// thrown meanwhile says why it has no stack.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clangxx -O2 -gline-tables-only %s -o %t.plain
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags -DWHENCE %s %whence_libs -o %t
// RUN: %run %t.plain 0 > %t.out && %run %t 0 >> %t.out && %run %t 150 >> %t.out
// RUN: FileCheck %s < %t.out
// CHECK: alive at terminate: [[#N:]]
// CHECK-NEXT: one thrown meanwhile: 0 frames, (no stack: whence did not see this exception thrown, or saw it thrown while malloc failed, {{.*}})
// CHECK-NEXT: alive at terminate: [[#N]]
// CHECK-NEXT: one thrown meanwhile: 0 frames, (no stack: whence did not see this exception thrown, or saw it thrown while malloc failed, {{.*}})
// CHECK-NEXT: alive at terminate: [[#N]]
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <unistd.h>
#ifdef WHENCE
#include <whence.hpp>
#endif

extern "C" void *__libc_malloc(size_t);
static bool fail;
extern "C" void *malloc(size_t n) { return fail ? nullptr : __libc_malloc(n); }

static int alive;
struct E {
    int d;
};
__attribute__((noinline)) void deep(int d, int rec) {
    if (rec)
        deep(d, rec - 1);
    else
        throw E{d};
    asm volatile("");
}
__attribute__((noinline)) void nest(int d, int depth) {
    try {
        deep(d, depth);
    } catch (const E &) {
        alive = d + 1;
#ifdef WHENCE
        if (d == 0) {
            whence::stacktrace st = whence::exception_stacktrace();
            printf("one thrown meanwhile: %zu frames, %s\n", st.size(),
                   st.end_note() ? st.end_note() : "(none)");
        }
#endif
        nest(d + 1, depth);
    }
}

int main(int argc, char **argv) {
    std::set_terminate([] {
        printf("alive at terminate: %d\n", alive);
        fflush(stdout);
        _exit(0);
    });
    int depth = argc > 1 ? atoi(argv[1]) : 0;
    fail = true;
    nest(0, depth);
}
