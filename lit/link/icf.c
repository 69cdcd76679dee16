// Identical code folding (lld and gold --icf=all, and --icf=safe for
// functions whose address is not taken) merges functions with equal bytes
// and relocations and drops the records of the one folded away.  alpha and
// beta below compile to the same bytes; folded, beta's call would be named
// with alpha's line.  The pass gives each function's code a relocation
// without effect to its own subprog of the module table, so they are not
// folded and each call keeps its own line; gamma and delta (no calls, the
// same bytes) still fold, which shows the link did fold what it could.
// -g builds (frame slots, no site labels) name their calls through the loc
// addresses stored in the code, which keep them apart already.
// REQUIRES: (x86_64-linux || aarch64-linux), lld
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -ffunction-sections %whence_cflags %s -o %t/lld -fuse-ld=lld -Wl,--icf=all %whence_libs
// RUN: %run %t/lld | FileCheck %s
// RUN: %clang -O2 -g -ffunction-sections %whence_cflags %s -o %t/lld-g -fuse-ld=lld -Wl,--icf=all %whence_libs
// RUN: %run %t/lld-g | FileCheck %s
// ThinLTO and full LTO, with the pass at the compile only and at the link too:
// RUN: %clang -O2 -flto=thin -gline-tables-only -ffunction-sections %whence_cflags %s -o %t/thin -fuse-ld=lld -Wl,--icf=all %whence_libs
// RUN: %run %t/thin | FileCheck %s
// RUN: %clang -O2 -flto=thin -gline-tables-only -ffunction-sections %whence_cflags %s -o %t/thin.link -fuse-ld=lld -Wl,--icf=all -Wl,--load-pass-plugin=%plugin %whence_libs
// RUN: %run %t/thin.link | FileCheck %s
// RUN: %clang -O2 -flto=full -gline-tables-only -ffunction-sections %whence_cflags %s -o %t/full -fuse-ld=lld -Wl,--icf=all %whence_libs
// RUN: %run %t/full | FileCheck %s
// RUN: %if ld.gold %{ %clang -O2 -gline-tables-only -ffunction-sections %whence_cflags %s -o %t/gold -fuse-ld=gold -Wl,--icf=all %whence_libs %}
// RUN: %if ld.gold %{ %t/gold | FileCheck %s %}
// -O0, whose label asm has no operand: the relocation names the table:
// RUN: %clang -O0 -gline-tables-only -ffunction-sections %whence_cflags %s -o %t/lld0 -fuse-ld=lld -Wl,--icf=all %whence_libs
// RUN: %run %t/lld0 | FileCheck %s
// RUN: %if ld.gold %{ %clang -O0 -gline-tables-only -ffunction-sections %whence_cflags %s -o %t/gold0 -fuse-ld=gold -Wl,--icf=all %whence_libs %}
// RUN: %if ld.gold %{ %t/gold0 | FileCheck %s %}
// Without the plugin the same link folds alpha and beta (the test's
// premise):
// RUN: %clang -O2 -ffunction-sections %s -I%whence_incdir -c -o %t/plain.o -DNO_WHENCE
// RUN: %clang %t/plain.o -o %t/plain -fuse-ld=lld -Wl,--icf=all
// RUN: %run %t/plain | FileCheck %s --check-prefix=PLAIN
#include <stdint.h>
#include <stdio.h>
#ifndef NO_WHENCE
#include <whence.h>
#endif

__attribute__((noinline)) int leaf(int x) {
#ifndef NO_WHENCE
    whence_frame fr;
    whence_caller(1, &fr);
    printf("%s %d\n", fr.function, fr.line);
#endif
    return x + 1;
}

__attribute__((noinline)) int alpha(int x) { return leaf(x) * 3; } // CHECK: alpha [[# @LINE]]
__attribute__((noinline)) int beta(int x) { return leaf(x) * 3; }  // CHECK-NEXT: beta [[# @LINE]]
__attribute__((noinline)) int gamma_(int x) { return x * 7 + 1; }
__attribute__((noinline)) int delta(int x) { return x * 7 + 1; }

int (*volatile fa)(int) = alpha, (*volatile fb)(int) = beta;
int (*volatile fg)(int) = gamma_, (*volatile fd)(int) = delta;

int main(void) {
    int r = fa(1) + fb(2) + fg(3) + fd(4);
    // CHECK-NEXT: alpha and beta apart
    // PLAIN: alpha and beta folded
    printf("alpha and beta %s\n", (uintptr_t)fa == (uintptr_t)fb ? "folded" : "apart");
    // CHECK-NEXT: gamma and delta folded
    // PLAIN-NEXT: gamma and delta folded
    printf("gamma and delta %s\n", (uintptr_t)fg == (uintptr_t)fd ? "folded" : "apart");
    return r == 0;
}
