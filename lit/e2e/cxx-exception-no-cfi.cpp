// An exception thrown by an instrumented callback of a C library built
// without unwind tables and frame pointers (main -> c_outer -> c_inner ->
// callback): its trace ends at the callback, where the walk cannot go on,
// and the crash report of an uncaught one said nothing of it; its
// "exception thrown at:" now ends with why, as its stack does.
// (Helper's finding.)  Caught, the trace's text says it too
// (whence_callers_end, whence.hpp).  libclib.so has no FDE at all, so
// its linker made no .eh_frame_hdr either: the end says that its image has
// none, or was linked without one (e2e/no-eh-frame-hdr.c).
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -fomit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables -fPIC -shared -x c -DCLIB %s -o %t/libclib.so
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s -L%t -lclib -Wl,-rpath,%t %whence_libs -o %t/main
// RUN: not --crash %run %t/main 2> %t/r
// RUN: FileCheck %s < %t/r
// RUN: %run %t/main caught | FileCheck %s --check-prefix=CAUGHT
// CHECK: exception thrown at:
// CHECK-NEXT: cb_throw(...)
// CHECK-NEXT: cxx-exception-no-cfi.cpp:[[#@LINE+18]]
// CHECK-NEXT: (the stack ends here: code outside instrumented code below the frame above has no frame record at its pc, and its image has no .eh_frame_hdr, by which whence finds unwind tables: the image has none, or was linked without --eh-frame-hdr, as gcc -static links: build it with -fasynchronous-unwind-tables and link it with -Wl,--eh-frame-hdr, or with clang)
// CHECK-NEXT: stack:
#ifdef CLIB
static volatile int sink;
typedef void (*cb_t)(int);
__attribute__((noinline)) static void c_inner(cb_t cb, int x) { sink++; cb(x); sink++; }
__attribute__((noinline)) void c_outer(cb_t cb, int x) { sink++; c_inner(cb, x + 1); sink++; }
#else
#include <whence.hpp>
extern "C" void c_outer(void (*cb)(int), int x);
static volatile int sink;
struct E1 {
    int v;
};
__attribute__((noinline)) void cb_throw(int x) {
    sink = sink + 1;
    if (x)
        throw E1{x};
}
#include <cstdio>
#include <iostream>

// Caught in the callback: whence::exception_stacktrace() ends its text
// with the same words (whence_callers_end), and so does a stack captured
// there with whence_callers or whence::stacktrace::current(); one
// captured in main ends with main, and says nothing.
__attribute__((noinline)) void cb_look(int x) {
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    const char *end = whence_callers_end();
    printf("callers %d end=%s\n", n, end ? end : "(none)");
    std::cout << "current:\n" << whence::stacktrace::current();
    try {
        cb_throw(x);
    } catch (const E1 &) {
        whence::stacktrace st = whence::exception_stacktrace();
        std::cout << "caught:\n" << st << "note " << (st.end_note() != nullptr) << '\n';
    }
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    c_outer(argc < 2 ? cb_throw : cb_look, 1);
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    const char *end = whence_callers_end();
    printf("main %d end=%s\n", n, end ? end : "(none)");
    return 0;
}
#endif
// CAUGHT: callers 1 end=(the stack ends here: code outside instrumented code below the frame above has no frame record at its pc, and its image has no .eh_frame_hdr, by which whence finds unwind tables: the image has none, or was linked without --eh-frame-hdr, as gcc -static links: build it with -fasynchronous-unwind-tables and link it with -Wl,--eh-frame-hdr, or with clang)
// CAUGHT-NEXT: current:
// CAUGHT-NEXT: cb_look(...)
// CAUGHT-NEXT: cxx-exception-no-cfi.cpp:
// CAUGHT-NEXT: (the stack ends here: code outside instrumented code below the frame above
// CAUGHT-NEXT: caught:
// CAUGHT-NEXT: cb_throw(...)
// CAUGHT-NEXT: cxx-exception-no-cfi.cpp:
// CAUGHT-NEXT: cb_look(...)
// CAUGHT-NEXT: cxx-exception-no-cfi.cpp:
// CAUGHT-NEXT: (the stack ends here: code outside instrumented code below the frame above
// CAUGHT-NEXT: note 1
// CAUGHT-NEXT: main 1 end=(none)
