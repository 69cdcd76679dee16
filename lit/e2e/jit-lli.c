// Code built with the plugin and run by a JIT (lli's ORC JIT, in a process
// with libwhence loaded): the JIT defines no __start_/__stop_ symbols, so
// the module constructor registers null section bounds and no record is
// known.  whence says that, once, instead of telling the user to build
// with the plugin; nothing is named, and nothing crashes.
// REQUIRES: x86_64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O1 -gline-tables-only %whence_cflags -S -emit-llvm %s -o %t/jit.ll
// RUN: %lli -jit-kind=orc -load=%whence_libdir/libwhence.so %t/jit.ll 2>&1 | FileCheck %s
// RUN: %lli -jit-kind=orc-lazy -load=%whence_libdir/libwhence.so %t/jit.ll 2>&1 | FileCheck %s
// CHECK-NOT: whence:
// CHECK: whence: code built with the whence plugin registered without its records (its section bounds were null: code a JIT linked, which defines no __start_/__stop_ symbols, or a link that dropped them all), so stacks are empty
// CHECK-NOT: whence:
// CHECK: callers=0 caller=0 named=none
// CHECK-NEXT: callers=0 caller=0 named=none
// CHECK-NOT: whence:
#include <stdint.h>
#include <stdio.h>
#include <whence.h>

__attribute__((noinline)) static void report(void) {
    uintptr_t pcs[8];
    whence_frame f;
    int n = whence_callers(0, pcs, 8);
    int c = whence_caller(0, &f);
    const whence_func *fn = whence_func_for_pc((uintptr_t)&report);
    printf("callers=%d caller=%d named=%s\n", n, c, fn ? whence_func_name(fn) : "none");
    fflush(stdout);
}

int main(void) {
    report();
    report();
    return 0;
}
