// The crash handler in an AddressSanitizer build: ASan's fault handler,
// installed before whence's (at startup), reports and ends the process with
// _exit.  whence's report comes first, then ASan's.  (Handlers that take a
// siginfo run before the report since they may recover, runtime/crash.c;
// a sanitizer's is known by its runtime and stays after it, or whence's
// report would be lost.)
// REQUIRES: x86_64-linux
// RUN: %clang -O1 -gline-tables-only -fsanitize=address %whence_cflags %s %whence_libs -o %t
// RUN: not %t 2>&1 | FileCheck %s
// CHECK: fatal signal 11 (SIGSEGV) at pc 0x{{[0-9a-f]+}} (address 0x4)
// CHECK-NEXT: fault in crash at {{.*}}crash-under-asan.c:[[# @LINE + 7]]
// CHECK: AddressSanitizer: SEGV on unknown address
#include <whence.h>

int *volatile nullp;

__attribute__((noinline)) int crash(int k) {
    return nullp[k];
}

int main(int argc, char **argv) {
    (void)argv;
    whence_install_crash_handler();
    return crash(argc);
}
