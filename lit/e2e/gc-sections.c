// -ffunction-sections -Wl,--gc-sections with GNU ld and with lld: the dead
// function and its records are dropped, the live ones keep working (their
// records are kept), and with lld (start-stop-gc) the dead function is gone from the output.
// (GNU ld keeps it: its record's relocation keeps its section alive there,
// which the design accepts.)
// REQUIRES: x86_64-linux, lld, ld.bfd
// RUN: %clang -O2 -gline-tables-only -ffunction-sections -fdata-sections -fuse-ld=bfd -Wl,--gc-sections %whence_cflags -I%inputs %s %whence_libs -o %t.bfd && %t.bfd | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -ffunction-sections -fdata-sections -fuse-ld=lld -Wl,--gc-sections %whence_cflags -I%inputs %s %whence_libs -o %t.lld && %t.lld | FileCheck %s
// RUN: llvm-nm %t.lld | FileCheck %s --check-prefix=NM
// RUN: %clang -O0 -gline-tables-only -ffunction-sections -fuse-ld=lld -Wl,--gc-sections %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t.lldst && %t.lldst | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fuse-ld=lld %whence_cflags -I%inputs %s %whence_libs -o %t.lldplain && %t.lldplain | FileCheck %s
// NM-NOT: dead_function
// NM: live_leaf
#include "whence_e2e.h"

static volatile int sink;

NOINLINE void dead_function(void) {
    sink = 99;
}

NOINLINE void live_leaf(void) {
    uintptr_t pcs[8];
    int n = whence_callers(0, pcs, 8);
    // CHECK:      frames fn=live_leaf file=gc-sections.c line=[[@LINE-1]] inl=0
    e2e_dump("frames", pcs, n);
    sink = n;
}

NOINLINE void live_mid(void) {
    live_leaf();
    // CHECK-NEXT: frames fn=live_mid file=gc-sections.c line=[[@LINE-1]] inl=0
    sink++;
}

int main(void) {
    live_mid();
    // CHECK-NEXT: frames fn=main file=gc-sections.c line=[[@LINE-1]] inl=0
    // CHECK-NEXT: frames end frames=3
    const whence_func *f = whence_func_for_pc((uintptr_t)&live_mid);
    printf("for_pc(&live_mid)=%s\n", whence_func_name(f));
    // CHECK-NEXT: for_pc(&live_mid)=live_mid
    return 0;
}
