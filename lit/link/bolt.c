// A program BOLT optimized after the link (llvm-bolt with a profile from
// its own instrumentation: blocks reordered, functions reordered and split
// into hot and cold parts, moved to a new text section).  whence's records
// still describe the code as linked, so a moved function's pc is in no
// record: whence_caller answers "unknown" for it, never another function's
// line; a function BOLT left in place keeps its exact answer.  A crash
// report names the moved frames from the symbol table and the line table
// that BOLT rewrote (-update-debug-sections), which it checks against the
// code (runtime/lines/symbols.c).
// REQUIRES: x86_64-linux, bolt
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -Wl,--emit-relocs -o %t
// RUN: rm -f %t.fdata
// RUN: llvm-bolt %t -o %t.inst -instrument --instrumentation-file=%t.fdata > %t.log 2>&1
// RUN: %t.inst 3000 > /dev/null
// RUN: llvm-bolt %t -o %t.bolt -data=%t.fdata -reorder-blocks=ext-tsp -reorder-functions=hfsort -split-functions -split-all-cold -update-debug-sections >> %t.log 2>&1
// RUN: llvm-readelf -S %t.bolt | FileCheck %s --check-prefix=MOVED
// RUN: %t.bolt 100 | FileCheck %s --check-prefix=CALLER
// RUN: not --crash %t.bolt 1234567 2>&1 | FileCheck %s --check-prefix=CRASH
// MOVED: .bolt.org.text
// CALLER: tag 2: {{unknown|hot .*bolt.c:55$}}
// CALLER: tag 4: {{unknown|main .*bolt.c:67$}}
// CALLER: tag 1: {{unknown|cold_path .*bolt.c:45$}}
// CRASH: fault in boom{{.*}} (instrumented code without records) at {{.*}}bolt.c:35 +0x
// CRASH: stack:
// CRASH-NEXT: boom{{.*}}(...) (instrumented code without records)
// CRASH-NEXT: bolt.c:35 +0x
// CRASH-NEXT: main{{.*}}(...) (instrumented code without records)
// CRASH-NEXT: bolt.c:63 +0x
#include <stdio.h>
#include <stdlib.h>
#include <whence.h>

int *volatile null_p;
__attribute__((noinline)) static void boom(int x) {
    if (x == 1234567) *null_p = x;
}
__attribute__((noinline)) static void report(int tag) {
    whence_frame f;
    if (whence_caller(1, &f))
        printf("tag %d: %s %s:%d\n", tag, f.function, f.file, f.line);
    else
        printf("tag %d: unknown\n", tag);
}
__attribute__((noinline)) static int cold_path(int x) {
    if (x == 12345) report(1);
    return x * 3;
}
__attribute__((noinline)) static int hot(int x) {
    int s = 0;
    for (int i = 0; i < 1000; i++) {
        if (((x + i) % 1000) == 999) s += cold_path(x);
        else s += i;
        boom(i);
    }
    if (x == 7) report(2);
    return s;
}
int main(int argc, char **argv) {
    whence_install_crash_handler();
    int n = argc > 1 ? atoi(argv[1]) : 3000;
    long t = 0;
    if (n == 1234567) {
        boom(n);
        return 1;
    }
    for (int i = 0; i < n; i++) t += hot(i);
    report(4);
    hot(7);
    cold_path(12345);
    printf("%ld\n", t);
    return 0;
}
