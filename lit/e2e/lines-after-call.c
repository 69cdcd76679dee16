// With line records (WHENCE_LINES=1), whence_func_line of a load is its
// own line: records are kept for the first memory operation of each run
// of one position, and a call between two loads of the same line did not
// end the run.  An unrolled loop's second load of line A, after a call on
// line B, had no record: the nearest one before it was that call's label,
// and whence_func_line said B.  A call now ends the run (pass.c).
// (Helper's finding, csmith.)  Checked on the faulting pc of the second
// load, from the signal frame.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: env WHENCE_LINES=1 %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t
// RUN: %run %t | FileCheck %s
// CHECK: second load: h lines-after-call.c:28
// CHECK-SAME: {{$}}
#define _GNU_SOURCE
#include "whence_e2e.h"
#include "whence_fault.h"

#include <sys/mman.h>

NOINLINE void g(long a, int b) {
    __asm__ volatile("" ::"r"(a), "r"(b));
}

static short *arr;

NOINLINE void h(short *a) {
    for (int j = 0; j < 3; j++) {
        g(a[j], 0);
        g(j, 1);
    }
}

NOINLINE void f(int unused) {
    (void)unused;
    h(arr);
}

int main(void) {
    long pg = sysconf(_SC_PAGESIZE);
    char *m = mmap(0, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(m + pg, pg, PROT_NONE);
    arr = (short *)(m + pg - 2); /* arr[1] lies on the guard page */
    e2e_print_pc_line("second load", e2e_fault_pc(f, 0));
    return 0;
}
