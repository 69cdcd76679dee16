// KNOWN WRONG LINE, kept failing until it is fixed (XFAIL): a program
// linked with LTO while the plugin ran at compile time only.  Under LTO
// every label word of a module is an index into its own module table's
// locs.  A label that LTO copies with an inlined function into a function
// of another module keeps its index; the runtime reads it in the table of
// the function it landed in, and when that index is one of that function's
// own calls (here loc 0 of TU A: f's call of other) it names that call's
// line as exact: f at the line of other(), for the call of show that g
// (TU B, inlined into f) makes.  The right answer is g's frame, or at
// least f at the line of its call of g (what lto-cross-module-inline.c
// checks for the plugin at compile time only); with the plugin at the
// link too (-Wl,--load-pass-plugin) the answer is exact.  The fix needs
// label words of pre-link modules that name their module (a loc address,
// as frame slots do), so that a copied label is told from the function's
// own.
// XFAIL: *
// REQUIRES: x86_64-linux, lld
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -flto=full -I%whence_incdir -I%inputs -fpass-plugin=%plugin -DTU_A -c %s -o %t/a.o
// RUN: %clang -O2 -gline-tables-only -flto=full -I%whence_incdir -I%inputs -fpass-plugin=%plugin -DTU_B -c %s -o %t/b.o
// RUN: %clang -O2 -flto=full -fuse-ld=lld %t/a.o %t/b.o %whence_libs -o %t/prog
// RUN: %t/prog 2>&1 | FileCheck %s
#include "whence_e2e.h"

void g(void);
void show(void);
NOINLINE void other(void);

#ifdef TU_A
NOINLINE void f(void) {
    other();
    g();
    // CHECK: frame fn=f file=lto-compile-only-alias.c line=[[@LINE-1]]
}

NOINLINE void other(void) { __asm__ volatile(""); }

NOINLINE void show(void) {
    uintptr_t pcs[8];
    int n = whence_callers(1, pcs, 8);
    e2e_dump("frame", pcs, n);
}

int main(void) {
    f();
    return 0;
}
#endif

#ifdef TU_B
void g(void) {
    show();
}
#endif
