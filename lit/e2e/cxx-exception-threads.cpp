// 8 threads throw and catch at the same time, 2,000 times each, every one
// through its own call path (its own leaf function, its own recursion
// depth): every trace whence_exception_callers gives in a handler is that
// thread's own throw, complete (leaf<t>, t + 2 dive frames, run<t>, then
// the thread's start).  Then an exception thrown in a thread and handed to
// the main thread as a std::exception_ptr: rethrown there, it still shows
// the worker's throw site.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clangxx -std=c++17 -O2 -gline-tables-only -pthread %whence_cflags -I%inputs %s %whence_libs -o %t
// RUN: %run %t | FileCheck %s --implicit-check-not=BAD
// RUN: %clangxx -std=c++17 -O0 -g -pthread %whence_cflags -I%inputs %s %whence_libs -o %t.g
// RUN: %run %t.g | FileCheck %s --implicit-check-not=BAD
#include "whence_e2e.h"

#include <atomic>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

static volatile int sink;
static std::atomic<int> ready{0};
enum { NTHREADS = 8, ROUNDS = 2000 };

struct Tagged {
    int thread, round;
};

template <int T> NOINLINE void leaf(int round) {
    throw Tagged{T, round};
}

template <int T> NOINLINE void dive(int n, int round) {
    if (n == 0)
        leaf<T>(round);
    else
        dive<T>(n - 1, round);
    sink++;
}

template <int T> NOINLINE void run() {
    ready++;
    while (ready.load() < NTHREADS)
        ;
    int bad = 0;
    std::string want_leaf = "leaf<" + std::to_string(T) + ">";
    std::string want_dive = "dive<" + std::to_string(T) + ">";
    std::string want_run = "run<" + std::to_string(T) + ">";
    for (int r = 0; r < ROUNDS; r++) {
        try {
            dive<T>(T + 2, r);
        } catch (const Tagged &e) {
            uintptr_t pcs[64];
            int n = whence_exception_callers(pcs, 64);
            whence_frames it;
            whence_frame f;
            whence_frames_init(&it, pcs, n);
            int k = 0, dives = 0;
            bool ok = e.thread == T && e.round == r;
            std::string first = "none";
            while (whence_frames_next(&it, &f)) {
                if (k == 0) {
                    first = f.function;
                    ok &= want_leaf == f.function;
                }
                else if (k <= T + 3)
                    dives += want_dive == f.function;
                else if (k == T + 4)
                    ok &= want_run == f.function;
                k++;
            }
            ok &= dives == T + 3;
            if (!ok && bad++ < 3)
                printf("BAD thread %d round %d: %d frames, first %s\n", T, r, k, first.c_str());
        }
    }
    printf("thread %d: %d bad\n", T, bad);
}

// CHECK-DAG: thread 0: 0 bad
// CHECK-DAG: thread 1: 0 bad
// CHECK-DAG: thread 2: 0 bad
// CHECK-DAG: thread 3: 0 bad
// CHECK-DAG: thread 4: 0 bad
// CHECK-DAG: thread 5: 0 bad
// CHECK-DAG: thread 6: 0 bad
// CHECK-DAG: thread 7: 0 bad

NOINLINE static void worker_throw() {
    throw std::runtime_error("from the worker");
}

NOINLINE static void worker(std::exception_ptr *out) {
    try {
        worker_throw();
    } catch (...) {
        *out = std::current_exception();
    }
}

int main() {
    {
        std::vector<std::thread> ts;
        ts.emplace_back(run<0>);
        ts.emplace_back(run<1>);
        ts.emplace_back(run<2>);
        ts.emplace_back(run<3>);
        ts.emplace_back(run<4>);
        ts.emplace_back(run<5>);
        ts.emplace_back(run<6>);
        ts.emplace_back(run<7>);
        for (auto &t : ts)
            t.join();
    }
    std::exception_ptr p;
    std::thread(worker, &p).join();
    try {
        std::rethrow_exception(p);
    } catch (const std::runtime_error &) {
        uintptr_t pcs[64];
        int n = whence_exception_callers(pcs, 64);
        e2e_dump("handed", pcs, n);
    }
    // CHECK: handed fn=worker_throw file=cxx-exception-threads.cpp line=[[@LINE-34]] inl=0
    // CHECK-NEXT: handed fn=worker file=cxx-exception-threads.cpp line=[[@LINE-30]] inl=0
    return 0;
}
