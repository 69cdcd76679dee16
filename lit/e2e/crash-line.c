// The faulting line, by default: a crash report names the line of the
// statement that faulted (not the line of the call before it, nor the
// function's first line), read from the binary's own .debug_line, in -g and
// -gline-tables-only builds, at -O0 and -O2, PIE and non-PIE, DWARF 5 and 4,
// in a DSO, with zlib-compressed debug sections.  A fault in inlined code
// says so.  Without a line table (strip -s, zstd-compressed debug
// sections) no line is claimed: the report says what it knows.  The same
// line comes out of whence_write_stack and whence_func_line in the
// program's own SIGSEGV handler.  The truth is the source itself
// ([[@LINE]]).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -g %whence_cflags -I%inputs %s %whence_libs -o %t.g0
// RUN: not --crash %run %t.g0 report 2> %t.g0.r && FileCheck %s --check-prefix=REPORT < %t.g0.r
// RUN: not --crash %run %t.g0 inl 2> %t.g0.i && FileCheck %s --check-prefix=INL < %t.g0.i
// RUN: %run %t.g0 handler | FileCheck %s --check-prefix=HANDLER
// RUN: %clang -O2 -g %whence_cflags -I%inputs %s %whence_libs -o %t.g2
// RUN: not --crash %run %t.g2 report 2> %t.g2.r && FileCheck %s --check-prefix=REPORT < %t.g2.r
// RUN: not --crash %run %t.g2 inl 2> %t.g2.i && FileCheck %s --check-prefix=INL < %t.g2.i
// RUN: %run %t.g2 handler | FileCheck %s --check-prefix=HANDLER
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.t0
// RUN: not --crash %run %t.t0 report 2> %t.t0.r && FileCheck %s --check-prefix=REPORT < %t.t0.r
// RUN: not --crash %run %t.t0 inl 2> %t.t0.i && FileCheck %s --check-prefix=INL < %t.t0.i
// RUN: %run %t.t0 handler | FileCheck %s --check-prefix=HANDLER
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.t2
// RUN: not --crash %run %t.t2 report 2> %t.t2.r && FileCheck %s --check-prefix=REPORT < %t.t2.r
// RUN: not --crash %run %t.t2 inl 2> %t.t2.i && FileCheck %s --check-prefix=INL < %t.t2.i
// RUN: %run %t.t2 handler | FileCheck %s --check-prefix=HANDLER
// Non-PIE, and DWARF 4:
// RUN: %clang -O2 -g -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_libs -o %t.np
// RUN: not --crash %run %t.np report 2> %t.np.r && FileCheck %s --check-prefix=REPORT < %t.np.r
// RUN: %run %t.np handler | FileCheck %s --check-prefix=HANDLER
// RUN: %clang -O2 -gline-tables-only -gdwarf-4 %whence_cflags -I%inputs %s %whence_libs -o %t.d4
// RUN: not --crash %run %t.d4 report 2> %t.d4.r && FileCheck %s --check-prefix=REPORT < %t.d4.r
// RUN: not --crash %run %t.d4 inl 2> %t.d4.i && FileCheck %s --check-prefix=INL < %t.d4.i
// Compiled from another directory: the line table's directory of the file
// is relative (DWARF 4: the compilation directory, which .debug_line does
// not hold; DWARF 5: relative to its directory 0).  The file is still the
// function's own, not "inlined code" of another file:
// RUN: rm -rf %t.rel && mkdir -p %t.rel/src && cp %s %t.rel/src/crash-line.c
// RUN: cd %t.rel && %clang -O0 -g -gdwarf-4 %whence_cflags -I%inputs src/crash-line.c %whence_libs -o %t.rel/d4
// RUN: cd %t.rel && not --crash %run %t.rel/d4 report 2> %t.rel/d4.r && FileCheck %s --check-prefix=REPORT < %t.rel/d4.r
// RUN: cd %t.rel && %clang -O0 -g %whence_cflags -I%inputs %t.rel/src/crash-line.c %whence_libs -o %t.rel/d5
// RUN: cd %t.rel && not --crash %run %t.rel/d5 report 2> %t.rel/d5.r && FileCheck %s --check-prefix=REPORT < %t.rel/d5.r
// The faulting code in a DSO:
// RUN: %clang -O2 -g -fPIC -shared -DIN_DSO %whence_cflags -I%inputs %s %whence_libs -o %t.so
// RUN: %clang -O2 -g -DUSE_DSO %whence_cflags -I%inputs %s %t.so %whence_libs -o %t.dso
// RUN: not --crash %run %t.dso report 2> %t.dso.r && FileCheck %s --check-prefix=REPORT < %t.dso.r
// RUN: not --crash %run %t.dso inl 2> %t.dso.i && FileCheck %s --check-prefix=INL < %t.dso.i
// Stripped: no line claimed; with call labels (-gline-tables-only) the call
// before the fault is named.
// RUN: llvm-strip -s %t.g2 -o %t.g2s
// RUN: not --crash %run %t.g2s report 2> %t.g2s.r && FileCheck %s --check-prefix=STRIP-G < %t.g2s.r
// RUN: llvm-strip -s %t.t2 -o %t.t2s
// RUN: not --crash %run %t.t2s report 2> %t.t2s.r && FileCheck %s --check-prefix=STRIP-LT < %t.t2s.r
// RUN: %run %t.t2s handler | FileCheck %s --check-prefix=STRIP-HANDLER
// Compressed debug sections: zlib's are inflated (the same line), zstd's
// are reported as such (crash-line-compressed.c has more):
// RUN: %clang -O2 -g -gz=zlib %whence_cflags -I%inputs %s %whence_libs -o %t.gz
// RUN: not --crash %run %t.gz report 2> %t.gz.r && FileCheck %s --check-prefix=REPORT < %t.gz.r
// RUN: %run %t.gz handler | FileCheck %s --check-prefix=HANDLER
// RUN: %clang -O2 -g -gz=zstd %whence_cflags -I%inputs %s %whence_libs -o %t.zstd
// RUN: not --crash %run %t.zstd report 2> %t.zstd.r && FileCheck %s --check-prefix=ZSTD < %t.zstd.r
#define _GNU_SOURCE
#include "whence_e2e.h"
#include "whence_fault.h"

extern int *volatile nullp;
extern volatile int sink;
void work(int x);
void work_inl(int x);

#ifndef USE_DSO
int *volatile nullp;
volatile int sink;

NOINLINE void helper(int x) { sink = x; }

NOINLINE void work(int x) {
    sink = x;
    helper(x);
    sink = x + 1;
    sink = x + 2;
    *nullp = x;
    // REPORT: fault in work at {{.*}}crash-line.c:[[@LINE-1]]{{$}}
    // REPORT: stack:
    // REPORT-NEXT: work(...)
    // REPORT-NEXT: crash-line.c:[[@LINE-4]] +0x
    // HANDLER: work(...)
    // HANDLER-NEXT: crash-line.c:[[@LINE-6]] +0x
    // HANDLER: func_line: work crash-line.c:[[@LINE-7]]{{$}}
    // STRIP-G: fault in work at {{.*}}crash-line.c (line unknown; no .debug_line){{$}}
    // STRIP-G: work(...)
    // STRIP-G-NEXT: crash-line.c (line unknown) +0x
    // STRIP-LT: fault in work at {{.*}}crash-line.c (line unknown; placed after the call at line [[@LINE-14]]; no .debug_line){{$}}
    // STRIP-LT: work(...)
    // STRIP-LT-NEXT: crash-line.c (line unknown; placed after the call at line [[@LINE-16]]) +0x
    // STRIP-HANDLER: work(...)
    // STRIP-HANDLER-NEXT: crash-line.c (line unknown; placed after the call at line [[@LINE-18]]) +0x
    // STRIP-HANDLER: func_line: work crash-line.c:0{{$}}
    // ZSTD: fault in work at {{.*}}crash-line.c (line unknown; zstd-compressed debug sections){{$}}
    sink = x + 3;
}

// Inlined into work_inl even at -O0; defined above it, so its line lies
// outside work_inl's own.
ALWAYS_INLINE void store_at(int *p, int v) {
    p[1] = v;
    // INL: fault in work_inl (inlined code at {{.*}}crash-line.c:[[@LINE-1]]){{$}}
    // INL: work_inl(...)
    // INL-NEXT: crash-line.c:[[@LINE-3]] +0x{{[0-9a-f]+}} (inlined code){{$}}
}

NOINLINE void work_inl(int x) {
    helper(x);
    store_at(nullp, x);
    sink = x;
}
#endif

#ifndef IN_DSO
int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    if (strcmp(argv[1], "report") == 0 || strcmp(argv[1], "inl") == 0) {
        whence_install_crash_handler();
        if (argv[1][0] == 'r')
            work(1);
        else
            work_inl(1);
        return 0;
    }
    e2e_fault_write_stack = 1; /* the stack from the handler */
    e2e_print_pc_line("func_line", e2e_fault_pc(work, 1));
    return 0;
}
#endif
