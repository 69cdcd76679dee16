// An exception whose throw whence did not see has no stack, and says why
// (whence_callers_end, whence::stacktrace::end_note): thrown while more
// than 4,096 exceptions were alive (the table's room), or through libc++'s
// runtime (libc++abi).  Was an empty stack with nothing said: "thrown at"
// and nothing under it.  Outside a catch there is nothing to say.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t && %run %t | FileCheck %s --check-prefixes=CHECK,FULL
// RUN: %if libcxx %{ %clangxx -O2 -gline-tables-only -stdlib=libc++ %whence_cflags %s %whence_libs -o %t.cxx && %run %t.cxx | FileCheck %s --check-prefixes=CHECK,LIBCXX %}
// CHECK: outside a catch: 0 frames, end (none)
// FULL: one thrown: 2 frames
// LIBCXX: one thrown: 0 frames, end (no stack: whence did not see this exception thrown: thrown through a C++ runtime other than libstdc++ (libc++abi), {{.*}})
// FULL: 5000 alive, one more thrown: 0 frames, end (no stack: whence did not see this exception thrown: {{.*}}more than 4,096 exceptions were alive)
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <vector>
#include <whence.hpp>

__attribute__((noinline)) static void thrower() { throw std::runtime_error("x"); }

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
        alive.push_back(std::make_exception_ptr(std::runtime_error("held")));
    try {
        thrower();
    } catch (const std::exception &) {
        show("5000 alive, one more thrown");
    }
#endif
    return 0;
}
