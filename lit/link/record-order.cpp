// Records the linker left out of address order.  mold leaves SHF_LINK_ORDER
// sections in input order, and gold leaves some of a C++ comdat's there: a
// module's whence_site records then follow its input sections, .text,
// .text.unlikely. (cold), .text.hot. (hot) and each comdat's, not their
// code's order.  A process's first lookups search the records in place
// (before the image's buckets): the bisection must not take a label of
// another section's function for the pc's, nor miss the function's own.
// It missed them: whence_caller(1) from code inlined into a template named
// the template's caller (`a2:12` for `tmpl<int>:11`: the inlined frame was
// lost, and skip 1 went one frame too far), a cold function's caller read
// `main:0`, and a crash report lost an inlined frame and its line.  Every
// answer here is a process's first lookups.
// REQUIRES: x86_64-linux
// DEFINE: %{cc} = %clangxx -O2 -gline-tables-only %whence_cflags %s %whence_libs
// RUN: rm -rf %t && mkdir -p %t
// RUN: %{cc} -fuse-ld=lld -o %t/lld
// RUN: %t/lld | FileCheck %s
// RUN: not --crash %t/lld crash 2>&1 | FileCheck %s --check-prefix=CRASH
// RUN: %if ld.gold %{ %{cc} -fuse-ld=gold -o %t/gold %}
// RUN: %if ld.gold %{ %t/gold | FileCheck %s %}
// RUN: %if ld.gold %{ not --crash %t/gold crash 2>&1 | FileCheck %s --check-prefix=CRASH %}
// RUN: %if mold %{ %{cc} -fuse-ld=mold -o %t/mold %}
// RUN: %if mold %{ %t/mold | FileCheck %s %}
// RUN: %if mold %{ not --crash %t/mold crash 2>&1 | FileCheck %s --check-prefix=CRASH %}
// RUN: %if mold %{ %{cc} -ffunction-sections -fuse-ld=mold -o %t/mold-fs %}
// RUN: %if mold %{ %t/mold-fs | FileCheck %s %}
// RUN: %if mold %{ not --crash %t/mold-fs crash 2>&1 | FileCheck %s --check-prefix=CRASH %}
//
// CHECK: ok a1
// CHECK-NEXT: ok tmpl<int>
// CHECK-NEXT: ok a2
// CHECK-NEXT: ok S::m
// CHECK-NEXT: ok a3
// CHECK-NEXT: ok c1
// CHECK-NEXT: ok h1
// CHECK-NEXT: ok p1
// CHECK-NEXT: ok main
// CHECK-NEXT: fails=0
// CRASH: fault in boom at {{.*}}record-order.cpp:[[#BOOM:]]
// CRASH: stack:
// CRASH-NEXT: boom(...)
// CRASH-NEXT: record-order.cpp:[[#BOOM]]
// CRASH-NEXT: helper(...) (inlined)
// CRASH-NEXT: record-order.cpp:[[#HELPER:]]
// CRASH-NEXT: cold_crash(...)
// CRASH-NEXT: record-order.cpp:[[#HELPER+4]]
// CRASH-NEXT: main(...)
#include <cstdio>
#include <cstring>
#include <whence.h>

static int fails;

// Always inlined: frame 0 is check itself (an inlined frame), frame 1 the
// function that wrote the call.
static inline __attribute__((always_inline)) void check(const char *fn, int line) {
    whence_frame f;
    if (!whence_caller(1, &f) || strcmp(f.function, fn) || f.line != line) {
        std::printf("MISMATCH %s:%d, whence %s:%d\n", fn, line, f.function, f.line);
        fails++;
    } else {
        std::printf("ok %s\n", fn);
    }
}

__attribute__((noinline)) void a1() { check("a1", __LINE__); }
template <class T> __attribute__((noinline)) T tmpl(T x) {
    check("tmpl<int>", __LINE__);
    return x + 1;
}
__attribute__((noinline)) int a2(int x) {
    int r = tmpl(x);
    check("a2", __LINE__);
    return r + 1;
}
struct S {
    __attribute__((noinline)) int m(int x) {
        check("S::m", __LINE__);
        return x;
    }
};
__attribute__((noinline)) int a3(int x) {
    S s;
    int r = s.m(x);
    check("a3", __LINE__);
    return r + 2;
}
__attribute__((cold, noinline)) void c1() { check("c1", __LINE__); }
__attribute__((hot, noinline)) void h1() { check("h1", __LINE__); }
__attribute__((noinline)) void p1() { check("p1", __LINE__); }

int *volatile nowhere;
__attribute__((noinline)) void boom(int x) { *nowhere = x; }
static inline void helper(int x) {
    boom(x);
    boom(x + 1);
}
__attribute__((cold, noinline)) void cold_crash(int x) {
    helper(x);
    boom(x + 2);
}

int main(int argc, char **argv) {
    (void)argv;
    if (argc > 1) {
        whence_install_crash_handler();
        cold_crash(argc);
    }
    a1();
    a2(1);
    a3(2);
    c1();
    h1();
    p1();
    check("main", __LINE__);
    std::printf("fails=%d\n", fails);
    return fails != 0;
}
