// In -g builds whence keeps the tail calls the optimizer made, so the
// debugger sees the same frames, `finish` returns to the same place and
// `bt` has the same length as without the plugin: at every -O level, the
// calls emitted as jumps (# TAILCALL) are exactly those of a build without
// the plugin that keeps the same frame pointers.  Shapes: a tail call after
// an early return (a ret block CodeGenPrepare duplicates), several returns
// of calls, a switch of tail calls, a void tail call, a call followed by a
// return of something else (no jump either way), a tail call of another
// convention, and seven arguments (one on the stack).
// RUN: %clang -O1 -g -fno-omit-frame-pointer -momit-leaf-frame-pointer -S %s -o %t.b1.s
// RUN: %clang -O1 -g -fpass-plugin=%plugin -S %s -o %t.p1.s
// RUN: python3 %S/Inputs/tailcalls.py %t.b1.s %t.p1.s
// RUN: %clang -O2 -g -fno-omit-frame-pointer -momit-leaf-frame-pointer -S %s -o %t.b2.s
// RUN: %clang -O2 -g -fpass-plugin=%plugin -S %s -o %t.p2.s
// RUN: python3 %S/Inputs/tailcalls.py %t.b2.s %t.p2.s > %t.O2.t
// RUN: %clang -O3 -g -fno-omit-frame-pointer -momit-leaf-frame-pointer -S %s -o %t.b3.s
// RUN: %clang -O3 -g -fpass-plugin=%plugin -S %s -o %t.p3.s
// RUN: python3 %S/Inputs/tailcalls.py %t.b3.s %t.p3.s
// RUN: %clang -Os -g -fno-omit-frame-pointer -momit-leaf-frame-pointer -S %s -o %t.bs.s
// RUN: %clang -Os -g -fpass-plugin=%plugin -S %s -o %t.ps.s
// RUN: python3 %S/Inputs/tailcalls.py %t.bs.s %t.ps.s
// RUN: %clang -Og -g -fno-omit-frame-pointer -momit-leaf-frame-pointer -S %s -o %t.bg.s
// RUN: %clang -Og -g -fpass-plugin=%plugin -S %s -o %t.pg.s
// RUN: python3 %S/Inputs/tailcalls.py %t.bg.s %t.pg.s
// The comparison is not vacuous: the -O2 build has jumps, among them the
// early return's.
// RUN: FileCheck %s < %t.O2.t
// CHECK-DAG: early_return jmp leaf
// CHECK-DAG: pick jmp one
// CHECK-DAG: pick jmp two
// CHECK-DAG: void_tail jmp vleaf

#define NOINLINE __attribute__((noinline))
int leaf(int);
int one(int), two(int), three(int);
void vleaf(int);
void sidef(void);
__attribute__((ms_abi)) int win(int);
int seven(int, int, int, int, int, int, int);

NOINLINE int early_return(int x) {
    if (x == 0)
        return 0;
    return leaf(x + 1);
}

NOINLINE int pick(int k, int x) {
    switch (k) {
    case 0: return one(x);
    case 1: return two(x);
    case 2: return three(x + 1);
    default: return 0;
    }
}

NOINLINE void void_tail(int x) {
    if (x > 3)
        return;
    vleaf(x);
}

NOINLINE int ret_other(int x) {
    sidef();
    return x;
}

NOINLINE int other_cc(int x) { return win(x); }

NOINLINE int stack_arg(int x) { return seven(x, 1, 2, 3, 4, 5, x + 6); }

NOINLINE int ternary(int x) { return x > 0 ? one(x) : two(-x); }
