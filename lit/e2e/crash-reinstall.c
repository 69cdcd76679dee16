// whence_install_crash_handler called again after the program (or a
// library) put the default action back on SIGSEGV.  Was a bug: the second
// call returned 0 and installed nothing, and the crash had no report.  It
// now takes that signal back, with the program's handler chained.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %run %t 2>&1 | FileCheck %s
// CHECK: reinstall rc=0
// CHECK: fatal signal 11 (SIGSEGV)
// CHECK: stack:
// CHECK-NEXT: crash(...)
#include <signal.h>
#include <stdio.h>
#include <whence.h>

static int *volatile nullp;

__attribute__((noinline)) void crash(int a) {
    *nullp = a;
}

int main(int argc, char **argv) {
    (void)argv;
    whence_install_crash_handler();
    signal(SIGSEGV, SIG_DFL);
    int rc = whence_install_crash_handler();
    fprintf(stderr, "reinstall rc=%d\n", rc);
    crash(argc);
    return 0;
}
