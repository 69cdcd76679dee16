// A foreign fault handler installed after whence's (Python's
// faulthandler.enable() after whence_install_crash_handler) runs on an
// alternate stack of its own (16-24 KiB, malloc'ed), puts whence's handler
// back and raises the signal again on that stack.  Was a bug: whence's
// report ended at "stack:" with nothing after it and no reason (its walk
// stopped silently where the stack ran short), or, 2 runs in 3 with 20-24
// KiB, ran off the stack's end and wrote "(the report stopped here...)"
// without end (3 GB in one run).  Now the report runs on a stack of
// whence's own when the signal's has too little left.  Was a bug too: with
// 23-24 KiB the walk ended after the first instrumented frame ("the stack
// ends here"), the report's own frames leaving the CFI unwinder too little.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only -DFOREIGN -c %s -o %t-foreign.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t-foreign.o %whence_libs -o %t
// RUN: not --crash timeout 60 %run %t 16384 2>&1 | FileCheck %s
// RUN: not --crash timeout 60 %run %t 22016 2>&1 | FileCheck %s
// RUN: not --crash timeout 60 %run %t 23552 2>&1 | FileCheck %s
// RUN: not --crash timeout 60 %run %t 24064 2>&1 | FileCheck %s
// RUN: not --crash timeout 60 %run %t 24576 2>&1 | FileCheck %s
// RUN: not --crash timeout 60 %run %t 30720 2>&1 | FileCheck %s
// CHECK: Fatal error: Segmentation fault (foreign handler)
// CHECK-NEXT: fatal signal 11 (SIGSEGV)
// CHECK: stack:
// (libc's frames of the raise come first, not instrumented)
// CHECK: deref(...)
// CHECK-NEXT: {{.*}}crash-foreign-reraise.c:[[# @LINE + 30]]
// CHECK-NEXT: middle(...)
// CHECK: main(...)
// CHECK-NOT: the report stopped here
#ifdef FOREIGN
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static struct sigaction prev;
static void foreign_handler(int sig) {
    static const char msg[] = "Fatal error: Segmentation fault (foreign handler)\n";
    write(2, msg, sizeof msg - 1);
    sigaction(sig, &prev, NULL);
    raise(sig);
}
void install_foreign(size_t alt) {
    stack_t ss = {.ss_sp = malloc(alt), .ss_size = alt};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = foreign_handler;
    sa.sa_flags = SA_NODEFER | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, &prev);
}
#else
#include <stdlib.h>
#include <whence.h>
void install_foreign(size_t alt);
int *volatile nullp;
__attribute__((noinline)) int deref(int k) { return nullp[k] + 1; }
__attribute__((noinline)) int middle(int k) { return deref(k) * 2; }
int main(int argc, char **argv) {
    whence_install_crash_handler();
    install_foreign(argc > 1 ? strtoul(argv[1], 0, 0) : 16384);
    return middle(3);
}
#endif
