// DWARF 4's line table does not hold the compilation directory: a file
// named relative to it ("x/util.h", from a #line directive) was matched to
// any of the records' files whose name ends with that path, and the report
// named another file (/.../a/x/util.h:50 for x/util.h:50).  The directory
// is the records' module name without the unit's file name: the file is
// named only when that whole path is one of the records' files.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t/a/x && cp %s %t/main.c
// RUN: echo 'extern void ext(int);' > %t/a/x/util.h
// RUN: echo 'static inline __attribute__((always_inline)) void helper(int v) { ext(v); }' >> %t/a/x/util.h
// RUN: echo 'static inline __attribute__((always_inline)) void hstore(int *p, int v) { p[1] = v; }' >> %t/a/x/util.h
// RUN: cd %t && %clang -O2 -gline-tables-only -fdebug-default-version=4 %whence_cflags main.c %whence_libs -o %t/d4
// RUN: cd %t && not --crash %run %t/d4 2> %t/d4.r && FileCheck %s < %t/d4.r
// RUN: cd %t && %clang -O0 -g -gdwarf-4 %whence_cflags main.c %whence_libs -o %t/g4
// RUN: cd %t && not --crash %run %t/g4 2> %t/g4.r && FileCheck %s < %t/g4.r
// The records' own files are still named with their directory:
// RUN: cd %t && not --crash %run %t/d4 own 2> %t/own.r && FileCheck %s --check-prefix=OWN < %t/own.r
// RUN: cd %t && not --crash %run %t/d4 hdr 2> %t/hdr.r && FileCheck %s --check-prefix=HDR < %t/hdr.r
// CHECK-NOT: a/x/util.h
// CHECK: fault in work at {{(.*\.tmp/)?}}x/util.h:50{{$}}
// HDR: fault in hdr (inlined code at {{.*}}.tmp/./a/x/util.h:3)
#include <string.h>
#include <whence.h>
#include "a/x/util.h"

int *volatile nullp;
volatile int sink;
void ext(int v) { sink = v; }

__attribute__((noinline)) void work(int x) {
    helper(x);
#line 50 "x/util.h"
    *nullp = x;
#line 35 "main.c"
    sink = 2;
}

__attribute__((noinline)) void own(int x) {
    helper(x);
    *nullp = x;
    // OWN: fault in own at {{.*}}/main.c:[[@LINE-1]]{{$}}
}

__attribute__((noinline)) void hdr(int x) {
    helper(x);
    hstore(nullp, x);
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    if (argc > 1 && !strcmp(argv[1], "own"))
        own(argc);
    else if (argc > 1 && !strcmp(argv[1], "hdr"))
        hdr(argc);
    else
        work(argc);
    return 0;
}
