// Calls that branch folding can merge although the IR calls differ: a floor
// that code generation turns into a call of floor (no SSE4.1) and a direct
// call of a function named floor; two indirect calls.  Each pair needs one
// separator (an inline asm ends any common tail), and a direct call of a
// callee called only once in its function needs none, even where the
// function also makes indirect calls (instrument.c, wp_sites_apart).
// Without the separators both pairs merge and one arm reads the other's
// line; DWARF puts the merged call in one arm's row, so only __LINE__ sees it.
// (-g builds keep tail calls and name a merged call by its frame slot:
// tail-merged-call-sites.c.)
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -fno-builtin -c -I%whence_incdir %S/Inputs/merge_callees.c -o %t.callees.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags -c %s -o %t.o
// RUN: %clang %t.o %t.callees.o %whence_libs -o %t && %t | FileCheck %s
// RUN: %clang -O1 -gline-tables-only %whence_cflags -c %s -o %t.1.o
// RUN: %clang %t.1.o %t.callees.o %whence_libs -o %t.1 && %t.1 | FileCheck %s
// CHECK: builtin floor: ok
// CHECK-NEXT: floor by name: ok
// CHECK-NEXT: indirect: ok
// CHECK-NEXT: indirect 2: ok
// CHECK-NOT: WRONG
#include <stdio.h>
#include <whence.h>

static volatile int want;
static const char *arm;

void report(int line, const char *fn) {
    if (line == want || line == 0)
        printf("%s: ok\n", arm);
    else
        printf("%s: WRONG: %s line %d, want %d (or 0)\n", arm, fn, line, want);
}

double floor_by_name(double) __asm__("floor");
double id(double);

__attribute__((noinline)) double pick(int k, double x, double (*fp)(double)) {
    switch (k) {
    case 1:
        want = __LINE__ + 1;
        return __builtin_floor(x);
    case 2:
        want = __LINE__ + 1;
        return floor_by_name(x);
    case 3:
        want = __LINE__ + 1;
        return fp(x) + 1;
    default:
        want = __LINE__ + 1;
        return fp(x + 1) + 1;
    }
}

static volatile double in = 2.5;
static double (*volatile fpv)(double) = id;

int main(void) {
    const char *names[] = {"", "builtin floor", "floor by name", "indirect", "indirect 2"};
    for (int k = 1; k <= 4; k++) {
        arm = names[k];
        pick(k, in, fpv);
    }
    return 0;
}
