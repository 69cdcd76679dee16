// whence_gc() in a signal handler on an alternate stack that is an array in
// a frame of the thread's own stack: the stack pointer lies inside the
// thread's stack, so the handler's stack passed for the thread's own, and
// the dead-stack clear zeroed the interrupted frames below the array
// (every canary word, and the return addresses: "stack smashing
// detected"; helper-120).  The kernel says the handler runs on its
// alternate stack (SS_ONSTACK): nothing is collected, said once.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t %gc_libs && %run %t 2>&1 | FileCheck %s
// CHECK: whence: whence_gc() called on a stack that is not its thread's own {{.*}}nothing collected
// CHECK-NEXT: canary words overwritten in the interrupted frame: 0 of 256
// CHECK-NEXT: returned
#include <signal.h>
#include <stdio.h>
#include <whence_gc.h>

static void handler(int s) {
    (void)s;
    whence_gc();
}

__attribute__((noinline)) static void deep(void) {
    volatile unsigned long canary[256];
    for (int i = 0; i < 256; i++)
        canary[i] = 0xC0FFEE00u + i;
    raise(SIGUSR1);
    int broken = 0;
    for (int i = 0; i < 256; i++)
        broken += canary[i] != 0xC0FFEE00u + i;
    fflush(stderr);
    printf("canary words overwritten in the interrupted frame: %d of 256\n", broken);
}

int main(void) {
    char alt[32768] __attribute__((aligned(16)));
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    struct sigaction sa = {0};
    sa.sa_handler = handler;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    whence_gc();
    deep();
    printf("returned\n");
    return 0;
}
