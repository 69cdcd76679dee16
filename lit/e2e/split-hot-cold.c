// Hot/cold splitting (-mllvm -hot-cold-split=true) runs after the pass, in
// the same pipeline (under full LTO: before the link-time extension point),
// and moves cold regions into functions of their own (main.cold.1 below, in
// the plain build): their calls would have no records and their caller's
// frame a wrong line.  Wherever the plugin is loaded it turns the option
// off (passes/plugin.cpp) and says so once; every frame keeps its exact
// line.  Also at the LTO link.  Without the option nothing is said.
// REQUIRES: (x86_64-linux || aarch64-linux), lld
// RUN: %clang -O2 -gline-tables-only -mllvm -hot-cold-split=true -I%whence_incdir -I%inputs %s %whence_libs -o %t.plain
// RUN: llvm-nm %t.plain | FileCheck %s --check-prefix=PLAIN
// RUN: %clang -O2 -gline-tables-only -mllvm -hot-cold-split=true %whence_cflags -I%inputs %s %whence_libs -o %t 2> %t.err
// RUN: FileCheck %s --check-prefix=NOTE < %t.err
// RUN: llvm-nm %t | FileCheck %s --check-prefix=NM
// RUN: %run %t 7 | FileCheck %s
// RUN: %clang -O2 -g -mllvm -hot-cold-split=true %whence_cflags -I%inputs %s %whence_libs -o %t.g 2> %t.g.err
// RUN: FileCheck %s --check-prefix=NOTE < %t.g.err
// RUN: %run %t.g 7 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.off 2>&1 | count 0
// RUN: %clang -O2 -gline-tables-only -flto=full -fuse-ld=lld -Wl,--load-pass-plugin=%plugin -Wl,-mllvm,-hot-cold-split=true %whence_cflags -I%inputs %s %whence_libs -o %t.lto 2> %t.lto.err
// RUN: FileCheck %s --check-prefix=NOTE < %t.lto.err
// RUN: llvm-nm %t.lto | FileCheck %s --check-prefix=NM
// RUN: %run %t.lto 7 | FileCheck %s
// PLAIN: {{ main.cold.1$}}
// NOTE: whence: note: hot/cold splitting (-hot-cold-split) is off where the whence plugin runs
// NOTE-NOT: whence:
// NM-NOT: .cold.
#include "whence_e2e.h"

#include <stdlib.h>

static volatile int sink;
static uintptr_t pcs[16];
static int npcs;

// A call to a cold function makes its block cold.
__attribute__((cold, noinline)) void rare(int x) {
    sink = x;
    if (x == 8)
        npcs = whence_callers(0, pcs, 16);
    // CHECK: frame fn=rare file=split-hot-cold.c line=[[@LINE-1]] inl=0
}

int work(int x) {
    int s = 0;
    for (int i = 0; i < 1000; i++) {
        if (x >= 7 && i == 999) {
            sink = 1;
            rare(x);
            sink = 2;
            rare(x + 1);
            // CHECK-NEXT: frame fn=work file=split-hot-cold.c line=[[@LINE-1]] inl=1
            s += sink * 3;
        } else
            s += i;
    }
    return s;
}

int main(int argc, char **argv) {
    int v = argc > 1 ? atoi(argv[1]) : 0;
    work(v);
    // CHECK-NEXT: frame fn=main file=split-hot-cold.c line=[[@LINE-1]] inl=0
    // CHECK-NEXT: frame end frames=3
    e2e_dump("frame", pcs, npcs);
    return 0;
}
