// A call LTO deletes after its label was placed never names another call's
// line.  With the plugin at compile time only, LTO optimises after the site
// labels are placed: here IPO finds that before() does nothing for the
// constants outer() passes and deletes both calls (before() itself goes:
// NM); their labels (asm sideeffect, never deleted) stay, and the first one
// lands on the same pc as the label of the live call to mid().  Labels come
// before their calls in code order, so of two call labels at one pc the
// runtime keeps the later one: outer's frame is at the mid() call.  With the
// plugin at the link too (lld -Wl,--load-pass-plugin), the pre-link labels
// are taken out and the final code instrumented once (passes/lto.c): no
// stale label at all.  Every LTO mode, thin and full: plugin at compile
// time, at the link, both.
// REQUIRES: (x86_64-linux || aarch64-linux), lld
// RUN: rm -rf %t && mkdir -p %t
// DEFINE: %{cc} = %clang -O2 -gline-tables-only -I%whence_incdir -I%inputs -c %s
// DEFINE: %{link} = %clang -O2 -fuse-ld=lld %whence_libs
// RUN: %{cc} -flto=thin -DTU_A -fpass-plugin=%plugin -o %t/ta.o
// RUN: %{cc} -flto=thin -DTU_B -fpass-plugin=%plugin -o %t/tb.o
// RUN: %{cc} -flto=full -DTU_A -fpass-plugin=%plugin -o %t/fa.o
// RUN: %{cc} -flto=full -DTU_B -fpass-plugin=%plugin -o %t/fb.o
// RUN: %{cc} -flto=thin -DTU_A -o %t/la.o
// RUN: %{cc} -flto=thin -DTU_B -o %t/lb.o
// RUN: %{cc} -flto=full -DTU_A -o %t/lfa.o
// RUN: %{cc} -flto=full -DTU_B -o %t/lfb.o
//
// RUN: %{link} -flto=thin %t/ta.o %t/tb.o -o %t/thin
// RUN: %run %t/thin 2>&1 | FileCheck %s
// RUN: llvm-nm %t/thin | FileCheck %s --check-prefix=NM
// RUN: %{link} -flto=full %t/fa.o %t/fb.o -o %t/full
// RUN: %run %t/full 2>&1 | FileCheck %s
// RUN: llvm-nm %t/full | FileCheck %s --check-prefix=NM
// RUN: %{link} -flto=thin -Wl,--load-pass-plugin=%plugin %t/la.o %t/lb.o -o %t/thin.l
// RUN: %run %t/thin.l 2>&1 | FileCheck %s
// RUN: %{link} -flto=full -Wl,--load-pass-plugin=%plugin %t/lfa.o %t/lfb.o -o %t/full.l
// RUN: %run %t/full.l 2>&1 | FileCheck %s
// RUN: %{link} -flto=thin -Wl,--load-pass-plugin=%plugin %t/ta.o %t/tb.o -o %t/thin.b
// RUN: %run %t/thin.b 2>&1 | FileCheck %s
// RUN: llvm-nm %t/thin.b | FileCheck %s --check-prefix=NM
// RUN: %{link} -flto=full -Wl,--load-pass-plugin=%plugin %t/fa.o %t/fb.o -o %t/full.b
// RUN: %run %t/full.b 2>&1 | FileCheck %s
// RUN: llvm-nm %t/full.b | FileCheck %s --check-prefix=NM
// NM-NOT: {{ }}before{{$}}
// CHECK-NOT: whence:
#include "whence_e2e.h"

extern uintptr_t pcs[8];
extern int npcs;

#ifdef TU_B
static volatile int sink_b;
NOINLINE void leaf(int x) {
    npcs = whence_callers(0, pcs, 8);
    // CHECK: frame fn=leaf file=lto-deleted-call.c line=[[@LINE-1]] inl=0
    sink_b = x;
}
NOINLINE void mid(int x) {
    sink_b = 1;
    leaf(x * 2);
    // CHECK-NEXT: frame fn=mid file=lto-deleted-call.c line=[[@LINE-1]] inl=0
    sink_b = 2;
}
#endif

#ifdef TU_A
uintptr_t pcs[8];
int npcs;
void mid(int x);
static volatile int sink;
// Does nothing for the arguments outer passes: LTO deletes those calls.
NOINLINE void before(int x) {
    if (x == 12345)
        puts("x");
}
NOINLINE static void outer(int x) {
    before(x);
    mid(x + 1);
    // CHECK-NEXT: frame fn=outer file=lto-deleted-call.c line=[[@LINE-1]] inl=0
    before(x + 2);
    sink = x;
}
int main(void) {
    outer(1);
    // CHECK-NEXT: frame fn=main file=lto-deleted-call.c line=[[@LINE-1]] inl=0
    e2e_dump("frame", pcs, npcs);
    return 0;
}
#endif
