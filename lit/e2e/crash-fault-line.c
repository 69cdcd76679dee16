// The crash report names the faulting function "with its file:line"
// (api.md), and whence_func_line is "the line of the statement or call at
// pc": for a fault in straight-line code (no call there) that is the line of
// the faulting statement, not the function's first line nor the line of an
// earlier call.  Checked through the crash handler's report and through
// whence_func_line on the interrupted pc from ucontext in a SIGSEGV handler.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: env WHENCE_LINES=1 %clang -O0 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O0
// RUN: not --crash %run %t.O0 report 2> %t.r0 && FileCheck %s --check-prefix=REPORT < %t.r0
// RUN: %run %t.O0 ucontext | FileCheck %s --check-prefix=UC
// RUN: env WHENCE_LINES=1 %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O2
// RUN: not --crash %run %t.O2 report 2> %t.r2 && FileCheck %s --check-prefix=REPORT < %t.r2
// RUN: %run %t.O2 ucontext | FileCheck %s --check-prefix=UC
#define _GNU_SOURCE
#include "whence_e2e.h"
#include "whence_fault.h"

static int *volatile nullp;
static volatile int sink;

NOINLINE static void faulty(int x) {
    sink = x;
    printf("%s", "");
    sink = x + 1;
    *nullp = x;
    // REPORT: fault in faulty at {{.*}}crash-fault-line.c:[[@LINE-1]]{{$}}
    // REPORT: faulty(...)
    // REPORT-NEXT: crash-fault-line.c:[[@LINE-3]] +0x
    // UC: ucontext pc: faulty crash-fault-line.c:[[@LINE-4]]{{$}}
    sink = x + 2;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    if (strcmp(argv[1], "report") == 0) {
        whence_install_crash_handler();
        faulty(1);
        return 0;
    }
    e2e_print_pc_line("ucontext pc", e2e_fault_pc(faulty, 1));
    return 0;
}
