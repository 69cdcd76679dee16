// whence::exception_stacktrace() inside a catch handler of a fiber that
// another fiber switched into while that one was inside its own handler: the
// C++ runtime keeps one list of caught exceptions per thread, which stack
// switching does not swap, and names the other fiber's exception.  Its trace
// was given as this one's (helper-143: Boost.Fiber and asio::spawn, the
// other's throw site with its whole stack).  The catching frame the unwinder
// found (the _Unwind_Exception's private_2) is looked for on this stack: not
// there, no stack, and a word that says why; the exception_ptr taken before
// the switch still has the right one.
// REQUIRES: x86_64-linux || aarch64-linux
// DEFINE: %{cxx} = %clangxx -std=c++17 %whence_cflags %s
// RUN: %{cxx} -O2 -gline-tables-only %whence_libs -o %t && %run %t | FileCheck %s
// RUN: %{cxx} -O0 -g %whence_libs -o %t.g && %run %t.g | FileCheck %s
// The crash report of a fault in that handler printed the other fiber's
// throw site as "exception thrown at:" (helper-144):
// RUN: not --crash %run %t crash 2>&1 | FileCheck %s --check-prefix=CRASH
#include <whence.hpp>

#include <cstdio>
#include <whence.h>
#include <stdexcept>
#include <ucontext.h>

static ucontext_t main_uc, a_uc, b_uc;
static char a_stack[256 << 10], b_stack[256 << 10];

__attribute__((noinline)) void throw_a() { throw std::runtime_error("A"); } // LINE_A
__attribute__((noinline)) void throw_b() { throw std::logic_error("B"); }

static bool crash;

static void fiber_a() {
    try {
        throw_a();
    } catch (const std::exception &e) {
        std::exception_ptr held = std::current_exception();
        auto before = whence::exception_stacktrace();
        printf("A before the switch: %s line %d\n", before.begin()->function(), before.begin()->line());
        swapcontext(&a_uc, &b_uc); // B throws and catches, and switches back inside its handler
        auto st = whence::exception_stacktrace();
        printf("A after the switch: %zu frames, %s\n", st.size(),
               st.end_note() ? st.end_note() : "(no note)");
        auto kept = whence::exception_stacktrace(held);
        printf("A from its exception_ptr: %s line %d\n", kept.begin()->function(), kept.begin()->line());
        fflush(stdout);
        if (crash)
            *(volatile int *)nullptr = 1;
    }
    swapcontext(&a_uc, &main_uc);
}

static void fiber_b() {
    try {
        throw_b();
    } catch (const std::exception &) {
        swapcontext(&b_uc, &a_uc);
    }
    swapcontext(&b_uc, &main_uc);
}

int main(int argc, char **argv) {
    crash = argc > 1;
    if (crash)
        whence_install_crash_handler();
    getcontext(&a_uc);
    a_uc.uc_stack = {a_stack, 0, sizeof a_stack};
    a_uc.uc_link = &main_uc;
    makecontext(&a_uc, fiber_a, 0);
    getcontext(&b_uc);
    b_uc.uc_stack = {b_stack, 0, sizeof b_stack};
    b_uc.uc_link = &main_uc;
    makecontext(&b_uc, fiber_b, 0);
    swapcontext(&main_uc, &a_uc);
    return 0;
}
// CHECK: A before the switch: throw_a line 27
// CHECK-NEXT: A after the switch: 0 frames, (no stack: the exception the C++ runtime says this thread is handling was caught on another stack
// CHECK-NEXT: A from its exception_ptr: throw_a line 27
// CRASH: fatal signal 11 (SIGSEGV)
// CRASH-NOT: throw_b
// CRASH: exception: the one the C++ runtime says this thread is handling was caught on another stack
// CRASH-NOT: throw_b
// CRASH: stack:
// CRASH-NEXT: fiber_a(...)
