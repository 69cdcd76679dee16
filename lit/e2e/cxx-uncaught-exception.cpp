// An uncaught C++ exception: std::terminate -> abort -> the crash handler,
// whose report shows where the exception was thrown ("exception thrown
// at:", the throw site's frames with lines) before the stack at the abort,
// as Go shows a panic's origin; the process still dies of SIGABRT.  Also
// when the stack at the abort no longer holds the throw site: a noexcept
// function the exception left, a `throw;` from main's handler, a thread
// whose function let it escape.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clangxx -std=c++17 -O2 -gline-tables-only -pthread %whence_cflags -I%inputs %s %whence_libs -o %t
// RUN: not --crash %run %t plain 2> %t.plain && FileCheck %s --check-prefixes=CHECK,PLAIN < %t.plain
// RUN: not --crash %run %t noexcept 2> %t.noexcept && FileCheck %s --check-prefixes=CHECK,NOEXCEPT < %t.noexcept
// RUN: not --crash %run %t rethrow 2> %t.rethrow && FileCheck %s --check-prefixes=CHECK,RETHROW < %t.rethrow
// RUN: not --crash %run %t thread 2> %t.thread && FileCheck %s --check-prefixes=CHECK,THREAD < %t.thread
// Caught exceptions print nothing extra; a crash without an exception has
// no such section.
// RUN: not --crash %run %t segv 2> %t.segv && FileCheck %s --check-prefix=SEGV < %t.segv
#include "whence_e2e.h"

#include <stdexcept>
#include <string.h>
#include <thread>

static volatile int sink;
static int *volatile nullp;

NOINLINE static void thrower(int x) {
    if (x)
        throw std::runtime_error("escaped");
    sink++;
}

NOINLINE static void mid(int x) {
    thrower(x);
    sink++;
}

NOINLINE static void guarded() noexcept {
    mid(1);
    sink++;
}

NOINLINE static void caught_first() {
    try {
        mid(1);
    } catch (...) {
        sink++;
    }
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    caught_first();
    const char *m = argc > 1 ? argv[1] : "plain";
    if (!strcmp(m, "plain"))
        mid(1);
    else if (!strcmp(m, "noexcept"))
        guarded();
    else if (!strcmp(m, "rethrow")) {
        try {
            mid(1);
        } catch (...) {
            throw;
        }
    } else if (!strcmp(m, "thread")) {
        std::thread t(mid, 1);
        t.join();
    } else if (!strcmp(m, "segv")) {
        *nullp = 1;
    }
    return 0;
}
// CHECK:      terminate called after throwing an instance of 'std::runtime_error'
// CHECK:      fatal signal 6 (SIGABRT)
// CHECK:      exception thrown at:
// CHECK-NEXT: thrower(...)
// CHECK-NEXT: cxx-uncaught-exception.cpp:[[@LINE-48]] +0x{{[0-9a-f]+}}
// CHECK-NEXT: mid(...)
// CHECK-NEXT: cxx-uncaught-exception.cpp:[[@LINE-45]] +0x{{[0-9a-f]+}}
// PLAIN-NEXT: main(...)
// PLAIN-NEXT: cxx-uncaught-exception.cpp:[[@LINE-25]] +0x{{[0-9a-f]+}}
// NOEXCEPT-NEXT: guarded(...)
// NOEXCEPT-NEXT: cxx-uncaught-exception.cpp:[[@LINE-44]] +0x{{[0-9a-f]+}}
// NOEXCEPT-NEXT: main(...)
// NOEXCEPT-NEXT: cxx-uncaught-exception.cpp:[[@LINE-27]] +0x{{[0-9a-f]+}}
// RETHROW-NEXT: main(...)
// RETHROW-NEXT: cxx-uncaught-exception.cpp:[[@LINE-26]] +0x{{[0-9a-f]+}}
// THREAD-NEXT: std::{{.*}}
// CHECK:      stack:
// SEGV:     fatal signal 11 (SIGSEGV)
// SEGV-NOT: exception thrown at
// SEGV:     stack:
// SEGV-NOT: exception thrown at
