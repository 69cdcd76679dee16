// IR that the pass instrumented, written out with -emit-llvm, linked with
// llvm-link and optimized again (wllvm's and gllvm's whole-program bitcode,
// KLEE's, a hand-made "LTO"): the callers' lines stay exact.  Were bugs:
// with -gline-tables-only a function inlined into one emitted before it in
// the assembly carried its site labels along, naming it as their section's
// linked-to symbol ("linked-to symbol is not in a section: report", the
// compile failed; emitted after it, the inlined frame read "?:0"); with -g
// SROA split the frame slot into one alloca per field, the frame layout
// placed them apart, and the runtime read a word never written as the call
// in progress: `leaf`'s call read as line 18 of `work` (a call of `work`'s
// own), said as exact.  A function instrumented for good is noinline now,
// and its slot is stored whole.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs -DTU_A -c -emit-llvm %s -o %t/a.bc
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs -DTU_B -c -emit-llvm %s -o %t/b.bc
// RUN: llvm-link %t/a.bc %t/b.bc -o %t/ab.bc
// RUN: %clang -O2 -c %t/ab.bc -o %t/ab.o
// RUN: %clang %t/ab.o %whence_libs -o %t/lt && %run %t/lt | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags -I%inputs -DTU_A -c -emit-llvm %s -o %t/ag.bc
// RUN: %clang -O2 -g %whence_cflags -I%inputs -DTU_B -c -emit-llvm %s -o %t/bg.bc
// RUN: llvm-link %t/ag.bc %t/bg.bc -o %t/abg.bc
// RUN: %clang -O2 -c %t/abg.bc -o %t/abg.o
// RUN: %clang %t/abg.o %whence_libs -o %t/g && %run %t/g | FileCheck %s
// RUN: %clang -O2 -g %whence_cflags -I%inputs -DTU_A -DTU_B -c -emit-llvm %s -o %t/one-g.bc
// RUN: %clang -O2 -c %t/one-g.bc -o %t/one-g.o
// RUN: %clang %t/one-g.o %whence_libs -o %t/one-g && %run %t/one-g | FileCheck %s
// One module optimized again with the plugin loaded a second time: it
// leaves instrumented code alone.
// RUN: %clang -O1 -g %whence_cflags -I%inputs -DTU_A -DTU_B -c -emit-llvm %s -o %t/one.bc
// RUN: %clang -O3 %whence_cflags -c %t/one.bc -o %t/one.o
// RUN: %clang %t/one.o %whence_libs -o %t/one && %run %t/one | FileCheck %s
// CHECK: ok main line=[[# @LINE + 32]]
// CHECK-NEXT: ok work line=[[# @LINE + 26]]
// CHECK-NEXT: ok leaf line=[[# @LINE + 20]]
// CHECK-NEXT: ok main line=[[# @LINE + 31]]
// CHECK-NEXT: fails=0
#include "whence_e2e.h"

int report(int line);

#ifdef TU_A
static int fails;

NOINLINE static int probe(int line, const char *func) {
    whence_frame f;
    whence_caller(1, &f);
    int ok = f.line == line && !strcmp(f.function, func);
    printf("%s %s line=%d (want %s line=%d)\n", ok ? "ok" : "BAD", f.function, f.line, func, line);
    fails += !ok;
    return line;
}

static inline int leaf(int x) {
    int p = probe(__LINE__, __func__);
    return x + p;
}

NOINLINE int work(int x) {
    int p = probe(__LINE__, __func__);
    return leaf(x) * p;
}

int main(void) {
    probe(__LINE__, __func__);
    int r = work(1);
    fails += !report(__LINE__);
    printf("fails=%d\n", fails);
    return r == 0;
}
#endif

#ifdef TU_B
/* Small and external: inlined into main once the modules are linked. */
int report(int line) {
    whence_frame f;
    whence_caller(1, &f);
    int ok = f.line == line && !strcmp(f.function, "main");
    printf("%s %s line=%d (want main line=%d)\n", ok ? "ok" : "BAD", f.function, f.line, line);
    return ok;
}
#endif
