// -finstrument-functions-after-inlining: code generation's own IR passes
// put __cyg_profile_func_enter at each function's start and
// __cyg_profile_func_exit right before each return, after the pass ran.
// The pass labels the returns of such functions, so the exit hook's caller
// frame has the return's line (as DWARF gives that call); the entry hook's,
// before any label, has an unknown line (0), never another call's.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only -finstrument-functions-after-inlining %whence_cflags %s %whence_libs -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -finstrument-functions-after-inlining %whence_cflags %s %whence_libs -o %t2 && %run %t2 | FileCheck %s
// RUN: %clang -O2 -g -finstrument-functions-after-inlining %whence_cflags %s %whence_libs -o %t3 && %run %t3 | FileCheck %s
#include <stdio.h>
#include <whence.h>

__attribute__((no_instrument_function)) void __cyg_profile_func_enter(void *fn, void *site) {
    (void)fn, (void)site;
    whence_frame fr;
    if (whence_caller(1, &fr))
        printf("enter: %s %d\n", fr.function, fr.line);
}

__attribute__((no_instrument_function)) void __cyg_profile_func_exit(void *fn, void *site) {
    (void)fn, (void)site;
    whence_frame fr;
    if (whence_caller(1, &fr))
        printf("exit: %s %d\n", fr.function, fr.line);
}

// CHECK: enter: main 0
// CHECK-NEXT: enter: work 0
__attribute__((noinline)) int work(int x) {
    printf("work %d\n", x);
    return x * 2; // CHECK: exit: work [[# @LINE]]
}

int main(void) {
    int r = work(3);
    printf("r=%d\n", r);
    return 0; // CHECK: exit: main [[# @LINE]]
}
