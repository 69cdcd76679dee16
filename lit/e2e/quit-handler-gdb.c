// Under gdb, which stops at every real-time signal delivered (`handle`
// defaults): the probe with which whence picks the dump's real-time signal
// was delivered to the program, so a program installing the SIGQUIT
// handler, or dumping the stacks of its one thread, stopped with "Program
// received signal SIG64" and a batch session ended there.  The probe is
// now taken back with sigtimedwait before it can be delivered.
// REQUIRES: x86_64-linux && gdb
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: gdb -q -batch -nx -ex run --args %t quit 2>&1 | FileCheck %s
// RUN: gdb -q -batch -nx -ex run --args %t dump 2>&1 | FileCheck %s
// CHECK-NOT: received signal
// CHECK: done 0
// CHECK-NOT: received signal
// CHECK: exited normally
#include <stdio.h>
#include <string.h>
#include <whence.h>

int main(int argc, char **argv) {
    int r = !strcmp(argv[1], "quit") ? whence_install_quit_handler()
                                     : whence_write_all_stacks(1) - 1;
    printf("done %d\n", r);
    return 0;
}
