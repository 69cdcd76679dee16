// A select after a labelled call, made of values from before it (a heap's
// sift loop: the child to go down to), was scheduled between the call's
// label and the call; X86's cmov conversion made it a branch there, block
// placement rotated the loop so that the call's block came before the
// label's, and the call read the line of the label before it, another
// call's (line 32 for 36 in every call of the loop; std::sort's
// __adjust_heap in C++ at -O3).  The select's condition now goes through an
// empty asm ordered after the call (passes/instrument.c, pin_later_cmovs).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t2 && %run %t2 | FileCheck %s
// RUN: %clang -O3 -gline-tables-only %whence_cflags %s %whence_libs -o %t3 && %run %t3 | FileCheck %s
// RUN: %clang -Os -gline-tables-only %whence_cflags %s %whence_libs -o %ts && %run %ts | FileCheck %s
// CHECK-NOT: BAD
// CHECK: done calls=89 bad=0
#include <stdio.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))
static int bad, calls;

NOINLINE void hook(int a, int want) {
    whence_frame f;
    calls++;
    if (!whence_caller(1, &f) || f.line != want) {
        printf("BAD hook: %s line %d, want %d\n", f.function, f.line, want);
        bad++;
    }
    __asm__ volatile("" ::"r"(a));
}

NOINLINE void sift(int *v, long n, long i) {
    hook(-1, __LINE__);
    while (2 * i + 2 < n) {
        long l = 2 * i + 1, r = 2 * i + 2;
        int a = v[r], b = v[l];
        hook(a, __LINE__);
        long c = a > b ? l : r;
        v[i] = v[c];
        i = c;
    }
}

int main(void) {
    int v[64];
    for (int k = 0; k < 64; k++)
        v[k] = (k * 37) % 64;
    for (long s = 31; s >= 0; s--)
        sift(v, 64, s);
    printf("done calls=%d bad=%d\n", calls, bad);
    return 0;
}
