// Code after a #line directive (bison and flex output) is reported in the
// file the directive names, as the line table says, not in the .c file.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t && %run %t | FileCheck %s
// RUN: %clang -O0 -g %whence_cflags %s %whence_libs -o %t.g && %run %t.g | FileCheck %s
// RUN: env WHENCE_SITES=1 %clang -O0 -g %whence_cflags %s %whence_libs -o %t.s && %run %t.s | FileCheck %s
// The module's table not first in the image (another object linked before
// it): its file list is found at its own table's offset.
// RUN: echo 'int other_tu(int x) { return x * 3; }' > %t.other.c
// RUN: %clang -O2 -gline-tables-only %whence_cflags -c %t.other.c -o %t.other.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags -c %s -o %t.main.o
// RUN: %clang %t.other.o %t.main.o %whence_libs -o %t.2 && %run %t.2 | FileCheck %s
#include <stdio.h>
#include <string.h>
#include <whence.h>

__attribute__((noinline)) static int g(int x) {
    whence_frame f;
    whence_caller(1, &f);
    const char *b = strrchr(f.file, '/');
    printf("caller: %s at %s:%d\n", f.function, b ? b + 1 : f.file, f.line);
    return x;
}

__attribute__((noinline)) static int h(int x) {
    whence_frame f;
    whence_caller(1, &f);
    const char *b = strrchr(f.file, '/');
    printf("caller: %s at %s:%d\n", f.function, b ? b + 1 : f.file, f.line);
    return x + 1;
}

// CHECK: caller: main at grammar.y:100
int main(int argc, char **argv) {
    (void)argv;
#line 100 "grammar.y"
    int r = g(argc);
#line 30 "line-directive.c"
    r += h(argc); // CHECK-NEXT: caller: main at line-directive.c:30
    return r == 2 * argc + 1 ? 0 : 1;
}
