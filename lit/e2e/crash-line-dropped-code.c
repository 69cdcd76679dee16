// Code the linker drops (-ffunction-sections -Wl,--gc-sections) keeps its
// line program: lld and GNU ld (both run here) point its sequence at the tombstone, address
// 0, where in a PIE it covers the first functions' code.  The line of a
// pc there must be its own function's, never a dropped function's row (the
// previous runtime said "inlined code at" a line of the dropped function
// for the faulting pc, or a plain line of it, and named a foreign frame's
// fault by it).  Code that lld --icf=all folded (two functions, one copy)
// is either function's: no line is claimed for it, unless both functions'
// rows are the same (one source line made both).  The
// faulting store comes after a run of nops on the same line, so that the
// dropped function's rows lie between the line's first row and the pc.
// REQUIRES: x86_64-linux, lld, ld.bfd
// RUN: python3 %S/Inputs/dropped_code.py 4000 > %t.dead.c
// RUN: %clang -O1 -g -ffunction-sections -c %t.dead.c -o %t.dead.o
// RUN: %clang -O1 -g -ffunction-sections -DFOREIGN -c %s -o %t.foreign.o
// RUN: %clang -O1 -g -ffunction-sections %whence_cflags -I%inputs -c %s -o %t.o
// RUN: %clang -fuse-ld=lld -Wl,--gc-sections %t.o %t.foreign.o %t.dead.o %whence_libs -o %t.gc
// RUN: llvm-nm %t.gc | FileCheck %s --check-prefix=DROPPED
// DROPPED-NOT: dropped_big
// RUN: not --crash %run %t.gc own 2> %t.own && FileCheck %s --check-prefix=OWN < %t.own
// RUN: not --crash %run %t.gc foreign 2> %t.for && FileCheck %s --check-prefix=FOREIGN < %t.for
// RUN: %clang -fuse-ld=bfd -Wl,--gc-sections %t.o %t.foreign.o %t.dead.o %whence_libs -o %t.bfd
// RUN: llvm-nm %t.bfd | FileCheck %s --check-prefix=DROPPED
// RUN: not --crash %run %t.bfd own 2> %t.bown && FileCheck %s --check-prefix=OWN < %t.bown
// RUN: not --crash %run %t.bfd foreign 2> %t.bfor && FileCheck %s --check-prefix=FOREIGN < %t.bfor
// RUN: %clang -fuse-ld=lld -Wl,--gc-sections -Wl,--icf=all %t.o %t.foreign.o %t.dead.o %whence_libs -o %t.icf
// RUN: not --crash %run %t.icf folded 2> %t.fold && FileCheck %s --check-prefix=FOLDED < %t.fold
// RUN: not --crash %run %t.icf same 2> %t.same && FileCheck %s --check-prefix=SAME < %t.same
#ifdef FOREIGN
int *volatile foreign_null;

__attribute__((noinline)) void foreign_fault(int x) {
    __asm__ volatile(".rept 64; nop; .endr; movl %0, (%1)" ::"r"(x), "r"(foreign_null) : "memory");
    // FOREIGN: fault in foreign_fault (not instrumented) at {{.*}}crash-line-dropped-code.c:[[@LINE-1]] +0x
}

/* Identical code in two functions, for --icf=all. */
__attribute__((noinline)) int folded_a(int x) {
    __asm__ volatile(".rept 64; nop; .endr; movl %0, (%1)" ::"r"(x), "r"(foreign_null) : "memory");
    return x + 1;
}

__attribute__((noinline)) int folded_b(int x) {
    __asm__ volatile(".rept 64; nop; .endr; movl %0, (%1)" ::"r"(x), "r"(foreign_null) : "memory");
    return x + 1;
}
// FOLDED: fault in folded_{{[ab]}} (not instrumented) at {{.*}}crash-line-dropped-code.c.tmp.icf +0x
// FOLDED-NOT: crash-line-dropped-code.c:
// FOLDED: stack:

/* Two functions of one source line, folded: one line program twice. */
#define SAME_LINE(name)                                                                            \
    __attribute__((noinline)) int name(int x) {                                                    \
        __asm__ volatile(".rept 64; nop; .endr; movl %0, (%1)" ::"r"(x), "r"(foreign_null) : "memory"); \
        return x + 3;                                                                              \
    }
SAME_LINE(same_c) SAME_LINE(same_d)
// SAME: fault in same_{{[cd]}} (not instrumented) at {{.*}}crash-line-dropped-code.c:[[@LINE-1]] +0x
#else
#include "whence_e2e.h"

volatile int dropped_sink;
static int *volatile nullp;
void foreign_fault(int x);
int folded_a(int x), folded_b(int x), same_c(int x), same_d(int x);

NOINLINE static void faulty(int x) {
    __asm__ volatile(".rept 64; nop; .endr; movl %0, (%1)" ::"r"(x), "r"(nullp) : "memory");
    // OWN: fault in faulty at {{.*}}crash-line-dropped-code.c:[[@LINE-1]]{{$}}
    // OWN: faulty(...)
    // OWN-NEXT: crash-line-dropped-code.c:[[@LINE-3]] +0x
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    whence_install_crash_handler();
    if (!strcmp(argv[1], "own"))
        faulty(1);
    else if (!strcmp(argv[1], "foreign"))
        foreign_fault(1);
    else if (!strcmp(argv[1], "same"))
        return same_d(1) + same_c(2);
    else
        return folded_b(1) + folded_a(2);
    return 0;
}
#endif
