// The pass opens an empty whence_mod before any code (passes/reserve.c), so
// that GNU ld and ld.lld place whence_mod before whence_site, right after
// .rodata: a first lookup reads its module's header, subprog and name, and
// .rodata's pages are mostly mapped by the time a program asks.  The order
// in the linked file, for two translation units, with and without
// --gc-sections; the program still names its functions.
// REQUIRES: x86_64-linux, lld, ld.bfd
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags -DOTHER -c %s -o %t/other.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags -c %s -o %t/main.o
// RUN: %clang -fuse-ld=bfd %t/main.o %t/other.o %whence_libs -o %t/bfd
// RUN: llvm-readelf -SW %t/bfd | FileCheck %s --check-prefix=ORDER
// RUN: %t/bfd | FileCheck %s
// RUN: %clang -fuse-ld=lld %t/main.o %t/other.o %whence_libs -o %t/lld
// RUN: llvm-readelf -SW %t/lld | FileCheck %s --check-prefix=ORDER
// RUN: %t/lld | FileCheck %s
// RUN: %clang -fuse-ld=bfd -Wl,--gc-sections %t/main.o %t/other.o %whence_libs -o %t/gc
// RUN: llvm-readelf -SW %t/gc | FileCheck %s --check-prefix=ORDER
// RUN: %t/gc | FileCheck %s
// ORDER: .rodata
// ORDER-NOT: whence_site
// ORDER: whence_mod
// ORDER: whence_site
// CHECK: first: other_fn
#include <stdint.h>
#include <stdio.h>
#include <whence.h>

#ifdef OTHER
__attribute__((noinline)) int other_fn(int x) { return x * 3 + 1; }
#else
int other_fn(int);
int main(void) {
    const whence_func *f = whence_func_for_pc((uintptr_t)&other_fn);
    printf("first: %s %d\n", whence_func_name(f), other_fn(2));
    return 0;
}
#endif
