// An exception thrown in a worker thread and rethrown in a thread that
// never threw (std::future::get, std::rethrow_exception of an
// exception_ptr handed over): uncaught there, the crash report said
// nothing of where it was thrown.  The report asks libstdc++ for the
// exception being handled only in a thread that used its per-thread
// globals (asking in one that never did can allocate them with malloc,
// which hung a report of a fault inside malloc), and a rethrow did not
// count.  libwhence now sees the rethrow (__cxa_allocate_dependent_exception,
// runtime/cxx/exceptions.c) and makes the globals exist there first.
// REQUIRES: x86_64-linux
// RUN: %clangxx -std=c++17 -O2 -gline-tables-only -pthread %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %run %t future 2> %t.future
// RUN: FileCheck %s --check-prefixes=CHECK,FUTURE < %t.future
// RUN: not --crash %run %t ptr 2> %t.ptr
// RUN: FileCheck %s --check-prefixes=CHECK,PTR < %t.ptr
// RUN: %clangxx -std=c++17 -O0 -g -pthread %whence_cflags %s %whence_libs -o %t.g
// RUN: not --crash %run %t.g future 2> %t.g.future
// RUN: FileCheck %s --check-prefixes=CHECK,FUTURE < %t.g.future
// CHECK: fatal signal 6 (SIGABRT)
// CHECK: exception thrown at:
// CHECK-NEXT: work(...)
// CHECK-NEXT: cxx-exception-future.cpp:[[#@LINE+16]]
// CHECK: stack:
// FUTURE: std::future<int>::get(...)
// FUTURE: main(...)
// PTR: std::rethrow_exception(...) (not instrumented)
// PTR-NEXT: libstdc++.so.6
// PTR-NEXT: main(...)
#include <exception>
#include <future>
#include <stdexcept>
#include <string.h>
#include <thread>
#include <whence.h>

__attribute__((noinline)) int work(int x) {
    if (x > 0)
        throw std::runtime_error("from the worker");
    return x;
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    if (argc > 1 && !strcmp(argv[1], "future")) {
        std::future<int> f = std::async(std::launch::async, work, 1);
        return f.get();
    }
    std::exception_ptr p;
    std::thread t([&p] {
        try {
            work(1);
        } catch (...) {
            p = std::current_exception();
        }
    });
    t.join();
    std::rethrow_exception(p);
}
