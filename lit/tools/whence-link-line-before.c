// A call whose line is one before its function's first line (a #line
// directive, generated code): whence-link packs each loc's line relative
// to its subprog's first line, less the module's least such difference
// (its bias), and 0 means "no line".  The bias must come from every loc
// with a line: a difference of -1 once read as "no line" left the bias at
// 0, that loc's packed line became 0 and whence-link refused the module
// ("its table would answer differently from its records").  With frame
// slots (-g: every call has a loc), at -O0 and -O2; the lines are checked
// against __LINE__ with the table and without it.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -g %whence_cflags -I%inputs %s %whence_libs -o %t/o2
// RUN: %whence_link -o %t/o2.tab %t/o2 2>&1 | count 0
// RUN: %run %t/o2 | FileCheck %s
// RUN: %run %t/o2.tab | FileCheck %s
// RUN: %clang -O0 -g %whence_cflags -I%inputs %s %whence_libs -o %t/o0
// RUN: %whence_link -o %t/o0.tab %t/o0 2>&1 | count 0
// RUN: %run %t/o0.tab | FileCheck %s
// CHECK: 3 calls, 0 wrong
#include "whence_e2e.h"

static int wrong, calls;

NOINLINE static void callee(int want) {
    whence_frame f;
    whence_caller(1, &f);
    calls++;
    if (strcmp(f.function, "g") != 0 || f.line != want) {
        printf("got %s:%d, want g:%d\n", f.function, f.line, want);
        wrong++;
    }
    __asm__ volatile("" ::: "memory");
}

#line 1000
NOINLINE void g(void) { callee(__LINE__);
#line 999
    callee(__LINE__);
    callee(__LINE__);
    __asm__ volatile("" ::: "memory");
}

int main(void) {
    g();
    printf("%d calls, %d wrong\n", calls, wrong);
    return 0;
}
