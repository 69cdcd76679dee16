// Functions whose symbols the assembler must read quoted or in
// parentheses: a C asm label that starts with '$' (Swift's mangling), has
// a '$' or a '"' or a space inside, or starts with a digit.  The pass ties
// a function's call records to its symbol (a section's linked-to symbol),
// which .pushsection takes only as a plain name: with these names the
// compile failed ("invalid linked-to symbol").  They are tied to the
// call's label instead, and each call keeps its line.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/o2
// RUN: %run %t/o2 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %whence_cflags %s %whence_libs -o %t/o0
// RUN: %run %t/o0 | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags %s %whence_libs -o %t/o2g
// RUN: %run %t/o2g | FileCheck %s
// RUN: %clang -O2 -flto=thin -fuse-ld=lld -gline-tables-only %whence_cflags %s %whence_libs -o %t/thin
// RUN: %run %t/thin | FileCheck %s
// CHECK: swift:[[#@LINE+17]] main:[[#@LINE+26]]
// CHECK-NEXT: dollar:[[#@LINE+18]] main:[[#@LINE+26]]
// CHECK-NEXT: quote:[[#@LINE+19]] main:[[#@LINE+26]]
// CHECK-NEXT: digit:[[#@LINE+20]] main:[[#@LINE+26]]
#include <stdio.h>
#include <whence.h>

static volatile int sink; /* (no tail call: -g keeps those) */

__attribute__((noinline)) static void show(void) {
    whence_frame f;
    for (int i = 1; i < 3 && whence_caller(i, &f); i++)
        printf("%s%s:%d", i > 1 ? " " : "", f.function, f.line);
    printf("\n");
}

__attribute__((noinline)) void swift(void) __asm__("$s4main3fooyyF");
__attribute__((noinline)) void swift(void) { show(); sink++; }
__attribute__((noinline)) void dollar(void) __asm__("foo$bar");
__attribute__((noinline)) void dollar(void) { show(); sink++; }
__attribute__((noinline)) void quote(void) __asm__("q\"x y");
__attribute__((noinline)) void quote(void) { show(); sink++; }
__attribute__((noinline)) void digit(void) __asm__("9lives");
__attribute__((noinline)) void digit(void) { show(); sink++; }

int main(void) {
    swift();
    dollar();
    quote();
    digit();
    return 0;
}
