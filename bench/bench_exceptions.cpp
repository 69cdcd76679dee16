// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// bench_exceptions.cpp - what whence's exception stacks add to a C++ throw:
// a throw caught 10 frames up, with libwhence's __cxa_allocate_exception
// (it records the throw's stack, runtime/cxx/exceptions.c) against the same
// throw whose object comes straight from the C++ runtime's allocator (the
// way a program without libwhence throws), in the same run, alternating.
// The target (../shared/design/targets.md): at most +10%.
//
// Both throw the same 4-byte object with the same __cxa_throw; the catch
// frees it through __cxa_free_exception, which libwhence interposes in both
// cases (the baseline's object is just not in its table).  Also: the same
// throw of a std::runtime_error (its message allocated), and the cost of
// whence_exception_callers in the handler.
//
// Prints "key<TAB>value" lines, ns per throw-catch, medians of the rounds,
// and the ratios (docs/BENCH.md).  `--callgrind N` instead runs N throws of
// each kind inside cg_whence / cg_baseline only, for valgrind's instruction
// counts (scripts/bench-exceptions.sh), which a loaded machine cannot move.
#include "bench_util.h"

#include <cxxabi.h>
#include <dlfcn.h>
#include <stdexcept>
#include <typeinfo>
#include <whence.h>

struct Err {
    int code;
};

typedef void *(*alloc_fn)(size_t);
static alloc_fn real_alloc;
static volatile int sink;
static int mode; // 0: whence's throw, 1: the runtime's allocator, 2: runtime_error

[[noreturn]] BENCH_NOINLINE static void do_throw(int depth) {
    if (mode == 2)
        throw std::runtime_error("benchmark");
    if (mode == 0)
        throw Err{depth};
    void *o = real_alloc(sizeof(Err));
    new (o) Err{depth};
    __cxxabiv1::__cxa_throw(o, const_cast<std::type_info *>(&typeid(Err)), nullptr);
}

BENCH_NOINLINE static int chain(int depth) {
    if (depth == 0)
        do_throw(depth);
    int r = chain(depth - 1);
    sink = r;
    return r + 1;
}

static int with_callers;

BENCH_NOINLINE static void once(int frames) {
    try {
        sink = chain(frames - 2); // chain frames + do_throw + this one
    } catch (const Err &e) {
        sink = e.code;
        if (with_callers) {
            uintptr_t pcs[64];
            sink = whence_exception_callers(pcs, 64);
        }
    } catch (const std::exception &e) {
        sink = 1;
    }
}

static double round_ns(int m, int frames, int iters) {
    mode = m;
    int64_t t0 = bench_now();
    for (int i = 0; i < iters; i++)
        once(frames);
    return (double)(bench_now() - t0) / iters;
}

extern "C" BENCH_NOINLINE void cg_whence(int n) {
    mode = 0;
    for (int i = 0; i < n; i++)
        once(10);
}

extern "C" BENCH_NOINLINE void cg_baseline(int n) {
    mode = 1;
    for (int i = 0; i < n; i++)
        once(10);
}

int main(int argc, char **argv) {
    int cg = argc > 2 && !strcmp(argv[1], "--callgrind") ? atoi(argv[2]) : 0;
    int rounds = !cg && argc > 1 ? atoi(argv[1]) : 21, iters = !cg && argc > 2 ? atoi(argv[2]) : 20000;
    void *h = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_NOLOAD);
    real_alloc = h ? (alloc_fn)dlsym(h, "__cxa_allocate_exception") : nullptr;
    if (!real_alloc) {
        fprintf(stderr, "bench_exceptions: libstdc++'s __cxa_allocate_exception not found\n");
        return 1;
    }
    // Does the throw really record its stack (and the baseline not)?
    for (int m = 0; m < 2; m++) {
        mode = m;
        uintptr_t pcs[64];
        int n = -1;
        try {
            chain(8);
        } catch (const Err &) {
            n = whence_exception_callers(pcs, 64);
        }
        printf("check.frames.%s\t%d\n", m ? "baseline" : "whence", n);
    }
    if (cg > 0) {
        cg_whence(1); // warm both paths outside the counted calls
        cg_baseline(1);
        cg_whence(cg);
        cg_baseline(cg);
        return 0;
    }
    double *w = new double[rounds], *b = new double[rounds], *s = new double[rounds],
           *c = new double[rounds];
    const int frames = 10;
    round_ns(0, frames, iters / 10); // warm up both paths
    round_ns(1, frames, iters / 10);
    for (int r = 0; r < rounds; r++) {
        b[r] = round_ns(1, frames, iters);
        w[r] = round_ns(0, frames, iters);
        s[r] = round_ns(2, frames, iters);
        with_callers = 1;
        c[r] = round_ns(0, frames, iters);
        with_callers = 0;
    }
    double mb = bench_median(b, rounds), mw = bench_median(w, rounds), ms = bench_median(s, rounds),
           mc = bench_median(c, rounds);
    printf("throw_catch_10.baseline_ns\t%.1f\n", mb);
    printf("throw_catch_10.whence_ns\t%.1f\n", mw);
    printf("throw_catch_10.whence_ratio\t%.3f\n", mw / mb);
    printf("throw_catch_10.runtime_error_whence_ns\t%.1f\n", ms);
    printf("throw_catch_10.plus_exception_callers_ns\t%.1f\n", mc);
    printf("throw_catch_10.exception_callers_ns\t%.1f\n", mc - mw);
    return 0;
}
