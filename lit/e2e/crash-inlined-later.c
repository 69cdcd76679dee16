// A fault in code inlined from a function defined after its caller in the
// same file (a static helper, a C++ class's later method, a lambda inside
// the caller).  Was a bug: the helper, inlined away and making no call, had
// no subprog, so the runtime found no function starting between the
// caller's first line and the fault's line, and printed that line as the
// caller's own ("fault in outer at ...:<the helper's line>").  The pass now
// gives such functions a nameless subprog (passes/records.c,
// wp_inlined_starts) and the report says the line is inlined code.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t.O2
// RUN: not --crash %run %t.O2 2> %t.r2 && FileCheck %s < %t.r2
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %t.g
// RUN: not --crash %run %t.g 2> %t.rg && FileCheck %s < %t.rg
// RUN: %whence_link --quiet --strict -o %t.O2.tab %t.O2
// RUN: not --crash %run %t.O2.tab 2> %t.rt && FileCheck %s < %t.rt
#include <whence.h>

static int *volatile nullp;
volatile int sink;
static inline void store_it(int *p, int v);

__attribute__((noinline)) void outer(int v) {
    sink = v;
    store_it(nullp, v);
    sink = v + 1;
}

static inline void store_it(int *p, int v) {
    sink = v * 3;
    *p = v;
    // CHECK: fault in outer (inlined code at {{.*}}crash-inlined-later.c:[[@LINE-1]])
    // CHECK: outer(...)
    // CHECK-NEXT: crash-inlined-later.c:[[@LINE-3]] {{.*}}(inlined code)
    // CHECK: main(...)
}

int main(int argc, char **argv) {
    (void)argv;
    whence_install_crash_handler();
    outer(argc);
    return 0;
}
