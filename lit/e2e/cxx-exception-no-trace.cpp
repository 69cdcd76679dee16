// An exception whose throw whence did not see has no stack, and says why
// (whence_callers_end, whence::stacktrace::end_note): thrown through
// libc++'s runtime (libc++abi).  Was an empty stack with nothing said:
// "thrown at" and nothing under it.  Outside a catch there is nothing to
// say.  With libstdc++ any number of exceptions may be alive: the object's
// header names its trace (a table of 4,096 did, and the 5,001st alive had
// none, or an earlier one whose hash set was full: the test failed when
// the heap's addresses left the thrower's set a free way).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t && %run %t | FileCheck %s --check-prefixes=CHECK,FULL
// RUN: %if libcxx %{ %clangxx -O2 -gline-tables-only -stdlib=libc++ %whence_cflags %s %whence_libs -o %t.cxx && %run %t.cxx | FileCheck %s --check-prefixes=CHECK,LIBCXX %}
// CHECK: outside a catch: 0 frames, end (none)
// FULL: one thrown: 2 frames
// LIBCXX: one thrown: 0 frames, end (no stack: whence did not see this exception thrown: thrown through a C++ runtime other than libstdc++ (libc++abi), {{.*}})
// FULL: 5000 alive, one more thrown: 2 frames
// FULL-NEXT: held 0: 2 frames
// FULL-NEXT: held 4999: 2 frames
// FULL-NEXT: foreign: 0 frames, end (no stack: whence did not see this exception thrown: thrown through a C++ runtime other than libstdc++ (libc++abi), or another language's: its class is not libstdc++'s)
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <vector>
#include <unwind.h>
#include <whence.hpp>

__attribute__((noinline)) static void thrower() { throw std::runtime_error("x"); }
/* Another language's exception (its class is not libstdc++'s). */
static void cleanup(_Unwind_Reason_Code, _Unwind_Exception *) {}
__attribute__((noinline)) static void raise_foreign(_Unwind_Exception *e) {
    *e = {};
    e->exception_class = 0x4d4f5a0052555354ULL;
    e->exception_cleanup = cleanup;
    _Unwind_RaiseException(e);
}
__attribute__((noinline)) static std::exception_ptr held() {
    return std::make_exception_ptr(std::runtime_error("held"));
}

static void show(const char *what) {
    whence::stacktrace st = whence::exception_stacktrace();
    if (st.size())
        printf("%s: %zu frames\n", what, st.size());
    else
        printf("%s: 0 frames, end %s\n", what, st.end_note() ? st.end_note() : "(none)");
}

int main() {
    show("outside a catch");
    try {
        thrower();
    } catch (const std::exception &) {
        show("one thrown");
    }
#ifndef _LIBCPP_VERSION
    std::vector<std::exception_ptr> alive;
    for (int i = 0; i < 5000; i++)
        alive.push_back(held());
    try {
        thrower();
    } catch (const std::exception &) {
        show("5000 alive, one more thrown");
    }
    for (int i : {0, 4999}) {
        try {
            std::rethrow_exception(alive[i]);
        } catch (const std::exception &) {
            char what[32];
            snprintf(what, sizeof what, "held %d", i);
            show(what);
        }
    }
    static _Unwind_Exception foreign_exc;
    try {
        raise_foreign(&foreign_exc);
    } catch (...) {
        show("foreign");
    }
#endif
    return 0;
}
