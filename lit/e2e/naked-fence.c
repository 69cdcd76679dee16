// A naked function right after an instrumented one: LLVM 19 gives the naked
// body an FDE, and without a fence record of its own that FDE was taken for
// a fragment of the function before it (split.c): a pc in the naked body
// was named `leaf`, and leaf's caller, the naked function, too.  Now the
// naked body is a fence: no function, and its frame says it is not known.
// Its FDE (the CIE's rules only: the return address at the stack pointer)
// is wrong after its push, and the walk ends there, said: the pushed %rbp
// taken for a return address is in no code (it was said complete,
// helper-103).  Without unwind
// tables its frame record is stepped through (runtime/unwind/, fp_step),
// and as any frame without records it is left out: leaf's caller is then
// main, at the line of its call.
// REQUIRES: x86_64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags %s %whence_libs -o %t0 && %t0 | FileCheck %s --check-prefixes=CHECK,CFI
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t2 && %t2 | FileCheck %s --check-prefixes=CHECK,CFI
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %tg && %tg | FileCheck %s --check-prefixes=CHECK,CFI
// RUN: %clang -O2 -gline-tables-only -fno-asynchronous-unwind-tables -fno-unwind-tables %whence_cflags %s %whence_libs -o %tn && %tn | FileCheck %s --check-prefixes=CHECK,NOCFI
#include <stdint.h>
#include <stdio.h>
#include <whence.h>

__attribute__((noinline)) int leaf(int x) {
    whence_frame f;
    whence_caller(1, &f);
    printf("caller of leaf: %s line %d\n", f.function, f.line);
    uintptr_t pcs[8];
    whence_callers(0, pcs, 8);
    const char *end = whence_callers_end();
    printf("end: %s\n", end ? end : "complete");
    return x + 7;
}

__attribute__((naked, noinline)) int naked_call(int a) {
    __asm__("pushq %rbp\n\tmovq %rsp, %rbp\n\tcall leaf\n\tpopq %rbp\n\tret");
}

int main(void) {
    const whence_func *fn = whence_func_for_pc((uintptr_t)&naked_call + 1);
    printf("naked_call: %s\n", fn ? whence_func_name(fn) : "(none)");
    // CHECK: naked_call: (none)
    // CFI-NEXT: caller of leaf: ? line 0
    // NOCFI-NEXT: caller of leaf: main line [[@LINE+3]]
    // CFI-NEXT: end: (the stack ends here: the unwind tables led to a return address in no code: {{.*}})
    // NOCFI-NEXT: end: complete
    int r = naked_call(3);
    // CHECK-NEXT: leaf: leaf
    // CHECK-NEXT: r=10
    fn = whence_func_for_pc((uintptr_t)&leaf + 1);
    printf("leaf: %s\nr=%d\n", fn ? whence_func_name(fn) : "(none)", r);
    return 0;
}
