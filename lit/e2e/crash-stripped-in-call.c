// A fault on a call instruction itself, in a stripped binary: a stack
// overflow faults on the call's push of its return address.  The report
// said "(line unknown; placed after the call at line N)" of the call at
// line N (helper-141, Perl's Perl_sv_setiv_mg); the call that holds the pc
// is decoded from its label now, and its line is the fault's.  Unstripped,
// the line table said so already.  (x86-64 only: AArch64's bl pushes
// nothing, and the overflow faults in the callee's prologue.)
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: llvm-strip -s %t -o %t.s
// RUN: not --crash %run %t.s 2> %t.s.r; FileCheck %s < %t.s.r
// RUN: not --crash %run %t 2> %t.r; FileCheck %s < %t.r
// CHECK: fatal signal 11 (SIGSEGV)
// CHECK-NEXT: fault in rec at {{.*}}crash-stripped-in-call.c:25{{$}}
// CHECK: rec(...)
// CHECK-NEXT: crash-stripped-in-call.c:25 +0x
#include <whence.h>

static int rec(int n);
static int (*volatile self)(int) = rec;

__attribute__((noinline)) static int rec(int n) {
    if (n == 0)
        return 0;
    return self(n - 1) + 1; // the call that faults
}

int main(int argc, char **argv) {
    (void)argv;
    whence_install_crash_handler();
    return rec(100000000 * argc);
}
