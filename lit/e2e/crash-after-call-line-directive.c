// A fault after a call made under a #line directive (a bison action), in a
// binary without .debug_line: the report says "placed after the call at line N" of
// the call's own file, the one the directive names.  It named the
// function's file with the other file's line ("crash-after-...c (after the
// call at line 100)").
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: llvm-strip -s %t -o %t.s
// RUN: not --crash %run %t.s 2> %t.r && FileCheck %s < %t.r
// CHECK: fault in work at {{.*}}/grammar.y (line unknown; placed after the call at line 100; no .debug_line){{$}}
// CHECK: work(...)
// CHECK-NEXT: {{.*}}/grammar.y (line unknown; placed after the call at line 100) +0x
#include <whence.h>

int *volatile nullp;
volatile int sink;

__attribute__((noinline)) int g(int x) {
    sink = x;
    return x;
}

__attribute__((noinline)) int work(int x) {
    int r = 0;
#line 100 "grammar.y"
    r += g(x);
    *nullp = r;
#line 28 "crash-after-call-line-directive.c"
    sink = r;
    return r;
}

int main(int argc, char **argv) {
    (void)argv;
    whence_install_crash_handler();
    return work(argc);
}
