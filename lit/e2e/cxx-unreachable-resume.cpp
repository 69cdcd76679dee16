// A resume no cleanup leads to (a landing pad of catch clauses only) is
// unreachable to code generation, which deletes it (DwarfEHPrepare): the
// label the pass put before it went only if nothing kept it, and it was
// kept: a dead branch to a label past the function's end, and the runtime
// said "dropped 3 of 45 site records (3 outside any function)" on every
// run of a program that did nothing wrong.  The label now goes with the
// resume; a resume that cleanups reach keeps its label (_Unwind_Resume's
// frame: e2e/resume-site.cpp, e2e/resume-shared.cpp).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t 2>&1 | FileCheck %s --implicit-check-not=dropped
// RUN: %clangxx -O1 -gline-tables-only %whence_cflags %s %whence_libs -o %t1
// RUN: %run %t1 2>&1 | FileCheck %s --implicit-check-not=dropped
// CHECK: caught A at line [[#@LINE+24]]
// CHECK: caught B at line [[#@LINE+23]]
// CHECK: caught int at line [[#@LINE+22]]
#include <stdio.h>
#include <whence.h>

struct A { int a[16]; };
struct B {};

template <class E> __attribute__((noinline)) void thr(int tag) {
    E e{};
    if (tag >= 0)
        throw e;
}

static int caught;

template <class E> __attribute__((noinline)) void test(const char *name) {
    try {
        thr<E>(1);
    } catch (E &) {
        caught++; /* (nothing here can throw: no cleanup reaches the resume) */
    }
    whence_frame f;
    whence_caller(0, &f);
    printf("caught %s at line %d\n", name, f.line);
}

int main() {
    test<A>("A");
    test<B>("B");
    test<int>("int");
    /* pcs in no function (the padding before one) build the index, which
     * counts the records it drops */
    for (uintptr_t i = 1; i < 64; i++)
        whence_func_for_pc((uintptr_t)&test<A> - i);
    return 0;
}
