// A function of one module inlined by LTO into a function of another keeps
// its frame when the pass runs at the link (lld -Wl,--load-pass-plugin):
// alone, or after a compile-time run, whose instrumentation the LTO backend
// takes out before it optimizes (passes/lto.c), so the final code is
// instrumented once.  Full and thin LTO, -gline-tables-only (site labels)
// and -g (caller-frame slots).  With the plugin at compile time only, the
// labels were placed before the link: the inlined function's frame is
// missing (its labels name its own module's table), and its caller's line
// is unknown with site labels (the label before the inlined code need not
// be the inlined call's: lto-compile-only-alias.c), exact with frame slots
// (the caller's slot holds its call).
//   main -> outer (TU A) -> [mid (TU B), inlined under LTO] -> leaf (TU B)
// REQUIRES: (x86_64-linux || aarch64-linux), lld
// RUN: rm -rf %t && mkdir -p %t
// DEFINE: %{cc} = %clang -O2 -I%whence_incdir -I%inputs -c %s
// DEFINE: %{link} = %clang -O2 -fuse-ld=lld %whence_libs
//
// RUN: %{cc} -gline-tables-only -flto=full -DTU_A -fpass-plugin=%plugin -o %t/fa.o
// RUN: %{cc} -gline-tables-only -flto=full -DTU_B -fpass-plugin=%plugin -o %t/fb.o
// RUN: %{cc} -gline-tables-only -flto=thin -DTU_A -fpass-plugin=%plugin -o %t/ta.o
// RUN: %{cc} -gline-tables-only -flto=thin -DTU_B -fpass-plugin=%plugin -o %t/tb.o
// RUN: %{cc} -gline-tables-only -flto=full -DTU_A -o %t/pfa.o
// RUN: %{cc} -gline-tables-only -flto=full -DTU_B -o %t/pfb.o
// RUN: %{cc} -gline-tables-only -flto=thin -DTU_A -o %t/pta.o
// RUN: %{cc} -gline-tables-only -flto=thin -DTU_B -o %t/ptb.o
//
// Plugin at the link only, and at compile time and the link:
// RUN: %{link} -flto=full -Wl,--load-pass-plugin=%plugin %t/pfa.o %t/pfb.o -o %t/full.link
// RUN: %run %t/full.link 2>&1 | FileCheck %s --check-prefixes=CHECK,EXACT
// RUN: %{link} -flto=full -Wl,--load-pass-plugin=%plugin %t/fa.o %t/fb.o -o %t/full.both
// RUN: %run %t/full.both 2>&1 | FileCheck %s --check-prefixes=CHECK,EXACT
// RUN: %{link} -flto=thin -Wl,--load-pass-plugin=%plugin %t/pta.o %t/ptb.o -o %t/thin.link
// RUN: %run %t/thin.link 2>&1 | FileCheck %s --check-prefixes=CHECK,EXACT
// RUN: %{link} -flto=thin -Wl,--load-pass-plugin=%plugin %t/ta.o %t/tb.o -o %t/thin.both
// RUN: %run %t/thin.both 2>&1 | FileCheck %s --check-prefixes=CHECK,EXACT
//
// -g (slots), both ways:
// RUN: %{cc} -g -flto=full -DTU_A -fpass-plugin=%plugin -o %t/gfa.o
// RUN: %{cc} -g -flto=full -DTU_B -fpass-plugin=%plugin -o %t/gfb.o
// RUN: %{link} -flto=full -Wl,--load-pass-plugin=%plugin %t/gfa.o %t/gfb.o -o %t/g.full.both
// RUN: %run %t/g.full.both 2>&1 | FileCheck %s --check-prefixes=CHECK,EXACT
// RUN: %{cc} -g -flto=thin -DTU_A -fpass-plugin=%plugin -o %t/gta.o
// RUN: %{cc} -g -flto=thin -DTU_B -fpass-plugin=%plugin -o %t/gtb.o
// RUN: %{link} -flto=thin -Wl,--load-pass-plugin=%plugin %t/gta.o %t/gtb.o -o %t/g.thin.both
// RUN: %run %t/g.thin.both 2>&1 | FileCheck %s --check-prefixes=CHECK,EXACT
//
// Plugin at compile time only:
// RUN: %{link} -flto=full %t/fa.o %t/fb.o -o %t/full.compile
// RUN: %run %t/full.compile 2>&1 | FileCheck %s --check-prefixes=CHECK,COMPILE,CSITES
// RUN: %{link} -flto=thin %t/ta.o %t/tb.o -o %t/thin.compile
// RUN: %run %t/thin.compile 2>&1 | FileCheck %s --check-prefixes=CHECK,COMPILE,CSITES
// -g: the LTO link optimizes the slots again; SROA split each into one
// alloca per field, laid out apart, and outer's line was unknown:
// RUN: %{link} -flto=full %t/gfa.o %t/gfb.o -o %t/g.full.compile
// RUN: %run %t/g.full.compile 2>&1 | FileCheck %s --check-prefixes=CHECK,COMPILE,CSLOTS
// RUN: %{link} -flto=thin %t/gta.o %t/gtb.o -o %t/g.thin.compile
// RUN: %run %t/g.thin.compile 2>&1 | FileCheck %s --check-prefixes=CHECK,COMPILE,CSLOTS
//
// CHECK-NOT: whence:
#include "whence_e2e.h"

extern uintptr_t pcs[8];
extern int npcs;
void mid(int x);
void pre(int x);

#ifdef TU_B
static volatile int sink_b;

NOINLINE void leaf(int x) {
    npcs = whence_callers(0, pcs, 8);
    // CHECK:      frame fn=leaf file=lto-cross-module-inline.c line=[[@LINE-1]] inl=0
    sink_b = x;
}

void mid(int x) {
    leaf(x * 2);
    // EXACT-NEXT: frame fn=mid file=lto-cross-module-inline.c line=[[@LINE-1]] inl=1
}
#endif

#ifdef TU_A
uintptr_t pcs[8];
int npcs;
static volatile int sink;

NOINLINE void pre(int x) { sink = x; }

NOINLINE static void outer(int x) {
    pre(x);
    pre(x + 2);
    mid(x + 1);
    // EXACT-NEXT: frame fn=outer file=lto-cross-module-inline.c line=[[@LINE-1]] inl=0
    // CSITES-NEXT: frame fn=outer file=lto-cross-module-inline.c line=0 inl=0
    // CSLOTS-NEXT: frame fn=outer file=lto-cross-module-inline.c line=[[@LINE-3]] inl=0
    sink = x;
}

int main(void) {
    outer(1);
    // CHECK-NEXT: frame fn=main file=lto-cross-module-inline.c line=[[@LINE-1]] inl=0
    // EXACT-NEXT: frame end frames=4
    // COMPILE-NEXT: frame end frames=3
    e2e_dump("frame", pcs, npcs);
    return 0;
}
#endif
