// A program that installs its own small alternate signal stack (SIGSTKSZ,
// 8 KiB; 4 KiB) after whence_install_crash_handler: the kernel's signal
// frame takes much of it, and the report (about 10 KiB of walk and
// lookups) would overflow the rest.  Was a bug: the process died with no
// output at all, even for a plain null store; then (short_report) the
// header and why the stack was not written.  Now the report runs on a
// stack of whence's own when the signal's has less than 16 KiB left
// (runtime/crash.c, report_elsewhere), and is whole.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %run %t 8192 2>&1 | FileCheck %s
// RUN: not --crash %run %t 4096 2>&1 | FileCheck %s
// RUN: not --crash %run %t 65536 2>&1 | FileCheck %s
// CHECK: fatal signal 11 (SIGSEGV) at pc 0x{{[0-9a-f]+}} (address 0x0)
// CHECK-NEXT: fault in crash at {{.*}}crash-small-altstack-later.c:[[# @LINE + 11]]
// CHECK: stack:
// CHECK-NEXT: crash(...)
// CHECK: main(...)
#include <signal.h>
#include <stdlib.h>
#include <whence.h>

static int *volatile nullp;

__attribute__((noinline)) void crash(int a) {
    *nullp = a;
}

int main(int argc, char **argv) {
    whence_install_crash_handler();
    size_t sz = argc > 1 ? (size_t)atoi(argv[1]) : 8192;
    if (sz < MINSIGSTKSZ) /* (AArch64: 5120, the kernel refuses less) */
        sz = MINSIGSTKSZ;
    stack_t ss = {.ss_sp = malloc(sz), .ss_size = sz, .ss_flags = 0};
    if (sigaltstack(&ss, 0) != 0)
        return 2;
    crash(argc);
    return 0;
}
