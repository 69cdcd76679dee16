// LTO with the plugin at compile time only: labels that LTO copies with an
// inlined function into another module's function must never name a line
// of that function.  They name their locs by address (whence_abi.h,
// WHENCE_MOD_PRELINK); with loc indexes, a copy's index was read in the
// other module's table, where it was that function's own call of other():
// f at the line of other(), printed as exact, for the call of show that g
// (TU B, inlined into f) makes.  Where inlined code lies is not known
// either (the label before it need not be the inlined call's: block
// layout moves code), so f's line there is unknown; f's own call of show
// is exact.  Full and thin LTO, through the records and through the
// buckets' warm path (a broken decode of the words fails it); g's own
// frame needs the plugin at the link (lto-cross-module-inline.c).
// REQUIRES: (x86_64-linux || aarch64-linux), lld
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -flto=full -I%whence_incdir -I%inputs -fpass-plugin=%plugin -DTU_A -c %s -o %t/a.o
// RUN: %clang -O2 -gline-tables-only -flto=full -I%whence_incdir -I%inputs -fpass-plugin=%plugin -DTU_B -c %s -o %t/b.o
// RUN: %clang -O2 -flto=full -fuse-ld=lld %t/a.o %t/b.o %whence_libs -o %t/prog
// RUN: %run %t/prog > %t/out 2>&1
// RUN: FileCheck %s < %t/out
// RUN: FileCheck %s --check-prefix=WARM < %t/out
// RUN: %clang -O2 -gline-tables-only -flto=thin -I%whence_incdir -I%inputs -fpass-plugin=%plugin -DTU_A -c %s -o %t/ta.o
// RUN: %clang -O2 -gline-tables-only -flto=thin -I%whence_incdir -I%inputs -fpass-plugin=%plugin -DTU_B -c %s -o %t/tb.o
// RUN: %clang -O2 -flto=thin -fuse-ld=lld %t/ta.o %t/tb.o %whence_libs -o %t/thin
// RUN: %run %t/thin > %t/tout 2>&1
// RUN: FileCheck %s < %t/tout
// RUN: FileCheck %s --check-prefix=WARM < %t/tout
#include "whence_e2e.h"

void g(void);
void show(void);
NOINLINE void other(void);

#ifdef TU_A
NOINLINE void f(void) {
    other();
    g();
    // CHECK: frame fn=f file=lto-compile-only-alias.c line=0
    g();
    // WARM: warm fn=f file=lto-compile-only-alias.c line=0
    show();
    // WARM: own fn=f file=lto-compile-only-alias.c line=[[@LINE-1]]
}

NOINLINE void other(void) { __asm__ volatile(""); }

/* The first call (the first copy of g) is named from the records; then
 * many lookups build the buckets, and the second copy and f's own call,
 * other return addresses, are named through their warm path, which
 * decodes the words too. */
NOINLINE void show(void) {
    static const char *const tags[] = {"frame", "warm", "own"};
    static int calls;
    uintptr_t pcs[8];
    int n = whence_callers(1, pcs, 8);
    e2e_dump(tags[calls < 2 ? calls++ : 2], pcs, n);
    for (int i = 0; i < 1000; i++)
        (void)whence_func_for_pc((uintptr_t)&other + 1);
}

int main(void) {
    f();
    // CHECK-NEXT: frame fn=main file=lto-compile-only-alias.c line=[[@LINE-1]]
    // WARM-NEXT: own fn=main file=lto-compile-only-alias.c line=[[@LINE-2]]
    return 0;
}
#endif

#ifdef TU_B
void g(void) {
    show();
}
#endif
