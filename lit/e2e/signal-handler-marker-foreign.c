// The marker where a signal interrupted code a walk of instrumented frames
// leaves out (raise in the C library, a file built without the plugin):
// whence_write_stack and a dump showed the handler as called by the
// instrumented frame above (helper-114).  The frame left out is still
// left out; the marker says a signal came between.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t | FileCheck %s
// CHECK: handler(...)
// CHECK-NEXT: signal-handler-marker-foreign.c:[[#@LINE+9]]
// CHECK-NEXT: <signal handler called>
// CHECK-NEXT: main(...)
// CHECK-NEXT: signal-handler-marker-foreign.c:[[#@LINE+13]]
#include <signal.h>
#include <stdio.h>
#include <whence.h>

static void handler(int sig) {
    whence_write_stack(1, 0);
    (void)sig;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGUSR1, handler);
    raise(SIGUSR1);
    return 0;
}
