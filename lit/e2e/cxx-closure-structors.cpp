// A closure's (or an unnamed class's) constructor and destructor have no
// name of their own to print: the demangler gives "...::{lambda()#1}::"
// (llvm-cxxfilt "'lambda'()::(...)"), and the frame's name ended in "::".
// The type's name is repeated, as for any class.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t2 && %run %t2 | FileCheck %s
// RUN: %clangxx -O0 -g %whence_cflags %s %whence_libs -o %t0 && %run %t0 | FileCheck %s
#include <stdio.h>
#include <whence.h>

static bool armed;

/* The frame that called S's constructor or destructor. */
__attribute__((noinline)) static void report(const char *what) {
    whence_frame f;
    if (armed && whence_caller(2, &f))
        printf("%s: %s at line %d\n", what, f.function, f.line);
}

struct S {
    int x = 1;
    S() = default;
    __attribute__((noinline)) S(const S &o) : x(o.x) { report("copy"); }
    __attribute__((noinline)) ~S() { report("destroy"); }
};

struct T {
    auto make(S s) {
        // CHECK: copy: T::make::{lambda()#1}::{lambda()#1} at line [[#@LINE+2]]
        // CHECK: destroy: T::make::{lambda()#1}::~{lambda()#1} at line [[#@LINE+1]]
        return [s]() { return s.x; };
    }
};

int main() {
    T t;
    auto f = t.make(S());
    {
        armed = true;
        auto g = f;
        (void)g;
    }
    armed = false;
    return f() == 1 ? 0 : 1;
}
