// A C++ function's cold part that BOLT split off, named in a crash report
// from the symbol table (helper-82): the name dropped the clone suffix
// ("hot" for _Z3hoti.cold.0) while the offset after it was from the cold
// part's symbol, not hot's entry.  It now reads "hot.cold.0", as the same
// frame of C code does.
// REQUIRES: x86_64-linux, bolt
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s %whence_libs -fuse-ld=lld -Wl,--emit-relocs -o %t
// RUN: rm -f %t.fdata
// RUN: llvm-bolt %t -o %t.inst -instrument --instrumentation-file=%t.fdata > %t.log 2>&1
// RUN: %t.inst 3000 > /dev/null
// RUN: llvm-bolt %t -o %t.bolt -data=%t.fdata -reorder-blocks=ext-tsp -reorder-functions=hfsort -split-functions -split-all-cold -update-debug-sections >> %t.log 2>&1
// RUN: llvm-nm %t.bolt | FileCheck %s --check-prefix=NM
// RUN: not --crash %t.bolt 1 x 2>&1 | FileCheck %s
// NM: t _Z3hoti.cold.0
// CHECK: fault in hot.cold.0 (instrumented code without records) at {{.*}}bolt-cxx-cold.cpp:[[#LINE:]] +0x
// CHECK: hot.cold.0(...) (instrumented code without records)
// CHECK-NEXT: bolt-cxx-cold.cpp:[[#LINE]] +0x
#include <cstdlib>
#include <whence.h>

int *volatile null_p;

__attribute__((noinline)) int hot(int x) {
    int s = 0;
    for (int i = 0; i < 1000; i++)
        s += (x * i) % 7;
    if (x == -1)
        *null_p = s;
    return s;
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    int n = argc > 1 ? atoi(argv[1]) : 3000;
    long t = 0;
    for (int i = 0; i < n; i++)
        t += hot(i);
    if (argc > 2)
        t += hot(-1);
    return t == 42;
}
