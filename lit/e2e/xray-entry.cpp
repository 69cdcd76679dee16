// XRay's entry sled calls the handler before the function's prologue has
// pushed %rbp (and at -O2 a leaf never does): the handler's stack reaches
// the function through the .eh_frame unwinder (XRay's trampoline has no
// frame pointer), and the frame-pointer walk may take over again only at a
// frame whose record is set up; before, %rbp was the caller's and the
// caller's frame was skipped.  Each entry event's next frame is the
// function's caller, at the line of its call.
// REQUIRES: x86_64-linux
// RUN: %clangxx -O0 -gline-tables-only -fxray-instrument -fxray-instruction-threshold=1 %whence_cflags %s %whence_libs -o %t0 && %t0 | FileCheck %s
// RUN: %clangxx -O2 -gline-tables-only -fxray-instrument -fxray-instruction-threshold=1 %whence_cflags %s %whence_libs -o %t2 && %t2 | FileCheck %s
#include <stdio.h>
#include <whence.h>
#include <xray/xray_interface.h>

static int busy;

__attribute__((xray_never_instrument)) static void handler(int32_t id, XRayEntryType t) {
    if (busy || t != XRayEntryType::ENTRY)
        return;
    busy = 1;
    whence_frame f0, f1;
    whence_caller(1, &f0);
    whence_caller(2, &f1);
    printf("entry of %s: called from %s %d\n", f0.function, f1.function, f1.line);
    busy = 0;
}

__attribute__((noinline)) int leaf(int x) { return x * 3; }
__attribute__((noinline)) int work(int x) { return leaf(x) + 1; } // CHECK-DAG: entry of leaf: called from work [[# @LINE]]
__attribute__((noinline)) int outer(int x) { return work(x) * 2; } // CHECK-DAG: entry of work: called from outer [[# @LINE]]

__attribute__((xray_never_instrument)) int main() {
    __xray_set_handler(handler);
    __xray_patch();
    int r = outer(1); // CHECK-DAG: entry of outer: called from main [[# @LINE]]
    __xray_unpatch();
    printf("r=%d\n", r);
    return r != 8;
}
