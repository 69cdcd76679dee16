// whence_write_stack from a signal handler on a small alternate stack
// (SIGSTKSZ), where the signal was raised in code without frame records
// (raise, a foreign function): reading those frames takes the CFI
// unwinder, which needs more stack than is left.  Was: the stack ended at
// the handler, as if it were the whole stack.  Now it says why it ends;
// with room it goes on to the callers.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only -DFOREIGN -c %s -o %t-foreign.o
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %t-foreign.o %whence_libs -o %t
// RUN: %run %t 8192 | FileCheck %s --check-prefix=SHORT
// RUN: %run %t 65536 | FileCheck %s --check-prefix=ROOM
// SHORT: on_usr1(...)
// SHORT-NEXT: {{.*}}signal-stack-short-walk.c
// SHORT-NEXT: (the stack ends here: {{[0-9]+}} bytes of the signal stack left, too few to read the next frame's unwind tables)
// ROOM: on_usr1(...)
// ROOM: calls_foreign(...)
// ROOM: main(...)
// ROOM-NOT: the stack ends here
#ifdef FOREIGN
#include <signal.h>
int foreign_raise(int k) {
    raise(SIGUSR1);
    return k;
}
#else
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <whence.h>
int foreign_raise(int k);
static void on_usr1(int sig) {
    (void)sig;
    whence_write_stack(1, 0);
}
__attribute__((noinline)) int calls_foreign(int k) { return foreign_raise(k) + 1; }
int main(int argc, char **argv) {
    size_t sz = argc > 1 ? strtoul(argv[1], 0, 0) : 8192;
    stack_t ss = {.ss_sp = malloc(sz), .ss_size = sz};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    return calls_foreign(argc) == 0;
}
#endif
