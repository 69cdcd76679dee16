// std::sort calling a comparator in a program built without unwind tables
// and without exceptions: the comparator's stack reaches sort_it and main
// through std::sort's own (instrumented) frames, with their lines.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clangxx -O0 -g -fno-asynchronous-unwind-tables -fno-exceptions %whence_cflags -I%inputs %s %whence_libs -o %t.0 && %run %t.0 | FileCheck %s
// RUN: %clangxx -O2 -gline-tables-only -fno-asynchronous-unwind-tables -fno-exceptions %whence_cflags -I%inputs %s %whence_libs -o %t.2 && %run %t.2 | FileCheck %s
#include "whence_e2e.h"

#include <algorithm>
#include <vector>

static uintptr_t pcs[64];
static int npcs;

NOINLINE static bool less_than(int a, int b) {
    if (!npcs)
        npcs = whence_callers(0, pcs, 64);
    // CHECK: frame fn=less_than{{.*}} file=no-unwind-tables-sort.cpp line=[[#@LINE-1]] inl=0
    return a < b;
}

NOINLINE static void sort_it(std::vector<int> &v) {
    std::sort(v.begin(), v.end(), less_than);
    // CHECK: frame fn=sort_it{{.*}} file=no-unwind-tables-sort.cpp line=[[#@LINE-1]] inl=0
}

int main() {
    std::vector<int> v;
    for (int i = 0; i < 100; i++)
        v.push_back((i * 37) % 100);
    sort_it(v);
    // CHECK-NEXT: frame fn=main file=no-unwind-tables-sort.cpp line=[[#@LINE-1]] inl=0
    // CHECK-NEXT: frames end
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, npcs);
    while (whence_frames_next(&it, &f))
        e2e_print("frame", &f);
    printf("frames end\n");
    return 0;
}
