// Liveness at -O2, known gaps (XFAIL until fixed; docs/GC.md): dead pointers
// that the register allocator keeps in callee-saved registers (p after its
// keep-alive, live across an earlier whence_gc, so it is given rbx) or in
// spill slots (8 pointers promoted out of an array by SROA, live across the
// calls of the loop).  Neither is an IR alloca, so the pass cannot clear
// them, and whence_gc's own push of callee-saved registers and the scan of
// this frame keep the objects.  Go finalizes both.  When this starts
// passing, lit reports XPASS: move the cases into liveness-basic.c's
// PLUGIN-O2 checks.
//
// XFAIL: *
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t.p2 %gc_libs
// RUN: %t.p2 | FileCheck %s
//
// CHECK: o2-pointer-array: finalized
// CHECK: o2-after-keep-alive: finalized
#include "gctest.h"

static NOINLINE void pointer_array(void)
{
    struct gt_obj *a[8];
    uint64_t s = 0;
    for (int i = 0; i < 8; i++)
        a[i] = gt_new(10 + (uint64_t)i);
    for (int i = 0; i < 8; i++)
        s += gt_touch(a[i]);
    gt_gc(2);
    int all = 1;
    for (int i = 0; i < 8; i++)
        all &= gt_finalized(10 + (uint64_t)i) == 1;
    printf("o2-pointer-array: %s\n", all ? "finalized" : "not finalized");
    if (s == 0)
        abort();
}

static NOINLINE void after_keep_alive(void)
{
    struct gt_obj *p = gt_new(1);
    gt_gc(1);
    whence_keep_alive(p);
    gt_gc(2);
    gt_report("o2-after-keep-alive", 1);
}

int main(void)
{
    pointer_array();
    after_keep_alive();
    return 0;
}
