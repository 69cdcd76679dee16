// Code from a generator whose IR gives a call the line 4294967295 (past
// INT32_MAX; the verifier accepts any 32-bit line).  Its frame reads line
// 0 (unknown), the other calls of the same module keep their lines, and
// the module stays in use after the runtime has checked it whole (the
// 64th lookup): the pass no longer writes a loc the runtime must reject
// (before, "ignoring module ... loc 0 has a line out of range", and its
// functions were no longer found).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags -c %S/Inputs/huge-line.ll -o %t/gen.o
// RUN: %clang -O1 -gline-tables-only %whence_cflags %s %t/gen.o %whence_libs -o %t/out
// RUN: %run %t/out 2>&1 | FileCheck %s
// RUN: %clang -O0 -g -c %whence_cflags %S/Inputs/huge-line.ll -o %t/gen0.o
// RUN: %clang -O0 -g %whence_cflags %s %t/gen0.o %whence_libs -o %t/out0
// RUN: %run %t/out0 2>&1 | FileCheck %s
// CHECK-NOT: whence:
// CHECK: phase 0: ir_entry gen.c:7 main huge-line.c:[[#@LINE+30]]
// CHECK-NEXT: phase 0: g gen.c:0 ir_entry gen.c:8 main huge-line.c:[[#@LINE+29]]
// CHECK-NEXT: phase 0: g gen.c:2147483647 ir_entry gen.c:8 main huge-line.c:[[#@LINE+28]]
// CHECK-NEXT: named: ir_entry
// CHECK-NEXT: phase 1: ir_entry gen.c:7 main huge-line.c:[[#@LINE+34]]
// CHECK-NEXT: phase 1: g gen.c:0 ir_entry gen.c:8 main huge-line.c:[[#@LINE+33]]
// CHECK-NEXT: phase 1: g gen.c:2147483647 ir_entry gen.c:8 main huge-line.c:[[#@LINE+32]]
// CHECK-NEXT: named: ir_entry
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

void ir_entry(void);
static int phase;

static const char *base(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

void report(void) {
    whence_frame f;
    printf("phase %d:", phase);
    for (int s = 1; s < 4 && whence_caller(s, &f); s++)
        printf(" %s %s:%d", f.function, base(f.file), f.line);
    printf("\n");
}

int main(void) {
    ir_entry();
    const whence_func *fn = whence_func_for_pc((uintptr_t)&ir_entry);
    printf("named: %s\n", fn ? whence_func_name(fn) : "(none)");
    /* distinct lookups in this image, past the first ones answered from
     * the records unchecked */
    for (int i = 0; i < 200; i++)
        (void)whence_func_for_pc((uintptr_t)&main + (uintptr_t)i);
    phase = 1;
    ir_entry();
    fn = whence_func_for_pc((uintptr_t)&ir_entry);
    printf("named: %s\n", fn ? whence_func_name(fn) : "(none)");
    return 0;
}

