// C++20 coroutines: each part of a coroutine is a function of its own,
// and a frame in one is named with the part, as llvm-symbolizer names it:
// the ramp (the body up to its first suspension) by the coroutine's name,
// the body after a resumption "(.resume)", destruction "(.destroy)" or
// "(.cleanup)", clang's await_suspend wrapper
// "(.__await_suspend_wrapper__await)".  Were all the coroutine's bare name:
// an awaiter's stack read as the coroutine twice, at one line, as if it
// had recursed.  Lines exact (whence_caller against __LINE__).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clangxx -std=c++20 -O0 -g %whence_cflags %s %whence_libs -o %t0 && %run %t0 | FileCheck %s
// RUN: %clangxx -std=c++20 -O2 -g %whence_cflags %s %whence_libs -o %t2g && %run %t2g | FileCheck %s
// RUN: %clangxx -std=c++20 -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t2 && %run %t2 | FileCheck %s
// CHECK: eager ramp: eager_fn line=[[# @LINE + 81]] ok
// CHECK-NEXT: awaiter: eager_fn (.__await_suspend_wrapper__await) line=[[# @LINE + 81]] ok
// CHECK-NEXT: eager resumed: eager_fn (.resume) line=[[# @LINE + 81]] ok
// CHECK-NEXT: yield: counter (.resume) line=[[# @LINE + 50]] ok
// CHECK-NEXT: yield: counter (.resume) line=[[# @LINE + 49]] ok
// CHECK-NEXT: destroyed: counter ({{[.]destroy|[.]cleanup}}){{$}}
// CHECK-NOT: BAD
#include <coroutine>
#include <cstdio>
#include <whence.h>

/* The frame skip frames above report's: its function, and its line
 * against line (when not 0). */
__attribute__((noinline)) static void report(const char *what, int line, int skip) {
    whence_frame f;
    whence_caller(skip, &f);
    if (line)
        printf("%s: %s line=%d %s\n", what, f.function, f.line, f.line == line ? "ok" : "BAD");
    else
        printf("%s: %s\n", what, f.function);
}

/* (not a tail call: -g keeps them, and the frame would leave the stack) */
#define NOT_TAIL __asm__ volatile("" ::: "memory")

__attribute__((noinline)) static void here(const char *what, int line) {
    report(what, line, 2);
    NOT_TAIL;
}

struct gen {
    struct promise_type {
        int value = 0;
        gen get_return_object() { return gen{std::coroutine_handle<promise_type>::from_promise(*this)}; }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        std::suspend_always yield_value(int v) { value = v; return {}; }
        void return_void() {}
        void unhandled_exception() {}
    };
    std::coroutine_handle<promise_type> h;
};

struct guard {
    __attribute__((noinline)) ~guard() {
        report("destroyed", 0, 2);
        NOT_TAIL;
    }
};

__attribute__((noinline)) gen counter() {
    guard g;
    for (int i = 0;; i++) {
        here("yield", __LINE__);
        co_yield i;
    }
}

struct eager {
    struct promise_type {
        eager get_return_object() { return {}; }
        std::suspend_never initial_suspend() noexcept { return {}; }
        std::suspend_never final_suspend() noexcept { return {}; }
        void return_void() {}
        void unhandled_exception() {}
    };
};

static std::coroutine_handle<> parked;

struct park {
    bool await_ready() { return false; }
    __attribute__((noinline)) void await_suspend(std::coroutine_handle<> h) {
        report("awaiter", await_line, 2);
        parked = h;
    }
    void await_resume() {}
    int await_line;
};

__attribute__((noinline)) eager eager_fn() {
    here("eager ramp", __LINE__);
    co_await park{__LINE__};
    here("eager resumed", __LINE__);
}

int main() {
    eager_fn();
    parked.resume();
    gen g = counter();
    g.h.resume();
    g.h.resume();
    g.h.destroy();
    return 0;
}
