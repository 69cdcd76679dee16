// -fsplit-stack: a variable-length array is allocated by a call of
// __morestack_allocate_stack_space when the stack segment is too small,
// which code generation makes after the pass (X86's SEG_ALLOCA).  A dynamic
// alloca in such a function is a site (passes/libcalls.c); before, that
// call took the label of the call before it (line `before();` here, where
// DWARF says the array's line) at -O0 to -O3.  The prologue's __morestack
// call is no site either: the runtime knows it by its shape (arch/x86_64.h,
// wh_arch_morestack_call) and says its line is unknown.  Before, at -O1
// and above (its block after the body, where the line table says 0), it
// took the function's last call's line: "dwarf 0" 2 here.
// REQUIRES: x86_64-linux
// RUN: %clang -O1 -I%whence_incdir %S/../../scripts/scan-calls.c %whence_libs -o %t.scan
// RUN: %clang -O0 -fsplit-stack -gline-tables-only -fPIC -shared %whence_cflags %s -o %t0.so
// RUN: python3 %S/../../scripts/scan-calls.py --no-program %t.scan %t0.so | FileCheck %s
// RUN: %clang -O2 -fsplit-stack -gline-tables-only -fPIC -shared %whence_cflags %s -o %t2.so
// RUN: python3 %S/../../scripts/scan-calls.py --no-program %t.scan %t2.so | FileCheck %s
// RUN: %clang -O3 -fsplit-stack -gline-tables-only -fPIC -shared %whence_cflags %s -o %t3.so
// RUN: python3 %S/../../scripts/scan-calls.py --no-program %t.scan %t3.so | FileCheck %s
// CHECK: .so: {{[0-9]+}} calls, exact {{[1-9][0-9]*}}, unknown {{[0-9]+}}, dwarf 0 0, WRONG 0,

__attribute__((noinline)) int use(int *p) { return p[0]; }
__attribute__((noinline)) void before(void) { __asm__ volatile(""); }

int f(int n) {
    before();
    int a[n];
    a[0] = n;
    return use(a);
}

int g(int n, int m) {
    int s = 0;
    for (int i = 0; i < m; i++) {
        before();
        int b[n + i];
        b[0] = i;
        s += use(b);
    }
    return s;
}
