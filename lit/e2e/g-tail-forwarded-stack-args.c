// A `tail` call whose stack arguments are the caller's own parameters is
// a jump only where each is the parameter the caller received at the
// same stack slot (the backend's MatchingStackOffset).  A parameter the
// caller received in a register, or in another slot, passed on the
// callee's stack keeps a call; -g modules (tail calls kept) gave such a
// frame no slot, and it read "(line unknown)" (Ruby's onig_search calling
// onig_search_gpos: helper-137).  Here wrap's call of inner puts a8 in
// the callee's stack twice (x86-64: slots 1 and 2 of wrap's 0-2; AArch64:
// a8 came in x7): a call on both targets, its line exact.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -g %whence_cflags -I%inputs %s %whence_libs -o %t.g && %run %t.g | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.lt && %run %t.lt | FileCheck %s
// CHECK: inner's caller wrap:[[#@LINE+14]]
// CHECK-NEXT: sum 53
#include "whence_e2e.h"

NOINLINE long inner(long a1, long a2, long a3, long a4, long a5, long a6, long a7, long a8,
                    long a9, long a10) {
    whence_frame f;
    whence_caller(1, &f);
    printf("inner's caller %s:%d\n", f.function, f.line);
    return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10;
}

NOINLINE long wrap(long a1, long a2, long a3, long a4, long a5, long a6, long a7, long a8,
                   long a9) {
    return inner(a1, a2, a3, a4, a5, a6, a7, a8, a8, a9);
}

int main(int argc, char **argv) {
    (void)argv;
    long s = wrap(argc, 2, 3, 4, 5, 6, 7, 8, 9);
    printf("sum %ld\n", s);
    return 0;
}
