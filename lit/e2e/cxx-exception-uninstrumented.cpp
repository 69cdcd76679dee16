// An exception thrown by an instrumented callback through frames that are
// not instrumented (std::sort and std::for_each in a file compiled without
// the plugin, glibc's qsort), caught by an instrumented caller:
// whence_exception_callers gives the instrumented frames on both sides, in
// order, the uninstrumented ones left out (as whence_callers leaves them
// out).  With -gline-tables-only and -g.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clangxx -std=c++17 -O2 -gline-tables-only -DHELPER -c %s -o %t.helper.o
// RUN: %clangxx -std=c++17 -O2 -gline-tables-only %whence_cflags -I%inputs %s %t.helper.o %whence_libs -o %t.lt
// RUN: %run %t.lt | FileCheck %s --implicit-check-not=BAD
// RUN: %clangxx -std=c++17 -O0 -g -DHELPER -c %s -o %t.helper.g.o
// RUN: %clangxx -std=c++17 -O0 -g %whence_cflags -I%inputs %s %t.helper.g.o %whence_libs -o %t.g
// RUN: %run %t.g | FileCheck %s --implicit-check-not=BAD
#include <algorithm>
#include <vector>

#ifdef HELPER
// Not instrumented.
void sort_with(std::vector<int> &v, bool (*less)(int, int)) {
    std::sort(v.begin(), v.end(), less);
}
void each_with(const std::vector<int> &v, void (*fn)(int)) {
    std::for_each(v.begin(), v.end(), fn);
}
#else
#include "whence_e2e.h"

#include <stdexcept>
#include <stdlib.h>

void sort_with(std::vector<int> &v, bool (*less)(int, int));
void each_with(const std::vector<int> &v, void (*fn)(int));

static volatile int sink;

struct Bad : std::runtime_error {
    Bad() : std::runtime_error("bad") {}
};

NOINLINE static void fail() {
    throw Bad();
}

NOINLINE static bool less_or_fail(int a, int b) {
    if (a == 13 || b == 13)
        fail();
    return a < b;
}

NOINLINE static void visit(int x) {
    if (x == 13)
        fail();
    sink += x;
}

extern "C" NOINLINE int cmp_or_fail(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    if (x == 13 || y == 13)
        fail();
    return (x > y) - (x < y);
}

NOINLINE static void show(const char *tag) {
    uintptr_t pcs[64];
    int n = whence_exception_callers(pcs, 64);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f))
        printf("%s fn=%s line=%d\n", tag, f.function, f.line);
    printf("%s end\n", tag);
}

NOINLINE static void sorting(std::vector<int> &v) {
    try {
        sort_with(v, less_or_fail);
    } catch (const Bad &) {
        show("sort");
    }
}
// CHECK:      sort fn=fail line=[[@LINE-40]]
// CHECK-NEXT: sort fn=less_or_fail line=[[@LINE-36]]
// CHECK-NEXT: sort fn=sorting line=[[@LINE-7]]
// CHECK-NEXT: sort fn=main line=[[@LINE+33]]
// CHECK-NEXT: sort end

NOINLINE static void visiting(const std::vector<int> &v) {
    try {
        each_with(v, visit);
    } catch (const Bad &) {
        show("each");
    }
}
// CHECK:      each fn=fail line=[[@LINE-53]]
// CHECK-NEXT: each fn=visit line=[[@LINE-43]]
// CHECK-NEXT: each fn=visiting line=[[@LINE-7]]
// CHECK-NEXT: each fn=main line=[[@LINE+21]]
// CHECK-NEXT: each end

NOINLINE static void sorting_c(std::vector<int> &v) {
    try {
        qsort(v.data(), v.size(), sizeof(int), cmp_or_fail);
    } catch (const Bad &) {
        show("qsort");
    }
}
// CHECK:      qsort fn=fail line=[[@LINE-66]]
// CHECK-NEXT: qsort fn=cmp_or_fail line=[[@LINE-49]]
// CHECK-NEXT: qsort fn=sorting_c line=[[@LINE-7]]
// CHECK-NEXT: qsort fn=main line=[[@LINE+9]]
// CHECK-NEXT: qsort end

int main() {
    std::vector<int> v;
    for (int i = 0; i < 40; i++)
        v.push_back((i * 7) % 40);
    sorting(v);
    visiting(v);
    sorting_c(v);
    return 0;
}
#endif
