// A makecontext fiber is a complete stack: its first frame returns into
// glibc's __start_context, an address makecontext pushed, that no call
// made.  With the fiber's stack an array in its creator's frame, the walk
// went on from there into the creator's frames, then ended with "build it
// with -fasynchronous-unwind-tables", in whence_callers_end, a written
// stack and a crash report (helper-86); with a malloc'd stack it ended
// quietly.  A return address whose byte before is in no unwind table and
// no call, where a function's table starts, is now the bottom of its
// stack (runtime/unwind/unwind.c, pushed_start).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: %run %t local | FileCheck %s
// RUN: %run %t heap | FileCheck %s
// RUN: not --crash %run %t local crash 2>&1 | FileCheck %s --check-prefix=CRASH
// RUN: %clang -O0 -g %whence_cflags %s %whence_libs -o %t.g
// RUN: %run %t.g local | FileCheck %s
// CHECK: whence_callers: 2 entries, end (none)
// CHECK-NEXT: in_fiber(...)
// CHECK-NEXT: fiber-stack-in-frame.c:[[#@LINE+30]]
// CHECK-NEXT: fiber_main(...)
// CHECK-NEXT: fiber-stack-in-frame.c:[[#@LINE+31]]
// CHECK-NEXT: done
// CRASH: stack:
// CRASH-NEXT: in_fiber(...)
// CRASH-NEXT: fiber-stack-in-frame.c:[[#@LINE+23]]
// CRASH-NEXT: fiber_main(...)
// CRASH-NEXT: fiber-stack-in-frame.c:[[#@LINE+25]]
// CRASH-NOT: the stack ends here
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <whence.h>

#define NI __attribute__((noinline))

static ucontext_t mainc, fc;
static int crash;

NI void in_fiber(void) {
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    const char *e = whence_callers_end();
    printf("whence_callers: %d entries, end %s\n", n, e ? e : "(none)");
    fflush(stdout);
    if (crash)
        *(volatile int *)0 = 1;
    whence_write_stack(1, 0);
}
NI void fiber_main(void) {
    in_fiber();
}
NI void run(int local) {
    char stk[64 << 10];
    getcontext(&fc);
    fc.uc_stack.ss_sp = local ? stk : malloc(sizeof stk);
    fc.uc_stack.ss_size = sizeof stk;
    fc.uc_link = &mainc;
    makecontext(&fc, fiber_main, 0);
    swapcontext(&mainc, &fc);
}
int main(int argc, char **argv) {
    crash = argc > 2;
    whence_install_crash_handler();
    run(!strcmp(argv[1], "local"));
    printf("done\n");
    return 0;
}
