// A program that installs its own SIGSTKSZ (8 KiB) alternate signal stack
// after whence_install_crash_handler: the kernel's signal frame takes much
// of it, and the report (about 8 KiB of walk and lookups) overflowed the
// rest.  Was a bug: the process died with no output at all, even for a
// plain null store.  Now the handler measures the room it has, writes the
// header and says why the stack is not written (runtime/crash.c,
// short_report); with 16 KiB the whole report is written.
// REQUIRES: x86_64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: not --crash %t 8192 2>&1 | FileCheck %s --check-prefix=SMALL
// RUN: not --crash %t 65536 2>&1 | FileCheck %s --check-prefix=ROOM
// SMALL: fatal signal 11 (SIGSEGV) at pc 0x{{[0-9a-f]+}} (address 0x0)
// SMALL-NEXT: stack: not written: the alternate signal stack has {{[0-9]+}} bytes left, a report needs about 8 KiB
// ROOM: fatal signal 11 (SIGSEGV)
// ROOM: stack:
// ROOM-NEXT: crash(...)
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
    stack_t ss = {.ss_sp = malloc(sz), .ss_size = sz, .ss_flags = 0};
    sigaltstack(&ss, 0);
    crash(argc);
    return 0;
}
