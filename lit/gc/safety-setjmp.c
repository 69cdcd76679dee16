// Safety suite, setjmp/longjmp: a local that the program does not change
// between setjmp and longjmp keeps its value after longjmp (C11 7.13.2.1p3),
// even though on the path where setjmp returned 0 it is never read again.
// The CFG has no edge from the longjmp back to the setjmp's return, so a
// liveness analysis that ignores returns_twice calls sees the slot dead on
// that path.
//
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p0 %gc_libs
// RUN: %run %t.p0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p2 %gc_libs
// RUN: %run %t.p2 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %gc_inc %s -o %t.n0 %gc_libs
// RUN: %run %t.n0 | FileCheck %s
//
// CHECK-NOT: FAIL
// CHECK: safety-setjmp OK
#include "gctest.h"

#include <setjmp.h>

static jmp_buf jb;
static volatile int calls;

static NOINLINE void jump_back(void)
{
    calls++;
    longjmp(jb, 1);
}

/* p is read only after setjmp returned non-zero. */
static NOINLINE void read_after_longjmp(void)
{
    struct gt_obj *p = gt_new(1);
    struct gt_obj *q[2];
    q[0] = gt_new(2);
    q[1] = gt_new(3);
    if (setjmp(jb) == 0) {
        for (int i = 0; i < 4; i++) {
            whence_gc();
            gt_churn(64);
        }
        jump_back();
        return;
    }
    gt_expect_live("setjmp-local", p, 1);
    gt_expect_live("setjmp-array-0", q[0], 2);
    gt_expect_live("setjmp-array-1", q[1], 3);
}

int main(void)
{
    read_after_longjmp();
    return gt_summary("safety-setjmp");
}
