// whence-link on a file whose only module the runtime's reader rejects (a
// loc whose line is past INT32_MAX: the pass writes none since it takes
// such a line for unknown, so the test writes one into the records): the
// file is left as it is, and whence-link says why, as the file's: the
// reader's "whence: ignoring module 'NAME' at ADDRESS: ..." without
// ADDRESS, which would be an address of whence-link's own copy of the file.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O0 -gline-tables-only %whence_cflags %s %whence_libs -o %t/good
// RUN: python3 %S/Inputs/elfedit.py %t/good %t/big locline=whence_mod:2000000000:0x80000000
// RUN: %whence_link -o %t/big.out %t/big 2>&1 | FileCheck %s --implicit-check-not=0x
// RUN: cmp %t/big %t/big.out
// CHECK: whence-link: {{.*}}big: ignoring module '{{.*}}whence-link-rejected-module.c': {{.*}} has a line out of range
// CHECK-NEXT: whence-link: {{.*}}big: none of its records names a function: left unchanged
#include <stdio.h>

__attribute__((noinline)) void callee(void) { puts("x"); }

int main(void) {
#line 2000000000
    callee();
    callee();
    return 0;
}
