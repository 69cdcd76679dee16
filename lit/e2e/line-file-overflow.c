// A module with more files than a loc's file field holds (255 besides the
// subprog's): a call in a file past that, after a #line directive or in a
// file #included inside a function body, has a position whose file cannot
// be recorded.  Its line is then unknown; it used to read as that line of
// the enclosing function's own file (gen254.y:354 as line-file-overflow.c:354).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t.d && mkdir -p %t.d
// RUN: python3 %S/Inputs/many-line-files.py 300 > %t.d/calls.inc
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%t.d %s %whence_libs -o %t.o2 && %run %t.o2 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%t.d %s %whence_libs -o %t.o0 && %run %t.o0 | FileCheck %s
// RUN: %if x86_64-linux %{ %whence_link -o %t.o2l %t.o2 && %run %t.o2l | FileCheck %s %}
// Frame slots (-g) read the same locs:
// RUN: %clang -O0 -g %whence_cflags -I%t.d %s %whence_libs -o %t.g0 && %run %t.g0 | FileCheck %s
// CHECK-NOT: WRONG
// CHECK: exact {{[1-9][0-9]*}} unknown {{[0-9]+}} wrong 0
#include <stdio.h>
#include <string.h>
#include <whence.h>

static int exact, unknown, wrong;

__attribute__((noinline)) void g(const char *file, int line) {
    whence_frame f;
    if (!whence_caller(1, &f) || f.line == 0) {
        unknown++;
        return;
    }
    size_t n = strlen(f.file), k = strlen(file);
    if (f.line == line && n >= k && strcmp(f.file + n - k, file) == 0) {
        exact++;
        return;
    }
    wrong++;
    printf("WRONG %s:%d for %s:%d\n", f.file, f.line, file, line);
}

__attribute__((noinline)) void run(void) {
#include "calls.inc"
}

int main(void) {
    run();
    printf("exact %d unknown %d wrong %d\n", exact, unknown, wrong);
    return 0;
}
