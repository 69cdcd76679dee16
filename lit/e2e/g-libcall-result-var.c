// A variable holding the result of an operation that code generation
// makes a library call (floor without SSE4.1, __int128 division: __divti3)
// is visible in the debugger as without the plugin.  The pass passes such
// a call's result through an empty asm after it, to keep the call before
// the next call's slot store (instrument.c, wp_through_after), and later
// uses take the asm's output; the variable's location still named the
// call's result, whose register dies at the asm: gdb printed
// "<optimized out>", LLDB q = 0 (a wrong value).  The variables now follow
// the asm's output (whence_move_dbg_uses).  (Helper's finding.)  Checked
// against the same program without the plugin.  (fl, the floor, gdb does
// not read in either: LLVM 19 describes it with a 16-byte deref.)
// REQUIRES: x86_64-linux && gdb
// RUN: %clang -O2 -g %whence_cflags %s -lm -o %t
// RUN: gdb -q -batch -nx -ex 'break take' -ex run -ex continue -ex up -ex 'print q' %t 2>&1 | FileCheck %s
// RUN: %clang -O2 -g -fno-omit-frame-pointer -momit-leaf-frame-pointer %s -lm -o %t.plain
// RUN: gdb -q -batch -nx -ex 'break take' -ex run -ex continue -ex up -ex 'print q' %t.plain 2>&1 | FileCheck %s
// CHECK: $1 = 142857143
#include <math.h>
volatile double vd = 7.25;
volatile __int128 vi = 1000000007;
double sink;
__attribute__((noinline)) void take(double x) { sink += x; }

__attribute__((noinline)) double f(double a, int n) {
    double fl = floor(a * 1.5);
    __int128 q = vi / (n + 3);
    take(a);
    take(a);
    return fl + (double)q;
}

int main(void) {
    return (int)f(vd, 4) - 142857153;
}
