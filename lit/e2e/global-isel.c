// GlobalISel asked for by name (-mllvm -global-isel) aborts the compile on
// what it cannot translate unless told otherwise, and it translates
// neither the call labels' asm nor the module constructor's weak section
// bounds: "error in backend: unable to translate instruction: call" (-O0),
// "cannot select: G_GLOBAL_VALUE @__stop_whence_tab" (-O2), a compile that
// failed only with the plugin.  The plugin makes it fall back to
// SelectionDAG there (-global-isel-abort=0, unless the user chose) and
// says so once; every call keeps its line.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O0 -gline-tables-only -mllvm -global-isel %whence_cflags %s %whence_libs -o %t/o0 2> %t/o0.err
// RUN: FileCheck %s --check-prefix=NOTE < %t/o0.err
// RUN: %run %t/o0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -mllvm -global-isel %whence_cflags %s %whence_libs -o %t/o2 2> %t/o2.err
// RUN: FileCheck %s --check-prefix=NOTE < %t/o2.err
// RUN: %run %t/o2 | FileCheck %s
// RUN: %clang -O2 -g -mllvm -global-isel %whence_cflags %s %whence_libs -o %t/o2g
// RUN: %run %t/o2g | FileCheck %s
// The user's own choice stands (here: fall back with a remark):
// RUN: %clang -O2 -gline-tables-only -mllvm -global-isel -mllvm -global-isel-abort=2 %whence_cflags %s %whence_libs -o %t/o2d 2> %t/o2d.err
// RUN: not grep whence: %t/o2d.err
// RUN: %run %t/o2d | FileCheck %s
// NOTE: whence: note: GlobalISel (-global-isel) falls back to SelectionDAG (-global-isel-abort=0) where it cannot translate whence's call labels and module constructor
// NOTE-NOT: whence:
// CHECK: show called from f at global-isel.c:[[#@LINE+14]]
// CHECK-NEXT: show called from main at global-isel.c:[[#@LINE+19]]
#include <stdio.h>
#include <string.h>
#include <whence.h>

__attribute__((noinline)) static void show(void) {
    whence_frame f;
    if (whence_caller(1, &f))
        printf("show called from %s at %s:%d\n", f.function, strrchr(f.file, '/') + 1, f.line);
}

static volatile int sink;
__attribute__((noinline)) static void f(void) {
    show();
    sink++;
}

int main(void) {
    f();
    show();
    return 0;
}
