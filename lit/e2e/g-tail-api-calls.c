// A helper that ends in a call of whence's frame API (`return
// whence_caller(1, f);`, the "who called me" of a logging library): in -g
// modules, where the pass keeps tail calls, the optimizer made it a jump,
// the helper's frame left the stack, and skip 1 named its caller's caller
// (main's line for lib_log's: a wrong line, said as exact).  Those calls
// are never tail calls now (`notail`), in every mode.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %t/o2g && %run %t/o2g | FileCheck %s
// RUN: %clang -O1 -g %whence_cflags %s %whence_libs -o %t/o1g && %run %t/o1g | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/o2 && %run %t/o2 | FileCheck %s
// RUN: %clang -O0 -g %whence_cflags %s %whence_libs -o %t/o0g && %run %t/o0g | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// IR: notail call {{.*}}@whence_caller(
// IR: notail call {{.*}}@whence_callers(
// IR: notail call void @whence_write_stack(
#include <stdio.h>
#include <unistd.h>
#include <whence.h>

__attribute__((noinline)) bool who_called_me(whence_frame *f) {
    return whence_caller(1, f); /* skip 0: who_called_me; 1: its caller */
}
__attribute__((noinline)) int my_callers(uintptr_t *pcs, int n) {
    return whence_callers(1, pcs, n);
}
__attribute__((noinline)) void my_stack(void) {
    whence_write_stack(1, 1);
}

__attribute__((noinline)) static void lib_log(void) {
    whence_frame f;
    if (who_called_me(&f)) // CHECK: caller: lib_log line [[# @LINE]]
        printf("caller: %s line %d\n", f.function, f.line);
    uintptr_t pcs[8];
    int n = my_callers(pcs, 8); // CHECK-NEXT: callers: lib_log line [[# @LINE]]
    whence_frames it;
    whence_frames_init(&it, pcs, n);
    if (whence_frames_next(&it, &f))
        printf("callers: %s line %d\n", f.function, f.line);
    fflush(stdout);
    my_stack(); // CHECK-NEXT: lib_log(...)
    // CHECK-NEXT: g-tail-api-calls.c:[[# @LINE-1]]
}

int main(void) {
    lib_log();
    return 0;
}
