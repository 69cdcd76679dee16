// With the plugin at compile time only, LTO optimises after the site labels
// are placed.  Here IPO finds that before() does nothing for the constants
// outer() passes and deletes both calls; their labels (asm sideeffect,
// never deleted) stay, and the first one lands on the same pc as the label
// of the live call to mid().  Labels come before their calls in code order,
// so of two call labels at one pc the runtime keeps the later one: outer's
// frame is at the mid() call.  (Running the pass at the link instead,
// -flto=thin with -Wl,--load-pass-plugin, avoids stale labels altogether.)
// REQUIRES: x86_64-linux, lld
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -flto=thin -DTU_A %whence_cflags -I%inputs -c %s -o %t/a.o
// RUN: %clang -O2 -gline-tables-only -flto=thin -DTU_B %whence_cflags -I%inputs -c %s -o %t/b.o
// RUN: %clang -O2 -flto=thin -fuse-ld=lld %t/a.o %t/b.o %whence_libs -o %t/thin
// RUN: %t/thin 2>&1 | FileCheck %s --check-prefixes=CHECK,MID
// RUN: %clang -O2 -gline-tables-only -flto=full -DTU_A %whence_cflags -I%inputs -c %s -o %t/fa.o
// RUN: %clang -O2 -gline-tables-only -flto=full -DTU_B %whence_cflags -I%inputs -c %s -o %t/fb.o
// RUN: %clang -O2 -flto=full -fuse-ld=lld %t/fa.o %t/fb.o %whence_libs -o %t/full
// RUN: %t/full 2>&1 | FileCheck %s --check-prefixes=CHECK
// Link-time instrumentation (works today):
// RUN: %clang -O2 -gline-tables-only -flto=thin -DTU_A -I%whence_incdir -I%inputs -c %s -o %t/la.o
// RUN: %clang -O2 -gline-tables-only -flto=thin -DTU_B -I%whence_incdir -I%inputs -c %s -o %t/lb.o
// RUN: %clang -O2 -flto=thin -fuse-ld=lld -Wl,--load-pass-plugin=%plugin %t/la.o %t/lb.o %whence_libs -o %t/thin.l
// RUN: %t/thin.l 2>&1 | FileCheck %s --check-prefixes=CHECK,MID
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
void mid(int x) {
    sink_b = 1;
    leaf(x * 2);
    // MID-NEXT: frame fn=mid file=lto-deleted-call.c line=[[@LINE-1]] inl={{[01]}}
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
